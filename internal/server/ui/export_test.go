package ui_test

import (
	"bytes"
	"html"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/report"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

// wantWorkbook fails the test unless rec is a workbook download named name.
func wantWorkbook(t *testing.T, what string, rec interface {
	Result() *http.Response
}, name string) *excelize.File {
	t.Helper()
	res := rec.Result()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", what, res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != report.MIMEType {
		t.Errorf("%s: Content-Type %q, want %q", what, ct, report.MIMEType)
	}
	disp, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != name {
		t.Errorf("%s: Content-Disposition %q, want an attachment named %s", what, res.Header.Get("Content-Disposition"), name)
	}
	var body bytes.Buffer
	body.ReadFrom(res.Body)
	if res.ContentLength > 0 && res.ContentLength != int64(body.Len()) {
		t.Errorf("%s: Content-Length %d, body %d bytes", what, res.ContentLength, body.Len())
	}
	f, err := excelize.OpenReader(&body)
	if err != nil {
		t.Fatalf("%s: not a workbook: %v", what, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestExportPageOffersOwnProviders(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	r := a.As("coordinator").Get("/exports")
	servertest.WantStatus(t, "coordinator", r, http.StatusOK)
	servertest.WantBody(t, "coordinator", r, `<option value="P1" selected>CVO Een (P1)</option>`, "Dit schooljaar", "2025-09-01 – 2026-03-15",
		"Vorig schooljaar", "2024-09-01 – 2025-08-31", "Vorig kwartaal", "2025-10-01 – 2025-12-31")
	if body := r.Body.String(); strings.Contains(body, `value="P2"`) || strings.Contains(body, "CBE Twee") || strings.Contains(body, "Alle aanbieders") {
		t.Error("a coordinator is offered another provider or all of them")
	}
	r = a.As("admin").Get("/exports")
	servertest.WantBody(t, "admin", r, `<option value="">Alle aanbieders</option>`, "CBE Twee (P2)")
}

func TestExportDownloadsWorkbook(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	k1 := a.As("coordinator")
	f := wantWorkbook(t, "coordinator, last school year", k1.Get("/exports/workbook?period=last-year&provider=P1"),
		"traject-indicatoren-P1-2024-09-01_2025-08-31.xlsx")
	if len(f.GetSheetList()) < 3 {
		t.Errorf("the workbook has sheets %v", f.GetSheetList())
	}
	wantWorkbook(t, "coordinator, exact, custom", k1.Get("/exports/workbook?period=custom&from=2026-01-01&to=15/03/2026&provider=P1&exact=1"),
		"traject-indicatoren-P1-2026-01-01_2026-03-15-exact.xlsx")
	wantWorkbook(t, "admin, all providers", a.As("admin").Get("/exports/workbook?period=this-year&provider="),
		"traject-indicatoren-alle-2025-09-01_2026-03-15.xlsx")
}

func TestExportFormMistakes(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	k1 := a.As("coordinator")
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"period=custom&from=gisteren&to=2026-01-01&provider=P1", []string{`"gisteren" is geen datum`}},
		{"period=custom&from=2026-02-01&to=2026-01-01&provider=P1", []string{"Deze datum ligt vóór 2026-02-01"}},
		{"period=custom&provider=P1", []string{"Vul dit veld in"}},
		{"period=&provider=P1", []string{"Kies een waarde uit de lijst"}},
		{"period=last-year&provider=P2", []string{"Kies een van jouw aanbieders"}},
		{"period=last-year&provider=", []string{"Kies een van jouw aanbieders"}},
		{"period=last-year&provider=NOPE", []string{"Kies een van jouw aanbieders"}},
	} {
		r := k1.Get("/exports/workbook?" + tc.query)
		servertest.WantStatus(t, tc.query, r, http.StatusUnprocessableEntity)
		body := html.UnescapeString(r.Body.String())
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the form lacks %q", tc.query, w)
			}
		}
		if !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("%s: no field is marked invalid", tc.query)
		}
	}
}

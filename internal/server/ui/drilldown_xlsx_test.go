package ui_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/server/servertest"
)

// TestDrilldownWorkbook: every drill-down list downloads as a workbook
// (issue 20) with the page's rows — all of them, the Dutch headers — and
// under the page's rules: a list behind a suppressed number is refused,
// another provider's list is refused, and exact numbers are the
// coordinator's own provider's only.
func TestDrilldownWorkbook(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	c := a.SignIn("kA")
	base := "/dashboard/cases?from=2024-09-01&to=2025-08-31&as_of=2025-08-31&provider=CVO-A&indicator=access&class="
	xlsx := strings.Replace(base, "/dashboard/cases?", "/dashboard/cases.xlsx?", 1)
	servertest.WantStatus(t, "small cell", c.Get(xlsx+"late"), http.StatusForbidden)
	servertest.WantStatus(t, "another provider's", c.Get(strings.Replace(xlsx, "CVO-A", "CBE-A", 1)+"cohort"), http.StatusForbidden)
	servertest.WantStatus(t, "another provider's, exact", c.Get(strings.Replace(xlsx, "CVO-A", "CBE-A", 1)+"cohort&exact=1"), http.StatusForbidden)

	for _, class := range []string{"late&exact=1", "cohort"} {
		page := c.Get(base + class)
		servertest.WantStatus(t, class+" page", page, http.StatusOK)
		servertest.WantBody(t, class+" page", page, `id="drill-xlsx"`, `href="/dashboard/cases.xlsx?`)
		r := c.Get(xlsx + class)
		servertest.WantStatus(t, class+" workbook", r, http.StatusOK)
		if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
			t.Errorf("%s: Content-Type %q", class, ct)
		}
		if cd := r.Header().Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".xlsx") {
			t.Errorf("%s: Content-Disposition %q", class, cd)
		}
		f, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("Gevallen")
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 5 || strings.Join(rows[4], "|") != "Lerende|Nummer|Klasse|Aanbieder|Datum|Groep|Toelichting" {
			t.Fatalf("%s: header rows %q", class, rows[:min(len(rows), 5)])
		}
		want := len(caseRowRE.FindAllString(page.Body.String(), -1))
		if got := len(rows) - 5; got != want {
			t.Errorf("%s: %d rows in the workbook, %d on the page", class, got, want)
		}
		if class == "late&exact=1" {
			body := ""
			for _, row := range rows[5:] {
				body += strings.Join(row, "|") + "\n"
			}
			if !strings.Contains(body, "|E001|laat gestart|CVO-A|") {
				t.Errorf("late starts:\n%s", body)
			}
		}
	}
}

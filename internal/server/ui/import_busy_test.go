package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

// holdImports takes every import slot of the server (ui.MaxImports) as
// imports running elsewhere would, until the returned func gives them back.
func holdImports(t *testing.T, a *servertest.App) (release func()) {
	t.Helper()
	var held []func()
	for range a.Srv.ImportSlots().Size() {
		r, ok := a.Srv.ImportSlots().TryTake()
		if !ok {
			t.Fatal("an import slot is taken before the test takes it")
		}
		held = append(held, r)
	}
	return func() {
		for _, r := range held {
			r()
		}
	}
}

// wantBusy fails the test unless r is the busy answer: 503, a Retry-After
// and the Dutch message that says to try again in a moment.
func wantBusy(t *testing.T, what string, r interface {
	Result() *http.Response
}, body string) {
	t.Helper()
	res := r.Result()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("%s: status %d, Retry-After %q; want 503 with a Retry-After", what, res.StatusCode, res.Header.Get("Retry-After"))
	}
	for _, want := range []string{"Traject leest nu al 2 bestanden voor een import", "Probeer het over een ogenblik opnieuw"} {
		if !strings.Contains(body, want) {
			t.Errorf("%s: the page lacks %q", what, want)
		}
	}
}

// TestImportsAreBoundedInNumber: while ui.MaxImports data sets are being
// read, a dry run, a confirmation and the assistant's check answer at once
// that Traject is busy, store nothing and let the upload wait; once a slot
// is free the same request goes through.
func TestImportsAreBoundedInNumber(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("admin")
	data := zipDir(t, filepath.Join(testdata, "conformance"), "")
	before := learnerCount(t, a)

	release := holdImports(t, a)
	r := c.Upload("/imports", "conformance.zip", data)
	wantBusy(t, "a dry run", r, r.Body.String())
	release()
	r = c.Upload("/imports", "conformance.zip", data)
	servertest.WantStatus(t, "a dry run with a slot free", r, http.StatusOK)
	token := servertest.TokenOf(t, r.Body.String())

	release = holdImports(t, a)
	r = c.Post("/imports/"+token+"/confirm", nil)
	wantBusy(t, "a confirmation", r, r.Body.String())
	servertest.WantBody(t, "a confirmation", r, `action="/imports/`+token+`/confirm" class="inline" id="import-retry"`)
	if n := learnerCount(t, a); n != before {
		t.Fatalf("a busy confirmation stored learners: %d, was %d", n, before)
	}
	release()
	r = c.Post("/imports/"+token+"/confirm", nil)
	servertest.WantStatus(t, "the confirmation again", r, http.StatusOK)
	servertest.WantBody(t, "the confirmation again", r, `id="import-done"`)

	// The assistant: its page opens while busy (it reads a bounded sample),
	// its check and its import with a profile wait for a slot.
	k := a.SignIn("k1")
	page := k.Upload("/imports/assistant", "Aanmeldingen-2026-03.csv", agencyList("03")).Header().Get("Location")
	release = holdImports(t, a)
	servertest.WantStatus(t, "the assistant's page while busy", k.Get(page), http.StatusOK)
	form := url.Values{"entity": {"referrals"}, "match": {"Aanmeldingen-*.csv"}, "skip_rows": {"2"}, "date_format": {"DD.MM.YYYY"},
		"col.learner": {"Dossiernummer"}, "col.date": {"Datum aanmelding"}, "col.source": {"Doorverwezen door"},
		"col.provider": {"="}, "const.provider": {"P1"},
		"from.source.0": {"AgII"}, "to.source.0": {"agentschap"}, "from.source.1": {"Zelf"}, "to.source.1": {"self"},
		"action": {"check"}}
	r = k.Post(page, form)
	wantBusy(t, "the assistant's check", r, r.Body.String())
	servertest.WantBody(t, "the assistant's check", r, `value="Aanmeldingen-*.csv"`) // the form as it was
	example := interchange.Examples()[0]
	if err := a.DB.SaveProfile(context.Background(), "k1", "P1", example, servertest.Now); err != nil {
		t.Fatal(err)
	}
	r = k.Post(page+"/profile", url.Values{"profile": {example.Name}, "provider": {"P1"}})
	wantBusy(t, "an import with a profile", r, r.Body.String())
	servertest.WantBody(t, "an import with a profile", r, `href="`+page+`" id="import-back"`)
	release()
	r = k.Post(page, form)
	servertest.WantStatus(t, "the assistant's check with a slot free", r, http.StatusOK)
	servertest.WantBody(t, "the assistant's check with a slot free", r, `id="assistant-ok"`)
}

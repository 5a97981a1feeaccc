package ui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
)

// TestLearnerPersonalDataDownloadAndPrint: a coordinator of the learner's
// provider downloads the same document as `traject learner export` and
// sees it on a printable page; the learner page offers both.
func TestLearnerPersonalDataDownloadAndPrint(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.SignIn("k1")
	page := c.Get("/learners/L-AERTS")
	servertest.WantStatus(t, "learner page", page, http.StatusOK)
	servertest.WantBody(t, "learner page", page, `href="/learners/L-AERTS/export"`, `href="/learners/L-AERTS/export.json"`, `href="/learners/L-AERTS/erase"`)
	if r := a.SignIn("c1").Get("/learners/L-AERTS"); strings.Contains(r.Body.String(), "/learners/L-AERTS/erase") {
		t.Error("a counsellor is offered the erasure")
	}

	r := c.Get("/learners/L-AERTS/export.json")
	servertest.WantStatus(t, "download", r, http.StatusOK)
	if cd := r.Header().Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, "L-AERTS") {
		t.Errorf("Content-Disposition %q: want an attachment named after the learner", cd)
	}
	if cc := r.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	want, err := a.DB.ExportLearner(context.Background(), "L-AERTS")
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := json.Marshal(want)
	var got, exp any
	if err := json.Unmarshal(r.Body.Bytes(), &got); err != nil {
		t.Fatalf("download is no JSON: %v", err)
	}
	_ = json.Unmarshal(wantJSON, &exp)
	gb, _ := json.Marshal(got)
	eb, _ := json.Marshal(exp)
	if string(gb) != string(eb) {
		t.Errorf("download differs from store.ExportLearner:\n%s\n%s", gb, eb)
	}
	servertest.WantBody(t, "download", r, `"Amina"`, `"Aerts"`, `"referrals"`, `"agentschap"`, `"Goed begonnen"`)
	if n := exportEntries(want, "k1"); n != 1 {
		t.Errorf("%d export entries by k1 in the learner's audit trail after one download, want 1", n)
	}

	p := c.Get("/learners/L-AERTS/export")
	servertest.WantStatus(t, "printable page", p, http.StatusOK)
	if cc := p.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("printable page: Cache-Control %q, want no-store", cc)
	}
	// Dutch column names and code labels, the history naming both accesses.
	servertest.WantBody(t, "printable page", p, "Amina", "Aerts", "Aanmeldingen", "2025-12-01", "Goed begonnen", "data-print",
		"<th scope=\"col\">Voornaam</th>", "<th scope=\"col\">Verwezen door</th>", "<td>"+locale.Code("nl", domain.ReferralSources.Name, "agentschap")+"</td>",
		"<th scope=\"col\">Luisteren</th>", "<td>"+locale.T("nl", "audit.export")+"</td>")
	if strings.Contains(p.Body.String(), "export.col.") {
		t.Error("printable page shows a column without a catalogue text")
	}
	x, err := a.DB.ExportLearner(context.Background(), "L-AERTS")
	if err != nil {
		t.Fatal(err)
	}
	if n := exportEntries(x, "k1"); n != 2 {
		t.Errorf("%d export entries by k1 after a download and the printable page, want 2", n)
	}
	// Printed, the page drops the menu (header.top) and its own buttons and
	// links (.noprint): the stylesheet's print rules say so.
	servertest.WantBody(t, "printable page", p, `<header class="top">`, `<p class="noprint"><button type="button" class="button" data-print>`)
	css := c.Get("/static/app.css")
	servertest.WantStatus(t, "stylesheet", css, http.StatusOK)
	_, rules, found := strings.Cut(css.Body.String(), "@media print {")
	rules, _, _ = strings.Cut(rules, "\n}")
	if !found || !strings.Contains(rules, "header.top, .noprint") || !strings.Contains(rules, "display: none") {
		t.Errorf("the stylesheet's print rules do not hide the menu and .noprint: %q", rules)
	}
	c.Lang = "en"
	servertest.WantBody(t, "printable page in English", c.Get("/learners/L-AERTS/export"), "<th scope=\"col\">First name</th>")
}

// exportEntries counts the audit entries of x that record user reading
// everything stored about the learner, at the test clock and without values.
func exportEntries(x *store.LearnerExport, user string) int {
	n := 0
	for _, e := range x.AuditTrail {
		if e.Get("action") == store.AuditExport && e.Get("username") == user && e.Get("at") == servertest.Now.Format(time.RFC3339) &&
			e.Get("before") == nil && e.Get("after") == nil {
			n++
		}
	}
	return n
}

// TestLearnerErasureFromTheWeb: the erasure needs the learner number typed
// again and the CSRF token; then every identifying value is gone and the
// audit trail records who erased.
func TestLearnerErasureFromTheWeb(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	ctx := context.Background()
	c := a.SignIn("k1")
	page := c.Get("/learners/L-AERTS/erase")
	servertest.WantStatus(t, "confirmation page", page, http.StatusOK)
	servertest.WantBody(t, "confirmation page", page, `name="confirm"`, `action="/learners/L-AERTS/erase"`, "Anoniem", "pseudoniem",
		"back-ups", "niet aangeraakt")
	servertest.WantStatus(t, "printable page before the erasure", c.Get("/learners/L-AERTS/export"), http.StatusOK)

	r := c.Post("/learners/L-AERTS/erase", url.Values{"confirm": {"L-DEWULF"}})
	servertest.WantStatus(t, "wrong number", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "wrong number", r, "Het dossiernummer klopt niet")
	r = c.Post("/learners/L-AERTS/erase", url.Values{"confirm": {"L-AERTS"}, "csrf": {""}})
	servertest.WantStatus(t, "no CSRF token", r, http.StatusForbidden)
	if _, err := a.DB.ExportLearner(ctx, "L-AERTS"); err != nil {
		t.Fatalf("the learner is gone after refused erasures: %v", err)
	}

	r = c.Post("/learners/L-AERTS/erase", url.Values{"confirm": {" L-AERTS "}})
	servertest.WantStatus(t, "erase", r, http.StatusSeeOther)
	loc, err := url.Parse(r.Header().Get("Location"))
	if err != nil || loc.Path != "/learners" || loc.Query().Get("erased") == "" {
		t.Fatalf("redirect to %q, want the learner list naming the pseudonym", r.Header().Get("Location"))
	}
	pseudonym := loc.Query().Get("erased")
	list := c.Get(r.Header().Get("Location"))
	servertest.WantStatus(t, "learner list", list, http.StatusOK)
	servertest.WantBody(t, "learner list", list, locale.T("nl", "erase.done", pseudonym), "Anoniem, Anoniem")
	for _, v := range []string{"Aerts, Amina", `/learners/L-AERTS"`} { // neither can occur in a random token
		if strings.Contains(list.Body.String(), v) {
			t.Errorf("the learner list still holds %q", v)
		}
	}
	if _, err := a.DB.ExportLearner(ctx, "L-AERTS"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("ExportLearner(L-AERTS) after the erasure: %v, want ENOTFOUND", err)
	}
	servertest.WantStatus(t, "the old learner page", a.SignIn("root").Get("/learners/L-AERTS"), http.StatusNotFound)
	servertest.WantStatus(t, "the old download", a.SignIn("root").Get("/learners/L-AERTS/export.json"), http.StatusNotFound)
	x, err := a.DB.ExportLearner(ctx, pseudonym)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(x)
	for _, v := range []string{"L-AERTS", "Amina", "Aerts"} {
		if strings.Contains(string(b), v) {
			t.Errorf("the erased learner's data still holds %q", v)
		}
	}
	erased := false
	for _, e := range x.AuditTrail {
		if e.Get("action") == store.AuditErase && e.Get("username") == "k1" {
			erased = true
		}
	}
	if !erased {
		t.Errorf("no erase entry by k1 in the audit trail: %s", b)
	}
	if n := exportEntries(x, "k1"); n != 1 {
		t.Errorf("%d export entries by k1 under the pseudonym, want the one before the erasure: %s", n, b)
	}

	// The list announces an erasure only for a pseudonym: a link cannot make
	// it claim that something else was erased.
	done := locale.T("nl", "erase.done", "")
	done = done[:strings.Index(done, ".")]
	if r := c.Get("/learners?erased=L-DEWULF"); strings.Contains(r.Body.String(), done) {
		t.Errorf("the learner list announces the erasure of L-DEWULF")
	}
}

package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/store"
)

// TestLearnerPersonalDataDownloadAndPrint: a coordinator of the learner's
// provider downloads the same document as `traject learner export` and
// sees it on a printable page; the learner page offers both.
func TestLearnerPersonalDataDownloadAndPrint(t *testing.T) {
	a := newApp(t)
	c := a.signIn("k1")
	page := c.get("/learners/L-AERTS")
	wantStatus(t, "learner page", page, http.StatusOK)
	wantBody(t, "learner page", page, `href="/learners/L-AERTS/export"`, `href="/learners/L-AERTS/export.json"`, `href="/learners/L-AERTS/erase"`)
	if r := a.signIn("c1").get("/learners/L-AERTS"); strings.Contains(r.Body.String(), "/learners/L-AERTS/erase") {
		t.Error("a counsellor is offered the erasure")
	}

	r := c.get("/learners/L-AERTS/export.json")
	wantStatus(t, "download", r, http.StatusOK)
	if cd := r.Header().Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, "L-AERTS") {
		t.Errorf("Content-Disposition %q: want an attachment named after the learner", cd)
	}
	if cc := r.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	want, err := a.db.ExportLearner(context.Background(), "L-AERTS")
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
	if !strings.Contains(r.Body.String(), `"Amina"`) || !strings.Contains(r.Body.String(), `"referrals"`) {
		t.Errorf("download lacks the learner's name or referrals")
	}

	p := c.get("/learners/L-AERTS/export")
	wantStatus(t, "printable page", p, http.StatusOK)
	wantBody(t, "printable page", p, "Amina", "Aerts", "Aanmeldingen", "2025-12-01", "data-print")
}

// TestLearnerErasureFromTheWeb: the erasure needs the learner number typed
// again and the CSRF token; then every identifying value is gone and the
// audit trail records who erased.
func TestLearnerErasureFromTheWeb(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	c := a.signIn("k1")
	wantStatus(t, "confirmation page", c.get("/learners/L-AERTS/erase"), http.StatusOK)

	r := c.post("/learners/L-AERTS/erase", url.Values{"confirm": {"L-DEWULF"}})
	wantStatus(t, "wrong number", r, http.StatusUnprocessableEntity)
	wantBody(t, "wrong number", r, "Het dossiernummer klopt niet")
	r = c.post("/learners/L-AERTS/erase", url.Values{"confirm": {"L-AERTS"}, "csrf": {""}})
	wantStatus(t, "no CSRF token", r, http.StatusForbidden)
	if _, err := a.db.ExportLearner(ctx, "L-AERTS"); err != nil {
		t.Fatalf("the learner is gone after refused erasures: %v", err)
	}

	r = c.post("/learners/L-AERTS/erase", url.Values{"confirm": {" L-AERTS "}})
	wantStatus(t, "erase", r, http.StatusSeeOther)
	loc, err := url.Parse(r.Header().Get("Location"))
	if err != nil || loc.Path != "/learners" || loc.Query().Get("erased") == "" {
		t.Fatalf("redirect to %q, want the learner list naming the pseudonym", r.Header().Get("Location"))
	}
	pseudonym := loc.Query().Get("erased")
	list := c.get(r.Header().Get("Location"))
	wantStatus(t, "learner list", list, http.StatusOK)
	wantBody(t, "learner list", list, pseudonym)
	if strings.Contains(list.Body.String(), "Aerts") {
		t.Error("the learner list still names Aerts")
	}
	if _, err := a.db.ExportLearner(ctx, "L-AERTS"); err == nil {
		t.Error("L-AERTS can still be exported")
	}
	x, err := a.db.ExportLearner(ctx, pseudonym)
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
}

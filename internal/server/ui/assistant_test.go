package ui_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/server/servertest"
)

// agencyList is a referral list as an agency sends it: two title lines,
// Dutch headers, DD.MM.YYYY dates and its own names for the sources.
func agencyList(month string) []byte {
	return []byte("Aanmeldingen Agentschap Integratie en Inburgering\nAfgedrukt op 31." + month + ".2026\n" +
		"Dossiernummer,Datum aanmelding,Doorverwezen door,Contactpersoon\n" +
		"L-AERTS,02." + month + ".2026,AgII,Els\nL-DEWULF,09." + month + ".2026,Zelf,\n")
}

var assistantURL = regexp.MustCompile(`^/imports/assistant/[0-9a-f]{32}$`)

// TestAssistantProposesCorrectsAndRecognises walks a coordinator through
// the mapping assistant: the proposal for an agency's list, a dry run after
// correcting a column and a value, keeping the profile and importing, and
// next month's list recognised and imported with it in two clicks.
func TestAssistantProposesCorrectsAndRecognises(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.SignIn("k1")
	r := c.Upload("/imports/assistant", "Aanmeldingen-2026-03.csv", agencyList("03"))
	servertest.WantStatus(t, "upload", r, http.StatusSeeOther)
	page := r.Header().Get("Location")
	if !assistantURL.MatchString(page) {
		t.Fatalf("upload goes to %q", page)
	}
	r = c.Get(page)
	servertest.WantStatus(t, "proposal", r, http.StatusOK)
	servertest.WantBody(t, "proposal", r, `<option value="referrals" selected>`, `id="skip_rows" name="skip_rows" type="number" min="0" max="100" value="2"`,
		`<option value="DD.MM.YYYY" selected>`, `value="Aanmeldingen-*-*.csv"`)
	for field, col := range map[string]string{"learner": "Dossiernummer", "date": "Datum aanmelding", "source": "Doorverwezen door"} {
		if !regexp.MustCompile(`name="col\.` + field + `">(?s:.*?)<option value="` + col + `" selected>`).MatchString(r.Body.String()) {
			t.Errorf("%s is not proposed from %q", field, col)
		}
	}

	// The coordinator corrects: the provider is a constant, AgII is the agency.
	form := url.Values{"entity": {"referrals"}, "match": {"Aanmeldingen-*.csv"}, "skip_rows": {"2"}, "date_format": {"DD.MM.YYYY"},
		"col.learner": {"Dossiernummer"}, "col.date": {"Datum aanmelding"}, "col.source": {"Doorverwezen door"},
		"col.provider": {"="}, "const.provider": {"P1"},
		"from.source.0": {"AgII"}, "to.source.0": {""}, "from.source.1": {"Zelf"}, "to.source.1": {"self"},
		"action": {"check"}}
	r = c.Post(page, form)
	servertest.WantStatus(t, "dry run with AgII unmapped", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "dry run", r, `Doorverwezen door`, `&#34;AgII&#34; is geen geldige waarde voor verwijzer`)
	form.Set("to.source.0", "agentschap")
	r = c.Post(page, form)
	servertest.WantStatus(t, "dry run", r, http.StatusOK)
	servertest.WantBody(t, "dry run", r, `id="assistant-ok"`, "<td>L-AERTS</td><td>2026-03-02</td><td>agentschap</td><td>P1</td>")

	form.Set("action", "save")
	form.Set("name", "agentschap-maand")
	r = c.Post(page, form)
	servertest.WantStatus(t, "save and import", r, http.StatusOK)
	servertest.WantBody(t, "save and import", r, `id="import-done"`)
	sp, err := a.DB.Profile(context.Background(), "P1", "agentschap-maand")
	if err != nil || sp.Provider != "P1" || sp.CreatedBy != "k1" {
		t.Fatalf("stored profile %+v, %v: want agentschap-maand of P1 by k1", sp, err)
	}
	refs := referralsOf(t, a, "L-AERTS")
	if !strings.Contains(refs, "2026-03-02 agentschap P1") {
		t.Errorf("L-AERTS's referrals: %s", refs)
	}

	// Next month: recognised, imported in two clicks.
	r = c.Upload("/imports/assistant", "Aanmeldingen-2026-04.csv", agencyList("04"))
	next := r.Header().Get("Location")
	r = c.Get(next)
	servertest.WantStatus(t, "next month", r, http.StatusOK)
	servertest.WantBody(t, "next month", r, `id="assistant-recognised"`, "Importeren met profiel agentschap-maand")
	r = c.Post(next+"/profile", url.Values{"profile": {"agentschap-maand"}, "provider": {"P1"}})
	servertest.WantStatus(t, "import with the profile", r, http.StatusOK)
	servertest.WantBody(t, "import with the profile", r, `id="import-done"`)
	if refs := referralsOf(t, a, "L-AERTS"); !strings.Contains(refs, "2026-04-02 agentschap P1") {
		t.Errorf("L-AERTS's referrals after next month: %s", refs)
	}
	// The upload is gone once imported.
	servertest.WantStatus(t, "imported upload", c.Get(next), http.StatusGone)

	// A coordinator of another provider is not offered P1's profile.
	k2 := a.SignIn("k2")
	other := k2.Upload("/imports/assistant", "Aanmeldingen-2026-05.csv", agencyList("05")).Header().Get("Location")
	r = k2.Get(other)
	servertest.WantStatus(t, "k2's upload", r, http.StatusOK)
	if strings.Contains(r.Body.String(), "assistant-recognised") {
		t.Error("k2 is offered the profile of P1")
	}
	servertest.WantStatus(t, "k2 imports with P1's profile", k2.Post(other+"/profile", url.Values{"profile": {"agentschap-maand"}, "provider": {"P1"}}), http.StatusNotFound)
}

func referralsOf(t *testing.T, a *servertest.App, learner string) string {
	t.Helper()
	x, err := a.DB.ExportLearner(context.Background(), learner)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range x.Referrals {
		out = append(out, strings.TrimSpace(strings.Join([]string{str(r.Get("date")), str(r.Get("source")), str(r.Get("provider"))}, " ")))
	}
	return strings.Join(out, "; ")
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// TestAssistantRefusals: other roles, other users' uploads, profiles of
// other providers and files that are no CSV or workbook.
func TestAssistantRefusals(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	if r := a.SignIn("t1").Upload("/imports/assistant", "Aanmeldingen.csv", agencyList("03")); r.Code != http.StatusForbidden {
		t.Errorf("a teacher's upload: %d, want 403", r.Code)
	}
	c := a.SignIn("k1")
	r := c.Upload("/imports/assistant", "lijst.pdf", []byte("%PDF"))
	servertest.WantStatus(t, "a PDF", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "a PDF", r, "lijst.pdf is geen .csv- of .xlsx-bestand")
	// A damaged workbook is refused at the upload (the assistant keeps no
	// file it cannot read): the reason reads in Dutch, and in English when
	// chosen.
	broken := []byte("PK\x03\x04 kapot")
	r = c.Upload("/imports/assistant", "lijst.xlsx", broken)
	servertest.WantStatus(t, "a damaged workbook", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "a damaged workbook", r, "lijst.xlsx is geen leesbare werkmap")
	c.Lang = "en"
	servertest.WantBody(t, "a damaged workbook in English", c.Upload("/imports/assistant", "lijst.xlsx", broken), "lijst.xlsx is not a readable workbook")
	c.Lang = ""
	page := c.Upload("/imports/assistant", "Aanmeldingen.csv", agencyList("03")).Header().Get("Location")
	if r := a.SignIn("root").Get(page); r.Code != http.StatusGone {
		t.Errorf("another user opens k1's upload: %d, want 410", r.Code)
	}
	r = c.Post(page+"/profile", url.Values{"profile": {"nope"}})
	servertest.WantStatus(t, "an unknown profile", r, http.StatusNotFound)
	r = c.Post(page, url.Values{"entity": {"referrals"}, "action": {"save"}, "col.learner": {"Dossiernummer"}})
	servertest.WantStatus(t, "no name", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "no name", r, "name: een profiel heeft een naam nodig")
}

// TestAssistantOffersTheShippedExamples: an evaluation sheet like the
// shipped example's is offered that example as a starting point, and the
// form then starts from its reading (constants, "niet getest" to blank).
func TestAssistantOffersTheShippedExamples(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.SignIn("k1")
	data, err := os.ReadFile(filepath.Join("../../../testdata/profiles/centrum/export", "Evaluaties-2026-03.csv"))
	if err != nil {
		t.Fatal(err)
	}
	page := c.Upload("/imports/assistant", "toetsen-april.csv", data).Header().Get("Location")
	r := c.Get(page)
	servertest.WantStatus(t, "proposal", r, http.StatusOK)
	link := page + "?example=centrumsoftware&amp;entry=3"
	servertest.WantBody(t, "proposal", r, `id="assistant-examples"`, `href="`+link+`"`)
	r = c.Get(html.UnescapeString(link))
	servertest.WantStatus(t, "from the example", r, http.StatusOK)
	body := r.Body.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`name="col\.kind">(?s:.*?)<option value="=" selected>`),
		regexp.MustCompile(`name="const\.kind"(?s:.*?)<option value="external_test" selected>`),
		regexp.MustCompile(`name="to\.reading\.\d+">(?s:.*?)<option value="∅" selected>`),
		regexp.MustCompile(`value="toetsen-april\.csv"`),
	} {
		if !want.MatchString(body) {
			t.Errorf("the form from the example lacks %s", want)
		}
	}
}

// agencyForm is the assistant's form for agencyList, saving a profile
// named name for provider.
func agencyForm(name, provider string) url.Values {
	return url.Values{"entity": {"referrals"}, "match": {"Aanmeldingen-*.csv"}, "skip_rows": {"2"}, "date_format": {"DD.MM.YYYY"},
		"col.learner": {"Dossiernummer"}, "col.date": {"Datum aanmelding"}, "col.source": {"Doorverwezen door"},
		"col.provider": {"="}, "const.provider": {provider},
		"from.source.0": {"AgII"}, "to.source.0": {"agentschap"}, "from.source.1": {"Zelf"}, "to.source.1": {"self"},
		"action": {"save"}, "name": {name}}
}

// TestProfileNamesTellNothingOfOtherProviders: a coordinator who saves a
// profile under a name another provider uses is not told so, nor whose it
// is (issue 18): each provider keeps its own names. Neither profile
// changes the other, and each coordinator is offered their own.
func TestProfileNamesTellNothingOfOtherProviders(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	ctx := context.Background()
	k1, k2 := a.SignIn("k1"), a.SignIn("k2")
	page := k1.Upload("/imports/assistant", "Aanmeldingen-2026-03.csv", agencyList("03")).Header().Get("Location")
	servertest.WantBody(t, "k1 saves", k1.Post(page, agencyForm("agentschap-maand", "P1")), `id="import-done"`)

	// k2 lists learners of P2 only: the list names none, so the referral
	// rows are about no learner k2 may not link; the profile is saved.
	list := []byte("Aanmeldingen Agentschap Integratie en Inburgering\nAfgedrukt op 31.03.2026\n" +
		"Dossiernummer,Datum aanmelding,Doorverwezen door,Contactpersoon\nL-XHONNEUX,02.03.2026,AgII,Els\n")
	page = k2.Upload("/imports/assistant", "Aanmeldingen-2026-03.csv", list).Header().Get("Location")
	r := k2.Post(page, agencyForm("agentschap-maand", "P2"))
	servertest.WantStatus(t, "k2 saves the same name", r, http.StatusOK)
	servertest.WantBody(t, "k2 saves the same name", r, `id="import-done"`)
	for _, leak := range []string{"hoort al bij", "P1", "CVO Een"} {
		if strings.Contains(r.Body.String(), leak) {
			t.Errorf("k2's answer names %q", leak)
		}
	}
	mine, err := a.DB.Profile(ctx, "P1", "agentschap-maand")
	if err != nil || mine.CreatedBy != "k1" || mine.Profile.Files[0].Constants["provider"] != "P1" {
		t.Fatalf("P1's profile after k2's save: %+v, %v", mine, err)
	}
	if theirs, err := a.DB.Profile(ctx, "P2", "agentschap-maand"); err != nil || theirs.CreatedBy != "k2" {
		t.Fatalf("P2's profile: %+v, %v", theirs, err)
	}
	// Next month each coordinator is offered, and imports with, their own.
	for who, c := range map[string]*servertest.Client{"k1": k1, "k2": k2} {
		next := c.Upload("/imports/assistant", "Aanmeldingen-2026-04.csv", agencyList("04")).Header().Get("Location")
		r := c.Get(next)
		if n := strings.Count(r.Body.String(), "Importeren met profiel agentschap-maand"); n != 1 {
			t.Errorf("%s is offered %d profiles named agentschap-maand, want their own", who, n)
		}
	}
}

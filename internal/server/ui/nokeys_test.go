package ui_test

import (
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

// keyLike is what a catalogue key looks like: lower-case words joined by
// dots ("imp.ent.observations", "field.first_name").
var keyLike = regexp.MustCompile(`\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b`)

// tagOrScript is markup, a script or a style, whose text no reader sees.
var tagOrScript = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)

// fileExt ends what is a file's name rather than a key ("learners.csv").
var fileExt = regexp.MustCompile(`\.(csv|xlsx|zip|json|db|png|sql|html|txt)$`)

// rawKeys returns the texts of page that look like a catalogue key that
// reached the reader untranslated: a key of the catalogue, or a word of one
// of its families ("imp.ent.x", "field.x") that no file name explains.
func rawKeys(page string, families map[string]bool) []string {
	text := html.UnescapeString(tagOrScript.ReplaceAllString(page, " "))
	var out []string
	for _, m := range keyLike.FindAllString(text, -1) {
		family, _, _ := strings.Cut(m, ".")
		if locale.Has(m) || families[family] && !fileExt.MatchString(m) {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// TestPagesShowNoKeys: no page of any role, in Dutch or in English, shows a
// text key instead of its text (issue 20): the catalogue test holds the
// keys the code names to the catalogue; this one holds what reaches the
// page, computed keys included (the import's tables, the fields of its
// messages, the codes of the lists).
func TestPagesShowNoKeys(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	families := map[string]bool{}
	for _, k := range locale.Keys(locale.Default) {
		f, _, _ := strings.Cut(k, ".")
		families[f] = true
	}
	// A learner list through the assistant and a workbook with mistakes, so
	// that the history, the counts and the error table have rows of every kind.
	k1 := a.As("coordinator")
	data := []byte("Stamnummer;Voornaam;Familienaam;Geboortedatum;Geslacht (M/V);Moedertaal\nP1;Amal;Haddad;03-07-1990;V;Arabisch\n")
	page := k1.Upload("/imports/assistant", "Cursistenlijst 2026-03.csv", data).Header().Get("Location")
	form := cursistenForm("save")
	form.Del("from.gender.1")
	form.Del("from.gender.2")
	servertest.WantStatus(t, "import", k1.Post(page, form), http.StatusOK)
	bad := k1.Upload("/imports", "lerenden.xlsx", servertest.NewLearnerWorkbook(t, "P2", "31/02/1991"))

	pages := map[string][]string{
		"teacher":     {"/groups", "/groups/G1", "/learners"},
		"counsellor":  {"/learners", "/learners/L-AERTS", "/learners/L-BOSMANS"},
		"coordinator": {"/dashboard", "/imports", "/imports/history", "/exports", "/schedules", "/quality", "/surveys", "/learners/L-AERTS", "/groups/G1"},
		"admin":       {"/dashboard", "/admin", "/admin/users", "/admin/backup", "/imports/history", "/learners/L-AERTS/export"},
	}
	for _, lang := range []string{"nl", "en"} {
		bodies := map[string]string{"import errors": bad.Body.String()}
		for _, role := range []string{"teacher", "counsellor", "coordinator", "admin"} {
			c := a.As(role)
			c.Lang = lang
			for _, p := range pages[role] {
				r := c.Get(p)
				if r.Code != http.StatusOK {
					t.Errorf("%s %s %s: %d", lang, role, p, r.Code)
					continue
				}
				bodies[role+" "+p] = r.Body.String()
			}
		}
		if lang == "nl" {
			c := a.As("coordinator")
			bodies["assistant"] = c.Get(page).Body.String()
		}
		for name, body := range bodies {
			if keys := rawKeys(body, families); len(keys) > 0 {
				t.Errorf("%s %s shows text keys: %q", lang, name, keys)
			}
		}
	}
	// The test sees a key that does reach a page.
	if got := rawKeys("<p>imp.ent.observations en field.first_name, niet learners.csv</p>", families); len(got) != 2 {
		t.Errorf("rawKeys found %q, want the two keys", got)
	}
}

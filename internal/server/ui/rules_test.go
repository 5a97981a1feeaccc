package ui_test

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/importer"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

// importFile imports one CSV file (header and one row) into a's database
// as the CLI does, as a dry run, and returns the report's errors in both
// languages: "column: message".
func importFile(t *testing.T, a *servertest.App, name, csv string) map[string][]string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := importer.Path(context.Background(), a.DB, dir, importer.Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, e := range rep.Errors {
		for _, lang := range []string{"en", "nl"} {
			out[lang] = append(out[lang], e.Column+": "+e.In(lang))
		}
	}
	return out
}

// TestWebAndImportRefuseAlike sends the same bad evaluation, observation
// and outflow through the web's form and through an import (issue 19,
// point 2): both refuse it, with the same message, in Dutch and in
// English, because both ask the one check of domain. On main the forms
// worded each rule their own way.
func TestWebAndImportRefuseAlike(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	grid, outflow := gridForm, func(f url.Values) url.Values { return f }
	const evalHead = "learner,group,date,kind,listening,reading,spoken_interaction,spoken_production,writing,decision,evaluator,feedback\n"
	const obsHead = "learner,group,date,wellbeing,involvement,observer,note\n"
	const outHead = "learner,date,type,reason,destination,provider\n"
	const gridPath, obsPath, outPath = "/groups/G1/evaluations", "/groups/G1/observations", "/learners/L-AERTS/outflows"
	long := strings.Repeat("x", domain.MaxTextLength+1)
	tests := []struct {
		name       string
		role, path string
		form       url.Values // the record on the web
		file, csv  string     // the record in an import
		column     string     // the column the import names
	}{
		{"a pass without a level", "teacher", gridPath,
			grid(map[string]string{"r0.decision": "pass", "r0.date": "2026-03-13", "r0.feedback": "x"}),
			"evaluations.csv", evalHead + "L-AERTS,G1,2026-03-13,module_end,,,,,,pass,t1,x\n", "decision"},
		{"a level of a skill the module does not evaluate", "teacher", gridPath,
			grid(map[string]string{"r0.listening": "A1", "r0.writing": "A1", "r0.decision": "pass", "r0.date": "2026-03-13"}),
			"evaluations.csv", evalHead + "L-AERTS,G1,2026-03-13,module_end,A1,,,,A1,pass,t1,\n", "writing"},
		{"feedback too long", "teacher", gridPath,
			grid(map[string]string{"r0.listening": "A1", "r0.decision": "pass", "r0.date": "2026-03-13", "r0.feedback": long}),
			"evaluations.csv", evalHead + "L-AERTS,G1,2026-03-13,module_end,A1,,,,,pass,t1," + long + "\n", "feedback"},
		{"an observation before the enrollment", "teacher", obsPath, obsForm("2026-01-02", map[string]string{"o0.wellbeing": "4"}),
			"observations.csv", obsHead + "L-AERTS,G1,2026-01-02,4,,t1,\n", "date"},
		{"an observation after the enrollment", "teacher", obsPath, obsForm("2026-03-13", map[string]string{"o2.wellbeing": "3"}),
			"observations.csv", obsHead + "L-ENGELS,G1,2026-03-13,3,,t1,\n", "date"},
		{"a score of 6", "teacher", obsPath, obsForm("2026-03-13", map[string]string{"o0.wellbeing": "6"}),
			"observations.csv", obsHead + "L-AERTS,G1,2026-03-13,6,,t1,\n", "wellbeing"},
		{"an early leaver without a reason", "counsellor", outPath, outflow(url.Values{"date": {"2026-03-01"}, "type": {"early_leaver"}}),
			"outflows.csv", outHead + "L-AERTS,2026-03-01,early_leaver,,,\n", "reason"},
		{"a reason for a qualified outflow", "counsellor", outPath,
			outflow(url.Values{"date": {"2026-03-01"}, "type": {"qualified"}, "reason": {"work"}}),
			"outflows.csv", outHead + "L-AERTS,2026-03-01,qualified,work,,\n", "reason"},
		{"an unknown type of outflow", "counsellor", outPath, outflow(url.Values{"date": {"2026-03-01"}, "type": {"retired"}}),
			"outflows.csv", outHead + "L-AERTS,2026-03-01,retired,,,\n", "type"},
	}
	before, err := a.DB.LoadDataSet(context.Background(), "evaluations", "observations", "outflows")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imported := importFile(t, a, tt.file, tt.csv)
			if len(imported["en"]) != 1 || !strings.HasPrefix(imported["en"][0], tt.column+": ") {
				t.Fatalf("the import reports %q, want one error on %s", imported["en"], tt.column)
			}
			for _, lang := range []string{"nl", "en"} {
				want := strings.TrimPrefix(imported[lang][0], tt.column+": ")
				c := a.As(tt.role)
				c.Lang = lang
				rec := c.Post(tt.path, cloneValues(tt.form))
				servertest.WantStatus(t, tt.name+" on the web", rec, http.StatusUnprocessableEntity)
				if !strings.Contains(rec.Body.String(), template.HTMLEscapeString(want)) {
					t.Errorf("%s, %s: the web's page lacks the import's message %q", tt.name, lang, want)
				}
			}
		})
	}
	after, err := a.DB.LoadDataSet(context.Background(), "evaluations", "observations", "outflows")
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Evaluations) != len(before.Evaluations) || len(after.Observations) != len(before.Observations) ||
		len(after.Outflows) != len(before.Outflows) {
		t.Errorf("a refused record was stored")
	}
}

// cloneValues copies a form, so that a post (which sets its CSRF token)
// leaves the case's form as it was.
func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// TestImportedFeedbackSavesOnGrid: a feedback an import accepts is free
// text of the one limit (domain.MaxTextLength) on the grid too, so its
// grid row saves again unchanged (issue 19, point 2). On main the import
// took 4,000 characters and the grid refused more than 2,000.
func TestImportedFeedbackSavesOnGrid(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	feedback := strings.Repeat("Goed gewerkt. ", domain.MaxTextLength/14)
	ev := domain.Evaluation{Learner: "L-AERTS", Group: "G1", Date: domain.MustDate("2026-03-10"), Kind: "module_end",
		Levels: domain.NoLevels, Decision: "pass", Evaluator: "t1", Feedback: strings.TrimSpace(feedback)}
	ev.Levels[domain.Listening] = 2
	rep, err := importer.DataSet(context.Background(), a.DB, &domain.DataSet{Evaluations: []domain.Evaluation{ev}}, importer.Options{})
	if err != nil || !rep.OK() {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	r := a.As("teacher").Post("/groups/G1/evaluations", gridForm(map[string]string{"r0.orig": "2026-03-10", "r0.date": "2026-03-10",
		"r0.listening": "A1", "r0.decision": "pass", "r0.feedback": ev.Feedback, "r1.learner": "L-DEWULF"}))
	servertest.WantStatus(t, "the imported row saved again", r, http.StatusSeeOther)
}

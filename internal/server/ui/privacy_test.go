package ui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testdb"
)

// Issue 18: what one provider's users may write about and read of a
// learner that another provider shares, and what is recorded of it.

// addData stores ds over the fixture, as an import by an admin would.
func addData(t *testing.T, a *servertest.App, ds *domain.DataSet) {
	t.Helper()
	ctx := context.Background()
	tx, err := a.DB.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Upsert(ctx, ds, nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// outflowsOf returns the stored outflows of learner, by date.
func outflowsOf(t *testing.T, a *servertest.App, learner string) []domain.Outflow {
	t.Helper()
	ds, err := a.DB.LoadDataSet(context.Background(), "outflows")
	if err != nil {
		t.Fatal(err)
	}
	var out []domain.Outflow
	for _, o := range ds.Outflows {
		if o.Learner == learner {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(x, y domain.Outflow) int { return int(x.Date - y.Date) })
	return out
}

// auditCount counts every entry of the audit trail.
func auditCount(t *testing.T, a *servertest.App) int {
	t.Helper()
	var n int
	for _, learner := range []string{"L-AERTS", "L-DEWULF", "L-BOSMANS", "L-ENGELS", "L-ZEGERS", "L-XHONNEUX"} {
		trail, err := a.DB.ListAudit(context.Background(), learner, 10000)
		if err != nil {
			t.Fatal(err)
		}
		n += len(trail)
	}
	others, err := a.DB.ListAuditOf(context.Background(), "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	return n + len(others)
}

var providerOptionRE = regexp.MustCompile(`(?s)<select id="out-provider".*?</select>`)
var optionValueRE = regexp.MustCompile(`<option value="([^"]*)"`)

// outflowProviderOptions returns the providers the outflow form of a
// learner page offers (the blank choice left out).
func outflowProviderOptions(t *testing.T, what, body string) []string {
	t.Helper()
	sel := providerOptionRE.FindString(body)
	if sel == "" {
		t.Fatalf("%s: the page has no outflow provider choice", what)
	}
	var out []string
	for _, m := range optionValueRE.FindAllStringSubmatch(sel, -1) {
		if m[1] != "" {
			out = append(out, m[1])
		}
	}
	return out
}

// TestOutflowFormProviders checks finding 3: the outflow form offers, and
// accepts, only providers the learner is linked to that the user may act
// for (an admin: any), and no one overwrites another provider's outflow.
func TestOutflowFormProviders(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	addData(t, a, &domain.DataSet{Providers: []domain.Provider{{Code: "P3", Name: "Syntra Drie", Type: "syntra"}}})

	// L-AERTS is P1's only: referred to P1, placed into M1, enrolled in G1.
	for _, tc := range []struct {
		role string
		want []string
	}{
		{"counsellor", []string{"P1"}},
		{"coordinator", []string{"P1"}},
		{"admin", []string{"P1", "P2", "P3"}},
	} {
		r := a.As(tc.role).Get("/learners/L-AERTS")
		servertest.WantStatus(t, tc.role+" learner page", r, http.StatusOK)
		if got := outflowProviderOptions(t, tc.role, r.Body.String()); !slices.Equal(got, tc.want) {
			t.Errorf("%s: outflow form offers %v, want %v", tc.role, got, tc.want)
		}
	}

	outflow := func(date, provider string) url.Values {
		return url.Values{"date": {date}, "type": {"early_leaver"}, "reason": {"work"}, "provider": {provider}}
	}
	before := auditCount(t, a)
	for _, tc := range []struct{ role, provider string }{
		{"counsellor", "P2"}, {"counsellor", "P3"}, {"coordinator", "P2"}, {"coordinator", "P3"},
	} {
		what := tc.role + " outflow from " + tc.provider
		r := a.As(tc.role).Post("/learners/L-AERTS/outflows", outflow("2026-03-01", tc.provider))
		servertest.WantStatus(t, what, r, http.StatusBadRequest)
		servertest.WantBody(t, what, r, "Kies een aanbieder waarvoor je deze lerende mag laten uitstromen.")
	}
	htmx := a.As("coordinator")
	htmx.HTMX = true
	r := htmx.Post("/learners/L-AERTS/outflows", outflow("2026-03-01", "P2"))
	servertest.WantStatus(t, "htmx outflow from P2", r, http.StatusBadRequest)
	if r.Header().Get("HX-Retarget") != "#learner-main" {
		t.Errorf("htmx outflow from P2: HX-Retarget %q, want the form's section", r.Header().Get("HX-Retarget"))
	}
	if got := outflowsOf(t, a, "L-AERTS"); len(got) != 0 {
		t.Errorf("refused outflows stored: %+v", got)
	}
	if n := auditCount(t, a); n != before {
		t.Errorf("refused outflows left %d audit entries", n-before)
	}
	r = a.As("admin").Post("/learners/L-AERTS/outflows", outflow("2026-03-01", "P3"))
	servertest.WantStatus(t, "admin outflow from P3", r, http.StatusSeeOther)
	if got := outflowsOf(t, a, "L-AERTS"); len(got) != 1 || got[0].Provider != "P3" {
		t.Errorf("admin's outflow: stored %+v", got)
	}

	// L-ZEGERS becomes P1's too (a referral), and P2 records her outflow of
	// 2026-03-02: P1's coordinator may not overwrite it, with P1 or with no
	// provider; P2's may, and her counsellor (c2) may.
	addData(t, a, &domain.DataSet{
		Referrals: []domain.Referral{{Learner: "L-ZEGERS", Date: domain.MustDate("2025-11-15"), Source: "self", Provider: "P1"}},
		Outflows: []domain.Outflow{{Learner: "L-ZEGERS", Date: domain.MustDate("2026-03-02"), Type: "qualified",
			Provider: "P2"}}})
	r = a.As("coordinator").Get("/learners/L-ZEGERS")
	servertest.WantStatus(t, "coordinator L-ZEGERS", r, http.StatusOK)
	if got := outflowProviderOptions(t, "coordinator L-ZEGERS", r.Body.String()); !slices.Equal(got, []string{"P1"}) {
		t.Errorf("P1's coordinator is offered %v for a learner of P1 and P2, want [P1]", got)
	}
	r = a.As("counsellor2").Get("/learners/L-ZEGERS")
	if got := outflowProviderOptions(t, "counsellor2 L-ZEGERS", r.Body.String()); !slices.Equal(got, []string{"P1", "P2"}) {
		t.Errorf("L-ZEGERS' counsellor is offered %v, want [P1 P2]", got)
	}
	before = auditCount(t, a)
	for _, provider := range []string{"P1", ""} {
		what := "P1 overwrites P2's outflow with provider " + provider
		r := a.As("coordinator").Post("/learners/L-ZEGERS/outflows", outflow("2026-03-02", provider))
		servertest.WantStatus(t, what, r, http.StatusUnprocessableEntity)
		servertest.WantBody(t, what, r, "Op deze datum staat al een uitstroom van een andere aanbieder.")
	}
	if got := outflowsOf(t, a, "L-ZEGERS"); len(got) != 1 || got[0].Provider != "P2" || got[0].Type != "qualified" {
		t.Errorf("P2's outflow after refused overwrites: %+v", got)
	}
	if n := auditCount(t, a); n != before {
		t.Errorf("refused overwrites left %d audit entries", n-before)
	}
	servertest.WantStatus(t, "P1 outflow on another day", a.As("coordinator").Post("/learners/L-ZEGERS/outflows", outflow("2026-03-03", "P1")), http.StatusSeeOther)
	servertest.WantStatus(t, "P2 changes its own", a.As("coordinator2").Post("/learners/L-ZEGERS/outflows", outflow("2026-03-02", "P2")), http.StatusSeeOther)
	if got := outflowsOf(t, a, "L-ZEGERS"); len(got) != 2 || got[0].Type != "early_leaver" || got[0].Provider != "P2" || got[1].Provider != "P1" {
		t.Errorf("outflows of L-ZEGERS: %+v", got)
	}
	servertest.WantStatus(t, "her counsellor", a.As("counsellor2").Post("/learners/L-ZEGERS/outflows", outflow("2026-03-02", "P1")), http.StatusSeeOther)
}

// responseEntity is how the learner page's history names a survey response.
const responseEntity = "antwoord op een bevraging"

// answerSurvey answers round r in learner's name through the public page,
// with comment.
func answerSurvey(t *testing.T, a *servertest.App, r *store.SurveyRound, learner, comment string) {
	t.Helper()
	rec := a.PhoneAt("192.0.2.10").Answer(t, r, url.Values{"wellbeing": {"2"}, "satisfaction": {"1"},
		"learner": {learner}, "comment": {comment}})
	servertest.WantStatus(t, "survey answer", rec, http.StatusOK)
}

// TestHistoryHidesSurveyAnswers checks finding 6: a named survey answer is
// in the history of the learner page only for the coordinators of its
// provider and admins (auth.CanSeeResponse), and its comment for no one;
// the audit trail does not hold the comment at all.
func TestHistoryHidesSurveyAnswers(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	const comment = "Mijn lesgever is oneerlijk"
	answerSurvey(t, a, servertest.OpenRound(t, a, "2026-03-31", servertest.Now), "L-AERTS", comment)
	if got := servertest.Responses(t, a); len(got) != 1 || got[0].Learner != "L-AERTS" || got[0].Comment != comment {
		t.Fatalf("stored responses %+v, want one of L-AERTS with the comment", got)
	}

	trail, err := a.DB.ListAudit(context.Background(), "L-AERTS", 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range trail {
		if r.Entity == "survey_responses" {
			found = true
		}
		if strings.Contains(string(r.After)+string(r.Before), "oneerlijk") {
			t.Errorf("the audit trail holds the comment: %s %s %s", r.Action, r.Entity, r.After)
		}
	}
	if !found {
		t.Error("the answer is not in the audit trail")
	}

	for _, tc := range []struct {
		role string
		see  bool // the answer's event
	}{{"teacher", false}, {"counsellor", false}, {"coordinator", true}, {"admin", true}} {
		r := a.As(tc.role).Get("/learners/L-AERTS")
		servertest.WantStatus(t, tc.role, r, http.StatusOK)
		body := r.Body.String()
		if strings.Contains(body, "oneerlijk") {
			t.Errorf("%s: the learner page shows the survey comment", tc.role)
		}
		if got := strings.Contains(body, responseEntity); got != tc.see {
			t.Errorf("%s: the history shows the survey answer: %v, want %v", tc.role, got, tc.see)
		}
	}

	// The access export of P1's coordinator holds the learner's own answer
	// to P1, comment included (spec/domain.md, "Access"); once L-AERTS is
	// P2's too, P2's coordinator's export and page do not hold P1's answer.
	r := a.As("coordinator").Get("/learners/L-AERTS/export.json")
	servertest.WantStatus(t, "P1 export", r, http.StatusOK)
	if n := strings.Count(r.Body.String(), "oneerlijk"); n != 1 {
		t.Errorf("P1's export holds the comment %d times, want once (the response, not the trail)", n)
	}
	addData(t, a, &domain.DataSet{Referrals: []domain.Referral{{Learner: "L-AERTS", Date: domain.MustDate("2026-03-01"),
		Source: "self", Provider: "P2"}}})
	for _, path := range []string{"/learners/L-AERTS/export.json", "/learners/L-AERTS/export", "/learners/L-AERTS"} {
		r := a.As("coordinator2").Get(path)
		servertest.WantStatus(t, "P2 "+path, r, http.StatusOK)
		if body := r.Body.String(); strings.Contains(body, "oneerlijk") || strings.Contains(body, `"survey_responses": [
    {`) || strings.Contains(body, responseEntity) {
			t.Errorf("P2's %s shows P1's survey answer", path)
		}
	}
}

// readsOf lists the recorded reads of learner as "user action".
func readsOf(t *testing.T, a *servertest.App, learner string) []string {
	t.Helper()
	reads, err := a.DB.ListReads(context.Background(), learner, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range reads {
		out = append(out, r.Username+" "+r.Action)
	}
	slices.Reverse(out) // oldest first
	return out
}

// TestLearnerReadsAudited checks that opening a learner's page and reading
// the learner through the API are in the audit trail, as the web export is
// (issue 18), and that the page's history of changes does not fill up with
// them: the reads are listed in the personal-data box.
func TestLearnerReadsAudited(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	servertest.WantStatus(t, "counsellor's page", a.As("counsellor").Get("/learners/L-AERTS"), http.StatusOK)
	servertest.WantStatus(t, "teacher's page", a.As("teacher").Get("/learners/L-AERTS"), http.StatusOK)
	servertest.WantStatus(t, "API", a.BearerOf("c1").Get("/api/v1/learners/L-AERTS"), http.StatusOK)
	servertest.WantStatus(t, "refused page", a.As("counsellor2").Get("/learners/L-AERTS"), http.StatusForbidden)
	servertest.WantStatus(t, "refused API", a.BearerOf("c2").Get("/api/v1/learners/L-AERTS"), http.StatusForbidden)
	want := []string{"c1 view", "t1 view", "c1 view"}
	if got := readsOf(t, a, "L-AERTS"); !slices.Equal(got, want) {
		t.Errorf("reads of L-AERTS = %q, want %q", got, want)
	}

	// The history shows changes only; the coordinator's personal-data box
	// lists who looked, their own look included.
	r := a.As("coordinator").Get("/learners/L-AERTS")
	body := r.Body.String()
	history := body[strings.Index(body, `id="history"`):]
	if strings.Contains(history, "bekeken") {
		t.Error("the history of changes lists page views")
	}
	servertest.WantBody(t, "personal-data box", r, "Wie deze lerende onlangs inzag")
	personal := body[strings.Index(body, `id="personal"`):strings.Index(body, `id="history"`)]
	if strings.Count(personal, "bekeken") != 4 || !strings.Contains(personal, "k1") {
		t.Errorf("the personal-data box lists %d views, want 4 with k1's", strings.Count(personal, "bekeken"))
	}
	if strings.Contains(a.As("counsellor").Get("/learners/L-AERTS").Body.String(), "Wie deze lerende onlangs inzag") {
		t.Error("a counsellor sees who looked at the learner")
	}
}

// settingTrail lists the audit trail of settings, oldest first, as
// "user action key before → after".
func settingTrail(t *testing.T, a *servertest.App) []string {
	t.Helper()
	trail, err := a.DB.ListAuditOf(context.Background(), "settings", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range trail {
		out = append(out, r.Username+" "+r.Action+" "+r.Key+" "+string(r.Before)+" → "+string(r.After))
	}
	slices.Reverse(out)
	return out
}

// TestSettingsChangesAudited: a change of the retention period or of the
// backup schedule on the web is in the audit trail, who and when, before
// and after (issue 18), and on the administration's home page.
func TestSettingsChangesAudited(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	root := a.As("admin")
	for _, years := range []string{"5", "5", "7", ""} {
		servertest.WantStatus(t, "retention "+years, root.Post("/admin/retention", url.Values{"years": {years}, "confirm": {"1"}}), http.StatusSeeOther)
	}
	want := []string{
		`root create retention_years  → {"years":5}`,
		`root update retention_years {"years":5} → {"years":7}`,
		`root delete retention_years {"years":7} → `,
	}
	if !testdb.Postgres() {
		servertest.WantStatus(t, "backup", root.Post("/admin/backup", url.Values{"cron": {"0 2 * * *"}, "keep": {"14"}}), http.StatusSeeOther)
		servertest.WantStatus(t, "backup again", root.Post("/admin/backup", url.Values{"cron": {"0 3 * * *"}, "keep": {"14"}}), http.StatusSeeOther)
		servertest.WantStatus(t, "backup off", root.Post("/admin/backup/off", nil), http.StatusSeeOther)
		servertest.WantStatus(t, "backup off again", root.Post("/admin/backup/off", nil), http.StatusSeeOther)
		dir, _ := json.Marshal(filepath.Join(filepath.Dir(a.DB.Path()), "backups"))
		want = append(want,
			`root create backup_schedule  → {"cron":"0 2 * * *","dir":`+string(dir)+`,"keep":14}`,
			`root update backup_schedule {"cron":"0 2 * * *","dir":`+string(dir)+`,"keep":14} → {"cron":"0 3 * * *","dir":`+string(dir)+`,"keep":14}`,
			`root delete backup_schedule {"cron":"0 3 * * *","dir":`+string(dir)+`,"keep":14} → `)
	}
	if got := settingTrail(t, a); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("trail of settings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	servertest.WantBody(t, "admin home", root.Get("/admin"), "instelling")
}

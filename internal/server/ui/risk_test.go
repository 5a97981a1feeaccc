package ui_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/demo"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/risk"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testkit"
)

// The early warning on the web (issue 21, point 3): a demo region with
// models trained by the weekly job, the server's clock on Sunday 15 March
// 2026.

// riskAccounts are the demo region's accounts of these tests.
var riskAccounts = []domain.User{
	{Username: "begeleider", Role: domain.RoleCounsellor}, // renamed to the busiest counsellor below
	{Username: "coord", Role: domain.RoleCoordinator, Providers: []string{"CVO-ANT"}},
	{Username: "beheer", Role: domain.RoleAdmin},
	{Username: "lesgever", Role: domain.RoleTeacher},
}

// riskTrainedAt is when the test's trainings ran.
var riskTrainedAt = time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)

// riskDemo is a server over a demo region of 1,500 learners with the
// early warning's models of two Mondays (2026-02-02 and 2026-03-02), and
// the user name of the counsellor of the most learners.
func riskDemo(t *testing.T) (*servertest.App, string) {
	t.Helper()
	dsn := testkit.Built(t, "risk_demo", func(ctx context.Context, db *store.DB) error {
		if err := testkit.Upsert(ctx, db, demo.Generate(demo.Options{Learners: 1500})); err != nil {
			return err
		}
		busiest, err := db.BusiestCounsellor(ctx)
		if err != nil {
			return err
		}
		us := append([]domain.User(nil), riskAccounts...)
		us[0].Username = busiest
		if err := testkit.CreateUsers(ctx, db, us); err != nil {
			return err
		}
		for _, day := range []string{"2026-02-02", "2026-03-02"} {
			if _, err := db.TrainRiskModel(ctx, domain.MustDate(day), "", riskTrainedAt, 0); err != nil {
				return err
			}
		}
		return nil
	})
	a := servertest.NewOn(t, dsn)
	busiest, err := a.DB.BusiestCounsellor(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return a, busiest
}

// riskRow is one row of the learner list: the learner and the risk cell.
type riskRow struct {
	ID, Cell string
	Percent  int // -1: no estimate
}

var (
	rowRe     = regexp.MustCompile(`(?s)<tr[^>]*>\s*<th scope="row"><a href="/learners/([^"]+)">.*?</tr>`)
	riskRe    = regexp.MustCompile(`(?s)<td class="risk-cell">(.*?)</td>`)
	percentRe = regexp.MustCompile(`· (\d+) %`)
)

// riskRows reads the rows of the learner list.
func riskRows(t *testing.T, body string) []riskRow {
	t.Helper()
	var out []riskRow
	for _, m := range rowRe.FindAllStringSubmatch(body, -1) {
		r := riskRow{ID: m[1], Percent: -1}
		if c := riskRe.FindStringSubmatch(m[0]); c != nil {
			r.Cell = c[1]
			if p := percentRe.FindStringSubmatch(c[1]); p != nil {
				r.Percent, _ = strconv.Atoi(p[1])
			}
		}
		out = append(out, r)
	}
	return out
}

// TestRiskListSortedByRisk: the counsellor's list sorted by risk puts the
// highest estimate first, each with its word, its percentage and at most
// two reasons in Dutch, the validation in words above it; only the
// counsellor's own learners, and every one of them over the pages.
func TestRiskListSortedByRisk(t *testing.T) {
	t.Parallel()
	a, counsellor := riskDemo(t)
	c := a.SignIn(counsellor)
	rec := c.Get("/learners?sort=risk")
	servertest.WantStatus(t, "list sorted by risk", rec, 200)
	body := rec.Body.String()
	servertest.WantBody(t, "list sorted by risk", rec, "Risico op vertrek", "vond deze inschatting",
		"van de vroegtijdige uitstromers bij de 10 % hoogste inschattingen, de signalen vonden er", `<option value="risk" selected>`)
	rows := riskRows(t, body)
	if len(rows) == 0 {
		t.Fatalf("no rows: %s", servertest.Excerpt(body))
	}
	last := 101
	estimated := 0
	for i, r := range rows {
		if r.Percent < 0 {
			last = -1
			continue
		}
		if last < 0 || r.Percent > last {
			t.Fatalf("row %d (%s, %d %%) after %d %%: not sorted by risk", i+1, r.ID, r.Percent, last)
		}
		last = r.Percent
		estimated++
		if !regexp.MustCompile(`^<span class="risk risk-(high|medium|low)">(hoog|middel|laag) · \d+ %</span>`).MatchString(r.Cell) {
			t.Errorf("row %d: cell %q", i+1, r.Cell)
		}
		if n := strings.Count(r.Cell, "<li>"); n > 2 {
			t.Errorf("row %d: %d reasons, at most 2", i+1, n)
		}
	}
	if estimated == 0 || !strings.Contains(rows[0].Cell, "risk-high") || !strings.Contains(rows[0].Cell, "<li>") {
		t.Fatalf("the first row %+v is not a warning with reasons", rows[0])
	}
	// Every learner on every page is the counsellor's, and the pages
	// together hold each of them once.
	ctx := context.Background()
	u, err := a.DB.FindUser(ctx, counsellor)
	if err != nil {
		t.Fatal(err)
	}
	all, err := a.DB.FindLearners(ctx, &u.User, store.LearnerQuery{AsOf: domain.DateOf(servertest.Now), Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for page := 1; ; page++ {
		rec := c.Get("/learners?sort=risk&page=" + strconv.Itoa(page))
		servertest.WantStatus(t, "page "+strconv.Itoa(page), rec, 200)
		rs := riskRows(t, rec.Body.String())
		for _, r := range rs {
			if seen[r.ID] {
				t.Errorf("learner %s on two pages", r.ID)
			}
			seen[r.ID] = true
		}
		if len(rs) < store.DefaultPageSize {
			break
		}
	}
	if len(seen) != all.Total {
		t.Errorf("the pages hold %d learners, the counsellor has %d", len(seen), all.Total)
	}
	for _, l := range all.Learners {
		if !seen[l.ID] {
			t.Errorf("learner %s missing from the pages", l.ID)
		}
	}
	// Sorted by name the column is there too; an unknown sort is refused.
	servertest.WantBody(t, "list by name", c.Get("/learners"), "Risico op vertrek")
	servertest.WantStatus(t, "unknown sort", c.Get("/learners?sort=shoe"), 400)
}

// TestRiskLearnerPage: the learner page shows today's estimate with its
// reasons, the last eight Mondays (a Monday before any model says so),
// and the validation in words.
func TestRiskLearnerPage(t *testing.T) {
	t.Parallel()
	a, counsellor := riskDemo(t)
	c := a.SignIn(counsellor)
	// The learner with the highest estimate who was enrolled on the Mondays before.
	var rec *httptest.ResponseRecorder
	for _, r := range riskRows(t, c.Get("/learners?sort=risk").Body.String()) {
		rec = c.Get("/learners/" + url.PathEscape(r.ID))
		servertest.WantStatus(t, "learner page", rec, 200)
		if strings.Contains(rec.Body.String(), "<meter min=\"0\" max=\"100\"") {
			break
		}
	}
	servertest.WantBody(t, "learner page", rec, `id="warning"`, "Vroegtijdig vertrek: inschatting", "waarschuwing",
		"De laatste 8 maandagen", "2026-03-09", "2026-01-19",
		"vond deze inschatting", "Redenen", `<meter min="0" max="100"`)
	// 2026-01-26 is before the first model: no estimate that week.
	body := rec.Body.String()
	if !strings.Contains(body, `2026-01-26</th><td colspan="3">geen inschatting (geen bruikbaar model)`) {
		t.Errorf("the Monday before any model: %s", servertest.Excerpt(body))
	}
}

// TestRiskRefusedShowsWhy: with a model refused for too little history
// (the small fixture), no estimate is shown anywhere, the stored reason is
// said in Dutch, and the flags stay.
func TestRiskRefusedShowsWhy(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("counsellor")
	servertest.WantBody(t, "no model yet", c.Get("/learners"), "er is nog geen model geleerd", "flag-overdue")
	ctx := context.Background()
	m, err := a.DB.TrainRiskModel(ctx, domain.MustDate("2026-03-09"), "", riskTrainedAt, 0)
	if err != nil {
		t.Fatal(err)
	}
	if m.Refused == nil {
		t.Fatal("the fixture's model is not refused")
	}
	for _, path := range []string{"/learners", "/learners?sort=risk"} {
		rec := c.Get(path)
		servertest.WantStatus(t, path, rec, 200)
		servertest.WantBody(t, path, rec, "geen inschatting: te weinig geschiedenis", "de signalen blijven gelden", "flag-overdue")
		if strings.Contains(rec.Body.String(), "Risico op vertrek") {
			t.Errorf("%s: a risk column beside a refused model", path)
		}
	}
	rec := c.Get("/learners/L-BOSMANS")
	servertest.WantBody(t, "learner page", rec, "geen inschatting: te weinig geschiedenis", "flag-overdue")
	if strings.Contains(rec.Body.String(), "Deze waarschuwing opvolgen") {
		t.Error("a form to act on a warning that was refused")
	}
	k := a.As("coordinator")
	servertest.WantBody(t, "validation page", k.Get("/risk"), "geen inschatting: te weinig geschiedenis", "Het model")
}

// TestRiskWarningAction: the counsellor says what they did about a
// warning; it is in the learner's timeline, history and audit trail; the
// domain's checks are asked, each message beside its field; nobody acts
// on an enrollment without a warning; a teacher may not act.
func TestRiskWarningAction(t *testing.T) {
	t.Parallel()
	a, counsellor := riskDemo(t)
	c := a.SignIn(counsellor)
	id := riskRows(t, c.Get("/learners?sort=risk").Body.String())[0].ID
	page := c.Get("/learners/" + url.PathEscape(id)).Body.String()
	gm := regexp.MustCompile(`<select id="warning-group" name="group"><option value="([^"]+)" selected>`).FindStringSubmatch(page)
	if gm == nil {
		t.Fatalf("no form with a warned group: %s", servertest.Excerpt(page))
	}
	group := gm[1]
	path := "/learners/" + url.PathEscape(id) + "/warnings"
	for _, bad := range []struct {
		what   string
		form   url.Values
		status int
		want   string
	}{
		{"no action", url.Values{"group": {group}, "date": {"2026-03-15"}}, 422, "is verplicht (called, meeting_planned"},
		{"tomorrow", url.Values{"group": {group}, "action": {"called"}, "date": {"2026-03-16"}}, 422, "ligt in de toekomst"},
		{"before the warning", url.Values{"group": {group}, "action": {"called"}, "date": {"2026-03-14"}}, 422, "ligt vóór de waarschuwing van 2026-03-15"},
		{"long note", url.Values{"group": {group}, "action": {"called"}, "date": {"2026-03-15"}, "note": {strings.Repeat("x", 501)}}, 422, "501"},
		{"not a date", url.Values{"group": {group}, "action": {"called"}, "date": {"15 maart"}}, 422, "is geen geldige datum"},
		{"another group", url.Values{"group": {"G-NONE"}, "action": {"called"}, "date": {"2026-03-15"}}, 400, "geen waarschuwing om op te volgen"},
	} {
		rec := c.Post(path, bad.form)
		servertest.WantStatus(t, bad.what, rec, bad.status)
		servertest.WantBody(t, bad.what, rec, bad.want)
	}
	if as, err := a.DB.ListWarningActions(context.Background(), id); err != nil || len(as) != 0 {
		t.Fatalf("refused actions stored: %v %v", as, err)
	}
	rec := c.Post(path, url.Values{"group": {group}, "action": {"meeting_planned"}, "date": {"2026-03-15"}, "note": {"donderdag om 10 uur"}})
	servertest.WantStatus(t, "save", rec, 303)
	rec = c.Get("/learners/" + url.PathEscape(id) + "?saved=warning")
	servertest.WantBody(t, "after the save", rec, "Wat je met de waarschuwing deed, is opgeslagen.", "gesprek gepland", "donderdag om 10 uur",
		"Waarschuwing opgevolgd", "opvolging van een waarschuwing")
	as, err := a.DB.ListWarningActions(context.Background(), id)
	if err != nil || len(as) != 1 {
		t.Fatalf("stored: %v %v", as, err)
	}
	got := as[0]
	if got.Group != group || got.Action != "meeting_planned" || got.EstimateDay != domain.MustDate("2026-03-15") || got.ModelID == 0 ||
		got.RecordedBy != counsellor || got.Note != "donderdag om 10 uur" {
		t.Errorf("stored %+v", got)
	}
	trail, err := a.DB.ListAudit(context.Background(), id, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(trail) == 0 || trail[0].Entity != "warning_actions" || trail[0].Username != counsellor || !strings.Contains(string(trail[0].After), "meeting_planned") {
		t.Errorf("audit trail %+v", trail)
	}
	// With htmx the section comes back in place.
	c.HTMX = true
	rec = c.Post(path, url.Values{"group": {group}, "action": {"unjustified"}, "date": {"2026-03-15"}})
	servertest.WantStatus(t, "htmx save", rec, 200)
	servertest.WantBody(t, "htmx save", rec, `id="learner-main"`, "onterecht", "Wat je met de waarschuwing deed, is opgeslagen.")
	// A teacher may not act on warnings.
	teacher := a.SignIn("lesgever")
	servertest.WantStatus(t, "teacher", teacher.Post(path, url.Values{"group": {group}, "action": {"called"}, "date": {"2026-03-15"}}), 403)
}

// TestRiskValidationPage: the coordinators' page shows the stored model's
// validation, the figures per learning route and gender, the weights in
// words and the counts of warnings acted on; a counsellor may not open it.
func TestRiskValidationPage(t *testing.T) {
	t.Parallel()
	a, counsellor := riskDemo(t)
	k := a.SignIn("coord")
	rec := k.Get("/risk")
	servertest.WantStatus(t, "validation page", rec, 200)
	servertest.WantBody(t, "validation page", rec, "Vroegtijdig vertrek: inschatting", "Kalibratie", `<svg class="calibration"`,
		"Per leerroute", "alfa", "Per gender", "Wat de kans verhoogt en verlaagt", "hoe hoger, hoe", "2024-09-01 – 2025-08-31",
		"vond deze inschatting", "Nieuwe waarschuwingen waarvan de vijf werkdagen voorbij zijn", "onterecht", `href="/risk" aria-current="page"`)
	servertest.WantStatus(t, "counsellor", a.SignIn(counsellor).Get("/risk"), 403)
}

// TestRiskVisibility: the list sorted by risk holds only the learners the
// user may see, and the validation page counts only their warnings: an
// "onterecht" on another provider's learner counts for the admin, not for
// the coordinator.
func TestRiskVisibility(t *testing.T) {
	t.Parallel()
	a, _ := riskDemo(t)
	ctx := context.Background()
	coord, err := a.DB.FindUser(ctx, "coord")
	if err != nil {
		t.Fatal(err)
	}
	visible, err := a.DB.VisibleLearners(ctx, &coord.User)
	if err != nil {
		t.Fatal(err)
	}
	k := a.SignIn("coord")
	rows := riskRows(t, k.Get("/learners?sort=risk").Body.String())
	if len(rows) == 0 || rows[0].Percent < 0 {
		t.Fatalf("the coordinator's list has no estimates: %+v", rows)
	}
	for _, r := range rows {
		if !visible[r.ID] {
			t.Errorf("the coordinator sees %s", r.ID)
		}
	}
	// A new warning of Monday 9 March (not among the 10 % highest on 2
	// March) of a learner the coordinator may not see.
	in, err := a.DB.LoadRiskInput(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.DB.LatestRiskModel(ctx, "", domain.MustDate("2026-03-09"))
	if err != nil {
		t.Fatal(err)
	}
	top := func(day string) []risk.Estimated {
		l, err := risk.EstimateWith(in, domain.MustDate(day), &m.Trained)
		if err != nil {
			t.Fatal(err)
		}
		return l.Enrollments[:risk.Warned(len(l.Enrollments))]
	}
	before := map[string]bool{}
	for _, e := range top("2026-03-02") {
		before[e.Learner+"/"+e.Group] = true
	}
	var pick *risk.Estimated
	for _, e := range top("2026-03-09") {
		if !before[e.Learner+"/"+e.Group] && !visible[e.Learner] {
			pick = &e
			break
		}
	}
	if pick == nil {
		t.Fatal("no new warning outside the coordinator's providers")
	}
	count := func(c *servertest.Client) int {
		body := c.Get("/risk").Body.String()
		mm := regexp.MustCompile(`onterecht gemarkeerd</th><td class="num">(\d+)<`).FindStringSubmatch(body)
		if mm == nil {
			t.Fatalf("no count of unjustified warnings: %s", servertest.Excerpt(body))
		}
		n, _ := strconv.Atoi(mm[1])
		return n
	}
	admin := a.SignIn("beheer")
	adminBefore, coordBefore := count(admin), count(k)
	if _, err := a.DB.SaveWarningAction(ctx, "beheer", domain.WarningAction{Learner: pick.Learner, Group: pick.Group,
		EstimateDay: domain.MustDate("2026-03-09"), ModelID: m.ID, Action: domain.Unjustified, Date: domain.MustDate("2026-03-10")}, servertest.Now); err != nil {
		t.Fatal(err)
	}
	if got := count(admin); got != adminBefore+1 {
		t.Errorf("admin: %d unjustified, want %d", got, adminBefore+1)
	}
	if got := count(k); got != coordBefore {
		t.Errorf("coordinator: %d unjustified, want %d (another provider's learner)", got, coordBefore)
	}
}

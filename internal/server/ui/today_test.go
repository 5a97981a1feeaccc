package ui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

// withTeacherDay adds to the fixture what the teacher's start page shows on
// its day, Sunday 15 March 2026: a lesson of G1 today (Amina registered,
// Dina not yet), one on Thursday that nobody registered, and G3, t1's group
// that ends in 16 days without module-end evaluations and without a lesson
// plan.
func withTeacherDay(t *testing.T, a *servertest.App) {
	t.Helper()
	d := domain.MustDate
	ctx := context.Background()
	tx, err := a.DB.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	ds := &domain.DataSet{
		Groups: []domain.Group{{Code: "G3", Module: "M1", StartDate: d("2026-01-05"), EndDate: d("2026-03-31"), PlannedHours: 60,
			Teacher: "t1", Intensity: "standard"}},
		Enrollments: []domain.Enrollment{{Learner: "L-DEWULF", Group: "G3", StartDate: d("2026-01-05"), Status: "active", HoursAttended: 20}},
		Lessons:     []domain.Lesson{{Group: "G1", Date: d("2026-03-12"), Hours: 3}, {Group: "G1", Date: d("2026-03-15"), Hours: 2.5}},
		Attendance:  []domain.Attendance{{Learner: "L-AERTS", Group: "G1", Date: d("2026-03-15"), Status: "present"}},
	}
	if _, err := tx.Upsert(ctx, ds, nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestTeacherStartPage: the teacher lands on Vandaag after signing in,
// which lists the day's groups and what is due, each linked to where it is
// done, and nothing of another teacher's groups.
func TestTeacherStartPage(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	withTeacherDay(t, a)
	c := a.As("teacher")
	r := c.Get("/")
	if loc := r.Header().Get("Location"); r.Code != http.StatusSeeOther || loc != "/today" {
		t.Fatalf("home: %d to %q, want 303 to /today", r.Code, loc)
	}
	r = c.Get("/today")
	servertest.WantStatus(t, "today", r, http.StatusOK)
	body := r.Body.String()
	servertest.WantBody(t, "today", r,
		`<span class="sub">zondag 2026-03-15</span>`,
		`<a href="/today" aria-current="page">Vandaag</a>`,
		// G1 has a lesson today; Dina's record is still missing.
		`<li class="meeting" data-group="G1">`, "les van 2,5 uur · 2 lerenden · ", "1 nog niet geregistreerd",
		`href="/groups/G1/print/attendance"`,
		// G3 has no lesson plan: it may meet.
		`<li class="meeting maybe" data-group="G3">`, "1 lerende · loopt tot 2026-03-31",
		// What is due, in order: the module ends, the observations, the register.
		"G3 eindigt op 2026-03-31: 1 lerende heeft nog geen eindevaluatie.", `href="/groups/G3?kind=module_end#grid"`,
		"G1: 2 lerenden zijn nog nooit geobserveerd (welbevinden en betrokkenheid).", `href="/groups/G1#observations"`,
		"G1: 1 les niet geregistreerd (2026-03-12).", `href="/groups/G1/register"`,
	)
	i, j, k := strings.Index(body, "eindigt op"), strings.Index(body, "nooit geobserveerd"), strings.Index(body, "niet geregistreerd (")
	if i < 0 || !(i < j && j < k) {
		t.Errorf("the to-do list is not ordered module ends, observations, register: %d, %d, %d", i, j, k)
	}
	for _, h := range servertest.Hidden["teacher"] {
		if strings.Contains(body, h) {
			t.Errorf("the start page shows %q", h)
		}
	}

	// English, from the same catalogue.
	c.Lang = "en"
	servertest.WantBody(t, "today in English", c.Get("/today"), "Sunday 2026-03-15", "lesson of 2.5 hours",
		"G3 ends on 2026-03-31: 1 learner has no module-end evaluation yet.")

	// Another teacher's day holds only their own group.
	r = a.As("teacher2").Get("/today")
	servertest.WantStatus(t, "today of t2", r, http.StatusOK)
	if body := r.Body.String(); strings.Contains(body, "G1") || strings.Contains(body, "G3") || !strings.Contains(body, `data-group="G2"`) {
		t.Errorf("t2's start page shows another teacher's groups, or not G2")
	}
	// Other roles keep their own first page.
	r = a.As("coordinator").Get("/today")
	if loc := r.Header().Get("Location"); r.Code != http.StatusSeeOther || loc != "/dashboard" {
		t.Errorf("a coordinator on /today: %d to %q, want their dashboard", r.Code, loc)
	}
}

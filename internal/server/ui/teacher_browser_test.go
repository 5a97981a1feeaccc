package ui_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/traject-nt2/traject/internal/demo"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/importer"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testkit"
)

// withManyGoals gives module M1 six goals, two of which would read the
// same ("Luisteren A1": the framework's and the provider's own), so that
// the grid's goal column is as wide as a real one.
func withManyGoals(t *testing.T, a *servertest.App) {
	t.Helper()
	ctx := context.Background()
	tx, err := a.DB.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	ds := &domain.DataSet{Goals: []domain.Goal{
		{Code: "M1-L2", Module: "M1", Skill: domain.Listening, Level: 2, Description: "Volgt een kort gesprek over het weer", Source: "provider"},
		{Code: "M1-R1", Module: "M1", Skill: domain.Reading, Level: 2, Description: "Leest een eenvoudige brief van school", Source: "framework"},
		{Code: "M1-I1", Module: "M1", Skill: domain.SpokenInteraction, Level: 2, Description: "Maakt een afspraak bij de dokter", Source: "framework"},
		{Code: "M1-S2", Module: "M1", Skill: domain.SpokenProduction, Level: 1, Description: "Zegt waar hij of zij woont", Source: "provider"},
	}}
	if _, err := tx.Upsert(ctx, ds, nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// activeID is the id of the focused element ("" for none).
const activeID = `document.activeElement ? document.activeElement.id || document.activeElement.name || document.activeElement.tagName : ""`

// TestBrowserGridFitsAndKeyboard: the evaluation grid at 1366 px shows
// every column; at 768 px it scrolls inside its box with the learner's
// name in view; a row is filled in with the keyboard only (Tab row by row,
// ↓ on the decision moving rows, Enter saving), and the observation form
// takes its scores from the number keys.
func TestBrowserGridFitsAndKeyboard(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	withManyGoals(t, a)
	b := newBrowser(t, a)
	b.login("t1")
	b.run("open G1 at 1366 px",
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(b.base+"/groups/G1"),
		waitLoaded(`document.querySelector("#r0-listening")`),
	)
	// Nothing of the grid is cut off: its box does not scroll, and the goal
	// column ends inside it.
	fit := get(b, "fit at 1366", chromedp.Evaluate[string](`(() => {
		const box = document.querySelector("#grid .table-scroll"), goals = document.querySelector("#grid tbody tr fieldset.goals");
		return [box.scrollWidth <= box.clientWidth, goals.getBoundingClientRect().right <= box.getBoundingClientRect().right + 0.5,
			document.documentElement.scrollWidth <= window.innerWidth].join(",") })()`))
	if fit != "true,true,true" {
		t.Errorf("at 1366 px the grid does not fit (box fits, goals inside, page fits): %s", fit)
	}
	labels := get(b, "goal labels", chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#r0-goal1-tip, #r0-goal2-tip")).map(t => t.parentElement.textContent.replace(t.textContent, "").trim()).join(" | ")`))
	if labels != "Luisteren A1 (module) | Luisteren A1 (eigen doel)" {
		t.Errorf("two goals of the same skill and level read %q, want their sources", labels)
	}
	b.screenshot("grid-1366")

	// The Tab order from the grid's date: row 0's fields, then row 1's
	// first; no learner link in between.
	var order []string
	b.run("focus the date", script(`(() => { document.querySelector("#grid-date").focus(); return true })()`))
	// A date field takes a Tab per part (day, month, year).
	for range 4 {
		if get(b, "focus", chromedp.Evaluate[string](activeID)) != "grid-date" {
			break
		}
		b.run("tab", chromedp.KeyEvent(kb.Tab))
	}
	order = append(order, get(b, "focus", chromedp.Evaluate[string](activeID)))
	for range 11 {
		b.run("tab", chromedp.KeyEvent(kb.Tab))
		order = append(order, get(b, "focus", chromedp.Evaluate[string](activeID)))
	}
	want := []string{"r0-listening", "r0-reading", "r0-spoken_interaction", "r0-spoken_production", "r0-decision", "r0-feedback",
		"r0.goal", "r0.goal", "r0.goal", "r0.goal", "r0.goal", "r0.goal"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("Tab order:\n got %v\nwant %v", order, want)
	}
	b.run("tab past the last goal", chromedp.KeyEvent(kb.Tab))
	if got := get(b, "focus", chromedp.Evaluate[string](activeID)); got != "r1-listening" {
		t.Errorf("Tab from row 0's last goal goes to %q, want r1-listening", got)
	}

	// Fill row 0 with the keyboard only.
	b.run("fill row 0",
		script(`(() => { document.querySelector("#r0-listening").focus(); return true })()`),
		chromedp.KeyEvent("A1"+kb.Tab+"A1.1"+kb.Tab+kb.Tab+kb.Tab),
		// The decision by its first letter: "g" is geslaagd.
		chromedp.KeyEvent("g"),
	)
	if got := get(b, "decision", chromedp.Evaluate[string](`document.querySelector("#r0-decision").value`)); got != "pass" {
		t.Fatalf("typing g on the decision chose %q, want pass", got)
	}
	b.run("arrow down on the decision", chromedp.KeyEvent(kb.ArrowDown))
	moved := get(b, "after ↓", chromedp.Evaluate[string]("("+activeID+`) + "," + document.querySelector("#r0-decision").value + "," + document.querySelector("#r1-decision").value`))
	if moved != "r1-decision,pass," {
		t.Errorf("↓ on the decision: focus, row 0's and row 1's decision = %q, want r1-decision,pass,", moved)
	}
	b.run("back up and on",
		chromedp.KeyEvent(kb.ArrowUp),
		waitFor(`document.activeElement.id === "r0-decision"`),
		chromedp.KeyEvent(kb.Tab+"Vlot"+kb.Tab+" "),
		// Enter saves the grid from the ticked goal, as of the grid's date.
		chromedp.KeyEvent(kb.Enter),
		// Saved: the confirmation takes the focus once htmx has settled.
		waitFor(`document.querySelector("#grid .ok") && document.activeElement === document.querySelector("#grid .ok")`),
	)
	if got := moduleEnds(t, a)["L-AERTS"]; got != "2026-03-15 A1 pass M1-I1" {
		t.Errorf("stored module end of L-AERTS = %q, want 2026-03-15 A1 pass M1-I1", got)
	}

	// The observation form: number keys choose a score and go on.
	b.run("scores by number keys",
		script(`(() => { document.querySelector("#o0-wellbeing-0").focus(); return true })()`),
		chromedp.KeyEvent("45"),
		waitFor(`document.activeElement && document.activeElement.name === "o1.wellbeing"`),
		chromedp.KeyEvent("3"+kb.Enter),
		waitFor(`document.querySelector("#observations .ok")`),
	)
	checked := get(b, "checked", chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#observations input[type=radio]:checked")).map(r => r.id).join(" ")`))
	if !strings.HasPrefix(checked, "o0-wellbeing-4 o0-involvement-5 o1-wellbeing-3 o1-involvement-0") {
		t.Errorf("after saving, the form shows %q, want the scores typed", checked)
	}
	got := storedObservations(t, a)
	if got["L-AERTS 2026-03-15"] != "4/5" || got["L-DEWULF 2026-03-15"] != "3/0" {
		t.Errorf("stored observations %v, want L-AERTS 4/5 and L-DEWULF 3/0", got)
	}

	// 768 px: the grid scrolls inside its box, and the name stays in view.
	b.run("768 px",
		chromedp.EmulateViewport(768, 1024),
		chromedp.Navigate(b.base+"/groups/G1"),
		waitLoaded(`document.querySelector("#r0-listening")`),
	)
	sticky := get(b, "sticky at 768", chromedp.Evaluate[string](`(() => {
		const box = document.querySelector("#grid .table-scroll"), name = document.querySelector("#grid tbody tr th");
		const page = document.documentElement.scrollWidth <= window.innerWidth, scrolls = box.scrollWidth > box.clientWidth;
		box.scrollLeft = box.scrollWidth;
		const b = box.getBoundingClientRect(), n = name.getBoundingClientRect();
		const cell = document.querySelector("#r0-listening").getBoundingClientRect();
		return [page, scrolls, box.scrollLeft > 0, Math.abs(n.left - b.left) < 2, cell.right < n.right + 1].join(",") })()`))
	if sticky != "true,true,true,true,true" {
		t.Errorf("at 768 px (page fits, box scrolls, scrolled, name at the box's left, level cell scrolled under it): %s", sticky)
	}
	b.screenshot("grid-768-scrolled")
	b.noProblems()
}

// TestBrowserTeacherStartPage: on a demo region anchored on Monday 16
// March 2026, the busiest teacher signs in and lands on Vandaag, which
// lists the groups with a lesson today and what is due; each to-do links
// to the page where it is done.
func TestBrowserTeacherStartPage(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("-short: imports 400 demo learners")
	}
	day := domain.MustDate("2026-03-16")
	now := time.Date(2026, 3, 16, 9, 0, 0, 0, domain.Zone)
	var teacher string
	a := servertest.NewOn(t, testkit.Built(t, "teacher_day_demo400", func(ctx context.Context, db *store.DB) error {
		ds := demo.Generate(demo.Options{Learners: 400, Today: day})
		teacher = addWeeklyLessons(ds, day)
		if rep, err := importer.DataSet(ctx, db, ds, importer.Options{}); err != nil || !rep.OK() {
			return fmt.Errorf("demo import: %v %v", err, rep)
		}
		return testkit.CreateUsers(ctx, db, []domain.User{{Username: teacher, Role: domain.RoleTeacher}})
	}))
	if teacher == "" { // the template was built by another test of this binary
		teacher = addWeeklyLessons(demo.Generate(demo.Options{Learners: 400, Today: day}), day)
	}
	b := newBrowserAt(t, a, now)
	b.login(teacher)
	b.run("the start page", waitLoaded(`location.pathname === "/today" && document.querySelector("#today-todo")`))
	heading := get(b, "heading", chromedp.Text(chromedp.CSS(`h1`)))
	if !strings.Contains(heading, "maandag 2026-03-16") {
		t.Errorf("heading %q, want the day", heading)
	}
	meetings := get(b, "meetings", chromedp.Evaluate[int](`document.querySelectorAll("#today-groups li.meeting:not(.maybe)").length`))
	kinds := get(b, "kinds", chromedp.Evaluate[string](`[...new Set([...document.querySelectorAll("#today-todo li.todo")].map(l => l.dataset.kind))].join(",")`))
	if meetings == 0 || !strings.Contains(kinds, "not_registered") {
		t.Errorf("start page: %d groups meeting today, to-do kinds %q; want a lesson today and unregistered lessons", meetings, kinds)
	}
	b.screenshot("today")
	b.run("the attendance sheet of the first group",
		click(`#today-groups li.meeting a[href$="/print/attendance"]`),
		waitLoaded(`document.querySelector("table.attendance-sheet")`),
	)
	if n := get(b, "controls", chromedp.Evaluate[int](`document.querySelectorAll("main table input, main table select, main table textarea").length`)); n != 0 {
		t.Errorf("the attendance sheet holds %d form controls", n)
	}
	b.screenshot("print-attendance")
	b.run("back", chromedp.Navigate(b.base+"/today"), waitLoaded(`document.querySelector("#today-todo")`))
	b.run("follow the first to-do",
		click(`#today-todo a.todo-action`),
		waitLoaded(`location.pathname.startsWith("/groups/") && document.querySelector("#grid")`),
	)
	b.noProblems()
}

// addWeeklyLessons plans, for every group of the busiest teacher of ds
// running on day, a lesson of three hours each week on day's weekday from
// the group's start up to day, registered for nobody (the demo's own
// registers, when it has them, are left as they are), and returns that
// teacher.
func addWeeklyLessons(ds *domain.DataSet, day domain.Date) string {
	count := map[string]int{}
	for _, g := range ds.Groups {
		if g.Teacher != "" && g.StartDate <= day && day <= g.EndDate {
			count[g.Teacher]++
		}
	}
	teacher := ""
	for name, n := range count {
		if n > count[teacher] || n == count[teacher] && name < teacher {
			teacher = name
		}
	}
	planned := map[string]bool{}
	for _, l := range ds.Lessons {
		planned[l.Group] = true
	}
	for _, g := range ds.Groups {
		if g.Teacher != teacher || planned[g.Code] || g.StartDate > day || day > g.EndDate {
			continue
		}
		for d := day; d >= g.StartDate; d = d.AddDays(-7) {
			ds.Lessons = append(ds.Lessons, domain.Lesson{Group: g.Code, Date: d, Hours: 3})
		}
	}
	return teacher
}

package ui_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/testkit"
)

// The browser tests drive Debian's headless Chromium through chromedp
// against a server started on :0, and keep a screenshot of each page in
// testdata/artefacts/ (gitignored). They are skipped where no Chromium is
// installed; .ci/run installs it.

// artefacts is where the screenshots go.
var artefacts = filepath.Join("..", "..", "..", "testdata", "artefacts")

// browser is a running server and a headless Chromium pointed at it.
type browser struct {
	t    *testing.T
	a    *servertest.App
	base string
	ctx  context.Context

	mu       sync.Mutex
	problems []string // console errors, exceptions and CSP violations
}

func newBrowser(t *testing.T, a *servertest.App) *browser {
	t.Helper()
	return newBrowserAt(t, a, servertest.Now)
}

// newBrowserAt is newBrowser with the server's clock at now.
func newBrowserAt(t *testing.T, a *servertest.App, now time.Time) *browser {
	t.Helper()
	exe := testkit.ChromiumPath()
	if exe == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no Chromium installed: .ci/run installs Debian's chromium package")
		}
		t.Skip("no Chromium installed (apt-get install chromium)")
	}
	srv := server.New(server.Config{HashPassword: servertest.QuickHash, DB: a.DB, Addr: "127.0.0.1:0", Now: func() time.Time { return now },
		ExportDir: filepath.Join(t.TempDir(), "exports"), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	base, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(sctx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("server shutdown: %v", err)
		}
	})
	// One Chromium for the test binary, a tab in a browser context of its
	// own for each test. The tab is opened before the timeout is set: the
	// first Run on a context binds the tab's life to that context.
	ctx := testkit.Tab(t, exe, "nl-BE")
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelT)
	b := &browser{t: t, a: a, base: base, ctx: ctx}
	// Console errors, uncaught exceptions and browser log errors (a CSP
	// violation is one) are collected and fail the test at noProblems.
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			// Refusals the tests ask for on purpose are logged as failed loads.
			expected := strings.Contains(m.Text, "status of 422") || strings.Contains(m.Text, "status of 409") ||
				strings.Contains(m.Text, "status of 403")
			if (m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException) && !expected {
				b.problem(string(m.Type) + ": " + m.Text)
			}
		}
	}()
	if err := os.MkdirAll(artefacts, 0o755); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *browser) problem(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, s)
}

// run runs chromedp actions, failing the test on error.
func (b *browser) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.t.Fatalf("%s: %v (browser said: %q)", what, err, b.problems)
	}
}

// get runs one action that returns a value, failing the test on error.
func get[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// screenshot keeps a full-page PNG of the current page as name.png.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	png := get(b, "screenshot "+name, chromedp.FullScreenshot(100))
	path := filepath.Join(artefacts, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", path)
}

// waitFor waits until the JavaScript expression is true, asking the page
// every 100 ms: after an htmx swap, this is more reliable than chromedp's
// node queries, which may hold on to replaced nodes.
func waitFor(expression string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		eval := chromedp.Evaluate[bool]("!!(" + expression + ")")
		deadline := time.Now().Add(15 * time.Second)
		for {
			ok, err := eval(ctx, t)
			if err == nil && ok {
				return chromedp.Void{}, nil
			}
			if time.Now().After(deadline) {
				return chromedp.Void{}, fmt.Errorf("waiting for %s: %v", expression, err)
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
}

// setValue sets a field's value in the page and fires its change event, as
// choosing from a select does; it works on content htmx just swapped in.
func setValue(selector, value string) chromedp.Action[chromedp.Void] {
	return script(fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q;
		e.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, selector, value))
}

// click clicks an element in the page.
func click(selector string) chromedp.Action[chromedp.Void] {
	return script(fmt.Sprintf(`(() => { document.querySelector(%q).click(); return true })()`, selector))
}

// script runs JavaScript that returns true.
func script(js string) chromedp.Action[chromedp.Void] {
	eval := chromedp.Evaluate[bool](js)
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := eval(ctx, t)
		return chromedp.Void{}, err
	}
}

// login signs in through the login page, as a person would.
func (b *browser) login(username string) {
	b.t.Helper()
	b.run("login "+username,
		chromedp.Navigate(b.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), username),
		chromedp.SendKeys(chromedp.CSS(`#password`), servertest.Password),
		chromedp.Submit(chromedp.CSS(`#password`)),
		chromedp.WaitVisible(chromedp.CSS(`header nav`)),
	)
}

// noProblems fails the test if the page logged errors (a CSP violation
// shows up here).
func (b *browser) noProblems() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("browser: %s", p)
	}
	b.problems = nil
}

func TestBrowserTeacherSavesGrid(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	b := newBrowser(t, a)
	b.run("login page", chromedp.Navigate(b.base+"/login"), chromedp.WaitVisible(chromedp.CSS(`#username`)))
	b.screenshot("login")
	b.login("t1")
	b.screenshot("groups")
	var url, level, decision, msg string
	b.run("fill the grid",
		chromedp.Click(chromedp.CSS(`a[href="/groups/G1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#r0-listening`)),
		chromedp.SendKeys(chromedp.CSS(`#r0-listening`), "A1"),
		chromedp.SendKeys(chromedp.CSS(`#r0-reading`), "a1.1"),
		chromedp.SetValue(chromedp.CSS(`#r0-decision`), "pass"),
		chromedp.SendKeys(chromedp.CSS(`#r0-feedback`), "Vlot mondeling"),
		chromedp.Click(chromedp.CSS(`input[name="r0.goal"][value="M1-L1"]`)),
		chromedp.SendKeys(chromedp.CSS(`#r1-listening`), "A0"),
		chromedp.SetValue(chromedp.CSS(`#r1-decision`), "fail"),
		// A mistake first: an unknown level, shown beside the field.
		chromedp.SendKeys(chromedp.CSS(`#r2-listening`), "B7"),
		chromedp.SetValue(chromedp.CSS(`#r2-decision`), "fail"),
		chromedp.Click(chromedp.CSS(`.grid-form button[type=submit]`)),
		waitFor(`document.querySelector("#r2-listening-err")`),
	)
	b.screenshot("group-grid-error")
	b.run("correct and save",
		setValue(`#r2-listening`, ""),
		setValue(`#r2-decision`, ""),
		click(`.grid-form button[type=submit]`),
		waitFor(`document.querySelector("#grid .ok")`),
	)
	msg = get(b, "message", chromedp.Evaluate[string](`document.querySelector("#grid .ok").textContent`))
	url = get(b, "location", chromedp.Location())
	if !strings.Contains(msg, "Opgeslagen: 2") {
		t.Errorf("message after saving: %q", msg)
	}
	if strings.Contains(url, "saved=") {
		t.Errorf("the grid was saved by a full page load (%s), want htmx", url)
	}
	b.run("reload",
		chromedp.Navigate(b.base+"/groups/G1"),
		chromedp.WaitVisible(chromedp.CSS(`#r0-listening`)),
	)
	level = get(b, "level", chromedp.Value(chromedp.CSS(`#r0-listening`)))
	decision = get(b, "decision", chromedp.Value(chromedp.CSS(`#r0-decision`)))
	if level != "A1" || decision != "pass" {
		t.Errorf("after reload: level %q, decision %q; want A1, pass", level, decision)
	}
	b.screenshot("group")
	b.noProblems()
	if got := moduleEnds(t, a); len(got) != 2 {
		t.Errorf("stored module ends = %v, want 2", got)
	}
}

func TestBrowserCounsellorOpensFlaggedLearner(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	b := newBrowser(t, a)
	b.login("c1")
	var drawn, heading string
	b.run("open the flagged learner",
		chromedp.Navigate(b.base+"/learners"),
		chromedp.WaitVisible(chromedp.CSS(`a.flag-no_placement`)),
	)
	b.screenshot("learners")
	b.run("open the flagged learner",
		chromedp.Click(chromedp.CSS(`a.flag-no_placement`)),
		chromedp.WaitVisible(chromedp.CSS(`#level-chart[data-drawn="true"]`)),
	)
	drawn = get(b, "chart", chromedp.AttributeValue(chromedp.CSS(`#level-chart`), "data-drawn")).Value
	heading = get(b, "heading", chromedp.Text(chromedp.CSS(`h1`)))
	if drawn != "true" || !strings.Contains(heading, "Dewulf") {
		t.Errorf("learner page: chart drawn %q, heading %q", drawn, heading)
	}
	b.screenshot("learner")
	// Record an outflow through the form: the page comes back with it.
	var msg string
	b.run("record an outflow",
		setValue(`#out-type`, "early_leaver"),
		click(`#outflow button[type=submit]`),
		waitFor(`document.querySelector("#out-reason-err")`),
	)
	b.run("record an outflow",
		setValue(`#out-reason`, "work"),
		click(`#outflow button[type=submit]`),
		waitFor(`document.querySelector("#outflow .ok")`),
		waitFor(`document.querySelector('#level-chart[data-drawn="true"]') && Chart.getChart(document.querySelector("#level-chart"))`),
	)
	msg = get(b, "message", chromedp.Evaluate[string](`document.querySelector("#outflow .ok").textContent`))
	if !strings.Contains(msg, "opgeslagen") {
		t.Errorf("after the outflow: %q", msg)
	}
	b.run("dashboard placeholder as a coordinator would see it: forbidden here",
		chromedp.Navigate(b.base+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	b.screenshot("forbidden")
	b.noProblems()
}

func TestBrowserLearnerWithFiftyEvaluations(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	ctx := context.Background()
	ds := &domain.DataSet{}
	start := domain.MustDate("2026-01-05")
	for i := 0; i < 50; i++ {
		ls := domain.NoLevels
		for k := domain.Skill(0); k < domain.Writing; k++ {
			ls[k] = domain.Level(min(4, i/12+int(k)%2))
		}
		ds.Evaluations = append(ds.Evaluations, domain.Evaluation{Learner: "L-AERTS", Group: "G1", Date: start.AddDays(i),
			Kind: "formative", Levels: ls, Decision: "none", Evaluator: "t1", Feedback: fmt.Sprintf("Les %d", i+1)})
	}
	tx, err := a.DB.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Upsert(ctx, ds, nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a)
	b.login("k1")
	var rows int
	b.run("learner page",
		chromedp.Navigate(b.base+"/learners/L-AERTS"),
		chromedp.WaitVisible(chromedp.CSS(`#level-chart[data-drawn="true"]`)),
	)
	rows = get(b, "rows", chromedp.Evaluate[int](`document.querySelectorAll("#evaluations tbody tr").length`))
	// 50 new ones from 2026-01-05; the fixture's of 2026-02-01 is one of them.
	if rows != 50 {
		t.Errorf("evaluations table has %d rows, want 50", rows)
	}
	b.screenshot("learner-50-evaluations")
	b.run("dashboard", chromedp.Navigate(b.base+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`.tiles`)))
	b.screenshot("dashboard-fixture")
	b.noProblems()
}

// TestBrowserCoordinatorDashboard: a coordinator opens the dashboard over
// the conformance data, sees the tiles and charts, clicks a rate and lands
// on the learners behind it, and opens one of them.
func TestBrowserCoordinatorDashboard(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	b := newBrowser(t, a)
	b.login("kA")
	b.run("dashboard",
		chromedp.Navigate(b.base+"/dashboard"),
		chromedp.WaitVisible(chromedp.CSS(`.tiles`)),
	)
	// The period through the form, as a person would choose it.
	b.run("choose a period",
		setValue(`#dash-from`, "2024-09-01"),
		setValue(`#dash-to`, "2025-08-31"),
		setValue(`#dash-asof`, ""),
		click(`.dash-form button[type=submit]`),
		waitFor(`location.search.includes("from=2024-09-01") && document.querySelector(".tiles")`),
		waitFor(`document.querySelector('#chart-provider[data-drawn="true"]') && document.querySelector('#chart-route[data-drawn="true"]')`),
	)
	period := get(b, "period", chromedp.Value(chromedp.CSS(`#dash-period`)))
	if period != "custom" {
		t.Errorf("period after editing the dates: %q, want custom", period)
	}
	rate := get(b, "rate", chromedp.Text(chromedp.CSS(`#tile-access .tile-value a`)))
	judged := get(b, "judged", chromedp.Evaluate[string](`document.querySelector('#tile-access .tile-parts a[data-field="judged"]').dataset.count`))
	if rate != "66,7%" || judged != "12" {
		t.Errorf("access tile: rate %q of %q judged, want 66,7%% of 12", rate, judged)
	}
	b.screenshot("dashboard")
	b.run("click the rate",
		click(`#tile-access .tile-value a`),
		waitFor(`location.pathname === "/dashboard/cases" && document.querySelector("table.cases")`),
	)
	rows := get(b, "rows", chromedp.Evaluate[int](`document.querySelectorAll("table.cases tr[data-case]").length`))
	total := get(b, "total", chromedp.Evaluate[string](`document.querySelector("[data-total]").dataset.total`))
	heading := get(b, "heading", chromedp.Text(chromedp.CSS(`h1`)))
	if rows != 12 || total != "12" || !strings.Contains(heading, "Toegang") {
		t.Errorf("drill-down: %d rows, total %q, heading %q; want 12 rows of access", rows, total, heading)
	}
	classes := get(b, "classes", chromedp.Evaluate[string](`[...new Set([...document.querySelectorAll("tr[data-case]")].map(r => r.dataset.class))].sort().join(",")`))
	if classes != "late,on_time,waiting_overdue" {
		t.Errorf("classes in the list: %q", classes)
	}
	b.screenshot("drilldown")
	b.run("open a learner",
		click(`table.cases tr[data-case] th a`),
		waitFor(`location.pathname.startsWith("/learners/") && document.querySelector("h1")`),
	)
	b.run("back, and exact numbers",
		chromedp.Navigate(b.base+"/dashboard?from=2024-09-01&to=2025-08-31"),
		chromedp.WaitVisible(chromedp.CSS(`#dash-exact`)),
		click(`#dash-exact`),
		waitFor(`location.search.includes("exact=1") && document.querySelector(".notice.exact")`),
	)
	late := get(b, "late", chromedp.Evaluate[int](`document.querySelectorAll('a[data-count][href*="class=late"]').length`))
	if late == 0 {
		t.Error("exact numbers: no link to the small list of late starts")
	}
	b.screenshot("dashboard-exact")
	b.noProblems()
}

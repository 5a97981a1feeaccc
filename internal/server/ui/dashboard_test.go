package ui_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/demo"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/importer"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/server/ui"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testkit"
)

var caseRowRE = regexp.MustCompile(`<tr data-case`)
var totalRE = regexp.MustCompile(`data-total="(\d+)"`)

// TestDashboardMatchesCLI checks every number of the dashboard in exact
// mode against the CLI's JSON for the conformance data (the files the CLI
// is tested against), and that each number that links to its cases links to
// exactly as many as it says.
func TestDashboardMatchesCLI(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	for _, run := range servertest.ConformanceRuns {
		t.Run(run.File, func(t *testing.T) {
			doc, _ := servertest.ReadExpected(t, run.File)
			c := a.SignIn(run.User)
			r := c.Get("/dashboard?" + run.Query + "&exact=1")
			servertest.WantStatus(t, "dashboard", r, http.StatusOK)
			if want := fmt.Sprintf(`data-definitions-version="%v"`, doc["definitions_version"]); !strings.Contains(r.Body.String(), want) {
				t.Errorf("the dashboard does not state the definitions version (%s)", want)
			}
			nums := servertest.DashNums(r.Body.String())
			if len(nums) < 100 {
				t.Fatalf("only %d numbers on the dashboard", len(nums))
			}
			keys := map[string]bool{}
			checked, links := 0, map[string]string{}
			for _, n := range nums {
				keys[n.Key] = true
				if n.Count != "" {
					links[n.Href] = n.Count
					if n.Count != n.Value {
						t.Errorf("%s %s.%s: data-count %s but value %s", n.Key, n.Ind, n.Field, n.Count, n.Value)
					}
				} else if n.Href != "" {
					links[n.Href] = ""
				}
				want, ok := servertest.ExpectedOf(t, doc, n.Key, n.Ind, n.Field)
				if !ok {
					continue
				}
				checked++
				switch {
				case math.IsNaN(want) && n.Value != "":
					t.Errorf("%s %s.%s = %s, want null", n.Key, n.Ind, n.Field, n.Value)
				case math.IsNaN(want) && n.Text != "–":
					t.Errorf("%s %s.%s shows %q for null", n.Key, n.Ind, n.Field, n.Text)
				case !math.IsNaN(want):
					got, err := strconv.ParseFloat(n.Value, 64)
					if err != nil || math.Abs(got-want) > 1e-9 {
						t.Errorf("%s %s.%s = %q, want %v", n.Key, n.Ind, n.Field, n.Value, want)
					}
				}
			}
			// Every key of every breakdown has its row.
			for name, bd := range doc["breakdowns"].(map[string]any) {
				for k := range bd.(map[string]any) {
					if !keys[name+"="+k] {
						t.Errorf("breakdown %s=%s is not on the dashboard", name, k)
					}
				}
			}
			counted := 0
			for href, count := range links {
				r := c.Get(href)
				if r.Code != http.StatusOK {
					t.Errorf("GET %s: %d", href, r.Code)
					continue
				}
				body := r.Body.String()
				m := totalRE.FindStringSubmatch(body)
				if m == nil {
					t.Errorf("GET %s: no total", href)
					continue
				}
				rows := len(caseRowRE.FindAllString(body, -1))
				if m[1] != strconv.Itoa(rows) {
					t.Errorf("GET %s: total %s but %d rows", href, m[1], rows)
				}
				if count != "" {
					counted++
					if m[1] != count {
						t.Errorf("GET %s: %s cases, but the number that links to them is %s", href, m[1], count)
					}
				}
			}
			t.Logf("%d numbers checked against %s; %d lists, %d of them behind a count", checked, run.File, len(links), counted)
			if counted < 50 {
				t.Errorf("only %d count links", counted)
			}
		})
	}
}

// TestDashboardSuppression checks the default, suppressed view: small
// counts read "<5" and link nowhere, every link leads to a list that may be
// shown, and the drill-down refuses a small cell unless exact numbers are
// asked for by someone who may see them.
func TestDashboardSuppression(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	doc, _ := servertest.ReadExpected(t, "expected-CVO-A.json")
	c := a.SignIn("kA")
	r := c.Get("/dashboard?from=2024-09-01&to=2025-08-31")
	servertest.WantStatus(t, "dashboard", r, http.StatusOK)
	servertest.WantBody(t, "notice", r, "Kleine aantallen (1 tot 4)")
	smalls := 0
	for _, n := range servertest.DashNums(r.Body.String()) {
		want, ok := servertest.ExpectedOf(t, doc, n.Key, n.Ind, n.Field)
		if n.Text == "<5" {
			smalls++
			if n.Href != "" || n.Value != "" {
				t.Errorf("%s %s.%s: a suppressed count with a link or value (%q, %q)", n.Key, n.Ind, n.Field, n.Href, n.Value)
			}
			if ok && !(want >= 1 && want <= 4) {
				t.Errorf("%s %s.%s = %v shown as <5", n.Key, n.Ind, n.Field, want)
			}
			continue
		}
		if ok && !math.IsNaN(want) && n.Value != "" {
			if got, _ := strconv.ParseFloat(n.Value, 64); math.Abs(got-want) > 1e-9 {
				t.Errorf("%s %s.%s = %s, want %v", n.Key, n.Ind, n.Field, n.Value, want)
			}
		}
		if n.Href != "" {
			if strings.Contains(n.Href, "exact=1") {
				t.Errorf("suppressed page links to exact numbers: %s", n.Href)
			}
			if rr := c.Get(n.Href); rr.Code != http.StatusOK {
				t.Errorf("GET %s from the suppressed page: %d", n.Href, rr.Code)
			}
		}
	}
	if smalls == 0 {
		t.Fatal("no suppressed count on the page")
	}
	// A small cell: 3 late starts at CVO-A.
	small := "/dashboard/cases?from=2024-09-01&to=2025-08-31&as_of=2025-08-31&provider=CVO-A&indicator=access&class=late"
	rr := c.Get(small)
	servertest.WantStatus(t, "small cell, suppressed", rr, http.StatusForbidden)
	servertest.WantBody(t, "small cell", rr, "Klein aantal", "Toon de exacte aantallen")
	if len(caseRowRE.FindAllString(rr.Body.String(), -1)) != 0 {
		t.Error("the refused small cell lists cases")
	}
	rr = c.Get(small + "&exact=1")
	servertest.WantStatus(t, "small cell, exact", rr, http.StatusOK)
	if n := len(caseRowRE.FindAllString(rr.Body.String(), -1)); n != 3 {
		t.Errorf("late starts at CVO-A: %d rows, want 3", n)
	}
	servertest.WantBody(t, "late", rr, `data-class="late"`, `/learners/E001`, "laat gestart")
	// Exact numbers of another provider, or of all providers, are not the coordinator's.
	for _, p := range []string{
		"/dashboard?from=2024-09-01&to=2025-08-31&provider=CBE-A&exact=1",
		"/dashboard?from=2024-09-01&to=2025-08-31&provider=CBE-A",
		"/dashboard/cases?from=2024-09-01&to=2025-08-31&provider=CBE-A&indicator=access&class=cohort",
		"/dashboard/cases?from=2024-09-01&to=2025-08-31&provider=CBE-A&indicator=access&class=cohort&exact=1",
	} {
		servertest.WantStatus(t, p, c.Get(p), http.StatusForbidden)
	}
	// Without a provider, a coordinator sees their own.
	r = c.Get("/dashboard?period=last_year")
	servertest.WantStatus(t, "default provider", r, http.StatusOK)
	servertest.WantBody(t, "default provider", r, `<option value="CVO-A" selected>`)
	if strings.Contains(r.Body.String(), "alle aanbieders</option>") {
		t.Error("a coordinator is offered all providers")
	}
	// A coordinator of two providers sees the first, may choose the other,
	// and is offered only those two.
	kB := a.SignIn("kB")
	r = kB.Get("/dashboard?from=2024-09-01&to=2025-08-31")
	servertest.WantStatus(t, "two providers", r, http.StatusOK)
	servertest.WantBody(t, "two providers", r, `<option value="CBE-A" selected>`, `<option value="UTC-A">`)
	if strings.Contains(r.Body.String(), `<option value="CVO-A"`) {
		t.Error("kB is offered CVO-A")
	}
	servertest.WantBody(t, "the other provider", kB.Get("/dashboard?from=2024-09-01&to=2025-08-31&provider=UTC-A&exact=1"), `<option value="UTC-A" selected>`)
	servertest.WantStatus(t, "not kB's", kB.Get("/dashboard?from=2024-09-01&to=2025-08-31&provider=CVO-A"), http.StatusForbidden)
}

// TestDashboardPeriods checks the quick choices of period on servertest.Now
// (Sunday 15 March 2026).
func TestDashboardPeriods(t *testing.T) {
	t.Parallel()
	today := domain.DateOf(servertest.Now)
	for _, tt := range []struct{ query, from, to, asOf string }{
		{"", "2025-09-01", "2026-03-15", "2026-03-15"},
		{"period=this_year", "2025-09-01", "2026-03-15", "2026-03-15"},
		{"period=last_year", "2024-09-01", "2025-08-31", "2025-08-31"},
		{"period=last_quarter", "2025-10-01", "2025-12-31", "2025-12-31"},
		{"period=custom&from=2025-01-01&to=2025-06-30", "2025-01-01", "2025-06-30", "2025-06-30"},
		{"from=2025-01-01&to=2026-06-30", "2025-01-01", "2026-06-30", "2026-03-15"},
		{"from=2025-01-01&to=2026-06-30&as_of=2026-07-01", "2025-01-01", "2026-06-30", "2026-07-01"},
		// A quick choice wins over dates left in the form.
		{"period=last_year&from=2020-01-01&to=2020-02-01&as_of=2020-02-01", "2024-09-01", "2025-08-31", "2025-08-31"},
	} {
		q, _ := url.ParseQuery(tt.query)
		got, err := core.ParseIndicatorQuery(q, today, true)
		if err != nil {
			t.Errorf("%q: %v", tt.query, err)
			continue
		}
		p := got.Params
		if p.From.String() != tt.from || p.To.String() != tt.to || p.AsOf.String() != tt.asOf {
			t.Errorf("%q: %s – %s as of %s, want %s – %s as of %s", tt.query, p.From, p.To, p.AsOf, tt.from, tt.to, tt.asOf)
		}
	}
	if f, to := core.LastQuarter(domain.MustDate("2026-01-01")); f.String() != "2025-10-01" || to.String() != "2025-12-31" {
		t.Errorf("last quarter of 2026-01-01: %s – %s", f, to)
	}
	if f, to := core.SchoolYear(domain.MustDate("2026-09-01")); f.String() != "2026-09-01" || to.String() != "2027-08-31" {
		t.Errorf("school year of 2026-09-01: %s – %s", f, to)
	}
	for _, bad := range []string{"period=someday", "period=custom", "from=2025-13-01&to=2025-12-31", "from=2025-06-01&to=2025-01-01&period=custom",
		"period=last_year&statutory_months=x", "period=last_year&min_hours=-1"} {
		q, _ := url.ParseQuery(bad)
		if _, err := core.ParseIndicatorQuery(q, today, true); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%q: %v, want EINVALID", bad, err)
		}
	}
}

// TestDashboardCurrentPeriod checks the default period on a fixed day: the
// school year up to that day, so that the fixture's groups, which are still
// running on servertest.Now, are not in the progress cohort (they would all count
// as not on track), and the comparison covers the same part of the year
// before.
func TestDashboardCurrentPeriod(t *testing.T) {
	q, err := core.ParseIndicatorQuery(url.Values{}, domain.DateOf(servertest.Now), true)
	if err != nil {
		t.Fatal(err)
	}
	prev := core.PreviousYear(q.Params)
	if prev.From.String() != "2024-09-01" || prev.To.String() != "2025-03-15" || prev.AsOf.String() != "2025-03-15" {
		t.Errorf("compared with %s – %s as of %s, want 2024-09-01 – 2025-03-15 as of 2025-03-15", prev.From, prev.To, prev.AsOf)
	}
	if f, to := core.SchoolYearToDate(domain.MustDate("2026-09-01")); f.String() != "2026-09-01" || to.String() != "2026-09-01" {
		t.Errorf("school year to date on its first day: %s – %s", f, to)
	}
	a := servertest.New(t)
	page := a.As("admin").Get("/dashboard?exact=1")
	body := page.Body.String()
	for _, field := range []string{"missed", "pending"} {
		if n := countOf(t, body, "progress", field); n != 0 {
			t.Errorf("progress.%s this school year on %s: %d enrollments, want 0 (the groups end on 2026-06-26)", field, domain.DateOf(servertest.Now), n)
		}
	}
	servertest.WantBody(t, "the period", page, `value="2025-09-01"`, `value="2026-03-15"`)
	// The dates are shown but not editable unless the period is chosen by hand.
	if n := strings.Count(body, `readonly aria-readonly="true" data-custom-period`); n != 3 {
		t.Errorf("%d of the period's 3 date fields are read-only with a quick choice", n)
	}
	// The same fixture judged over the whole school year puts the running
	// groups in: the test above would fail with the old definition.
	whole := a.As("admin").Get("/dashboard?period=custom&from=2025-09-01&to=2026-08-31&exact=1").Body.String()
	if strings.Contains(whole, "readonly") {
		t.Error("a period chosen by hand has read-only dates")
	}
	// Running, they are nog lopend (pending), never failures (missed).
	if n := countOf(t, whole, "progress", "pending"); n == 0 {
		t.Error("over the whole school year no enrollment is pending: the fixture no longer tests the period")
	}
	if n := countOf(t, whole, "progress", "missed"); n > 1 {
		t.Errorf("over the whole school year %d enrollments of running groups show as not on track, want only the fixture's drop-out", n)
	}
}

// TestDashboardCache checks that a repeat view is served from the cache
// and that any write drops it, so that the next view shows the change.
func TestDashboardCache(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	c := a.SignIn("root")
	page := "/dashboard?from=2024-09-01&to=2025-08-31&exact=1"
	timingOf := func(r interface{ Header() http.Header }) string { return r.Header().Get("Server-Timing") }
	r1 := c.Get(page)
	servertest.WantStatus(t, "first", r1, http.StatusOK)
	if tm := timingOf(r1); !strings.Contains(tm, `data;desc="load"`) || !strings.Contains(tm, `result;desc="compute"`) {
		t.Errorf("first view: Server-Timing %q, want a load and a computation", tm)
	}
	r2 := c.Get(page)
	if tm := timingOf(r2); tm != `data;desc="hit", body;desc="hit"` {
		t.Errorf("repeat view: Server-Timing %q, want only hits", tm)
	}
	if r1.Body.String() != r2.Body.String() {
		t.Error("the repeat view differs")
	}
	before := countOf(t, r2.Body.String(), "outflow", "total")
	// A write: one more outflow at CVO-A in the period.
	if err := a.DB.SaveOutflow(context.Background(), "test", domain.Outflow{Learner: "E003", Date: domain.MustDate("2025-06-01"),
		Type: "qualified", Provider: "CVO-A"}, servertest.Now); err != nil {
		t.Fatal(err)
	}
	r3 := c.Get(page)
	if tm := timingOf(r3); !strings.Contains(tm, `data;desc="load"`) {
		t.Errorf("view after a write: Server-Timing %q, want a load", tm)
	}
	if after := countOf(t, r3.Body.String(), "outflow", "total"); after != before+1 {
		t.Errorf("outflow total after the write: %d, want %d", after, before+1)
	}
	// A drill-down reads the same snapshot and caches its list.
	list := "/dashboard/cases?from=2024-09-01&to=2025-08-31&as_of=2025-08-31&indicator=outflow&class=total&exact=1"
	d1 := c.Get(list)
	servertest.WantStatus(t, "list", d1, http.StatusOK)
	if tm := timingOf(d1); !strings.Contains(tm, `cases;desc="explain"`) || !strings.Contains(tm, `data;desc="hit"`) {
		t.Errorf("first list: Server-Timing %q", tm)
	}
	if tm := timingOf(c.Get(list)); tm != `data;desc="hit", cases;desc="hit", body;desc="hit"` {
		t.Errorf("repeat list: Server-Timing %q", tm)
	}
	if m := totalRE.FindStringSubmatch(d1.Body.String()); m == nil || m[1] != strconv.Itoa(before+1) {
		t.Errorf("list of outflows: %v, want %d", m, before+1)
	}
	// A cached page body is kept per language and per role and providers:
	// the same query shows an admin and a coordinator different choices.
	cva := "/dashboard?from=2024-09-01&to=2025-08-31&provider=CVO-A"
	admin := c.Get(cva)
	coord := a.SignIn("kA").Get(cva)
	servertest.WantBody(t, "admin's page", admin, "alle aanbieders</option>", `<option value="UTC-A">`)
	if strings.Contains(coord.Body.String(), "alle aanbieders</option>") || strings.Contains(coord.Body.String(), `<option value="UTC-A">`) {
		t.Error("the coordinator got the admin's cached page")
	}
	c.Lang = "en"
	servertest.WantBody(t, "english page", c.Get(cva), "all providers</option>")
}

// countOf returns the total count field of ind on a dashboard page.
func countOf(t *testing.T, body, ind, field string) int {
	t.Helper()
	for _, n := range servertest.DashNums(body) {
		if n.Key == "" && n.Ind == ind && n.Field == field && n.Value != "" {
			v, _ := strconv.Atoi(n.Value)
			return v
		}
	}
	t.Fatalf("no %s.%s on the page", ind, field)
	return 0
}

// TestDashboardPages checks the pages around the numbers: tiles with the
// change against a year earlier, charts as JSON for app.js, English, and
// the refusals of bad queries.
func TestDashboardPages(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	c := a.SignIn("root")
	r := c.Get("/dashboard?from=2025-01-01&to=2025-12-31&as_of=2026-06-30&exact=1")
	servertest.WantStatus(t, "dashboard", r, http.StatusOK)
	body := r.Body.String()
	servertest.WantBody(t, "dashboard", r, `id="tile-access"`, `id="tile-effects"`, "Toegang binnen de wettelijke termijn",
		`data-dashboard-chart="{&#34;unit&#34;:&#34;percent&#34;`, `id="chart-provider"`, `id="chart-route"`, `id="chart-skill"`,
		`id="chart-reasons"`, "Vergeleken met dezelfde periode een jaar eerder: 2024-01-01 – 2024-12-31 (peildatum 2025-06-30).",
		`class="delta `, " pp", `<option value="" selected>`, "alle aanbieders")
	for _, bad := range []string{"<script>", "style=", " onclick=", "javascript:"} {
		if strings.Contains(body, bad) {
			t.Errorf("dashboard holds %q, which the CSP forbids", bad)
		}
	}
	c.Lang = "en"
	servertest.WantBody(t, "english", c.Get("/dashboard?from=2025-01-01&to=2025-12-31&as_of=2026-06-30"),
		"Dashboard of results and effects", "Access within the statutory period", "Rates per provider", "Small counts (1 to 4)")
	servertest.WantBody(t, "english list", c.Get("/dashboard/cases?from=2025-01-01&to=2025-12-31&as_of=2026-06-30&indicator=access&class=cohort&exact=1"),
		"Back to the dashboard", "started on time")
	c.Lang = ""
	for _, tt := range []struct {
		path string
		want int
	}{
		{"/dashboard?period=nope", http.StatusBadRequest},
		{"/dashboard?from=2025-01-01&to=2024-01-01", http.StatusBadRequest},
		{"/dashboard?provider=NOPE", http.StatusNotFound},
		{"/dashboard/cases?from=2025-01-01&to=2025-12-31", http.StatusBadRequest},
		{"/dashboard/cases?from=2025-01-01&to=2025-12-31&indicator=nope", http.StatusBadRequest},
		{"/dashboard/cases?from=2025-01-01&to=2025-12-31&indicator=access&class=nope", http.StatusBadRequest},
		{"/dashboard/cases?from=2025-01-01&to=2025-12-31&indicator=access&breakdown=gender", http.StatusBadRequest},
		{"/dashboard/cases?from=2025-01-01&to=2025-12-31&indicator=access&class=cohort&exact=1&page=9", http.StatusNotFound},
		{"/dashboard/cases?from=2025-01-01&to=2025-12-31&indicator=learning_gain&class=by_skill.reading.gained&exact=1", http.StatusOK},
		{"/dashboard/cases?from=2025-01-01&to=2025-12-31&indicator=outflow&class=reasons.work&breakdown=provider%3DCVO-A&exact=1", http.StatusOK},
	} {
		servertest.WantStatus(t, tt.path, c.Get(tt.path), tt.want)
	}
}

// TestDrilldownPages checks the paging of a long list: 1,000 cases a page,
// the total on every page, and every case once.
func TestDrilldownPages(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("-short: imports 3,000 demo learners")
	}
	a := servertest.NewOn(t, testkit.Built(t, "server_fixture_demo3000", func(ctx context.Context, db *store.DB) error {
		if err := testkit.FillFixture(ctx, db); err != nil {
			return err
		}
		if rep, err := importer.DataSet(ctx, db, demoData(3000), importer.Options{}); err != nil || !rep.OK() {
			return fmt.Errorf("demo import: %v %v", err, rep)
		}
		return nil
	}))
	c := a.As("admin")
	base := "/dashboard/cases?from=2024-09-01&to=2026-06-30&indicator=access&class=cohort&exact=1"
	first := c.Get(base)
	servertest.WantStatus(t, "page 1", first, http.StatusOK)
	m := totalRE.FindStringSubmatch(first.Body.String())
	total, _ := strconv.Atoi(m[1])
	if total <= ui.DrilldownPageSize {
		t.Fatalf("%d referrals: too few for two pages", total)
	}
	seen := 0
	for p := 1; p <= (total+ui.DrilldownPageSize-1)/ui.DrilldownPageSize; p++ {
		r := c.Get(base + "&page=" + strconv.Itoa(p))
		servertest.WantStatus(t, "page", r, http.StatusOK)
		rows := len(caseRowRE.FindAllString(r.Body.String(), -1))
		if want := min(ui.DrilldownPageSize, total-seen); rows != want {
			t.Errorf("page %d: %d rows, want %d", p, rows, want)
		}
		servertest.WantBody(t, "page", r, `data-total="`+m[1]+`"`)
		seen += rows
	}
	if seen != total {
		t.Errorf("%d rows over all pages, want %d", seen, total)
	}
	servertest.WantBody(t, "pager", first, `rel="next"`)
}

// demoData is the demo data set of n learners, taken on servertest.Now.
func demoData(n int) *domain.DataSet {
	return demo.Generate(demo.Options{Learners: n, Today: domain.DateOf(servertest.Now)})
}

// TestDashboardGzip checks the spliced gzip answers: they decompress to
// exactly the page the client gets without gzip.
func TestDashboardGzip(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	c := a.SignIn("root")
	for _, page := range []string{"/dashboard?from=2024-09-01&to=2025-08-31&exact=1",
		"/dashboard/cases?from=2024-09-01&to=2025-08-31&as_of=2025-08-31&indicator=access&class=cohort&exact=1"} {
		plain := c.Get(page)
		servertest.WantStatus(t, page, plain, http.StatusOK)
		if plain.Header().Get("Content-Encoding") != "" || strings.Contains(plain.Body.String(), "traject:cached-body") {
			t.Fatalf("%s: plain answer is encoded or holds the marker", page)
		}
		req := httptest.NewRequest(http.MethodGet, page, nil)
		req.AddCookie(&http.Cookie{Name: auth.SessionCookieName(false), Value: c.Cookie})
		req.Header.Set("Accept-Encoding", "br;q=1.0, gzip;q=0.8")
		rec := httptest.NewRecorder()
		a.Srv.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
			t.Fatalf("%s: %d, headers %v", page, rec.Code, rec.Header())
		}
		size := rec.Body.Len()
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: the gzip stream does not decompress: %v", page, err)
		}
		if string(got) != plain.Body.String() {
			t.Errorf("%s: gzip answer differs from the plain one", page)
		}
		t.Logf("%s: %d bytes, %d gzipped", page, len(got), size)
	}
}

// TestDashboardRefreshAhead checks that after a commit the cache loads the
// new data and renders the page viewed last by itself, so that the next
// view is served from the cache, with the change.
func TestDashboardRefreshAhead(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	c := a.SignIn("root")
	page := "/dashboard?from=2024-09-01&to=2025-08-31&exact=1"
	before := countOf(t, c.Get(page).Body.String(), "outflow", "total")
	if err := a.DB.SaveOutflow(context.Background(), "test", domain.Outflow{Learner: "E003", Date: domain.MustDate("2025-06-01"),
		Type: "qualified", Provider: "CVO-A"}, servertest.Now); err != nil {
		t.Fatal(err)
	}
	// What the watcher does on its next tick, done now and waited for.
	if err := a.Srv.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := c.Get(page)
	if tm := r.Header().Get("Server-Timing"); tm != `data;desc="hit", body;desc="hit"` {
		t.Errorf("view after the watcher's refresh: Server-Timing %q, want hits", tm)
	}
	if after := countOf(t, r.Body.String(), "outflow", "total"); after != before+1 {
		t.Errorf("outflow total after the write: %d, want %d", after, before+1)
	}
}

// TestBookkeepingKeepsDashboardWarm checks that what is no data leaves the
// cached dashboard alone: a failed login (anyone can cause one), an audit
// entry, a schedule's audit trail, and making and revoking an API token.
// Each used to move the data version and cost every user a reload of the
// whole data set.
func TestBookkeepingKeepsDashboardWarm(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	ctx := context.Background()
	c := a.SignIn("root")
	page := "/dashboard?from=2024-09-01&to=2025-08-31&exact=1"
	servertest.WantStatus(t, "first view", c.Get(page), http.StatusOK)
	var tokenID int64
	for _, step := range []struct {
		what string
		do   func() error
	}{
		{"a failed login", func() error {
			if r := servertest.Login(t, a, "root", "wrong password"); r.StatusCode == http.StatusSeeOther {
				return fmt.Errorf("a wrong password signed in")
			}
			return nil
		}},
		{"an audit entry", func() error {
			return a.DB.RecordChange(ctx, store.AuditEntry{At: servertest.Now, Username: "root", Action: store.AuditCreate,
				Entity: "schedules", Key: "maand", After: map[string]any{"cron": "@monthly"}})
		}},
		{"a new API token", func() error {
			_, rec, err := a.DB.CreateToken(ctx, "test", "root", "script", servertest.Now.Add(24*time.Hour), servertest.Now)
			if err == nil {
				tokenID = rec.ID
			}
			return err
		}},
		{"a revoked API token", func() error { return a.DB.RevokeToken(ctx, "test", tokenID, servertest.Now) }},
	} {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.what, err)
		}
		r := c.Get(page)
		if tm := r.Header().Get("Server-Timing"); tm != `data;desc="hit", body;desc="hit"` {
			t.Errorf("after %s: Server-Timing %q, want the cached page", step.what, tm)
		}
	}
}

// TestCachedPagesWithoutGzip asks for the pages served through the cached
// splice over a real connection, as curl without --compressed, a script or
// a proxy that strips Accept-Encoding would: the answer must carry the whole
// page, and a Content-Length, if any, must be the page's. (A recorder does
// not enforce the declared length; a real server does.)
func TestCachedPagesWithoutGzip(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	c := a.SignIn("root")
	ts := httptest.NewServer(a.Srv.Handler())
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, tc := range []struct{ page, want string }{
		{"/dashboard?from=2024-09-01&to=2025-08-31&exact=1", `data-count=`},
		{"/dashboard/cases?from=2024-09-01&to=2025-08-31&as_of=2025-08-31&indicator=access&class=cohort&exact=1", `href="/learners/`},
	} {
		page := tc.page
		for _, encoding := range []string{"", "gzip"} {
			for round := range 2 { // the first view fills the cache, the second is served from it
				req, err := http.NewRequest(http.MethodGet, ts.URL+page, nil)
				if err != nil {
					t.Fatal(err)
				}
				req.AddCookie(&http.Cookie{Name: auth.SessionCookieName(false), Value: c.Cookie})
				if encoding != "" {
					req.Header.Set("Accept-Encoding", encoding)
				}
				res, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				raw, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err != nil {
					t.Fatalf("%s (%q, view %d): reading the answer: %v", page, encoding, round+1, err)
				}
				body := raw
				if res.Header.Get("Content-Encoding") == "gzip" {
					zr, err := gzip.NewReader(bytes.NewReader(raw))
					if err != nil {
						t.Fatal(err)
					}
					if body, err = io.ReadAll(zr); err != nil {
						t.Fatalf("%s: the gzip answer does not decompress: %v", page, err)
					}
				}
				if cl := res.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(raw)) {
					t.Errorf("%s (%q, view %d): Content-Length %s, but %d bytes came", page, encoding, round+1, cl, len(raw))
				}
				if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("</html>")) || !bytes.Contains(body, []byte(tc.want)) {
					t.Errorf("%s (%q, view %d): %d, %d bytes: not the whole page", page, encoding, round+1, res.StatusCode, len(body))
				}
			}
		}
	}
}

// TestDashboardPending: on the fixture's day (servertest.Now) its groups
// are still running; over the whole school year their enrollments are in
// the progress cohort, and the tile and the drill-down show them as nog
// lopend, never as failures, while the rate stays the spec's.
func TestDashboardPending(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("admin")
	page := c.Get("/dashboard?period=custom&from=2025-09-01&to=2026-08-31&exact=1")
	servertest.WantStatus(t, "dashboard", page, http.StatusOK)
	body := page.Body.String()
	pending, missed := countOf(t, body, "progress", "pending"), countOf(t, body, "progress", "missed")
	if cohort := countOf(t, body, "progress", "cohort"); pending == 0 || pending+missed != cohort-countOf(t, body, "progress", "on_track") {
		t.Fatalf("pending %d, missed %d of a cohort of %d", pending, missed, cohort)
	}
	servertest.WantBody(t, "tile", page, "nog lopend")
	// Of the running groups, only a learner who dropped out has an outcome
	// already, and shows as not on track.
	r := c.Get("/dashboard/cases?period=custom&from=2025-09-01&to=2026-08-31&exact=1&indicator=progress&class=missed")
	servertest.WantStatus(t, "drill-down missed", r, http.StatusOK)
	if rows, list := strings.Count(r.Body.String(), "<tr data-case"), r.Body.String(); rows != missed || strings.Count(list, "(gestopt, ") != rows {
		t.Errorf("drill-down of missed: %d rows, %d of them drop-outs, want %d drop-outs", rows, strings.Count(list, "(gestopt, "), missed)
	}
	for _, class := range []string{"pending", "not_on_track"} {
		r := c.Get("/dashboard/cases?period=custom&from=2025-09-01&to=2026-08-31&exact=1&indicator=progress&class=" + class)
		servertest.WantStatus(t, "drill-down "+class, r, http.StatusOK)
		list := r.Body.String()
		rows, marked := strings.Count(list, "<tr data-case"), strings.Count(list, `data-class="not_on_track" data-pending>`)
		want := pending
		if class == "not_on_track" {
			want += missed
		}
		if rows != want || marked != pending || strings.Count(list, `class="class class-pending">nog lopend<`) != pending {
			t.Errorf("drill-down of %s: %d rows, %d marked pending, want %d rows, %d of them shown as nog lopend", class, rows, marked, want, pending)
		}
	}
}

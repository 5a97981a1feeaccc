package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/demo"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/importer"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/server/ui"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testkit"
)

// conformanceDir is the conformance data set with the CLI's expected output.
const conformanceDir = "../../testdata/conformance"

// conformanceUsers are the accounts of the conformance app.
var conformanceUsers = []domain.User{
	{Username: "root", Role: domain.RoleAdmin},
	{Username: "kA", Role: domain.RoleCoordinator, Providers: []string{"CVO-A"}},
	{Username: "kB", Role: domain.RoleCoordinator, Providers: []string{"CBE-A", "UTC-A"}},
	{Username: "teacher01", Role: domain.RoleTeacher},
	{Username: "counsellor07", Role: domain.RoleCounsellor},
}

// newConformanceApp is a server over the conformance data set, imported as
// `traject import` does.
func newConformanceApp(t *testing.T) *app {
	t.Helper()
	return newAppOn(t, testkit.Built(t, "server_conformance", func(ctx context.Context, db *store.DB) error {
		rep, err := importer.Path(ctx, db, conformanceDir, importer.Options{})
		if err != nil {
			return err
		}
		if !rep.OK() {
			return fmt.Errorf("conformance import: %v", rep.Errors)
		}
		return createUsers(ctx, db, slices.Clone(conformanceUsers))
	}))
}

// signIn is a browser signed in as username.
func (a *app) signIn(username string) *client {
	a.t.Helper()
	token, csrf, err := a.db.CreateSession(context.Background(), username, time.Hour, testNow)
	if err != nil {
		a.t.Fatal(err)
	}
	return &client{a: a, cookie: token, csrf: csrf}
}

// dashNum is one number of a dashboard page, read from its data attributes.
type dashNum struct {
	href, ind, field, key, value, count, text string
}

var dashNumRE = regexp.MustCompile(`<(?:a|span) class="n[^"]*"(?: href="([^"]*)")? data-ind="([^"]*)" data-field="([^"]*)" data-key="([^"]*)"(?: data-value="([^"]*)")?(?: data-count="([^"]*)")?>([^<]*)</(?:a|span)>`)

// dashNums returns every number of a dashboard page.
func dashNums(body string) []dashNum {
	var out []dashNum
	for _, m := range dashNumRE.FindAllStringSubmatch(body, -1) {
		out = append(out, dashNum{href: html.UnescapeString(m[1]), ind: m[2], field: m[3], key: html.UnescapeString(m[4]),
			value: m[5], count: m[6], text: html.UnescapeString(m[7])})
	}
	return out
}

// expectedOf returns the value of one number in a conformance file: the
// field of the indicator's object in the total (key "") or a breakdown key.
// ok is false for numbers the JSON form does not hold (sums of hours and
// gains); a null value is (NaN, true).
func expectedOf(t *testing.T, doc map[string]any, key, ind, field string) (float64, bool) {
	t.Helper()
	var block map[string]any
	if key == "" {
		block, _ = doc["indicators"].(map[string]any)
	} else {
		name, k, _ := strings.Cut(key, "=")
		bd, _ := doc["breakdowns"].(map[string]any)[name].(map[string]any)
		block, _ = bd[k].(map[string]any)
		if block == nil {
			t.Errorf("%s: breakdown key not in the expected file", key)
			return 0, false
		}
	}
	obj, _ := block[ind].(map[string]any)
	num := func(f string) float64 {
		v, ok := obj[f].(float64)
		if !ok {
			t.Errorf("%s %s.%s: %v is not a number", key, ind, f, obj[f])
		}
		return v
	}
	other := func(ind, f string) float64 {
		v, _ := block[ind].(map[string]any)[f].(float64)
		return v
	}
	switch ind + "." + field {
	case "progress.not_on_track":
		return num("cohort") - num("on_track"), true
	case "certification.not_certified":
		return num("cohort") - num("certified"), true
	case "learning_gain.cohort":
		return num("participants"), true
	case "learning_gain.assessed_no_gain":
		return num("assessed") - num("gained"), true
	case "learning_gain.not_assessed":
		return num("participants") - num("assessed"), true
	case "outflow.cohort":
		return num("total"), true
	case "outflow.other":
		return num("total") - num("qualified") - num("transfer") - num("early_leaver"), true
	case "effects.cohort":
		return other("outflow", "total"), true
	case "effects.followed_up_not_positive":
		return num("followed_up") - num("positive"), true
	case "effects.not_followed_up":
		return other("outflow", "total") - num("followed_up"), true
	case "wellbeing.cohort", "involvement.cohort":
		return num("observed"), true
	case "wellbeing.middle", "involvement.middle":
		return num("observed") - num("high") - num("low"), true
	}
	switch field {
	case "judged":
		return num("on_time") + num("late") + num("waiting_overdue"), true
	case "started":
		return num("on_time") + num("late"), true
	case "hours_attended", "planned_hours", "gain_sum", "pairs":
		return 0, false
	}
	var v any = obj
	for _, part := range strings.Split(field, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s %s.%s: no such field", key, ind, field)
			return 0, false
		}
		if v, ok = m[part]; !ok {
			if strings.HasPrefix(field, "reasons.") || strings.HasPrefix(field, "destinations.") {
				return 0, true // a count that does not occur is 0
			}
			t.Errorf("%s %s.%s: no such field", key, ind, field)
			return 0, false
		}
	}
	if v == nil {
		return math.NaN(), true
	}
	f, ok := v.(float64)
	if !ok {
		t.Errorf("%s %s.%s: %v is not a number", key, ind, field, v)
	}
	return f, ok
}

// readExpected reads a conformance file.
func readExpected(t *testing.T, name string) (map[string]any, []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(conformanceDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc, b
}

// conformanceRuns are the CLI runs of testdata/conformance/README.md, as
// query parameters.
var conformanceRuns = []struct {
	file, query, user string
}{
	{"expected.json", "from=2024-09-01&to=2025-08-31", "root"},
	{"expected-CVO-A.json", "from=2024-09-01&to=2025-08-31&provider=CVO-A", "kA"},
	{"expected-2025-asof-2026-06-30.json", "from=2025-01-01&to=2025-12-31&as_of=2026-06-30", "root"},
}

var caseRowRE = regexp.MustCompile(`<tr data-case`)
var totalRE = regexp.MustCompile(`data-total="(\d+)"`)

// TestDashboardMatchesCLI checks every number of the dashboard in exact
// mode against the CLI's JSON for the conformance data (the files the CLI
// is tested against), and that each number that links to its cases links to
// exactly as many as it says.
func TestDashboardMatchesCLI(t *testing.T) {
	t.Parallel()
	a := newConformanceApp(t)
	for _, run := range conformanceRuns {
		t.Run(run.file, func(t *testing.T) {
			doc, _ := readExpected(t, run.file)
			c := a.signIn(run.user)
			r := c.get("/dashboard?" + run.query + "&exact=1")
			wantStatus(t, "dashboard", r, http.StatusOK)
			if want := fmt.Sprintf(`data-definitions-version="%v"`, doc["definitions_version"]); !strings.Contains(r.Body.String(), want) {
				t.Errorf("the dashboard does not state the definitions version (%s)", want)
			}
			nums := dashNums(r.Body.String())
			if len(nums) < 100 {
				t.Fatalf("only %d numbers on the dashboard", len(nums))
			}
			keys := map[string]bool{}
			checked, links := 0, map[string]string{}
			for _, n := range nums {
				keys[n.key] = true
				want, ok := expectedOf(t, doc, n.key, n.ind, n.field)
				if !ok {
					continue
				}
				checked++
				switch {
				case math.IsNaN(want) && n.value != "":
					t.Errorf("%s %s.%s = %s, want null", n.key, n.ind, n.field, n.value)
				case math.IsNaN(want) && n.text != "–":
					t.Errorf("%s %s.%s shows %q for null", n.key, n.ind, n.field, n.text)
				case !math.IsNaN(want):
					got, err := strconv.ParseFloat(n.value, 64)
					if err != nil || math.Abs(got-want) > 1e-9 {
						t.Errorf("%s %s.%s = %q, want %v", n.key, n.ind, n.field, n.value, want)
					}
				}
				if n.count != "" {
					links[n.href] = n.count
					if n.count != n.value {
						t.Errorf("%s %s.%s: data-count %s but value %s", n.key, n.ind, n.field, n.count, n.value)
					}
				} else if n.href != "" {
					links[n.href] = ""
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
				r := c.get(href)
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
			t.Logf("%d numbers checked against %s; %d lists, %d of them behind a count", checked, run.file, len(links), counted)
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
	a := newConformanceApp(t)
	doc, _ := readExpected(t, "expected-CVO-A.json")
	c := a.signIn("kA")
	r := c.get("/dashboard?from=2024-09-01&to=2025-08-31")
	wantStatus(t, "dashboard", r, http.StatusOK)
	wantBody(t, "notice", r, "Kleine aantallen (1 tot 4)")
	smalls := 0
	for _, n := range dashNums(r.Body.String()) {
		want, ok := expectedOf(t, doc, n.key, n.ind, n.field)
		if n.text == "<5" {
			smalls++
			if n.href != "" || n.value != "" {
				t.Errorf("%s %s.%s: a suppressed count with a link or value (%q, %q)", n.key, n.ind, n.field, n.href, n.value)
			}
			if ok && !(want >= 1 && want <= 4) {
				t.Errorf("%s %s.%s = %v shown as <5", n.key, n.ind, n.field, want)
			}
			continue
		}
		if ok && !math.IsNaN(want) && n.value != "" {
			if got, _ := strconv.ParseFloat(n.value, 64); math.Abs(got-want) > 1e-9 {
				t.Errorf("%s %s.%s = %s, want %v", n.key, n.ind, n.field, n.value, want)
			}
		}
		if n.href != "" {
			if strings.Contains(n.href, "exact=1") {
				t.Errorf("suppressed page links to exact numbers: %s", n.href)
			}
			if rr := c.get(n.href); rr.Code != http.StatusOK {
				t.Errorf("GET %s from the suppressed page: %d", n.href, rr.Code)
			}
		}
	}
	if smalls == 0 {
		t.Fatal("no suppressed count on the page")
	}
	// A small cell: 3 late starts at CVO-A.
	small := "/dashboard/cases?from=2024-09-01&to=2025-08-31&as_of=2025-08-31&provider=CVO-A&indicator=access&class=late"
	rr := c.get(small)
	wantStatus(t, "small cell, suppressed", rr, http.StatusForbidden)
	wantBody(t, "small cell", rr, "Klein aantal", "Toon de exacte aantallen")
	if len(caseRowRE.FindAllString(rr.Body.String(), -1)) != 0 {
		t.Error("the refused small cell lists cases")
	}
	rr = c.get(small + "&exact=1")
	wantStatus(t, "small cell, exact", rr, http.StatusOK)
	if n := len(caseRowRE.FindAllString(rr.Body.String(), -1)); n != 3 {
		t.Errorf("late starts at CVO-A: %d rows, want 3", n)
	}
	wantBody(t, "late", rr, `data-class="late"`, `/learners/E001`, "laat gestart")
	// Exact numbers of another provider, or of all providers, are not the coordinator's.
	for _, p := range []string{
		"/dashboard?from=2024-09-01&to=2025-08-31&provider=CBE-A&exact=1",
		"/dashboard?from=2024-09-01&to=2025-08-31&provider=CBE-A",
		"/dashboard/cases?from=2024-09-01&to=2025-08-31&provider=CBE-A&indicator=access&class=cohort",
		"/dashboard/cases?from=2024-09-01&to=2025-08-31&provider=CBE-A&indicator=access&class=cohort&exact=1",
	} {
		wantStatus(t, p, c.get(p), http.StatusForbidden)
	}
	// Without a provider, a coordinator sees their own.
	r = c.get("/dashboard?period=last_year")
	wantStatus(t, "default provider", r, http.StatusOK)
	wantBody(t, "default provider", r, `<option value="CVO-A" selected>`)
	if strings.Contains(r.Body.String(), "alle aanbieders</option>") {
		t.Error("a coordinator is offered all providers")
	}
	// A coordinator of two providers sees the first, may choose the other,
	// and is offered only those two.
	kB := a.signIn("kB")
	r = kB.get("/dashboard?from=2024-09-01&to=2025-08-31")
	wantStatus(t, "two providers", r, http.StatusOK)
	wantBody(t, "two providers", r, `<option value="CBE-A" selected>`, `<option value="UTC-A">`)
	if strings.Contains(r.Body.String(), `<option value="CVO-A"`) {
		t.Error("kB is offered CVO-A")
	}
	wantBody(t, "the other provider", kB.get("/dashboard?from=2024-09-01&to=2025-08-31&provider=UTC-A&exact=1"), `<option value="UTC-A" selected>`)
	wantStatus(t, "not kB's", kB.get("/dashboard?from=2024-09-01&to=2025-08-31&provider=CVO-A"), http.StatusForbidden)
}

// TestDashboardPeriods checks the quick choices of period on testNow
// (Sunday 15 March 2026).
func TestDashboardPeriods(t *testing.T) {
	t.Parallel()
	today := domain.DateOf(testNow)
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
// running on testNow, are not in the progress cohort (they would all count
// as not on track), and the comparison covers the same part of the year
// before.
func TestDashboardCurrentPeriod(t *testing.T) {
	q, err := core.ParseIndicatorQuery(url.Values{}, domain.DateOf(testNow), true)
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
	a := newApp(t)
	page := a.as("admin").get("/dashboard?exact=1")
	body := page.Body.String()
	if n := countOf(t, body, "progress", "not_on_track"); n != 0 {
		t.Errorf("not on track this school year on %s: %d enrollments, want 0 (the groups end on 2026-06-26)", domain.DateOf(testNow), n)
	}
	wantBody(t, "the period", page, `value="2025-09-01"`, `value="2026-03-15"`)
	// The dates are shown but not editable unless the period is chosen by hand.
	if n := strings.Count(body, `readonly aria-readonly="true" data-custom-period`); n != 3 {
		t.Errorf("%d of the period's 3 date fields are read-only with a quick choice", n)
	}
	// The same fixture judged over the whole school year puts the running
	// groups in: the test above would fail with the old definition.
	whole := a.as("admin").get("/dashboard?period=custom&from=2025-09-01&to=2026-08-31&exact=1").Body.String()
	if strings.Contains(whole, "readonly") {
		t.Error("a period chosen by hand has read-only dates")
	}
	if n := countOf(t, whole, "progress", "not_on_track"); n == 0 {
		t.Error("over the whole school year no enrollment is not on track: the fixture no longer tests the period")
	}
}

// TestDashboardCache checks that a repeat view is served from the cache
// and that any write drops it, so that the next view shows the change.
func TestDashboardCache(t *testing.T) {
	t.Parallel()
	a := newConformanceApp(t)
	c := a.signIn("root")
	page := "/dashboard?from=2024-09-01&to=2025-08-31&exact=1"
	timingOf := func(r interface{ Header() http.Header }) string { return r.Header().Get("Server-Timing") }
	r1 := c.get(page)
	wantStatus(t, "first", r1, http.StatusOK)
	if tm := timingOf(r1); !strings.Contains(tm, `data;desc="load"`) || !strings.Contains(tm, `result;desc="compute"`) {
		t.Errorf("first view: Server-Timing %q, want a load and a computation", tm)
	}
	r2 := c.get(page)
	if tm := timingOf(r2); tm != `data;desc="hit", body;desc="hit"` {
		t.Errorf("repeat view: Server-Timing %q, want only hits", tm)
	}
	if r1.Body.String() != r2.Body.String() {
		t.Error("the repeat view differs")
	}
	before := countOf(t, r2.Body.String(), "outflow", "total")
	// A write: one more outflow at CVO-A in the period.
	if err := a.db.SaveOutflow(context.Background(), "test", domain.Outflow{Learner: "E003", Date: domain.MustDate("2025-06-01"),
		Type: "qualified", Provider: "CVO-A"}, testNow); err != nil {
		t.Fatal(err)
	}
	r3 := c.get(page)
	if tm := timingOf(r3); !strings.Contains(tm, `data;desc="load"`) {
		t.Errorf("view after a write: Server-Timing %q, want a load", tm)
	}
	if after := countOf(t, r3.Body.String(), "outflow", "total"); after != before+1 {
		t.Errorf("outflow total after the write: %d, want %d", after, before+1)
	}
	// A drill-down reads the same snapshot and caches its list.
	list := "/dashboard/cases?from=2024-09-01&to=2025-08-31&as_of=2025-08-31&indicator=outflow&class=total&exact=1"
	d1 := c.get(list)
	wantStatus(t, "list", d1, http.StatusOK)
	if tm := timingOf(d1); !strings.Contains(tm, `cases;desc="explain"`) || !strings.Contains(tm, `data;desc="hit"`) {
		t.Errorf("first list: Server-Timing %q", tm)
	}
	if tm := timingOf(c.get(list)); tm != `data;desc="hit", cases;desc="hit", body;desc="hit"` {
		t.Errorf("repeat list: Server-Timing %q", tm)
	}
	if m := totalRE.FindStringSubmatch(d1.Body.String()); m == nil || m[1] != strconv.Itoa(before+1) {
		t.Errorf("list of outflows: %v, want %d", m, before+1)
	}
	// A cached page body is kept per language and per role and providers:
	// the same query shows an admin and a coordinator different choices.
	cva := "/dashboard?from=2024-09-01&to=2025-08-31&provider=CVO-A"
	admin := c.get(cva)
	coord := a.signIn("kA").get(cva)
	wantBody(t, "admin's page", admin, "alle aanbieders</option>", `<option value="UTC-A">`)
	if strings.Contains(coord.Body.String(), "alle aanbieders</option>") || strings.Contains(coord.Body.String(), `<option value="UTC-A">`) {
		t.Error("the coordinator got the admin's cached page")
	}
	c.lang = "en"
	wantBody(t, "english page", c.get(cva), "all providers</option>")
}

// countOf returns the total count field of ind on a dashboard page.
func countOf(t *testing.T, body, ind, field string) int {
	t.Helper()
	for _, n := range dashNums(body) {
		if n.key == "" && n.ind == ind && n.field == field && n.value != "" {
			v, _ := strconv.Atoi(n.value)
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
	a := newConformanceApp(t)
	c := a.signIn("root")
	r := c.get("/dashboard?from=2025-01-01&to=2025-12-31&as_of=2026-06-30&exact=1")
	wantStatus(t, "dashboard", r, http.StatusOK)
	body := r.Body.String()
	wantBody(t, "dashboard", r, `id="tile-access"`, `id="tile-effects"`, "Toegang binnen de wettelijke termijn",
		`data-dashboard-chart="{&#34;unit&#34;:&#34;percent&#34;`, `id="chart-provider"`, `id="chart-route"`, `id="chart-skill"`,
		`id="chart-reasons"`, "Vergeleken met dezelfde periode een jaar eerder: 2024-01-01 – 2024-12-31 (peildatum 2025-06-30).",
		`class="delta `, " pp", `<option value="" selected>`, "alle aanbieders")
	for _, bad := range []string{"<script>", "style=", " onclick=", "javascript:"} {
		if strings.Contains(body, bad) {
			t.Errorf("dashboard holds %q, which the CSP forbids", bad)
		}
	}
	c.lang = "en"
	wantBody(t, "english", c.get("/dashboard?from=2025-01-01&to=2025-12-31&as_of=2026-06-30"),
		"Dashboard of results and effects", "Access within the statutory period", "Rates per provider", "Small counts (1 to 4)")
	wantBody(t, "english list", c.get("/dashboard/cases?from=2025-01-01&to=2025-12-31&as_of=2026-06-30&indicator=access&class=cohort&exact=1"),
		"Back to the dashboard", "started on time")
	c.lang = ""
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
		wantStatus(t, tt.path, c.get(tt.path), tt.want)
	}
}

// TestDrilldownPages checks the paging of a long list: 1,000 cases a page,
// the total on every page, and every case once.
func TestDrilldownPages(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("-short: imports 3,000 demo learners")
	}
	a := newAppOn(t, testkit.Built(t, "server_fixture_demo3000", func(ctx context.Context, db *store.DB) error {
		if err := fillFixture(ctx, db); err != nil {
			return err
		}
		if rep, err := importer.DataSet(ctx, db, demoData(3000), importer.Options{}); err != nil || !rep.OK() {
			return fmt.Errorf("demo import: %v %v", err, rep)
		}
		return nil
	}))
	c := a.as("admin")
	base := "/dashboard/cases?from=2024-09-01&to=2026-06-30&indicator=access&class=cohort&exact=1"
	first := c.get(base)
	wantStatus(t, "page 1", first, http.StatusOK)
	m := totalRE.FindStringSubmatch(first.Body.String())
	total, _ := strconv.Atoi(m[1])
	if total <= ui.DrilldownPageSize {
		t.Fatalf("%d referrals: too few for two pages", total)
	}
	seen := 0
	for p := 1; p <= (total+ui.DrilldownPageSize-1)/ui.DrilldownPageSize; p++ {
		r := c.get(base + "&page=" + strconv.Itoa(p))
		wantStatus(t, "page", r, http.StatusOK)
		rows := len(caseRowRE.FindAllString(r.Body.String(), -1))
		if want := min(ui.DrilldownPageSize, total-seen); rows != want {
			t.Errorf("page %d: %d rows, want %d", p, rows, want)
		}
		wantBody(t, "page", r, `data-total="`+m[1]+`"`)
		seen += rows
	}
	if seen != total {
		t.Errorf("%d rows over all pages, want %d", seen, total)
	}
	wantBody(t, "pager", first, `rel="next"`)
}

// demoData is the demo data set of n learners, taken on testNow.
func demoData(n int) *domain.DataSet {
	return demo.Generate(demo.Options{Learners: n, Today: domain.DateOf(testNow)})
}

// TestDashboardGzip checks the spliced gzip answers: they decompress to
// exactly the page the client gets without gzip.
func TestDashboardGzip(t *testing.T) {
	t.Parallel()
	a := newConformanceApp(t)
	c := a.signIn("root")
	for _, page := range []string{"/dashboard?from=2024-09-01&to=2025-08-31&exact=1",
		"/dashboard/cases?from=2024-09-01&to=2025-08-31&as_of=2025-08-31&indicator=access&class=cohort&exact=1"} {
		plain := c.get(page)
		wantStatus(t, page, plain, http.StatusOK)
		if plain.Header().Get("Content-Encoding") != "" || strings.Contains(plain.Body.String(), "traject:cached-body") {
			t.Fatalf("%s: plain answer is encoded or holds the marker", page)
		}
		req := httptest.NewRequest(http.MethodGet, page, nil)
		req.AddCookie(&http.Cookie{Name: auth.SessionCookieName(false), Value: c.cookie})
		req.Header.Set("Accept-Encoding", "br;q=1.0, gzip;q=0.8")
		rec := httptest.NewRecorder()
		a.srv.Handler().ServeHTTP(rec, req)
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
	a := newConformanceApp(t)
	c := a.signIn("root")
	page := "/dashboard?from=2024-09-01&to=2025-08-31&exact=1"
	before := countOf(t, c.get(page).Body.String(), "outflow", "total")
	if err := a.db.SaveOutflow(context.Background(), "test", domain.Outflow{Learner: "E003", Date: domain.MustDate("2025-06-01"),
		Type: "qualified", Provider: "CVO-A"}, testNow); err != nil {
		t.Fatal(err)
	}
	// What the watcher does on its next tick, done now and waited for.
	if err := a.srv.cache.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := c.get(page)
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
	a := newConformanceApp(t)
	ctx := context.Background()
	c := a.signIn("root")
	page := "/dashboard?from=2024-09-01&to=2025-08-31&exact=1"
	wantStatus(t, "first view", c.get(page), http.StatusOK)
	var tokenID int64
	for _, step := range []struct {
		what string
		do   func() error
	}{
		{"a failed login", func() error {
			if r := login(t, a, "root", "wrong password"); r.StatusCode == http.StatusSeeOther {
				return fmt.Errorf("a wrong password signed in")
			}
			return nil
		}},
		{"an audit entry", func() error {
			return a.db.RecordChange(ctx, store.AuditEntry{At: testNow, Username: "root", Action: store.AuditCreate,
				Entity: "schedules", Key: "maand", After: map[string]any{"cron": "@monthly"}})
		}},
		{"a new API token", func() error {
			_, rec, err := a.db.CreateToken(ctx, "test", "root", "script", testNow.Add(24*time.Hour), testNow)
			if err == nil {
				tokenID = rec.ID
			}
			return err
		}},
		{"a revoked API token", func() error { return a.db.RevokeToken(ctx, "test", tokenID, testNow) }},
	} {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.what, err)
		}
		r := c.get(page)
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
	a := newConformanceApp(t)
	c := a.signIn("root")
	ts := httptest.NewServer(a.srv.Handler())
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
				req.AddCookie(&http.Cookie{Name: auth.SessionCookieName(false), Value: c.cookie})
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

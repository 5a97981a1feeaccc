package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/server/api"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
)

// TestAPIPermissions asks every API route with every kind of credential:
// the roles' tokens, none, a malformed header, an unknown, a revoked and an
// expired token, a disabled account's token and a browser session.
func TestAPIPermissions(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	ctx := context.Background()
	revokedTok, revoked := a.Token("kA", time.Time{}, servertest.Now)
	if err := a.DB.RevokeToken(ctx, "test", revoked.ID, servertest.Now); err != nil {
		t.Fatal(err)
	}
	expiredTok, _ := a.Token("kA", servertest.Now.Add(-time.Minute), servertest.Now.Add(-time.Hour))
	disabledTok, _ := a.Token("kB", time.Time{}, servertest.Now)
	if err := a.DB.SetDisabled(ctx, "test", "kB", true, servertest.Now); err != nil {
		t.Fatal(err)
	}
	sess := a.SignIn("kA")
	clients := map[string]*servertest.APIClient{
		"admin":       a.BearerOf("root"),
		"coordinator": a.BearerOf("kA"),
		"teacher":     a.BearerOf("teacher01"),
		"counsellor":  a.BearerOf("counsellor07"),
		"none":        {A: a},
		"malformed":   {A: a, Header: "Token " + revokedTok},
		"unknown":     {A: a, Header: "Bearer " + auth.APITokenPrefix + strings.Repeat("x", 43)},
		"revoked":     {A: a, Header: "Bearer " + revokedTok},
		"expired":     {A: a, Header: "Bearer " + expiredTok},
		"disabled":    {A: a, Header: "Bearer " + disabledTok},
		"session":     {A: a, Cookie: sess.Cookie},
	}
	const (
		ok = http.StatusOK
		ua = http.StatusUnauthorized
		no = http.StatusForbidden
		nf = http.StatusNotFound
		bq = http.StatusBadRequest
	)
	unauth := map[string]int{"none": ua, "malformed": ua, "unknown": ua, "revoked": ua, "expired": ua, "disabled": ua, "session": ua}
	with := func(m map[string]int) map[string]int {
		for k, v := range unauth {
			m[k] = v
		}
		return m
	}
	period := "from=2024-09-01&to=2025-08-31"
	// Whom each role sees follows the rules of auth, asked here of the store.
	sees := func(username, id string) int {
		acct, err := a.DB.FindUser(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		facts, err := a.DB.FindLearnerFacts(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if auth.CanSeeLearner(&acct.User, *facts) {
			return ok
		}
		return no
	}
	learner := func(id string) map[string]int {
		return with(map[string]int{"admin": ok, "coordinator": sees("kA", id), "teacher": sees("teacher01", id), "counsellor": sees("counsellor07", id)})
	}
	cases := []struct {
		path string
		want map[string]int
	}{
		{"/api/v1/openapi.json", map[string]int{"admin": ok, "coordinator": ok, "teacher": ok, "counsellor": ok, "none": ok, "malformed": ok,
			"unknown": ok, "revoked": ok, "expired": ok, "disabled": ok, "session": ok}},
		{"/api/v1/indicators?" + period + "&provider=CVO-A", with(map[string]int{"admin": ok, "coordinator": ok, "teacher": no, "counsellor": no})},
		{"/api/v1/indicators?" + period + "&provider=CVO-A&suppress=true", with(map[string]int{"admin": ok, "coordinator": ok, "teacher": no, "counsellor": no})},
		{"/api/v1/indicators?" + period, with(map[string]int{"admin": ok, "coordinator": no, "teacher": no, "counsellor": no})},
		{"/api/v1/indicators?" + period + "&provider=CBE-A", with(map[string]int{"admin": ok, "coordinator": no, "teacher": no, "counsellor": no})},
		{"/api/v1/indicators?" + period + "&provider=NOPE", with(map[string]int{"admin": nf, "coordinator": no, "teacher": no, "counsellor": no})},
		{"/api/v1/indicators?from=2024-09-01", with(map[string]int{"admin": bq, "coordinator": bq, "teacher": no, "counsellor": no})},
		{"/api/v1/indicators/explain?" + period + "&provider=CVO-A&indicator=access&class=late", with(map[string]int{"admin": ok, "coordinator": ok, "teacher": no, "counsellor": no})},
		{"/api/v1/indicators/explain?" + period + "&indicator=access", with(map[string]int{"admin": ok, "coordinator": no, "teacher": no, "counsellor": no})},
		{"/api/v1/learners", with(map[string]int{"admin": ok, "coordinator": ok, "teacher": ok, "counsellor": ok})},
		{"/api/v1/learners?q=E0&page=1&per_page=5", with(map[string]int{"admin": ok, "coordinator": ok, "teacher": ok, "counsellor": ok})},
		{"/api/v1/learners/L000001", learner("L000001")},
		{"/api/v1/learners/L000002", learner("L000002")},
		{"/api/v1/learners/E014", learner("E014")},
		{"/api/v1/learners/NOPE", with(map[string]int{"admin": nf, "coordinator": no, "teacher": no, "counsellor": no})},
	}
	if learner("L000001")["coordinator"] != ok || learner("L000002")["counsellor"] != no {
		t.Fatal("the fixture no longer has a learner of kA's and one not of counsellor07's")
	}
	for _, tc := range cases {
		for who, c := range clients {
			want, listed := tc.want[who]
			if !listed {
				t.Fatalf("%s: no expectation for %s", tc.path, who)
			}
			r := c.Get(tc.path)
			if r.Code != want {
				t.Errorf("%s GET %s: %d, want %d\n%.300s", who, tc.path, r.Code, want, r.Body.String())
				continue
			}
			if want == ok {
				if !json.Valid(r.Body.Bytes()) {
					t.Errorf("%s GET %s: not JSON", who, tc.path)
				}
				continue
			}
			e := servertest.APIErrorOf(t, who+" GET "+tc.path, r)
			if code := map[int]string{ua: auth.EUNAUTHORIZED, no: "forbidden", nf: "not_found", bq: "invalid"}[want]; e.Code != code {
				t.Errorf("%s GET %s: code %q, want %q", who, tc.path, e.Code, code)
			}
			if want == ua && !strings.HasPrefix(r.Header().Get("WWW-Authenticate"), `Bearer realm="traject"`) {
				t.Errorf("%s GET %s: WWW-Authenticate %q", who, tc.path, r.Header().Get("WWW-Authenticate"))
			}
		}
	}
	// The messages say what is wrong.
	for who, want := range map[string]string{"none": "an API token is required", "revoked": "revoked", "expired": "expired",
		"unknown": "unknown API token", "disabled": "disabled", "session": "an API token is required"} {
		r := clients[who].Get("/api/v1/learners")
		if e := servertest.APIErrorOf(t, who, r); !strings.Contains(e.Message, want) {
			t.Errorf("%s: message %q, want %q", who, e.Message, want)
		}
	}
}

// TestAPIIndicatorsMatchCLI checks that the API answers the conformance
// runs byte for byte as the CLI (testdata/conformance/expected*.json).
func TestAPIIndicatorsMatchCLI(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	admin, coordinator := a.BearerOf("root"), a.BearerOf("kA")
	for _, run := range servertest.ConformanceRuns {
		c := admin
		if run.User == "kA" {
			c = coordinator
		}
		r := c.Get("/api/v1/indicators?" + run.Query)
		servertest.WantStatus(t, run.File, r, http.StatusOK)
		_, want := servertest.ReadExpected(t, run.File)
		if got := r.Body.String(); got != string(want) {
			t.Errorf("%s: the API's JSON differs from the CLI's\n got %.400s\nwant %.400s", run.File, got, want)
		}
		if ct := r.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
	}
	// Suppressed: "<5" unescaped, small rates null, the rest as exact.
	r := coordinator.Get("/api/v1/indicators?from=2024-09-01&to=2025-08-31&provider=CVO-A&suppress=true")
	servertest.WantStatus(t, "suppressed", r, http.StatusOK)
	var doc struct {
		Indicators struct {
			Access  map[string]any `json:"access"`
			Outflow map[string]any `json:"outflow"`
		} `json:"indicators"`
	}
	if err := json.Unmarshal(r.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Body.String(), `"late": "<5"`) || doc.Indicators.Access["late"] != "<5" || doc.Indicators.Access["cohort"] != 14.0 {
		t.Errorf("suppressed access: %v", doc.Indicators.Access)
	}
	if doc.Indicators.Outflow["qualified_rate"] != 0.375 {
		t.Errorf("suppressed outflow rate over 8: %v", doc.Indicators.Outflow["qualified_rate"])
	}
	// A repeat is served from the cache.
	if tm := coordinator.Get("/api/v1/indicators?from=2024-09-01&to=2025-08-31&provider=CVO-A").Header().Get("Server-Timing"); tm != `data;desc="hit", result;desc="hit"` {
		t.Errorf("repeat: Server-Timing %q", tm)
	}
	for _, bad := range []string{"asof=2025-01-01", "suppress=maybe", "statutory_months=three", "min_hours=x", "from=2025-01-01", "grace_days=-1"} {
		r := coordinator.Get("/api/v1/indicators?from=2024-09-01&to=2025-08-31&provider=CVO-A&" + bad)
		if r.Code != http.StatusBadRequest || servertest.APIErrorOf(t, bad, r).Code != "invalid" {
			t.Errorf("%s: %d %s", bad, r.Code, r.Body.String())
		}
	}
}

// TestAPIExplain checks the case lists against the counts they explain.
func TestAPIExplain(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	c := a.BearerOf("kA")
	doc, _ := servertest.ReadExpected(t, "expected-CVO-A.json")
	base := "/api/v1/indicators/explain?from=2024-09-01&to=2025-08-31&provider=CVO-A"
	for _, tt := range []struct{ ind, class, breakdown string }{
		{"access", "", ""}, {"access", "late", ""}, {"access", "judged", ""}, {"access", "waiting_list", ""},
		{"progress", "on_track", ""}, {"certification", "cohort", ""}, {"learning_gain", "assessed", ""},
		{"learning_gain", "by_skill.writing.gained", ""}, {"outflow", "reasons.care_duties", ""},
		{"outflow", "total", "learning_route=standard"}, {"effects", "positive", ""}, {"progress", "cohort", "target_level=A2"},
	} {
		q := base + "&indicator=" + tt.ind
		if tt.class != "" {
			q += "&class=" + tt.class
		}
		key := ""
		if tt.breakdown != "" {
			q += "&breakdown=" + tt.breakdown
			key = tt.breakdown
		}
		r := c.Get(q)
		servertest.WantStatus(t, q, r, http.StatusOK)
		var list struct {
			Count int        `json:"count"`
			Cases []api.Case `json:"cases"`
		}
		if err := json.Unmarshal(r.Body.Bytes(), &list); err != nil {
			t.Fatal(err)
		}
		field := tt.class
		if field == "" {
			field = "cohort"
		}
		want, _ := servertest.ExpectedOf(t, doc, key, tt.ind, field)
		if list.Count != int(want) || len(list.Cases) != list.Count {
			t.Errorf("%s: %d cases (%d listed), want %v", q, list.Count, len(list.Cases), want)
		}
		for _, cs := range list.Cases {
			if cs.Indicator != tt.ind || cs.Learner == nil || *cs.Provider != "CVO-A" && tt.ind != "learning_gain" {
				t.Errorf("%s: case %+v", q, cs)
				break
			}
		}
	}
	r := c.Get(base + "&indicator=access&class=late")
	for _, want := range []string{`"class":"late"`, `"learner":"E001"`, `"deadline":"2025-04-30"`, `"waiting_list":false`, `"detail":"gestart op 2025-05-01`} {
		if !strings.Contains(r.Body.String(), want) {
			t.Errorf("late starts lack %s:\n%.600s", want, r.Body.String())
		}
	}
	if got := r.Header().Get("Content-Language"); got != "nl" {
		t.Errorf("Content-Language %q, want nl (no Accept-Language)", got)
	}
	// Accept-Language chooses the language of the details.
	req := httptest.NewRequest(http.MethodGet, base+"&indicator=access&class=late", nil)
	req.Header.Set("Authorization", c.Header)
	req.Header.Set("Accept-Language", "en-GB,en;q=0.9,nl;q=0.5")
	en := httptest.NewRecorder()
	a.Srv.Handler().ServeHTTP(en, req)
	if !strings.Contains(en.Body.String(), `"detail":"started on 2025-05-01 in group E00052, 1 day after the deadline (2025-04-30)"`) ||
		en.Header().Get("Content-Language") != "en" {
		t.Errorf("with Accept-Language en: Content-Language %q\n%.600s", en.Header().Get("Content-Language"), en.Body.String())
	}
	for _, bad := range []string{"", "&indicator=nope", "&indicator=access&class=nope", "&indicator=access&breakdown=gender", "&indicator=access&limit=3"} {
		if r := c.Get(base + bad); r.Code != http.StatusBadRequest {
			t.Errorf("explain%s: %d", bad, r.Code)
		}
	}
}

// TestAPILearners checks the learner list and page against the rules of
// who sees whom.
func TestAPILearners(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	ctx := context.Background()
	for _, username := range []string{"root", "kA", "counsellor07", "teacher01"} {
		c := a.BearerOf(username)
		acct, err := a.DB.FindUser(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		u := acct.User
		want, err := a.DB.FindLearners(ctx, &u, store.LearnerQuery{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var page api.LearnerPage
		r := c.Get("/api/v1/learners?per_page=1000")
		servertest.WantStatus(t, username, r, http.StatusOK)
		if err := json.Unmarshal(r.Body.Bytes(), &page); err != nil {
			t.Fatal(err)
		}
		if page.Total != want.Total || len(page.Learners) != len(want.Learners) {
			t.Errorf("%s: %d learners, want %d", username, page.Total, want.Total)
		}
		for _, l := range page.Learners {
			facts, err := a.DB.FindLearnerFacts(ctx, l.ID)
			if err != nil || !auth.CanSeeLearner(&u, *facts) {
				t.Errorf("%s sees %s, whom they may not", username, l.ID)
			}
		}
	}
	c := a.BearerOf("kA")
	var p2 api.LearnerPage
	r := c.Get("/api/v1/learners?per_page=5&page=2&q=e")
	servertest.WantStatus(t, "page 2", r, http.StatusOK)
	if err := json.Unmarshal(r.Body.Bytes(), &p2); err != nil {
		t.Fatal(err)
	}
	if p2.Page != 2 || p2.PerPage != 5 || len(p2.Learners) != min(5, max(0, p2.Total-5)) || p2.Pages != (p2.Total+4)/5 {
		t.Errorf("page 2 of 5: %+v", p2)
	}
	for _, bad := range []string{"per_page=0", "per_page=1001", "page=0", "page=x", "flag=nope", "sort=name"} {
		if r := c.Get("/api/v1/learners?" + bad); r.Code != http.StatusBadRequest {
			t.Errorf("learners?%s: %d", bad, r.Code)
		}
	}
	r = c.Get("/api/v1/learners/L000001")
	servertest.WantStatus(t, "learner", r, http.StatusOK)
	var f map[string]any
	if err := json.Unmarshal(r.Body.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"learner", "flags", "goals", "referrals", "placements", "enrollments", "evaluations", "certificates", "outflows", "followups"} {
		if _, ok := f[k]; !ok {
			t.Errorf("learner file lacks %q", k)
		}
	}
	body := r.Body.String()
	for _, want := range []string{`"id":"L000001"`, `"last_name":"Zhang"`, `"group":"G00001"`, `"hours_attended":75`,
		`"kind":"module_end"`, `"listening":"A2.1"`, `"feedback":"Goed gewerkt; blijf oefenen met \"spreken\".`, `"skill":"listening","target_level":"B2"`} {
		if !strings.Contains(body, want) {
			t.Errorf("learner file lacks %s:\n%.800s", want, body)
		}
	}
}

// TestAPIUnknownPathIsJSON checks that an API client never gets an HTML page:
// an unknown path or method under /api/ answers JSON with a code.
func TestAPIUnknownPathIsJSON(t *testing.T) {
	t.Parallel()
	srv := servertest.New(t).Srv
	for _, tt := range []struct {
		method, path string
		status       int
		code         string
	}{
		{http.MethodGet, "/api/v1/nothing", http.StatusNotFound, "not_found"},
		{http.MethodPost, "/api/v1/indicators", http.StatusMethodNotAllowed, ""},
	} {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != tt.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Errorf("%s %s: %d %q, want %d JSON", tt.method, tt.path, rec.Code, rec.Header().Get("Content-Type"), tt.status)
		}
		var body struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Message == "" || (tt.code != "" && body.Error.Code != tt.code) {
			t.Errorf("%s %s: body %s (%v)", tt.method, tt.path, rec.Body.String(), err)
		}
	}
}

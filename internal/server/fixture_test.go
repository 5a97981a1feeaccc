package server

import (
	"bytes"
	"context"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testkit"
)

// testNow is the server's clock in the tests: Sunday 15 March 2026.
var testNow = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

// testPassword is every fixture account's password (hashed at bcrypt's
// lowest cost, so that the tests stay fast).
const testPassword = testkit.Password

// The fixture's people. Each learner's last name is unique, so that a body
// can be searched for a learner who must not appear in it.
//
//	L-AERTS    Amina Aerts      counsellor c1, in G1 (P1, teacher t1), placed and evaluated
//	L-DEWULF   Dina Dewulf      counsellor c1, in G1, no placement, evaluated twice
//	L-BOSMANS  Bilal Bosmans    counsellor c1, referred to P1 on 2025-11-01, never started (overdue)
//	L-ENGELS   Emre Engels      counsellor c2, in G1
//	L-ZEGERS   Zora Zegers      counsellor c2, in G2 (P2, teacher t2)
//	L-XHONNEUX Xavier Xhonneux  counsellor c2, referred to P2 only
var (
	users = map[string]domain.User{
		"teacher":      {Username: "t1", Role: domain.RoleTeacher},
		"teacher2":     {Username: "t2", Role: domain.RoleTeacher},
		"counsellor":   {Username: "c1", Role: domain.RoleCounsellor},
		"counsellor2":  {Username: "c2", Role: domain.RoleCounsellor},
		"coordinator":  {Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"P1"}},
		"coordinator2": {Username: "k2", Role: domain.RoleCoordinator, Providers: []string{"P2"}},
		"admin":        {Username: "root", Role: domain.RoleAdmin},
	}
	// hidden lists, per account, the learners that must never show in any
	// page that account gets.
	hidden = map[string][]string{
		"teacher":     {"Zegers", "L-ZEGERS", "Bosmans", "L-BOSMANS", "Xhonneux", "L-XHONNEUX"},
		"counsellor":  {"Zegers", "L-ZEGERS", "Engels", "L-ENGELS", "Xhonneux", "L-XHONNEUX"},
		"coordinator": {"Zegers", "L-ZEGERS", "Xhonneux", "L-XHONNEUX"},
		"admin":       {},
	}
)

func fixture() *domain.DataSet {
	d := domain.MustDate
	lv := func(ls ...string) domain.Levels {
		out := domain.NoLevels
		for i, s := range ls {
			out[i], _ = domain.ParseLevel(s)
		}
		return out
	}
	learner := func(id, first, last, counsellor string) domain.Learner {
		return domain.Learner{ID: id, FirstName: first, LastName: last, BirthDate: d("1988-04-04"), Gender: "x",
			SchoolingLevel: "primary", Literacy: "literate_other_script", LearningRoute: "standard", CivicStatus: "obliged",
			Perspective: "work", Counsellor: counsellor}
	}
	oral := domain.AllSkills &^ (1 << domain.Writing)
	return &domain.DataSet{
		Providers: []domain.Provider{{Code: "P1", Name: "CVO Een", Type: "cvo"}, {Code: "P2", Name: "CBE Twee", Type: "cbe"}},
		Modules: []domain.Module{
			{Code: "M1", Provider: "P1", Name: "Richtgraad 1.1", Programme: "NT2 R1", EntryLevel: 0, TargetLevel: 2, Skills: oral, NominalHours: 120},
			{Code: "M2", Provider: "P2", Name: "Alfa 1", Programme: "NT2 alfa", EntryLevel: 0, TargetLevel: 1, Skills: domain.AllSkills, NominalHours: 240}},
		Goals: []domain.Goal{
			{Code: "M1-L1", Module: "M1", Skill: domain.Listening, Level: 2, Description: "Begrijpt eenvoudige instructies", Source: "framework"},
			{Code: "M1-S1", Module: "M1", Skill: domain.SpokenProduction, Level: 2, Description: "Stelt zichzelf voor", Source: "framework"},
			{Code: "M2-L1", Module: "M2", Skill: domain.Listening, Level: 1, Description: "Verstaat groeten", Source: "provider"}},
		Learners: []domain.Learner{learner("L-AERTS", "Amina", "Aerts", "c1"), learner("L-DEWULF", "Dina", "Dewulf", "c1"),
			learner("L-BOSMANS", "Bilal", "Bosmans", "c1"), learner("L-ENGELS", "Emre", "Engels", "c2"),
			learner("L-ZEGERS", "Zora", "Zegers", "c2"), learner("L-XHONNEUX", "Xavier", "Xhonneux", "c2")},
		Referrals: []domain.Referral{{Learner: "L-AERTS", Date: d("2025-12-01"), Source: "agentschap", Provider: "P1"},
			{Learner: "L-BOSMANS", Date: d("2025-11-01"), Source: "vdab", Provider: "P1"},
			{Learner: "L-XHONNEUX", Date: d("2026-02-01"), Source: "ocmw", Provider: "P2"}},
		Groups: []domain.Group{
			{Code: "G1", Module: "M1", StartDate: d("2026-01-05"), EndDate: d("2026-06-26"), PlannedHours: 120, Teacher: "t1", Intensity: "standard"},
			{Code: "G2", Module: "M2", StartDate: d("2026-01-05"), EndDate: d("2026-06-26"), PlannedHours: 240, Teacher: "t2", Intensity: "intensive"}},
		Placements: []domain.Placement{{Learner: "L-AERTS", Date: d("2025-12-15"), Module: "M1", Method: "test", Levels: lv("A0", "A0", "A0")},
			{Learner: "L-ZEGERS", Date: d("2025-12-15"), Module: "M2", Method: "test", Levels: lv("A0")}},
		Enrollments: []domain.Enrollment{
			{Learner: "L-AERTS", Group: "G1", StartDate: d("2026-01-05"), Status: "active", HoursAttended: 30},
			{Learner: "L-DEWULF", Group: "G1", StartDate: d("2026-01-05"), Status: "active", HoursAttended: 28},
			{Learner: "L-ENGELS", Group: "G1", StartDate: d("2026-01-05"), EndDate: d("2026-02-01"), Status: "dropped", HoursAttended: 12},
			{Learner: "L-ZEGERS", Group: "G2", StartDate: d("2026-01-05"), Status: "active", HoursAttended: 40}},
		Evaluations: []domain.Evaluation{{Learner: "L-AERTS", Group: "G1", Date: d("2026-02-01"), Kind: "formative",
			Levels: lv("A1.1", "A0", "A1.1"), Decision: "none", Evaluator: "t1", Feedback: "Goed begonnen"},
			{Learner: "L-DEWULF", Group: "G1", Date: d("2026-02-01"), Kind: "formative", Levels: lv("A0", "A0"), Decision: "none", Evaluator: "t1"},
			{Learner: "L-DEWULF", Group: "G1", Date: d("2026-03-01"), Kind: "formative", Levels: lv("A1.1", "A0", "A1.1"), Decision: "none", Evaluator: "t1"}},
		LearnerGoals: []domain.LearnerGoal{{Learner: "L-AERTS", Skill: domain.Listening, TargetLevel: 4, SetDate: d("2026-01-10"), TargetDate: d("2026-12-31")},
			{Learner: "L-DEWULF", Skill: domain.Listening, TargetLevel: 2, SetDate: d("2026-01-10"), TargetDate: d("2026-06-30")}},
	}
}

// app is a server over a fresh fixture database, with its log in a buffer.
type app struct {
	t    *testing.T
	dsn  string // the database, for a second server process on it
	db   *store.DB
	srv  *Server
	logs *syncBuffer
}

// syncBuffer is a bytes.Buffer safe for the server's concurrent log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newApp is a server over a fresh copy of the fixture database (migrated,
// the fixture loaded and its accounts made once per test binary).
func newApp(t *testing.T) *app {
	t.Helper()
	return newAppOn(t, fixtureDSN(t))
}

// fixtureDSN is a fresh copy of the fixture database.
func fixtureDSN(t *testing.T) string {
	t.Helper()
	return testkit.Built(t, "server_fixture", fillFixture)
}

// fillFixture loads the fixture and its accounts into a migrated database.
func fillFixture(ctx context.Context, db *store.DB) error {
	if err := testkit.Upsert(ctx, db, fixture()); err != nil {
		return err
	}
	return createUsers(ctx, db, slices.Collect(maps.Values(users)))
}

// createUsers makes accounts, each with testPassword for password.
func createUsers(ctx context.Context, db *store.DB, us []domain.User) error {
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		return err
	}
	slices.SortFunc(us, func(a, b domain.User) int { return strings.Compare(a.Username, b.Username) })
	for _, u := range us {
		if err := db.CreateUser(ctx, "test", u, string(hash), testNow); err != nil {
			return err
		}
	}
	return nil
}

// newAppOn is a server over the database dsn.
func newAppOn(t *testing.T, dsn string) *app {
	t.Helper()
	db := testkit.Open(t, dsn)
	db.SetUnknownUserHash(testkit.QuickDummyHash()) // the accounts' cost, not auth.PasswordCost's
	logs := &syncBuffer{}
	srv := New(Config{HashPassword: quickHash, DB: db, ExportDir: filepath.Join(t.TempDir(), "exports"), Now: func() time.Time { return testNow }, Log: slog.New(slog.NewTextHandler(logs, nil))})
	srv.cache.PollEvery = 0 // no watcher: what a request finds in the cache depends on the test alone
	return &app{t: t, dsn: dsn, db: db, srv: srv, logs: logs}
}

// client is a browser signed in as one account (or none).
type client struct {
	a      *app
	cookie string // session token
	csrf   string
	lang   string
	htmx   bool
}

// as signs the fixture account of a role in (a session made in the store).
func (a *app) as(role string) *client {
	a.t.Helper()
	u, ok := users[role]
	if !ok {
		a.t.Fatalf("no fixture account %q", role)
	}
	token, csrf, err := a.db.CreateSession(context.Background(), u.Username, time.Hour, testNow)
	if err != nil {
		a.t.Fatal(err)
	}
	return &client{a: a, cookie: token, csrf: csrf}
}

// anonymous is a browser that is not signed in.
func (a *app) anonymous() *client { return &client{a: a} }

func (c *client) do(req *http.Request) *httptest.ResponseRecorder {
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: auth.SessionCookieName(false), Value: c.cookie})
	}
	if c.lang != "" {
		req.AddCookie(&http.Cookie{Name: "lang", Value: c.lang})
	}
	if c.htmx {
		req.Header.Set("HX-Request", "true")
	}
	rec := httptest.NewRecorder()
	c.a.srv.Handler().ServeHTTP(rec, req)
	return rec
}

func (c *client) get(path string) *httptest.ResponseRecorder {
	path, _, _ = strings.Cut(path, "#") // a browser keeps the fragment to itself
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends form with the session's CSRF token, unless form sets "csrf"
// itself (to "" to leave it out).
func (c *client) post(path string, form url.Values) *httptest.ResponseRecorder {
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	} else if form.Get("csrf") == "" {
		form.Del("csrf")
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// wantStatus fails the test when rec's status is not want.
func wantStatus(t *testing.T, what string, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		body := rec.Body.String()
		if len(body) > 600 {
			body = body[:600] + "…"
		}
		t.Fatalf("%s: status %d, want %d\n%s", what, rec.Code, want, body)
	}
}

// wantBody fails the test when rec's body lacks any of wants.
func wantBody(t *testing.T, what string, rec *httptest.ResponseRecorder, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(rec.Body.String(), w) {
			t.Errorf("%s: body lacks %q", what, w)
		}
	}
}

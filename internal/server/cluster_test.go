package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testdb"
	"github.com/traject-nt2/traject/internal/testkit"
)

// second is another server process on the app's database: its own store
// handle (its own connections) and its own Server, sharing nothing with
// the first but the database, as two `traject serve` behind a load
// balancer do. On the PostgreSQL pass of `make test` the database is
// PostgreSQL.
func (a *app) second(now *time.Time, proxies ...string) *app {
	a.t.Helper()
	db, err := store.Open(a.dsn)
	if err != nil {
		a.t.Fatal(err)
	}
	a.t.Cleanup(func() { db.Close() })
	db.SetUnknownUserHash(testkit.QuickDummyHash())
	srv := New(Config{HashPassword: quickHash, DB: db, ExportDir: a.srv.cfg.ExportDir, Now: func() time.Time { return *now },
		Log: a.srv.cfg.Log, TrustedProxies: proxies})
	srv.cache.PollEvery = 0
	return &app{t: a.t, dsn: a.dsn, db: db, srv: srv, logs: a.logs}
}

// TestTwoServersShareOneDatabase signs in on one server and goes on on the
// other, confirms on the other an upload checked on the first, and counts
// login attempts made on both against one limit.
func TestTwoServersShareOneDatabase(t *testing.T) {
	uploadsIn(t)
	now := testNow
	one := newApp(t).withClock(&now)
	two := one.second(&now)

	// A session made by signing in on one is good on two.
	res := login(t, one, "c1", testPassword)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login on one: %d", res.StatusCode)
	}
	var cookie string
	for _, ck := range res.Cookies() {
		if ck.Name == "traject_session" {
			cookie = ck.Value
		}
	}
	if cookie == "" {
		t.Fatalf("no session cookie from one: %v", res.Cookies())
	}
	onTwo := &client{a: two, cookie: cookie}
	wantStatus(t, "the learner page on two", onTwo.get("/learners/L-AERTS"), http.StatusOK)

	// An upload checked on one is confirmed on two.
	k1 := one.as("coordinator")
	r := k1.upload("/imports", "nieuw.xlsx", newLearnerWorkbook(t, "P1", "1991-05-05"))
	wantStatus(t, "upload on one", r, http.StatusOK)
	token := tokenOf(t, r.Body.String())
	k1on2 := &client{a: two, cookie: k1.cookie, csrf: k1.csrf}
	r = k1on2.post("/imports/"+token+"/confirm", nil)
	wantStatus(t, "confirm on two", r, http.StatusOK)
	wantBody(t, "confirm on two", r, "is geïmporteerd")
	wantStatus(t, "confirm again on one", k1.post("/imports/"+token+"/confirm", nil), http.StatusGone)

	// The login limit of one user name counts the attempts on both servers.
	for i := 0; i < 10; i++ {
		srv := []*app{one, two}[i%2]
		if res := loginFrom(t, srv, fmt.Sprintf("198.51.100.%d:1234", i+1), "t1", "wrong password"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, res.StatusCode)
		}
	}
	for _, srv := range []*app{one, two} {
		if res := loginFrom(t, srv, "198.51.100.99:1234", "t1", testPassword); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("the eleventh attempt: %d, want 429 on either server", res.StatusCode)
		}
	}

	// A write on one is seen by the dashboard of two: the data version is
	// the database's.
	admin2 := &client{a: two, cookie: one.as("admin").cookie}
	before := admin2.get("/dashboard?from=2025-09-01&to=2026-08-31&exact=1").Header().Get("Server-Timing")
	if !strings.Contains(before, "load") {
		t.Fatalf("first dashboard on two: %q", before)
	}
	if r := admin2.get("/dashboard?from=2025-09-01&to=2026-08-31&exact=1"); !strings.Contains(r.Header().Get("Server-Timing"), `data;desc="hit"`) {
		t.Fatalf("repeat dashboard on two: %q", r.Header().Get("Server-Timing"))
	}
	r = k1.upload("/imports", "nieuw.xlsx", newLearnerWorkbook(t, "P1", "1991-05-06"))
	wantStatus(t, "second upload on one", r, http.StatusOK)
	wantStatus(t, "confirm on one", k1.post("/imports/"+tokenOf(t, r.Body.String())+"/confirm", nil), http.StatusOK)
	if tm := admin2.get("/dashboard?from=2025-09-01&to=2026-08-31&exact=1").Header().Get("Server-Timing"); !strings.Contains(tm, `data;desc="load"`) {
		t.Errorf("dashboard on two after a write on one: %q, want a reload", tm)
	}
}

// TestTrustedProxy takes the client address from X-Forwarded-For only when
// the peer is a trusted proxy: two clients behind the proxy have a login
// bucket each; an untrusted peer cannot pick its address by the header.
func TestTrustedProxy(t *testing.T) {
	t.Parallel()
	now := testNow
	base := newApp(t)
	behind := base.second(&now, "192.0.2.0/24")
	attempt := func(a *app, peer, forwarded string, i int) int {
		c := a.anonymous()
		page := c.get("/login")
		ck := page.Result().Cookies()[0]
		form := url.Values{"username": {fmt.Sprintf("nobody%d", i)}, "password": {"x"}, "csrf": {ck.Value}}
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", forwarded)
		req.AddCookie(ck)
		req.RemoteAddr = peer
		return c.do(req).Code
	}
	// Behind the trusted proxy: 20 attempts from each of two clients pass the
	// address limit (they fail on the password, 401).
	for i := 0; i < 20; i++ {
		for _, client := range []string{"203.0.113.5", "203.0.113.6"} {
			if code := attempt(behind, "192.0.2.10:5555", client, i); code != http.StatusUnauthorized {
				t.Fatalf("client %s behind the proxy, attempt %d: %d, want 401", client, i+1, code)
			}
		}
	}
	// From an untrusted peer the header is ignored: one bucket, whatever it says.
	var last int
	for i := 0; i < 21; i++ {
		last = attempt(base, "198.51.100.7:5555", fmt.Sprintf("203.0.113.%d", i+10), 100+i)
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("an untrusted peer with varying X-Forwarded-For: %d after 21 attempts, want 429", last)
	}
}

// TestHealthEndpoints: /healthz while the process runs, /readyz when the
// database answers with a current schema; neither needs a session.
func TestHealthEndpoints(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.anonymous()
	wantStatus(t, "healthz", c.get("/healthz"), http.StatusOK)
	wantStatus(t, "readyz", c.get("/readyz"), http.StatusOK)

	stale, err := store.Open(testdb.DSN(t)) // a database nobody migrated
	if err != nil {
		t.Fatal(err)
	}
	defer stale.Close()
	srv := New(Config{DB: stale, ExportDir: filepath.Join(t.TempDir(), "exports"), Log: slog.New(slog.NewTextHandler(a.logs, nil))})
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "traject migrate") {
		t.Errorf("readyz on an unmigrated database: %d %q, want 503 naming traject migrate", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("healthz on an unmigrated database: %d, want 200 (the process runs)", rec.Code)
	}
}

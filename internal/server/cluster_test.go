package server_test

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

	"github.com/traject-nt2/traject/internal/server"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testdb"
	"github.com/traject-nt2/traject/internal/testkit"
)

// second is another server process on the app's database: its own store
// handle (its own connections) and its own Server, sharing nothing with
// the first but the database, as two `traject serve` behind a load
// balancer do. On the PostgreSQL pass of `make test` the database is
// PostgreSQL.
func second(a *servertest.App, now *time.Time, proxies ...string) *servertest.App {
	a.T.Helper()
	db, err := store.Open(a.DSN)
	if err != nil {
		a.T.Fatal(err)
	}
	a.T.Cleanup(func() { db.Close() })
	db.SetUnknownUserHash(testkit.QuickDummyHash())
	srv := server.New(server.Config{HashPassword: servertest.QuickHash, DB: db, ExportDir: a.Srv.Config().ExportDir, Now: func() time.Time { return *now },
		Log: a.Srv.Config().Log, TrustedProxies: proxies, NoCacheWatch: true})
	return &servertest.App{T: a.T, DSN: a.DSN, DB: db, Srv: srv, Logs: a.Logs}
}

// TestTwoServersShareOneDatabase signs in on one server and goes on on the
// other, confirms on the other an upload checked on the first, and counts
// login attempts made on both against one limit.
func TestTwoServersShareOneDatabase(t *testing.T) {
	servertest.UploadsIn(t)
	now := servertest.Now
	one := servertest.New(t).WithClock(&now)
	two := second(one, &now)

	// A session made by signing in on one is good on two.
	res := servertest.Login(t, one, "c1", servertest.Password)
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
	onTwo := &servertest.Client{A: two, Cookie: cookie}
	servertest.WantStatus(t, "the learner page on two", onTwo.Get("/learners/L-AERTS"), http.StatusOK)

	// An upload checked on one is confirmed on two.
	k1 := one.As("coordinator")
	r := k1.Upload("/imports", "nieuw.xlsx", servertest.NewLearnerWorkbook(t, "P1", "1991-05-05"))
	servertest.WantStatus(t, "upload on one", r, http.StatusOK)
	token := servertest.TokenOf(t, r.Body.String())
	k1on2 := &servertest.Client{A: two, Cookie: k1.Cookie, CSRF: k1.CSRF}
	r = k1on2.Post("/imports/"+token+"/confirm", nil)
	servertest.WantStatus(t, "confirm on two", r, http.StatusOK)
	servertest.WantBody(t, "confirm on two", r, "is geïmporteerd")
	servertest.WantStatus(t, "confirm again on one", k1.Post("/imports/"+token+"/confirm", nil), http.StatusGone)

	// The login limit of one user name counts the attempts on both servers.
	for i := 0; i < 10; i++ {
		srv := []*servertest.App{one, two}[i%2]
		if res := servertest.LoginFrom(t, srv, fmt.Sprintf("198.51.100.%d:1234", i+1), "t1", "wrong password"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, res.StatusCode)
		}
	}
	for _, srv := range []*servertest.App{one, two} {
		if res := servertest.LoginFrom(t, srv, "198.51.100.99:1234", "t1", servertest.Password); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("the eleventh attempt: %d, want 429 on either server", res.StatusCode)
		}
	}

	// A write on one is seen by the dashboard of two: the data version is
	// the database's.
	admin2 := &servertest.Client{A: two, Cookie: one.As("admin").Cookie}
	before := admin2.Get("/dashboard?from=2025-09-01&to=2026-08-31&exact=1").Header().Get("Server-Timing")
	if !strings.Contains(before, "load") {
		t.Fatalf("first dashboard on two: %q", before)
	}
	if r := admin2.Get("/dashboard?from=2025-09-01&to=2026-08-31&exact=1"); !strings.Contains(r.Header().Get("Server-Timing"), `data;desc="hit"`) {
		t.Fatalf("repeat dashboard on two: %q", r.Header().Get("Server-Timing"))
	}
	r = k1.Upload("/imports", "nieuw.xlsx", servertest.NewLearnerWorkbook(t, "P1", "1991-05-06"))
	servertest.WantStatus(t, "second upload on one", r, http.StatusOK)
	servertest.WantStatus(t, "confirm on one", k1.Post("/imports/"+servertest.TokenOf(t, r.Body.String())+"/confirm", nil), http.StatusOK)
	if tm := admin2.Get("/dashboard?from=2025-09-01&to=2026-08-31&exact=1").Header().Get("Server-Timing"); !strings.Contains(tm, `data;desc="load"`) {
		t.Errorf("dashboard on two after a write on one: %q, want a reload", tm)
	}
}

// TestTrustedProxy takes the client address from X-Forwarded-For only when
// the peer is a trusted proxy: two clients behind the proxy have a login
// bucket each; an untrusted peer cannot pick its address by the header.
func TestTrustedProxy(t *testing.T) {
	t.Parallel()
	now := servertest.Now
	base := servertest.New(t)
	behind := second(base, &now, "192.0.2.0/24")
	attempt := func(a *servertest.App, peer, forwarded string, i int) int {
		c := a.Anonymous()
		page := c.Get("/login")
		ck := page.Result().Cookies()[0]
		form := url.Values{"username": {fmt.Sprintf("nobody%d", i)}, "password": {"x"}, "csrf": {ck.Value}}
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", forwarded)
		req.AddCookie(ck)
		req.RemoteAddr = peer
		return c.Do(req).Code
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
	a := servertest.New(t)
	c := a.Anonymous()
	servertest.WantStatus(t, "healthz", c.Get("/healthz"), http.StatusOK)
	servertest.WantStatus(t, "readyz", c.Get("/readyz"), http.StatusOK)

	stale, err := store.Open(testdb.DSN(t)) // a database nobody migrated
	if err != nil {
		t.Fatal(err)
	}
	defer stale.Close()
	srv := server.New(server.Config{DB: stale, ExportDir: filepath.Join(t.TempDir(), "exports"), Log: slog.New(slog.NewTextHandler(a.Logs, nil))})
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

// Package servertest is the server tests' kit, on top of internal/testkit:
// the web application over a fresh copy of the fixture database, browsers
// signed in per role (session cookie, CSRF token, language, htmx), API
// clients with bearer tokens, and the assertions every page test makes.
// The tests of internal/server/ui, api and public import it from their
// external test packages; each such package keeps a TestMain calling
// testkit.Main, which drops the template databases when its tests end.
package servertest

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/server"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testkit"
)

// Now is the server's clock in the tests: Sunday 15 March 2026.
var Now = testkit.Now

// Password is every fixture account's password.
const Password = testkit.Password

// The fixture's people and what each account must not see: testkit's.
var (
	Users  = testkit.Users
	Hidden = testkit.Hidden
)

// QuickHash hashes a password at bcrypt's lowest cost.
var QuickHash = testkit.QuickHash

// App is a server over a fresh fixture database, with its log in a buffer.
type App struct {
	T    *testing.T
	DSN  string // the database, for a second server process on it
	DB   *store.DB
	Srv  *server.Server
	Logs *SyncBuffer
}

// SyncBuffer is a bytes.Buffer safe for the server's concurrent log writes.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// New is a server over a fresh copy of the fixture database (migrated, the
// fixture loaded and its accounts made once per test binary).
func New(t *testing.T) *App {
	t.Helper()
	return NewOn(t, testkit.FixtureDSN(t))
}

// Config is the configuration of a test server over db: the fixed clock,
// the quick password hash, exports under a temporary folder, the log in
// logs, no cache watcher.
func Config(t *testing.T, db *store.DB, logs *SyncBuffer) server.Config {
	return server.Config{HashPassword: QuickHash, DB: db, ExportDir: filepath.Join(t.TempDir(), "exports"),
		Now: func() time.Time { return Now }, Log: slog.New(slog.NewTextHandler(logs, nil)), NoCacheWatch: true}
}

// NewOn is a server over the database dsn.
func NewOn(t *testing.T, dsn string) *App {
	t.Helper()
	db := testkit.Open(t, dsn)
	db.SetUnknownUserHash(testkit.QuickDummyHash()) // the accounts' cost, not auth.PasswordCost's
	logs := &SyncBuffer{}
	srv := server.New(Config(t, db, logs))
	return &App{T: t, DSN: dsn, DB: db, Srv: srv, Logs: logs}
}

// ServeWith replaces the server by one over the same database with its
// configuration changed by change (a clock, a public address, a name).
func (a *App) ServeWith(change func(*server.Config)) {
	cfg := a.Srv.Config()
	change(&cfg)
	cfg.NoCacheWatch = true
	a.Srv = server.New(cfg)
}

// Client is a browser signed in as one account (or none).
type Client struct {
	A      *App
	Cookie string // session token
	CSRF   string
	Lang   string
	HTMX   bool
}

// As signs the fixture account of a role in (a session made in the store).
func (a *App) As(role string) *Client {
	a.T.Helper()
	u, ok := Users[role]
	if !ok {
		a.T.Fatalf("no fixture account %q", role)
	}
	return a.SignIn(u.Username)
}

// SignIn signs the account username in (a session made in the store).
func (a *App) SignIn(username string) *Client {
	a.T.Helper()
	token, csrf, err := a.DB.CreateSession(context.Background(), username, time.Hour, Now)
	if err != nil {
		a.T.Fatal(err)
	}
	return &Client{A: a, Cookie: token, CSRF: csrf}
}

// Anonymous is a browser that is not signed in.
func (a *App) Anonymous() *Client { return &Client{A: a} }

// Do sends req with the client's cookies and headers.
func (c *Client) Do(req *http.Request) *httptest.ResponseRecorder {
	if c.Cookie != "" {
		req.AddCookie(&http.Cookie{Name: auth.SessionCookieName(false), Value: c.Cookie})
	}
	if c.Lang != "" {
		req.AddCookie(&http.Cookie{Name: "lang", Value: c.Lang})
	}
	if c.HTMX {
		req.Header.Set("HX-Request", "true")
	}
	rec := httptest.NewRecorder()
	c.A.Srv.Handler().ServeHTTP(rec, req)
	return rec
}

// Get asks for path; a fragment stays with the browser.
func (c *Client) Get(path string) *httptest.ResponseRecorder {
	path, _, _ = strings.Cut(path, "#")
	return c.Do(httptest.NewRequest(http.MethodGet, path, nil))
}

// Post sends form with the session's CSRF token, unless form sets "csrf"
// itself (to "" to leave it out).
func (c *Client) Post(path string, form url.Values) *httptest.ResponseRecorder {
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.CSRF)
	} else if form.Get("csrf") == "" {
		form.Del("csrf")
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// WantStatus fails the test when rec's status is not want.
func WantStatus(t *testing.T, what string, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		body := rec.Body.String()
		if len(body) > 600 {
			body = body[:600] + "…"
		}
		t.Fatalf("%s: status %d, want %d\n%s", what, rec.Code, want, body)
	}
}

// WantBody fails the test when rec's body lacks any of wants.
func WantBody(t *testing.T, what string, rec *httptest.ResponseRecorder, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(rec.Body.String(), w) {
			t.Errorf("%s: body lacks %q", what, w)
		}
	}
}

// APIClient sends API requests with a bearer token (or a raw Authorization
// header, or a session cookie).
type APIClient struct {
	A      *App
	Header string // the Authorization header; "" for none
	Cookie string // a session cookie, to show that it does not count
}

// Get asks the API for path.
func (c *APIClient) Get(path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if c.Header != "" {
		req.Header.Set("Authorization", c.Header)
	}
	if c.Cookie != "" {
		req.AddCookie(&http.Cookie{Name: auth.SessionCookieName(false), Value: c.Cookie})
	}
	rec := httptest.NewRecorder()
	c.A.Srv.Handler().ServeHTTP(rec, req)
	return rec
}

// Token creates an API token for username, valid until expires (zero:
// never), made at made.
func (a *App) Token(username string, expires, made time.Time) (string, *store.APIToken) {
	a.T.Helper()
	tok, rec, err := a.DB.CreateToken(context.Background(), "test", username, "test", expires, made)
	if err != nil {
		a.T.Fatal(err)
	}
	return tok, rec
}

// BearerOf is an API client with a fresh token of username.
func (a *App) BearerOf(username string) *APIClient {
	tok, _ := a.Token(username, time.Time{}, Now)
	return &APIClient{A: a, Header: "Bearer " + tok}
}

// APIErrorOf decodes an error answer, failing the test when it is not one.
func APIErrorOf(t *testing.T, what string, r *httptest.ResponseRecorder) core.JSONErrorBody {
	t.Helper()
	var e core.JSONError
	if err := json.Unmarshal(r.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Errorf("%s: not an error object: %v %s", what, err, r.Body.String())
	}
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	return e.Error
}

// WithClock is the app's database served with a clock the test moves.
func (a *App) WithClock(now *time.Time) *App {
	srv := server.New(server.Config{HashPassword: QuickHash, DB: a.DB, ExportDir: a.Srv.Config().ExportDir,
		Now: func() time.Time { return *now }, Log: a.Srv.Config().Log, NoCacheWatch: true})
	return &App{T: a.T, DSN: a.DSN, DB: a.DB, Logs: a.Logs, Srv: srv}
}

// Upload posts a file as the import form does (multipart, with the
// session's CSRF token); name "" sends no file.
func (c *Client) Upload(path, name string, data []byte) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.CSRF)
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			c.A.T.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

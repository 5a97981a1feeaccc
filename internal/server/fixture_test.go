package server

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testkit"
)

// testNow is the server's clock in the tests: Sunday 15 March 2026.
var testNow = testkit.Now

// testPassword is every fixture account's password (hashed at bcrypt's
// lowest cost, so that the tests stay fast).
const testPassword = testkit.Password

// The fixture's people and what each account must not see: testkit's.
var (
	users  = testkit.Users
	hidden = testkit.Hidden
)

func fixture() *domain.DataSet { return testkit.Fixture() }

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
func fixtureDSN(t *testing.T) string { return testkit.FixtureDSN(t) }

// fillFixture loads the fixture and its accounts into a migrated database.
var fillFixture = testkit.FillFixture

// createUsers makes accounts, each with testPassword for password.
var createUsers = testkit.CreateUsers

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

// apiClient sends API requests with a bearer token (or a raw Authorization
// header, or a session cookie).
type apiClient struct {
	a      *app
	header string // the Authorization header; "" for none
	cookie string // a session cookie, to show that it does not count
}

func (c *apiClient) get(path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if c.header != "" {
		req.Header.Set("Authorization", c.header)
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: auth.SessionCookieName(false), Value: c.cookie})
	}
	rec := httptest.NewRecorder()
	c.a.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// token creates an API token for username, valid at testNow until expires
// (zero: never), made at made.
func (a *app) token(username string, expires, made time.Time) (string, *store.APIToken) {
	a.t.Helper()
	tok, rec, err := a.db.CreateToken(context.Background(), "test", username, "test", expires, made)
	if err != nil {
		a.t.Fatal(err)
	}
	return tok, rec
}

// bearerOf is a client with a fresh token of username.
func (a *app) bearerOf(username string) *apiClient {
	tok, _ := a.token(username, time.Time{}, testNow)
	return &apiClient{a: a, header: "Bearer " + tok}
}

// apiErrorOf decodes an error answer, failing the test when it is not one.
func apiErrorOf(t *testing.T, what string, r *httptest.ResponseRecorder) core.JSONErrorBody {
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

// openRound opens a round of P1 for learners, asking for the learner
// number, closing on closes, as the store would at opened.
func openRound(t *testing.T, a *app, closes string, opened time.Time) *store.SurveyRound {
	t.Helper()
	r, err := a.db.OpenSurveyRound(context.Background(), "k1", store.SurveyRound{Provider: "P1", Respondent: "learner",
		AskLearner: true, Closes: domain.MustDate(closes)}, opened)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var formTokenRE = regexp.MustCompile(`name="ft" value="([^"]+)"`)

// surveyForm fetches the questionnaire of r in browser p and returns its
// form token.
func surveyForm(t *testing.T, p *phone, r *store.SurveyRound) string {
	t.Helper()
	rec := p.get("/s/" + r.Token)
	wantStatus(t, "survey page", rec, http.StatusOK)
	m := formTokenRE.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatal("survey page has no form token")
	}
	return m[1]
}

// responses counts the stored survey responses.
func responses(t *testing.T, a *app) []domain.SurveyResponse {
	t.Helper()
	ds, err := a.db.LoadDataSet(context.Background(), "survey_responses")
	if err != nil {
		t.Fatal(err)
	}
	return ds.SurveyResponses
}

// phone is a browser that opens a round's link: no account, a client
// address of its own, and the cookies the survey page sets.
type phone struct {
	a       *app
	addr    string // the peer address, host:port
	cookies map[string]*http.Cookie
}

// phoneAt is a new browser at client address ip.
func (a *app) phoneAt(ip string) *phone {
	return &phone{a: a, addr: netJoin(ip), cookies: map[string]*http.Cookie{}}
}

func netJoin(ip string) string {
	if strings.Contains(ip, ":") {
		return "[" + ip + "]:40000"
	}
	return ip + ":40000"
}

func (p *phone) do(req *http.Request) *httptest.ResponseRecorder {
	req.RemoteAddr = p.addr
	for _, c := range p.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	p.a.srv.Handler().ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(p.cookies, c.Name)
		} else {
			p.cookies[c.Name] = &http.Cookie{Name: c.Name, Value: c.Value}
		}
	}
	return rec
}

func (p *phone) get(path string) *httptest.ResponseRecorder {
	return p.do(httptest.NewRequest(http.MethodGet, path, nil))
}

func (p *phone) post(path string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return p.do(req)
}

// answer opens r's questionnaire and sends it with values.
func (p *phone) answer(t *testing.T, r *store.SurveyRound, values url.Values) *httptest.ResponseRecorder {
	t.Helper()
	form := url.Values{"ft": {surveyForm(t, p, r)}}
	for k, v := range values {
		form[k] = v
	}
	return p.post("/s/"+r.Token, form)
}

// serveWith replaces a's server by one over the same database with its
// configuration changed by change.
func (a *app) serveWith(change func(*Config)) {
	cfg := a.srv.cfg
	change(&cfg)
	a.srv = New(cfg)
	a.srv.cache.PollEvery = 0
}

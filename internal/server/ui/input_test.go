package ui_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/testdb"
)

// notText are the bytes that no form, link or address of ours sends: a
// byte that is not UTF-8, a truncated sequence, an overlong "/", a
// surrogate, and NUL. PostgreSQL refuses them all in text; SQLite stores
// them as they come (issue 18, finding 8).
var notText = []string{"\xff", "\xe2\x82", "\xc0\xaf", "\xed\xa0\x80", "\x00"}

// wantNotText checks that a request with bytes that are not text was
// refused with a 400 that says so: the error page in the request's
// language, or the API's JSON error.
func wantNotText(t *testing.T, a *servertest.App, what string, rec *httptest.ResponseRecorder, api bool) {
	t.Helper()
	if rec.Code != http.StatusBadRequest {
		t.Errorf("%s: status %d, want 400\n%.300s", what, rec.Code, rec.Body.String())
		return
	}
	if api {
		var body struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code != "bad_request" || !strings.Contains(body.Error.Message, "UTF-8") {
			t.Errorf("%s: API error %s (%v), want code bad_request naming UTF-8", what, rec.Body.String(), err)
		}
		return
	}
	if !strings.Contains(rec.Body.String(), "geen geldige tekst") {
		t.Errorf("%s: the page does not say the input is not text\n%.600s", what, rec.Body.String())
	}
}

// TestNotTextOnPublicRoutes sends bytes that are not text in the path, the
// query and the form of every route that needs no account, on the
// backend under test: each is a 400 that says why, never an internal
// error, and nothing is stored.
func TestNotTextOnPublicRoutes(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	r := servertest.OpenRound(t, a, "2026-03-31", servertest.Now)
	c := a.Anonymous()
	for _, bad := range notText {
		e := url.PathEscape(bad)
		q := url.QueryEscape(bad)
		for _, path := range []string{
			"/s/" + e, "/s/" + r.Token + "?taal=" + q, "/s/" + r.Token + e,
			"/login?next=" + q, "/login?" + q + "=1", "/lang?lang=en&next=" + q, "/lang?lang=" + q,
			"/static/" + e, "/static/app.css?v=" + q, "/healthz?x=" + q, "/readyz?x=" + q,
			"/" + e, "/learners?q=" + q, "/nowhere/" + e,
		} {
			wantNotText(t, a, "GET "+path, c.Get(path), false)
		}
		for _, path := range []string{"/api/v1/openapi.json?x=" + q, "/api/v1/learners?q=" + q, "/api/v1/learners/" + e} {
			wantNotText(t, a, "GET "+path, c.Get(path), true)
		}
		wantNotText(t, a, "POST /s/"+e, c.Post("/s/"+e, url.Values{"wellbeing": {"3"}}), false)
		ph := a.PhoneAt("192.0.2.20")
		ft := servertest.SurveyForm(t, ph, r)
		for _, field := range []string{"comment", "learner", "wellbeing", "taal", "ft"} {
			form := url.Values{"ft": {ft}, "wellbeing": {"4"}, "comment": {"Leuke les"}, "learner": {"L-AERTS"}}
			form.Set(field, form.Get(field)+bad)
			wantNotText(t, a, "survey answer with "+field+" "+q, ph.Post("/s/"+r.Token, form), false)
		}
		form := url.Values{"ft": {ft}, "wellbeing": {"4"}, "comment" + bad: {"x"}}
		wantNotText(t, a, "survey answer with a field name "+q, ph.Post("/s/"+r.Token, form), false)
		// The login form: the user name (which names a limiter bucket in
		// the database) and the password, right or wrong.
		for _, f := range []url.Values{{"username": {"t1" + bad}, "password": {servertest.Password}}, {"username": {"t1"}, "password": {servertest.Password + bad}},
			{"username": {bad}, "password": {"x"}}, {"username": {"t1"}, "password": {servertest.Password}, "next": {"/groups" + bad}}} {
			wantNotText(t, a, "login "+q, loginForm(t, a, f), false)
		}
	}
	if got := servertest.Responses(t, a); len(got) != 0 {
		t.Errorf("%d survey answers stored, want none", len(got))
	}
	// English readers are told in English.
	en := a.Anonymous()
	en.Lang = "en"
	if body := en.Get("/s/%FF").Body.String(); !strings.Contains(body, "not valid text") {
		t.Errorf("English page for /s/%%FF:\n%.600s", body)
	}
	if log := a.Logs.String(); strings.Contains(log, "internal error") || strings.Contains(log, "level=ERROR") {
		t.Errorf("bytes that are not text were logged as an internal error:\n%s", log)
	}
	if !testdb.Postgres() {
		t.Log("ran on SQLite; set " + testdb.EnvPostgres + " for PostgreSQL")
	}
}

// TestNotTextInSignedInForms sends bytes that are not text in the forms
// and lists of a signed-in user: the evaluation grid's feedback, a
// learner goal, and the learners list's search. Each is a 400, and
// nothing is stored.
func TestNotTextInSignedInForms(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("teacher")
	for _, bad := range notText {
		q := url.QueryEscape(bad)
		wantNotText(t, a, "learners ?q="+q, c.Get("/learners?q="+q), false)
		wantNotText(t, a, "groups ?q="+q, c.Get("/groups?q="+q), false)
		form := gridForm(map[string]string{"r0.listening": "A1", "r0.decision": "pass", "r0.date": "2026-03-13", "r0.feedback": "Mooi" + bad})
		wantNotText(t, a, "grid feedback "+q, c.Post("/groups/G1/evaluations", form), false)
		if got := moduleEnds(t, a); len(got) != 0 {
			t.Errorf("grid feedback %q: stored %v, want nothing", bad, got)
		}
		htmx := *c
		htmx.HTMX = true
		wantNotText(t, a, "htmx grid feedback "+q, htmx.Post("/groups/G1/evaluations", form), false)
	}
	if log := a.Logs.String(); strings.Contains(log, "internal error") || strings.Contains(log, "level=ERROR") {
		t.Errorf("bytes that are not text were logged as an internal error:\n%s", log)
	}
}

// loginForm posts the login form f the way a browser does, with the login
// page's cookie.
func loginForm(t *testing.T, a *servertest.App, f url.Values) *httptest.ResponseRecorder {
	t.Helper()
	c := a.Anonymous()
	var cookie *http.Cookie
	for _, ck := range c.Get("/login").Result().Cookies() {
		if ck.Name == "traject_login" {
			cookie = ck
		}
	}
	if cookie == nil {
		t.Fatal("no login cookie")
	}
	f.Set("csrf", cookie.Value)
	req, _ := http.NewRequest(http.MethodPost, "/login", strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cookie)
	req.RemoteAddr = "192.0.2.1:1234"
	return c.Do(req)
}

// TestNotTextInUploads: an import form whose fields or file name are not
// text is refused like any form; a file whose content is not text is the
// importer's, which reports the row and column and stores nothing.
func TestNotTextInUploads(t *testing.T) {
	servertest.UploadsIn(t)
	a := servertest.New(t)
	c := a.As("admin")
	before := learnerCount(t, a)
	for _, bad := range notText {
		// A file name with a NUL does not even parse (mime refuses the
		// part's header): an unreadable upload, 400; any other is not text.
		for _, path := range []string{"/imports", "/imports/assistant"} {
			r := c.Upload(path, "lijst"+bad+".zip", []byte("PK"))
			if bad == "\x00" {
				servertest.WantStatus(t, path+" named "+url.QueryEscape(bad), r, http.StatusBadRequest)
				continue
			}
			wantNotText(t, a, path+" named "+url.QueryEscape(bad), r, false)
		}
		csv := "id,first_name,last_name,birth_date,gender,home_language,country_of_birth,schooling_level,schooling_years,literacy,learning_route,civic_status,perspective,counsellor\n" +
			"L-NEW,Ami" + bad + "na,Nieuw,1990-01-01,f,Turks,TR,higher,1,literate_latin,standard,obliged,social,c1\n"
		r := c.Upload("/imports", "learners.zip", zipOf(t, map[string][]byte{"learners.csv": []byte(csv)}))
		servertest.WantStatus(t, "learners.csv with "+url.QueryEscape(bad), r, http.StatusUnprocessableEntity)
		servertest.WantBody(t, "learners.csv with "+url.QueryEscape(bad), r, "first_name", "learners.csv")
		if !strings.Contains(r.Body.String(), "geen geldige UTF-8-tekst") && !strings.Contains(r.Body.String(), "nulteken") {
			t.Errorf("learners.csv with %q: no row error for the first name\n%s", bad, servertest.Excerpt(r.Body.String()))
		}
		if strings.Contains(r.Body.String(), "Bevestigen") {
			t.Errorf("learners.csv with %q: the dry run offers to import it", bad)
		}
	}
	if n := learnerCount(t, a); n != before {
		t.Errorf("%d learners, was %d", n, before)
	}
	if log := a.Logs.String(); strings.Contains(log, "internal error") {
		t.Errorf("logged an internal error:\n%s", log)
	}
}

// TestNotTextInEveryForm posts a form value that is not text to every POST
// route there is, as an admin, so that a route added later cannot read
// its form without the check: each is a 400 before the handler acts.
func TestNotTextInEveryForm(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	admin := a.As("admin")
	params := regexp.MustCompile(`:[a-z]+|\*[a-z]+`)
	n := 0
	for _, r := range a.Srv.Routes() {
		if r.Method != http.MethodPost {
			continue
		}
		n++
		path := params.ReplaceAllString(r.Path, "X")
		for _, bad := range notText {
			wantNotText(t, a, "POST "+r.Path+" "+url.QueryEscape(bad), admin.Post(path, url.Values{"name": {"x" + bad}}), false)
		}
	}
	if n < 30 {
		t.Fatalf("only %d POST routes", n)
	}
	if log := a.Logs.String(); strings.Contains(log, "internal error") {
		t.Errorf("logged an internal error:\n%s", log)
	}
}

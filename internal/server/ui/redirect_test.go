package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

// redirectTargets are next= values that a browser would follow off the
// site if they came back in a Location header unchanged: every C0 control
// and DEL where the WHATWG URL parser strips or drops it, a few C1 and
// Unicode spaces, and backslashes (core's TestLocalPathRefusesWhatLeavesTheSite
// has the full table).
func redirectTargets() []string {
	var out []string
	for b := 0; b < 0x20; b++ {
		c := string(rune(b))
		out = append(out, "/"+c+"/evil.example", c+"//evil.example", `/\`+c+"evil.example")
	}
	for _, c := range []string{"\x7f", "\u0085", "\u00a0", "\u2028", "\u3000", "\ufeff"} {
		out = append(out, "/"+c+"/evil.example", c+"//evil.example")
	}
	return append(out, `/\evil.example`, `\\evil.example`, "//evil.example", "https://evil.example/")
}

// wantRedirectHome checks that a redirect for target went to want, or that
// the request was refused as a whole (400) because target holds a NUL,
// which no form of ours sends.
func wantRedirectHome(t *testing.T, what, target string, rec interface {
	Result() *http.Response
}, want string) {
	t.Helper()
	res := rec.Result()
	if res.StatusCode == http.StatusBadRequest && strings.ContainsRune(target, 0) {
		return
	}
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Errorf("%s next=%q: %d to %q, want 303 to %q", what, target, res.StatusCode, res.Header.Get("Location"), want)
	}
}

// TestRedirectsStayOnTheSite sends the language selector and the login
// form a next= that leaves the site after a browser's clean-up of the URL
// (issue 18, finding 4): both go to a page of the site instead.
func TestRedirectsStayOnTheSite(t *testing.T) {
	t.Parallel()
	now := servertest.Now
	a := servertest.New(t).WithClock(&now)
	c := a.Anonymous()
	for _, target := range redirectTargets() {
		wantRedirectHome(t, "/lang", target, c.Get("/lang?lang=en&next="+url.QueryEscape(target)), "/")
	}
	// After a successful login: the user's home (the teacher's groups).
	page := c.Get("/login")
	var cookie *http.Cookie
	for _, ck := range page.Result().Cookies() {
		if ck.Name == "traject_login" {
			cookie = ck
		}
	}
	if cookie == nil {
		t.Fatal("no login cookie")
	}
	for _, target := range redirectTargets() {
		now = now.Add(auth.LoginRatePerUser.Every) // one login per user every six seconds is never slowed down
		form := url.Values{"username": {"t1"}, "password": {servertest.Password}, "csrf": {cookie.Value}, "next": {target}}
		req, _ := http.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(cookie)
		req.RemoteAddr = "192.0.2.1:1234"
		wantRedirectHome(t, "login", target, c.Do(req), "/today") // t1 is a teacher: their start page
	}
	// A path of the site is still followed.
	wantRedirectHome(t, "/lang", "/learners/L-AERTS", c.Get("/lang?lang=en&next=%2Flearners%2FL-AERTS"), "/learners/L-AERTS")
}

package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/core"
)

// The login form has no session yet; its CSRF token is a double-submit
// cookie (HttpOnly, SameSite=Strict, only sent to /login) matched against the
// form field.
const (
	loginCookie = "traject_login"
)

// loginView is what the login page shows.
type loginView struct {
	Username string
	Next     string
	Error    string // catalogue key
}

// loginPage shows the login form, or sends a signed-in user on.
func (s *Handler) loginPage(c *gin.Context) {
	if u := core.CurrentUser(c); u != nil {
		c.Redirect(http.StatusSeeOther, homeOf(u))
		return
	}
	s.renderLogin(c, http.StatusOK, loginView{Next: c.Query("next")})
}

// renderLogin shows the login form with a fresh login CSRF token.
func (s *Handler) renderLogin(c *gin.Context, status int, v loginView) {
	token, _ := auth.NewToken()
	http.SetCookie(c.Writer, &http.Cookie{Name: loginCookie, Value: token, Path: "/login", HttpOnly: true,
		Secure: s.Secure, SameSite: http.SameSiteStrictMode})
	c.Set(core.KeyLoginCSRF, token)
	v.Next = core.LocalPath(v.Next)
	if v.Next == "/" {
		v.Next = ""
	}
	s.Render(c, status, "login", "", v)
}

// login checks a login form: attempts slowed down per client address and
// per user name (auth.LoginRatePerAddress, auth.LoginRatePerUser; the
// buckets are in the database, so every server process counts them), and
// on success a new server-side session in an HttpOnly, SameSite cookie.
func (s *Handler) login(c *gin.Context) {
	v := loginView{Username: strings.TrimSpace(c.PostForm("username")), Next: c.PostForm("next")}
	if err := core.FormText(c.Request); err != nil {
		s.Fail(c, err) // before the user name names a limiter bucket in the database
		return
	}
	ctx := c.Request.Context()
	for _, b := range []struct {
		key  string
		rate auth.Rate
		why  string
	}{
		{LoginBucketOfAddress(c.ClientIP()), auth.LoginRatePerAddress, "login.throttled"},
		{LoginBucketOfUser(v.Username), auth.LoginRatePerUser, "login.throttled.user"},
	} {
		ok, err := s.DB.TakeLoginToken(ctx, b.key, b.rate, s.Now())
		if err != nil {
			s.Fail(c, err)
			return
		}
		if !ok {
			v.Error = b.why
			s.renderLogin(c, http.StatusTooManyRequests, v)
			return
		}
	}
	cookie, _ := c.Cookie(loginCookie)
	if !auth.EqualTokens(cookie, c.PostForm("csrf")) {
		v.Error = "login.expired"
		s.renderLogin(c, http.StatusForbidden, v)
		return
	}
	u, err := s.DB.Authenticate(ctx, v.Username, c.PostForm("password"), auth.NoLock, s.Now())
	switch {
	case errors.Is(err, auth.ErrLocked):
		v.Error = "login.locked"
	case domain.ErrorCode(err) == auth.EUNAUTHORIZED:
		v.Error = "login.bad"
	case err != nil:
		s.Fail(c, err)
		return
	}
	if v.Error != "" {
		s.renderLogin(c, http.StatusUnauthorized, v)
		return
	}
	token, _, err := s.DB.CreateSession(ctx, u.Username, s.SessionTTL, s.Now())
	if err != nil {
		s.Fail(c, err)
		return
	}
	http.SetCookie(c.Writer, auth.SessionCookie(token, s.Secure))
	http.SetCookie(c.Writer, &http.Cookie{Name: loginCookie, Path: "/login", MaxAge: -1, HttpOnly: true,
		Secure: s.Secure, SameSite: http.SameSiteStrictMode})
	next := core.LocalPath(v.Next)
	if next == "/" {
		next = homeOf(u)
	}
	c.Redirect(http.StatusSeeOther, next)
}

// logoutPage asks to confirm signing out: a bookmarkable /logout that a
// stray link cannot trigger.
func (s *Handler) logoutPage(c *gin.Context) {
	s.Render(c, http.StatusOK, "logout", "", nil)
}

// logout ends the session and its cookie.
func (s *Handler) logout(c *gin.Context) {
	token, _ := c.Cookie(auth.SessionCookieName(s.Secure))
	if err := s.DB.DeleteSession(c.Request.Context(), token); err != nil {
		s.Fail(c, err)
		return
	}
	http.SetCookie(c.Writer, auth.ClearSessionCookie(s.Secure))
	if core.IsHTMX(c) {
		c.Header("HX-Redirect", "/login")
		c.Status(http.StatusNoContent)
		return
	}
	c.Redirect(http.StatusSeeOther, "/login")
}

// LoginBucketOfAddress and LoginBucketOfUser name the login limiter's
// buckets of a client address and of a user name (case-insensitive, as
// user names are compared).
func LoginBucketOfAddress(addr string) string { return "addr " + addr }

// LoginBucketOfUser names the login bucket of a user name; see LoginBucketOfAddress.
func LoginBucketOfUser(username string) string { return "user " + strings.ToLower(username) }

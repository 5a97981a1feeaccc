package core

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/web"
)

// contentSecurityPolicy allows nothing but the application's own files: no
// inline script or style, no eval, no framing, forms only to itself.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Recoverer turns a panic into a logged internal error.
func (s *App) Recoverer(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.Fail(c, fmt.Errorf("panic: %v", r))
		}
	}()
	c.Next()
}

// AccessLog writes one structured line per request: the route pattern (never
// the raw path, which holds learner numbers), status and duration. No user
// names, addresses or query strings: nothing personal.
func (s *App) AccessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.Log.Info("http", "method", c.Request.Method, "route", RouteOf(c), "status", c.Writer.Status(),
		"ms", float64(time.Since(start).Microseconds())/1000, "bytes", c.Writer.Size(), "htmx", IsHTMX(c))
}

// RouteOf is the route pattern of the request, e.g. "/learners/:id".
func RouteOf(c *gin.Context) string {
	if p := c.FullPath(); p != "" {
		return p
	}
	return "(no route)"
}

// Headers sets the security headers of every answer, and keeps pages with
// personal data out of caches.
func (s *App) Headers(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.Secure {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	if !strings.HasPrefix(c.Request.URL.Path, "/static/") {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// Language picks the interface language from the lang cookie: one of the
// catalogue's complete languages, else Dutch.
func (s *App) Language(c *gin.Context) {
	lang := locale.Default
	if v, err := c.Cookie("lang"); err == nil {
		lang = locale.Lang(v)
	}
	c.Set(keyLang, lang)
	c.Next()
}

// SetLanguage stores the choice of the language selector and goes back.
func (s *App) SetLanguage(c *gin.Context) {
	lang := locale.Lang(c.Query("lang"))
	http.SetCookie(c.Writer, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode})
	c.Redirect(http.StatusSeeOther, LocalPath(c.Query("next")))
}

// LocalPath returns p when it is a path on this site, else "/": a redirect
// to a target the request names (the language selector's and the login's
// next=) never leads elsewhere. Every such redirect goes through here.
func LocalPath(p string) string {
	if !isLocalPath(p) {
		return "/"
	}
	return p
}

// isLocalPath reports whether p is a path (and query) of this site as a
// browser reads it, not only as Go does. The WHATWG URL parser strips
// leading and trailing C0 controls and spaces, removes tab and newline
// anywhere, and reads a backslash as a slash, so that "/\t/evil.example" and
// "/\\evil.example" are "//evil.example", another host. So p must be "/" or
// begin with one "/" and a character that is neither slash nor backslash,
// be valid UTF-8 without any control, space or invisible format character
// (a link of ours escapes them all), hold no backslash at all, and parse as
// a path without scheme or host.
func isLocalPath(p string) bool {
	if p == "/" {
		return true
	}
	if len(p) < 2 || p[0] != '/' || p[1] == '/' || p[1] == '\\' || !utf8.ValidString(p) {
		return false
	}
	for _, r := range p {
		if r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil && u.Opaque == "" && strings.HasPrefix(u.Path, "/")
}

// Session finds the signed-in user from the session cookie. With required,
// a request without a valid session is sent to the login page (GET) or
// answered 401 (anything else, and htmx requests, which are told to go to
// the login page).
func (s *App) Session(required bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		token, _ := c.Cookie(auth.SessionCookieName(s.Secure))
		var sess *store.Session
		var err error
		if token != "" {
			sess, err = s.DB.FindSession(c.Request.Context(), token, s.Now())
			switch code := domain.ErrorCode(err); {
			case err == nil:
			case code == domain.ENOTFOUND:
				http.SetCookie(c.Writer, auth.ClearSessionCookie(s.Secure))
				sess = nil
			default:
				s.Fail(c, err)
				return
			}
		}
		if sess == nil {
			if !required {
				c.Next()
				return
			}
			if c.Request.Method == http.MethodGet && !IsHTMX(c) {
				c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
				c.Abort()
				return
			}
			s.Fail(c, domain.Errorf(auth.EUNAUTHORIZED, "no session"))
			return
		}
		c.Set(keySession, sess)
		c.Set(keyUser, &sess.User)
		c.Next()
	}
}

// CSRF refuses a write whose form does not carry the session's CSRF token,
// or holds bytes that are not text (FormText): every signed-in write passes
// here first.
func (s *App) CSRF(c *gin.Context) {
	sess := CurrentSession(c)
	token := c.PostForm("csrf") // parses the form, within the route's limit when it set one
	if err := FormText(c.Request); err != nil {
		s.Fail(c, err)
		return
	}
	if token == "" {
		token = c.GetHeader("X-CSRF-Token")
	}
	if sess == nil || !auth.EqualTokens(token, sess.CSRFToken) {
		s.Fail(c, ErrCSRF)
		return
	}
	c.Next()
}

// Require refuses users whose role never allows a.
func (s *App) Require(a auth.Action) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := auth.Authorize(CurrentUser(c), a); err != nil {
			s.Fail(c, err)
			return
		}
		c.Next()
	}
}

// CurrentUser is the signed-in user (nil on public pages).
func CurrentUser(c *gin.Context) *domain.User {
	if u, ok := c.Get(keyUser); ok {
		return u.(*domain.User)
	}
	return nil
}

// CurrentSession is the session of the signed-in user (nil on public pages).
func CurrentSession(c *gin.Context) *store.Session {
	if s, ok := c.Get(keySession); ok {
		return s.(*store.Session)
	}
	return nil
}

// IsHTMX reports whether the request comes from htmx, which wants a fragment.
func IsHTMX(c *gin.Context) bool { return c.GetHeader("HX-Request") == "true" }

// staticFS is web/static.
var staticFS = func() http.FileSystem {
	sub, err := fs.Sub(web.FS, "static")
	if err != nil {
		panic(err)
	}
	return http.FS(sub)
}()

// Static serves the embedded CSS, JavaScript and vendored libraries.
func (s *App) Static(c *gin.Context) {
	p := c.Param("path")
	if strings.HasSuffix(p, "/") {
		s.Fail(c, ErrNotFound)
		return
	}
	f, err := staticFS.Open(p)
	if err != nil {
		s.Fail(c, ErrNotFound)
		return
	}
	f.Close()
	c.Header("Cache-Control", "public, max-age=3600")
	c.FileFromFS(p, staticFS)
}

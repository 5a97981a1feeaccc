// Package core is what every audience of the web layer shares: the
// application's dependencies (App), the middleware of every request
// (recovery, access log, security headers, language), sessions, CSRF and
// permission checks, the one map from error codes to HTTP statuses, template
// rendering, and the parsing of indicator queries that the dashboard and the
// API both take. The audiences themselves are ui (pages for signed-in users),
// api (the JSON API, with tokens) and public (pages that need no account);
// internal/server mounts them.
package core

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/store"
)

// DefaultSessionTTL is how long a session lasts without use.
const DefaultSessionTTL = 8 * time.Hour

// App holds what the handlers of every audience share. Handlers embed it, so
// they read a.DB, a.Now() and call a.Render, a.Fail.
type App struct {
	DB         *store.DB
	Log        *slog.Logger
	Now        func() time.Time // the clock
	Secure     bool             // behind TLS: Secure cookies with the __Host- prefix, HSTS
	SessionTTL time.Duration    // idle lifetime of a session
	Version    string           // Traject's version, shown in workbooks
	Pages      *Templates       // the parsed pages of web/templates
	// PublicURL is the configured address of Traject as learners reach it,
	// without a trailing slash (ParsePublicURL); "" when none is set.
	// Links handed out of the application (a survey's link and QR code)
	// are built from it, never from the request's Host header, which the
	// client chooses.
	PublicURL string
	// Name is the installation's name, shown on the sign-in page and in
	// every page title ("Traject — CVO Antwerpen"); "" for none.
	Name string
	// HashPassword hashes a password set on the administration's pages
	// (auth.HashPassword; tests pass a cheaper bcrypt cost).
	HashPassword func(password string) (string, error)

	people displayNames // the accounts' display names (people.go)
}

// Context keys.
const (
	keyUser    = "user"
	keySession = "session"
	keyLang    = "lang"
	// KeyLoginCSRF holds the login form's CSRF token, which has no session yet.
	KeyLoginCSRF = "login_csrf"
)

// Lang is the interface language of the request ("nl" or "en"), as the
// Language middleware chose it.
func Lang(c *gin.Context) string {
	if l := c.GetString(keyLang); l != "" {
		return l
	}
	return locale.Default
}

// SetUser records u as the request's user, for an audience that
// authenticates otherwise than by session (the API's bearer tokens).
func SetUser(c *gin.Context, u *domain.User) { c.Set(keyUser, u) }

// ParsePublicURL checks the public address of an installation (traject
// serve --public-url): an absolute http or https URL of a host, with no
// path (Traject serves from the root), user, query or fragment; https when
// secure, since links must not leave TLS. It returns the address without a
// trailing slash.
func ParsePublicURL(s string, secure bool) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	switch {
	case err != nil:
		return "", fmt.Errorf("public URL %q: %v", s, err)
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "", u.Hostname() == "":
		return "", fmt.Errorf("public URL %q: want http:// or https:// and a host, e.g. https://traject.example.org", s)
	case u.User != nil, u.RawQuery != "", u.Fragment != "", u.Opaque != "", u.ForceQuery:
		return "", fmt.Errorf("public URL %q: only a scheme, a host and a port", s)
	case u.Path != "" && u.Path != "/":
		return "", fmt.Errorf("public URL %q: Traject serves from the root; leave out the path %q", s, u.Path)
	case secure && u.Scheme != "https":
		return "", fmt.Errorf("public URL %q: with --secure the address starts with https://", s)
	}
	return u.Scheme + "://" + u.Host, nil
}

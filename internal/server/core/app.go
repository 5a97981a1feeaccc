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
	"log/slog"
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
	// HashPassword hashes a password set on the administration's pages
	// (auth.HashPassword; tests pass a cheaper bcrypt cost).
	HashPassword func(password string) (string, error)
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

// Package public serves what needs no account: the health check of a load
// balancer now, and the pages that anyone with a link may open (a survey
// round's questionnaire) as they come. Its routes have their own middleware:
// no session is read, nothing personal is shown, and a page that takes input
// is rate-limited on its own.
package public

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/core"
)

// Handler serves the public routes.
type Handler struct {
	*core.App
}

// New returns the public routes over app.
func New(app *core.App) *Handler { return &Handler{App: app} }

// Routes registers the public routes on r.
func (h *Handler) Routes(r *gin.Engine) {
	r.GET("/healthz", h.healthz)
	r.GET("/readyz", h.readyz)
	// A survey round's questionnaire: no session is read (nothing here
	// depends on who is signed in), CSRF is the form's own token.
	r.GET("/s/:token", h.surveyPage)
	r.POST("/s/:token", h.submitSurvey)
}

// healthz is a load balancer's liveness check: 200 while the process
// serves, without asking the database (a database outage is not a reason to
// restart every process).
func (h *Handler) healthz(c *gin.Context) {
	c.String(http.StatusOK, "ok\n")
}

// readyz is a load balancer's readiness check: 200 when the database
// answers and its schema is the one this process knows, else 503 with the
// reason (no personal data: a reason names no record). A process behind an
// unmigrated or newer schema takes no requests.
func (h *Handler) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 5*time.Second)
	defer cancel()
	if err := h.DB.CheckSchema(ctx); err != nil {
		reason := "database unavailable"
		if domain.ErrorCode(err) == domain.ESTALE {
			reason = "schema not current: run traject migrate"
		}
		h.Log.Warn("not ready", "err", err)
		c.String(http.StatusServiceUnavailable, reason+"\n")
		return
	}
	c.String(http.StatusOK, "ready\n")
}

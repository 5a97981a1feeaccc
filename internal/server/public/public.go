// Package public serves what needs no account: the health check of a load
// balancer now, and the pages that anyone with a link may open (a survey
// round's questionnaire) as they come. Its routes have their own middleware:
// no session is read, nothing personal is shown, and a page that takes input
// is rate-limited on its own.
package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

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
}

// healthz answers 200 while the database answers.
func (h *Handler) healthz(c *gin.Context) {
	if _, _, err := h.DB.SchemaVersion(c.Request.Context()); err != nil {
		h.Log.Error("health check", "err", err)
		c.String(http.StatusServiceUnavailable, "database unavailable\n")
		return
	}
	c.String(http.StatusOK, "ok\n")
}

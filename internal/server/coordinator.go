package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
)

// coordinatorPage is one of the coordinator's and admin's pages. They come in
// a later issue; until then each answers a "binnenkort" page behind its own
// permission, so that the navigation and the permission matrix cover them.
type coordinatorPage struct {
	path   string
	action auth.Action
	nav    string // catalogue key of the menu label and heading
}

// coordinatorPages lists them in menu order.
var coordinatorPages = []coordinatorPage{}

// placeholder renders the "binnenkort" page of p.
func (s *Server) placeholder(p coordinatorPage) gin.HandlerFunc {
	return func(c *gin.Context) {
		s.render(c, http.StatusOK, "placeholder", "", p.nav)
	}
}

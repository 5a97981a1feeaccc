package ui

import (
	"html/template"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/server/gzsplice"
)

// The dashboard and its drill-downs are rendered once per data version and
// kept as page bodies (internal/server/pagecache), deflated once; each
// answer wraps a body in the layout and splices it into the gzip stream
// without compressing it again (internal/server/gzsplice).

// bodyKey identifies a rendered page body (the page without the layout,
// which holds the user's name and CSRF token): what it shows, in which
// language, and the user's role and providers, which decide its choices
// and links.
type bodyKey struct {
	Page   string
	Params indicator.Params
	Filter indicator.Filter
	Period string
	PageNo int
	Exact  bool
	Lang   string
	Scope  string
}

// splicer is gin's writer with gzsplice's in front: the layout's write,
// which holds the marker, goes out with the cached body in its place.
type splicer struct {
	gin.ResponseWriter
	sw gzsplice.Writer
}

// Write writes p with the body in place of the marker.
func (s *splicer) Write(p []byte) (int, error) { return s.sw.Write(p) }

// WriteString is Write for strings.
func (s *splicer) WriteString(str string) (int, error) { return s.sw.Write([]byte(str)) }

// renderCached answers page with its cached body in the layout: as gzip
// when the client takes it.
func (s *Handler) renderCached(c *gin.Context, status int, page string, body *gzsplice.Body) {
	sp := &splicer{ResponseWriter: c.Writer,
		sw: gzsplice.Writer{ResponseWriter: c.Writer, Body: body, Gzip: gzsplice.AcceptsGzip(c.GetHeader("Accept-Encoding"))}}
	c.Writer = sp
	defer func() { c.Writer = sp.ResponseWriter }()
	s.Render(c, status, page, "", pageBody{Body: template.HTML(gzsplice.Marker)})
}

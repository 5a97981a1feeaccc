package core

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/domain"
)

// Every path, query and form value of a request must be text
// (domain.IsText): bytes that are not UTF-8, or a NUL, come from no page of
// ours, and PostgreSQL would answer them with an error deep in a handler
// (issue 18, finding 8). They are refused at the door with a 400 that says
// why, in the page's language or in the API's JSON error form.

// ErrNotText is the error of a request that holds bytes that are not text.
var ErrNotText = domain.Errorf(EBadRequest, "the request holds bytes that are not UTF-8 text, or a NUL character")

// Text refuses a request whose path or query is not text. It runs for every
// route, public, pages and API alike. A form body is checked where it is
// parsed (FormText), within the size limit of its route, which a check here
// would have to read past.
func (s *App) Text(c *gin.Context) {
	if !domain.IsText(c.Request.URL.Path) || !domain.IsText(c.Request.URL.RawQuery) || !valuesAreText(c.Request.URL.Query()) {
		s.Fail(c, ErrNotText)
		return
	}
	c.Next()
}

// FormText is ErrNotText when a parsed form holds a field name, value or
// upload's file name that is not text, else nil. Whoever parses a form
// asks it before reading a field: CSRF (every signed-in write), the login
// form and the survey. An uploaded file's content is the importer's, which
// reports bad encodings per row.
func FormText(r *http.Request) error {
	if !valuesAreText(r.PostForm) {
		return ErrNotText
	}
	if r.MultipartForm != nil {
		for name, files := range r.MultipartForm.File {
			if !domain.IsText(name) {
				return ErrNotText
			}
			for _, f := range files {
				if !domain.IsText(f.Filename) {
					return ErrNotText
				}
			}
		}
	}
	return nil
}

// valuesAreText reports whether every name and value of v is text.
func valuesAreText(v url.Values) bool {
	for name, vals := range v {
		if !domain.IsText(name) {
			return false
		}
		for _, x := range vals {
			if !domain.IsText(x) {
				return false
			}
		}
	}
	return true
}

// isNotText reports whether err is ErrNotText, for the error page's words.
func isNotText(err error) bool { return errors.Is(err, ErrNotText) }

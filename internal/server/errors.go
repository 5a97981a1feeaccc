package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

// Error codes of the HTTP layer itself, beside domain's and auth's.
const (
	ebadRequest = "bad_request" // a request no form of ours sends: 400
	etooMany    = "too_many"    // throttled: 429
	emethod     = "method"      // a method the route does not take: 405
)

var (
	notFoundErr = domain.Errorf(domain.ENOTFOUND, "not found")
	errMethod   = domain.Errorf(emethod, "method not allowed")
	errCSRF     = domain.Errorf(domain.EFORBIDDEN, "csrf")
)

// statusOf is the one map from error codes to HTTP statuses (style.md,
// "Errors carry a code"). Form validation answers 422 where it renders the
// form again; everything else goes through here.
func statusOf(code string) int {
	switch code {
	case domain.EINVALID:
		return http.StatusBadRequest
	case ebadRequest:
		return http.StatusBadRequest
	case domain.ENOTFOUND:
		return http.StatusNotFound
	case domain.ECONFLICT:
		return http.StatusConflict
	case domain.EFORBIDDEN:
		return http.StatusForbidden
	case auth.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case etooMany:
		return http.StatusTooManyRequests
	case emethod:
		return http.StatusMethodNotAllowed
	case domain.ESTALE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// badRequest is the error for a request that no page of ours sends.
func badRequest(msg string) error { return domain.Errorf(ebadRequest, "%s", msg) }

// errorView is what the error page shows.
type errorView struct {
	Status  int
	Heading string // catalogue key
	Message string // catalogue key
}

// fail answers err with its status and the error page (a fragment for htmx).
// Only internal errors are logged, once, here; users see "Interne fout".
func (s *Server) fail(c *gin.Context, err error) {
	code := domain.ErrorCode(err)
	status := statusOf(code)
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "method", c.Request.Method, "route", routeOf(c), "err", err)
	}
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		// An unknown API path or method: API clients get JSON, never a page.
		msg := err.Error()
		if status == http.StatusInternalServerError {
			code, msg = domain.EINTERNAL, "internal error"
		}
		c.Abort()
		c.PureJSON(status, apiError{apiErrorBody{Code: code, Message: msg}})
		return
	}
	v := errorView{Status: status}
	switch status {
	case http.StatusForbidden:
		v.Heading, v.Message = "err.forbidden", "err.forbidden.text"
		if errors.Is(err, errCSRF) {
			v.Message = "err.csrf.text"
		}
	case http.StatusNotFound:
		v.Heading, v.Message = "err.notfound", "err.notfound.text"
	case http.StatusUnauthorized:
		v.Heading, v.Message = "err.unauthorized", "err.unauthorized.text"
	case http.StatusBadRequest:
		v.Heading, v.Message = "err.badrequest", "err.badrequest.text"
	case http.StatusConflict:
		v.Heading, v.Message = "err.conflict", "err.conflict.text"
	case http.StatusTooManyRequests:
		v.Heading, v.Message = "err.toomany", "err.toomany.text"
	case http.StatusMethodNotAllowed:
		v.Heading, v.Message = "err.method", "err.method.text"
	default:
		v.Heading, v.Message = "err.internal", "err.internal.text"
	}
	if isHTMX(c) && status == http.StatusUnauthorized {
		c.Header("HX-Redirect", "/login")
	}
	s.render(c, status, "error", "content", v)
	c.Abort()
}

// forbiddenOrNotFound hides whether a record exists from a user who may not
// see it: a missing record is 404 only for an admin, who sees everything;
// anyone else gets the same 403 as for a record that is not theirs.
func forbiddenOrNotFound(c *gin.Context, err error) error {
	if domain.ErrorCode(err) == domain.ENOTFOUND && currentUser(c).Role != domain.RoleAdmin {
		return domain.Errorf(domain.EFORBIDDEN, "forbidden")
	}
	return err
}

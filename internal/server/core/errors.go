package core

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
	EBadRequest = "bad_request" // a request no form of ours sends: 400
	ETooMany    = "too_many"    // throttled: 429
	EMethod     = "method"      // a method the route does not take: 405
)

var (
	ErrNotFound = domain.Errorf(domain.ENOTFOUND, "not found")
	ErrMethod   = domain.Errorf(EMethod, "method not allowed")
	ErrCSRF     = domain.Errorf(domain.EFORBIDDEN, "csrf")
)

// StatusOf is the one map from error codes to HTTP statuses: every error
// carries a code (domain.Errorf), and only here does a code become a status.
// Form validation answers 422 where it renders the
// form again; everything else goes through here.
func StatusOf(code string) int {
	switch code {
	case domain.EINVALID:
		return http.StatusBadRequest
	case EBadRequest:
		return http.StatusBadRequest
	case domain.ENOTFOUND:
		return http.StatusNotFound
	case domain.ECONFLICT:
		return http.StatusConflict
	case domain.EFORBIDDEN:
		return http.StatusForbidden
	case auth.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case ETooMany:
		return http.StatusTooManyRequests
	case EMethod:
		return http.StatusMethodNotAllowed
	case domain.ESTALE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// BadRequest is the error for a request that no page of ours sends.
func BadRequest(msg string) error { return domain.Errorf(EBadRequest, "%s", msg) }

// errorView is what the error page shows.
type errorView struct {
	Status  int
	Heading string // catalogue key
	Message string // catalogue key
}

// Fail answers err with its status and the error page (a fragment for htmx).
// Only internal errors are logged, once, here; users see "Interne fout".
func (s *App) Fail(c *gin.Context, err error) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		// An unknown API path or method, or the session middleware on an
		// API path: API clients get JSON, never a page.
		s.FailJSON(c, err)
		return
	}
	status := StatusOf(domain.ErrorCode(err))
	if status == http.StatusInternalServerError {
		s.logInternal(c, err)
	}
	v := errorView{Status: status}
	switch status {
	case http.StatusForbidden:
		v.Heading, v.Message = "err.forbidden", "err.forbidden.text"
		if errors.Is(err, ErrCSRF) {
			v.Message = "err.csrf.text"
		}
	case http.StatusNotFound:
		v.Heading, v.Message = "err.notfound", "err.notfound.text"
	case http.StatusUnauthorized:
		v.Heading, v.Message = "err.unauthorized", "err.unauthorized.text"
	case http.StatusBadRequest:
		v.Heading, v.Message = "err.badrequest", "err.badrequest.text"
		if isNotText(err) {
			v.Message = "err.nottext.text"
		}
	case http.StatusConflict:
		v.Heading, v.Message = "err.conflict", "err.conflict.text"
	case http.StatusTooManyRequests:
		v.Heading, v.Message = "err.toomany", "err.toomany.text"
	case http.StatusMethodNotAllowed:
		v.Heading, v.Message = "err.method", "err.method.text"
	default:
		v.Heading, v.Message = "err.internal", "err.internal.text"
	}
	if IsHTMX(c) && status == http.StatusUnauthorized {
		c.Header("HX-Redirect", "/login")
	}
	s.Render(c, status, "error", "content", v)
	c.Abort()
}

// ForbiddenOrNotFound hides whether a record exists from a user who may not
// see it: a missing record is 404 only for an admin, who sees everything;
// anyone else gets the same 403 as for a record that is not theirs.
func ForbiddenOrNotFound(c *gin.Context, err error) error {
	if domain.ErrorCode(err) == domain.ENOTFOUND && CurrentUser(c).Role != domain.RoleAdmin {
		return domain.Errorf(domain.EFORBIDDEN, "forbidden")
	}
	return err
}

// FailJSON answers err in the JSON API's error form, {"error": {"code": …,
// "message": …}}, with its status from StatusOf: the one writer of a JSON
// error, for the API's handlers and middleware (bearer tokens, permissions)
// and for Fail on an /api/ path. A 401 names the Bearer scheme
// (WWW-Authenticate) unless the caller said more already. Internal errors
// are logged, once, here, and say no more than "internal error".
func (s *App) FailJSON(c *gin.Context, err error) {
	code := domain.ErrorCode(err)
	status := StatusOf(code)
	msg := err.Error()
	if status == http.StatusInternalServerError {
		s.logInternal(c, err)
		code, msg = domain.EINTERNAL, "internal error"
	}
	if status == http.StatusUnauthorized && c.Writer.Header().Get("WWW-Authenticate") == "" {
		c.Header("WWW-Authenticate", `Bearer realm="traject"`)
	}
	c.Abort()
	c.PureJSON(status, JSONError{Error: JSONErrorBody{Code: code, Message: msg}})
}

// logInternal logs an internal error with the request's method and route
// pattern (never its path, which may hold a learner's number).
func (s *App) logInternal(c *gin.Context, err error) {
	s.Log.Error("internal error", "method", c.Request.Method, "route", RouteOf(c), "err", err)
}

// JSONError is the body of every error answer of the JSON API.
type JSONError struct {
	Error JSONErrorBody `json:"error"`
}

// JSONErrorBody is the code (domain's error codes, "unauthorized", "bad_request")
// and a message for the person who wrote the script.
type JSONErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

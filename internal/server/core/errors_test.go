package core

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

// jsonErrorOf runs fail on a request for path and returns the answer and
// what was logged.
func jsonErrorOf(t *testing.T, path string, fail func(*App, *gin.Context)) (*httptest.ResponseRecorder, string) {
	t.Helper()
	gin.SetMode(gin.TestMode)
	var logs bytes.Buffer
	a := &App{Log: slog.New(slog.NewTextHandler(&logs, nil))}
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = httptest.NewRequest(http.MethodGet, path, nil)
	fail(a, c)
	return rec, logs.String()
}

// Every JSON error goes through FailJSON, and Fail on an API path is the
// same answer: one form, one status map, internal errors logged once and
// not shown, a 401 naming the Bearer scheme.
func TestFailJSON(t *testing.T) {
	for _, tt := range []struct {
		err    error
		status int
		body   string
		logged bool
	}{
		{domain.Errorf(domain.EINVALID, "page must be 1 or more"), http.StatusBadRequest, `{"error":{"code":"invalid","message":"page must be 1 or more"}}`, false},
		{domain.Errorf(domain.ECONFLICT, "duplicates a stored key"), http.StatusConflict, `{"error":{"code":"conflict","message":"duplicates a stored key"}}`, false},
		{domain.Errorf(auth.EUNAUTHORIZED, "unknown API token"), http.StatusUnauthorized, `{"error":{"code":"unauthorized","message":"unknown API token"}}`, false},
		{ErrMethod, http.StatusMethodNotAllowed, `{"error":{"code":"method","message":"method not allowed"}}`, false},
		{errors.New("connection refused <secret path>"), http.StatusInternalServerError, `{"error":{"code":"internal","message":"internal error"}}`, true},
	} {
		direct, logs := jsonErrorOf(t, "/api/v1/learners", func(a *App, c *gin.Context) { a.FailJSON(c, tt.err) })
		viaFail, failLogs := jsonErrorOf(t, "/api/v1/nope", func(a *App, c *gin.Context) { a.Fail(c, tt.err) })
		for _, r := range []struct {
			how  string
			rec  *httptest.ResponseRecorder
			logs string
		}{{"FailJSON", direct, logs}, {"Fail on an API path", viaFail, failLogs}} {
			if r.rec.Code != tt.status || strings.TrimSpace(r.rec.Body.String()) != tt.body {
				t.Errorf("%s(%v) = %d %s, want %d %s", r.how, tt.err, r.rec.Code, r.rec.Body, tt.status, tt.body)
			}
			if ct := r.rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("%s(%v): Content-Type %q", r.how, tt.err, ct)
			}
			if n := strings.Count(r.logs, "internal error"); n != map[bool]int{true: 1, false: 0}[tt.logged] {
				t.Errorf("%s(%v) logged %d internal errors:\n%s", r.how, tt.err, n, r.logs)
			}
			if got := r.rec.Header().Get("WWW-Authenticate"); (tt.status == http.StatusUnauthorized) != (got == `Bearer realm="traject"`) {
				t.Errorf("%s(%v): WWW-Authenticate %q", r.how, tt.err, got)
			}
		}
	}
}

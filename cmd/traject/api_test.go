package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server"
	"github.com/traject-nt2/traject/internal/store"
)

// TestAPIMatchesCLI imports the conformance data with the CLI, makes API
// tokens with `traject token create`, and checks that GET /api/v1/indicators
// answers every conformance run byte for byte as `traject indicators
// --format json` does, with and without the small-cell rule; and that a
// token revoked with `traject token revoke` no longer works.
func TestAPIMatchesCLI(t *testing.T) {
	ctx := context.Background()
	path := newDB(t)
	mustCLI(t, "import", conformance, "--db", path)
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	hash, err := bcrypt.GenerateFromPassword([]byte("not used here"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	// When the accounts were made matters to nothing here. The tokens are
	// made by `traject token create` and checked by the server, both on the
	// real clock: a day's validity covers the test.
	created := time.Date(2026, time.January, 5, 9, 0, 0, 0, time.UTC)
	for _, u := range []domain.User{{Username: "root", Role: domain.RoleAdmin},
		{Username: "kA", Role: domain.RoleCoordinator, Providers: []string{"CVO-A"}}} {
		if err := db.CreateUser(ctx, "test", u, string(hash), created); err != nil {
			t.Fatal(err)
		}
	}
	token := func(username string) string {
		out := mustCLI(t, "token", "create", "--username", username, "--expires", "1d", "--db", path)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		tok := lines[len(lines)-1]
		if !auth.IsAPIToken(tok) {
			t.Fatalf("token create printed %q", out)
		}
		return tok
	}
	tokens := map[string]string{"root": token("root"), "kA": token("kA")}
	h := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler()
	get := func(tok, url string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	runs := []struct {
		user  string
		args  []string
		query string
	}{
		{"root", []string{"--from", "2024-09-01", "--to", "2025-08-31"}, "from=2024-09-01&to=2025-08-31"},
		{"kA", []string{"--from", "2024-09-01", "--to", "2025-08-31", "--provider", "CVO-A"}, "from=2024-09-01&to=2025-08-31&provider=CVO-A"},
		{"root", []string{"--from", "2025-01-01", "--to", "2025-12-31", "--as-of", "2026-06-30"}, "from=2025-01-01&to=2025-12-31&as_of=2026-06-30"},
		{"root", []string{"--from", "2024-01-01", "--to", "2025-12-31", "--statutory-months", "2", "--waiting-list-months", "4",
			"--grace-days", "10", "--min-hours", "20.5", "--followup-months", "6"},
			"from=2024-01-01&to=2025-12-31&statutory_months=2&waiting_list_months=4&grace_days=10&min_hours=20.5&followup_months=6"},
	}
	for _, run := range runs {
		for _, suppress := range []bool{false, true} {
			args := append([]string{"indicators", "--format", "json", "--db", path}, run.args...)
			query := run.query
			if suppress {
				args = append(args, "--suppress")
				query += "&suppress=true"
			}
			want := mustCLI(t, args...)
			r := get(tokens[run.user], "/api/v1/indicators?"+query)
			if r.Code != http.StatusOK {
				t.Fatalf("GET %s: %d %s", query, r.Code, r.Body.String())
			}
			if got := r.Body.String(); got != want {
				t.Errorf("GET /api/v1/indicators?%s differs from traject %s:\n got %.300s\nwant %.300s", query, strings.Join(args, " "), got, want)
			}
			if suppress && !bytes.Contains(r.Body.Bytes(), []byte(`"<5"`)) {
				t.Errorf("%s: no suppressed count", query)
			}
		}
	}
	// A revoked token is refused from then on.
	out := mustCLI(t, "token", "list", "--username", "kA", "--db", path)
	id := strings.Fields(strings.Split(strings.TrimSpace(out), "\n")[1])[0]
	mustCLI(t, "token", "revoke", id, "--db", path)
	if r := get(tokens["kA"], "/api/v1/indicators?from=2024-09-01&to=2025-08-31&provider=CVO-A"); r.Code != http.StatusUnauthorized ||
		!strings.Contains(r.Body.String(), `"code":"unauthorized"`) || r.Header().Get("WWW-Authenticate") == "" {
		t.Errorf("revoked token: %d %s", r.Code, r.Body.String())
	}
}

package ui_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
)

// A write that breaks a constraint of the database which no handler checks
// first (here a unique key the test adds to learner goals: one goal per
// learner and day) is a conflict, 409 with the conflict page, on both
// backends: not an internal error, and no driver text for the user.
func TestConstraintViolationIs409(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	driver := "sqlite3"
	if store.IsPostgres(a.DSN) {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, a.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(context.Background(), `CREATE UNIQUE INDEX test_one_goal_a_day ON learner_goals (learner, set_date)`); err != nil {
		t.Fatal(err)
	}
	// L-AERTS has a listening goal set on 2026-01-10 (fixture).
	r := a.As("counsellor").Post("/learners/L-AERTS/goals", url.Values{"skill": {"reading"}, "target_level": {"A2"}, "set_date": {"2026-01-10"}})
	servertest.WantStatus(t, "goal that breaks the unique key", r, http.StatusConflict)
	servertest.WantBody(t, "conflict page", r, "De gegevens zijn intussen gewijzigd")
	for _, w := range []string{"UNIQUE", "duplicate key", "SQLSTATE", "test_one_goal_a_day"} {
		if strings.Contains(r.Body.String(), w) {
			t.Errorf("the page shows the driver's words %q", w)
		}
	}
	if strings.Contains(a.Logs.String(), "internal error") {
		t.Errorf("a conflict was logged as an internal error:\n%s", a.Logs)
	}
}

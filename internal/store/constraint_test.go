package store

import (
	"context"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// A constraint the database holds (a unique key, a foreign key, a check)
// that a write breaks is ECONFLICT on both backends, whichever write seam
// the statement goes through, with a message of its own rather than the
// driver's (dialect.go, conflict).
func TestConstraintViolationsAreConflicts(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if _, err := db.write.ExecContext(ctx, db.write.Rebind(`INSERT INTO providers (code, name, type) VALUES (?, ?, ?)`), "P1", "Een", "cvo"); err != nil {
		t.Fatal(err)
	}
	driverWords := []string{"UNIQUE constraint", "FOREIGN KEY constraint", "CHECK constraint", "SQLSTATE", "violates", "duplicate key value"}
	check := func(what string, err error, want string) {
		t.Helper()
		if domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("%s: code %q (%v), want %q", what, domain.ErrorCode(err), err, domain.ECONFLICT)
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: message %q, want it to say %q", what, err, want)
		}
		for _, w := range driverWords {
			if strings.Contains(err.Error(), w) {
				t.Errorf("%s: message %q carries the driver's words %q", what, err, w)
			}
		}
	}

	// A duplicate key on the writer, outside a transaction.
	_, err := db.write.ExecContext(ctx, db.write.Rebind(`INSERT INTO providers (code, name, type) VALUES (?, ?, ?)`), "P1", "Twee", "cbe")
	check("duplicate provider", err, "duplicates a stored key")

	// A foreign key in a transaction.
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(`INSERT INTO modules (code, provider, name, programme, entry_level, target_level, skills, nominal_hours)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), "M1", "NOPE", "Module", "NT2", "A0", "A1", "1", 10)
	check("module of an unknown provider", err, "refers to a record that does not exist")
	tx.Rollback()

	// A check constraint through INSERT … RETURNING on the writer.
	var id int64
	err = db.write.GetContext(ctx, &id, db.write.Rebind(`INSERT INTO schedules (name, cron, period, out_dir, keep, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING keep`), "s", "@daily", "previous-month", "/tmp", -1, "2026-01-01T00:00:00Z")
	check("negative keep", err, "breaks a rule")
}

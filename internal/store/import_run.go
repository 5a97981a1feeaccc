package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// The import history (schema/024_imports.sql): every import that was
// stored or refused — web upload, mapping assistant, traject import — with
// who, when, which files, which profile, the counts per entity and the
// result. Bookkeeping: it moves no data version.

// ImportRun is one entry of the import history.
type ImportRun struct {
	ID         int64
	At         time.Time
	Username   string   // "" for the command line
	Channel    string   // ImportWeb, ImportAssistant or ImportCLI
	Source     string   // the file names
	Profile    string   // the mapping profile's name, "" for the interchange format
	Providers  []string // the importing coordinator's, or those the data set names
	Result     string   // ImportOK or ImportRefused
	Errors     int
	FirstError string // the first error, as the importer told it
	Counts     []UpsertCount
}

// The channels and results of an import run.
const (
	ImportWeb       = "web"
	ImportAssistant = "assistant"
	ImportCLI       = "cli"
	ImportOK        = "ok"
	ImportRefused   = "refused"
)

// RecordImport keeps r in the import history and, for a stored import made
// by a user, the audit trail's entry of it (who imported which file, with
// the counts), in one transaction of its own: the import itself committed
// in its own (importer.Batch).
func (db *DB) RecordImport(ctx context.Context, r ImportRun) error {
	if r.Channel != ImportWeb && r.Channel != ImportAssistant && r.Channel != ImportCLI {
		return domain.Errorf(domain.EINVALID, "import run: channel %q", r.Channel)
	}
	if r.Result != ImportOK && r.Result != ImportRefused {
		return domain.Errorf(domain.EINVALID, "import run: result %q", r.Result)
	}
	counts := r.Counts
	if counts == nil {
		counts = []UpsertCount{}
	}
	cj, err := json.Marshal(counts)
	if err != nil {
		return fmt.Errorf("import run: %w", err)
	}
	providers := ""
	if len(r.Providers) > 0 {
		providers = "," + strings.Join(r.Providers, ",") + ","
	}
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO import_runs (at, username, channel, source, profile, providers, result,
		errors, first_error, counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		r.At.UTC().Format(utcLayout), r.Username, r.Channel, r.Source, r.Profile, providers, r.Result, r.Errors,
		r.FirstError, string(cj)); err != nil {
		return fmt.Errorf("record import run: %w", err)
	}
	if r.Result == ImportOK && r.Username != "" {
		name := r.Source
		if r.Profile != "" {
			name += " (" + r.Profile + ")"
		}
		if err := tx.Audit(ctx, AuditEntry{At: r.At, Username: r.Username, Action: AuditCreate, Entity: "imports",
			Key: r.At.UTC().Format(utcLayout) + " " + name, After: map[string]any{"file": name, "counts": r.Counts}}); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ImportRuns returns the newest limit entries of the import history that u
// may see, newest first: an admin every one, a coordinator those of their
// providers (made by them, or naming them); nobody else any.
func (db *DB) ImportRuns(ctx context.Context, u *domain.User, limit int) ([]ImportRun, error) {
	where, args := "1 = 0", []any(nil)
	switch {
	case u == nil || u.Disabled:
	case u.Role == domain.RoleAdmin:
		where = "1 = 1"
	case u.Role == domain.RoleCoordinator:
		var or []string
		for _, p := range u.Providers {
			if p != "" {
				or = append(or, `providers LIKE ? ESCAPE '\'`)
				args = append(args, likePattern(","+p+","))
			}
		}
		if len(or) > 0 {
			where = "(" + strings.Join(or, " OR ") + ")"
		}
	}
	args = append(args, limit)
	rows, err := db.read.QueryContext(ctx, db.read.Rebind(`SELECT id, at, username, channel, source, profile, providers, result,
		errors, first_error, counts FROM import_runs WHERE `+where+` ORDER BY id DESC LIMIT ?`), args...)
	if err != nil {
		return nil, fmt.Errorf("list import runs: %w", err)
	}
	defer rows.Close()
	var out []ImportRun
	for rows.Next() {
		var r ImportRun
		var at, providers, counts string
		if err := rows.Scan(&r.ID, &at, &r.Username, &r.Channel, &r.Source, &r.Profile, &providers, &r.Result, &r.Errors,
			&r.FirstError, &counts); err != nil {
			return nil, fmt.Errorf("list import runs: %w", err)
		}
		if r.At, err = time.Parse(utcLayout, at); err != nil {
			return nil, fmt.Errorf("list import runs: %w", err)
		}
		if p := strings.Trim(providers, ","); p != "" {
			r.Providers = strings.Split(p, ",")
		}
		if err := json.Unmarshal([]byte(counts), &r.Counts); err != nil {
			return nil, fmt.Errorf("list import runs: counts of %d: %w", r.ID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

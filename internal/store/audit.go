package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// The audit trail: every write records who, when, which record, and the
// values before and after, in the caller's transaction, so that a write and
// its trail are stored together or not at all.

// The actions of an audit entry.
const (
	AuditCreate = "create"
	AuditUpdate = "update"
	AuditDelete = "delete"
	// AuditErase records an erasure of a learner's personal data
	// (spec/domain.md, "Personal data"), without the removed values.
	AuditErase = "erase"
	// AuditExport records that a user read everything stored about a
	// learner (the right of access) on the web, without values: who saw a
	// learner's personal data is itself something a data protection
	// officer must be able to answer.
	AuditExport = "export"
)

// AuditEntry is one write to record. Before and After are marshalled as JSON
// (nil, or a value that marshals to null, is stored as NULL); a create has no
// Before and a delete no After.
type AuditEntry struct {
	At       time.Time // zero: the current time
	Username string    // who wrote: a user name, or e.g. "cli" for the command line
	Action   string    // AuditCreate, AuditUpdate, AuditDelete, AuditErase or AuditExport
	Entity   string    // the interchange entity name, e.g. "enrollments", or "users"
	Key      string    // the record's natural key as text, e.g. "L1/G001"
	Learner  string    // the learner the record belongs to, "" for none
	Before   any
	After    any
}

// AuditRecord is an audit entry as stored, its values as raw JSON (nil for NULL).
type AuditRecord struct {
	ID       int64
	At       time.Time
	Username string
	Action   string
	Entity   string
	Key      string
	Learner  string
	Before   json.RawMessage
	After    json.RawMessage
}

// Audit records e within tx. An update whose Before and After marshal to the
// same JSON changed nothing and records nothing.
func (tx *Tx) Audit(ctx context.Context, e AuditEntry) error {
	switch {
	case e.Username == "":
		return domain.Errorf(domain.EINVALID, "audit entry for %s %q names no user", e.Entity, e.Key)
	case e.Action != AuditCreate && e.Action != AuditUpdate && e.Action != AuditDelete && e.Action != AuditErase && e.Action != AuditExport:
		return domain.Errorf(domain.EINVALID, "audit action %q: use create, update, delete, erase or export", e.Action)
	case e.Entity == "" || e.Key == "":
		return domain.Errorf(domain.EINVALID, "audit entry needs an entity and a record key")
	}
	before, err := auditJSON(e.Before)
	if err != nil {
		return err
	}
	after, err := auditJSON(e.After)
	if err != nil {
		return err
	}
	switch {
	case e.Action == AuditCreate && before != nil:
		return domain.Errorf(domain.EINVALID, "audit of creating %s %q has a before value", e.Entity, e.Key)
	case e.Action == AuditErase && (before != nil || after != nil):
		return domain.Errorf(domain.EINVALID, "audit of erasing %s %q carries values", e.Entity, e.Key)
	case e.Action == AuditExport && (before != nil || after != nil):
		return domain.Errorf(domain.EINVALID, "audit of exporting %s %q carries values", e.Entity, e.Key)
	case e.Action == AuditDelete && after != nil:
		return domain.Errorf(domain.EINVALID, "audit of deleting %s %q has an after value", e.Entity, e.Key)
	case e.Action == AuditUpdate && before != nil && after != nil && bytes.Equal(before, after):
		return nil
	}
	at := e.At
	if at.IsZero() {
		at = time.Now()
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(`INSERT INTO audit_log
		(at, username, action, entity, record_key, learner, before_json, after_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		utcText(at), e.Username, e.Action, e.Entity, e.Key, null(e.Learner), jsonText(before), jsonText(after))
	if err != nil {
		return fmt.Errorf("record audit of %s %q: %w", e.Entity, e.Key, err)
	}
	return nil
}

// auditJSON marshals v, returning nil for nil and for JSON null.
func auditJSON(v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, domain.Errorf(domain.EINTERNAL, "audit value: %v", err)
	}
	if string(b) == "null" {
		return nil, nil
	}
	return b, nil
}

// jsonText is b as a TEXT column value, NULL for nil.
func jsonText(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// DefaultAuditLimit is how many entries ListAudit returns when asked for none.
const DefaultAuditLimit = 100

// ListAudit returns the newest entries about learner, newest first, at most
// limit of them (DefaultAuditLimit when limit ≤ 0), for the history on a
// learner's page. The caller checks that the user may see the learner. An
// unknown or untouched learner has an empty history, not an error.
func (db *DB) ListAudit(ctx context.Context, learner string, limit int) ([]AuditRecord, error) {
	if limit <= 0 {
		limit = DefaultAuditLimit
	}
	rows, err := db.read.QueryContext(ctx, db.read.Rebind(`SELECT id, at, username, action, entity, record_key,
		COALESCE(learner, ''), before_json, after_json
		FROM audit_log WHERE learner = ? ORDER BY at DESC, id DESC LIMIT ?`), learner, limit)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	out := []AuditRecord{}
	for rows.Next() {
		var r AuditRecord
		var at string
		var before, after sql.NullString
		if err := rows.Scan(&r.ID, &at, &r.Username, &r.Action, &r.Entity, &r.Key, &r.Learner, &before, &after); err != nil {
			return nil, fmt.Errorf("list audit: %w", err)
		}
		if r.At, err = parseUTCText(at); err != nil {
			return nil, err
		}
		if before.Valid {
			r.Before = json.RawMessage(before.String)
		}
		if after.Valid {
			r.After = json.RawMessage(after.String)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	return out, nil
}

// utcLayout is RFC 3339 in UTC to the second: fixed width, so that stored
// timestamps compare correctly as text in SQL.
const utcLayout = "2006-01-02T15:04:05Z"

// utcText formats t for a timestamp column.
func utcText(t time.Time) string { return t.UTC().Format(utcLayout) }

// utcTextOrNull formats t for a nullable timestamp column, NULL for the zero time.
func utcTextOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return utcText(t)
}

// parseUTCText reads a timestamp column.
func parseUTCText(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored timestamp %q: %w", s, err)
	}
	return t.UTC(), nil
}

// parseNullUTCText reads a nullable timestamp column, the zero time for NULL.
func parseNullUTCText(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	return parseUTCText(s.String)
}

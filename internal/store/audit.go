package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
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
	// AuditView records that a user opened a learner's page or read the
	// learner through the API, without values (issue 18): like an export,
	// a read of personal data that the trail must be able to name. Reads
	// are not changes: ListAudit leaves them out, ListReads lists them.
	AuditView = "view"
)

// auditReads are the actions that record a read rather than a change.
var auditReads = []string{AuditExport, AuditView}

// auditReadsSQL is auditReads as an SQL list, as the partial indexes of
// schema/015_audit_reads.sql spell it.
const auditReadsSQL = `'` + AuditExport + `', '` + AuditView + `'`

// auditOmits are the fields of an entity whose values the audit trail
// never holds: a survey response's comment is for no one to read but the
// learner (auth.CanSeeResponse; spec/indicators.md, "comments never leave
// the provider"), and the trail is shown on the learner page.
var auditOmits = map[string][]string{"survey_responses": {"comment"}}

// AuditEntry is one write to record. Before and After are marshalled as JSON
// (nil, or a value that marshals to null, is stored as NULL); a create has no
// Before and a delete no After.
type AuditEntry struct {
	At       time.Time // zero: the current time
	Username string    // who wrote: a user name, or e.g. "cli" for the command line
	Action   string    // AuditCreate, AuditUpdate, AuditDelete, AuditErase, AuditExport or AuditView
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
	case e.Action != AuditCreate && e.Action != AuditUpdate && e.Action != AuditDelete && e.Action != AuditErase &&
		!slices.Contains(auditReads, e.Action):
		return domain.Errorf(domain.EINVALID, "audit action %q: use create, update, delete, erase, export or view", e.Action)
	case e.Entity == "" || e.Key == "":
		return domain.Errorf(domain.EINVALID, "audit entry needs an entity and a record key")
	}
	before, err := auditJSON(e.Before, auditOmits[e.Entity])
	if err != nil {
		return err
	}
	after, err := auditJSON(e.After, auditOmits[e.Entity])
	if err != nil {
		return err
	}
	switch {
	case e.Action == AuditCreate && before != nil:
		return domain.Errorf(domain.EINVALID, "audit of creating %s %q has a before value", e.Entity, e.Key)
	case e.Action == AuditErase && (before != nil || after != nil):
		return domain.Errorf(domain.EINVALID, "audit of erasing %s %q carries values", e.Entity, e.Key)
	case slices.Contains(auditReads, e.Action) && (before != nil || after != nil):
		return domain.Errorf(domain.EINVALID, "audit of reading (%s) %s %q carries values", e.Action, e.Entity, e.Key)
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

// SettingEntity is the audit trail's entity of the installation's
// settings: the retention period, the backup schedule. An entry's key is
// the setting's name (RetentionYears, BackupScheduleSetting).
const SettingEntity = "settings"

// RecordSetting records within tx that actor changed setting key from
// before to after at now (nil: not set): a create, update or delete entry of
// SettingEntity, none when nothing changed.
func (tx *Tx) RecordSetting(ctx context.Context, actor, key string, before, after any, now time.Time) error {
	e := AuditEntry{At: now, Username: actor, Entity: SettingEntity, Key: key, Before: before, After: after}
	switch {
	case before == nil && after == nil:
		return nil
	case before == nil:
		e.Action = AuditCreate
	case after == nil:
		e.Action = AuditDelete
	default:
		e.Action = AuditUpdate
	}
	return tx.Audit(ctx, e)
}

// auditJSON marshals v without the fields omit, returning nil for nil and
// for JSON null.
func auditJSON(v any, omit []string) ([]byte, error) {
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
	if len(omit) == 0 {
		return b, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, domain.Errorf(domain.EINTERNAL, "audit value with fields to leave out is not an object: %v", err)
	}
	for _, f := range omit {
		delete(m, f)
	}
	if b, err = json.Marshal(m); err != nil {
		return nil, domain.Errorf(domain.EINTERNAL, "audit value: %v", err)
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

// ListAudit returns the newest changes of learner's records, newest first,
// at most limit of them (DefaultAuditLimit when limit ≤ 0), for the history
// on a learner's page: reads (AuditView, AuditExport) are left out, or every
// page opened would push the changes out of it (ListReads has them). The
// caller checks that the user may see the learner, and which entries
// (AuditRecord.ResponseProvider). An unknown or untouched learner has an
// empty history, not an error.
func (db *DB) ListAudit(ctx context.Context, learner string, limit int) ([]AuditRecord, error) {
	return db.listLearnerAudit(ctx, learner, "NOT IN", limit)
}

// ListReads returns the newest reads of learner's personal data (AuditView,
// AuditExport), newest first, at most limit of them (DefaultAuditLimit when
// limit ≤ 0): who saw the learner, for those who may manage the learner's
// personal data (auth.CanManagePersonalData).
func (db *DB) ListReads(ctx context.Context, learner string, limit int) ([]AuditRecord, error) {
	return db.listLearnerAudit(ctx, learner, "IN", limit)
}

// listLearnerAudit lists the entries of learner whose action is (in: "IN")
// or is not ("NOT IN") a read.
func (db *DB) listLearnerAudit(ctx context.Context, learner, in string, limit int) ([]AuditRecord, error) {
	if limit <= 0 {
		limit = DefaultAuditLimit
	}
	// The actions are written out, not bound: the partial indexes of
	// schema/015_audit_reads.sql serve a query only when the planner can
	// see that its condition is theirs.
	rows, err := db.read.QueryContext(ctx, db.read.Rebind(`SELECT id, at, username, action, entity, record_key,
		COALESCE(learner, ''), before_json, after_json
		FROM audit_log WHERE learner = ? AND action `+in+` (`+auditReadsSQL+`) ORDER BY at DESC, id DESC LIMIT ?`),
		learner, limit)
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

// ResponseProvider returns, for an entry about a survey response, the
// provider of the response and true; for any other entry "", false. An
// erased response's entry has no values: its provider is "", which only an
// admin may see (auth.CanSeeResponse).
func (r AuditRecord) ResponseProvider() (string, bool) {
	if r.Entity != "survey_responses" {
		return "", false
	}
	for _, v := range []json.RawMessage{r.After, r.Before} {
		var x struct {
			Provider string `json:"provider"`
		}
		if len(v) > 0 && json.Unmarshal(v, &x) == nil && x.Provider != "" {
			return x.Provider, true
		}
	}
	return "", true
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

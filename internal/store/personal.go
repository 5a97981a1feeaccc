package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

// Personal data of one learner (spec/domain.md, "Personal data: access,
// erasure and retention"): everything stored about them as one document
// (ExportLearner), and its erasure (EraseLearner), by hand or after the
// retention period (RetentionCandidates, EraseLearners, ApplyRetention).

// learnerTables are the tables whose rows name one learner in the column
// learner, in the order of spec/domain.md. survey_responses names a learner
// optionally and is handled on its own: erasure makes it anonymous.
var learnerTables = []string{
	"learner_goals", "learner_links", "referrals", "placements", "enrollments", "attendance", "evaluations", "evaluation_goals",
	"certificates", "outflows", "followups", "observations", "warning_actions",
}

// Field is one column of a Record.
type Field struct {
	Name  string
	Value any // string, int64, float64, []string, json.RawMessage or nil
}

// Record is one stored row as its columns in table order, so that its JSON
// keeps that order (a map's would be alphabetical).
type Record []Field

// MarshalJSON writes the record as an object with its fields in order.
func (r Record) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range r {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(f.Name)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(f.Value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Get returns the value of the named field, nil when there is none.
func (r Record) Get(name string) any {
	for _, f := range r {
		if f.Name == name {
			return f.Value
		}
	}
	return nil
}

// LearnerExport is everything stored about one learner (the right of
// access): the learner, every record of every entity that names them, and
// the audit trail of their records. Dates are YYYY-MM-DD as stored; the
// fields keep this order in JSON. Evaluations carry their achieved goals
// (evaluation_goals) as "goals".
type LearnerExport struct {
	Learner         Record   `json:"learner"`
	LearnerGoals    []Record `json:"learner_goals"`
	LearnerLinks    []Record `json:"learner_links"`
	Referrals       []Record `json:"referrals"`
	Placements      []Record `json:"placements"`
	Enrollments     []Record `json:"enrollments"`
	Attendance      []Record `json:"attendance"`
	Evaluations     []Record `json:"evaluations"`
	Certificates    []Record `json:"certificates"`
	Outflows        []Record `json:"outflows"`
	FollowUps       []Record `json:"followups"`
	Observations    []Record `json:"observations"`
	WarningActions  []Record `json:"warning_actions"`
	SurveyResponses []Record `json:"survey_responses"`
	FlagHandling    []Record `json:"flag_handling"` // the worklist's handled and snoozed flags
	AuditTrail      []Record `json:"audit_trail"`
}

// ExportLearner returns everything stored about the learner id, read in one
// snapshot; an unknown id is ENOTFOUND. The caller checks that the user may
// see the learner.
func (db *DB) ExportLearner(ctx context.Context, id string) (*LearnerExport, error) {
	tx, err := db.read.BeginTxx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		return nil, fmt.Errorf("export learner: %w", err)
	}
	defer tx.Rollback()
	q := func(table, where, order string, args ...any) ([]Record, error) {
		return selectRecords(ctx, tx, table, tableFor(table).cols, where, order, args...)
	}
	learner, err := q("learners", "id = ?", "id", id)
	if err != nil {
		return nil, err
	}
	if len(learner) == 0 {
		return nil, notFound("learner", id)
	}
	x := &LearnerExport{Learner: learner[0]}
	for _, part := range []struct {
		table string
		dst   *[]Record
		order string
	}{
		{"learner_goals", &x.LearnerGoals, "skill"},
		{"learner_links", &x.LearnerLinks, "provider"},
		{"referrals", &x.Referrals, "date"},
		{"placements", &x.Placements, "date, module"},
		{"enrollments", &x.Enrollments, "start_date, group_code"},
		{"attendance", &x.Attendance, "date, group_code"},
		{"evaluations", &x.Evaluations, "date, group_code, kind"},
		{"certificates", &x.Certificates, "date, kind, module"},
		{"outflows", &x.Outflows, "date"},
		{"followups", &x.FollowUps, "date"},
		{"observations", &x.Observations, "date, group_code"},
		{"survey_responses", &x.SurveyResponses, "date, id"},
	} {
		if *part.dst, err = q(part.table, "learner = ?", part.order, id); err != nil {
			return nil, err
		}
	}
	if x.WarningActions, err = selectRecords(ctx, tx, "warning_actions", warningActionCols, "learner = ?", "date, id", id); err != nil {
		return nil, err
	}
	goals, err := selectRecords(ctx, tx, "evaluation_goals", []string{"group_code", "date", "kind", "goal"},
		"learner = ?", "group_code, date, kind, goal", id)
	if err != nil {
		return nil, err
	}
	for i, ev := range x.Evaluations {
		var codes []string
		for _, g := range goals {
			if g.Get("group") == ev.Get("group") && g.Get("date") == ev.Get("date") && g.Get("kind") == ev.Get("kind") {
				codes = append(codes, fmt.Sprint(g.Get("goal")))
			}
		}
		if codes != nil {
			x.Evaluations[i] = append(ev, Field{"goals", codes})
		}
	}
	if x.FlagHandling, err = selectRecords(ctx, tx, "flag_handling", []string{"kind", "since", "until", "username", "handled_at"},
		"learner = ?", "kind, since", id); err != nil {
		return nil, err
	}
	audit, err := selectRecords(ctx, tx, "audit_log",
		[]string{"id", "at", "username", "action", "entity", "record_key", "learner", "before_json", "after_json"},
		"learner = ?", "at, id", id)
	if err != nil {
		return nil, err
	}
	for _, r := range audit {
		for i := range r {
			switch r[i].Name {
			case "before_json", "after_json":
				r[i].Name = strings.TrimSuffix(r[i].Name, "_json")
				if s, ok := r[i].Value.(string); ok && json.Valid([]byte(s)) {
					r[i].Value = json.RawMessage(s)
				}
			}
		}
	}
	x.AuditTrail = audit
	return x, nil
}

// RestrictTo leaves out of x what u may not read of it: the survey
// responses of providers whose answers u may not see (auth.CanSeeResponse:
// their coordinators and admins), and their entries in the audit trail.
// The responses u may see keep their comment: the access export is how the
// learner gets their own words (spec/domain.md, "Access"), and free text
// never leaves its provider (spec/indicators.md). An admin's document, and
// the command line's, is whole.
func (x *LearnerExport) RestrictTo(u *domain.User) {
	x.SurveyResponses = slices.DeleteFunc(x.SurveyResponses, func(r Record) bool {
		p, _ := r.Get("provider").(string)
		return !auth.CanSeeResponse(u, p)
	})
	x.AuditTrail = slices.DeleteFunc(x.AuditTrail, func(r Record) bool {
		entity, _ := r.Get("entity").(string)
		before, _ := r.Get("before").(json.RawMessage)
		after, _ := r.Get("after").(json.RawMessage)
		p, ok := AuditRecord{Entity: entity, Before: before, After: after}.ResponseProvider()
		return ok && !auth.CanSeeResponse(u, p)
	})
}

// RecordLearnerExport records in the audit trail that actor read everything
// stored about learner id at now (ExportLearner, on the web): an "export"
// entry of the learner, without values, so that the learner's trail names
// who saw their personal data; an erasure keeps the event under the
// pseudonym. It is bookkeeping: no cached figure depends on it.
func (db *DB) RecordLearnerExport(ctx context.Context, actor, id string, now time.Time) error {
	return db.recordRead(ctx, AuditExport, actor, id, now)
}

// RecordLearnerView records in the audit trail that actor read learner id
// at now: opened their page, or read them through the API. It is a "view"
// entry of the learner without values, one insert, as RecordLearnerExport's.
func (db *DB) RecordLearnerView(ctx context.Context, actor, id string, now time.Time) error {
	return db.recordRead(ctx, AuditView, actor, id, now)
}

// recordRead records a read (AuditExport or AuditView) of learner id.
func (db *DB) recordRead(ctx context.Context, action, actor, id string, now time.Time) error {
	if strings.TrimSpace(actor) == "" {
		return domain.Errorf(domain.EINVALID, "a read of personal data (%s) needs the name of who reads it", action)
	}
	return db.RecordChange(ctx, AuditEntry{At: now, Username: actor, Action: action, Entity: "learners", Key: id, Learner: id})
}

// selectRecords reads the columns cols of table as Records, naming
// group_code "group" as the interchange format does.
func selectRecords(ctx context.Context, q reader, table string, cols []string, where, order string, args ...any) ([]Record, error) {
	query := "SELECT " + strings.Join(cols, ", ") + " FROM " + table + " WHERE " + where + " ORDER BY " + order
	rows, err := q.QueryContext(ctx, q.Rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	out := []Record{}
	for rows.Next() {
		vals, err := scanValues(rows, len(cols))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", table, err)
		}
		r := make(Record, len(cols))
		for i, c := range cols {
			if c == "group_code" {
				c = "group"
			}
			r[i] = Field{c, vals[i]}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	return out, nil
}

// The pseudonym of an erased learner: "ANON-" and 12 upper-case letters or
// digits from crypto/rand.
const (
	pseudonymPrefix   = "ANON-"
	pseudonymLen      = 12
	pseudonymAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

// Anonymous is the first and last name of an erased learner.
const Anonymous = "Anoniem"

// IsPseudonym reports whether s has the form of an erased learner's id:
// "ANON-" and 12 upper-case letters or digits.
func IsPseudonym(s string) bool {
	rest, ok := strings.CutPrefix(s, pseudonymPrefix)
	return ok && len(rest) == pseudonymLen && strings.Trim(rest, pseudonymAlphabet) == ""
}

// newPseudonym returns a fresh random pseudonym. Bytes of 252 and more are
// dropped so that each character is equally likely (252 = 7 × 36).
func newPseudonym() (string, error) {
	out := make([]byte, 0, pseudonymLen)
	buf := make([]byte, 32)
	for len(out) < pseudonymLen {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("pseudonym: %w", err)
		}
		for _, b := range buf {
			if b < 252 && len(out) < pseudonymLen {
				out = append(out, pseudonymAlphabet[int(b)%len(pseudonymAlphabet)])
			}
		}
	}
	return pseudonymPrefix + string(out), nil
}

// EraseLearner erases the personal data of learner id as spec/domain.md
// ("Erasure") says, in one data transaction recorded in the audit trail as
// actor at now, and returns the learner's new id: a random pseudonym that
// replaces id in every record naming them. Names become "Anoniem", home
// language, country of birth and counsellor blank, the birth date 1 July of
// its year, free text (evaluation feedback, observation note, survey
// comment) blank; survey responses that named them become anonymous; the
// audit trail of their records keeps its events without their values. Codes,
// dates of events, levels, hours and scores stay, so the indicators are
// unchanged but for age_band. After the commit the freed content is
// overwritten on disk (see scrub). An unknown id is ENOTFOUND.
func (db *DB) EraseLearner(ctx context.Context, actor, id string, now time.Time) (string, error) {
	newID, err := db.eraseLearner(ctx, actor, id, now)
	if err != nil {
		return "", err
	}
	if err := db.scrub(ctx); err != nil {
		return newID, fmt.Errorf("learner erased as %s, but clearing the freed space failed: %w", newID, err)
	}
	return newID, nil
}

// EraseLearners erases each learner of ids as EraseLearner does, each in a
// transaction of its own, and overwrites the freed space once at the end.
// An id no longer stored is skipped. It returns the pseudonyms of those
// erased, in the order of ids; on an error, those erased before it.
func (db *DB) EraseLearners(ctx context.Context, actor string, ids []string, now time.Time) ([]string, error) {
	out := []string{}
	for _, id := range ids {
		newID, err := db.eraseLearner(ctx, actor, id, now)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			continue // gone meanwhile: nothing left to erase
		}
		if err != nil {
			if len(out) > 0 {
				if serr := db.scrub(context.WithoutCancel(ctx)); serr != nil {
					return out, errors.Join(err, serr)
				}
			}
			return out, err
		}
		out = append(out, newID)
	}
	if len(out) == 0 {
		return out, nil
	}
	return out, db.scrub(ctx)
}

// eraseStep is one statement of an erasure.
type eraseStep struct {
	sql  string
	args []any
}

// eraseLearner is the data transaction of EraseLearner. The learner's id is
// the primary key the child tables refer to, so the pseudonymous learner is
// inserted first, the children re-pointed, and the old row deleted last:
// every foreign key holds after each statement.
func (db *DB) eraseLearner(ctx context.Context, actor, id string, now time.Time) (string, error) {
	if strings.TrimSpace(actor) == "" {
		return "", domain.Errorf(domain.EINVALID, "an erasure needs the name of who erases")
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var birth string
	err = tx.GetContext(ctx, &birth, tx.Rebind(`SELECT birth_date FROM learners WHERE id = ?`+tx.dialect.forUpdate()), id)
	if errNoRows(err) {
		return "", notFound("learner", id)
	}
	if err != nil {
		return "", fmt.Errorf("erase learner: %w", err)
	}
	newBirth := birth
	if len(birth) >= 4 {
		newBirth = birth[:4] + "-07-01"
	}
	var newID string
	for {
		if newID, err = newPseudonym(); err != nil {
			return "", err
		}
		var n int
		if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM learners WHERE id = ?`), newID); err != nil {
			return "", fmt.Errorf("erase learner: %w", err)
		}
		if n == 0 {
			break
		}
	}
	steps := []eraseStep{{`INSERT INTO learners (id, first_name, last_name, birth_date, gender, home_language, country_of_birth,
			schooling_level, schooling_years, literacy, learning_route, civic_status, perspective, counsellor)
			SELECT ?, ?, ?, ?, gender, '', '', schooling_level, schooling_years, literacy, learning_route,
			civic_status, perspective, '' FROM learners WHERE id = ?`, []any{newID, Anonymous, Anonymous, newBirth, id}}}
	for _, t := range learnerTables {
		set := "learner = ?"
		switch t {
		case "evaluations":
			set += ", feedback = ''"
		case "observations", "warning_actions":
			set += ", note = ''"
		}
		steps = append(steps, eraseStep{`UPDATE ` + t + ` SET ` + set + ` WHERE learner = ?`, []any{newID, id}})
	}
	steps = append(steps,
		eraseStep{`UPDATE survey_responses SET learner = NULL, comment = '' WHERE learner = ?`, []any{id}},
		// The worklist's handling of the learner's flags is the counsellors'
		// work on a person, not a record of the trajectory: it goes.
		eraseStep{`DELETE FROM flag_handling WHERE learner = ?`, []any{id}},
		eraseStep{`DELETE FROM learners WHERE id = ?`, []any{id}})
	for _, s := range steps {
		if _, err := tx.ExecContext(ctx, tx.Rebind(s.sql), s.args...); err != nil {
			return "", fmt.Errorf("erase learner: %w", conflict(err))
		}
	}
	if err := tx.eraseAudit(ctx, id, newID); err != nil {
		return "", err
	}
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditErase, Entity: "learners",
		Key: newID, Learner: newID}); err != nil {
		return "", err
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("erase learner: %w", err)
	}
	return newID, nil
}

// eraseAudit keeps the audit events of the learner's records but drops
// their values, and names the pseudonym instead of id, in the learner column
// and at the start of record keys ("L1/G001" becomes "ANON-…/G001"). The
// learner's own record is keyed by id alone.
func (tx *Tx) eraseAudit(ctx context.Context, id, newID string) error {
	type row struct {
		ID  int64  `db:"id"`
		Key string `db:"record_key"`
	}
	var rows []row
	if err := tx.SelectContext(ctx, &rows, tx.Rebind(`SELECT id, record_key FROM audit_log
		WHERE learner = ? OR (entity = 'learners' AND record_key = ?)`), id, id); err != nil {
		return fmt.Errorf("erase audit trail: %w", err)
	}
	for _, r := range rows {
		key := r.Key
		if key == id {
			key = newID
		} else if strings.HasPrefix(key, id+"/") {
			key = newID + key[len(id):]
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE audit_log SET learner = ?, record_key = ?,
			before_json = NULL, after_json = NULL WHERE id = ?`), newID, key, r.ID); err != nil {
			return fmt.Errorf("erase audit trail: %w", err)
		}
	}
	return nil
}

// scrub makes sure that content freed by an erasure is gone from the
// database, not merely unlinked: on SQLite from every file (scrubSQLite);
// on PostgreSQL VACUUM removes the dead row versions of the tables touched,
// which is as far as SQL reaches (the server's WAL and backups are its own).
func (db *DB) scrub(ctx context.Context) error {
	if db.dialect == postgres {
		// VACUUM cannot run inside a transaction: each table on its own.
		for _, t := range append([]string{"learners", "survey_responses", "audit_log"}, learnerTables...) {
			if _, err := db.write.ExecContext(ctx, "VACUUM "+t); err != nil {
				return fmt.Errorf("vacuum %s: %w", t, err)
			}
		}
		return nil
	}
	return db.scrubSQLite(ctx)
}

// scrubSQLite rewrites the SQLite file and empties its write-ahead log.
// Every connection runs with secure_delete on (openSQLite), so what a
// transaction frees is overwritten with zeros; VACUUM then rebuilds the file
// so that no older copy survives in a free page or in the unused space of a
// page written before secure_delete was on (a file made by an older
// traject), and a TRUNCATE checkpoint copies the log into the file and cuts
// the -wal file to zero bytes, since its frames hold the old pages. The
// checkpoint waits for readers (busy timeout); one that cannot finish is an
// error, as old frames would remain.
func (db *DB) scrubSQLite(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, "VACUUM"); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	return db.checkpoint(ctx)
}

// checkpoint runs PRAGMA wal_checkpoint(TRUNCATE) on the writer.
func (db *DB) checkpoint(ctx context.Context) error {
	var busy, logFrames, done int
	if err := db.write.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("checkpoint: readers kept the write-ahead log busy (%d of %d frames copied); run the erasure again when the server is quiet", done, logFrames)
	}
	return nil
}

// RetentionYears is the settings key of the retention period in whole years
// (spec/domain.md, "Retention"); absent: retention is off.
const RetentionYears = "retention_years"

// Retention returns the retention period in years, 0 when it is off.
func (db *DB) Retention(ctx context.Context) (int, error) {
	v, err := db.GetSetting(ctx, RetentionYears)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, domain.Errorf(domain.EINTERNAL, "setting %s holds %q, not a number of years", RetentionYears, v)
	}
	return n, nil
}

// SetRetention stores the retention period in whole years, 0 turning it
// off, and records the change in the audit trail as actor at now (a
// setting, keyed by its name: RecordSetting).
func (db *DB) SetRetention(ctx context.Context, actor string, years int, now time.Time) error {
	if years < 0 || years > 100 {
		return domain.Errorf(domain.EINVALID, "retention of %d years: give a whole number of years from 1 to 100", years)
	}
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var old []string
	if err := tx.SelectContext(ctx, &old, tx.Rebind(`SELECT value FROM settings WHERE key = ?`), RetentionYears); err != nil {
		return fmt.Errorf("read retention: %w", err)
	}
	var before, after any
	if len(old) > 0 {
		n, err := strconv.Atoi(old[0])
		if err != nil {
			return domain.Errorf(domain.EINTERNAL, "setting %s holds %q, not a number of years", RetentionYears, old[0])
		}
		before = retentionValue{n}
	}
	if years == 0 {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM settings WHERE key = ?`), RetentionYears); err != nil {
			return fmt.Errorf("turn retention off: %w", err)
		}
	} else {
		after = retentionValue{years}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`), RetentionYears, strconv.Itoa(years)); err != nil {
			return fmt.Errorf("store retention: %w", err)
		}
	}
	if err := tx.RecordSetting(ctx, actor, RetentionYears, before, after, now); err != nil {
		return err
	}
	return tx.Commit()
}

// retentionValue is the retention period as the audit trail records it.
type retentionValue struct {
	Years int `json:"years"`
}

// RetentionCandidate is a learner whose latest record is older than the
// retention period: the record's entity and date say why.
type RetentionCandidate struct {
	Learner string
	Entity  string
	Date    domain.Date
}

// latestRecordSQL lists every dated record of every learner: (learner,
// entity, date).
const latestRecordSQL = `SELECT learner, 'learner_goals' AS entity, set_date AS d FROM learner_goals
	UNION ALL SELECT learner, 'learner_links', date FROM learner_links
	UNION ALL SELECT learner, 'referrals', date FROM referrals
	UNION ALL SELECT learner, 'placements', date FROM placements
	UNION ALL SELECT learner, 'enrollments', start_date FROM enrollments
	UNION ALL SELECT learner, 'enrollments', end_date FROM enrollments WHERE end_date IS NOT NULL
	UNION ALL SELECT learner, 'attendance', date FROM attendance
	UNION ALL SELECT learner, 'evaluations', date FROM evaluations
	UNION ALL SELECT learner, 'certificates', date FROM certificates
	UNION ALL SELECT learner, 'outflows', date FROM outflows
	UNION ALL SELECT learner, 'followups', date FROM followups
	UNION ALL SELECT learner, 'observations', date FROM observations
	UNION ALL SELECT learner, 'survey_responses', date FROM survey_responses WHERE learner IS NOT NULL`

// RetentionCandidates returns, by id, the learners whose latest record (the
// latest date in any of their records) lies before today less years years.
// Learners erased already (an erase entry in the audit trail) are not listed
// again, nor are learners without any record, who have no date to judge by.
func (db *DB) RetentionCandidates(ctx context.Context, years int, today domain.Date) ([]RetentionCandidate, error) {
	if years <= 0 {
		return nil, domain.Errorf(domain.EINVALID, "retention of %d years: give a whole number of years from 1 to 100", years)
	}
	cutoff := today.AddYears(-years).String()
	q := `WITH r AS (` + latestRecordSQL + `),
		m AS (SELECT learner, MAX(d) AS d FROM r GROUP BY learner HAVING MAX(d) < ?)
		SELECT r.learner, MIN(r.entity), m.d FROM r JOIN m ON r.learner = m.learner AND r.d = m.d
		WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.learner = r.learner AND a.action = 'erase')
		GROUP BY r.learner, m.d ORDER BY r.learner`
	rows, err := db.read.QueryContext(ctx, db.read.Rebind(q), cutoff)
	if err != nil {
		return nil, fmt.Errorf("retention: %w", err)
	}
	defer rows.Close()
	var out []RetentionCandidate
	for rows.Next() {
		var c RetentionCandidate
		var d sql.NullString
		if err := rows.Scan(&c.Learner, &c.Entity, &d); err != nil {
			return nil, fmt.Errorf("retention: %w", err)
		}
		var ok bool
		if c.Date, ok = domain.ParseISO(d.String); !ok {
			return nil, fmt.Errorf("retention: stored date %q is not YYYY-MM-DD", d.String)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ApplyRetention erases, as actor at now, every learner RetentionCandidates
// lists for the stored retention period on now's day, and returns how many
// it erased; with retention off it does nothing.
func (db *DB) ApplyRetention(ctx context.Context, actor string, now time.Time) (int, error) {
	years, err := db.Retention(ctx)
	if err != nil || years == 0 {
		return 0, err
	}
	cands, err := db.RetentionCandidates(ctx, years, domain.DateOf(now))
	if err != nil {
		return 0, err
	}
	ids := make([]string, len(cands))
	for i, c := range cands {
		ids[i] = c.Learner
	}
	done, err := db.EraseLearners(ctx, actor, ids, now)
	return len(done), err
}

package store

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// auditTx runs f in a transaction and commits it.
func auditTx(t *testing.T, db *DB, f func(*Tx) error) error {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func TestAudit(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	type goal struct {
		Learner     string `json:"learner"`
		Skill       string `json:"skill"`
		TargetLevel string `json:"target_level"`
	}
	before := goal{"L1", "reading", "A1"}
	after := goal{"L1", "reading", "A2"}
	entries := []AuditEntry{
		{At: acctNow, Username: "c1", Action: AuditCreate, Entity: "learner_goals", Key: "L1/reading", Learner: "L1", After: before},
		{At: acctNow.Add(time.Minute), Username: "c1", Action: AuditUpdate, Entity: "learner_goals", Key: "L1/reading", Learner: "L1", Before: before, After: after},
		{At: acctNow.Add(time.Minute), Username: "c1", Action: AuditUpdate, Entity: "learner_goals", Key: "L1/reading", Learner: "L1", Before: after, After: after}, // no change
		{At: acctNow.Add(2 * time.Minute), Username: "k1", Action: AuditDelete, Entity: "learner_goals", Key: "L1/reading", Learner: "L1", Before: after, After: (*goal)(nil)},
		{At: acctNow, Username: "c2", Action: AuditCreate, Entity: "learner_goals", Key: "L2/reading", Learner: "L2", After: goal{"L2", "reading", "B1"}},
		{At: acctNow, Username: "cli", Action: AuditCreate, Entity: "providers", Key: "P1", After: json.RawMessage(`{"code":"P1"}`)},
	}
	if err := auditTx(t, db, func(tx *Tx) error {
		for _, e := range entries {
			if err := tx.Audit(ctx, e); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	got, err := db.ListAudit(ctx, "L1", 0)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range got {
		lines = append(lines, strings.Join([]string{r.At.Format(time.TimeOnly), r.Username, r.Action, r.Entity, r.Key, r.Learner,
			string(r.Before), string(r.After)}, " | "))
	}
	want := []string{
		`09:02:00 | k1 | delete | learner_goals | L1/reading | L1 | {"learner":"L1","skill":"reading","target_level":"A2"} | `,
		`09:01:00 | c1 | update | learner_goals | L1/reading | L1 | {"learner":"L1","skill":"reading","target_level":"A1"} | {"learner":"L1","skill":"reading","target_level":"A2"}`,
		`09:00:00 | c1 | create | learner_goals | L1/reading | L1 |  | {"learner":"L1","skill":"reading","target_level":"A1"}`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("ListAudit(L1):\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if got[0].After != nil || got[2].Before != nil {
		t.Fatalf("missing values read as %q, %q; want nil", got[0].After, got[2].Before)
	}
	if got, err := db.ListAudit(ctx, "L1", 1); err != nil || len(got) != 1 || got[0].Action != AuditDelete {
		t.Fatalf("ListAudit(L1, 1) = %+v, %v; want the newest entry", got, err)
	}
	if got, err := db.ListAudit(ctx, "L404", 10); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("ListAudit(L404) = %#v, %v; want an empty list", got, err)
	}
}

func TestAuditRefusesAndRollsBack(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	ok := AuditEntry{At: acctNow, Username: "c1", Action: AuditCreate, Entity: "followups", Key: "L1/2026-03-10", Learner: "L1", After: map[string]string{"status": "work"}}
	bad := []struct {
		name string
		edit func(*AuditEntry)
	}{
		{"no user", func(e *AuditEntry) { e.Username = "" }},
		{"unknown action", func(e *AuditEntry) { e.Action = "upsert" }},
		{"no entity", func(e *AuditEntry) { e.Entity = "" }},
		{"no key", func(e *AuditEntry) { e.Key = "" }},
		{"create with a before", func(e *AuditEntry) { e.Before = map[string]string{"status": "none"} }},
		{"delete with an after", func(e *AuditEntry) { e.Action = AuditDelete }},
		{"value that is not JSON", func(e *AuditEntry) { e.After = func() {} }},
	}
	for _, tt := range bad {
		e := ok
		tt.edit(&e)
		err := auditTx(t, db, func(tx *Tx) error { return tx.Audit(ctx, e) })
		want := domain.EINVALID
		if tt.name == "value that is not JSON" {
			want = domain.EINTERNAL
		}
		expectCode(t, "Audit "+tt.name, err, want)
	}
	// A write that fails after its audit leaves no trail.
	err := auditTx(t, db, func(tx *Tx) error {
		if err := tx.Audit(ctx, ok); err != nil {
			return err
		}
		return domain.Errorf(domain.EINVALID, "the write itself failed")
	})
	expectCode(t, "failed write", err, domain.EINVALID)
	if got, err := db.ListAudit(ctx, "L1", 0); err != nil || len(got) != 0 {
		t.Fatalf("trail after a rolled-back write = %+v, %v; want none", got, err)
	}
	// The zero At means now.
	e := ok
	e.At = time.Time{}
	if err := auditTx(t, db, func(tx *Tx) error { return tx.Audit(ctx, e) }); err != nil {
		t.Fatal(err)
	}
	if got, err := db.ListAudit(ctx, "L1", 0); err != nil || len(got) != 1 || time.Since(got[0].At) > time.Minute {
		t.Fatalf("entry without At = %+v, %v; want stamped now", got, err)
	}
}

// TestRecordLearnerExport: reading a learner's personal data on the web is an
// "export" entry of the learner, without values; an export entry that
// carries values, or names no reader, is refused.
func TestRecordLearnerExport(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if err := db.RecordLearnerExport(ctx, "k1", "L1", acctNow); err != nil {
		t.Fatal(err)
	}
	got, err := db.ListReads(ctx, "L1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("trail = %+v, want one export entry", got)
	}
	e := got[0]
	if e.Username != "k1" || e.Action != AuditExport || e.Entity != "learners" || e.Key != "L1" || !e.At.Equal(acctNow) ||
		e.Before != nil || e.After != nil {
		t.Errorf("export entry = %+v, want k1 export learners L1 at %v without values", e, acctNow)
	}
	expectCode(t, "export without a reader", db.RecordLearnerExport(ctx, " ", "L1", acctNow), domain.EINVALID)
	err = auditTx(t, db, func(tx *Tx) error {
		return tx.Audit(ctx, AuditEntry{At: acctNow, Username: "k1", Action: AuditExport, Entity: "learners", Key: "L1",
			Learner: "L1", After: map[string]string{"first_name": "Amina"}})
	})
	expectCode(t, "export with values", err, domain.EINVALID)
}

// TestAuditReads: opening a learner's page or reading them through the API
// is a "view" entry without values (issue 18); reads are listed apart from
// the changes, so that the history of changes does not drown in them.
func TestAuditReads(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	change := AuditEntry{At: acctNow, Username: "c1", Action: AuditCreate, Entity: "followups", Key: "L1/2026-03-10",
		Learner: "L1", After: map[string]string{"status": "work"}}
	if err := auditTx(t, db, func(tx *Tx) error { return tx.Audit(ctx, change) }); err != nil {
		t.Fatal(err)
	}
	for i, who := range []string{"t1", "c1", "t1"} {
		if err := db.RecordLearnerView(ctx, who, "L1", acctNow.Add(time.Duration(i+1)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RecordLearnerExport(ctx, "k1", "L1", acctNow.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	changes, err := db.ListAudit(ctx, "L1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].Action != AuditCreate {
		t.Errorf("ListAudit = %+v, want the one change", changes)
	}
	reads, err := db.ListReads(ctx, "L1", 3)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range reads {
		got = append(got, r.Username+" "+r.Action+" "+r.Entity+" "+r.Key)
		if r.Before != nil || r.After != nil {
			t.Errorf("read %+v carries values", r)
		}
	}
	if want := []string{"k1 export learners L1", "t1 view learners L1", "c1 view learners L1"}; strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("ListReads(L1, 3) = %q, want %q", got, want)
	}
	expectCode(t, "view without a reader", db.RecordLearnerView(ctx, "", "L1", acctNow), domain.EINVALID)
	err = auditTx(t, db, func(tx *Tx) error {
		return tx.Audit(ctx, AuditEntry{At: acctNow, Username: "k1", Action: AuditView, Entity: "learners", Key: "L1",
			Learner: "L1", After: map[string]string{"first_name": "Amina"}})
	})
	expectCode(t, "view with values", err, domain.EINVALID)
}

// TestAuditOmitsSurveyComment: the trail of a survey response never holds
// its comment (issue 18, finding 6), whoever writes the entry.
func TestAuditOmitsSurveyComment(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	resp := func(comment string) map[string]any {
		return map[string]any{"id": "R1", "provider": "P1", "learner": "L1", "wellbeing": 2, "comment": comment}
	}
	if err := auditTx(t, db, func(tx *Tx) error {
		if err := tx.Audit(ctx, AuditEntry{At: acctNow, Username: "survey S1", Action: AuditCreate, Entity: "survey_responses",
			Key: "R1", Learner: "L1", After: resp("mijn lesgever is oneerlijk")}); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: acctNow.Add(time.Minute), Username: "survey S1", Action: AuditUpdate,
			Entity: "survey_responses", Key: "R1", Learner: "L1", Before: resp("mijn lesgever is oneerlijk"), After: resp("toch niet")})
	}); err != nil {
		t.Fatal(err)
	}
	got, err := db.ListAudit(ctx, "L1", 0)
	if err != nil {
		t.Fatal(err)
	}
	// The update changed the comment alone: without it, nothing changed.
	if len(got) != 1 {
		t.Fatalf("trail = %+v, want the create alone", got)
	}
	if want := `{"id":"R1","learner":"L1","provider":"P1","wellbeing":2}`; string(got[0].After) != want {
		t.Errorf("after = %s, want %s", got[0].After, want)
	}
	if p, ok := got[0].ResponseProvider(); p != "P1" || !ok {
		t.Errorf("ResponseProvider = %q, %v; want P1, true", p, ok)
	}
}

// TestMigrationDropsSurveyComments: entries written before the store left
// the comment out lose it when migration 015 is applied (and it can be
// applied again).
func TestMigrationDropsSurveyComments(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO audit_log (at, username, action, entity, record_key, learner, before_json, after_json)
			VALUES ('2026-03-01T09:00:00Z', 'survey S1', 'create', 'survey_responses', 'R1', 'L1', NULL,
			'{"comment":"mijn lesgever is oneerlijk","id":"R1","provider":"P1","wellbeing":2}')`,
		`INSERT INTO audit_log (at, username, action, entity, record_key, learner, before_json, after_json)
			VALUES ('2026-03-01T09:01:00Z', 'k1', 'update', 'observations', 'L1/G1/2026-03-01', 'L1',
			'{"comment":"stays","note":"x"}', '{"comment":"stays","note":"y"}')`,
		`DELETE FROM schema_migrations WHERE version = 15`,
	} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if applied, err := db.Migrate(ctx); err != nil || len(applied) != 1 || applied[0] != "015_audit_reads" {
		t.Fatalf("Migrate = %v, %v; want 015_audit_reads applied again", applied, err)
	}
	got, err := db.ListAudit(ctx, "L1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("trail = %+v, want both entries", got)
	}
	var after map[string]any
	if err := json.Unmarshal(got[1].After, &after); err != nil {
		t.Fatal(err)
	}
	if _, has := after["comment"]; has || after["provider"] != "P1" || after["wellbeing"] != 2.0 {
		t.Errorf("survey response entry after the migration: %s", got[1].After)
	}
	if !strings.Contains(string(got[0].After), "stays") {
		t.Errorf("another entity's values changed: %s", got[0].After)
	}
	if err := db.RecordLearnerView(ctx, "t1", "L1", acctNow); err != nil {
		t.Errorf("a view after the migration: %v", err)
	}
}

// TestSettingChangesAudited: a change of the retention period is one
// entry of the entity "settings" keyed by the setting's name, with the
// values before and after; a refused or empty change records nothing.
func TestSettingChangesAudited(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	expectCode(t, "retention of 101 years", db.SetRetention(ctx, "root", 101, acctNow), domain.EINVALID)
	for i, years := range []int{0, 4, 4, 6, 0} {
		if err := db.SetRetention(ctx, "root", years, acctNow.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	trail, err := db.ListAuditOf(ctx, SettingEntity, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range trail {
		got = append(got, r.At.Format(time.TimeOnly)+" "+r.Username+" "+r.Action+" "+r.Key+" "+string(r.Before)+" "+string(r.After))
	}
	want := []string{
		`09:04:00 root delete retention_years {"years":6} `,
		`09:03:00 root update retention_years {"years":4} {"years":6}`,
		`09:01:00 root create retention_years  {"years":4}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("trail:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n, err := db.Retention(ctx); err != nil || n != 0 {
		t.Errorf("Retention = %d, %v; want off", n, err)
	}
}

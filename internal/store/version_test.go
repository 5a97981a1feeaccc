package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

func TestDataVersion(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	version := func(what string) int64 {
		t.Helper()
		v, err := db.DataVersion(ctx)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	v0 := version("first")
	if v := version("again"); v != v0 {
		t.Fatalf("version moved without a commit: %d, then %d", v0, v)
	}
	// A read changes nothing.
	if _, err := db.LoadDataSet(ctx, "learners"); err != nil {
		t.Fatal(err)
	}
	if v := version("after a read"); v != v0 {
		t.Fatalf("version moved after a read: %d, then %d", v0, v)
	}

	// A write transaction of this process, through the single writer.
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Upsert(ctx, sample(), nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	v1 := version("after an import")
	if v1 == v0 {
		t.Fatalf("version %d did not move after a commit", v1)
	}

	// A rolled-back transaction commits nothing.
	tx, err = db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM followups`); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	if v := version("after a rollback"); v != v1 {
		t.Fatalf("version moved after a rollback: %d, then %d", v1, v)
	}

	// Bookkeeping outside a transaction (a session) leaves it alone.
	if err := db.CreateUser(ctx, "test", domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"CVO-A"}}, quickHash(t, "pw"), acctNow); err != nil {
		t.Fatal(err)
	}
	v2 := version("after creating a user")
	if _, _, err := db.CreateSession(ctx, "k1", time.Hour, acctNow); err != nil {
		t.Fatal(err)
	}
	if v := version("after a session"); v != v2 {
		t.Fatalf("version moved after a session was created: %d, then %d", v2, v)
	}

	// Another process (`traject import`) writing through its own Tx.
	other, err := Open(db.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err = other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE enrollments SET hours_attended = hours_attended + 1`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	v3 := version("after a commit by another connection")
	if v3 == v2 {
		t.Fatal("version did not move after another connection committed")
	}
	if w, err := other.DataVersion(ctx); err != nil || w != v3 {
		t.Fatalf("the other DB reads version %d (%v), want %d", w, err, v3)
	}
}

// TestWhichWritesMoveTheDataVersion walks through every kind of write, in
// order on one database (a token is revoked after it was created), and
// checks that only writes of the data set move the version: a wrong
// password, a session or a schedule must not drop the server's dashboards.
func TestWhichWritesMoveTheDataVersion(t *testing.T) {
	ctx := context.Background()
	db := webDB(t)
	d := domain.MustDate
	const pw = "tien tekens!"
	policy := auth.Throttle{Failures: 2, Lock: time.Minute, MaxLock: time.Minute}
	var (
		apiToken   string
		tokenID    int64
		session    string
		runID      int64
		locked     time.Time
		schedule   = domain.Schedule{Name: "maand", Cron: "0 6 1 * *", Period: "previous-month", Provider: "P1", OutDir: "/srv/exports", CreatedAt: acctNow}
		evaluation = EvaluationSave{Evaluation: domain.Evaluation{Learner: "W5", Group: "G1", Date: d("2026-03-10"), Kind: "module_end",
			Levels: domain.NoLevels, Decision: "fail", Evaluator: "t1"}}
	)
	evaluation.Evaluation.Levels[0], _ = domain.ParseLevel("A0") // a module end assesses at least one skill
	steps := []struct {
		name  string
		moves bool
		write func() error
	}{
		// Accounts and signing in.
		{"create user", false, func() error {
			return db.CreateUser(ctx, "cli", domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"P1"}}, quickHash(t, pw), acctNow)
		}},
		{"create admin", false, func() error {
			return db.CreateUser(ctx, "cli", domain.User{Username: "root", Role: domain.RoleAdmin}, quickHash(t, pw), acctNow)
		}},
		{"failed login", false, func() error {
			if _, err := db.Authenticate(ctx, "k1", "wrong password", policy, acctNow); err != auth.ErrBadCredentials {
				return fmt.Errorf("Authenticate with a wrong password = %v, want %v", err, auth.ErrBadCredentials)
			}
			return nil
		}},
		{"lockout", false, func() (err error) {
			locked, err = db.RecordLoginFailure(ctx, "k1", policy, acctNow)
			if err == nil && locked.IsZero() {
				err = fmt.Errorf("RecordLoginFailure left k1 unlocked after %d failures", policy.Failures)
			}
			return err
		}},
		{"successful login", false, func() error {
			_, err := db.Authenticate(ctx, "k1", pw, policy, locked.Add(time.Second))
			return err
		}},
		{"login success reset", false, func() error { return db.RecordLoginSuccess(ctx, "k1") }},
		{"set password", false, func() error { return db.SetPassword(ctx, "root", "k1", quickHash(t, pw), acctNow) }},
		{"set providers", false, func() error { return db.SetUserProviders(ctx, "root", "k1", []string{"P1", "P2"}, acctNow) }},
		{"set role", false, func() error {
			return db.SetUserRole(ctx, "root", "k1", domain.RoleCoordinator, []string{"P2"}, acctNow)
		}},
		{"disable user", false, func() error { return db.SetDisabled(ctx, "root", "k1", true, acctNow) }},
		{"enable user", false, func() error { return db.SetDisabled(ctx, "root", "k1", false, acctNow) }},

		// Sessions.
		{"create session", false, func() (err error) {
			session, _, err = db.CreateSession(ctx, "k1", time.Hour, acctNow)
			return err
		}},
		{"touch session", false, func() error {
			_, err := db.FindSession(ctx, session, acctNow.Add(2*sessionSlideAfter))
			return err
		}},
		{"delete session", false, func() error { return db.DeleteSession(ctx, session) }},
		{"delete user's sessions", false, func() error { _, err := db.DeleteUserSessions(ctx, "k1"); return err }},
		{"delete expired sessions", false, func() error { _, err := db.DeleteExpiredSessions(ctx, acctNow.Add(24*time.Hour)); return err }},

		// API tokens.
		{"create token", false, func() (err error) {
			var rec *APIToken
			apiToken, rec, err = db.CreateToken(ctx, "root", "k1", "script", time.Time{}, acctNow)
			if err == nil {
				tokenID = rec.ID
			}
			return err
		}},
		{"use token", false, func() error { _, _, err := db.FindToken(ctx, apiToken, acctNow.Add(2*lastUsedEvery)); return err }},
		{"revoke token", false, func() error { return db.RevokeToken(ctx, "root", tokenID, acctNow) }},

		// The audit trail on its own.
		{"audit entry of its own", false, func() error {
			return db.RecordChange(ctx, AuditEntry{At: acctNow, Username: "root", Action: AuditCreate, Entity: "schedules", Key: "maand",
				After: map[string]string{"cron": "0 6 1 * *"}})
		}},
		{"record import", false, func() error {
			return db.RecordImport(ctx, ImportRun{At: acctNow, Username: "root", Channel: ImportWeb, Source: "data.zip", Result: ImportOK,
				Counts: []UpsertCount{{Entity: "learners", Inserted: 1}}})
		}},

		// Schedules, runs, settings and the scheduler's lease.
		{"add schedule", false, func() error { return db.CreateSchedule(ctx, schedule) }},
		{"update schedule", false, func() error { schedule.Keep = 2; return db.UpdateSchedule(ctx, schedule) }},
		{"schedule due", false, func() error { return db.SetScheduleDue(ctx, "maand", acctNow) }},
		{"start run", false, func() (err error) {
			runID, err = db.StartRun(ctx, domain.Run{Kind: domain.RunWorkbook, Schedule: "maand", Trigger: domain.TriggerCron, StartedAt: acctNow})
			return err
		}},
		{"finish run", false, func() error {
			return db.FinishRun(ctx, domain.Run{ID: runID, Status: domain.RunOK, FinishedAt: acctNow.Add(time.Second), File: "/srv/exports/a.xlsx"})
		}},
		{"prune run", false, func() error { return db.PruneRun(ctx, runID, acctNow.Add(time.Hour)) }},
		{"remove schedule", false, func() error { return db.DeleteSchedule(ctx, "maand") }},
		{"write setting", false, func() error { return db.SetSetting(ctx, "colour", "blue") }},
		{"make secret", false, func() error { _, err := db.EnsureSecret(ctx, "pseudonym_secret"); return err }},
		{"take scheduler lease", false, func() error {
			ok, err := db.AcquireSchedulerLock(ctx, "host:1", acctNow, time.Minute)
			if err == nil && !ok {
				err = fmt.Errorf("AcquireSchedulerLock on a free lock = false, want true")
			}
			return err
		}},
		{"renew scheduler lease", false, func() error {
			_, err := db.AcquireSchedulerLock(ctx, "host:1", acctNow.Add(time.Second), time.Minute)
			return err
		}},
		{"release scheduler lease", false, func() error { return db.ReleaseSchedulerLock(ctx, "host:1") }},

		// Writes of the data set.
		{"import", true, func() error {
			ds := webFixture()
			ds.Enrollments[0].HoursAttended++
			tx, err := db.Begin(ctx)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if _, err := tx.Upsert(ctx, ds, nil); err != nil {
				return err
			}
			return tx.Commit()
		}},
		{"save evaluation", true, func() error {
			_, err := db.SaveEvaluations(ctx, "t1", "G1", []EvaluationSave{evaluation}, webNow)
			return err
		}},
		{"save attendance", true, func() error {
			_, err := db.SaveAttendance(ctx, "t1", "G1", map[string]float64{"W1": 33}, webNow)
			return err
		}},
		{"save follow-up", true, func() error {
			return db.SaveFollowUp(ctx, "c1", domain.FollowUp{Learner: "W6", Date: d("2026-03-14"), Status: "work"}, webNow)
		}},
		{"admin edits a provider", true, func() error {
			return db.SaveProvider(ctx, "root", domain.Provider{Code: "P2", Name: "CBE Twee (nieuw)", Type: "cbe"}, false, webNow)
		}},
	}
	for _, s := range steps {
		before, err := db.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.write(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		after, err := db.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if moved := after != before; moved != s.moves {
			t.Errorf("%s: data version %d → %d, moved=%v, want moved=%v", s.name, before, after, moved, s.moves)
		}
	}
}

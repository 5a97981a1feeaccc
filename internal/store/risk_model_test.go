package store

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/demo"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/risk"
)

// TestRiskModels: a training stored and read back, on either backend, is
// the training made: the latest on or before a day is found, and its
// estimates are those of learning again on that day.
func TestRiskModels(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	upsert(t, db, demo.Generate(demo.Options{Learners: 1500}))
	in, err := db.LoadRiskInput(ctx)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
	early, err := db.TrainRiskModel(ctx, domain.MustDate("2024-01-08"), "", at, 0)
	if err != nil {
		t.Fatal(err)
	}
	if early.Refused == nil || early.Refused.Reason != risk.TooLittleHistory || early.Model != nil {
		t.Fatalf("a model on two months of history: %+v", early.Refused)
	}
	runID, err := db.RecordRun(ctx, domain.Run{Kind: domain.RunRiskModel, Trigger: domain.TriggerCron, StartedAt: at, FinishedAt: at, Status: domain.RunOK})
	if err != nil {
		t.Fatal(err)
	}
	day := domain.MustDate("2026-03-02")
	m, err := db.TrainRiskModel(ctx, day, "", at, runID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Refused != nil {
		t.Fatalf("refused on the demo data: %+v", m.Refused)
	}
	for _, c := range []struct {
		day  string
		want int64
	}{{"2024-01-08", early.ID}, {"2026-03-01", early.ID}, {"2026-03-02", m.ID}, {"2026-06-30", m.ID}} {
		got, err := db.LatestRiskModel(ctx, "", domain.MustDate(c.day))
		if err != nil || got.ID != c.want {
			t.Errorf("latest on %s: model %d (%v), want %d", c.day, got.ID, err, c.want)
		}
	}
	if _, err := db.LatestRiskModel(ctx, "", domain.MustDate("2024-01-07")); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("before any training: %v", err)
	}
	if _, err := db.LatestRiskModel(ctx, "P01", day); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("another provider's scope: %v", err)
	}
	got, err := db.FindRiskModel(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Errorf("read back\n%+v\nstored\n%+v", got, m)
	}
	if got.RunID != runID || !got.TrainedAt.Equal(at) {
		t.Errorf("run %d at %v", got.RunID, got.TrainedAt)
	}
	for _, on := range []string{"2026-03-02", "2026-03-09"} {
		a, err := risk.EstimateWith(in, domain.MustDate(on), &got.Trained)
		if err != nil {
			t.Fatal(err)
		}
		ja, _ := json.Marshal(a)
		if on == "2026-03-02" {
			b, err := risk.Estimate(in, day, "")
			if err != nil {
				t.Fatal(err)
			}
			if jb, _ := json.Marshal(b); !bytes.Equal(ja, jb) {
				t.Errorf("the stored model estimates otherwise than learning again:\n%.400s\n%.400s", ja, jb)
			}
		}
		if len(a.Enrollments) == 0 {
			t.Errorf("%s: no estimates", on)
		}
	}
	list, err := db.ListRiskModels(ctx, nil, 0)
	if err != nil || len(list) != 2 || list[0].ID != m.ID || list[1].ID != early.ID {
		t.Errorf("list: %d models (%v)", len(list), err)
	}
	if _, err := db.FindRiskModel(ctx, 999); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("missing model: %v", err)
	}
	bad := m
	bad.Model = nil
	if _, err := db.SaveRiskModel(ctx, bad); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a model neither fitted nor refused: %v", err)
	}
}

// TestMigrationAddsRiskModelRuns: migration 018 keeps every run with its
// id and lets the history hold trainings, numbered after the runs there
// were.
func TestMigrationAddsRiskModelRuns(t *testing.T) {
	db := migrateUpTo(t, 17)
	ctx := context.Background()
	if _, err := db.write.ExecContext(ctx, `INSERT INTO runs (id, kind, trigger, started_at, finished_at, status, file, size, sha256)
		VALUES (5, 'backup', 'cron', '2025-10-01T02:00:00Z', '2025-10-01T02:00:03Z', 'ok', '/srv/b.db', 200, 'cc33')`); err != nil {
		t.Fatal(err)
	}
	if db.IsPostgres() {
		if _, err := db.write.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('runs', 'id'), 6, false)`); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	old, err := db.FindRun(ctx, 5)
	if err != nil || old.Kind != domain.RunBackup || old.File != "/srv/b.db" || old.Size != 200 {
		t.Fatalf("run 5 after the migration: %+v (%v)", old, err)
	}
	at := time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
	id, err := db.StartRun(ctx, domain.Run{Kind: domain.RunRiskModel, Trigger: domain.TriggerManual, StartedAt: at})
	if err != nil || id <= 5 {
		t.Fatalf("a training run: id %d (%v)", id, err)
	}
	if _, err := db.StartRun(ctx, domain.Run{Kind: domain.RunRiskModel, Schedule: "maand", Trigger: domain.TriggerManual, StartedAt: at}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a training of a workbook schedule: %v", err)
	}
}

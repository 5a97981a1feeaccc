package main

import (
	"bufio"
	"context"
	"database/sql"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/testdb"
)

// TestBackupWhileWriting takes a backup while a goroutine keeps committing
// follow-ups of one learner, one a day from a start date, each in its own
// transaction. A sound backup is one snapshot, so it holds the writer's
// follow-ups as a prefix: day 0 to day k-1 without a gap, k at least the
// number committed before the backup started. Everything else equals the
// source's export, which the writer does not touch. The restored copy must
// show exactly that.
func TestBackupWhileWriting(t *testing.T) {
	if testdb.Postgres() {
		t.Skip("backups of PostgreSQL are pg_dump's")
	}
	dsn := newDB(t)
	mustCLI(t, "import", conformance, "--db", dsn, "--quiet")
	db := openStore(t, dsn)
	ctx := context.Background()
	const learner = "L000001"
	start := domain.MustDate("2030-01-01")
	// The writer's clock lies after every day it writes: a follow-up is
	// not dated after the day it is entered (domain.CheckNotFuture).
	writerNow := domain.MaxDate.Time()
	var committed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := db.SaveFollowUp(ctx, "writer", domain.FollowUp{Learner: learner, Date: start.AddDays(i), Status: "work"}, writerNow); err != nil {
				t.Errorf("write %d: %v", i, err)
				return
			}
			committed.Add(1)
		}
	}()
	waitFor(t, "the writer has committed", func() bool { return committed.Load() >= 20 })
	k0 := committed.Load()
	backup := filepath.Join(t.TempDir(), "backup.db")
	out := mustCLI(t, "backup", "--out", backup, "--db", dsn)
	close(stop)
	wg.Wait()
	if !strings.Contains(out, "integrity ok") || !strings.Contains(out, "sha256 ") {
		t.Fatalf("backup said:\n%s", out)
	}

	restored := filepath.Join(t.TempDir(), "restored.db")
	mustCLI(t, "restore", backup, "--db", restored)
	rdb := openStore(t, restored)
	if err := rdb.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	ds, err := rdb.LoadDataSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var days []int
	for _, f := range ds.FollowUps {
		if f.Learner == learner && f.Date >= start {
			days = append(days, int(f.Date-start))
		}
	}
	for i, d := range days {
		if d != i {
			t.Fatalf("the backup holds follow-up days %v: not a prefix of the writes", days)
		}
	}
	if k := int64(len(days)); k < k0 || k > committed.Load() {
		t.Fatalf("the backup holds %d writes; %d were committed before it started, %d in all", k, k0, committed.Load())
	}
	// Everything but the writer's rows is the source's.
	srcDir, dstDir := filepath.Join(t.TempDir(), "src"), filepath.Join(t.TempDir(), "dst")
	mustCLI(t, "export", "data", "--out", srcDir, "--db", dsn)
	mustCLI(t, "export", "data", "--out", dstDir, "--db", restored)
	src, dst := readDir(t, srcDir), readDir(t, dstDir)
	delete(src, "followups.csv")
	delete(dst, "followups.csv")
	sameFiles(t, "the restored export", dst, src)

	t.Run("refusals", func(t *testing.T) {
		if code, _, errOut := cli(t, "restore", backup, "--db", restored); code == 0 || !strings.Contains(errOut, "--replace") {
			t.Errorf("restore into a database holding data: exit %d, %q", code, errOut)
		}
		mustCLI(t, "restore", backup, "--replace", "--db", restored)

		dir := t.TempDir()
		text := filepath.Join(dir, "notes.txt")
		os.WriteFile(text, []byte("not a database\n"), 0o600)
		other := filepath.Join(dir, "other.db")
		odb, err := sql.Open("sqlite3", other)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := odb.Exec(`CREATE TABLE t (x TEXT)`); err != nil {
			t.Fatal(err)
		}
		odb.Close()
		newer := filepath.Join(dir, "newer.db")
		b, _ := os.ReadFile(backup)
		os.WriteFile(newer, b, 0o600)
		ndb, err := sql.Open("sqlite3", newer)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ndb.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '999_future', '2030-01-01T00:00:00Z')`); err != nil {
			t.Fatal(err)
		}
		ndb.Close()
		for _, tt := range []struct{ file, want string }{
			{text, "not a SQLite database"},
			{other, "not a Traject database"},
			{newer, "schema version 999, newer than this traject knows"},
		} {
			target := filepath.Join(t.TempDir(), "target.db")
			if code, _, errOut := cli(t, "restore", tt.file, "--db", target); code == 0 || !strings.Contains(errOut, tt.want) {
				t.Errorf("restore %s: exit %d, %q; want %q", filepath.Base(tt.file), code, errOut, tt.want)
			}
		}
	})
}

func TestBackupOnPostgresNamesItsTools(t *testing.T) {
	for _, args := range [][]string{{"backup", "--out", "x.db"}, {"restore", "x.db"}} {
		code, _, errOut := cli(t, append(args, "--db", "postgres://u@127.0.0.1:1/none")...)
		if code != 2 || !strings.Contains(errOut, "pg_dump") {
			t.Errorf("traject %s on PostgreSQL: exit %d, %q", args[0], code, errOut)
		}
	}
}

// TestKilledImportChangesNothing runs `traject import` of a large demo
// data set as a real process and kills it (SIGKILL) in the middle of its
// transaction — once its progress says a large table is written and more
// are to come: the database must be as it was, and sound. On both backends.
func TestKilledImportChangesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: generates 20,000 learners")
	}
	dsn := newDB(t)
	mustCLI(t, "import", conformance, "--db", dsn, "--quiet")
	before := mustCLI(t, "stats", "--db", dsn)
	dir := filepath.Join(t.TempDir(), "demo")
	mustCLI(t, "demo", "--learners", "20000", "--today", "2026-06-30", "--out", dir)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	child := exec.Command(exe, "import", dir, "--db", dsn)
	child.Env = append(os.Environ(), envRunMain+"=1")
	child.Stdout = io.Discard
	progress, err := child.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill() })
	// Evaluations are written before certificates, outflows, follow-ups,
	// observations and survey responses, and the commit after all of them:
	// the line that says the evaluations are written comes mid-transaction.
	writing := false
	sc := bufio.NewScanner(progress)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "  write evaluations") {
			writing = true
			break
		}
	}
	if !writing {
		child.Wait()
		t.Fatal("the import ended without reporting that it writes the evaluations")
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, progress)
	child.Wait()
	if after := mustCLI(t, "stats", "--db", dsn); after != before {
		t.Fatalf("a killed import changed the database:\nbefore %s\nafter %s", before, after)
	}
	db := openStore(t, dsn)
	if err := db.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
}

package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/testdb"
)

func wantLines(t *testing.T, what, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("%s: output lacks %q:\n%s", what, w, out)
		}
	}
}

// TestBackupScheduleCommand sets, shows and turns off the backup schedule,
// refuses bad input, and counts a `traject backup --out` as the last backup.
func TestBackupScheduleCommand(t *testing.T) {
	if testdb.Postgres() {
		t.Skip("SQLite only: TestBackupOnPostgresNamesItsTools covers PostgreSQL")
	}
	dsn := newDB(t)
	dir := filepath.Join(t.TempDir(), "backups")
	now := time.Date(2026, 3, 15, 12, 0, 0, 0, domain.Zone)

	out := mustCLIAt(t, now, "backup", "schedule", "--db", dsn)
	wantLines(t, "no schedule", out, "no backup schedule; set one with", "warning: no backup has been made of this database")

	out = mustCLIAt(t, now, "backup", "schedule", "--cron", "0 2 * * *", "--dir", dir, "--keep", "14", "--db", dsn)
	wantLines(t, "set", out, "backup schedule set", "(0 2 * * *) into "+dir+", keeps the newest 14", "next backup: 2026-03-16 02:00")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--cron", "0 25 * * *", "--dir", dir}, "hour field"},
		{[]string{"--cron", "0 2 * * *"}, "needs --cron and --dir"},
		{[]string{"--cron", "0 2 * * *", "--dir", dir, "--keep", "-1"}, "backups to keep must be"},
		{[]string{"--cron", "0 2 * * *", "--dir", dir, "--off"}, "either --cron"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		code, _, errOut := cliAt(t, now, append([]string{"backup", "schedule", "--db", dsn}, tc.args...)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("backup schedule %v: exit %d, %q; want exit 2 saying %q", tc.args, code, errOut, tc.want)
		}
	}
	// The refused changes left the schedule as it was.
	out = mustCLIAt(t, now, "backup", "schedule", "--db", dsn)
	wantLines(t, "unchanged", out, "(0 2 * * *) into "+dir+", keeps the newest 14", "warning: no backup has been made")

	manual := filepath.Join(t.TempDir(), "hand.db")
	mustCLIAt(t, now, "backup", "--out", manual, "--db", dsn)
	out = mustCLIAt(t, now.Add(48*time.Hour), "backup", "schedule", "--db", dsn)
	wantLines(t, "after a manual backup", out, "last backup: 2026-03-15 12:00:00 "+manual)
	if strings.Contains(out, "warning") {
		t.Errorf("a warning two days after a backup:\n%s", out)
	}
	out = mustCLIAt(t, now.Add(48*time.Hour+time.Minute), "backup", "schedule", "--db", dsn)
	wantLines(t, "two days later", out, "warning: no successful backup for more than two days")

	out = mustCLIAt(t, now, "backup", "schedule", "--off", "--db", dsn)
	wantLines(t, "off", out, "scheduled backups are off")
	out = mustCLIAt(t, now, "backup", "schedule", "--off", "--db", dsn)
	wantLines(t, "off again", out, "there was no backup schedule")
	if _, err := os.Stat(manual); err != nil {
		t.Fatalf("turning the schedule off touched a backup: %v", err)
	}
}

func TestBackupScheduleOnPostgresNamesItsTools(t *testing.T) {
	code, _, errOut := cli(t, "backup", "schedule", "--cron", "0 2 * * *", "--dir", t.TempDir(), "--db", "postgres://u@127.0.0.1:1/none")
	if code != 2 || !strings.Contains(errOut, "pg_dump") {
		t.Errorf("traject backup schedule on PostgreSQL: exit %d, %q", code, errOut)
	}
}

// holdChild starts traject as a real process that stops once its scheduled
// workbook or backup is written to its temporary file (testHold), waits for
// that, kills it with SIGKILL and returns the temporary file it held.
func holdChild(t *testing.T, what string, extraEnv []string, args ...string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	child := exec.Command(exe, args...)
	child.Env = append(append(os.Environ(), envRunMain+"=1", envHold+"=1"), extraEnv...)
	child.Stdout = io.Discard
	stdin, err := child.StdinPipe() // kept open: the held process blocks reading it
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stderr, err := child.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill() })
	var tmp string
	var seen []string
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "hold "+what+" "); ok {
			tmp = rest
			break
		}
		seen = append(seen, sc.Text())
	}
	if tmp == "" {
		child.Wait()
		t.Fatalf("traject %s ended without holding its %s:\n%s", strings.Join(args, " "), what, strings.Join(seen, "\n"))
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, stderr)
	child.Wait()
	return tmp
}

// dirNames lists the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	slices.Sort(out)
	return out
}

// TestKilledWorkbookOrBackupLeavesNoPartialFile (issue 13, crash safety):
// a scheduled workbook and a scheduled backup killed with SIGKILL half-way
// — once written to their temporary file, before they are checked and
// renamed — leave nothing under a final name; the folder holds the
// temporary file alone, which the next backup removes and the next
// workbook run ignores.
func TestKilledWorkbookOrBackupLeavesNoPartialFile(t *testing.T) {
	t.Run("workbook", func(t *testing.T) {
		dsn := conformanceDB(t)
		dir := filepath.Join(t.TempDir(), "wb")
		now := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
		mustCLIAt(t, now, "schedule", "add", "maand", "--cron", "0 6 1 * *", "--period", "previous-month", "--out-dir", dir, "--db", dsn)
		tmp := holdChild(t, "workbook", []string{envNow + "=2026-03-15T12:00:00Z"}, "schedule", "run", "maand", "--db", dsn)
		tempRE := regexp.MustCompile(`^\.maand-[0-9T]+-[0-9]+\.xlsx\.tmp$`)
		if got := dirNames(t, dir); len(got) != 1 || got[0] != filepath.Base(tmp) || !tempRE.MatchString(got[0]) {
			t.Fatalf("after the kill the folder holds %v, want the temporary file %s alone", got, filepath.Base(tmp))
		}
		out := mustCLIAt(t, now, "schedule", "run", "maand", "--db", dsn)
		var final []string
		for _, n := range dirNames(t, dir) {
			if !tempRE.MatchString(n) {
				final = append(final, n)
			}
		}
		if len(final) != 1 || !strings.Contains(out, final[0]) {
			t.Fatalf("the next run left %v (said %q), want one workbook", dirNames(t, dir), out)
		}
		if b, err := os.ReadFile(filepath.Join(dir, final[0])); err != nil || !bytes.HasPrefix(b, []byte("PK")) {
			t.Fatalf("the next run's workbook is not a complete xlsx: %v", err)
		}
	})
	t.Run("backup", func(t *testing.T) {
		if testdb.Postgres() {
			t.Skip("PostgreSQL is backed up with pg_dump")
		}
		dsn := conformanceDB(t)
		dir := filepath.Join(t.TempDir(), "backups")
		// Cron fields and file names are on Brussels time (domain.Zone); the child process
		// has the same zone as the test and is told the time with its offset.
		at := func(d, h, m, s int) time.Time { return time.Date(2026, 3, d, h, m, s, 0, domain.Zone) }
		mustCLIAt(t, at(14, 12, 0, 0), "backup", "schedule", "--cron", "0 2 * * *", "--dir", dir, "--keep", "3", "--db", dsn)
		tmp := holdChild(t, "backup", []string{envNow + "=" + at(15, 2, 0, 30).Format(time.RFC3339)}, "scheduler", "--once", "--db", dsn)
		if got := dirNames(t, dir); len(got) != 1 || got[0] != filepath.Base(tmp) || got[0] != ".traject-20260315-020030.db.tmp" {
			t.Fatalf("after the kill the folder holds %v, want the temporary file %s alone", got, filepath.Base(tmp))
		}
		// The killed process held the scheduler lock and handled no due
		// time: the next pass, once the lease has run out, catches the
		// backup up and removes the temporary file.
		out := mustCLIAt(t, at(15, 2, 5, 0), "scheduler", "--once", "--db", dsn)
		wantLines(t, "next pass", out, "(catch-up): ok ")
		if got := dirNames(t, dir); !slices.Equal(got, []string{"traject-20260315-020500.db"}) {
			t.Fatalf("after the next pass the folder holds %v, want its backup alone", got)
		}
	})
}

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
)

func TestScheduleAddRejectsBadInput(t *testing.T) {
	db := conformanceDB(t)
	out := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad cron", []string{"maand", "--cron", "61 6 1 * *", "--period", "previous-month", "--out-dir", out}, 2, `minute field "61"`},
		{"four fields", []string{"maand", "--cron", "0 6 1 *", "--period", "previous-month", "--out-dir", out}, 2, "must have 5 fields"},
		{"no cron", []string{"maand", "--period", "previous-month", "--out-dir", out}, 2, "cron expression is empty"},
		{"bad period", []string{"maand", "--cron", "@monthly", "--period", "last-month", "--out-dir", out}, 2, `unknown period rule "last-month"`},
		{"no out dir", []string{"maand", "--cron", "@monthly", "--period", "previous-month"}, 2, "needs an output folder"},
		{"bad name", []string{"maand jaar", "--cron", "@monthly", "--period", "previous-month", "--out-dir", out}, 2, "schedule name"},
		{"no name", []string{"--cron", "@monthly", "--period", "previous-month", "--out-dir", out}, 2, "give one schedule NAME"},
		{"negative keep", []string{"maand", "--cron", "@monthly", "--period", "previous-month", "--out-dir", out, "--keep", "-1"}, 2, "keep must be"},
		{"unknown provider", []string{"maand", "--cron", "@monthly", "--period", "previous-month", "--out-dir", out, "--provider", "NOPE"}, 1, `no provider "NOPE"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runTraject(context.Background(), append([]string{"schedule", "add", "--db", db}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, tc.code, tc.want)
			}
		})
	}
	if out := mustTraject(t, "schedule", "list", "--db", db); !strings.Contains(out, "no schedules") {
		t.Fatalf("rejected schedules were stored:\n%s", out)
	}
}

var runPrintedRE = regexp.MustCompile(`(?m)^run (\d+) of schedule (\S+): (\S+) – (\S+)\n(\S+)\n(\d+) bytes\nsha256 ([0-9a-f]{64})\n$`)

// runTrajectAt runs traject as runTraject does, on a clock stopped at now.
func runTrajectAt(now time.Time, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" },
		now: func() time.Time { return now }}
	code := run(context.Background(), args, e)
	return code, out.String(), errOut.String()
}

// mustTrajectAt runs traject at now and fails the test unless it exits 0.
func mustTrajectAt(t *testing.T, now time.Time, args ...string) string {
	t.Helper()
	code, out, errOut := runTrajectAt(now, args...)
	if code != 0 {
		t.Fatalf("traject %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func TestScheduleLifecycle(t *testing.T) {
	db := conformanceDB(t)
	out := filepath.Join(t.TempDir(), "exports")
	// The commands run on a fixed day, so that the period and the next run
	// they print are the same whatever day the test runs.
	now := time.Date(2025, time.October, 15, 10, 0, 0, 0, domain.Zone)
	added := mustTrajectAt(t, now, "schedule", "add", "jaar", "--db", db, "--cron", "0 6 1 9 *", "--period", "previous-school-year",
		"--provider", "CVO-A", "--out-dir", out, "--keep", "2")
	if !strings.Contains(added, "added schedule jaar") || !strings.Contains(added, "workbooks go to "+out) {
		t.Fatalf("add printed:\n%s", added)
	}
	code, _, errOut := runTraject(context.Background(), "schedule", "add", "jaar", "--db", db, "--cron", "@daily", "--period", "previous-month", "--out-dir", out)
	if code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("second add: exit %d, %q; want exit 1, already exists", code, errOut)
	}

	list := mustTrajectAt(t, now, "schedule", "list", "--db", db)
	if !strings.Contains(list, "jaar") || !strings.Contains(list, "0 6 1 9 *") || !strings.Contains(list, "never") ||
		!strings.Contains(list, "2026-09-01 06:00") {
		t.Fatalf("list does not show the schedule, its next run and no last run:\n%s", list)
	}

	ran := mustTrajectAt(t, now, "schedule", "run", "jaar", "--db", db)
	m := runPrintedRE.FindStringSubmatch(ran)
	if m == nil {
		t.Fatalf("run printed %q, want run, period, file, size and sha256", ran)
	}
	file := m[5]
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if m[6] != strconv.Itoa(len(data)) || m[7] != hex.EncodeToString(sum[:]) {
		t.Fatalf("printed %s bytes, sha256 %s; the file has %d bytes, sha256 %x", m[6], m[7], len(data), sum)
	}
	if filepath.Dir(file) != out || !strings.HasPrefix(filepath.Base(file), "traject-jaar-") {
		t.Fatalf("workbook %s, want traject-jaar-… in %s", file, out)
	}
	if m[3] != "2024-09-01" || m[4] != "2025-08-31" {
		t.Fatalf("period %s – %s, want 2024-09-01 – 2025-08-31", m[3], m[4])
	}

	// The run is recorded like any other, with the file's hash.
	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := s.ListRuns(context.Background(), store.RunQuery{Kind: domain.RunWorkbook, Schedule: "jaar", Limit: 0})
	s.Close()
	if err != nil || len(runs) != 1 {
		t.Fatalf("ListRuns = %v, %v; want one run", runs, err)
	}
	r := runs[0]
	if r.Trigger != domain.TriggerManual || r.Status != domain.RunOK || r.File != file || r.Size != int64(len(data)) || r.SHA256 != m[7] {
		t.Fatalf("recorded run %+v, want a manual ok run of %s with its size and sha256", r, file)
	}
	history := mustTraject(t, "schedule", "runs", "jaar", "--db", db)
	if !strings.Contains(history, m[7]) || !strings.Contains(history, "manual") || !strings.Contains(history, file) {
		t.Fatalf("runs does not show the run:\n%s", history)
	}
	if list := mustTrajectAt(t, now, "schedule", "list", "--db", db); !strings.Contains(list, " ok") {
		t.Fatalf("list does not show the last run's status:\n%s", list)
	}

	// The scheduled workbook is the workbook of `traject export indicators`
	// with the same period, as_of, provider and exactness.
	exported := filepath.Join(t.TempDir(), "export.xlsx")
	mustTraject(t, "export", "indicators", "--db", db, "--from", m[3], "--to", m[4], "--provider", "CVO-A", "--out", exported)
	a, b := openXLSX(t, file), openXLSX(t, exported)
	if !slices.Equal(a.GetSheetList(), b.GetSheetList()) {
		t.Fatalf("sheets %v and %v differ", a.GetSheetList(), b.GetSheetList())
	}
	for _, sheet := range a.GetSheetList() {
		ra, rb := sheetRows(t, a, sheet), sheetRows(t, b, sheet)
		if len(ra) != len(rb) {
			t.Fatalf("%s: %d rows scheduled, %d exported", sheet, len(ra), len(rb))
		}
		for i := range ra {
			if len(ra[i]) > 0 && ra[i][0] == "Gemaakt op" {
				continue
			}
			if !slices.Equal(ra[i], rb[i]) {
				t.Fatalf("%s row %d: scheduled %v, exported %v", sheet, i+1, ra[i], rb[i])
			}
		}
	}

	removed := mustTraject(t, "schedule", "remove", "jaar", "--db", db)
	if !strings.Contains(removed, "removed schedule jaar") {
		t.Fatalf("remove printed %q", removed)
	}
	if list := mustTraject(t, "schedule", "list", "--db", db); !strings.Contains(list, "no schedules") {
		t.Fatalf("list after remove:\n%s", list)
	}
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("remove deleted the workbook: %v", err)
	}
	for _, args := range [][]string{{"schedule", "remove", "jaar"}, {"schedule", "run", "jaar"}, {"schedule", "runs", "jaar"}} {
		code, _, errOut := runTraject(context.Background(), append(args, "--db", db)...)
		if code != 1 || !strings.Contains(errOut, `no schedule "jaar"`) {
			t.Fatalf("%v after remove: exit %d, %q; want exit 1, no schedule", args, code, errOut)
		}
	}
}

// A run's period follows the day of the command's clock, also on either
// side of the turn of the school year.
func TestScheduleRunPeriodAtTheTurnOfTheSchoolYear(t *testing.T) {
	db := conformanceDB(t)
	out := t.TempDir()
	mustTraject(t, "schedule", "add", "jaar", "--db", db, "--cron", "0 6 1 9 *", "--period", "previous-school-year", "--out-dir", out)
	for _, tc := range []struct {
		now      time.Time
		from, to string
	}{
		{time.Date(2025, time.August, 31, 23, 59, 59, 0, domain.Zone), "2023-09-01", "2024-08-31"},
		{time.Date(2025, time.September, 1, 0, 0, 0, 0, domain.Zone), "2024-09-01", "2025-08-31"},
	} {
		ran := mustTrajectAt(t, tc.now, "schedule", "run", "jaar", "--db", db)
		m := runPrintedRE.FindStringSubmatch(ran)
		if m == nil || m[3] != tc.from || m[4] != tc.to {
			t.Errorf("run at %s printed %q, want the period %s – %s", tc.now.Format(time.DateTime), ran, tc.from, tc.to)
		}
	}
}

func TestScheduleRunFailureIsRecorded(t *testing.T) {
	db := conformanceDB(t)
	// An output folder that cannot be made (a file is in the way): the run
	// fails, is recorded as failed, and the command says so.
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	mustTraject(t, "schedule", "add", "weg", "--db", db, "--cron", "@monthly", "--period", "previous-month",
		"--out-dir", filepath.Join(blocker, "sub"))
	code, _, errOut := runTraject(context.Background(), "schedule", "run", "weg", "--db", db)
	if code != 1 || !strings.Contains(errOut, "failed") {
		t.Fatalf("run into a file: exit %d, %q; want exit 1, failed", code, errOut)
	}
	history := mustTraject(t, "schedule", "runs", "--db", db)
	if !strings.Contains(history, "failed") || !strings.Contains(history, "manual") {
		t.Fatalf("the failed run is not in the history:\n%s", history)
	}
	if list := mustTraject(t, "schedule", "list", "--db", db); !strings.Contains(list, "failed") {
		t.Fatalf("list does not show the failed last run:\n%s", list)
	}
}

func TestSchedulerStopsWhenCancelled(t *testing.T) {
	db := conformanceDB(t)
	if out := mustTraject(t, "scheduler", "--once", "--db", db); !strings.Contains(out, "no schedule is due") {
		t.Fatalf("scheduler --once printed %q", out)
	}
	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	locked := func() bool {
		_, err := s.FindSchedulerLock(context.Background())
		return err == nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int)
	go func() {
		code, _, _ := runTraject(ctx, "scheduler", "--db", db, "--tick", "1s")
		done <- code
	}()
	// Cancel a scheduler that is running, not one still starting up: it
	// runs once it holds the lock.
	waitFor(t, "the scheduler to take the lock", locked)
	cancel() // what SIGTERM does to main's context
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("scheduler exit %d after cancel, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("scheduler did not stop after its context was cancelled")
	}
	if locked() {
		t.Fatal("the stopped scheduler still holds the lock")
	}
}

package main

import (
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// The commands read the day from the env's clock (env.now, set once in
// main), never from the machine's: `traject check` without --as-of judges
// the data on the clock's day, so a test can choose it.
func TestCheckJudgesOnTheClocksDay(t *testing.T) {
	db := conformanceDB(t)
	day := time.Date(2025, time.October, 15, 10, 0, 0, 0, domain.Zone)
	got := mustTrajectAt(t, day, "check", "--db", db)
	if !strings.Contains(got, "Datakwaliteit op 2025-10-15:") {
		t.Fatalf("check on a clock stopped at 2025-10-15 says:\n%s\nwant the findings as of that day", got)
	}
	if want := mustTraject(t, "check", "--db", db, "--as-of", "2025-10-15"); got != want {
		t.Errorf("check on the clock's day differs from check --as-of that day:\n%s\nwant\n%s", got, want)
	}
}

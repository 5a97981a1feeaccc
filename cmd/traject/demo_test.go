package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/interchange"
)

// TestDemoAnchorsOnToday: `traject demo` without --today takes the data on
// the clock's day in Brussels (here 1 January, while UTC still says
// 31 December), byte for byte the data --today gives for that day; another
// day gives other data.
func TestDemoAnchorsOnToday(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	clock := time.Date(2026, time.December, 31, 23, 30, 0, 0, time.UTC)
	_, _, errOut := cliAt(t, clock, "demo", "--learners", "60", "--seed", "5", "--out", filepath.Join(dir, "clock"))
	if !strings.Contains(errOut, "taken on 2027-01-01") {
		t.Errorf("demo on the clock of 2026-12-31 23:30 UTC says\n%s\nwant the data taken on 2027-01-01 (Brussels)", errOut)
	}
	mustCLI(t, "demo", "--learners", "60", "--seed", "5", "--today", "2027-01-01", "--out", filepath.Join(dir, "fixed"))
	mustCLI(t, "demo", "--learners", "60", "--seed", "5", "--today", "2026-12-31", "--out", filepath.Join(dir, "before"))
	same, differ := true, false
	for _, ent := range interchange.Entities {
		read := func(sub string) []byte {
			b, err := os.ReadFile(filepath.Join(dir, sub, ent.File))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		if !bytes.Equal(read("clock"), read("fixed")) {
			t.Errorf("%s: the demo on the clock's day differs from --today 2027-01-01", ent.File)
			same = false
		}
		differ = differ || !bytes.Equal(read("fixed"), read("before"))
	}
	if same && !differ {
		t.Error("the demo of 2026-12-31 is the demo of 2027-01-01")
	}
}

// TestDemoCountsEveryEntity: the row count `demo` and `export data` print
// holds every entity, the register, observations and surveys included.
func TestDemoCountsEveryEntity(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	out := mustCLI(t, "demo", "--learners", "80", "--today", "2026-06-30", "--accounts=false", "--db", db)
	var total string
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 4 && f[0] == "total" {
			total = f[1]
		}
	}
	for _, entity := range []string{"lessons", "attendance", "observations", "survey_responses"} {
		if !strings.Contains(out, "\n"+entity+" ") {
			t.Errorf("demo reports no %s:\n%s", entity, out)
		}
	}
	exported := mustCLI(t, "export", "data", "--out", filepath.Join(t.TempDir(), "out"), "--db", db)
	if total == "" || !strings.Contains(exported, " and "+total+" rows in all ") {
		t.Errorf("export data says\n%s\nwant the %s rows the demo loaded", exported, total)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/testdb"
	"github.com/traject-nt2/traject/internal/testkit"
)

// cli runs traject in-process with its own streams and returns the exit
// code, stdout and stderr.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code := run(context.Background(), args, e)
	return code, out.String(), errOut.String()
}

// mustCLI runs traject and fails the test unless it exits 0.
func mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := cli(t, args...)
	if code != 0 {
		t.Fatalf("traject %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// newDB returns a migrated, empty database: a copy of one migrated once
// per test binary (copy_test runs `traject migrate` itself).
func newDB(t *testing.T) string {
	t.Helper()
	return testkit.MigratedDSN(t)
}

const conformance = "../../testdata/conformance"

// readDir returns the files of an export folder by name.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func sameFiles(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d files, want %d", what, len(got), len(want))
	}
	for name, w := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: %s missing", what, name)
		} else if !bytes.Equal(g, w) {
			t.Errorf("%s: %s differs:\n got %.300q\nwant %.300q", what, name, g, w)
		}
	}
}

func TestImportExportRoundTrip(t *testing.T) {
	db1 := newDB(t)
	out := mustCLI(t, "import", conformance, "--db", db1)
	if !strings.Contains(out, "1013 inserted, 0 updated, 0 unchanged") {
		t.Fatalf("first import reported:\n%s", out)
	}
	exp1 := filepath.Join(t.TempDir(), "export1")
	mustCLI(t, "export", "data", "--out", exp1, "--db", db1)

	db2 := newDB(t)
	mustCLI(t, "import", exp1, "--db", db2)
	exp2 := filepath.Join(t.TempDir(), "export2")
	mustCLI(t, "export", "data", "--out", exp2, "--db", db2)
	sameFiles(t, "export of the re-import", readDir(t, exp2), readDir(t, exp1))

	// The indicators computed from both databases are identical too.
	args := []string{"indicators", "--from", "2024-09-01", "--to", "2025-08-31", "--format", "json"}
	j1 := mustCLI(t, append(args, "--db", db1)...)
	j2 := mustCLI(t, append(args, "--db", db2)...)
	if j1 != j2 {
		t.Fatal("indicators differ between the original and the re-imported database")
	}
}

func TestImportTwiceChangesNothing(t *testing.T) {
	db := newDB(t)
	mustCLI(t, "import", conformance, "--db", db)
	out := mustCLI(t, "import", conformance, "--db", db)
	if !strings.Contains(out, "0 inserted, 0 updated, 1013 unchanged") {
		t.Fatalf("second import reported:\n%s", out)
	}
}

// The messy copy and the workbook hold the same data in the forms real
// files take; imported, they must give exactly the conformance records,
// which the byte-identical export shows.
func TestMessyAndWorkbookImportToTheSameRecords(t *testing.T) {
	ref := newDB(t)
	// The messy files and the workbook were made from the first version of
	// the example, before observations and surveys.
	mustCLI(t, "import", "../../testdata/conformance-v1", "--db", ref)
	refDir := filepath.Join(t.TempDir(), "ref")
	mustCLI(t, "export", "data", "--out", refDir, "--db", ref)
	want := readDir(t, refDir)
	for _, src := range []string{"../../testdata/messy", "../../testdata/xlsx/conformance.xlsx"} {
		db := newDB(t)
		mustCLI(t, "import", src, "--db", db)
		dir := filepath.Join(t.TempDir(), "out")
		mustCLI(t, "export", "data", "--out", dir, "--db", db)
		sameFiles(t, src, readDir(t, dir), want)
	}
}

func TestImportWithErrorsStoresNothing(t *testing.T) {
	db := newDB(t)
	mustCLI(t, "import", conformance, "--db", db)
	before := mustCLI(t, "stats", "--db", db)
	code, _, errOut := cli(t, "import", "../../testdata/errors", "--db", db)
	if code != 1 {
		t.Fatalf("import of broken data exited %d, want 1\n%s", code, errOut)
	}
	for _, want := range []string{
		`evaluations.csv:2: listening: "B3" is not a CEFR level (A0, A1.1, A1, … C2)`,
		`enrollments.csv:3: group: no group "G-2026-17"`,
		"errors; nothing was imported",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("error report lacks %q:\n%s", want, errOut)
		}
	}
	if after := mustCLI(t, "stats", "--db", db); after != before {
		t.Fatalf("database changed by a failed import:\nbefore %s\nafter %s", before, after)
	}
}

func TestDryRunStoresNothing(t *testing.T) {
	db := newDB(t)
	out := mustCLI(t, "import", conformance, "--dry-run", "--db", db)
	if !strings.Contains(out, "dry run") || !strings.Contains(out, "1013 inserted") {
		t.Fatalf("dry run reported:\n%s", out)
	}
	if stats := mustCLI(t, "stats", "--db", db); !strings.Contains(stats, "total                  0") {
		t.Fatalf("dry run stored rows:\n%s", stats)
	}
}

func TestStaleSchemaNamesMigrate(t *testing.T) {
	path := testdb.DSN(t)
	code, _, errOut := cli(t, "stats", "--db", path)
	if code == 0 || !strings.Contains(errOut, "traject migrate") {
		t.Fatalf("stats on a missing database: exit %d, stderr %q", code, errOut)
	}
}

func TestBadFlagsAreClear(t *testing.T) {
	db := newDB(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"indicators", "--from", "2025-13-01", "--to", "2025-12-31"}, `--from: "2025-13-01" is not a date`},
		{[]string{"indicators", "--to", "2025-12-31"}, "--from is required"},
		{[]string{"indicators", "--from", "2025-09-01", "--to", "2025-01-01"}, "lies after to"},
		{[]string{"indicators", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "csv"}, `--format "csv"`},
		{[]string{"indicators", "--from", "2025-01-01", "--to", "2025-12-31", "--provider", "NOPE"}, `no provider "NOPE"`},
		{[]string{"indicators", "explain", "--indicator", "speed", "--from", "2025-01-01", "--to", "2025-12-31"}, "speed"},
		{[]string{"import"}, "give one PATH"},
		{[]string{"import", "/does/not/exist"}, "/does/not/exist"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		code, _, errOut := cli(t, append(tt.args, "--db", db)...)
		if code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("traject %s: exit %d, stderr %q; want non-zero and %q", strings.Join(tt.args, " "), code, errOut, tt.want)
		}
	}
}

// TestConformance runs the command each expected file of the conformance
// data set names and compares every key and number (rates and means to 1e-9).
func TestConformance(t *testing.T) {
	db := newDB(t)
	mustCLI(t, "import", conformance, "--db", db)
	tests := []struct {
		file string
		args []string
	}{
		{"expected.json", []string{"--from", "2024-09-01", "--to", "2025-08-31"}},
		{"expected-CVO-A.json", []string{"--from", "2024-09-01", "--to", "2025-08-31", "--provider", "CVO-A"}},
		{"expected-2025-asof-2026-06-30.json", []string{"--from", "2025-01-01", "--to", "2025-12-31", "--as-of", "2026-06-30"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			out := mustCLI(t, append([]string{"indicators", "--format", "json", "--db", db}, tt.args...)...)
			var got, want any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out)
			}
			b, err := os.ReadFile(filepath.Join(conformance, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			var diffs []string
			compareJSON("", got, want, &diffs)
			if len(diffs) > 0 {
				t.Fatalf("%d differences, first ones:\n%s", len(diffs), strings.Join(diffs[:min(len(diffs), 20)], "\n"))
			}
		})
	}
}

// compareJSON records every key missing or extra and every value that
// differs; numbers compare to 1e-9.
func compareJSON(path string, got, want any, diffs *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want an object", path, got))
			return
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			gv, gok := g[k]
			wv, wok := w[k]
			switch {
			case !gok:
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: missing", path, k))
			case !wok:
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: not expected", path, k))
			default:
				compareJSON(path+"."+k, gv, wv, diffs)
			}
		}
	case float64:
		g, ok := got.(float64)
		if !ok || math.Abs(g-w) > 1e-9 {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want %v", path, got, want))
		}
	default:
		if fmt.Sprint(got) != fmt.Sprint(want) {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want %v", path, got, want))
		}
	}
}

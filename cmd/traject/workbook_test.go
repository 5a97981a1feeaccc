package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/importer"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/report"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testkit"
)

const conformanceData = "../../testdata/conformance"

// runTraject runs traject in-process and returns the exit code, stdout and stderr.
func runTraject(ctx context.Context, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code := run(ctx, args, e)
	return code, out.String(), errOut.String()
}

// mustTraject runs traject and fails the test unless it exits 0.
func mustTraject(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := runTraject(context.Background(), args...)
	if code != 0 {
		t.Fatalf("traject %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// conformanceDB returns a migrated temp database holding testdata/conformance.
func conformanceDB(t *testing.T) string {
	t.Helper()
	return testkit.Built(t, "cmd_conformance", func(ctx context.Context, db *store.DB) error {
		rep, err := importer.Path(ctx, db, conformanceData, importer.Options{})
		if err != nil || !rep.OK() {
			return fmt.Errorf("import conformance data: %v %v", err, rep)
		}
		return nil
	})
}

// openXLSX reads a workbook back with raw values.
func openXLSX(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// sheetRows returns the rows of a sheet.
func sheetRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rs, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// overviewValues returns the overview's Waarde per figure code.
func overviewValues(t *testing.T, f *excelize.File) map[string]string {
	t.Helper()
	out := map[string]string{}
	rs := sheetRows(t, f, "Overzicht")
	for i, r := range rs {
		if len(r) == 0 || r[0] != "Code" {
			continue
		}
		col := -1
		for j, h := range r {
			if h == "Waarde" {
				col = j
			}
		}
		for _, d := range rs[i+1:] {
			if len(d) == 0 {
				break
			}
			v := ""
			if col < len(d) {
				v = d[col]
			}
			out[d[0]] = v
		}
	}
	return out
}

var figurePath = map[string][]string{
	"ACCESS_RATE": {"access", "rate"}, "WAITING_LIST": {"access", "waiting_list"},
	"MEDIAN_DAYS_TO_START": {"access", "median_days_to_start"}, "PROGRESS_RATE": {"progress", "rate"},
	"ATTENDANCE_RATE": {"progress", "attendance_rate"}, "CERTIFICATION_RATE": {"certification", "rate"},
	"GAIN_RATE": {"learning_gain", "rate"}, "MEAN_GAIN": {"learning_gain", "mean_gain"},
	"QUALIFIED_OUTFLOW_RATE": {"outflow", "qualified_rate"}, "EARLY_LEAVER_RATE": {"outflow", "early_leaver_rate"},
	"EFFECT_RATE": {"effects", "rate"}, "WELLBEING_RATE": {"wellbeing", "rate"}, "INVOLVEMENT_RATE": {"involvement", "rate"},
	"SATISFACTION_RATE": {"survey", "learner", "satisfaction", "rate"}, "STAFF_WELLBEING_RATE": {"survey", "staff", "wellbeing", "rate"},
	"PARTNER_SATISFACTION_RATE": {"survey", "partner", "satisfaction", "rate"},
}

var printedRE = regexp.MustCompile(`wrote (\S+) \((\d+) bytes, sha256 ([0-9a-f]{64})\)`)

func TestExportIndicatorsWorkbook(t *testing.T) {
	db := conformanceDB(t)
	ds := func() *domain.DataSet {
		b, _, err := interchange.ReadDir(conformanceData, nil)
		if err != nil {
			t.Fatal(err)
		}
		return &b.DataSet
	}()
	for _, tc := range []struct {
		file string
		args []string
	}{
		{"expected.json", []string{"--from", "2024-09-01", "--to", "2025-08-31"}},
		{"expected-CVO-A.json", []string{"--from", "2024-09-01", "--to", "2025-08-31", "--provider", "CVO-A"}},
		{"expected-2025-asof-2026-06-30.json", []string{"--from", "2025-01-01", "--to", "2025-12-31", "--as-of", "2026-06-30"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "indicatoren.xlsx")
			stdout := mustTraject(t, append([]string{"export", "indicators", "--db", db, "--out", out, "--exact"}, tc.args...)...)
			m := printedRE.FindStringSubmatch(stdout)
			if m == nil || m[1] != out {
				t.Fatalf("output %q does not name %s with its size and sha256", stdout, out)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			if m[2] != strconv.Itoa(len(data)) || m[3] != hex.EncodeToString(sum[:]) {
				t.Fatalf("printed %s bytes sha256 %s; the file has %d bytes sha256 %x", m[2], m[3], len(data), sum)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Fatalf("the folder holds %d files, want only the workbook (no temporary file)", len(entries))
			}

			raw, err := os.ReadFile(filepath.Join(conformanceData, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var want map[string]any
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			got := overviewValues(t, openXLSX(t, out))
			if len(got) != len(figurePath) {
				t.Fatalf("overview has %d figures, want %d", len(got), len(figurePath))
			}
			for code, path := range figurePath {
				w := want["indicators"]
				for _, k := range path {
					w = w.(map[string]any)[k]
				}
				g := got[code]
				switch w := w.(type) {
				case nil:
					if g != "" {
						t.Errorf("%s = %q, want empty (null)", code, g)
					}
				case float64:
					if v, err := strconv.ParseFloat(g, 64); err != nil || v != w {
						t.Errorf("%s = %q, want %v", code, g, w)
					}
				}
			}

			// Without --exact: pseudonymous learners, one row per case.
			pseud := filepath.Join(dir, "afgeschermd.xlsx")
			mustTraject(t, append([]string{"export", "indicators", "--db", db, "--out", pseud}, tc.args...)...)
			rs := sheetRows(t, openXLSX(t, pseud), "Lerenden")
			p := indicator.DefaultParams(domain.MustDate(tc.args[1]), domain.MustDate(tc.args[3]))
			for i := 4; i+1 < len(tc.args); i += 2 {
				switch tc.args[i] {
				case "--provider":
					p.Provider = tc.args[i+1]
				case "--as-of":
					p.AsOf = domain.MustDate(tc.args[i+1])
				}
			}
			n := 0
			for _, c := range indicator.Explain(ds, p).Cases {
				if c.Indicator != indicator.IndicatorSurvey { // responses are no learners
					n++
				}
			}
			if len(rs)-1 != n {
				t.Fatalf("Lerenden has %d rows, want %d cases", len(rs)-1, n)
			}
			for _, r := range rs[1:] {
				if len(r) < 3 || !strings.HasPrefix(r[2], "P-") {
					t.Fatalf("row %v does not show a pseudonymous learner", r)
				}
			}
		})
	}
}

func TestExportIndicatorsPseudonymsAreStable(t *testing.T) {
	db := conformanceDB(t)
	dir := t.TempDir()
	learners := func(name string) string {
		out := filepath.Join(dir, name)
		mustTraject(t, "export", "indicators", "--db", db, "--from", "2024-09-01", "--to", "2025-08-31", "--out", out)
		var ids []string
		for _, r := range sheetRows(t, openXLSX(t, out), "Lerenden")[1:] {
			ids = append(ids, r[2])
		}
		return strings.Join(ids, ",")
	}
	if a, b := learners("a.xlsx"), learners("b.xlsx"); a != b {
		t.Fatal("two exports of one installation show different pseudonyms")
	}
	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.GetSetting(context.Background(), report.PseudonymSecretKey); err != nil || len(v) != 64 {
		t.Fatalf("stored secret %q, %v; want 32 bytes in hex", v, err)
	}
}

func TestExportIndicatorsFlags(t *testing.T) {
	db := conformanceDB(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--from", "2024-09-01", "--to", "2025-08-31"}, 2, "--out FILE.xlsx is required"},
		{[]string{"--from", "2024-09-01", "--to", "2025-08-31", "--out", filepath.Join(dir, "x.csv")}, 2, "must end in .xlsx"},
		{[]string{"--to", "2025-08-31", "--out", filepath.Join(dir, "x.xlsx")}, 2, "--from is required"},
		{[]string{"--from", "2025-09-01", "--to", "2025-08-31", "--out", filepath.Join(dir, "x.xlsx")}, 2, "lies after"},
		{[]string{"--from", "2024-09-01", "--to", "2025-08-31", "--provider", "NOPE", "--out", filepath.Join(dir, "x.xlsx")}, 1, `no provider "NOPE"`},
		{[]string{"--from", "2024-09-01", "--to", "2025-08-31", "--out", filepath.Join(dir, "missing", "x.xlsx")}, 1, "create"},
	} {
		t.Run(fmt.Sprint(tc.args), func(t *testing.T) {
			code, _, errOut := runTraject(context.Background(), append([]string{"export", "indicators", "--db", db}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, tc.code, tc.want)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("failed exports left %d files behind", len(entries))
	}
}

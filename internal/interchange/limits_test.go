package interchange

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/testfile"
)

// writeFile writes data to a new file called name in a folder of the test.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// wantLimit fails the test unless err is a refusal whose English message
// holds want.
func wantLimit(t *testing.T, what string, err error, want string) {
	t.Helper()
	if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: %v, want a refusal saying %q", what, err, want)
	}
}

// TestWorkbookBombIsRefusedUnopened: a workbook of 1 MB whose part unpacks
// to 1 GiB is refused by its table of contents, by every reader of
// workbooks, before excelize unpacks anything.
func TestWorkbookBombIsRefusedUnopened(t *testing.T) {
	path := writeFile(t, "bom.xlsx", testfile.WorkbookBomb(1<<30))
	p := &Profile{Name: "p", Files: []ProfileFile{{Match: "*", Entity: "learners", Columns: map[string]string{"id": "id"}}}}
	for what, read := range map[string]func() error{
		"Read":        func() error { _, _, err := Read(path, nil); return err },
		"ReadProfile": func() error { _, _, err := ReadProfile(path, p, nil); return err },
		"SampleFile":  func() error { _, err := SampleFile(path, "bom.xlsx"); return err },
		"CommandLimits.Read": func() error {
			_, _, err := CommandLimits.Read(path, nil)
			return err
		},
	} {
		var err error
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err = read()
		runtime.ReadMemStats(&after)
		if what == "CommandLimits.Read" { // within the CLI's 2 GB, but not a part to hold in memory
			wantLimit(t, what, err, "part xl/media/image1.bin of "+path+" unpacks to 1,024 MB; Traject reads at most 16 MB in such a part")
		} else {
			wantLimit(t, what, err, "unpacks to 1,025 MB; Traject reads at most 200 MB unpacked")
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
			t.Errorf("%s allocated %d MB refusing the bomb", what, n>>20)
		}
	}
}

// TestArchiveLimits: too many entries, too much unpacked and a part held
// in memory that is too large; large sheets are read from a temporary
// file and pass.
func TestArchiveLimits(t *testing.T) {
	entries := func(data []byte) []*zip.File {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		return zr.File
	}
	lim := UploadLimits
	wantLimit(t, "1001 parts", lim.CheckArchive(entries(testfile.WorkbookOfParts(1001)), "a.xlsx", true),
		"a.xlsx holds 1,001 parts; Traject reads a workbook of at most 1,000 parts")
	if err := lim.CheckArchive(entries(testfile.WorkbookOfParts(1000)), "a.xlsx", true); err != nil {
		t.Errorf("1000 parts: %v", err)
	}
	wantLimit(t, "a part of 17 MB", lim.CheckArchive(entries(testfile.WorkbookBomb(17<<20)), "a.xlsx", true),
		"part xl/media/image1.bin of a.xlsx unpacks to 17 MB; Traject reads at most 16 MB in such a part")
	if err := lim.CheckArchive(entries(testfile.ZipBomb("xl/worksheets/sheet1.xml", 100<<20)), "a.xlsx", true); err != nil {
		t.Errorf("a sheet of 100 MB: %v", err)
	}
	wantLimit(t, "a zip of 201 MB", lim.CheckArchive(entries(testfile.ZipBomb("learners.csv", 201<<20)), "a.zip", false),
		"a.zip unpacks to 201 MB; Traject reads at most 200 MB unpacked")
	many := &bytes.Buffer{}
	zw := zip.NewWriter(many)
	for i := 0; i < 101; i++ {
		zw.Create(strings.Repeat("x", i+1) + ".csv")
	}
	zw.Close()
	wantLimit(t, "101 files", lim.CheckArchive(entries(many.Bytes()), "a.zip", false),
		"a.zip holds 101 files; Traject reads a zip of at most 100 files")
}

// TestTableLimits: a header too wide, a cell too long and too many rows
// refuse the file with the row and column that break the limit; empty
// cells after the last value do not count as columns.
func TestTableLimits(t *testing.T) {
	lim := UploadLimits
	lim.Rows = 3
	for _, tc := range []struct {
		name string
		data []byte
		want string // "" for a file within the limits
	}{
		{"wide", testfile.WideCSV(200_000), "learners.csv has 200,000 columns on row 1; Traject reads at most 1,000"},
		{"a wide data row", []byte("id\nL1" + strings.Repeat(",x", 1000) + "\n"), "learners.csv has 1,001 columns on row 2"},
		{"padded", []byte("id,first_name" + strings.Repeat(",", 5000) + "\nL1,Ann" + strings.Repeat(",", 5000) + "\n"), ""},
		{"long cell", testfile.LongCellCSV(32_768), "learners.csv, row 2, column 3: a cell of 32,768 characters; Traject reads at most 32,767"},
		{"long but within", testfile.LongCellCSV(32_767), ""},
		{"a column name too long", []byte("id," + strings.Repeat("é", 201) + "\nL1,x\n"),
			"learners.csv, row 1, column 2: a column name of 201 characters; Traject reads column names of at most 200"},
		{"a column name long but within", []byte("id," + strings.Repeat("é", 200) + "\nL1,x\n"), ""},
		{"rows", []byte("id\nL1\nL2\n\nL3\nL4\n"), "learners.csv has more than 3 rows"},
		{"rows within", []byte("id\nL1\nL2\n\n\n\nL3\n"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := lim.Read(writeFile(t, "learners.csv", tc.data), nil)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("within the limits: %v", err)
				}
				return
			}
			wantLimit(t, tc.name, err, tc.want)
		})
	}
}

// TestSampleLimits: the assistant's sample reads within the same limits,
// and keeps no empty cells after a row's last value.
func TestSampleLimits(t *testing.T) {
	_, err := SampleFile(writeFile(t, "x.csv", testfile.WideCSV(1001)), "lijst.csv")
	wantLimit(t, "wide", err, "lijst.csv has 1,001 columns on row 1")
	_, err = SampleFile(writeFile(t, "x.csv", testfile.LongCellCSV(40_000)), "lijst.csv")
	wantLimit(t, "long", err, "lijst.csv, row 2, column 3: a cell of 40,000 characters")
	_, err = SampleFile(writeFile(t, "x.xlsx", testfile.WorkbookOfParts(1001)), "lijst.xlsx")
	wantLimit(t, "parts", err, "lijst.xlsx holds 1,001 parts")
	s, err := SampleFile(writeFile(t, "x.csv", []byte("a,b"+strings.Repeat(",", 100_000)+"\n1,2,,,\n")), "lijst.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rows) != 2 || len(s.Rows[0]) != 2 || len(s.Rows[1]) != 2 {
		t.Errorf("sample rows %d wide, want 2 rows of 2 cells", len(s.Rows[0]))
	}
}

// TestSampleHeaderLimit: the assistant's header, wherever the rows above it
// end, names no column longer than a name; values that long are not
// offered as values to map.
func TestSampleHeaderLimit(t *testing.T) {
	s, err := SampleFile(writeFile(t, "x.csv", []byte("Titel\nid,"+strings.Repeat("k", 201)+"\nL1,"+strings.Repeat("v", 201)+"\nL2,m\n")), "lijst.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckHeader(0); err != nil { // the title row, one short cell
		t.Errorf("CheckHeader(0): %v", err)
	}
	wantLimit(t, "CheckHeader(1)", s.CheckHeader(1), "lijst.csv, row 2, column 2: a column name of 201 characters")
	e := &ProfileFile{Entity: "learners", SkipRows: 1, Columns: map[string]string{"gender": strings.Repeat("k", 201)}}
	if got := DistinctValues(s, e)["gender"]; len(got) != 1 || got[0] != "m" {
		t.Errorf("distinct values %q, want only m", got)
	}
}

// TestCommandLimitsAreLarger: the CLI reads ten times what the web does,
// within the same shape of a table.
func TestCommandLimitsAreLarger(t *testing.T) {
	c, u := CommandLimits, UploadLimits
	if c.FileBytes < 10*u.FileBytes || c.UnpackedBytes < 10*u.UnpackedBytes || c.Rows < 10*u.Rows {
		t.Errorf("command limits %+v, want ten times the upload's %+v", c, u)
	}
	if c.Columns != u.Columns || c.CellChars != u.CellChars || c.PartBytes != u.PartBytes {
		t.Errorf("command limits %+v, want the upload's shape of a table %+v", c, u)
	}
}

// TestFileLimit: every reader refuses a file larger than FileBytes before
// it reads it — in a folder, alone, zipped or a workbook, plain or with a
// profile.
func TestFileLimit(t *testing.T) {
	lim := UploadLimits
	lim.FileBytes = 100
	big := []byte("id,first_name\n" + strings.Repeat("L1,Ann\n", 20))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "learners.csv"), big, 0o600); err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("learners.csv")
	w.Write(big)
	zw.Close()
	zipPath := writeFile(t, "learners.zip", zipped.Bytes())
	wb := writeFile(t, "learners.xlsx", testfile.Workbook([]string{"id"}, []string{"L1"}))
	p := &Profile{Name: "p", Files: []ProfileFile{{Match: "*", Entity: "learners", Columns: map[string]string{"id": "id"}}}}
	for what, read := range map[string]func() error{
		"Read of a folder":        func() error { _, _, err := lim.Read(dir, nil); return err },
		"Read of a file":          func() error { _, _, err := lim.Read(filepath.Join(dir, "learners.csv"), nil); return err },
		"Read of a workbook":      func() error { _, _, err := lim.Read(wb, nil); return err },
		"ReadProfile of a folder": func() error { _, _, err := lim.ReadProfile(dir, p, nil); return err },
		"ReadProfile of a file":   func() error { _, _, err := lim.ReadProfile(filepath.Join(dir, "learners.csv"), p, nil); return err },
		"ReadProfile of a zip":    func() error { _, _, err := lim.ReadProfile(zipPath, p, nil); return err },
	} {
		wantLimit(t, what, read(), "MB; Traject reads files of at most 1 MB")
	}
}

package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/testfile"
)

// TestImportRefusesAWorkbookBomb: `traject import` of a 1 MB workbook
// whose part unpacks to 1 GiB says which limit it breaks, in English,
// stores nothing and unpacks nothing (interchange.CommandLimits).
func TestImportRefusesAWorkbookBomb(t *testing.T) {
	db := newDB(t)
	path := filepath.Join(t.TempDir(), "bom.xlsx")
	if err := os.WriteFile(path, testfile.WorkbookBomb(1<<30), 0o600); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	code, _, errOut := cli(t, "import", path, "--db", db, "--quiet")
	runtime.ReadMemStats(&after)
	if code == 0 || !strings.Contains(errOut, "part xl/media/image1.bin of "+path+" unpacks to 1,024 MB; Traject reads at most 16 MB in such a part") {
		t.Errorf("import of the bomb: exit %d, stderr %q", code, errOut)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
		t.Errorf("the import allocated %d MB refusing the bomb", n>>20)
	}
}

// TestImportRefusesAHeaderTooWide: a table of 200,000 columns is refused
// with its file and row, by the CLI as by the web.
func TestImportRefusesAHeaderTooWide(t *testing.T) {
	db := newDB(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "learners.csv"), testfile.WideCSV(200_000), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := cli(t, "import", dir, "--db", db, "--quiet")
	if code == 0 || !strings.Contains(errOut, "learners.csv has 200,000 columns on row 1; Traject reads at most 1,000") {
		t.Errorf("import of a wide file: exit %d, stderr %q", code, errOut)
	}
}

package report

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"
)

// The workbook is written from a data set its caller loaded
// (schedule.WorkbookData): report must not reach the database, directly or
// through another package of Traject (style.md, "The house").
func TestReportKnowsNoDatabase(t *testing.T) {
	const module = "github.com/traject-nt2/traject/"
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{module + "internal/store", "database/sql", "github.com/jmoiron/sqlx",
		"github.com/mattn/go-sqlite3", "github.com/jackc/pgx/v5"}
	seen := map[string]string{} // package: who imports it
	queue := []string{module + "internal/report"}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		pkg, err := build.ImportDir(filepath.Join(root, strings.TrimPrefix(path, module)), 0)
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		for _, imp := range pkg.Imports {
			if _, ok := seen[imp]; ok {
				continue
			}
			seen[imp] = path
			for _, f := range forbidden {
				if imp == f || strings.HasPrefix(imp, f+"/") {
					t.Errorf("report depends on %s (imported by %s)", imp, path)
				}
			}
			if strings.HasPrefix(imp, module) {
				queue = append(queue, imp)
			}
		}
	}
}

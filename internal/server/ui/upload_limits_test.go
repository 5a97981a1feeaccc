package ui_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/server/ui"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testfile"
)

// The limits of every upload path (issue 18, finding 5; interchange/limits.go):
// the mapping assistant, the import page and the confirmation refuse what
// no real export holds — a zip bomb, too many parts, a header too wide, a
// cell too long — with a message that names the limit, before it costs
// more than a real export does.

// maxRefusalAlloc is what refusing one hostile file may allocate in all:
// the request, its multipart form, the upload kept in the database and the
// page; never the content the file unpacks or expands to (a GiB, or a
// 26 MB page).
const maxRefusalAlloc = 64 << 20

// allocated runs f and returns the bytes the process allocated meanwhile
// (runtime.MemStats.TotalAlloc: every allocation counts, even one the
// garbage collector has taken back already).
func allocated(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// wantSays fails the test unless r is status with a body that says each
// of wants (HTML escapes undone).
func wantSays(t *testing.T, what string, r *httptest.ResponseRecorder, status int, wants ...string) {
	t.Helper()
	servertest.WantStatus(t, what, r, status)
	body := html.UnescapeString(r.Body.String())
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: the page lacks %q:\n%s", what, w, servertest.Excerpt(body))
		}
	}
}

// wantFewAllocs fails the test when the call allocated maxRefusalAlloc or more.
func wantFewAllocs(t *testing.T, what string, n uint64) {
	t.Helper()
	if n >= maxRefusalAlloc {
		t.Errorf("%s allocated %d MB, want under %d MB", what, n>>20, maxRefusalAlloc>>20)
	}
}

// pending keeps data as an upload of user waiting for the assistant, as
// one made before the limits would be: the page must refuse it as well.
func pending(t *testing.T, a *servertest.App, user, name string, data []byte) string {
	t.Helper()
	p := store.PendingUpload{ID: "0123456789abcdef0123456789abcdef", Username: user, Name: name, Data: data,
		Created: servertest.Now, Expires: servertest.Now.Add(ui.PendingTTL)}
	if err := a.DB.PutPendingUpload(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return "/imports/assistant/" + p.ID
}

// hostile is one file that every upload path must refuse.
type hostile struct {
	name, file string
	data       []byte
	want       []string // what the Dutch page says
}

func hostileFiles() []hostile {
	return []hostile{
		{"a workbook bomb", "lijst.xlsx", testfile.WorkbookBomb(1 << 30),
			[]string{"lijst.xlsx is uitgepakt 1.025 MB groot; Traject leest hoogstens 200 MB uitgepakt"}},
		{"a workbook of too many parts", "lijst.xlsx", testfile.WorkbookOfParts(1001),
			[]string{"lijst.xlsx bevat 1.001 onderdelen; Traject leest een werkboek van hoogstens 1.000 onderdelen"}},
		{"a header of 200,000 columns", "lijst.csv", testfile.WideCSV(200_000),
			[]string{"lijst.csv heeft 200.000 kolommen op rij 1; Traject leest er hoogstens 1.000"}},
		{"column names too long", "lijst.csv", testfile.LongHeaderCSV(1000, 300),
			[]string{"lijst.csv, rij 1, kolom 1: een kolomnaam van 300 tekens; Traject leest kolomnamen van hoogstens 200 tekens"}},
		{"a cell too long", "lijst.csv", testfile.LongCellCSV(40_000),
			[]string{"lijst.csv, rij 2, kolom 3: een cel van 40.000 tekens; Traject leest hoogstens 32.767 tekens per cel"}},
	}
}

// TestAssistantRefusesHostileFiles: the assistant refuses each hostile file
// at the upload, with the limit it breaks, keeping nothing; a stored upload
// that breaks one is refused on every view. Neither costs more than
// maxRefusalAlloc.
func TestAssistantRefusesHostileFiles(t *testing.T) {
	// Not parallel: allocated measures the whole process, so another
	// test running beside this one would count against its budget.
	for _, h := range hostileFiles() {
		t.Run(h.name, func(t *testing.T) {
			a := servertest.New(t)
			c := a.As("coordinator")
			var r *httptest.ResponseRecorder
			n := allocated(func() { r = c.Upload("/imports/assistant", h.file, h.data) })
			wantSays(t, "upload", r, http.StatusUnprocessableEntity, h.want...)
			wantFewAllocs(t, "the upload", n)

			page := pending(t, a, "k1", h.file, h.data)
			n = allocated(func() { r = c.Get(page) })
			wantSays(t, "view", r, http.StatusUnprocessableEntity, h.want...)
			wantFewAllocs(t, "the view", n)
		})
	}
}

// TestAssistantLimitsInEnglish: the same refusal reads in English when the
// page is.
func TestAssistantLimitsInEnglish(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("coordinator")
	c.Lang = "en"
	r := c.Upload("/imports/assistant", "lijst.csv", testfile.WideCSV(2000))
	wantSays(t, "upload", r, http.StatusUnprocessableEntity, "lijst.csv has 2,000 columns on row 1; Traject reads at most 1,000")
}

// TestImportRefusesAWorkbookBomb: the import page refuses the bomb and a
// workbook of too many parts as well, by the same limits.
func TestImportRefusesAWorkbookBomb(t *testing.T) {
	// Not parallel: allocated measures the whole process, so another
	// test running beside this one would count against its budget.
	for _, h := range hostileFiles()[:2] {
		t.Run(h.name, func(t *testing.T) {
			a := servertest.New(t)
			c := a.As("admin")
			var r *httptest.ResponseRecorder
			n := allocated(func() { r = c.Upload("/imports", h.file, h.data) })
			wantSays(t, "upload", r, http.StatusUnprocessableEntity, h.want...)
			wantFewAllocs(t, "the upload", n)
		})
	}
}

// TestImportRefusesACellTooLong: a cell longer than a spreadsheet holds
// refuses the data set, naming its file, row and column.
func TestImportRefusesACellTooLong(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("admin")
	r := c.Upload("/imports", "data.zip", zipOf(t, map[string][]byte{"learners.csv": testfile.LongCellCSV(40_000)}))
	wantSays(t, "upload", r, http.StatusUnprocessableEntity,
		"learners.csv, rij 2, kolom 3: een cel van 40.000 tekens; Traject leest hoogstens 32.767 tekens per cel")
}

// TestImportPageSaysTheLimits: the import page says what an upload may be,
// from the same limits that refuse one.
func TestImportPageSaysTheLimits(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("coordinator")
	wantSays(t, "the page", c.Get("/imports"), http.StatusOK,
		"Hoogstens 50 MB, uitgepakt 200 MB; een zip met hoogstens 100 bestanden; per tabel hoogstens 1.000 kolommen en 3.000.000 rijen, en 32.767 tekens per cel.")
	c.Lang = "en"
	wantSays(t, "the page in English", c.Get("/imports"), http.StatusOK,
		"At most 50 MB, 200 MB unpacked; a zip with at most 100 files; in a table at most 1,000 columns and 3,000,000 rows, and 32,767 characters in a cell.")
}

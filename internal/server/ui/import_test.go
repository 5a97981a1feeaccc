package ui_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"github.com/traject-nt2/traject/internal/locale"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/importer"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/server/ui"
	"github.com/traject-nt2/traject/internal/testfile"
)

const testdata = "../../../testdata"

// leftovers lists what uploads left in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "traject-import-") {
			names = append(names, e.Name())
		}
	}
	return names
}

// learnerCount is how many learners the database holds.
func learnerCount(t *testing.T, a *servertest.App) int {
	t.Helper()
	stats, err := a.DB.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stats {
		if s.Entity == "learners" {
			return s.Rows
		}
	}
	return 0
}

// The good files of testdata: a dry run with the counts, then the import.
func TestUploadGoodFiles(t *testing.T) {
	conformance := zipDir(t, filepath.Join(testdata, "conformance"), "")
	workbook, err := os.ReadFile(filepath.Join(testdata, "xlsx", "conformance.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	// The messy files and the workbook hold the first version of the
	// example (566 rows); the example now has observations and surveys too.
	for _, tc := range []struct {
		name, file string
		data       []byte
		rows       string
	}{
		{"conformance zip", "conformance.zip", conformance, "1.013"},
		{"conformance zip in a folder", "map.zip", zipDir(t, filepath.Join(testdata, "conformance"), "conformance/"), "1.013"},
		{"messy zip", "messy.zip", zipDir(t, filepath.Join(testdata, "messy"), ""), "566"},
		{"workbook", "conformance.xlsx", workbook, "566"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := servertest.UploadsIn(t)
			a := servertest.New(t)
			c := a.As("admin")
			before := learnerCount(t, a)
			r := c.Upload("/imports", tc.file, tc.data)
			servertest.WantStatus(t, "upload", r, http.StatusOK)
			servertest.WantBody(t, "dry run", r, "is in orde", "Bevestigen", "learners.csv", ">"+tc.rows+"<")
			if n := learnerCount(t, a); n != before {
				t.Fatalf("the dry run stored learners: %d, was %d", n, before)
			}
			// The checked upload waits in the database, not in a folder of
			// this process: nothing is left behind.
			if left := leftovers(t, tmp); len(left) != 0 {
				t.Fatalf("the dry run left temporary folders: %v", left)
			}
			token := servertest.TokenOf(t, r.Body.String())
			r = c.Post("/imports/"+token+"/confirm", nil)
			servertest.WantStatus(t, "confirm", r, http.StatusOK)
			servertest.WantBody(t, "confirm", r, "is geïmporteerd", ">"+tc.rows+"<")
			if n := learnerCount(t, a); n <= before {
				t.Fatalf("the import stored no learners: %d", n)
			}
			if left := leftovers(t, tmp); len(left) != 0 {
				t.Fatalf("the import left its upload behind: %v", left)
			}
			// A second confirmation finds nothing; importing again changes nothing.
			servertest.WantStatus(t, "confirm twice", c.Post("/imports/"+token+"/confirm", nil), http.StatusGone)
			r = c.Upload("/imports", tc.file, tc.data)
			servertest.WantStatus(t, "again", r, http.StatusOK)
			servertest.WantBody(t, "again", r, `<td class="num">0</td><td class="num">0</td><td class="num">`+tc.rows+`</td>`)
		})
	}
}

// testdata/errors: every error in a table with its file, row and column,
// exactly as the importer gives them, and nothing stored.
func TestUploadErrorsShowsEveryError(t *testing.T) {
	tmp := servertest.UploadsIn(t)
	a := servertest.New(t)
	c := a.As("admin")
	before := learnerCount(t, a)
	want, err := importer.Path(context.Background(), a.DB, filepath.Join(testdata, "errors"), importer.Options{DryRun: true})
	if err != nil || want.OK() {
		t.Fatalf("importer on testdata/errors: %v, %d errors", err, len(want.Errors))
	}
	// The messages read in the page's language: Dutch, or English when chosen.
	upload := func(lang string) *httptest.ResponseRecorder {
		c.Lang = lang
		r := c.Upload("/imports", "errors.zip", zipDir(t, filepath.Join(testdata, "errors"), ""))
		servertest.WantStatus(t, "upload in "+lang, r, http.StatusUnprocessableEntity)
		body := html.UnescapeString(r.Body.String())
		for _, e := range want.Errors {
			// The column is named in the page's language, its code beside it.
			row := "<tr><td>" + e.Pos.File + `</td><td class="num">` + strconv.Itoa(e.Pos.Row) + "</td><td>"
			if e.Column != "" {
				row += locale.T(lang, "field."+e.Column) + " (<code>" + e.Column + "</code>)"
			}
			row += "</td><td>" + e.In(lang) + "</td></tr>"
			if !strings.Contains(body, row) {
				t.Errorf("the %s error table lacks %s", lang, e.In(lang))
			}
		}
		return r
	}
	dutch := 0
	for _, e := range want.Errors {
		if e.In("nl") != e.Message && e.In("en") == e.Message {
			dutch++
		}
	}
	if dutch != len(want.Errors) {
		t.Errorf("%d of %d messages have a Dutch text", dutch, len(want.Errors))
	}
	upload("en")
	r := upload("nl")
	body := html.UnescapeString(r.Body.String())
	if got := strings.Count(body, "<tr><td>"); got != len(want.Errors) {
		t.Errorf("the table has %d errors, want %d", got, len(want.Errors))
	}
	servertest.WantBody(t, "errors", r, "er is niets opgeslagen", "Verbeterd bestand opladen")
	if strings.Contains(body, "Bevestigen") {
		t.Error("a data set with errors can be confirmed")
	}
	if n := learnerCount(t, a); n != before {
		t.Fatalf("a data set with errors stored learners: %d, was %d", n, before)
	}
	if left := leftovers(t, tmp); len(left) != 0 {
		t.Fatalf("a refused upload was kept: %v", left)
	}
}

// lyingZip is a zip whose one entry says it unpacks to 100 bytes but holds
// a megabyte.
func lyingZip(t *testing.T) []byte {
	t.Helper()
	var raw bytes.Buffer
	zw := zip.NewWriter(&raw)
	content := bytes.Repeat([]byte("a,b\n"), 1<<18)
	hw, err := zw.CreateRaw(&zip.FileHeader{Name: "learners.csv", Method: zip.Store, CRC32: 0,
		CompressedSize64: uint64(len(content)), UncompressedSize64: 100})
	if err != nil {
		t.Fatal(err)
	}
	hw.Write(content)
	zw.Close()
	return raw.Bytes()
}

// A PNG named .xlsx, zips without data, bombs, oversized files and names
// that climb out of the folder: each refused with a message that says why,
// nothing stored and nothing left behind.
func TestUploadBadFiles(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	csvs := zipDir(t, filepath.Join(testdata, "conformance"), "")
	learners, err := os.ReadFile(filepath.Join(testdata, "conformance", "learners.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, file string
		data       []byte
		status     int
		want       string
	}{
		{"no file", "", nil, http.StatusUnprocessableEntity, "Kies een bestand"},
		{"a CSV file", "learners.csv", learners, http.StatusUnprocessableEntity, "is geen .zip of .xlsx"},
		{"a PNG named .xlsx", "foto.xlsx", png, http.StatusUnprocessableEntity, "is geen Excel-werkboek: de inhoud is van het type image/png"},
		{"a PNG named .zip", "foto.zip", png, http.StatusUnprocessableEntity, "is geen zip-bestand: de inhoud is van het type image/png"},
		{"text named .xlsx", "data.xlsx", []byte("id,first_name\nL1,Ann\n"), http.StatusUnprocessableEntity, "de inhoud is van het type text/plain"},
		{"a zip of CSV files named .xlsx", "data.xlsx", csvs, http.StatusUnprocessableEntity, "is een zip-archief, maar geen Excel-werkboek"},
		{"a workbook named .zip", "data.zip", mustRead(t, filepath.Join(testdata, "xlsx", "conformance.xlsx")), http.StatusUnprocessableEntity, "met de extensie .zip"},
		{"a zip with no CSV files", "leeg.zip", zipOf(t, map[string][]byte{"readme.txt": []byte("hallo"), "foto.png": png}), http.StatusUnprocessableEntity, "bevat geen CSV-bestand van het uitwisselingsformaat"},
		{"a zip with other CSV files only", "andere.zip", zipOf(t, map[string][]byte{"export.csv": []byte("a,b\n1,2\n")}), http.StatusUnprocessableEntity, "bevat geen CSV-bestand van het uitwisselingsformaat"},
		{"CSV files in two folders", "twee.zip", zipOf(t, map[string][]byte{"a/learners.csv": learners, "b/referrals.csv": []byte("learner,date,source,provider\n")}), http.StatusUnprocessableEntity, "in 2 verschillende mappen"},
		{"path traversal", "klim.zip", zipOf(t, map[string][]byte{"../../learners.csv": learners}), http.StatusUnprocessableEntity, "buiten de map wijzen"},
		{"an absolute path", "abs.zip", zipOf(t, map[string][]byte{"/etc/learners.csv": learners}), http.StatusUnprocessableEntity, "buiten de map wijzen"},
		{"a hidden climb", "klim2.zip", zipOf(t, map[string][]byte{"data/../../learners.csv": learners}), http.StatusUnprocessableEntity, "buiten de map wijzen"},
		{"a zip bomb", "bom.zip", testfile.ZipBomb("learners.csv", 210<<20), http.StatusUnprocessableEntity, "bom.zip is uitgepakt 210 MB groot; Traject leest hoogstens 200 MB uitgepakt"},
		{"a zip lying about its size", "lieg.zip", lyingZip(t), http.StatusUnprocessableEntity, "beschadigd zip-bestand"},
		{"too many files", "veel.zip", manyFiles(t, 101), http.StatusUnprocessableEntity, "veel.zip bevat 101 bestanden; Traject leest een zip van hoogstens 100 bestanden"},
		{"a damaged zip", "kapot.zip", csvs[:len(csvs)/2], http.StatusUnprocessableEntity, "beschadigd zip-bestand"},
		{"a damaged workbook", "kapot.xlsx", mustRead(t, filepath.Join(testdata, "xlsx", "conformance.xlsx"))[:5000], http.StatusUnprocessableEntity, "is beschadigd"},
		{"over 50 MB", "groot.zip", bytes.Repeat([]byte("x"), 51<<20), http.StatusRequestEntityTooLarge, "Het bestand is te groot: hoogstens 50 MB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := servertest.UploadsIn(t)
			a := servertest.New(t)
			c := a.As("admin")
			before := learnerCount(t, a)
			r := c.Upload("/imports", tc.file, tc.data)
			servertest.WantStatus(t, tc.name, r, tc.status)
			if body := html.UnescapeString(r.Body.String()); !strings.Contains(body, tc.want) {
				t.Errorf("the page lacks %q:\n%s", tc.want, servertest.Excerpt(body))
			}
			if strings.Contains(r.Body.String(), tmp) {
				t.Error("the page names the server's temporary folder")
			}
			if n := learnerCount(t, a); n != before {
				t.Fatalf("a refused upload stored learners")
			}
			if left := leftovers(t, tmp); len(left) != 0 {
				t.Fatalf("a refused upload was kept: %v", left)
			}
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// manyFiles is a zip of n small files, one of them learners.csv.
func manyFiles(t *testing.T, n int) []byte {
	files := map[string][]byte{"learners.csv": []byte("id\n")}
	for i := 1; i < n; i++ {
		files["f"+strconv.Itoa(i)+".txt"] = []byte("x")
	}
	return zipOf(t, files)
}

// A coordinator imports the data of their own provider only: rows about
// other providers are refused one by one; their own go in.
func TestUploadCoordinatorScope(t *testing.T) {
	servertest.UploadsIn(t)
	a := servertest.New(t)
	c := a.As("coordinator") // P1
	other := servertest.WorkbookOf(t, map[string][][]string{
		"providers": {{"code", "name", "type"}, {"P1", "CVO Een", "cvo"}, {"P2", "CBE Twee (nieuw)", "cbe"}},
		"modules": {{"code", "provider", "name", "programme", "entry_level", "target_level", "skills", "nominal_hours"},
			{"M2", "P1", "Gekaapt", "NT2", "A0", "A1", "listening", "10"}, {"M9", "P2", "Nieuw", "NT2", "A0", "A1", "listening", "10"}},
		"goals": {{"code", "module", "skill", "level", "description", "source"}, {"ALG-1", "", "reading", "A1", "Leest", "framework"},
			{"M2-L1", "M1", "listening", "A1", "Verstaat", "provider"}},
		"groups": {{"code", "module", "start_date", "end_date", "planned_hours", "teacher", "intensity"},
			{"G2", "M1", "2026-01-05", "2026-06-26", "120", "t1", "standard"}, {"G9", "M2", "2026-01-05", "2026-06-26", "240", "", "standard"}},
		"learners": {{"id", "first_name", "last_name", "birth_date", "gender", "schooling_level", "literacy", "learning_route",
			"civic_status", "perspective"}, {"L-VREEMD", "Vera", "Vreemd", "1990-01-01", "f", "upper_secondary", "literate_latin", "standard", "obliged", "work"}},
		"referrals":   {{"learner", "date", "source", "provider"}, {"L-AERTS", "2026-03-01", "vdab", "P2"}, {"L-AERTS", "2026-03-02", "vdab", ""}},
		"enrollments": {{"learner", "group", "start_date", "status", "hours_attended"}, {"L-ZEGERS", "G2", "2026-01-05", "active", "3"}},
		"outflows":    {{"learner", "date", "type", "provider"}, {"L-ZEGERS", "2026-03-01", "qualified", ""}},
		"followups":   {{"learner", "date", "status"}, {"L-XHONNEUX", "2026-03-01", "work"}},
	})
	r := c.Upload("/imports", "andere.xlsx", other)
	servertest.WantStatus(t, "other providers' data", r, http.StatusUnprocessableEntity)
	body := html.UnescapeString(r.Body.String())
	for _, want := range []string{
		`<td>providers (blad)</td><td class="num">3</td><td>code (<code>code</code>)</td><td>aanbieder "P2" is niet een van jouw aanbieders (P1)</td>`,
		`<td>modules (blad)</td><td class="num">2</td><td>code (<code>code</code>)</td><td>module "M2" bestaat al bij een andere aanbieder</td>`,
		`<td>modules (blad)</td><td class="num">3</td><td>aanbieder (<code>provider</code>)</td><td>aanbieder "P2" is niet een van jouw aanbieders (P1)</td>`,
		`<td>goals (blad)</td><td class="num">2</td><td>module (<code>module</code>)</td><td>een doel zonder module geldt voor alle aanbieders`,
		`<td>goals (blad)</td><td class="num">3</td><td>code (<code>code</code>)</td><td>doel "M2-L1" hoort bij een module van een andere aanbieder</td>`,
		`<td>groups (blad)</td><td class="num">2</td><td>code (<code>code</code>)</td><td>groep "G2" bestaat al bij een andere aanbieder</td>`,
		`<td>groups (blad)</td><td class="num">3</td><td>module (<code>module</code>)</td><td>module "M2" is van een andere aanbieder</td>`,
		`<td>referrals (blad)</td><td class="num">2</td><td>aanbieder (<code>provider</code>)</td><td>aanbieder "P2" is niet een van jouw aanbieders (P1)</td>`,
		`<td>referrals (blad)</td><td class="num">3</td><td>aanbieder (<code>provider</code>)</td><td>vul een van jouw aanbieders in (P1)</td>`,
		`<td>enrollments (blad)</td><td class="num">2</td><td>groep (<code>group</code>)</td><td>groep "G2" is van een andere aanbieder</td>`,
		`<td>outflows (blad)</td><td class="num">2</td><td>lerende (<code>learner</code>)</td><td>lerende "L-ZEGERS" is niet een van jouw lerenden`,
		`<td>followups (blad)</td><td class="num">2</td><td>lerende (<code>learner</code>)</td><td>lerende "L-XHONNEUX" is niet een van jouw lerenden`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the error table lacks %s", want)
		}
	}
	// The same file is an admin's to import.
	adm := a.As("admin").Upload("/imports", "andere.xlsx", other)
	if strings.Contains(html.UnescapeString(adm.Body.String()), "jouw aanbieders") {
		t.Errorf("an admin's import is held to a coordinator's providers:\n%s", servertest.Excerpt(adm.Body.String()))
	}

	// Their own: a new learner referred to P1.
	r = c.Upload("/imports", "nieuw.xlsx", servertest.NewLearnerWorkbook(t, "P1", "1991-05-05"))
	servertest.WantStatus(t, "own data", r, http.StatusOK)
	token := servertest.TokenOf(t, r.Body.String())
	// Only the one who uploaded it confirms it.
	servertest.WantStatus(t, "someone else confirms", a.As("admin").Post("/imports/"+token+"/confirm", nil), http.StatusGone)
	r = c.Post("/imports/"+token+"/confirm", nil)
	servertest.WantStatus(t, "confirm", r, http.StatusOK)
	if _, err := a.DB.FindLearnerFacts(context.Background(), "L-NIEUW"); err != nil {
		t.Fatalf("the confirmed import is not stored: %v", err)
	}
	trail, err := a.DB.ListAuditOf(context.Background(), "imports", 5)
	if err != nil || len(trail) != 1 || trail[0].Username != "k1" {
		t.Fatalf("audit of the import: %v %+v", err, trail)
	}
	// Now linked to P1, the learner's own rows are the coordinator's to change.
	r = c.Upload("/imports", "nieuw.xlsx", servertest.NewLearnerWorkbook(t, "P1", "1991-05-06"))
	servertest.WantStatus(t, "update own learner", r, http.StatusOK)
}

// storedRecords is every record the database holds, a line each, sorted:
// the backends read rows in no particular order.
func storedRecords(t *testing.T, a *servertest.App) []string {
	t.Helper()
	ds, err := a.DB.LoadDataSet(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	v := reflect.ValueOf(*ds)
	for i := range v.NumField() {
		for j := range v.Field(i).Len() {
			b, err := json.Marshal(v.Field(i).Index(j).Interface())
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v.Type().Field(i).Name+" "+string(b))
		}
	}
	slices.Sort(out)
	return out
}

// A coordinator cannot claim another provider's learner through an upload
// (issue 18, findings 1 and 2): a referral, an observation in that
// provider's group, or a learners.csv row beside a referral of their own,
// naming L-ZEGERS (P2's) as P1's coordinator, is refused and stores
// nothing; and the page answers a row naming L-ZEGERS exactly as it answers
// one naming a number that exists nowhere.
func TestUploadCannotClaimAnotherProvidersLearner(t *testing.T) {
	servertest.UploadsIn(t)
	a := servertest.New(t)
	c := a.As("coordinator") // P1
	before := storedRecords(t, a)
	learnerRow := []string{"id", "first_name", "last_name", "birth_date", "gender", "schooling_level", "literacy", "learning_route",
		"civic_status", "perspective", "counsellor"}
	for _, tc := range []struct {
		name   string
		sheets func(id string) map[string][][]string
	}{
		{"referral", func(id string) map[string][][]string {
			return map[string][][]string{"referrals": {{"learner", "date", "source", "provider"}, {id, "2026-03-01", "self", "P1"}}}
		}},
		{"observation in P2's group", func(id string) map[string][][]string {
			return map[string][][]string{"observations": {{"learner", "group", "date", "wellbeing"}, {id, "G2", "2026-02-02", "3"}}}
		}},
		{"learner row with a referral", func(id string) map[string][][]string {
			return map[string][][]string{
				"learners":  {learnerRow, {id, "Gekaapt", "Overgenomen", "1970-01-01", "f", "primary", "literate_latin", "standard", "obliged", "work", "c1"}},
				"referrals": {{"learner", "date", "source", "provider"}, {id, "2026-03-01", "self", "P1"}}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			answer := func(id string) string {
				r := c.Upload("/imports", "claim.xlsx", servertest.WorkbookOf(t, tc.sheets(id)))
				servertest.WantStatus(t, "upload naming "+id, r, http.StatusUnprocessableEntity)
				body := r.Body.String()
				if strings.Contains(body, `id="import-counts"`) || strings.Contains(body, `/confirm"`) {
					t.Errorf("the refused upload naming %s shows counts or can be confirmed:\n%s", id, servertest.Excerpt(body))
				}
				i, j := strings.Index(body, `<table class="list import-errors">`), strings.Index(body, `</table>`)
				if i < 0 || j < i {
					t.Fatalf("no error table for %s:\n%s", id, servertest.Excerpt(body))
				}
				return strings.ReplaceAll(body[i:j], id, "X")
			}
			other := answer("L-ZEGERS")
			if tc.name == "learner row with a referral" {
				if !strings.Contains(other, "is al in gebruik") || strings.Contains(other, "P2") || strings.Contains(other, "Zegers") {
					t.Errorf("the learner row's message is not the one of a taken number, or tells more:\n%s", other)
				}
			} else if nowhere := answer("L-NERGENS"); other != nowhere {
				t.Errorf("the page tells that L-ZEGERS exists:\nL-ZEGERS:\n%s\nL-NERGENS:\n%s", other, nowhere)
			}
			if after := storedRecords(t, a); !slices.Equal(after, before) {
				t.Fatal("a refused upload changed the database")
			}
		})
	}
}

// An upload waits ui.PendingTTL for its confirmation, one per user; cancelling
// lets go of it.
func TestUploadExpiresAndCancels(t *testing.T) {
	tmp := servertest.UploadsIn(t)
	now := servertest.Now
	a := servertest.New(t).WithClock(&now)
	c := a.As("coordinator")
	data := servertest.NewLearnerWorkbook(t, "P1", "1991-05-05")
	first := servertest.TokenOf(t, c.Upload("/imports", "a.xlsx", data).Body.String())
	second := servertest.TokenOf(t, c.Upload("/imports", "b.xlsx", data).Body.String())
	if left := leftovers(t, tmp); len(left) != 0 {
		t.Fatalf("uploads left temporary folders: %v", left)
	}
	// One upload waits per user: the second replaced the first.
	servertest.WantStatus(t, "confirm the replaced upload", c.Post("/imports/"+first+"/confirm", nil), http.StatusGone)
	now = now.Add(ui.PendingTTL + time.Second)
	r := c.Post("/imports/"+second+"/confirm", nil)
	servertest.WantStatus(t, "confirm after expiry", r, http.StatusGone)
	servertest.WantBody(t, "expired", r, "verlopen")
	if left := leftovers(t, tmp); len(left) != 0 {
		t.Fatalf("an expired upload was kept: %v", left)
	}
	if learnerCount(t, a) != 6 {
		t.Fatal("an expired upload was imported")
	}
	third := servertest.TokenOf(t, c.Upload("/imports", "c.xlsx", data).Body.String())
	r = c.Post("/imports/"+third+"/cancel", nil)
	servertest.WantStatus(t, "cancel", r, http.StatusSeeOther)
	if loc := r.Header().Get("Location"); loc != "/imports?cancelled=1" {
		t.Errorf("after cancelling: Location %q", loc)
	}
	servertest.WantBody(t, "cancelled", c.Get("/imports?cancelled=1"), "geannuleerd")
	if left := leftovers(t, tmp); len(left) != 0 {
		t.Fatalf("a cancelled upload was kept: %v", left)
	}
	servertest.WantStatus(t, "confirm a cancelled upload", c.Post("/imports/"+third+"/confirm", nil), http.StatusGone)
}

// The upload needs the session's CSRF token like every form.
func TestUploadNeedsCSRF(t *testing.T) {
	servertest.UploadsIn(t)
	a := servertest.New(t)
	c := a.As("admin")
	c.CSRF = "wrong"
	r := c.Upload("/imports", "nieuw.xlsx", servertest.NewLearnerWorkbook(t, "P1", "1991-05-05"))
	servertest.WantStatus(t, "bad token", r, http.StatusForbidden)
	c = a.As("admin")
	r = c.Post("/imports/x/confirm", url.Values{"csrf": {""}})
	servertest.WantStatus(t, "confirm without token", r, http.StatusForbidden)
}

package interchange

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/domain"
)

const profileDir = "../../testdata/profiles/centrum"

func readTestProfile(t *testing.T) *Profile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(profileDir, "profile.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseProfile(b, "profile.json")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestProfileReadsLikeTheInterchangeFormat reads the centre software's
// export (title rows, semicolons and a byte-order mark, three date formats,
// value mappings, constants, one file feeding learners and referrals) with
// its profile, and the same data in the interchange format: the records are
// the same.
func TestProfileReadsLikeTheInterchangeFormat(t *testing.T) {
	p := readTestProfile(t)
	got, errs, err := ReadProfile(filepath.Join(profileDir, "export"), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) > 0 {
		t.Fatalf("errors reading the export: %v", errs)
	}
	wantTwin(t, got.DataSet, profileDir)
	// Row numbers stay the file's own: the referral of P26003 is on line 6
	// of Aanmeldingen-2026-03.csv, under two title lines and the header.
	if pos := got.Pos["referrals"][2]; pos.File != "Aanmeldingen-2026-03.csv" || pos.Row != 6 {
		t.Errorf("third referral at %v, want Aanmeldingen-2026-03.csv:6", pos)
	}
}

// TestProfileErrorsNameTheFilesOwnColumns: every bad value is reported with
// the file's row and its own column header.
func TestProfileErrorsNameTheFilesOwnColumns(t *testing.T) {
	p := readTestProfile(t)
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Cursisten-2026-04.csv", "Stamnummer;Voornaam;Familienaam;Geboortedatum;Geslacht (M/V);Thuistaal;Geboorteland;Scholing;Jaren onderwijs;Alfabetisering;Leerroute;Inburgering;Trajectbegeleider;Ingeschreven op\n"+
		"P26004;Sara;Ali;31/2/1991;O;Somali;SO;Lager;4;Latijns;Standaard;Verplicht;;1/4/2026\n")
	write("Aanmeldingen-2026-04.csv", "Titel\n\nDossiernummer,Datum aanmelding,Doorverwezen door,Aanbieder\nP26004,2026-04-01,Buurvrouw,CVO-A\n")
	write("Evaluaties-2026-04.csv", "Titel\nStamnummer,Toetsdatum,Luisteren,Lezen,Gesprekken,Spreken,Schrijven,Afgenomen door\nP26004,02/04/2026,B9,A1,A1,A1,A1,\n")
	_, errs, err := ReadProfile(dir, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		`Aanmeldingen-2026-04.csv:4: Datum aanmelding: "2026-04-01" is not a date in the form DD.MM.YYYY`,
		`Aanmeldingen-2026-04.csv:4: Doorverwezen door:`,
		`Cursisten-2026-04.csv:2: Geboortedatum: "31/2/1991" is not a date in the form D/M/YYYY`,
		`Cursisten-2026-04.csv:2: Geslacht (M/V):`,
		`Evaluaties-2026-04.csv:3: Luisteren:`,
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			if strings.HasPrefix(g, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no error %q in\n%s", w, strings.Join(got, "\n"))
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d errors, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
}

// TestProfileFilesMustMatch: a file that no entry reads, and an entry that
// reads no file, stop the import before anything is read.
func TestProfileFilesMustMatch(t *testing.T) {
	p := readTestProfile(t)
	dir := t.TempDir()
	for _, name := range []string{"Cursisten.csv", "Aanmeldingen.csv", "Onbekend.csv"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := ReadProfile(dir, p, nil)
	if err == nil || !strings.Contains(err.Error(), "reads Onbekend.csv") || !strings.Contains(err.Error(), `files[3] (match "Evaluaties*.csv") matches nothing`) {
		t.Fatalf("error %v: want the unmatched file and the unused entry named", err)
	}
}

func TestParseProfileRefusesInvalidProfiles(t *testing.T) {
	valid := `{"name": "p", "files": [{"match": "a*.csv", "entity": "learners", "columns": {"id": "Nr"}}]}`
	if _, err := ParseProfile([]byte(valid), "p.json"); err != nil {
		t.Fatalf("a valid profile is refused: %v", err)
	}
	for _, tc := range []struct{ name, json, want string }{
		{"bad JSON", `{"name": "p", "files": [}`, `p.json: line 1, column 25: invalid character '}'`},
		{"empty", ``, `p.json: empty`},
		{"wrong type", `{"name": "p", "files": [{"match": "a", "entity": "learners", "skip_rows": "2"}]}`, `files.skip_rows should be int, not string`},
		{"unknown key", `{"name": "p", "files": [{"match": "a", "entity": "learners", "colums": {}}]}`, `unknown field "colums"`},
		{"no name", `{"files": [{"match": "a", "entity": "learners"}]}`, `name: a profile needs a name`},
		{"no files", `{"name": "p", "files": []}`, `files: a profile needs at least one entry`},
		{"no match", `{"name": "p", "files": [{"entity": "learners"}]}`, `files[0].match: a file name or pattern is required`},
		{"bad glob", `{"name": "p", "files": [{"match": "a[", "entity": "learners"}]}`, `files[0].match: "a[" is not a pattern`},
		{"unknown entity", `{"name": "p", "files": [{"match": "a", "entity": "cursisten"}]}`, `files[0].entity: unknown entity "cursisten" (providers, modules`},
		{"unknown field", `{"name": "p", "files": [{"match": "a", "entity": "learners", "columns": {"stamnr": "Nr"}}]}`, `files[0].columns: unknown field "stamnr" of learners (id, first_name`},
		{"unknown constant field", `{"name": "p", "files": [{"match": "a", "entity": "learners", "constants": {"x": "1"}}]}`, `files[0].constants: unknown field "x"`},
		{"unknown value field", `{"name": "p", "files": [{"match": "a", "entity": "learners", "values": {"sex": {"M": "m"}}}]}`, `files[0].values: unknown field "sex"`},
		{"mapped and constant", `{"name": "p", "files": [{"match": "a", "entity": "learners", "columns": {"gender": "G"}, "constants": {"gender": "f"}}]}`, `files[0].constants.gender: the field is mapped to column "G" as well`},
		{"one column twice", `{"name": "p", "files": [{"match": "a", "entity": "learners", "columns": {"first_name": "Naam", "last_name": " naam"}}]}`, `files[0].columns.last_name: column " naam" is read for first_name already`},
		{"empty header", `{"name": "p", "files": [{"match": "a", "entity": "learners", "columns": {"id": " "}}]}`, `files[0].columns.id: the column header is empty`},
		{"date format", `{"name": "p", "files": [{"match": "a", "entity": "learners", "date_format": "DD/MM/YY"}]}`, `files[0].date_format: unknown date format "DD/MM/YY" (YYYY-MM-DD, DD/MM/YYYY`},
		{"skip rows", `{"name": "p", "files": [{"match": "a", "entity": "learners", "skip_rows": -1}]}`, `files[0].skip_rows: -1 is not a number of rows`},
		{"same value twice", `{"name": "p", "files": [{"match": "a", "entity": "learners", "values": {"gender": {"V": "f", " v": "f"}}}]}`, `files[0].values.gender: " v" and "V" are the same value`},
		{"the place of a field in a later entry", `{"name": "p", "files": [{"match": "a*", "entity": "referrals"}, {"match": "b*", "entity": "learners", "columns": {"stamnr": "Stamnummer"}}]}`,
			`p.json: files[1].columns: unknown field "stamnr" of learners (id, first_name, last_name, birth_date, gender, home_language, country_of_birth, schooling_level, schooling_years, literacy, learning_route, civic_status, perspective, counsellor)`},
		{"no files key", `{"name": "p"}`, `p.json: files: a profile needs at least one entry`},
		{"not an object", `[]`, `p.json: line 1, column 1: a profile is a JSON object with name and files, not array`},
		{"two documents", `{"name": "p", "files": [{"match": "a", "entity": "learners"}]} {}`, `p.json: more than one JSON document`},
		{"trailing escape", `{"name": "p", "files": [{"match": "a\\", "entity": "learners"}]}`, `files[0].match: "a\\" is not a pattern`},
		{"every problem at once", `{"name": "p", "files": [{"match": "a", "entity": "learners", "date_format": "YYYYMMDD", "constants": {"geslacht": "f"}}]}`,
			`p.json: files[0].date_format: unknown date format "YYYYMMDD" (YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY, D/M/YYYY, MM/DD/YYYY); files[0].constants: unknown field "geslacht"`},
		{"second entry", `{"name": "p", "files": [{"match": "a", "entity": "learners"}, {"match": "b", "entity": "nope"}]}`, `files[1].entity: unknown entity "nope"`},
	} {
		_, err := ParseProfile([]byte(tc.json), "p.json")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}

func TestDateFormats(t *testing.T) {
	for _, tc := range []struct {
		format, in, want string
	}{
		{"YYYY-MM-DD", "2026-03-01", "2026-03-01"}, {"YYYY-MM-DD", "2026-3-1", ""},
		{"DD/MM/YYYY", "01/03/2026", "2026-03-01"}, {"DD/MM/YYYY", "1/3/2026", ""},
		{"DD-MM-YYYY", "01-03-2026", "2026-03-01"}, {"DD.MM.YYYY", "29.02.2024", "2024-02-29"},
		{"DD.MM.YYYY", "29.02.2025", ""}, {"D/M/YYYY", "1/3/2026", "2026-03-01"}, {"D/M/YYYY", "01/03/2026", "2026-03-01"},
		{"D/M/YYYY", "1/3/26", ""}, {"MM/DD/YYYY", "03/01/2026", "2026-03-01"}, {"MM/DD/YYYY", "13/01/2026", ""},
		{"DD.MM.YYYY", "01.03.2026 ", ""}, {"DD.MM.YYYY", "", ""},
	} {
		d, ok := parseDateFormat(tc.in, tc.format)
		got := ""
		if ok {
			got = d.String()
		}
		if got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.format, tc.in, got, tc.want)
		}
	}
}

// TestShippedProfiles reads each example of testdata/profiles with its
// profile — a learner list with Dutch headers and M/V, an agency's referral
// list under a title row with DD.MM.YYYY, and an evaluation workbook with a
// column per skill, "niet getest" and real date cells beside a typed date —
// and finds the records of its interchange twin.
func TestShippedProfiles(t *testing.T) {
	for _, tc := range []struct{ dir, input string }{
		{"cursisten", "export"},
		{"aanmeldingen", "export"},
		{"evaluatieblad", "export/Evaluatieblad-2026-03.xlsx"},
		{"centrum", "export"},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			dir := filepath.Join("../../testdata/profiles", tc.dir)
			b, err := os.ReadFile(filepath.Join(dir, "profile.json"))
			if err != nil {
				t.Fatal(err)
			}
			p, err := ParseProfile(b, "profile.json")
			if err != nil {
				t.Fatal(err)
			}
			got, errs, err := ReadProfile(filepath.Join(dir, tc.input), p, nil)
			if err != nil || len(errs) > 0 {
				t.Fatalf("reading with the profile: %v %v", err, errs)
			}
			wantTwin(t, got.DataSet, dir)
		})
	}
}

// TestProfileErrorsInWorkbookAndZip: in a workbook read with a profile,
// errors are numbered as the sheet shows its rows (title rows included)
// and name the sheet's own headers; a text date must be in the profile's
// format while a date cell is a date whatever its display; and a .zip is
// read as its folder would be.
func TestProfileErrorsInWorkbookAndZip(t *testing.T) {
	b, err := os.ReadFile("../../testdata/profiles/evaluatieblad/profile.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseProfile(b, "profile.json")
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	sheet := "Toetsen april"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for r, row := range [][]any{
		{"Evaluatieblad april"},
		{},
		{"Stamnummer", "Toetsdatum", "Luisteren", "Lezen", "Gesprekken", "Spreken", "Schrijven", "Afgenomen door"},
		{"P26101", time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC), "A1.2", "niet getest", "A1", "A1", "A1"},
		{"P26102", "2026-04-02", "A1", "A1", "A1", "A1", "A1"},
		{"P26103", "02/04/2026", "A1", "B9", "A1", "niet getest", "X"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "Evaluatieblad-2026-04.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	batch, errs, err := ReadProfile(path, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantErrors(t, errs,
		`Toetsen april!5: Toetsdatum: "2026-04-02" is not a date in the form DD/MM/YYYY`,
		`Toetsen april!6: Lezen: "B9" is not a CEFR level`,
		`Toetsen april!6: Schrijven: "X" is not a CEFR level`)
	if got := batch.DataSet.Evaluations[0].Date.String(); got != "2026-04-02" {
		t.Errorf("the date cell reads %s, want 2026-04-02", got)
	}

	// The learner list of testdata/profiles/cursisten in a .zip, with a
	// gender the profile does not map.
	cb, err := os.ReadFile("../../testdata/profiles/cursisten/profile.json")
	if err != nil {
		t.Fatal(err)
	}
	cp, err := ParseProfile(cb, "profile.json")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../testdata/profiles/cursisten/export/Cursistenlijst 2026-03.csv")
	if err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(t.TempDir(), "export.zip")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("maart/Cursistenlijst 2026-03.csv")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(bytes.Replace(data, []byte(";m;Turks"), []byte(";O;Turks"), 1))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(zipPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, err = ReadProfile(zipPath, cp, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantErrors(t, errs, `Cursistenlijst 2026-03.csv:3: Geslacht (M/V): "O" is not a gender (f, m, x)`)
}

// wantErrors checks that errs are exactly the errors that begin with want,
// in order.
func wantErrors(t *testing.T, errs []RowError, want ...string) {
	t.Helper()
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.HasPrefix(got[i], want[i])
	}
	if !ok {
		t.Errorf("errors:\n%s\nwant (each a prefix):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestProfileReadsUnmappedFieldsByTheirOwnName: a field the profile does
// not map is read from a column of its own name; a column named after a
// field that the profile sets as a constant, or reads from another column,
// is left out; other columns are ignored.
func TestProfileReadsUnmappedFieldsByTheirOwnName(t *testing.T) {
	p, err := ParseProfile([]byte(`{"name": "p", "files": [{"match": "lijst.csv", "entity": "learners",
		"columns": {"id": "Nr", "birth_date": "Geboren"},
		"constants": {"gender": "x", "schooling_level": "unknown", "literacy": "unknown", "learning_route": "standard",
			"civic_status": "none", "perspective": "unknown"}}]}`), "p.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	text := "Nr,first_name,LAST_NAME ,Geboren,birth_date,gender,Opmerking\nP1,Amal,Haddad,1990-07-03,not a date,V,belt liever\n"
	if err := os.WriteFile(filepath.Join(dir, "lijst.csv"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	b, errs, err := ReadProfile(dir, p, nil)
	if err != nil || len(errs) > 0 {
		t.Fatalf("%v %v", err, errs)
	}
	l := b.DataSet.Learners
	if len(l) != 1 || l[0].ID != "P1" || l[0].FirstName != "Amal" || l[0].LastName != "Haddad" || l[0].BirthDate.String() != "1990-07-03" || l[0].Gender != "x" {
		t.Fatalf("learners %+v, want P1 Amal Haddad 1990-07-03 x", l)
	}
}

// wantTwin fails the test unless ds holds the records of the interchange
// twin in dir/twin: what a profile reads is what the plain format says.
func wantTwin(t *testing.T, ds domain.DataSet, dir string) {
	t.Helper()
	want, errs, err := ReadDir(filepath.Join(dir, "twin"), nil)
	if err != nil || len(errs) > 0 {
		t.Fatalf("twin: %v %v", err, errs)
	}
	if !reflect.DeepEqual(ds, want.DataSet) {
		g, _ := json.MarshalIndent(ds, "", " ")
		w, _ := json.MarshalIndent(want.DataSet, "", " ")
		t.Fatalf("records differ:\n%s\nwant\n%s", g, w)
	}
}

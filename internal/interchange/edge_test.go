package interchange

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/domain"
)

// writeFiles writes name -> content into a new temporary folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// report reads path and validates it, returning the merged report.
func report(t *testing.T, path string, known *Known) (*Batch, []string) {
	t.Helper()
	b, readErrs, err := Read(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	all := append(readErrs, Validate(b, known)...)
	SortErrors(all)
	var out []string
	for _, e := range all {
		out = append(out, e.Error())
	}
	return b, out
}

func wantReport(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("report:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

const providersCSV = "code,name,type\nCVO-A,CVO A,cvo\n"

func TestHeader(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"providers.csv": providersCSV,
		// Optional columns left out, names in odd case with spaces, an
		// unknown column and a duplicate one.
		"learners.csv": " ID ;First_Name;LAST_NAME;birth_date;gender;schooling_level;literacy;learning_route;civic_status;perspective;Colour;Gender\n" +
			"L1;Amina;El Idrissi;01/05/1990;F;primary;literate_latin;standard;obliged;work;blue;f\n",
	})
	b, got := report(t, dir, nil)
	wantReport(t, got, []string{
		"learners.csv:1: Colour: unknown column (learners has id, first_name, last_name, birth_date, gender, home_language, country_of_birth, schooling_level, schooling_years, literacy, learning_route, civic_status, perspective, counsellor)",
		"learners.csv:1: Gender: the column appears twice (columns 5 and 12)",
	})
	want := domain.Learner{ID: "L1", FirstName: "Amina", LastName: "El Idrissi", BirthDate: domain.MustDate("1990-05-01"),
		Gender: "f", SchoolingLevel: "primary", Literacy: "literate_latin", LearningRoute: "standard",
		CivicStatus: "obliged", Perspective: "work"}
	if len(b.Learners) != 1 || !reflect.DeepEqual(b.Learners[0], want) {
		t.Errorf("learners %+v, want [%+v]", b.Learners, want)
	}
}

func TestHeaderMissingColumns(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"followups.csv": "learner,date\nL1,2025-01-01\nL2,2025-01-02\n",
		"referrals.csv": "\n\nlearner,date,source\nL1,2025-01-01,self\n", // the header is the first row that is not blank
		"outflows.csv":  "",
	})
	b, got := report(t, dir, &Known{Learners: map[string]domain.Date{"L1": domain.MustDate("1990-01-01"), "L2": domain.MustDate("1990-01-01")}})
	if p := b.Pos["referrals"][0]; p.Row != 4 {
		t.Errorf("referral at %v, want row 4", p)
	}
	wantReport(t, got, []string{
		"outflows.csv:1: no header row (the first row names the columns)",
		"followups.csv:1: status: required column is missing",
	})
}

func TestFieldErrors(t *testing.T) {
	header := "id,first_name,last_name,birth_date,gender,home_language,country_of_birth,schooling_level,schooling_years,literacy,learning_route,civic_status,perspective,counsellor\n"
	dir := writeFiles(t, map[string]string{
		"providers.csv": providersCSV,
		"modules.csv": "code,provider,name,programme,entry_level,target_level,skills,nominal_hours\n" +
			"M1,CVO-A,Module 1,NT2 1,A0,A1,\"listening, reading\",\"120,0\"\n" +
			"M2,CVO-B,Module 2,NT2 2,A1,A0,speaking,12.5\n",
		"learners.csv": header +
			"L1,Amina,El Idrissi,1990-05-01,q,Arabisch,ma,primary,\"6,5\",literate_latin,standard,obliged,work,\n" +
			"L2,J\xE9r\xF4me,Dupont,1990-13-01,m,,,primary,,LITERATE_LATIN,standard,obliged,work,\n" +
			"L3,Sara,Hai\x00le,1990-01-01,f,,ER,,,literate_latin,standard,obliged,work,\n",
		"enrollments.csv": "learner,group,start_date,status,hours_attended\n" +
			"L1,G1,2025-01-01,active,\"1.234,5\"\n" +
			"L1,G2,2025-01-01,active,-3\n" +
			"L1,G3,2025-01-01,completed,12e3\n",
	})
	known := &Known{Groups: map[string]*domain.Group{
		"G1": {Code: "G1", Module: "M1", StartDate: domain.MustDate("2025-01-01")},
		"G2": {Code: "G2", Module: "M1", StartDate: domain.MustDate("2025-01-01")},
		"G3": {Code: "G3", Module: "M1", StartDate: domain.MustDate("2025-01-01")},
	}}
	b, got := report(t, dir, known)
	wantReport(t, got, []string{
		`modules.csv:3: skills: "speaking" is not a skill (listening, reading, spoken_interaction, spoken_production, writing)`,
		`modules.csv:3: nominal_hours: "12.5" is not a whole number`,
		`modules.csv:3: target_level: A0 must lie above the entry level A1`,
		`modules.csv:3: provider: no provider "CVO-B"`,
		`learners.csv:2: gender: "q" is not a gender (f, m, x)`,
		`learners.csv:2: schooling_years: "6,5" is not a whole number`,
		`learners.csv:3: first_name: is not valid UTF-8 text (save the file as "CSV UTF-8")`,
		`learners.csv:3: birth_date: "1990-13-01" is not a date (YYYY-MM-DD or DD/MM/YYYY)`,
		`learners.csv:4: last_name: holds a NUL character, which is not text (is it a binary or UTF-16 file? save it as "CSV UTF-8")`,
		`learners.csv:4: schooling_level: is required (none, primary, lower_secondary, upper_secondary, higher, unknown)`,
		`enrollments.csv:2: hours_attended: "1.234,5" is not a number`,
		`enrollments.csv:3: hours_attended: must not be negative`,
		`enrollments.csv:4: hours_attended: "12e3" is not a number`,
		`enrollments.csv:4: end_date: is required`,
	})
	if m := b.Modules[0]; m.NominalHours != 120 || m.Skills.String() != "listening;reading" {
		t.Errorf("module %+v: want 120 hours, listening;reading", m)
	}
	if l := b.Learners[0]; l.CountryOfBirth != "MA" {
		t.Errorf("country %q, want MA", l.CountryOfBirth)
	}
	if l := b.Learners[1]; l.Literacy != "literate_latin" {
		t.Errorf("literacy %q, want literate_latin", l.Literacy)
	}
}

func TestValidateKnown(t *testing.T) {
	known := &Known{
		Providers: map[string]bool{"CVO-A": true},
		Modules:   map[string]*domain.Module{"ALFA": {Code: "ALFA", Skills: 1<<domain.Listening | 1<<domain.SpokenProduction}},
		Groups:    map[string]*domain.Group{"GA": {Code: "GA", Module: "ALFA", StartDate: domain.MustDate("2025-09-01")}},
		Learners:  map[string]domain.Date{"L1": domain.MustDate("2015-01-01")},
	}
	dir := writeFiles(t, map[string]string{
		"referrals.csv":   "learner,date,source,provider\nL1,2025-08-01,self,CVO-A\nL9,2025-08-01,self,CVO-Z\n",
		"enrollments.csv": "learner,group,start_date,end_date,status,hours_attended\nL1,GA,2025-09-01,,active,0\nL1,GB,2025-09-01,,active,0\n",
		"evaluations.csv": "learner,group,date,kind,listening,writing,decision\nL1,GA,2025-10-01,formative,A1,A1,none\nL1,,2025-10-01,external_test,A1,A1,none\n",
	})
	_, got := report(t, dir, known)
	wantReport(t, got, []string{
		`referrals.csv:2: date: the learner (born 2015-01-01) is younger than 15 on 2025-08-01`,
		`referrals.csv:3: learner: no learner "L9"`,
		`referrals.csv:3: provider: no provider "CVO-Z"`,
		`enrollments.csv:2: start_date: the learner (born 2015-01-01) is younger than 15 on 2025-09-01`,
		`enrollments.csv:3: group: no group "GB"`,
		`enrollments.csv:3: start_date: the learner (born 2015-01-01) is younger than 15 on 2025-09-01`,
		`evaluations.csv:2: writing: module ALFA does not evaluate writing (it evaluates listening, spoken production)`,
	})

	// The batch's own records override the known ones.
	dir = writeFiles(t, map[string]string{
		"learners.csv": "id,first_name,last_name,birth_date,gender,schooling_level,literacy,learning_route,civic_status,perspective\n" +
			"L1,A,B,1990-01-01,f,none,unknown,alfa,none,unknown\n",
		"referrals.csv": "learner,date,source\nL1,2025-08-01,self\n",
	})
	_, got = report(t, dir, known)
	wantReport(t, got, nil)
}

func TestReadContainers(t *testing.T) {
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "notes.txt"), []byte("x"), 0o644)
	if _, _, err := Read(empty, nil); err == nil || !strings.HasPrefix(err.Error(), "no interchange files in "+empty+" (expected providers.csv, modules.csv") {
		t.Errorf("empty folder: %v", err)
	} else if domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("empty folder: code %s, want %s", domain.ErrorCode(err), domain.EINVALID)
	}
	if _, _, err := Read(filepath.Join(empty, "nothing"), nil); err == nil || !strings.Contains(err.Error(), "nothing") {
		t.Errorf("missing path: %v", err)
	}
	if _, _, err := Read(filepath.Join(empty, "notes.txt"), nil); err == nil || !strings.Contains(err.Error(), "neither a folder") {
		t.Errorf("text file: %v", err)
	}

	dir := writeFiles(t, map[string]string{"Providers.CSV": providersCSV, "extra.csv": "x\n", "README.md": "x"})
	b, got := report(t, dir, nil)
	wantReport(t, got, nil)
	if !slices.Equal(b.Ignored, []string{"extra.csv"}) || len(b.Providers) != 1 || !b.Present["providers"] || b.Present["learners"] {
		t.Errorf("batch %+v", b)
	}
	if b.Pos["providers"][0].String() != "Providers.CSV:2" {
		t.Errorf("position %v, want Providers.CSV:2", b.Pos["providers"][0])
	}

	// One CSV file named after an entity is a data set of one table.
	b, got = report(t, filepath.Join(dir, "Providers.CSV"), nil)
	wantReport(t, got, nil)
	if len(b.Providers) != 1 {
		t.Errorf("providers %v", b.Providers)
	}
	if _, _, err := Read(filepath.Join(dir, "extra.csv"), nil); err == nil || !strings.Contains(err.Error(), "no interchange file") {
		t.Errorf("extra.csv: %v", err)
	}

	dup := writeFiles(t, map[string]string{"providers.csv": providersCSV, "PROVIDERS.csv": providersCSV})
	if _, _, err := Read(dup, nil); err == nil || !strings.Contains(err.Error(), "keep one") {
		t.Errorf("two providers files: %v", err)
	}

	utf16 := writeFiles(t, map[string]string{"providers.csv": "\xFF\xFEc\x00o\x00"})
	_, got = report(t, utf16, nil)
	wantReport(t, got, []string{`providers.csv:1: the file is UTF-16 text; save it as "CSV UTF-8"`})
}

func TestProgress(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("learner,date,status\n")
	for i := range 120_000 {
		fmt.Fprintf(&sb, "L%d,2025-01-01,work\n", i)
	}
	dir := writeFiles(t, map[string]string{"followups.csv": sb.String(), "providers.csv": providersCSV})
	var calls []string
	if _, _, err := ReadDir(dir, func(entity string, rows int) { calls = append(calls, fmt.Sprint(entity, rows)) }); err != nil {
		t.Fatal(err)
	}
	if want := []string{"providers1", "followups50000", "followups100000", "followups120000"}; !slices.Equal(calls, want) {
		t.Errorf("progress calls %v, want %v", calls, want)
	}
}

func TestXLSXCells(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", " Enrollments ")
	rows := [][]any{
		{"LEARNER", "Group", "start_date", "end_date", "status", "hours_attended"},
		{"L1", "G1", time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC), 45747, "completed", 12.5},
		{"L2", "G1", "31/01/2025", "2025-03-31", "active", "12,5"},
		{}, // a blank row in the middle keeps its number
		{"L3", "G1", 45688.75, nil, "Active", 3},
		{"L4", "G1", "2025-02-30", nil, "active", "x"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(" Enrollments ", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "data.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	b, readErrs, err := Read(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range readErrs {
		got = append(got, e.Error())
	}
	wantReport(t, got, []string{
		` Enrollments !6: start_date: "2025-02-30" is not a date (YYYY-MM-DD or DD/MM/YYYY)`,
		` Enrollments !6: hours_attended: "x" is not a number`,
	})
	jan31, mar31 := domain.MustDate("2025-01-31"), domain.MustDate("2025-03-31")
	want := []domain.Enrollment{
		{Learner: "L1", Group: "G1", StartDate: jan31, EndDate: mar31, Status: "completed", HoursAttended: 12.5},
		{Learner: "L2", Group: "G1", StartDate: jan31, EndDate: mar31, Status: "active", HoursAttended: 12.5},
		{Learner: "L3", Group: "G1", StartDate: jan31, Status: "active", HoursAttended: 3},
		{Learner: "L4", Group: "G1", Status: "active"},
	}
	if !reflect.DeepEqual(b.Enrollments, want) {
		t.Errorf("enrollments\n got %+v\nwant %+v", b.Enrollments, want)
	}
	if p := b.Pos["enrollments"][2]; p != (Pos{File: " Enrollments ", Row: 5, Sheet: true}) {
		t.Errorf("third record at %v, want row 5", p)
	}

	f2 := excelize.NewFile()
	defer f2.Close()
	other := filepath.Join(t.TempDir(), "other.xlsx")
	if err := f2.SaveAs(other); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Read(other, nil); err == nil || !strings.HasPrefix(err.Error(), "no interchange sheets in "+other+" (expected providers, modules, goals, learners") {
		t.Errorf("workbook without interchange sheets: %v", err)
	}
}

func TestParseInteger(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"120", 120, true}, {"120,0", 120, true}, {"120.00", 120, true}, {"+7", 7, true}, {"-1", -1, true},
		{"1.000", 0, false}, {"12.5", 0, false}, {"120.", 0, false}, {",0", 0, false}, {"12a", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		if got, ok := parseInteger(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("parseInteger(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		cell bool
		want float64
		ok   bool
	}{
		{"12,5", false, 12.5, true}, {"12.5", false, 12.5, true}, {"0", false, 0, true}, {",5", false, 0.5, true},
		{"-3", false, -3, true}, {"1.234,5", false, 0, false}, {"1e3", false, 0, false}, {"NaN", false, 0, false},
		{"Inf", true, 0, false}, {"1.5E1", true, 15, true}, {",", false, 0, false}, {"0x10", true, 0, false},
	}
	for _, tt := range tests {
		if got, ok := parseNumber(tt.in, tt.cell); got != tt.want || ok != tt.ok {
			t.Errorf("parseNumber(%q, %v) = %v, %v; want %v, %v", tt.in, tt.cell, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCellDate(t *testing.T) {
	tests := []struct {
		in       string
		date1904 bool
		want     string
		ok       bool
	}{
		{"45688", false, "2025-01-31", true},
		{"45688.75", false, "2025-01-31", true},
		{"44226", true, "2025-01-31", true},
		{"2025-01-31T00:00:00Z", false, "2025-01-31", true},
		{"2025-01-31", false, "", false}, // text: left to domain.ParseDate
		{"0", false, "", false},
		{"99999999", false, "", false},
	}
	for _, tt := range tests {
		d, ok := cellDate(tt.in, tt.date1904)
		if d.String() != tt.want || ok != tt.ok {
			t.Errorf("cellDate(%q, %v) = %s, %v; want %s, %v", tt.in, tt.date1904, d, ok, tt.want, tt.ok)
		}
	}
}

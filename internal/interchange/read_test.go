package interchange

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// update regenerates the generated test data: go test ./internal/interchange -run 'Messy|XLSX' -update
var update = flag.Bool("update", false, "rewrite the generated files in testdata/messy and testdata/xlsx")

// conformanceDir is the specification's example data set, with every entity.
const conformanceDir = "../../testdata/conformance"

// exampleDir is conformanceDir under the name the tests of every entity use.
const exampleDir = conformanceDir

// v1Dir is the first version of the example (before observations and
// surveys), from which the messy files and the workbook of testdata were made.
const v1Dir = "../../testdata/conformance-v1"

// readClean reads a data set that must have no errors at all.
func readClean(t *testing.T, path string) *Batch {
	t.Helper()
	b, rowErrs, err := Read(path, nil)
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	for _, e := range rowErrs {
		t.Errorf("Read(%s): %v", path, e)
	}
	for _, e := range Validate(b, nil) {
		t.Errorf("Validate(%s): %v", path, e)
	}
	if t.Failed() {
		t.FailNow()
	}
	return b
}

// csvRecords counts the data records of a CSV file with encoding/csv, as an
// independent check of our reader.
func csvRecords(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs[1:]
}

// records returns the slice of an entity in ds, through reflection, so tests
// can treat every entity alike.
func records(ds *domain.DataSet, ent *Entity) reflect.Value {
	v := reflect.ValueOf(ds).Elem()
	for i := 0; i < v.NumField(); i++ {
		if strings.EqualFold(v.Type().Field(i).Name, strings.ReplaceAll(ent.Name, "_", "")) {
			return v.Field(i)
		}
	}
	panic("no DataSet field for " + ent.Name)
}

// sorted returns a copy of ds with every slice in the order of its records'
// JSON encoding: an order that does not depend on the code under test.
func sorted(t *testing.T, ds *domain.DataSet) *domain.DataSet {
	t.Helper()
	out := *ds
	for i := range Entities {
		v := records(&out, &Entities[i])
		n := v.Len()
		type item struct {
			key string
			val reflect.Value
		}
		items := make([]item, n)
		for j := 0; j < n; j++ {
			b, err := json.Marshal(v.Index(j).Interface())
			if err != nil {
				t.Fatal(err)
			}
			items[j] = item{string(b), v.Index(j)}
		}
		slices.SortStableFunc(items, func(a, b item) int { return strings.Compare(a.key, b.key) })
		s := reflect.MakeSlice(v.Type(), n, n)
		for j, it := range items {
			s.Index(j).Set(it.val)
		}
		if n == 0 {
			s = reflect.Zero(v.Type())
		}
		v.Set(s)
	}
	return &out
}

// diffDataSets reports the first differing record of each entity.
func diffDataSets(t *testing.T, got, want *domain.DataSet) {
	t.Helper()
	for i := range Entities {
		ent := &Entities[i]
		g, w := records(got, ent), records(want, ent)
		if g.Len() != w.Len() {
			t.Errorf("%s: %d records, want %d", ent.Name, g.Len(), w.Len())
			continue
		}
		for j := 0; j < g.Len(); j++ {
			if !reflect.DeepEqual(g.Index(j).Interface(), w.Index(j).Interface()) {
				t.Errorf("%s[%d]:\n got %+v\nwant %+v", ent.Name, j, g.Index(j).Interface(), w.Index(j).Interface())
				break
			}
		}
	}
}

func TestReadConformance(t *testing.T) {
	var calls []string
	b, rowErrs, err := ReadDir(exampleDir, func(entity string, rows int) {
		calls = append(calls, entity)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rowErrs {
		t.Errorf("Read: %v", e)
	}
	for _, e := range Validate(b, nil) {
		t.Errorf("Validate: %v", e)
	}
	for i := range Entities {
		ent := &Entities[i]
		want := len(csvRecords(t, filepath.Join(exampleDir, ent.File)))
		if got := records(&b.DataSet, ent).Len(); got != want {
			t.Errorf("%s: %d records, want %d", ent.Name, got, want)
		}
		if got := len(b.Pos[ent.Name]); got != want {
			t.Errorf("%s: %d positions, want %d", ent.Name, got, want)
		}
		if !b.Present[ent.Name] {
			t.Errorf("%s not present", ent.Name)
		}
		if calls[i] != ent.Name {
			t.Errorf("progress call %d for %s, want %s", i, calls[i], ent.Name)
		}
	}
	if len(b.Ignored) != 0 {
		t.Errorf("ignored %v, want none", b.Ignored)
	}

	// Rows are numbered as a spreadsheet shows them: line breaks inside the
	// quoted feedback do not start a new row.
	last := len(b.Evaluations) - 1
	if got, want := b.Pos["evaluations"][last], (Pos{File: "evaluations.csv", Row: last + 2}); got != want {
		t.Errorf("last evaluation at %v, want %v", got, want)
	}
	ev := b.Evaluations[1]
	if want := "Goed gewerkt; blijf oefenen met \"spreken\".\nVolgende module: na de zomer, op dinsdag."; ev.Feedback != want {
		t.Errorf("feedback %q, want %q", ev.Feedback, want)
	}
	// Aliases and lower case read as ladder codes ("a2.2" is A2, "pre-A1" is A0).
	if got := b.Evaluations[2].Levels[domain.Reading]; got.String() != "A2" {
		t.Errorf("a2.2 read as %v, want A2", got)
	}
	if got := b.Placements[1].Levels[domain.Reading]; got.String() != "A0" {
		t.Errorf("pre-A1 read as %v, want A0", got)
	}
	if got := b.Placements[2].Levels[domain.Reading]; got != domain.NoLevel {
		t.Errorf("blank level read as %v, want NoLevel", got)
	}
	if got := b.Learners[0]; got.SchoolingYears == nil || *got.SchoolingYears != 1 || got.BirthDate != domain.MustDate("1983-11-02") {
		t.Errorf("first learner %+v", got)
	}
}

func TestRoundTrip(t *testing.T) {
	first := readClean(t, exampleDir)
	dir1, dir2 := t.TempDir(), t.TempDir()
	if err := WriteDir(dir1, &first.DataSet); err != nil {
		t.Fatal(err)
	}
	second := readClean(t, dir1)
	if err := WriteDir(dir2, &second.DataSet); err != nil {
		t.Fatal(err)
	}
	for i := range Entities {
		ent := &Entities[i]
		a, err := os.ReadFile(filepath.Join(dir1, ent.File))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir2, ent.File))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs after export, import, export", ent.File)
		}
		if header := strings.Join(ent.Columns, ",") + "\n"; !bytes.HasPrefix(a, []byte(header)) {
			t.Errorf("%s starts %q, want header %q", ent.File, a[:min(len(a), 40)], header)
		}
		if bytes.IndexByte(a, '\r') >= 0 {
			t.Errorf("%s holds a carriage return", ent.File)
		}
	}
	if got, want := sorted(t, &second.DataSet), sorted(t, &first.DataSet); !reflect.DeepEqual(got, want) {
		diffDataSets(t, got, want)
	}
	entries, _ := os.ReadDir(dir1)
	if len(entries) != len(Entities) {
		t.Errorf("export folder holds %d files, want %d (no temporary files left)", len(entries), len(Entities))
	}
}

func TestWriteDirEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := WriteDir(dir, &domain.DataSet{}); err != nil {
		t.Fatal(err)
	}
	for i := range Entities {
		got, err := os.ReadFile(filepath.Join(dir, Entities[i].File))
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.Join(Entities[i].Columns, ",") + "\n"; string(got) != want {
			t.Errorf("%s = %q, want %q", Entities[i].File, got, want)
		}
	}
	b, rowErrs, err := ReadDir(dir, nil)
	if err != nil || len(rowErrs) != 0 {
		t.Fatalf("ReadDir of an empty export: %v %v", err, rowErrs)
	}
	if len(b.Present) != len(Entities) {
		t.Errorf("present %v, want all", b.Present)
	}
}

func TestWriteDirSortsByKey(t *testing.T) {
	tenth := 0.1 // a variable, so that 0.1+0.2 is float arithmetic, not an exact constant
	ds := &domain.DataSet{
		Enrollments: []domain.Enrollment{
			{Learner: "L2", Group: "G1", StartDate: domain.MustDate("2025-01-01"), Status: "active", HoursAttended: 12.5},
			{Learner: "L1", Group: "G2", StartDate: domain.MustDate("2025-01-01"), Status: "active", HoursAttended: tenth + 0.2},
			{Learner: "L1", Group: "G1", StartDate: domain.MustDate("2025-01-01"), EndDate: domain.MustDate("2025-03-01"), Status: "completed", HoursAttended: 120},
		},
	}
	dir := t.TempDir()
	if err := WriteDir(dir, ds); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "enrollments.csv"))
	want := "learner,group,start_date,end_date,status,hours_attended\n" +
		"L1,G1,2025-01-01,2025-03-01,completed,120\n" +
		"L1,G2,2025-01-01,,active,0.30000000000000004\n" +
		"L2,G1,2025-01-01,,active,12.5\n"
	if string(got) != want {
		t.Errorf("enrollments.csv =\n%s\nwant\n%s", got, want)
	}
	if ds.Enrollments[0].Learner != "L2" {
		t.Errorf("WriteDir reordered the caller's slice")
	}
}

func TestNewBatch(t *testing.T) {
	read := readClean(t, exampleDir)
	b := NewBatch(&read.DataSet)
	if errs := Validate(b, nil); len(errs) != 0 {
		t.Errorf("Validate(NewBatch(conformance)) = %v", errs)
	}
	if !reflect.DeepEqual(b.Pos, read.Pos) {
		t.Errorf("positions differ from the file's")
	}
	ds := &domain.DataSet{Learners: []domain.Learner{{ID: "L1"}}}
	errs := Validate(NewBatch(ds), nil)
	if len(errs) == 0 || errs[0].Pos.String() != "learners.csv:2" {
		t.Errorf("errors %v, want the first on learners.csv:2", errs)
	}
}

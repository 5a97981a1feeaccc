package importer

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/store"
)

// The attendance register through the import (issue 21, point 1): lessons
// and attendance of group G00008 of the conformance data set, whose three
// learners have totals of their own (89.5, 85 and 6.5 hours) until the
// register replaces them. Run on the test run's backend (SQLite, or
// PostgreSQL with TRAJECT_TEST_POSTGRES).
const registerData = "../../testdata/register"

// registerHours are the totals of good/: L000005 3 + 2 + 0 + 2.5, L000009
// 0 + 3, L000017 3 (a lesson without their record is not registered, and
// counts nothing).
var registerHours = map[string]float64{"L000005": 7.5, "L000009": 3, "L000017": 3}

func mustImport(t *testing.T, db *store.DB, path string, opt Options) *Report {
	t.Helper()
	rep, err := Path(context.Background(), db, path, opt)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	if !rep.OK() {
		t.Fatalf("import %s: %v", path, rep.Errors)
	}
	return rep
}

func groupHours(t *testing.T, db *store.DB, group string) map[string]float64 {
	t.Helper()
	ds, err := db.LoadDataSet(context.Background(), "enrollments")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, e := range ds.Enrollments {
		if e.Group == group {
			out[e.Learner] = e.HoursAttended
		}
	}
	return out
}

func checkHours(t *testing.T, db *store.DB, want map[string]float64) {
	t.Helper()
	got := groupHours(t, db, "G00008")
	for l, h := range want {
		if got[l] != h {
			t.Errorf("hours of %s in G00008 = %v, want %v", l, got[l], h)
		}
	}
}

// TestImportRegister imports a good register: the enrollments follow it
// (one with a blank total, one with the register's own, one not in the
// file at all), and a second import changes nothing.
func TestImportRegister(t *testing.T) {
	db := newDB(t)
	mustImport(t, db, conformance, Options{})
	checkHours(t, db, map[string]float64{"L000005": 89.5, "L000009": 85, "L000017": 6.5})
	rep := mustImport(t, db, filepath.Join(registerData, "good"), Options{})
	counts := map[string]store.UpsertCount{}
	for _, c := range rep.Counts {
		counts[c.Entity] = c
	}
	if c := counts["lessons"]; c.Inserted != 4 {
		t.Errorf("lessons: %+v, want 4 inserted", c)
	}
	if c := counts["attendance"]; c.Inserted != 7 {
		t.Errorf("attendance: %+v, want 7 inserted", c)
	}
	checkHours(t, db, registerHours)
	rep = mustImport(t, db, filepath.Join(registerData, "good"), Options{})
	if ins, upd, same := totals(rep.Counts); ins != 0 || upd != 0 || same != 13 {
		t.Errorf("second import: %d inserted, %d updated, %d unchanged; want 0, 0, 13", ins, upd, same)
	}
	checkHours(t, db, registerHours)
	// The conformance data set again: its totals of G00008 contradict the
	// register now, and are refused naming both numbers.
	rep, err := Path(context.Background(), db, conformance, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range rep.Errors {
		if e.Text.Key == "rule.hoursregister" {
			got = append(got, e.Error())
		}
	}
	want := []string{
		"enrollments.csv:9: hours_attended: 89.5 differs from the 7.5 hours of the enrollment's attendance register (leave it blank or give that sum)",
		"enrollments.csv:15: hours_attended: 85 differs from the 3 hours of the enrollment's attendance register (leave it blank or give that sum)",
		"enrollments.csv:30: hours_attended: 6.5 differs from the 3 hours of the enrollment's attendance register (leave it blank or give that sum)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("conformance over the register:\n%q\nwant\n%q", got, want)
	}
}

// TestImportRegisterBad: every broken rule of the register is named with
// its place, and nothing of the import is stored, not even its good rows.
func TestImportRegisterBad(t *testing.T) {
	db := newDB(t)
	mustImport(t, db, conformance, Options{})
	mustImport(t, db, filepath.Join(registerData, "good"), Options{})
	rep, err := Path(context.Background(), db, filepath.Join(registerData, "bad"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"lessons.csv:2: date: 2025-09-01 lies outside group G00008 (2025-06-24 – 2025-08-26)",
		"lessons.csv:3: hours: must be a number of hours above 0",
		"enrollments.csv:2: hours_attended: 85 differs from the 3 hours of the enrollment's attendance register (leave it blank or give that sum)",
		"attendance.csv:2: date: group G00008 has no lesson on 2025-07-02",
		"attendance.csv:3: date: 2025-06-24 lies before the enrollment in G00008 starts (2025-07-08)",
		"attendance.csv:4: hours: 4 hours is more than the 3 hours of the lesson on 2025-07-01",
		"attendance.csv:5: hours: is required when the status is late",
	}
	var got []string
	for _, e := range rep.Errors {
		got = append(got, e.Error())
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%q\nwant\n%q", got, want)
	}
	ds, err := db.LoadDataSet(context.Background(), "lessons", "attendance")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Lessons) != 4 || len(ds.Attendance) != 7 {
		t.Errorf("after a refused import: %d lessons, %d records; want 4 and 7 as before", len(ds.Lessons), len(ds.Attendance))
	}
	checkHours(t, db, registerHours)
}

// TestImportRegisterThroughProfile reads the centre software's export (a
// title row, ';', decimal commas, Dutch status words in any case) through
// the shipped profile, and stores what its interchange twin stores.
func TestImportRegisterThroughProfile(t *testing.T) {
	const dir = "../../testdata/profiles/aanwezigheden"
	data, err := os.ReadFile(filepath.Join(dir, "profile.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := interchange.ParseProfile(data, "profile.json")
	if err != nil {
		t.Fatal(err)
	}
	mapped, plain := newDB(t), newDB(t)
	for _, db := range []*store.DB{mapped, plain} {
		mustImport(t, db, conformance, Options{})
	}
	mustImport(t, plain, filepath.Join(dir, "twin"), Options{})
	mustImport(t, mapped, filepath.Join(dir, "export"), Options{Profile: p})
	rep := mustImport(t, mapped, filepath.Join(dir, "export"), Options{Profile: p})
	if ins, upd, same := totals(rep.Counts); ins != 0 || upd != 0 || same != 11 {
		t.Errorf("profile import again: %d inserted, %d updated, %d unchanged; want 0, 0, 11", ins, upd, same)
	}
	a, err := plain.LoadDataSet(context.Background(), "lessons", "attendance", "enrollments")
	if err != nil {
		t.Fatal(err)
	}
	b, err := mapped.LoadDataSet(context.Background(), "lessons", "attendance", "enrollments")
	if err != nil {
		t.Fatal(err)
	}
	for _, ds := range []*domain.DataSet{a, b} {
		sortRegister(ds)
	}
	if !slices.Equal(a.Lessons, b.Lessons) || !slices.EqualFunc(a.Attendance, b.Attendance, sameAttendance) ||
		!slices.Equal(a.Enrollments, b.Enrollments) {
		t.Errorf("the profile import differs from its twin:\n%+v\n%+v", b.Attendance, a.Attendance)
	}
	checkHours(t, mapped, registerHours)
}

func sortRegister(ds *domain.DataSet) {
	slices.SortFunc(ds.Lessons, func(x, y domain.Lesson) int { return int(x.Date - y.Date) })
	slices.SortFunc(ds.Attendance, func(x, y domain.Attendance) int {
		if x.Learner != y.Learner {
			if x.Learner < y.Learner {
				return -1
			}
			return 1
		}
		return int(x.Date - y.Date)
	})
	slices.SortFunc(ds.Enrollments, func(x, y domain.Enrollment) int {
		if x.Learner+x.Group < y.Learner+y.Group {
			return -1
		}
		if x.Learner+x.Group > y.Learner+y.Group {
			return 1
		}
		return 0
	})
}

func sameAttendance(x, y domain.Attendance) bool {
	return x.Learner == y.Learner && x.Group == y.Group && x.Date == y.Date && x.Status == y.Status &&
		(x.Hours == nil) == (y.Hours == nil) && (x.Hours == nil || *x.Hours == *y.Hours)
}

// TestRegisterHoursAsTypedIn: a write to the register changes the
// enrollment's hours, and so the indicators, exactly as the same hours
// typed in as totals would.
func TestRegisterHoursAsTypedIn(t *testing.T) {
	ctx := context.Background()
	reg, typed := newDB(t), newDB(t)
	for _, db := range []*store.DB{reg, typed} {
		mustImport(t, db, conformance, Options{})
	}
	mustImport(t, reg, filepath.Join(registerData, "good"), Options{})
	if _, err := typed.SaveAttendance(ctx, "admin", "G00008", registerHours, fixedNow); err != nil {
		t.Fatal(err)
	}
	a, err := reg.LoadDataSet(ctx, store.IndicatorEntities...)
	if err != nil {
		t.Fatal(err)
	}
	b, err := typed.LoadDataSet(ctx, store.IndicatorEntities...)
	if err != nil {
		t.Fatal(err)
	}
	sortRegister(a)
	sortRegister(b)
	if !slices.Equal(a.Enrollments, b.Enrollments) {
		t.Fatalf("enrollments differ between the register and the typed totals")
	}
	p := indicator.DefaultParams(domain.MustDate("2024-09-01"), domain.MustDate("2026-08-31"))
	p.AsOf = domain.MustDate("2026-06-30")
	ra, rb := indicator.Compute(a, p), indicator.Compute(b, p)
	if ja, jb := mustJSON(t, ra), mustJSON(t, rb); ja != jb {
		t.Errorf("indicators differ:\nregister %s\ntyped    %s", ja, jb)
	}
	// And typed totals that contradict the register are refused.
	if _, err := reg.SaveAttendance(ctx, "admin", "G00008", map[string]float64{"L000005": 20}, fixedNow); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("typed total over a register: err = %v, want EINVALID", err)
	}
}

var fixedNow = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRegisterMovesWithTheData: the register goes out with export data and
// back in unchanged (the enrollments' totals with it), moves with traject
// copy, is part of the learner's access export, and follows the learner's
// new number on erasure.
func TestRegisterMovesWithTheData(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	mustImport(t, db, conformance, Options{})
	mustImport(t, db, filepath.Join(registerData, "good"), Options{})
	all, err := db.LoadDataSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := interchange.WriteDir(dir, all); err != nil {
		t.Fatal(err)
	}
	again := newDB(t)
	mustImport(t, again, dir, Options{})
	checkHours(t, again, registerHours)
	back, err := again.LoadDataSet(ctx, "lessons", "attendance")
	if err != nil {
		t.Fatal(err)
	}
	sortRegister(back)
	sortRegister(all)
	if !slices.Equal(back.Lessons, all.Lessons) || !slices.EqualFunc(back.Attendance, all.Attendance, sameAttendance) {
		t.Errorf("the register after export and import differs")
	}

	copied := newDB(t)
	counts, err := db.CopyTo(ctx, copied, store.CopyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	moved := map[string]int{}
	for _, c := range counts {
		moved[c.Table] = c.Rows
	}
	if moved["lessons"] != 4 || moved["attendance"] != 7 {
		t.Errorf("copy moved %d lessons and %d records, want 4 and 7", moved["lessons"], moved["attendance"])
	}
	checkHours(t, copied, registerHours)

	x, err := db.ExportLearner(ctx, "L000005")
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Attendance) != 4 || x.Attendance[1].Get("status") != "late" || x.Attendance[1].Get("hours") != 2.0 {
		t.Errorf("access export's attendance: %v", x.Attendance)
	}
	newID, err := db.EraseLearner(ctx, "admin", "L000005", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := db.LoadDataSet(ctx, "attendance")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range ds.Attendance {
		if a.Learner == "L000005" {
			t.Errorf("erased learner's number still on %+v", a)
		}
		if a.Learner == newID {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d records under the new number %s, want 4", n, newID)
	}
}

// TestRegisterScope: a coordinator imports the register of their own
// provider's groups only; another provider's coordinator has every lesson
// and record refused, and nothing stored.
func TestRegisterScope(t *testing.T) {
	db := newDB(t)
	mustImport(t, db, conformance, Options{})
	other := &domain.User{Username: "k2", Role: domain.RoleCoordinator, Providers: []string{"CBE-A"}}
	rep, err := Path(context.Background(), db, filepath.Join(registerData, "good"), Options{User: other, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	refused := map[string]int{}
	for _, e := range rep.Errors {
		refused[e.Pos.File]++
	}
	if refused["lessons.csv"] != 4 || refused["attendance.csv"] < 7 {
		t.Errorf("another provider's coordinator: %v", rep.Errors)
	}
	checkHours(t, db, map[string]float64{"L000005": 89.5, "L000009": 85, "L000017": 6.5})
	own := &domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"CVO-A"}}
	mustImport(t, db, filepath.Join(registerData, "good"), Options{User: own, Lang: "en"})
	checkHours(t, db, registerHours)
}

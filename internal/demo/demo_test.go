package demo

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/interchange"
)

var today = domain.NewDate(2026, time.June, 30)

// cache keeps the data sets several tests share; tests must not modify them.
var cache = map[Options]*domain.DataSet{}

func generate(t testing.TB, opt Options) *domain.DataSet {
	t.Helper()
	if ds, ok := cache[opt]; ok {
		return ds
	}
	ds := Generate(opt)
	cache[opt] = ds
	return ds
}

func TestDeterministic(t *testing.T) {
	opt := Options{Learners: 1500, Seed: 7, Today: today}
	a, b := Generate(opt), Generate(opt)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same options differ")
	}
	c := Generate(Options{Learners: 1500, Seed: 8, Today: today})
	if reflect.DeepEqual(a.Learners, c.Learners) || reflect.DeepEqual(a.Enrollments, c.Enrollments) {
		t.Fatal("runs with different seeds are equal")
	}
}

// TestDeterministicFiles: the same day and seed give byte-identical files
// (the demo an installation loads), another day other data.
func TestDeterministicFiles(t *testing.T) {
	day := domain.NewDate(2026, time.December, 7)
	write := func(opt Options) map[string][]byte {
		dir := t.TempDir()
		if err := interchange.WriteDir(dir, Generate(opt)); err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for _, ent := range interchange.Entities {
			b, err := os.ReadFile(filepath.Join(dir, ent.File))
			if err != nil {
				t.Fatal(err)
			}
			out[ent.File] = b
		}
		return out
	}
	a, b := write(Options{Learners: 400, Seed: 9, Today: day}), write(Options{Learners: 400, Seed: 9, Today: day})
	for _, ent := range interchange.Entities {
		if !bytes.Equal(a[ent.File], b[ent.File]) {
			t.Errorf("%s differs between two runs with the same day and seed", ent.File)
		}
	}
	if len(a["lessons.csv"]) < 1000 || len(a["attendance.csv"]) < 10000 {
		t.Errorf("lessons.csv %d bytes, attendance.csv %d bytes: no register", len(a["lessons.csv"]), len(a["attendance.csv"]))
	}
	c := write(Options{Learners: 400, Seed: 9, Today: day + 1})
	if bytes.Equal(a["attendance.csv"], c["attendance.csv"]) {
		t.Error("the register taken a day later is the same")
	}
}

func TestDefaults(t *testing.T) {
	got := Generate(Options{})
	want := generate(t, Options{Learners: DefaultLearners, Seed: DefaultSeed, Today: DefaultToday})
	if !reflect.DeepEqual(got, want) {
		t.Fatal("Generate(Options{}) differs from Generate with the defaults spelled out")
	}
	if len(got.Learners) != 2000 {
		t.Fatalf("learners=%d, want 2000", len(got.Learners))
	}
}

func TestIntegrity(t *testing.T) {
	cases := []Options{
		{Learners: 2000, Seed: 1, Today: today},
		{Learners: 3000, Seed: 42, Today: today},
		{Learners: 1, Seed: 3, Today: today},
		{Learners: 25, Seed: 4, Today: domain.NewDate(2024, time.February, 29)},
		{Learners: 1000, Seed: 5, Today: domain.NewDate(2031, time.December, 24)},
		{Learners: 300, Seed: 6, Today: domain.NewDate(1990, time.January, 1)},
		{Learners: 300, Seed: 6, Today: domain.NewDate(2100, time.December, 31)},
	}
	for _, opt := range cases {
		t.Run(fmt.Sprintf("n=%d,seed=%d,today=%s", opt.Learners, opt.Seed, opt.Today), func(t *testing.T) {
			ds := generate(t, opt)
			if len(ds.Learners) != opt.Learners {
				t.Fatalf("learners=%d, want %d", len(ds.Learners), opt.Learners)
			}
			// The generator keeps its day inside the range it can fill.
			day := min(max(opt.Today, domain.NewDate(1995, time.January, 1)), domain.NewDate(2095, time.December, 31))
			problems := check(ds, day)
			for i, p := range problems {
				if i == 20 {
					t.Errorf("… and %d more", len(problems)-20)
					break
				}
				t.Error(p)
			}
		})
	}
}

// check returns every broken integrity rule of spec/domain.md in ds: record
// validation, references, the cross-record rules and unique natural keys.
func check(ds *domain.DataSet, lastDay domain.Date) []string {
	var out []string
	bad := func(entity string, i int, format string, args ...any) {
		out = append(out, fmt.Sprintf("%s[%d]: %s", entity, i, fmt.Sprintf(format, args...)))
	}
	valid := func(entity string, i int, errs []domain.FieldError) {
		for _, e := range errs {
			bad(entity, i, "%v", e)
		}
	}
	unique := func(seen map[string]bool, entity string, i int, key ...any) {
		k := fmt.Sprint(key...)
		if seen[k] {
			bad(entity, i, "duplicate key %s", k)
		}
		seen[k] = true
	}
	inRange := func(entity string, i int, d domain.Date) {
		if d != 0 && (d < domain.MinDate || d > domain.MaxDate) {
			bad(entity, i, "date %s out of range", d)
		}
	}

	providers := map[string]bool{}
	for i, p := range ds.Providers {
		valid("provider", i, p.Validate())
		unique(providers, "provider", i, p.Code)
	}
	modules := map[string]*domain.Module{}
	for i := range ds.Modules {
		m := &ds.Modules[i]
		valid("module", i, m.Validate())
		if modules[m.Code] != nil {
			bad("module", i, "duplicate key %s", m.Code)
		}
		modules[m.Code] = m
		if !providers[m.Provider] {
			bad("module", i, "no provider %q", m.Provider)
		}
	}
	goals := map[string]bool{}
	for i, g := range ds.Goals {
		valid("goal", i, g.Validate())
		unique(goals, "goal", i, g.Code)
		if g.Module != "" && modules[g.Module] == nil {
			bad("goal", i, "no module %q", g.Module)
		}
	}
	learners := map[string]*domain.Learner{}
	firstRef := map[string]domain.Date{}
	for i := range ds.Learners {
		l := &ds.Learners[i]
		valid("learner", i, l.Validate())
		if learners[l.ID] != nil {
			bad("learner", i, "duplicate key %s", l.ID)
		}
		learners[l.ID] = l
	}
	age := func(entity string, i int, id string, d domain.Date) {
		l := learners[id]
		if l == nil {
			bad(entity, i, "no learner %q", id)
			return
		}
		if e := domain.CheckAge("date", l.BirthDate, d); e != nil {
			bad(entity, i, "%v", e)
		}
	}
	seen := map[string]bool{}
	for i, g := range ds.LearnerGoals {
		valid("learner goal", i, g.Validate())
		unique(seen, "learner goal", i, g.Learner, "|", g.Skill)
		if learners[g.Learner] == nil {
			bad("learner goal", i, "no learner %q", g.Learner)
		}
		inRange("learner goal", i, g.TargetDate)
	}
	clear(seen)
	for i, r := range ds.Referrals {
		valid("referral", i, r.Validate())
		unique(seen, "referral", i, r.Learner, "|", r.Date)
		age("referral", i, r.Learner, r.Date)
		if r.Provider != "" && !providers[r.Provider] {
			bad("referral", i, "no provider %q", r.Provider)
		}
		if d, ok := firstRef[r.Learner]; !ok || r.Date < d {
			firstRef[r.Learner] = r.Date
		}
	}
	for i := range ds.Learners {
		l := &ds.Learners[i]
		first, ok := firstRef[l.ID]
		switch {
		case !ok:
			bad("learner", i, "no referral")
		case l.BirthDate.AgeOn(first) < 16:
			bad("learner", i, "%d years old at the first referral, want at least 16", l.BirthDate.AgeOn(first))
		}
	}
	groups := map[string]*domain.Group{}
	for i := range ds.Groups {
		g := &ds.Groups[i]
		valid("group", i, g.Validate())
		if groups[g.Code] != nil {
			bad("group", i, "duplicate key %s", g.Code)
		}
		groups[g.Code] = g
		if modules[g.Module] == nil {
			bad("group", i, "no module %q", g.Module)
		}
	}
	clear(seen)
	for i, p := range ds.Placements {
		valid("placement", i, p.Validate())
		unique(seen, "placement", i, p.Learner, "|", p.Date, "|", p.Module)
		age("placement", i, p.Learner, p.Date)
		if modules[p.Module] == nil {
			bad("placement", i, "no module %q", p.Module)
		}
	}
	clear(seen)
	for i := range ds.Enrollments {
		e := &ds.Enrollments[i]
		valid("enrollment", i, e.Validate())
		unique(seen, "enrollment", i, e.Learner, "|", e.Group)
		age("enrollment", i, e.Learner, e.StartDate)
		g := groups[e.Group]
		if g == nil {
			bad("enrollment", i, "no group %q", e.Group)
			continue
		}
		if fe := domain.CheckEnrollmentStart(e, g); fe != nil {
			bad("enrollment", i, "%v", fe)
		}
		if e.StartDate < g.StartDate || e.StartDate > g.StartDate+60 {
			bad("enrollment", i, "starts %s, not on or shortly after its group's start %s", e.StartDate, g.StartDate)
		}
		if e.EndDate != 0 && e.EndDate > g.EndDate {
			bad("enrollment", i, "ends %s, after its group's end %s", e.EndDate, g.EndDate)
		}
		if e.Status != "active" && e.EndDate == 0 {
			bad("enrollment", i, "status %s without end date", e.Status)
		}
		if e.Status == "active" && e.EndDate != 0 {
			bad("enrollment", i, "active with end date")
		}
		if e.HoursAttended > float64(g.PlannedHours) {
			bad("enrollment", i, "%v hours attended of %d planned", e.HoursAttended, g.PlannedHours)
		}
	}
	// The register: lessons in their group's dates, one a day; attendance at
	// a lesson of the group while enrolled, never after the day the data is
	// taken; and hours_attended the register's sum where there are records.
	lessons := map[string]*domain.Lesson{}
	for i := range ds.Lessons {
		l := &ds.Lessons[i]
		valid("lesson", i, l.Validate())
		k := l.Group + "|" + l.Date.String()
		if lessons[k] != nil {
			bad("lesson", i, "duplicate key %s", k)
		}
		lessons[k] = l
		g := groups[l.Group]
		if g == nil {
			bad("lesson", i, "no group %q", l.Group)
			continue
		}
		if fe := domain.CheckLessonInGroup(l, g); fe != nil {
			bad("lesson", i, "%v", fe)
		}
	}
	enrolled := map[[2]string]*domain.Enrollment{}
	for i := range ds.Enrollments {
		enrolled[[2]string{ds.Enrollments[i].Learner, ds.Enrollments[i].Group}] = &ds.Enrollments[i]
	}
	clear(seen)
	records := map[[2]string][]domain.Attendance{}
	for i := range ds.Attendance {
		a := &ds.Attendance[i]
		valid("attendance", i, a.Validate())
		unique(seen, "attendance", i, a.Learner, "|", a.Group, "|", a.Date)
		key := [2]string{a.Learner, a.Group}
		valid("attendance", i, domain.CheckAttendance(a, lessons[a.Group+"|"+a.Date.String()], enrolled[key]))
		if a.Date > lastDay {
			bad("attendance", i, "dated %s, after the day the data is taken (%s)", a.Date, lastDay)
		}
		records[key] = append(records[key], *a)
	}
	lessonHours := func(group string, d domain.Date) float64 { return lessons[group+"|"+d.String()].Hours }
	for i := range ds.Enrollments {
		e := &ds.Enrollments[i]
		if h, ok := domain.RegisterHours(records[[2]string{e.Learner, e.Group}], lessonHours); ok && !domain.SameHours(h, e.HoursAttended) {
			bad("enrollment", i, "hours_attended %v, the register's sum is %v", e.HoursAttended, h)
		}
	}
	clear(seen)
	for i := range ds.Evaluations {
		ev := &ds.Evaluations[i]
		valid("evaluation", i, ev.Validate())
		unique(seen, "evaluation", i, ev.Learner, "|", ev.Group, "|", ev.Date, "|", ev.Kind)
		if learners[ev.Learner] == nil {
			bad("evaluation", i, "no learner %q", ev.Learner)
		}
		if ev.Group == "" {
			if ev.Kind != "external_test" {
				bad("evaluation", i, "%s without a group", ev.Kind)
			}
			continue
		}
		g := groups[ev.Group]
		if g == nil {
			bad("evaluation", i, "no group %q", ev.Group)
			continue
		}
		valid("evaluation", i, domain.CheckEvaluationSkills(ev, modules[g.Module]))
	}
	clear(seen)
	for i, c := range ds.Certificates {
		valid("certificate", i, c.Validate())
		unique(seen, "certificate", i, c.Learner, "|", c.Kind, "|", c.Module, "|", c.Date)
		if learners[c.Learner] == nil {
			bad("certificate", i, "no learner %q", c.Learner)
		}
		if c.Module != "" && modules[c.Module] == nil {
			bad("certificate", i, "no module %q", c.Module)
		}
	}
	clear(seen)
	for i, o := range ds.Outflows {
		valid("outflow", i, o.Validate())
		unique(seen, "outflow", i, o.Learner, "|", o.Date)
		if learners[o.Learner] == nil {
			bad("outflow", i, "no learner %q", o.Learner)
		}
		if o.Provider != "" && !providers[o.Provider] {
			bad("outflow", i, "no provider %q", o.Provider)
		}
	}
	clear(seen)
	for i, f := range ds.FollowUps {
		valid("follow-up", i, f.Validate())
		unique(seen, "follow-up", i, f.Learner, "|", f.Date)
		if learners[f.Learner] == nil {
			bad("follow-up", i, "no learner %q", f.Learner)
		}
	}
	return out
}

// TestRealism asserts loosely that the data looks like a real region's.
func TestRealism(t *testing.T) {
	ds := generate(t, Options{Learners: 2000, Seed: 1, Today: today})

	types := map[string]int{}
	for _, p := range ds.Providers {
		types[p.Type]++
	}
	for _, typ := range domain.ProviderTypes.Codes {
		if types[typ] == 0 {
			t.Errorf("no provider of type %s", typ)
		}
	}
	if n := len(ds.Providers); n < 7 || n > 10 {
		t.Errorf("providers=%d at 2000 learners, want about 8", n)
	}

	modules := map[string]*domain.Module{}
	for i := range ds.Modules {
		m := &ds.Modules[i]
		modules[m.Code] = m
		oral := domain.SkillSet(1<<domain.Listening | 1<<domain.SpokenInteraction | 1<<domain.SpokenProduction)
		if strings.Contains(m.Code, "alfa") && (m.Skills != oral || m.NominalHours != 600) {
			t.Errorf("alfa module %s evaluates %s in %d h, want the oral skills in 600 h", m.Code, m.Skills, m.NominalHours)
		}
		if strings.HasPrefix(m.Code, "UTC-") && m.NominalHours > 90 {
			t.Errorf("UTC module %s has %d h, want at most 90", m.Code, m.NominalHours)
		}
	}
	for i, p := range ds.Placements {
		if strings.Contains(p.Module, "alfa") && (p.Levels[domain.Reading] != domain.NoLevel || p.Levels[domain.Writing] != domain.NoLevel) {
			t.Errorf("placement[%d] into %s assesses reading or writing", i, p.Module)
		}
	}

	groups := map[string]*domain.Group{}
	for i := range ds.Groups {
		groups[ds.Groups[i].Code] = &ds.Groups[i]
	}
	size := map[string]int{}
	for _, e := range ds.Enrollments {
		size[e.Group]++
	}
	if avg := float64(len(ds.Enrollments)) / float64(len(ds.Groups)); avg < 10 || avg > 20 {
		t.Errorf("groups average %.1f learners, want 10-20", avg)
	}

	// Access: the share of started referrals that started after the
	// statutory three months.
	starts := map[string][]domain.Date{}
	for _, e := range ds.Enrollments {
		starts[e.Learner] = append(starts[e.Learner], e.StartDate)
	}
	var started, late, waiting int
	for _, r := range ds.Referrals {
		first := domain.Date(0)
		for _, s := range starts[r.Learner] {
			if s >= r.Date && s <= today && (first == 0 || s < first) {
				first = s
			}
		}
		switch {
		case first == 0:
			waiting++
		case first > r.Date.AddMonths(3):
			started++
			late++
		default:
			started++
		}
	}
	if share := float64(late) / float64(started); share < 0.05 || share > 0.4 {
		t.Errorf("late starts %.1f%% of %d started referrals, want 5-40%%", 100*share, started)
	}
	if waiting == 0 {
		t.Error("no referral is still waiting")
	}

	// Evaluations: all kinds, decisions, feedback with the characters real
	// exports have, and levels only for the group's module's skills.
	kinds := map[string]int{}
	decisions := map[string]int{}
	var comma, quote, newline bool
	for _, ev := range ds.Evaluations {
		kinds[ev.Kind]++
		decisions[ev.Decision]++
		comma = comma || strings.Contains(ev.Feedback, ",")
		quote = quote || strings.Contains(ev.Feedback, `"`)
		newline = newline || strings.Contains(ev.Feedback, "\n")
	}
	for _, k := range domain.EvaluationKinds.Codes {
		if kinds[k] == 0 {
			t.Errorf("no %s evaluation", k)
		}
	}
	for _, d := range domain.Decisions.Codes {
		if decisions[d] == 0 {
			t.Errorf("no %s decision", d)
		}
	}
	if !comma || !quote || !newline {
		t.Errorf("feedback with comma %v, quote %v, line break %v; want all", comma, quote, newline)
	}

	certs := map[string]int{}
	for _, c := range ds.Certificates {
		certs[c.Kind]++
	}
	for _, k := range domain.CertificateKinds.Codes {
		if certs[k] == 0 {
			t.Errorf("no %s certificate", k)
		}
	}
	outs := map[string]int{}
	reasons := map[string]int{}
	for _, o := range ds.Outflows {
		outs[o.Type]++
		reasons[o.Reason]++
	}
	for _, k := range domain.OutflowTypes.Codes {
		if outs[k] == 0 {
			t.Errorf("no %s outflow", k)
		}
	}
	if len(reasons) < 6 {
		t.Errorf("only %d outflow reasons used", len(reasons)-1)
	}
	statuses := map[string]int{}
	for _, e := range ds.Enrollments {
		statuses[e.Status]++
	}
	for _, s := range domain.EnrollmentStatuses.Codes {
		if statuses[s] == 0 {
			t.Errorf("no %s enrollment", s)
		}
	}
	if statuses["completed"] < statuses["dropped"]*2 {
		t.Errorf("completed=%d dropped=%d, want far more completions", statuses["completed"], statuses["dropped"])
	}
	routes := map[string]int{}
	for _, l := range ds.Learners {
		routes[l.LearningRoute]++
	}
	for _, r := range domain.LearningRoutes.Codes {
		if routes[r] < len(ds.Learners)/20 {
			t.Errorf("route %s has %d learners", r, routes[r])
		}
	}
}

// TestImperfections asserts the gaps the data-quality checks should find.
func TestImperfections(t *testing.T) {
	ds := generate(t, Options{Learners: 2000, Seed: 1, Today: today})

	moduleEnd := map[string]bool{}
	for _, ev := range ds.Evaluations {
		if ev.Kind == "module_end" {
			moduleEnd[ev.Learner+"|"+ev.Group] = true
		}
	}
	placed := map[string]bool{}
	for _, p := range ds.Placements {
		placed[p.Learner] = true
	}
	var noEnd int
	noPlacement := map[string]bool{}
	for _, e := range ds.Enrollments {
		if e.Status == "completed" && !moduleEnd[e.Learner+"|"+e.Group] {
			noEnd++
		}
		if !placed[e.Learner] {
			noPlacement[e.Learner] = true
		}
	}
	followed := map[string]bool{}
	for _, f := range ds.FollowUps {
		followed[f.Learner] = true
	}
	var noFollowUp int
	for _, o := range ds.Outflows {
		if !followed[o.Learner] {
			noFollowUp++
		}
	}
	// Certificates issued more than 30 days after the pass they certify.
	module := map[string]string{}
	for _, g := range ds.Groups {
		module[g.Code] = g.Module
	}
	passed := map[string]domain.Date{}
	for _, ev := range ds.Evaluations {
		if ev.Kind == "module_end" && ev.Decision == "pass" {
			passed[ev.Learner+"|"+module[ev.Group]] = ev.Date
		}
	}
	var late int
	for _, c := range ds.Certificates {
		if d, ok := passed[c.Learner+"|"+c.Module]; ok && c.Kind == "module" && c.Date > d+30 {
			late++
		}
	}
	if late == 0 || late > len(ds.Certificates)/5 {
		t.Errorf("%d module certificates more than 30 days after the pass, want a few", late)
	}
	if noEnd == 0 || noEnd > len(ds.Enrollments)/10 {
		t.Errorf("%d completed enrollments without module_end evaluation, want a few", noEnd)
	}
	if len(noPlacement) == 0 || len(noPlacement) > len(ds.Learners)/20 {
		t.Errorf("%d learners enrolled without placement, want a few", len(noPlacement))
	}
	if noFollowUp == 0 || noFollowUp > len(ds.Outflows)*2/3 {
		t.Errorf("%d of %d outflows without follow-up, want some", noFollowUp, len(ds.Outflows))
	}
}

// TestScale checks the provider count scales mildly with the learners.
func TestScale(t *testing.T) {
	for _, c := range []struct{ learners, lo, hi int }{{10, 7, 7}, {2000, 8, 8}, {10000, 14, 18}, {100000, 20, 30}} {
		if n := providerCount(c.learners); n < c.lo || n > c.hi {
			t.Errorf("providerCount(%d)=%d, want %d-%d", c.learners, n, c.lo, c.hi)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("learners=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var rows int
			for b.Loop() {
				ds := Generate(Options{Learners: n, Seed: 1, Today: today})
				rows = countRows(ds)
			}
			b.ReportMetric(float64(rows), "rows/op")
		})
	}
}

func countRows(ds *domain.DataSet) int {
	return len(ds.Providers) + len(ds.Modules) + len(ds.Goals) + len(ds.Learners) + len(ds.LearnerGoals) +
		len(ds.Referrals) + len(ds.Groups) + len(ds.Placements) + len(ds.Enrollments) + len(ds.Evaluations) +
		len(ds.Certificates) + len(ds.Outflows) + len(ds.FollowUps) + len(ds.Observations) + len(ds.SurveyResponses) +
		len(ds.Lessons) + len(ds.Attendance)
}

package interchange

import (
	"slices"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// Known holds the records already in the database that imported rows may
// refer to. A nil map, or a nil *Known, holds nothing.
type Known struct {
	Providers map[string]bool
	Modules   map[string]*domain.Module
	Groups    map[string]*domain.Group
	Learners  map[string]domain.Date // learner id -> birth date
	// Enrollments are the stored enrollments by learner and group, for the
	// evaluations and observations of an import (nil when it has none).
	Enrollments map[[2]string]domain.Enrollment
	// Lessons and Attendance are the stored register, for the lessons,
	// attendance and enrollments of an import (nil when it has none):
	// attendance lies on a lesson, and an enrollment's given hours must
	// match its register's total (spec/domain.md, "Hours from the
	// register").
	Lessons    map[LessonKey]float64
	Attendance []domain.Attendance
	// Scoped says that Learners and Enrollments hold only the learners the
	// importing user may name (importer/scope.go): a learner outside them is
	// reported as not one of theirs, in the same words whether they exist
	// at another provider or nowhere, so the report tells neither.
	Scoped bool
}

// Validate checks a batch against the integrity rules of spec/domain.md and
// returns every broken rule as a RowError, ordered by entity and row
// (spec/interchange.md, "Import semantics": every error, not just the first).
// It checks each record on its own, its references to providers, modules,
// groups and learners in the batch or in known, natural keys that occur twice
// in one file, enrollment starts against their group, evaluations and
// observations against the learner's enrollment in the group and evaluated
// skills against the group's module, and the learner's minimum age on
// referral, placement and enrollment. Fields that Read already reported as unreadable are not checked
// again, so Read's and Validate's errors never repeat each other.
func Validate(b *Batch, known *Known) []RowError {
	if known == nil {
		known = &Known{}
	}
	v := &validator{b: b, k: known}
	v.index()
	v.checkProviders()
	v.checkModules()
	v.checkGoals()
	v.checkLearners()
	v.checkLearnerGoals()
	v.checkReferrals()
	v.checkGroups()
	v.checkLessons()
	v.checkPlacements()
	v.checkEnrollments()
	v.checkAttendance()
	v.checkEvaluations()
	v.checkCertificates()
	v.checkOutflows()
	v.checkFollowUps()
	v.checkObservations()
	v.checkSurveys()
	SortErrors(v.errs)
	return v.errs
}

// SortErrors orders errors by entity (in the order of Entities), then row,
// keeping the order of errors within a row; use it to merge the errors of
// Read and Validate into one report.
func SortErrors(errs []RowError) {
	order := map[string]int{}
	for _, e := range errs {
		if _, ok := order[e.Pos.File]; !ok {
			order[e.Pos.File] = entityOrder(EntityNamed(e.Pos.File))
		}
	}
	slices.SortStableFunc(errs, func(a, b RowError) int {
		if c := order[a.Pos.File] - order[b.Pos.File]; c != 0 {
			return c
		}
		if c := strings.Compare(a.Pos.File, b.Pos.File); c != 0 {
			return c
		}
		return a.Pos.Row - b.Pos.Row
	})
}

// validator overlays the batch's records on the known ones: a row may refer
// to a record elsewhere in the same import or in the database.
type validator struct {
	b    *Batch
	k    *Known
	errs []RowError

	// The batch's records by key. A nil value is a record that exists but
	// whose fields could not be read, so no rule is checked against it.
	providers map[string]bool
	modules   map[string]*domain.Module
	groups    map[string]*domain.Group
	learners  map[string]domain.Date

	enrollments map[[2]string]*domain.Enrollment // the batch's, made when first asked
	reg         *register                        // the register after the import, made when first asked
}

func (v *validator) index() {
	b := v.b
	v.providers = make(map[string]bool, len(b.Providers))
	for _, p := range b.Providers {
		v.providers[p.Code] = true
	}
	v.modules = make(map[string]*domain.Module, len(b.Modules))
	skills := uint32(1) << entModules.col("skills")
	for i := range b.Modules {
		m := &b.Modules[i]
		if b.badColumns(entModules, i)&skills != 0 {
			m = nil
		}
		v.modules[b.Modules[i].Code] = m
	}
	v.groups = make(map[string]*domain.Group, len(b.Groups))
	for i := range b.Groups {
		g := &b.Groups[i]
		if b.bad[entGroups.Name][i] == allColumns {
			g = nil
		}
		v.groups[b.Groups[i].Code] = g
	}
	v.learners = make(map[string]domain.Date, len(b.Learners))
	for i, l := range b.Learners {
		birth := l.BirthDate
		if b.bad[entLearners.Name][i] == allColumns {
			birth = 0
		}
		v.learners[l.ID] = birth
	}
}

func (v *validator) module(code string) (*domain.Module, bool) {
	if m, ok := v.modules[code]; ok {
		return m, true
	}
	m, ok := v.k.Modules[code]
	return m, ok
}

func (v *validator) group(code string) (*domain.Group, bool) {
	if g, ok := v.groups[code]; ok {
		return g, true
	}
	g, ok := v.k.Groups[code]
	return g, ok
}

func (v *validator) learner(id string) (domain.Date, bool) {
	if d, ok := v.learners[id]; ok {
		return d, true
	}
	d, ok := v.k.Learners[id]
	return d, ok
}

// check is the validation of one record.
type check struct {
	v    *validator
	ent  *Entity
	pos  Pos
	skip uint32 // columns not to check: unreadable or missing from the file
}

// record starts the check of record i of ent; ok is false for a row that
// could not be read at all (Read reported it).
func (v *validator) record(ent *Entity, i int) (c check, ok bool) {
	skip := v.b.badColumns(ent, i)
	return check{v: v, ent: ent, pos: v.b.pos(ent, i), skip: skip}, skip != allColumns
}

func (c *check) skips(column string) bool {
	j := c.ent.Column(column)
	return j >= 0 && c.skip&(1<<j) != 0
}

func (c *check) add(column string, t locale.Text) {
	if column != "" {
		column = c.v.b.ColumnName(c.ent.Name, c.pos, column)
	}
	c.v.errs = append(c.v.errs, RowError{Pos: c.pos, Column: column, Message: t.String(), Text: t})
}

// rules reports the broken rules of a record, except on skipped columns.
func (c *check) rules(fes []domain.FieldError) {
	for _, fe := range fes {
		if !c.skips(fe.Field) {
			c.add(fe.Field, fe.Text)
		}
	}
}

func (c *check) rule(fe *domain.FieldError) {
	if fe != nil && !c.skips(fe.Field) {
		c.add(fe.Field, fe.Text)
	}
}

// ref reports whether a reference should be checked: it is filled in and readable.
func (c *check) ref(column, value string) bool {
	return value != "" && !c.skips(column)
}

func (c *check) provider(column, code string) {
	if c.ref(column, code) && !c.v.providers[code] && !c.v.k.Providers[code] {
		c.add(column, locale.New("check.noprovider", code))
	}
}

// module checks a module reference and returns the module when its rules can
// be checked against.
func (c *check) module(column, code string) *domain.Module {
	if !c.ref(column, code) {
		return nil
	}
	m, ok := c.v.module(code)
	if !ok {
		c.add(column, locale.New("check.nomodule", code))
	}
	return m
}

func (c *check) group(column, code string) *domain.Group {
	if !c.ref(column, code) {
		return nil
	}
	g, ok := c.v.group(code)
	if !ok {
		c.add(column, locale.New("check.nogroup", code))
	}
	return g
}

func (c *check) learner(column, id string) {
	if !c.ref(column, id) {
		return
	}
	if _, ok := c.v.learner(id); ok {
		return
	}
	if c.v.k.Scoped {
		c.add(column, locale.New("check.notyourlearner", id))
	} else {
		c.add(column, locale.New("check.nolearner", id))
	}
}

// age checks the learner's minimum age on an event date (spec/domain.md,
// "Integrity rules").
func (c *check) age(column, learner string, on domain.Date) {
	if c.skips("learner") || c.skips(column) {
		return
	}
	if birth, ok := c.v.learner(learner); ok {
		c.rule(domain.CheckAge(column, birth, on))
	}
}

// key is a natural key: at most three text columns and a date.
type key struct {
	a, b, c string
	d       domain.Date
}

// unique reports a natural key that an earlier row of the same file holds
// (spec/interchange.md: duplicate keys within the file are errors).
func (c *check) unique(seen map[key]int, k key) {
	for _, col := range c.ent.Key {
		if c.skips(col) {
			return
		}
	}
	if row, ok := seen[k]; ok {
		c.add("", locale.New("check.duplicate", strings.Join(c.ent.Key, ", "), row))
		return
	}
	seen[k] = c.pos.Row
}

func (v *validator) checkProviders() {
	seen := map[key]int{}
	for i := range v.b.Providers {
		x := &v.b.Providers[i]
		if c, ok := v.record(entProviders, i); ok {
			c.rules(x.Validate())
			c.unique(seen, key{a: x.Code})
		}
	}
}

func (v *validator) checkModules() {
	seen := map[key]int{}
	for i := range v.b.Modules {
		x := &v.b.Modules[i]
		if c, ok := v.record(entModules, i); ok {
			c.rules(x.Validate())
			c.provider("provider", x.Provider)
			c.unique(seen, key{a: x.Code})
		}
	}
}

func (v *validator) checkGoals() {
	seen := map[key]int{}
	for i := range v.b.Goals {
		x := &v.b.Goals[i]
		if c, ok := v.record(entGoals, i); ok {
			c.rules(x.Validate())
			c.module("module", x.Module)
			c.unique(seen, key{a: x.Code})
		}
	}
}

func (v *validator) checkLearners() {
	seen := make(map[key]int, len(v.b.Learners))
	for i := range v.b.Learners {
		x := &v.b.Learners[i]
		if c, ok := v.record(entLearners, i); ok {
			c.rules(x.Validate())
			c.unique(seen, key{a: x.ID})
		}
	}
}

func (v *validator) checkLearnerGoals() {
	seen := make(map[key]int, len(v.b.LearnerGoals))
	for i := range v.b.LearnerGoals {
		x := &v.b.LearnerGoals[i]
		if c, ok := v.record(entLearnerGoals, i); ok {
			c.rules(x.Validate())
			c.learner("learner", x.Learner)
			c.unique(seen, key{a: x.Learner, b: x.Skill.String()})
		}
	}
}

func (v *validator) checkReferrals() {
	seen := make(map[key]int, len(v.b.Referrals))
	for i := range v.b.Referrals {
		x := &v.b.Referrals[i]
		if c, ok := v.record(entReferrals, i); ok {
			c.rules(x.Validate())
			c.learner("learner", x.Learner)
			c.provider("provider", x.Provider)
			c.age("date", x.Learner, x.Date)
			c.unique(seen, key{a: x.Learner, d: x.Date})
		}
	}
}

func (v *validator) checkGroups() {
	seen := make(map[key]int, len(v.b.Groups))
	for i := range v.b.Groups {
		x := &v.b.Groups[i]
		if c, ok := v.record(entGroups, i); ok {
			c.rules(x.Validate())
			c.module("module", x.Module)
			c.unique(seen, key{a: x.Code})
		}
	}
}

func (v *validator) checkPlacements() {
	seen := make(map[key]int, len(v.b.Placements))
	for i := range v.b.Placements {
		x := &v.b.Placements[i]
		if c, ok := v.record(entPlacements, i); ok {
			c.rules(x.Validate())
			c.learner("learner", x.Learner)
			c.module("module", x.Module)
			c.age("date", x.Learner, x.Date)
			c.unique(seen, key{a: x.Learner, b: x.Module, d: x.Date})
		}
	}
}

func (v *validator) checkEnrollments() {
	seen := make(map[key]int, len(v.b.Enrollments))
	for i := range v.b.Enrollments {
		x := &v.b.Enrollments[i]
		if c, ok := v.record(entEnrollments, i); ok {
			c.rules(x.Validate())
			c.learner("learner", x.Learner)
			if g := c.group("group", x.Group); g != nil {
				c.rule(domain.CheckEnrollmentStart(x, g))
			}
			c.age("start_date", x.Learner, x.StartDate)
			if !c.skips("hours_attended") && !c.skips("learner") && !c.skips("group") {
				var given *float64
				if !v.b.blankHours[i] {
					given = &x.HoursAttended
				}
				total, ok := v.register().total(x.Learner, x.Group)
				c.rule(domain.CheckRegisterTotal(given, total, ok))
			}
			c.unique(seen, key{a: x.Learner, b: x.Group})
		}
	}
}

func (v *validator) checkEvaluations() {
	seen := make(map[key]int, len(v.b.Evaluations))
	for i := range v.b.Evaluations {
		x := &v.b.Evaluations[i]
		if c, ok := v.record(entEvaluations, i); ok {
			c.rules(x.Validate())
			c.learner("learner", x.Learner)
			if g := c.group("group", x.Group); g != nil {
				// The rules of an evaluation in its group, as every write
				// path asks them (domain.CheckEvaluation): the learner
				// enrolled in it, levels only for skills its module
				// evaluates. The rules of a new entry on the grid (its date
				// window, not after today) are not the import's: see
				// domain/entry.go for why.
				m, _ := v.module(g.Module)
				if _, known := v.learner(x.Learner); known && !c.skips("learner") {
					c.rules(domain.CheckEvaluation(x, m, v.enrollment(x.Learner, x.Group)))
				} else if m != nil {
					c.rules(domain.CheckEvaluationSkills(x, m))
				}
			}
			c.unique(seen, key{a: x.Learner, b: x.Group, c: x.Kind, d: x.Date})
		}
	}
}

func (v *validator) checkCertificates() {
	seen := make(map[key]int, len(v.b.Certificates))
	for i := range v.b.Certificates {
		x := &v.b.Certificates[i]
		if c, ok := v.record(entCertificates, i); ok {
			c.rules(x.Validate())
			c.learner("learner", x.Learner)
			c.module("module", x.Module)
			c.unique(seen, key{a: x.Learner, b: x.Kind, c: x.Module, d: x.Date})
		}
	}
}

func (v *validator) checkOutflows() {
	seen := make(map[key]int, len(v.b.Outflows))
	for i := range v.b.Outflows {
		x := &v.b.Outflows[i]
		if c, ok := v.record(entOutflows, i); ok {
			c.rules(x.Validate())
			c.learner("learner", x.Learner)
			c.provider("provider", x.Provider)
			c.unique(seen, key{a: x.Learner, d: x.Date})
		}
	}
}

func (v *validator) checkFollowUps() {
	seen := make(map[key]int, len(v.b.FollowUps))
	for i := range v.b.FollowUps {
		x := &v.b.FollowUps[i]
		if c, ok := v.record(entFollowUps, i); ok {
			c.rules(x.Validate())
			c.learner("learner", x.Learner)
			c.unique(seen, key{a: x.Learner, d: x.Date})
		}
	}
}

// enrollment returns the enrollment of learner in group, from the batch or
// the database; nil when there is none.
func (v *validator) enrollment(learner, group string) *domain.Enrollment {
	if v.enrollments == nil {
		v.enrollments = make(map[[2]string]*domain.Enrollment, len(v.b.Enrollments))
		for i := range v.b.Enrollments {
			e := &v.b.Enrollments[i]
			v.enrollments[[2]string{e.Learner, e.Group}] = e
		}
	}
	if e, ok := v.enrollments[[2]string{learner, group}]; ok {
		return e
	}
	if e, ok := v.k.Enrollments[[2]string{learner, group}]; ok {
		return &e
	}
	return nil
}

// checkObservations checks each observation on its own, its learner and
// group, and that it lies within the learner's enrollment in the group
// (spec/domain.md, "Integrity rules").
func (v *validator) checkObservations() {
	seen := make(map[key]int, len(v.b.Observations))
	for i := range v.b.Observations {
		x := &v.b.Observations[i]
		c, ok := v.record(entObservations, i)
		if !ok {
			continue
		}
		c.rules(x.Validate())
		c.learner("learner", x.Learner)
		g := c.group("group", x.Group)
		if _, known := v.learner(x.Learner); known && g != nil && !c.skips("date") && x.Date != 0 {
			c.rule(domain.CheckObservation(x, v.enrollment(x.Learner, x.Group)))
		}
		c.unique(seen, key{a: x.Learner, b: x.Group, d: x.Date})
	}
}

// checkSurveys checks each survey response on its own, its provider, and
// its learner and group when it names them: the group must be one of the
// response's provider.
func (v *validator) checkSurveys() {
	seen := make(map[key]int, len(v.b.SurveyResponses))
	for i := range v.b.SurveyResponses {
		x := &v.b.SurveyResponses[i]
		c, ok := v.record(entSurveys, i)
		if !ok {
			continue
		}
		c.rules(x.Validate())
		c.provider("provider", x.Provider)
		c.learner("learner", x.Learner)
		if g := c.group("group", x.Group); g != nil && x.Provider != "" && !c.skips("provider") {
			if m, _ := v.module(g.Module); m != nil && m.Provider != x.Provider {
				c.add("group", locale.New("check.groupprovider", x.Group, m.Provider, x.Provider))
			}
		}
		c.unique(seen, key{a: x.ID})
	}
}

// LessonKey names a lesson: its group and date.
type LessonKey struct {
	Group string
	Date  domain.Date
}

// register is the attendance register as it will stand after the import:
// the stored lessons and records with the batch's in their place.
type register struct {
	lessons map[LessonKey]*float64            // nil hours: a lesson whose hours could not be read
	records map[[2]string][]domain.Attendance // (learner, group) → records on a known lesson
	stored  map[LessonKey][]domain.Attendance // the stored records the batch does not replace, by lesson
}

func (v *validator) register() *register {
	if v.reg != nil {
		return v.reg
	}
	r := &register{lessons: make(map[LessonKey]*float64, len(v.k.Lessons)+len(v.b.Lessons)),
		records: map[[2]string][]domain.Attendance{}, stored: map[LessonKey][]domain.Attendance{}}
	for k, h := range v.k.Lessons {
		r.lessons[k] = &h
	}
	for i := range v.b.Lessons {
		l := &v.b.Lessons[i]
		if v.b.badColumns(entLessons, i)&(1<<entLessons.col("group")|1<<entLessons.col("date")) != 0 {
			continue
		}
		h := &l.Hours
		if v.b.badColumns(entLessons, i)&(1<<entLessons.col("hours")) != 0 {
			h = nil
		}
		r.lessons[LessonKey{l.Group, l.Date}] = h
	}
	type recKey struct {
		learner string
		lesson  LessonKey
	}
	batch := make(map[recKey]bool, len(v.b.Attendance))
	for i := range v.b.Attendance {
		a := &v.b.Attendance[i]
		if v.b.badColumns(entAttendance, i) == allColumns {
			continue
		}
		batch[recKey{a.Learner, LessonKey{a.Group, a.Date}}] = true
		r.records[[2]string{a.Learner, a.Group}] = append(r.records[[2]string{a.Learner, a.Group}], *a)
	}
	for _, a := range v.k.Attendance {
		lk := LessonKey{a.Group, a.Date}
		if batch[recKey{a.Learner, lk}] {
			continue
		}
		r.stored[lk] = append(r.stored[lk], a)
		r.records[[2]string{a.Learner, a.Group}] = append(r.records[[2]string{a.Learner, a.Group}], a)
	}
	v.reg = r
	return r
}

func (r *register) lessonHours(group string, d domain.Date) float64 {
	if h := r.lessons[LessonKey{group, d}]; h != nil {
		return *h
	}
	return 0
}

// total is the register total of an enrollment (domain.RegisterHours), ok
// false when it has no record.
func (r *register) total(learner, group string) (float64, bool) {
	return domain.RegisterHours(r.records[[2]string{learner, group}], r.lessonHours)
}

// checkLessons checks each lesson on its own, its group, that it lies
// within the group's dates, and that it is not shorter than the hours a
// stored record of it gives (spec/domain.md, "lesson", "attendance").
func (v *validator) checkLessons() {
	seen := make(map[key]int, len(v.b.Lessons))
	for i := range v.b.Lessons {
		x := &v.b.Lessons[i]
		c, ok := v.record(entLessons, i)
		if !ok {
			continue
		}
		c.rules(x.Validate())
		if g := c.group("group", x.Group); g != nil && !c.skips("date") {
			c.rule(domain.CheckLessonInGroup(x, g))
		}
		if !c.skips("hours") && !c.skips("group") && !c.skips("date") && x.Hours > 0 {
			for _, a := range v.register().stored[LessonKey{x.Group, x.Date}] {
				if a.Hours != nil && *a.Hours > x.Hours && !domain.SameHours(*a.Hours, x.Hours) {
					c.add("hours", locale.New("rule.lessonbelowattendance", locale.Decimal(x.Hours), locale.Decimal(*a.Hours), a.Learner, x.Date))
					break
				}
			}
		}
		c.unique(seen, key{a: x.Group, d: x.Date})
	}
}

// checkAttendance checks each attendance record on its own, its learner
// and group, and its context (domain.CheckAttendance): a lesson of the
// group that day, in the batch or stored, hours not above the lesson's,
// and the learner enrolled in the group on that day.
func (v *validator) checkAttendance() {
	seen := make(map[key]int, len(v.b.Attendance))
	for i := range v.b.Attendance {
		x := &v.b.Attendance[i]
		c, ok := v.record(entAttendance, i)
		if !ok {
			continue
		}
		c.rules(x.Validate())
		c.learner("learner", x.Learner)
		g := c.group("group", x.Group)
		if _, known := v.learner(x.Learner); known && g != nil && !c.skips("learner") && !c.skips("date") && x.Date != 0 {
			var lesson *domain.Lesson
			if h, ok := v.register().lessons[LessonKey{x.Group, x.Date}]; ok {
				lesson = &domain.Lesson{Group: x.Group, Date: x.Date, Hours: 1e300} // hours unreadable: not checked against
				if h != nil {
					lesson.Hours = *h
				}
			}
			if !c.skips("hours") {
				c.rules(domain.CheckAttendance(x, lesson, v.enrollment(x.Learner, x.Group)))
			} else {
				c.rules(domain.CheckAttendance(&domain.Attendance{Learner: x.Learner, Group: x.Group, Date: x.Date}, lesson, v.enrollment(x.Learner, x.Group)))
			}
		}
		c.unique(seen, key{a: x.Learner, b: x.Group, d: x.Date})
	}
}

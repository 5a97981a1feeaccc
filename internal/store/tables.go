package store

import (
	"database/sql"
	"fmt"
	"strconv"

	"github.com/traject-nt2/traject/internal/domain"
)

// table maps one entity onto its SQL table: the columns in interchange order,
// which of them form the natural key, and how a record becomes column values
// and back. Upsert, load and export all go through these descriptors.
type table struct {
	entity   string // interchange entity name, e.g. "enrollments"
	name     string // SQL table
	cols     []string
	slim     []int        // columns that computing indicators does not need (see LoadOptions.Slim)
	key      []int        // indexes into cols of the natural key
	nullKey  map[int]bool // key columns that may be NULL (matched through COALESCE)
	count    func(ds *domain.DataSet) int
	values   func(ds *domain.DataSet, i int, dst []any)
	scanInto func(ds *domain.DataSet, raw []sql.RawBytes, in *interner) error
}

// tables lists every entity in the import order of spec/interchange.md.
var tables = []*table{
	{
		entity: "providers", name: "providers", cols: []string{"code", "name", "type"}, key: []int{0},
		count: func(ds *domain.DataSet) int { return len(ds.Providers) },
		values: func(ds *domain.DataSet, i int, v []any) {
			p := &ds.Providers[i]
			v[0], v[1], v[2] = p.Code, p.Name, p.Type
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			ds.Providers = append(ds.Providers, domain.Provider{Code: in.at(r, 0), Name: string(r[1]), Type: in.at(r, 2)})
			return nil
		},
	},
	{
		entity: "modules", name: "modules", key: []int{0},
		cols:  []string{"code", "provider", "name", "programme", "entry_level", "target_level", "skills", "nominal_hours"},
		count: func(ds *domain.DataSet) int { return len(ds.Modules) },
		values: func(ds *domain.DataSet, i int, v []any) {
			m := &ds.Modules[i]
			v[0], v[1], v[2], v[3] = m.Code, m.Provider, m.Name, m.Programme
			v[4], v[5], v[6], v[7] = level(m.EntryLevel), level(m.TargetLevel), m.Skills.String(), int64(m.NominalHours)
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			m := domain.Module{Code: in.at(r, 0), Provider: in.at(r, 1), Name: string(r[2]), Programme: in.at(r, 3)}
			var err error
			m.EntryLevel, err = scanLevel(r[4], err)
			m.TargetLevel, err = scanLevel(r[5], err)
			if err == nil {
				m.Skills, err = domain.ParseSkillSet(string(r[6]))
			}
			m.NominalHours, err = scanInt(r[7], err)
			ds.Modules = append(ds.Modules, m)
			return err
		},
	},
	{
		entity: "goals", name: "goals", key: []int{0},
		cols:  []string{"code", "module", "skill", "level", "description", "source"},
		count: func(ds *domain.DataSet) int { return len(ds.Goals) },
		values: func(ds *domain.DataSet, i int, v []any) {
			g := &ds.Goals[i]
			v[0], v[1], v[2], v[3], v[4], v[5] = g.Code, null(g.Module), g.Skill.String(), level(g.Level), g.Description, g.Source
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			g := domain.Goal{Code: in.at(r, 0), Module: in.at(r, 1), Description: string(r[4]), Source: in.at(r, 5)}
			var err error
			g.Skill, err = domain.ParseSkill(string(r[2]))
			g.Level, err = scanLevel(r[3], err)
			ds.Goals = append(ds.Goals, g)
			return err
		},
	},
	{
		entity: "learners", name: "learners", key: []int{0}, slim: []int{1, 2, 5, 6, 8, 12},
		cols: []string{"id", "first_name", "last_name", "birth_date", "gender", "home_language", "country_of_birth",
			"schooling_level", "schooling_years", "literacy", "learning_route", "civic_status", "perspective", "counsellor"},
		count: func(ds *domain.DataSet) int { return len(ds.Learners) },
		values: func(ds *domain.DataSet, i int, v []any) {
			l := &ds.Learners[i]
			v[0], v[1], v[2], v[3], v[4], v[5], v[6] = l.ID, l.FirstName, l.LastName, date(l.BirthDate), l.Gender, l.HomeLanguage, l.CountryOfBirth
			v[7], v[8], v[9], v[10], v[11], v[12], v[13] = l.SchoolingLevel, nil, l.Literacy, l.LearningRoute, l.CivicStatus, l.Perspective, l.Counsellor
			if l.SchoolingYears != nil {
				v[8] = int64(*l.SchoolingYears)
			}
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			l := domain.Learner{ID: string(r[0]), FirstName: in.at(r, 1), LastName: in.at(r, 2), Gender: in.at(r, 4),
				HomeLanguage: in.at(r, 5), CountryOfBirth: in.at(r, 6), SchoolingLevel: in.at(r, 7), Literacy: in.at(r, 9),
				LearningRoute: in.at(r, 10), CivicStatus: in.at(r, 11), Perspective: in.at(r, 12), Counsellor: in.at(r, 13)}
			var err error
			l.BirthDate, err = scanDate(r[3], err)
			if r[8] != nil {
				var n int
				n, err = scanInt(r[8], err)
				l.SchoolingYears = &n
			}
			in.learner(l.ID)
			ds.Learners = append(ds.Learners, l)
			return err
		},
	},
	{
		entity: "learner_goals", name: "learner_goals", key: []int{0, 1},
		cols:  []string{"learner", "skill", "target_level", "set_date", "target_date"},
		count: func(ds *domain.DataSet) int { return len(ds.LearnerGoals) },
		values: func(ds *domain.DataSet, i int, v []any) {
			g := &ds.LearnerGoals[i]
			v[0], v[1], v[2], v[3], v[4] = g.Learner, g.Skill.String(), level(g.TargetLevel), date(g.SetDate), date(g.TargetDate)
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			g := domain.LearnerGoal{Learner: in.at(r, 0)}
			var err error
			g.Skill, err = domain.ParseSkill(string(r[1]))
			g.TargetLevel, err = scanLevel(r[2], err)
			g.SetDate, err = scanDate(r[3], err)
			g.TargetDate, err = scanDate(r[4], err)
			ds.LearnerGoals = append(ds.LearnerGoals, g)
			return err
		},
	},
	{
		entity: "learner_links", name: "learner_links", key: []int{0, 1},
		cols:  []string{"learner", "provider", "date"},
		count: func(ds *domain.DataSet) int { return len(ds.LearnerLinks) },
		values: func(ds *domain.DataSet, i int, v []any) {
			x := &ds.LearnerLinks[i]
			v[0], v[1], v[2] = x.Learner, x.Provider, date(x.Date)
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			x := domain.LearnerLink{Learner: in.at(r, 0), Provider: in.at(r, 1)}
			var err error
			x.Date, err = scanDate(r[2], err)
			ds.LearnerLinks = append(ds.LearnerLinks, x)
			return err
		},
	},
	{
		entity: "referrals", name: "referrals", key: []int{0, 1}, slim: []int{2},
		cols:  []string{"learner", "date", "source", "provider"},
		count: func(ds *domain.DataSet) int { return len(ds.Referrals) },
		values: func(ds *domain.DataSet, i int, v []any) {
			x := &ds.Referrals[i]
			v[0], v[1], v[2], v[3] = x.Learner, date(x.Date), x.Source, null(x.Provider)
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			x := domain.Referral{Learner: in.at(r, 0), Source: in.at(r, 2), Provider: in.at(r, 3)}
			var err error
			x.Date, err = scanDate(r[1], err)
			ds.Referrals = append(ds.Referrals, x)
			return err
		},
	},
	{
		entity: "groups", name: "course_groups", key: []int{0}, slim: []int{6},
		cols:  []string{"code", "module", "start_date", "end_date", "planned_hours", "teacher", "intensity"},
		count: func(ds *domain.DataSet) int { return len(ds.Groups) },
		values: func(ds *domain.DataSet, i int, v []any) {
			g := &ds.Groups[i]
			v[0], v[1], v[2], v[3], v[4], v[5], v[6] = g.Code, g.Module, date(g.StartDate), date(g.EndDate), int64(g.PlannedHours), g.Teacher, g.Intensity
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			g := domain.Group{Code: in.at(r, 0), Module: in.at(r, 1), Teacher: in.at(r, 5), Intensity: in.at(r, 6)}
			var err error
			g.StartDate, err = scanDate(r[2], err)
			g.EndDate, err = scanDate(r[3], err)
			g.PlannedHours, err = scanInt(r[4], err)
			ds.Groups = append(ds.Groups, g)
			return err
		},
	},
	{
		entity: "lessons", name: "lessons", key: []int{0, 1},
		cols:  []string{"group_code", "date", "hours"},
		count: func(ds *domain.DataSet) int { return len(ds.Lessons) },
		values: func(ds *domain.DataSet, i int, v []any) {
			l := &ds.Lessons[i]
			v[0], v[1], v[2] = l.Group, date(l.Date), l.Hours
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			l := domain.Lesson{Group: in.at(r, 0)}
			var err error
			l.Date, err = scanDate(r[1], err)
			l.Hours, err = scanFloat(r[2], err)
			ds.Lessons = append(ds.Lessons, l)
			return err
		},
	},
	{
		entity: "placements", name: "placements", key: []int{0, 1, 2}, slim: []int{3},
		cols:  []string{"learner", "date", "module", "method", "listening", "reading", "spoken_interaction", "spoken_production", "writing"},
		count: func(ds *domain.DataSet) int { return len(ds.Placements) },
		values: func(ds *domain.DataSet, i int, v []any) {
			p := &ds.Placements[i]
			v[0], v[1], v[2], v[3] = p.Learner, date(p.Date), p.Module, p.Method
			levels(p.Levels, v[4:9])
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			p := domain.Placement{Learner: in.at(r, 0), Module: in.at(r, 2), Method: in.at(r, 3)}
			var err error
			p.Date, err = scanDate(r[1], err)
			p.Levels, err = scanLevels(r[4:9], err)
			ds.Placements = append(ds.Placements, p)
			return err
		},
	},
	{
		entity: "enrollments", name: "enrollments", key: []int{0, 1},
		cols:  []string{"learner", "group_code", "start_date", "end_date", "status", "hours_attended"},
		count: func(ds *domain.DataSet) int { return len(ds.Enrollments) },
		values: func(ds *domain.DataSet, i int, v []any) {
			e := &ds.Enrollments[i]
			v[0], v[1], v[2], v[3], v[4], v[5] = e.Learner, e.Group, date(e.StartDate), date(e.EndDate), e.Status, e.HoursAttended
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			e := domain.Enrollment{Learner: in.at(r, 0), Group: in.at(r, 1), Status: in.at(r, 4)}
			var err error
			e.StartDate, err = scanDate(r[2], err)
			e.EndDate, err = scanDate(r[3], err)
			e.HoursAttended, err = scanFloat(r[5], err)
			ds.Enrollments = append(ds.Enrollments, e)
			return err
		},
	},
	{
		entity: "attendance", name: "attendance", key: []int{0, 1, 2},
		cols:  []string{"learner", "group_code", "date", "status", "hours"},
		count: func(ds *domain.DataSet) int { return len(ds.Attendance) },
		values: func(ds *domain.DataSet, i int, v []any) {
			a := &ds.Attendance[i]
			v[0], v[1], v[2], v[3], v[4] = a.Learner, a.Group, date(a.Date), a.Status, nil
			if a.Hours != nil {
				v[4] = *a.Hours
			}
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			a := domain.Attendance{Learner: in.at(r, 0), Group: in.at(r, 1), Status: in.at(r, 3)}
			var err error
			a.Date, err = scanDate(r[2], err)
			if r[4] != nil {
				var h float64
				h, err = scanFloat(r[4], err)
				a.Hours = &h
			}
			ds.Attendance = append(ds.Attendance, a)
			return err
		},
	},
	{
		entity: "evaluations", name: "evaluations", key: []int{0, 1, 2, 3}, nullKey: map[int]bool{1: true}, slim: []int{10, 11},
		cols: []string{"learner", "group_code", "date", "kind", "listening", "reading", "spoken_interaction", "spoken_production", "writing",
			"decision", "evaluator", "feedback"},
		count: func(ds *domain.DataSet) int { return len(ds.Evaluations) },
		values: func(ds *domain.DataSet, i int, v []any) {
			e := &ds.Evaluations[i]
			v[0], v[1], v[2], v[3] = e.Learner, null(e.Group), date(e.Date), e.Kind
			levels(e.Levels, v[4:9])
			v[9], v[10], v[11] = e.Decision, e.Evaluator, e.Feedback
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			e := domain.Evaluation{Learner: in.at(r, 0), Group: in.at(r, 1), Kind: in.at(r, 3), Decision: in.at(r, 9),
				Evaluator: in.at(r, 10), Feedback: in.at(r, 11)}
			var err error
			e.Date, err = scanDate(r[2], err)
			e.Levels, err = scanLevels(r[4:9], err)
			ds.Evaluations = append(ds.Evaluations, e)
			return err
		},
	},
	{
		entity: "certificates", name: "certificates", key: []int{0, 1, 2, 3}, nullKey: map[int]bool{2: true}, slim: []int{4, 5},
		cols:  []string{"learner", "kind", "module", "date", "number", "level"},
		count: func(ds *domain.DataSet) int { return len(ds.Certificates) },
		values: func(ds *domain.DataSet, i int, v []any) {
			c := &ds.Certificates[i]
			v[0], v[1], v[2], v[3], v[4], v[5] = c.Learner, c.Kind, null(c.Module), date(c.Date), c.Number, level(c.Level)
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			c := domain.Certificate{Learner: in.at(r, 0), Kind: in.at(r, 1), Module: in.at(r, 2), Number: string(r[4])}
			var err error
			c.Date, err = scanDate(r[3], err)
			c.Level, err = scanLevel(r[5], err)
			ds.Certificates = append(ds.Certificates, c)
			return err
		},
	},
	{
		entity: "outflows", name: "outflows", key: []int{0, 1},
		cols:  []string{"learner", "date", "type", "reason", "destination", "provider"},
		count: func(ds *domain.DataSet) int { return len(ds.Outflows) },
		values: func(ds *domain.DataSet, i int, v []any) {
			o := &ds.Outflows[i]
			v[0], v[1], v[2], v[3], v[4], v[5] = o.Learner, date(o.Date), o.Type, o.Reason, o.Destination, null(o.Provider)
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			o := domain.Outflow{Learner: in.at(r, 0), Type: in.at(r, 2), Reason: in.at(r, 3), Destination: in.at(r, 4), Provider: in.at(r, 5)}
			var err error
			o.Date, err = scanDate(r[1], err)
			ds.Outflows = append(ds.Outflows, o)
			return err
		},
	},
	{
		entity: "followups", name: "followups", key: []int{0, 1},
		cols:  []string{"learner", "date", "status"},
		count: func(ds *domain.DataSet) int { return len(ds.FollowUps) },
		values: func(ds *domain.DataSet, i int, v []any) {
			f := &ds.FollowUps[i]
			v[0], v[1], v[2] = f.Learner, date(f.Date), f.Status
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			f := domain.FollowUp{Learner: in.at(r, 0), Status: in.at(r, 2)}
			var err error
			f.Date, err = scanDate(r[1], err)
			ds.FollowUps = append(ds.FollowUps, f)
			return err
		},
	},
	{
		entity: "observations", name: "observations", key: []int{0, 1, 2}, slim: []int{5, 6},
		cols:  []string{"learner", "group_code", "date", "wellbeing", "involvement", "observer", "note"},
		count: func(ds *domain.DataSet) int { return len(ds.Observations) },
		values: func(ds *domain.DataSet, i int, v []any) {
			o := &ds.Observations[i]
			v[0], v[1], v[2], v[3], v[4], v[5], v[6] = o.Learner, o.Group, date(o.Date), score(o.Wellbeing), score(o.Involvement), o.Observer, o.Note
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			o := domain.Observation{Learner: in.at(r, 0), Group: in.at(r, 1), Observer: in.at(r, 5), Note: string(r[6])}
			var err error
			o.Date, err = scanDate(r[2], err)
			o.Wellbeing, err = scanScore(r[3], err)
			o.Involvement, err = scanScore(r[4], err)
			ds.Observations = append(ds.Observations, o)
			return err
		},
	},
	{
		entity: "survey_responses", name: "survey_responses", key: []int{0}, slim: []int{10},
		cols: []string{"id", "provider", "date", "respondent", "learner", "group_code", "partner_type", "wellbeing", "involvement",
			"satisfaction", "comment"},
		count: func(ds *domain.DataSet) int { return len(ds.SurveyResponses) },
		values: func(ds *domain.DataSet, i int, v []any) {
			x := &ds.SurveyResponses[i]
			v[0], v[1], v[2], v[3], v[4], v[5] = x.ID, x.Provider, date(x.Date), x.Respondent, null(x.Learner), null(x.Group)
			v[6], v[7], v[8], v[9], v[10] = x.PartnerType, score(x.Wellbeing), score(x.Involvement), score(x.Satisfaction), x.Comment
		},
		scanInto: func(ds *domain.DataSet, r []sql.RawBytes, in *interner) error {
			x := domain.SurveyResponse{ID: string(r[0]), Provider: in.at(r, 1), Respondent: in.at(r, 3), Learner: in.at(r, 4),
				Group: in.at(r, 5), PartnerType: in.at(r, 6), Comment: string(r[10])}
			var err error
			x.Date, err = scanDate(r[2], err)
			x.Wellbeing, err = scanScore(r[7], err)
			x.Involvement, err = scanScore(r[8], err)
			x.Satisfaction, err = scanScore(r[9], err)
			ds.SurveyResponses = append(ds.SurveyResponses, x)
			return err
		},
	},
}

// tableFor returns the descriptor of an interchange entity name.
func tableFor(entity string) *table {
	for _, t := range tables {
		if t.entity == entity {
			return t
		}
	}
	return nil
}

// Column values: blank optional references, dates and levels are NULL.

func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func date(d domain.Date) any {
	if d == 0 {
		return nil
	}
	return d.String()
}

// score is a score's column value: NULL when not given.
func score(s domain.Score) any {
	if s == 0 {
		return nil
	}
	return int64(s)
}

func level(l domain.Level) any {
	if l == domain.NoLevel {
		return nil
	}
	return l.String()
}

func levels(ls domain.Levels, dst []any) {
	for i, l := range ls {
		dst[i] = level(l)
	}
}

// Scanning: each helper passes an earlier error through, so a scan function
// reads as a list of fields and reports the first bad one.

func scanDate(b sql.RawBytes, err error) (domain.Date, error) {
	if err != nil || b == nil {
		return 0, err
	}
	d, ok := domain.ParseISO(string(b))
	if !ok {
		return 0, fmt.Errorf("stored date %q is not YYYY-MM-DD", b)
	}
	return d, nil
}

var levelByCode = func() map[string]domain.Level {
	m := make(map[string]domain.Level, len(domain.Ladder))
	for i, c := range domain.Ladder {
		m[c] = domain.Level(i)
	}
	return m
}()

func scanLevel(b sql.RawBytes, err error) (domain.Level, error) {
	if err != nil || b == nil {
		return domain.NoLevel, err
	}
	if l, ok := levelByCode[string(b)]; ok {
		return l, nil
	}
	return domain.ParseLevel(string(b))
}

func scanLevels(bs []sql.RawBytes, err error) (domain.Levels, error) {
	ls := domain.NoLevels
	for i, b := range bs {
		ls[i], err = scanLevel(b, err)
	}
	return ls, err
}

func scanInt(b sql.RawBytes, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	// Both drivers give whole-number columns back in decimal: SQLite's
	// INTEGER affinity stores 120.0 as 120, PostgreSQL's integer types have no
	// fraction. Anything else is a damaged row, not a number to round.
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return 0, fmt.Errorf("stored number %q is not a whole number", b)
	}
	return n, nil
}

// scanScore reads a score column, NULL as no score.
func scanScore(b sql.RawBytes, err error) (domain.Score, error) {
	if err != nil || b == nil {
		return 0, err
	}
	n, err := scanInt(b, nil)
	return domain.Score(n), err
}

func scanFloat(b sql.RawBytes, err error) (float64, error) {
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return 0, fmt.Errorf("stored number %q is not a number", b)
	}
	return f, nil
}

// interner shares one string per distinct value (learner ids, codes) across
// the rows loaded, so a million evaluations do not hold a million copies.
type interner struct {
	m    map[string]string
	last [16]string // the previous value per column, see at
}

func newInterner() *interner { return &interner{m: make(map[string]string, 1024)} }

func (in *interner) str(b sql.RawBytes) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(in.m) < 4_000_000 {
		in.m[s] = s
	}
	return s
}

func (in *interner) learner(id string) { in.m[id] = id }

// at interns column i of a row. Rows come in key order, so a column often
// repeats the previous row's value (the same learner, group or code); that
// case is answered without a map lookup.
func (in *interner) at(r []sql.RawBytes, i int) string {
	b := r[i]
	if i < len(in.last) && len(b) > 0 && string(b) == in.last[i] {
		return in.last[i]
	}
	s := in.str(b)
	if i < len(in.last) {
		in.last[i] = s
	}
	return s
}

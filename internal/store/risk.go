package store

import (
	"context"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/risk"
)

// RiskEntities are the entities the early warning reads (spec/
// early-warning.md): every record a counsellor could know of a learner's
// trajectory, without survey responses, goals or learner goals.
var RiskEntities = []string{"providers", "modules", "learners", "referrals", "groups", "placements",
	"enrollments", "evaluations", "certificates", "outflows", "followups", "observations", "lessons", "attendance"}

// LoadRiskInput reads what the early warning reads: the records of
// RiskEntities as one consistent snapshot (slim: names and free text stay
// blank, and the model never reads them) and the register.
func (db *DB) LoadRiskInput(ctx context.Context) (*risk.Input, error) {
	ds, err := db.LoadDataSetWith(ctx, LoadOptions{Slim: true, Entities: RiskEntities})
	if err != nil {
		return nil, err
	}
	lessons, attendance := registerForRisk(ds)
	ds.Lessons, ds.Attendance = nil, nil // the input keeps no second copy
	return &risk.Input{Data: ds, Lessons: lessons, Attendance: attendance}, nil
}

// RiskInputOf is the early warning's input from a data set already loaded
// with at least RiskEntities and the register (the web's cache loads
// IndicatorEntities, which hold them): ds is not changed, and the input
// reads it, so ds must not change while the input is used.
func RiskInputOf(ds *domain.DataSet) *risk.Input {
	lessons, attendance := registerForRisk(ds)
	return &risk.Input{Data: ds, Lessons: lessons, Attendance: attendance}
}

// registerForRisk moves the register of ds (read in the same snapshot) into
// the early warning's form: each record's hours resolved as domain.md says
// (domain.AttendanceHours: a blank is the lesson's hours for present, 0 for
// absent and excused). ds is not changed.
func registerForRisk(ds *domain.DataSet) ([]risk.Lesson, []risk.Attendance) {
	type key struct {
		group string
		date  domain.Date
	}
	lessonHours := make(map[key]float64, len(ds.Lessons))
	lessons := make([]risk.Lesson, len(ds.Lessons))
	for i, l := range ds.Lessons {
		lessons[i] = risk.Lesson{Group: l.Group, Date: l.Date, Hours: l.Hours}
		lessonHours[key{l.Group, l.Date}] = l.Hours
	}
	attendance := make([]risk.Attendance, len(ds.Attendance))
	for i := range ds.Attendance {
		a := &ds.Attendance[i]
		attendance[i] = risk.Attendance{Learner: a.Learner, Group: a.Group, Date: a.Date, Status: a.Status,
			Hours: domain.AttendanceHours(a, lessonHours[key{a.Group, a.Date}])}
	}
	return lessons, attendance
}

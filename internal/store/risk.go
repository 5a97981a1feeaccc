package store

import (
	"context"

	"github.com/traject-nt2/traject/internal/risk"
)

// RiskEntities are the entities the early warning reads (spec/
// early-warning.md): every record a counsellor could know of a learner's
// trajectory, without survey responses, goals or learner goals.
var RiskEntities = []string{"providers", "modules", "learners", "referrals", "groups", "placements",
	"enrollments", "evaluations", "certificates", "outflows", "followups", "observations"}

// LoadRiskInput reads what the early warning reads: the records of
// RiskEntities as one consistent snapshot (slim: names and free text stay
// blank, and the model never reads them) and the register.
func (db *DB) LoadRiskInput(ctx context.Context) (*risk.Input, error) {
	ds, err := db.LoadDataSetWith(ctx, LoadOptions{Slim: true, Entities: RiskEntities})
	if err != nil {
		return nil, err
	}
	lessons, attendance, err := db.loadRegisterForRisk(ctx)
	if err != nil {
		return nil, err
	}
	return &risk.Input{Data: ds, Lessons: lessons, Attendance: attendance}, nil
}

// loadRegisterForRisk is the seam for the register (lessons and
// attendance, issue 21 point 1): the store does not keep them yet, so it
// returns none, and the features that read the register are undefined
// (attendance_4w, unregistered_4w) or 0 (absence_streak) for every
// enrollment. When the register lands, read its lessons and records here —
// in the snapshot of LoadDataSetWith, with an attendance record's blank
// hours resolved as domain.md says (the lesson's hours for present, 0 for
// absent and excused).
func (db *DB) loadRegisterForRisk(context.Context) ([]risk.Lesson, []risk.Attendance, error) {
	return nil, nil, nil
}

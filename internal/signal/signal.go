// Package signal judges learners' trajectories on a day: the counsellor's
// flags of spec/early-warning.md ("The counsellor's flags on a day") and
// the situations they share with the data-quality findings of
// internal/quality (a referral still waiting, an enrollment open on a day,
// a placement or a follow-up known by then). Each situation is defined once,
// here; the flags and the findings both ask it.
//
// It is pure like internal/indicator: plain domain values, a day and Params
// in, flags and answers out; no database, no clock. The learner page asks
// it over the learner's records. The store keeps an SQL form of the flags
// so that the learner list can filter, page and show flags over every
// learner without reading their records; that form is a twin, held to
// these functions by an agreement test (store's TestFlagSQLAgreesWithSignal).
package signal

import "github.com/traject-nt2/traject/internal/domain"

// The parameters that belong to the flags alone (spec/early-warning.md,
// "The counsellor's flags on a day"); the others are the indicators'
// (spec/indicators.md, "Parameters") and the scale's (domain.LowScore).
const (
	// SoonDays: deadline_soon is raised when a waiting referral's deadline
	// lies within this many days of the day (b).
	SoonDays = 14
	// IdleDays: no_evaluation is raised on an open enrollment at least this
	// old without an evaluation in as many days (d).
	IdleDays = 90
	// FollowUpDueMonths: no_followup is raised from this many months after
	// an outflow (f), until followup_months after it.
	FollowUpDueMonths = 6
)

// Params are the parameters the flags are judged with. DefaultParams gives
// those of the spec; a caller changes one only to judge the same data
// differently (a test, or an indicator workbook with its own grace_days).
type Params struct {
	StatutoryMonths   int          // statutory_months: a referral's deadline is its date plus this (a, b)
	GraceDays         int          // grace_days: an enrollment is open until its group's end plus this
	SoonDays          int          // deadline_soon: days before the deadline (b)
	IdleDays          int          // no_evaluation: days without an evaluation (d)
	FollowUpDueMonths int          // no_followup: the window opens this long after the outflow (f)
	FollowupMonths    int          // followup_months: … and closes this long after it (f)
	LowScore          domain.Score // low_wellbeing: the highest score that is low (g)
}

// DefaultParams returns the parameters of the spec: the indicators'
// defaults of statutory_months, grace_days and followup_months, the flags'
// own 14 and 90 days and 6 months, and the scale's low score.
func DefaultParams() Params {
	return Params{
		StatutoryMonths:   domain.DefaultStatutoryMonths,
		GraceDays:         domain.DefaultGraceDays,
		SoonDays:          SoonDays,
		IdleDays:          IdleDays,
		FollowUpDueMonths: FollowUpDueMonths,
		FollowupMonths:    domain.DefaultFollowupMonths,
		LowScore:          domain.LowScore,
	}
}

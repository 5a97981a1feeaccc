// Package indicator computes the results and effects indicators of
// spec/indicators.md from plain domain values: no database, no clock. Compute
// and Explain share one classification of cases (classify.go), so every number
// of a Result can be traced back to the learners behind it.
package indicator

import (
	"math"

	"github.com/traject-nt2/traject/internal/domain"
)

// Params are the parameters of spec/indicators.md ("Parameters").
type Params struct {
	From, To          domain.Date // the reporting period, inclusive
	AsOf              domain.Date // the day on which open cases are judged
	Provider          string      // restrict to one provider; "" = all
	StatutoryMonths   int         // the statutory period for access
	WaitingListMonths int         // a referral still waiting after this long is on the waiting list
	GraceDays         int         // days after a group's planned end in which a pass or certificate counts
	MinHours          float64     // attended hours that make a learner a participant for learning gain
	FollowupMonths    int         // window after outflow in which a follow-up counts
}

// maxMonths and maxDays bound the parameters so that date arithmetic stays
// inside the domain's range; no real parameter comes near them.
const (
	maxMonths = 1200
	maxDays   = 36500
)

// DefaultParams returns the default parameters for the period [from, to],
// judged as of to.
func DefaultParams(from, to domain.Date) Params {
	return Params{
		From: from, To: to, AsOf: to,
		StatutoryMonths:   domain.DefaultStatutoryMonths,
		WaitingListMonths: domain.DefaultWaitingListMonths,
		GraceDays:         domain.DefaultGraceDays,
		MinHours:          domain.DefaultMinHours,
		FollowupMonths:    domain.DefaultFollowupMonths,
	}
}

// Validate reports the first parameter that makes no sense, as a
// domain.EINVALID error with an English message.
func (p Params) Validate() error {
	switch {
	case p.From == 0:
		return domain.Errorf(domain.EINVALID, "from is required")
	case p.To == 0:
		return domain.Errorf(domain.EINVALID, "to is required")
	case p.From > p.To:
		return domain.Errorf(domain.EINVALID, "from (%s) lies after to (%s)", p.From, p.To)
	case p.AsOf == 0:
		return domain.Errorf(domain.EINVALID, "as_of is required (default: to)")
	case p.AsOf < p.From:
		return domain.Errorf(domain.EINVALID, "as_of (%s) lies before from (%s)", p.AsOf, p.From)
	case p.From < domain.MinDate || p.To > domain.MaxDate || p.AsOf > domain.MaxDate:
		return domain.Errorf(domain.EINVALID, "dates must lie between %s and %s", domain.MinDate, domain.MaxDate)
	case p.StatutoryMonths < 0 || p.StatutoryMonths > maxMonths:
		return domain.Errorf(domain.EINVALID, "statutory_months must be a whole number from 0 to %d, not %d", maxMonths, p.StatutoryMonths)
	case p.WaitingListMonths < 0 || p.WaitingListMonths > maxMonths:
		return domain.Errorf(domain.EINVALID, "waiting_list_months must be a whole number from 0 to %d, not %d", maxMonths, p.WaitingListMonths)
	case p.GraceDays < 0 || p.GraceDays > maxDays:
		return domain.Errorf(domain.EINVALID, "grace_days must be a whole number from 0 to %d, not %d", maxDays, p.GraceDays)
	case p.MinHours < 0 || math.IsNaN(p.MinHours) || math.IsInf(p.MinHours, 0):
		return domain.Errorf(domain.EINVALID, "min_hours must be a number of 0 or more, not %v", p.MinHours)
	case p.FollowupMonths < 0 || p.FollowupMonths > maxMonths:
		return domain.Errorf(domain.EINVALID, "followup_months must be a whole number from 0 to %d, not %d", maxMonths, p.FollowupMonths)
	}
	return nil
}

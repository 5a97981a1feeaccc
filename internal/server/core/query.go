package core

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
)

// The query of the dashboard, its drill-downs and the API: the parameters
// of spec/indicators.md ("Parameters") under the names of the JSON form, and
// on the dashboard a quick choice of period.

// The quick choices of period on the dashboard.
const (
	PeriodThisYear    = "this_year"    // the school year of today, from 1 September up to today
	PeriodLastYear    = "last_year"    // the school year before it
	PeriodLastQuarter = "last_quarter" // the last calendar quarter that has ended
	PeriodCustom      = "custom"       // from and to as given
)

var PeriodChoices = []string{PeriodThisYear, PeriodLastYear, PeriodLastQuarter, PeriodCustom}

// ParamNames are the query parameters of the indicator parameters.
var ParamNames = []string{"from", "to", "as_of", "provider", "statutory_months", "waiting_list_months",
	"grace_days", "min_hours", "followup_months"}

// IndicatorQuery is a parsed query.
type IndicatorQuery struct {
	Period string // one of PeriodChoices; "" in the API
	Params indicator.Params
}

// SchoolYear returns the school year (1 September – 31 August) that holds d.
func SchoolYear(d domain.Date) (from, to domain.Date) {
	from = domain.SchoolYearStart(d)
	return from, from.AddYears(1).AddDays(-1)
}

// LastQuarter returns the last calendar quarter that ended before d.
func LastQuarter(d domain.Date) (from, to domain.Date) {
	y, m, _ := d.YMD()
	start := domain.NewDate(y, time.Month((int(m)-1)/3*3+1), 1) // this quarter's first day
	return start.AddMonths(-3), start.AddDays(-1)
}

// SchoolYearToDate is the current school year as far as it has gone: from
// 1 September up to today, the reference day. The dashboard and the export
// page both call "Dit schooljaar" this, so that groups still running (whose
// planned end lies after today) are not yet in the progress cohort, and a
// comparison with the year before covers the same part of that year
// (PreviousYear).
func SchoolYearToDate(today domain.Date) (from, to domain.Date) {
	from, _ = SchoolYear(today)
	return from, today
}

// PeriodOf returns the dates of a quick choice on today.
func PeriodOf(choice string, today domain.Date) (from, to domain.Date) {
	switch choice {
	case PeriodLastYear:
		f, _ := SchoolYear(today)
		return SchoolYear(f.AddDays(-1))
	case PeriodLastQuarter:
		return LastQuarter(today)
	}
	return SchoolYearToDate(today)
}

// QueryDate reads an optional date parameter.
func QueryDate(q url.Values, name string) (domain.Date, error) {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return 0, nil
	}
	d, err := domain.ParseDate(v)
	if err != nil {
		return 0, domain.Errorf(domain.EINVALID, "%s: %v", name, err)
	}
	return d, nil
}

// QueryInt reads an optional whole-number parameter into dst.
func QueryInt(q url.Values, name string, dst *int) error {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return domain.Errorf(domain.EINVALID, "%s: %q is not a whole number", name, v)
	}
	*dst = n
	return nil
}

// ParseIndicatorQuery reads the parameters of q. In the API (dashboard
// false) from and to are required and as_of defaults to to, exactly as the
// CLI does. On the dashboard a quick choice of period (or, without one, from
// and to) sets the period, which defaults to the school year up to today
// (SchoolYearToDate), and as_of defaults to today when today lies inside the
// period (data of the future are not known yet), else to to. The dates and
// as_of in the query count only with the choice "custom".
func ParseIndicatorQuery(q url.Values, today domain.Date, dashboard bool) (IndicatorQuery, error) {
	var out IndicatorQuery
	from, err := QueryDate(q, "from")
	if err != nil {
		return out, err
	}
	to, err := QueryDate(q, "to")
	if err != nil {
		return out, err
	}
	asOf, err := QueryDate(q, "as_of")
	if err != nil {
		return out, err
	}
	if dashboard {
		out.Period = q.Get("period")
		switch {
		case out.Period == "" && (from != 0 || to != 0):
			out.Period = PeriodCustom
		case out.Period == "":
			out.Period = PeriodThisYear
		case !slices.Contains(PeriodChoices, out.Period):
			return out, domain.Errorf(domain.EINVALID, "period %q: use %s", out.Period, strings.Join(PeriodChoices, ", "))
		}
		if out.Period != PeriodCustom {
			from, to = PeriodOf(out.Period, today)
			asOf = 0
		}
		if from == 0 || to == 0 {
			return out, domain.Errorf(domain.EINVALID, "a custom period needs from and to")
		}
		if asOf == 0 && today >= from && today < to {
			asOf = today
		}
	} else {
		if from == 0 {
			return out, domain.Errorf(domain.EINVALID, "from is required (YYYY-MM-DD)")
		}
		if to == 0 {
			return out, domain.Errorf(domain.EINVALID, "to is required (YYYY-MM-DD)")
		}
	}
	p := indicator.DefaultParams(from, to)
	if asOf != 0 {
		p.AsOf = asOf
	}
	p.Provider = strings.TrimSpace(q.Get("provider"))
	for _, f := range []struct {
		name string
		dst  *int
	}{{"statutory_months", &p.StatutoryMonths}, {"waiting_list_months", &p.WaitingListMonths},
		{"grace_days", &p.GraceDays}, {"followup_months", &p.FollowupMonths}} {
		if err := QueryInt(q, f.name, f.dst); err != nil {
			return out, err
		}
	}
	if v := strings.TrimSpace(q.Get("min_hours")); v != "" {
		h, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if err != nil {
			return out, domain.Errorf(domain.EINVALID, "min_hours: %q is not a number", v)
		}
		p.MinHours = h
	}
	if err := p.Validate(); err != nil {
		return out, err
	}
	out.Params = p
	return out, nil
}

// ScopeValues returns the query that names p in a link: the period, as_of,
// the provider when there is one, and the parameters that differ from
// their defaults.
func ScopeValues(p indicator.Params) url.Values {
	v := url.Values{}
	v.Set("from", p.From.String())
	v.Set("to", p.To.String())
	v.Set("as_of", p.AsOf.String())
	if p.Provider != "" {
		v.Set("provider", p.Provider)
	}
	def := indicator.DefaultParams(p.From, p.To)
	for _, x := range []struct {
		name    string
		val, df int
	}{{"statutory_months", p.StatutoryMonths, def.StatutoryMonths}, {"waiting_list_months", p.WaitingListMonths, def.WaitingListMonths},
		{"grace_days", p.GraceDays, def.GraceDays}, {"followup_months", p.FollowupMonths, def.FollowupMonths}} {
		if x.val != x.df {
			v.Set(x.name, strconv.Itoa(x.val))
		}
	}
	if p.MinHours != def.MinHours {
		v.Set("min_hours", strconv.FormatFloat(p.MinHours, 'f', -1, 64))
	}
	return v
}

// PreviousYear returns p over the same period a year earlier: for the school
// year to date, the same part of the previous school year, so that the
// change shown is like for like.
func PreviousYear(p indicator.Params) indicator.Params {
	p.From, p.To, p.AsOf = p.From.AddYears(-1), p.To.AddYears(-1), p.AsOf.AddYears(-1)
	return p
}

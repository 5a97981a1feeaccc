package indicator

import (
	"slices"
	"strconv"
)

// Kind says how a Figure's value reads.
type Kind string

// The kinds of figures.
const (
	KindRate  Kind = "rate"  // a fraction in [0, 1], shown as a percentage
	KindCount Kind = "count" // a number of cases
	KindDays  Kind = "days"  // a number of days
	KindMean  Kind = "mean"  // a mean number of ladder steps
)

// The figure codes of the Excel overview, in its order.
const (
	AccessRate           = "ACCESS_RATE"
	WaitingList          = "WAITING_LIST"
	MedianDaysToStart    = "MEDIAN_DAYS_TO_START"
	ProgressRate         = "PROGRESS_RATE"
	AttendanceRate       = "ATTENDANCE_RATE"
	CertificationRate    = "CERTIFICATION_RATE"
	GainRate             = "GAIN_RATE"
	MeanGain             = "MEAN_GAIN"
	QualifiedOutflowRate = "QUALIFIED_OUTFLOW_RATE"
	EarlyLeaverRate      = "EARLY_LEAVER_RATE"
	EffectRate           = "EFFECT_RATE"
	WellbeingRate        = "WELLBEING_RATE"
	InvolvementRate      = "INVOLVEMENT_RATE"
	SatisfactionRate     = "SATISFACTION_RATE"
	StaffWellbeingRate   = "STAFF_WELLBEING_RATE"
	PartnerSatisfaction  = "PARTNER_SATISFACTION_RATE"
)

// FigureDef describes one figure of the overview. Its words are in the
// catalogue: fig.<code>.label, .short (for narrow table columns), .num (the
// teller, when it has one) and .den (the noemer).
type FigureDef struct {
	Code         string
	Indicator    string // the indicator it belongs to
	Kind         Kind
	HasNumerator bool // false for a figure that is no ratio (the median)
}

// LabelKey is the catalogue key of the figure's name.
func (d FigureDef) LabelKey() string { return "fig." + d.Code + ".label" }

// ShortKey is the catalogue key of the figure's short name.
func (d FigureDef) ShortKey() string { return "fig." + d.Code + ".short" }

// NumeratorKey is the catalogue key of what the teller counts, "" when the
// figure has none.
func (d FigureDef) NumeratorKey() string {
	if !d.HasNumerator {
		return ""
	}
	return "fig." + d.Code + ".num"
}

// DenominatorKey is the catalogue key of what the noemer counts.
func (d FigureDef) DenominatorKey() string { return "fig." + d.Code + ".den" }

// FigureDefs lists the figures in the order of the overview.
var FigureDefs = []FigureDef{
	{AccessRate, IndicatorAccess, KindRate, true},
	{WaitingList, IndicatorAccess, KindCount, true},
	{MedianDaysToStart, IndicatorAccess, KindDays, false},
	{ProgressRate, IndicatorProgress, KindRate, true},
	{AttendanceRate, IndicatorProgress, KindRate, true},
	{CertificationRate, IndicatorCertification, KindRate, true},
	{GainRate, IndicatorLearningGain, KindRate, true},
	{MeanGain, IndicatorLearningGain, KindMean, true},
	{QualifiedOutflowRate, IndicatorOutflow, KindRate, true},
	{EarlyLeaverRate, IndicatorOutflow, KindRate, true},
	{EffectRate, IndicatorEffects, KindRate, true},
	{WellbeingRate, IndicatorWellbeing, KindRate, true},
	{InvolvementRate, IndicatorInvolvement, KindRate, true},
	{SatisfactionRate, IndicatorSurvey, KindRate, true},
	{StaffWellbeingRate, IndicatorSurvey, KindRate, true},
	{PartnerSatisfaction, IndicatorSurvey, KindRate, true},
}

// FigureDefByCode returns the definition of code, or nil.
func FigureDefByCode(code string) *FigureDef {
	for i := range FigureDefs {
		if FigureDefs[i].Code == code {
			return &FigureDefs[i]
		}
	}
	return nil
}

// Amount is one number of a Figure. Value is exact whenever Valid. A
// suppressed count is shown as "<5", any other suppressed amount not at all.
type Amount struct {
	Value      float64
	Valid      bool // false: no such number (no numerator, or a denominator of 0)
	Suppressed bool
	Count      bool // a number of cases
}

// Shown reports whether the amount is shown as a number.
func (a Amount) Shown() bool { return a.Valid && !a.Suppressed }

// String returns the amount as shown: "" when absent or hidden, "<5" for a
// suppressed count, else the number.
func (a Amount) String() string {
	switch {
	case !a.Valid:
		return ""
	case a.Suppressed && a.Count:
		return SuppressedText
	case a.Suppressed:
		return ""
	}
	return strconv.FormatFloat(a.Value, 'f', -1, 64)
}

func countAmount(c Count) Amount {
	return Amount{Value: float64(c.N), Valid: true, Suppressed: c.Suppressed, Count: true}
}

func numberAmount(n Number) Amount {
	return Amount{Value: n.Value, Valid: n.Valid, Suppressed: n.Suppressed}
}

// Figure is one figure of the overview with its teller, noemer and value.
type Figure struct {
	FigureDef
	Numerator   Amount
	Denominator Amount
	Value       Amount
}

// Figures returns the figures of the whole result, in FigureDefs order.
func (r *Result) Figures() []Figure { return r.Indicators.Figures() }

// Figures returns the figures of one indicators block (the total or a
// breakdown key), in FigureDefs order. Sums of hours and of gains are hidden
// where their denominator is a small cell, like the rates they make.
func (in *Indicators) Figures() []Figure {
	a, p, c, g, o, e := &in.Access, &in.Progress, &in.Certification, &in.LearningGain, &in.Outflow, &in.Effects
	judged := Count{N: a.Judged()}
	judged.Suppressed = a.Rate.Suppressed && SmallCount(judged.N)
	started := Count{N: a.Started()}
	started.Suppressed = a.MedianDaysToStart.Suppressed && SmallCount(started.N)
	pairs := Count{N: g.Pairs}
	pairs.Suppressed = g.MeanGain.Suppressed && SmallCount(pairs.N)
	hidden := p.AttendanceRate.Suppressed
	sum := func(v float64, hide bool) Amount { return Amount{Value: v, Valid: true, Suppressed: hide} }
	vals := map[string][3]Amount{
		AccessRate:           {countAmount(a.OnTime), countAmount(judged), numberAmount(a.Rate)},
		WaitingList:          {countAmount(a.WaitingList), countAmount(a.Cohort), countAmount(a.WaitingList)},
		MedianDaysToStart:    {{}, countAmount(started), numberAmount(a.MedianDaysToStart)},
		ProgressRate:         {countAmount(p.OnTrack), countAmount(p.Cohort), numberAmount(p.Rate)},
		AttendanceRate:       {sum(p.HoursAttended, hidden), sum(p.PlannedHours, hidden), numberAmount(p.AttendanceRate)},
		CertificationRate:    {countAmount(c.Certified), countAmount(c.Cohort), numberAmount(c.Rate)},
		GainRate:             {countAmount(g.Gained), countAmount(g.Assessed), numberAmount(g.Rate)},
		MeanGain:             {sum(float64(g.GainSum), g.MeanGain.Suppressed), countAmount(pairs), numberAmount(g.MeanGain)},
		QualifiedOutflowRate: {countAmount(o.Qualified), countAmount(o.Total), numberAmount(o.QualifiedRate)},
		EarlyLeaverRate:      {countAmount(o.EarlyLeaver), countAmount(o.Total), numberAmount(o.EarlyLeaverRate)},
		EffectRate:           {countAmount(e.Positive), countAmount(e.FollowedUp), numberAmount(e.Rate)},
		WellbeingRate:        {countAmount(in.Wellbeing.High), countAmount(in.Wellbeing.Observed), numberAmount(in.Wellbeing.Rate)},
		InvolvementRate:      {countAmount(in.Involvement.High), countAmount(in.Involvement.Observed), numberAmount(in.Involvement.Rate)},
		SatisfactionRate:     scoreAmounts(&in.Survey.Learner.Satisfaction),
		StaffWellbeingRate:   scoreAmounts(&in.Survey.Staff.Wellbeing),
		PartnerSatisfaction:  scoreAmounts(&in.Survey.Partner.Satisfaction),
	}
	out := make([]Figure, len(FigureDefs))
	for i, d := range FigureDefs {
		v := vals[d.Code]
		out[i] = Figure{FigureDef: d, Numerator: v[0], Denominator: v[1], Value: v[2]}
	}
	return out
}

// scoreAmounts are the numerator, denominator and rate of one survey score.
func scoreAmounts(f *ScoreFigures) [3]Amount {
	return [3]Amount{countAmount(f.High), countAmount(f.Responses), numberAmount(f.Rate)}
}

// Figures returns the figures of row i, only those of the indicators the
// breakdown holds (see Breakdown.Holds).
func (b *Breakdown) Figures(i int) []Figure {
	return slices.DeleteFunc(b.Rows[i].Indicators.Figures(), func(f Figure) bool { return !b.Holds(f.Indicator) })
}

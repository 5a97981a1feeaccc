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

// FigureDef describes one figure of the overview.
type FigureDef struct {
	Code      string
	Indicator string // the indicator it belongs to
	Label     string // Dutch
	Short     string // Dutch, for narrow table columns
	Kind      Kind
	Numerator string // Dutch description of the teller, "" when there is none
	Denom     string // Dutch description of the noemer
}

// FigureDefs lists the figures in the order of the overview.
var FigureDefs = []FigureDef{
	{AccessRate, IndicatorAccess, "Toegang binnen de wettelijke termijn", "Toegang", KindRate, "tijdig gestart", "tijdig + laat gestart + wachtend na de termijn"},
	{WaitingList, IndicatorAccess, "Wachtlijst", "Wachtlijst", KindCount, "op de wachtlijst", "aanmeldingen"},
	{MedianDaysToStart, IndicatorAccess, "Mediaan dagen tot start", "Mediaan dagen", KindDays, "", "gestart"},
	{ProgressRate, IndicatorProgress, "Voortgang binnen de geplande duur", "Voortgang", KindRate, "geslaagd op tijd", "inschrijvingen"},
	{AttendanceRate, IndicatorProgress, "Aanwezigheid", "Aanwezigheid", KindRate, "aanwezige uren", "geplande uren"},
	{CertificationRate, IndicatorCertification, "Certificering", "Certificering", KindRate, "deelcertificaat op tijd", "inschrijvingen"},
	{GainRate, IndicatorLearningGain, "Leerwinst", "Leerwinst", KindRate, "met leerwinst", "getoetste deelnemers"},
	{MeanGain, IndicatorLearningGain, "Gemiddelde leerwinst (stappen)", "Gem. winst", KindMean, "som van de leerwinst", "getoetste vaardigheden"},
	{QualifiedOutflowRate, IndicatorOutflow, "Gekwalificeerde uitstroom", "Gekwalificeerd", KindRate, "gekwalificeerd", "uitstromers"},
	{EarlyLeaverRate, IndicatorOutflow, "Vroegtijdige uitstroom", "Vroegtijdig", KindRate, "vroegtijdig", "uitstromers"},
	{EffectRate, IndicatorEffects, "Positief effect na uitstroom", "Effect", KindRate, "werk en/of onderwijs", "opgevolgd"},
	{WellbeingRate, IndicatorWellbeing, "Hoog welbevinden van lerenden", "Welbevinden", KindRate, "laatste score 4 of 5", "geobserveerde lerenden"},
	{InvolvementRate, IndicatorInvolvement, "Hoge betrokkenheid van lerenden", "Betrokkenheid", KindRate, "laatste score 4 of 5", "geobserveerde lerenden"},
	{SatisfactionRate, IndicatorSurvey, "Tevredenheid van lerenden (bevraging)", "Tevredenheid", KindRate, "score 4 of 5", "antwoorden van lerenden"},
	{StaffWellbeingRate, IndicatorSurvey, "Welbevinden van medewerkers (bevraging)", "Welb. medewerkers", KindRate, "score 4 of 5", "antwoorden van medewerkers"},
	{PartnerSatisfaction, IndicatorSurvey, "Tevredenheid van partners (bevraging)", "Tevr. partners", KindRate, "score 4 of 5", "antwoorden van partners"},
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

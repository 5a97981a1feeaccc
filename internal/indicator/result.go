package indicator

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"math"
	"strconv"

	"github.com/traject-nt2/traject/internal/domain"
)

// Count is a number of cases. N is always exact; Suppressed marks a count that
// the small-cell rule (spec/indicators.md, "Small-cell suppression") shows as "<5".
type Count struct {
	N          int
	Suppressed bool
}

// String returns the count as shown: "<5" when suppressed, else the number.
func (c Count) String() string {
	if c.Suppressed {
		return SuppressedText
	}
	return strconv.Itoa(c.N)
}

// MarshalJSON writes the number, or the string "<5" when suppressed.
func (c Count) MarshalJSON() ([]byte, error) {
	if c.Suppressed {
		return []byte(`"` + SuppressedText + `"`), nil
	}
	return strconv.AppendInt(nil, int64(c.N), 10), nil
}

// Number is a rate, mean or median. Value is exact whenever Valid; Valid is
// false when the denominator is 0, and Suppressed marks a number hidden by the
// small-cell rule. Either way it is null in JSON.
type Number struct {
	Value      float64
	Valid      bool
	Suppressed bool
}

// Shown reports whether the number is shown (defined and not suppressed).
func (n Number) Shown() bool { return n.Valid && !n.Suppressed }

// Ptr returns the number as shown: nil when undefined or suppressed.
func (n Number) Ptr() *float64 {
	if !n.Shown() {
		return nil
	}
	v := n.Value
	return &v
}

// MarshalJSON writes the number (integral values as 77.0, like the
// conformance files), or null when it is undefined or suppressed.
func (n Number) MarshalJSON() ([]byte, error) {
	if !n.Shown() || math.IsNaN(n.Value) || math.IsInf(n.Value, 0) {
		return []byte("null"), nil
	}
	return appendFloat(nil, n.Value), nil
}

// appendFloat formats f as encoding/json does, but keeps a ".0" on integral
// values so that rates and means always read as numbers with a fraction.
func appendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		n := len(b)
		if n-start >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
		return b
	}
	if !bytes.ContainsRune(b[start:], '.') {
		b = append(b, '.', '0')
	}
	return b
}

// ratio returns num/den, undefined when den is 0 (spec/indicators.md: rates
// are null when the denominator is 0).
func ratio(num, den float64) Number {
	if den == 0 {
		return Number{}
	}
	return Number{Value: num / den, Valid: true}
}

// Result holds the indicators of spec/indicators.md and all breakdowns.
// It marshals to exactly the JSON form of that spec.
type Result struct {
	Period     Period     `json:"period"`
	Provider   string     `json:"provider"` // "" = all providers (null in JSON)
	Parameters Parameters `json:"parameters"`
	Indicators Indicators `json:"indicators"`
	Breakdowns Breakdowns `json:"breakdowns"`
}

// Period is the reporting period and the day open cases are judged.
type Period struct {
	From domain.Date `json:"from"`
	To   domain.Date `json:"to"`
	AsOf domain.Date `json:"as_of"`
}

// MarshalJSON writes the dates as YYYY-MM-DD.
func (p Period) MarshalJSON() ([]byte, error) {
	return marshal(struct {
		From string `json:"from"`
		To   string `json:"to"`
		AsOf string `json:"as_of"`
	}{p.From.String(), p.To.String(), p.AsOf.String()})
}

// Parameters are the indicator parameters as they appear in the JSON form.
type Parameters struct {
	StatutoryMonths   int     `json:"statutory_months"`
	WaitingListMonths int     `json:"waiting_list_months"`
	GraceDays         int     `json:"grace_days"`
	MinHours          float64 `json:"min_hours"`
	FollowupMonths    int     `json:"followup_months"`
}

// MarshalJSON writes the result in the JSON form of spec/indicators.md, with
// provider null when the result covers all providers.
func (r Result) MarshalJSON() ([]byte, error) {
	var prov *string
	if r.Provider != "" {
		prov = &r.Provider
	}
	return marshal(struct {
		Period             Period      `json:"period"`
		Provider           *string     `json:"provider"`
		DefinitionsVersion int         `json:"definitions_version"`
		Parameters         Parameters  `json:"parameters"`
		Indicators         *Indicators `json:"indicators"`
		Breakdowns         *Breakdowns `json:"breakdowns"`
	}{r.Period, prov, DefinitionsVersion, r.Parameters, &r.Indicators, &r.Breakdowns})
}

// marshal is json.Marshal without HTML escaping, so that the "<5" of a
// suppressed count survives nested MarshalJSON methods.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// WriteJSON writes r indented by one space (the layout of the conformance
// files) without HTML escaping, so a suppressed count reads "<5" (plain
// json.Marshal would write "\u003c5", which is the same JSON string).
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	return enc.Encode(r)
}

// Indicators holds the six indicators for the whole cohort or one breakdown key.
type Indicators struct {
	Access        Access        `json:"access"`
	Progress      Progress      `json:"progress"`
	Certification Certification `json:"certification"`
	LearningGain  LearningGain  `json:"learning_gain"`
	Outflow       Outflow       `json:"outflow"`
	Effects       Effects       `json:"effects"`
	Wellbeing     Observed      `json:"wellbeing"`
	Involvement   Observed      `json:"involvement"`
	Survey        Survey        `json:"survey"`
}

// Access is indicator 1, access within the statutory period.
type Access struct {
	Cohort            Count  `json:"cohort"`
	OnTime            Count  `json:"on_time"`
	Late              Count  `json:"late"`
	WaitingOverdue    Count  `json:"waiting_overdue"`
	WaitingInTerm     Count  `json:"waiting_in_term"`
	Rate              Number `json:"rate"`
	MedianDaysToStart Number `json:"median_days_to_start"`
	WaitingList       Count  `json:"waiting_list"`
}

// Judged returns the denominator of the access rate: on_time + late + waiting_overdue.
func (a *Access) Judged() int { return a.OnTime.N + a.Late.N + a.WaitingOverdue.N }

// Started returns the number of referrals with a start, over which the median is taken.
func (a *Access) Started() int { return a.OnTime.N + a.Late.N }

// Progress is indicator 2, progress within the planned time.
type Progress struct {
	Cohort         Count   `json:"cohort"`
	OnTrack        Count   `json:"on_track"`
	Rate           Number  `json:"rate"`
	AttendanceRate Number  `json:"attendance_rate"`
	HoursAttended  float64 `json:"-"` // Σ hours_attended over the cohort
	PlannedHours   float64 `json:"-"` // Σ group.planned_hours over the cohort
	// Pending counts the cohort's enrollments not on track whose outcome
	// cannot be known yet on as_of ("nog lopend", Case.Pending): a
	// presentation beside the rate, which counts them as the spec says.
	Pending Count `json:"-"`
}

// Certification is indicator 3, certificates within the planned time.
type Certification struct {
	Cohort    Count  `json:"cohort"`
	Certified Count  `json:"certified"`
	Rate      Number `json:"rate"`
	Pending   Count  `json:"-"` // not certified, the outcome not known yet on as_of (Case.Pending)
}

// LearningGain is indicator 4, learning gain on the CEFR ladder.
type LearningGain struct {
	Participants Count      `json:"participants"`
	Assessed     Count      `json:"assessed"`
	Gained       Count      `json:"gained"`
	Rate         Number     `json:"rate"`
	MeanGain     Number     `json:"mean_gain"`
	BySkill      SkillGains `json:"by_skill"`
	GainSum      int        `json:"-"` // Σ gain(s) over the (participant, skill) pairs
	Pairs        int        `json:"-"` // (participant, skill) pairs with a gain
}

// SkillGain is the learning gain for one skill.
type SkillGain struct {
	Assessed Count  `json:"assessed"`
	Gained   Count  `json:"gained"`
	MeanGain Number `json:"mean_gain"`
	GainSum  int    `json:"-"` // Σ gain over the assessed participants
}

// SkillGains holds the learning gain per skill, indexed by domain.Skill.
type SkillGains [domain.NumSkills]SkillGain

// MarshalJSON writes all five skills in ladder column order.
func (s SkillGains) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for k := range s {
		if k > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, domain.SkillCodes[k])
		b = append(b, ':')
		v, err := marshal(&s[k])
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// Outflow is indicator 5, outflow by type, reason and destination.
type Outflow struct {
	Total           Count            `json:"total"`
	Qualified       Count            `json:"qualified"`
	Transfer        Count            `json:"transfer"`
	EarlyLeaver     Count            `json:"early_leaver"`
	QualifiedRate   Number           `json:"qualified_rate"`
	EarlyLeaverRate Number           `json:"early_leaver_rate"`
	Reasons         map[string]Count `json:"reasons"`
	Destinations    map[string]Count `json:"destinations"`
}

// Effects is indicator 6, longer-term effects after outflow.
type Effects struct {
	FollowedUp Count  `json:"followed_up"`
	Positive   Count  `json:"positive"`
	Rate       Number `json:"rate"`
}

// Breakdown names in the order of the JSON form.
const (
	BreakdownProvider       = "provider"
	BreakdownGender         = "gender"
	BreakdownLearningRoute  = "learning_route"
	BreakdownSchoolingLevel = "schooling_level"
	BreakdownLiteracy       = "literacy"
	BreakdownCivicStatus    = "civic_status"
	BreakdownAgeBand        = "age_band"
	BreakdownTargetLevel    = "target_level"
)

// BreakdownNames lists the breakdowns in the order of the JSON form.
var BreakdownNames = [numDims]string{BreakdownProvider, BreakdownGender, BreakdownLearningRoute,
	BreakdownSchoolingLevel, BreakdownLiteracy, BreakdownCivicStatus, BreakdownAgeBand, BreakdownTargetLevel}

// BreakdownKey is the catalogue key of a breakdown's name, bd.<name>.
func BreakdownKey(name string) string { return "bd." + name }

// AgeBands are the keys of the age_band breakdown (spec/indicators.md, "Breakdowns").
var AgeBands = [...]string{"16-24", "25-34", "35-49", "50+"}

// Breakdowns holds every breakdown of spec/indicators.md ("Breakdowns").
type Breakdowns struct {
	Provider       Breakdown
	Gender         Breakdown
	LearningRoute  Breakdown
	SchoolingLevel Breakdown
	Literacy       Breakdown
	CivicStatus    Breakdown
	AgeBand        Breakdown
	TargetLevel    Breakdown
}

// All returns the breakdowns in the order of the JSON form.
func (b *Breakdowns) All() []*Breakdown {
	return []*Breakdown{&b.Provider, &b.Gender, &b.LearningRoute, &b.SchoolingLevel,
		&b.Literacy, &b.CivicStatus, &b.AgeBand, &b.TargetLevel}
}

// ByName returns the breakdown called name, or nil.
func (b *Breakdowns) ByName(name string) *Breakdown {
	for _, x := range b.All() {
		if x.Name == name {
			return x
		}
	}
	return nil
}

// MarshalJSON writes the breakdowns as one object in the order of the spec.
func (b Breakdowns) MarshalJSON() ([]byte, error) {
	out := []byte{'{'}
	for i, x := range b.All() {
		if i > 0 {
			out = append(out, ',')
		}
		out = strconv.AppendQuote(out, BreakdownNames[i])
		out = append(out, ':')
		v, err := x.MarshalJSON()
		if err != nil {
			return nil, err
		}
		out = append(out, v...)
	}
	return append(out, '}'), nil
}

// Breakdown is one breakdown: the listed keys in output order, each with its
// indicators. A key is listed when it has at least one case.
type Breakdown struct {
	Name string
	Rows []Row
}

// Row is one key of a breakdown with the indicators over its cases.
type Row struct {
	Key        string
	Indicators Indicators
}

// Get returns the indicators of key, or nil when the key is not listed.
func (b *Breakdown) Get(key string) *Indicators {
	for i := range b.Rows {
		if b.Rows[i].Key == key {
			return &b.Rows[i].Indicators
		}
	}
	return nil
}

// ProgressOnly reports whether the breakdown holds only progress and
// certification (target_level, spec/indicators.md "Breakdowns").
func (b *Breakdown) ProgressOnly() bool { return b.Name == BreakdownTargetLevel }

// Holds reports whether the breakdown's rows hold indicator ind: target_level
// progress and certification alone, the learner attributes all but the
// surveys, provider all nine.
func (b *Breakdown) Holds(ind string) bool {
	if b.ProgressOnly() {
		return ind == IndicatorProgress || ind == IndicatorCertification
	}
	return ind != IndicatorSurvey || b.Name == BreakdownProvider
}

// MarshalJSON writes the breakdown as an object keyed in row order.
func (b Breakdown) MarshalJSON() ([]byte, error) {
	out := []byte{'{'}
	for i := range b.Rows {
		if i > 0 {
			out = append(out, ',')
		}
		out = strconv.AppendQuote(out, b.Rows[i].Key)
		out = append(out, ':')
		var v []byte
		var err error
		in := &b.Rows[i].Indicators
		switch {
		case b.ProgressOnly():
			v, err = marshal(struct {
				Progress      *Progress      `json:"progress"`
				Certification *Certification `json:"certification"`
			}{&in.Progress, &in.Certification})
		case b.Name != BreakdownProvider:
			// Surveys are broken down by provider only: responses are often
			// anonymous, so no learner attribute applies (§9, "Breakdowns").
			v, err = marshal(struct {
				Access        *Access        `json:"access"`
				Progress      *Progress      `json:"progress"`
				Certification *Certification `json:"certification"`
				LearningGain  *LearningGain  `json:"learning_gain"`
				Outflow       *Outflow       `json:"outflow"`
				Effects       *Effects       `json:"effects"`
				Wellbeing     *Observed      `json:"wellbeing"`
				Involvement   *Observed      `json:"involvement"`
			}{&in.Access, &in.Progress, &in.Certification, &in.LearningGain, &in.Outflow, &in.Effects, &in.Wellbeing, &in.Involvement})
		default:
			v, err = marshal(in)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v...)
	}
	return append(out, '}'), nil
}

// Suppressed returns a copy of r with the small-cell rule of spec/indicators.md
// applied: counts from 1 to 4 become "<5", and rates, means and medians whose
// denominator is below 5 become null. Exact values stay in the copy's fields.
func (r *Result) Suppressed() *Result {
	out := *r
	out.Indicators = r.Indicators.suppressed()
	bs := out.Breakdowns.All()
	for i, b := range r.Breakdowns.All() {
		rows := make([]Row, len(b.Rows))
		for j := range b.Rows {
			rows[j] = Row{Key: b.Rows[j].Key, Indicators: b.Rows[j].Indicators.suppressed()}
		}
		bs[i].Rows = rows
	}
	return &out
}

// sc suppresses a count that is a small cell (SmallCount).
func sc(c Count) Count { c.Suppressed = SmallCount(c.N); return c }

// sn suppresses a number whose denominator is too small (SmallDenominator).
func sn(v Number, den int) Number { v.Suppressed = SmallDenominator(den); return v }

func scMap(m map[string]Count) map[string]Count {
	out := maps.Clone(m)
	if out == nil {
		out = map[string]Count{}
	}
	for k, v := range out {
		out[k] = sc(v)
	}
	return out
}

// suppressed applies the small-cell rule; each rate or mean is judged by its
// own denominator (see Result.Suppressed).
func (in Indicators) suppressed() Indicators {
	a := &in.Access
	judged, started := a.Judged(), a.Started()
	a.Rate = sn(a.Rate, judged)
	a.MedianDaysToStart = sn(a.MedianDaysToStart, started)
	a.Cohort, a.OnTime, a.Late, a.WaitingOverdue, a.WaitingInTerm, a.WaitingList =
		sc(a.Cohort), sc(a.OnTime), sc(a.Late), sc(a.WaitingOverdue), sc(a.WaitingInTerm), sc(a.WaitingList)

	p := &in.Progress
	p.Rate = sn(p.Rate, p.Cohort.N)
	p.AttendanceRate = sn(p.AttendanceRate, p.Cohort.N)
	p.Cohort, p.OnTrack, p.Pending = sc(p.Cohort), sc(p.OnTrack), sc(p.Pending)

	c := &in.Certification
	c.Rate = sn(c.Rate, c.Cohort.N)
	c.Cohort, c.Certified, c.Pending = sc(c.Cohort), sc(c.Certified), sc(c.Pending)

	g := &in.LearningGain
	g.Rate = sn(g.Rate, g.Assessed.N)
	g.MeanGain = sn(g.MeanGain, g.Pairs)
	g.Participants, g.Assessed, g.Gained = sc(g.Participants), sc(g.Assessed), sc(g.Gained)
	for k := range g.BySkill {
		s := &g.BySkill[k]
		s.MeanGain = sn(s.MeanGain, s.Assessed.N)
		s.Assessed, s.Gained = sc(s.Assessed), sc(s.Gained)
	}

	o := &in.Outflow
	o.QualifiedRate = sn(o.QualifiedRate, o.Total.N)
	o.EarlyLeaverRate = sn(o.EarlyLeaverRate, o.Total.N)
	o.Total, o.Qualified, o.Transfer, o.EarlyLeaver = sc(o.Total), sc(o.Qualified), sc(o.Transfer), sc(o.EarlyLeaver)
	o.Reasons, o.Destinations = scMap(o.Reasons), scMap(o.Destinations)

	e := &in.Effects
	e.Rate = sn(e.Rate, e.FollowedUp.N)
	e.FollowedUp, e.Positive = sc(e.FollowedUp), sc(e.Positive)

	for _, o := range []*Observed{&in.Wellbeing, &in.Involvement} {
		o.Rate, o.Mean = sn(o.Rate, o.Observed.N), sn(o.Mean, o.Observed.N)
		o.Observed, o.High, o.Low = sc(o.Observed), sc(o.High), sc(o.Low)
		o.Followed, o.Improved, o.Declined = sc(o.Followed), sc(o.Improved), sc(o.Declined)
		o.Distribution = o.Distribution.suppressed()
	}
	for _, f := range in.Survey.slots() {
		f.Rate, f.Mean = sn(f.Rate, f.Responses.N), sn(f.Mean, f.Responses.N)
		f.Responses, f.High, f.Low = sc(f.Responses), sc(f.High), sc(f.Low)
		f.Distribution = f.Distribution.suppressed()
	}
	return in
}

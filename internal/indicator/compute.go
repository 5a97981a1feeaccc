package indicator

import (
	"slices"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
)

// Compute returns the indicators of spec/indicators.md for ds and p, with
// every breakdown. p should have passed Validate. Records of a learner that
// ds.Learners lacks count in the totals and the provider breakdown, but in no
// learner-attribute breakdown.
func Compute(ds *domain.DataSet, p Params) *Result {
	return classify(ds, p).aggregate()
}

// acc accumulates the cases of the total or of one breakdown key.
type acc struct {
	aCohort, aOnTime, aLate, aOverdue, aInTerm, aWaitList int
	medSeen, medLo, medHi                                 int

	pCohort, pOnTrack, cCertified int
	pPending, cPending            int
	hours, planned                float64

	gPart, gAssessed, gGained, gSum, gPairs int
	skAssessed, skGained, skSum             [domain.NumSkills]int

	oTotal, oQual, oTrans, oEarly int
	reasons, dests                []int
	fFollowed, fPositive          int

	observed [2]observedAcc             // §7 wellbeing, §8 involvement
	survey   [len(surveySlots)]scoreAcc // §9, per surveySlots
}

// hasCase reports whether the key is listed: at least one indicator has a
// case (spec/indicators.md, "Breakdowns").
func (a *acc) hasCase() bool {
	if a.aCohort > 0 || a.pCohort > 0 || a.gPart > 0 || a.oTotal > 0 || a.observed[0].last.n > 0 || a.observed[1].last.n > 0 {
		return true
	}
	for i := range a.survey {
		if a.survey[i].n > 0 {
			return true
		}
	}
	return false
}

// aggregator sums cases into the total and every breakdown key in one pass.
type aggregator struct {
	cb    *casebook
	total acc
	dims  [numDims][]acc
	buf   [numDims + 1]*acc
}

// targets returns the accumulators a case counts in: the total, its provider
// (when prov >= 0), its learner's attributes and its target level (when >= 0).
func (ag *aggregator) targets(l, prov, target int32) []*acc {
	n := 0
	ag.buf[n] = &ag.total
	n++
	if prov >= 0 {
		ag.buf[n] = &ag.dims[dimProvider][prov]
		n++
	}
	a := ag.cb.ix.attrs(l)
	for d, k := range a {
		if k >= 0 {
			ag.buf[n] = &ag.dims[dimGender+d][k]
			n++
		}
	}
	if target >= 0 {
		ag.buf[n] = &ag.dims[dimTargetLevel][target]
		n++
	}
	return ag.buf[:n]
}

func (cb *casebook) aggregate() *Result {
	ix := cb.ix
	ag := &aggregator{cb: cb}
	nr, nd := len(cb.reasons.keys), len(cb.dests.keys)
	newAcc := func(a *acc) {
		a.reasons = make([]int, nr)
		a.dests = make([]int, nd)
	}
	newAcc(&ag.total)
	for d := range ag.dims {
		ag.dims[d] = make([]acc, len(ix.keys[d].keys))
		for k := range ag.dims[d] {
			newAcc(&ag.dims[d][k])
		}
	}

	// §1 access.
	started := make([]uint64, 0, len(cb.access))
	for i := range cb.access {
		c := &cb.access[i]
		for _, a := range ag.targets(c.learner, c.provider, -1) {
			a.aCohort++
			switch c.class {
			case accessOnTime:
				a.aOnTime++
			case accessLate:
				a.aLate++
			case accessWaitingOverdue:
				a.aOverdue++
			case accessWaitingInTerm:
				a.aInTerm++
			}
			if c.waitingList {
				a.aWaitList++
			}
		}
		if c.start != 0 {
			started = append(started, uint64(c.days(ix.ds))<<32|uint64(i))
		}
	}
	// The median of every accumulator from one sorted pass: each takes the
	// middle element(s) of its own subsequence.
	slices.Sort(started)
	for _, s := range started {
		c := &cb.access[uint32(s)]
		days := int(s >> 32)
		for _, a := range ag.targets(c.learner, c.provider, -1) {
			n := a.aOnTime + a.aLate
			if a.medSeen == (n-1)/2 {
				a.medLo = days
			}
			if a.medSeen == n/2 {
				a.medHi = days
			}
			a.medSeen++
		}
	}

	// §2 progress and §3 certification.
	for i := range cb.progress {
		c := &cb.progress[i]
		hours := ix.ds.Enrollments[c.enr].HoursAttended
		planned := float64(ix.groups[c.group].planned)
		for _, a := range ag.targets(c.learner, c.provider, c.target) {
			a.pCohort++
			if c.pass >= 0 {
				a.pOnTrack++
			}
			if c.cert >= 0 {
				a.cCertified++
			}
			if c.pendingPass() {
				a.pPending++
			}
			if c.pendingCert() {
				a.cPending++
			}
			a.hours += hours
			a.planned += planned
		}
	}

	// §4 learning gain: the provider breakdown holds the providers the
	// participant reaches min_hours at, so it is added separately.
	for i := range cb.gain {
		c := &cb.gain[i]
		add := func(a *acc) {
			a.gPart++
			assessed, gained := false, false
			for k := range c.skills {
				s := &c.skills[k]
				if !s.defined() {
					continue
				}
				g := s.gain()
				assessed = true
				a.skAssessed[k]++
				a.skSum[k] += g
				a.gSum += g
				a.gPairs++
				if g >= 1 {
					gained = true
					a.skGained[k]++
				}
			}
			if assessed {
				a.gAssessed++
			}
			if gained {
				a.gGained++
			}
		}
		for _, a := range ag.targets(c.learner, -1, -1) {
			add(a)
		}
		if c.allProviders {
			for prov := int32(0); prov < cb.nGainProv; prov++ {
				add(&ag.dims[dimProvider][prov])
			}
		}
		for _, prov := range cb.gainProv[c.provOff : c.provOff+c.provN] {
			add(&ag.dims[dimProvider][prov])
		}
	}

	// §5 outflow and §6 effects.
	for i := range cb.outflow {
		c := &cb.outflow[i]
		for _, a := range ag.targets(c.learner, c.provider, -1) {
			a.oTotal++
			switch c.typ {
			case outflowQualified:
				a.oQual++
			case outflowTransfer:
				a.oTrans++
			case outflowEarlyLeaver:
				a.oEarly++
			}
			if c.reason >= 0 {
				a.reasons[c.reason]++
			}
			if c.dest >= 0 {
				a.dests[c.dest]++
			}
			if c.followUp >= 0 {
				a.fFollowed++
				if c.positive {
					a.fPositive++
				}
			}
		}
	}

	// §7 and §8 wellbeing and involvement, §9 surveys.
	ag.aggregateWellbeing()
	ag.aggregateSurveys()

	p := ix.p
	r := &Result{
		Period:   Period{From: p.From, To: p.To, AsOf: p.AsOf},
		Provider: p.Provider,
		Parameters: Parameters{
			StatutoryMonths:   p.StatutoryMonths,
			WaitingListMonths: p.WaitingListMonths,
			GraceDays:         p.GraceDays,
			MinHours:          p.MinHours,
			FollowupMonths:    p.FollowupMonths,
		},
		Indicators: ag.total.indicators(cb),
	}
	for d, b := range r.Breakdowns.All() {
		b.Name = BreakdownNames[d]
		keys := ix.keys[d].keys
		var order []int
		for k := range ag.dims[d] {
			if ag.dims[d][k].hasCase() {
				order = append(order, k)
			}
		}
		if d != dimTargetLevel { // target_level by ladder rank, the others by key
			slices.SortFunc(order, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
		}
		b.Rows = make([]Row, len(order))
		for i, k := range order {
			b.Rows[i] = Row{Key: keys[k], Indicators: ag.dims[d][k].indicators(cb)}
		}
	}
	return r
}

// indicators turns an accumulator into the six indicator objects.
func (a *acc) indicators(cb *casebook) Indicators {
	var in Indicators
	ac := &in.Access
	ac.Cohort, ac.OnTime, ac.Late = Count{N: a.aCohort}, Count{N: a.aOnTime}, Count{N: a.aLate}
	ac.WaitingOverdue, ac.WaitingInTerm, ac.WaitingList = Count{N: a.aOverdue}, Count{N: a.aInTerm}, Count{N: a.aWaitList}
	ac.Rate = ratio(float64(a.aOnTime), float64(a.aOnTime+a.aLate+a.aOverdue))
	if a.aOnTime+a.aLate > 0 {
		ac.MedianDaysToStart = Number{Value: float64(a.medLo+a.medHi) / 2, Valid: true}
	}

	in.Progress = Progress{
		Cohort: Count{N: a.pCohort}, OnTrack: Count{N: a.pOnTrack}, Pending: Count{N: a.pPending},
		Rate:           ratio(float64(a.pOnTrack), float64(a.pCohort)),
		AttendanceRate: ratio(a.hours, a.planned),
		HoursAttended:  a.hours, PlannedHours: a.planned,
	}
	in.Certification = Certification{
		Cohort: Count{N: a.pCohort}, Certified: Count{N: a.cCertified}, Pending: Count{N: a.cPending},
		Rate: ratio(float64(a.cCertified), float64(a.pCohort)),
	}

	g := &in.LearningGain
	g.Participants, g.Assessed, g.Gained = Count{N: a.gPart}, Count{N: a.gAssessed}, Count{N: a.gGained}
	g.Rate = ratio(float64(a.gGained), float64(a.gAssessed))
	g.MeanGain = ratio(float64(a.gSum), float64(a.gPairs))
	g.GainSum, g.Pairs = a.gSum, a.gPairs
	for k := range g.BySkill {
		g.BySkill[k] = SkillGain{
			Assessed: Count{N: a.skAssessed[k]}, Gained: Count{N: a.skGained[k]},
			MeanGain: ratio(float64(a.skSum[k]), float64(a.skAssessed[k])),
			GainSum:  a.skSum[k],
		}
	}

	o := &in.Outflow
	o.Total, o.Qualified, o.Transfer, o.EarlyLeaver = Count{N: a.oTotal}, Count{N: a.oQual}, Count{N: a.oTrans}, Count{N: a.oEarly}
	o.QualifiedRate = ratio(float64(a.oQual), float64(a.oTotal))
	o.EarlyLeaverRate = ratio(float64(a.oEarly), float64(a.oTotal))
	o.Reasons, o.Destinations = counts(a.reasons, cb.reasons), counts(a.dests, cb.dests)

	in.Effects = Effects{
		FollowedUp: Count{N: a.fFollowed}, Positive: Count{N: a.fPositive},
		Rate: ratio(float64(a.fPositive), float64(a.fFollowed)),
	}
	in.Wellbeing, in.Involvement = a.observed[0].figures(), a.observed[1].figures()
	for i, f := range in.Survey.slots() {
		*f = a.survey[i].figures()
	}
	return in
}

// counts returns the keys that occur with their counts (spec/indicators.md §5:
// only reasons and destinations that occur).
func counts(n []int, ks *keySet) map[string]Count {
	m := map[string]Count{}
	for i, v := range n {
		if v > 0 {
			m[ks.keys[i]] = Count{N: v}
		}
	}
	return m
}

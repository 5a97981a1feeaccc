package demo

import (
	"math"
	"slices"

	"github.com/traject-nt2/traject/internal/domain"
)

// ageBands are the ages at first referral: mostly adults of 21 to 49.
var ageBands = []struct {
	lo, hi int
	w      float64
}{{16, 20, 8}, {21, 29, 27}, {30, 39, 32}, {40, 49, 20}, {50, 59, 9}, {60, 72, 4}}

var ageBandWeights = func() []float64 {
	w := make([]float64, len(ageBands))
	for i, b := range ageBands {
		w[i] = b.w
	}
	return w
}()

// people creates the learners, in order of their first referral, with that
// referral, their intake placement, their own goals and their first request
// for a place in a group.
func (g *generator) people() {
	lo, hi := g.from-45, g.today-1
	refs := make([]domain.Date, g.n)
	for i := range refs {
		refs[i] = g.referralDate(lo, hi)
	}
	slices.Sort(refs)

	width := max(6, digits(g.n))
	g.ids = make([]string, g.n)
	g.ls = make([]learnerState, g.n)
	years := make([]int, g.n)
	first := make([]int32, g.n) // module of the first placement, or -1
	if !g.dry {
		// Room for what a run writes per learner, so that appending does not
		// copy the large slices over and over.
		n, ds := g.n, g.ds
		ds.Learners = make([]domain.Learner, 0, n)
		ds.LearnerGoals = make([]domain.LearnerGoal, 0, n*13/10)
		ds.Referrals = make([]domain.Referral, 0, n*11/10)
		ds.Placements = make([]domain.Placement, 0, n*12/10)
		ds.Enrollments = make([]domain.Enrollment, 0, n*2)
		ds.Evaluations = make([]domain.Evaluation, 0, n*3)
		ds.Certificates = make([]domain.Certificate, 0, n*14/10)
		ds.Outflows = make([]domain.Outflow, 0, n*65/100)
		ds.FollowUps = make([]domain.FollowUp, 0, n/2)
		g.enrGroup = make([]int32, 0, n*2)
		g.evalGroup = make([]int32, 0, n*3)
		g.evalBy = make([]int32, 0, n*3)
	}
	for i := range g.n {
		g.ids[i] = pad("L", i+1, width)
		first[i] = g.person(i, refs[i], &years[i])
	}
	if !g.dry {
		g.counsellors()
	}
	g.plan(refs, first)
	for i := range g.n {
		g.begin(int32(i), refs[i], first[i])
	}
}

// referralDate draws a weekday between lo and hi, more often in the months
// when people are referred most, and a little more often in later years.
func (g *generator) referralDate(lo, hi domain.Date) domain.Date {
	span := int(hi - lo + 1)
	for {
		d := lo + domain.Date(g.intn(span))
		if wd := weekday(d); wd == 0 || wd == 6 {
			continue
		}
		_, m, _ := d.YMD()
		w := referralMonthWeight[m-1] * (1 + 0.07*float64(d-lo)/365)
		if g.f()*1.65 < w {
			return d
		}
	}
}

// person creates learner i, first referred on ref, and returns the module of
// their first placement (-1 when no provider offers one).
func (g *generator) person(i int, ref domain.Date, years *int) int32 {
	o := &origins[g.pick(originWeights)]
	L := &g.ls[i]
	rec := domain.Learner{ID: g.ids[i]}

	female := g.chance(o.fshare)
	switch {
	case g.chance(0.004):
		rec.Gender = "x"
	case female:
		rec.Gender = "f"
	default:
		rec.Gender = "m"
	}
	if female {
		rec.FirstName = g.oneOf(o.female)
	} else {
		rec.FirstName = g.oneOf(o.male)
	}
	k := g.intn(len(o.last))
	rec.LastName = o.last[k]
	if female && o.lastF != nil {
		rec.LastName = o.lastF[k]
	}
	if !g.chance(0.03) {
		rec.HomeLanguage = g.pickChoice(o.langs)
	}
	if !g.chance(0.02) {
		rec.CountryOfBirth = g.pickChoice(o.countries)
	}

	band := ageBands[g.pick(ageBandWeights)]
	age := band.lo + g.intn(band.hi-band.lo+1)
	// At least age on the first referral, so never younger than 16 at any event.
	rec.BirthDate = ref.AddYears(-age).AddDays(-g.intn(365))

	school := g.pick(o.schooling[:])
	if age < 19 && school == schoolHigher {
		school = schoolUpperSec
	}
	rec.SchoolingLevel = schoolingCodes[school]
	switch school {
	case schoolNone:
		*years = 0
	case schoolPrimary:
		*years = 2 + g.intn(5)
	case schoolLowerSec:
		*years = 7 + g.intn(4)
	case schoolUpperSec:
		*years = 11 + g.intn(3)
	case schoolHigher:
		*years = 14 + g.intn(6)
	}
	if school != schoolUnknown && !g.chance(0.1) && !(school == schoolNone && g.chance(0.3)) {
		rec.SchoolingYears = years
	}

	literate := "literate_other_script"
	if g.chance(o.latin) {
		literate = "literate_latin"
	}
	switch school {
	case schoolNone:
		rec.Literacy = []string{"non_literate", "low_literate", "unknown"}[g.pick([]float64{75, 20, 5})]
	case schoolPrimary:
		rec.Literacy = []string{"low_literate", literate, "unknown"}[g.pick([]float64{35, 60, 5})]
	case schoolLowerSec:
		rec.Literacy = []string{"low_literate", literate, "unknown"}[g.pick([]float64{8, 88, 4})]
	case schoolUpperSec, schoolHigher:
		rec.Literacy = []string{literate, "unknown"}[g.pick([]float64{97, 3})]
	default:
		rec.Literacy = []string{"unknown", "low_literate", literate}[g.pick([]float64{40, 15, 45})]
	}
	L.lowLiterate = rec.Literacy == "low_literate" || rec.Literacy == "non_literate"

	// Learning route: non-literate learners take the alfa route, the highly
	// schooled mostly the fast one.
	var rw []float64 // alfa, slow, standard, fast
	switch {
	case rec.Literacy == "non_literate":
		rw = []float64{95, 5, 0, 0}
	case rec.Literacy == "low_literate":
		rw = []float64{45, 55, 0, 0}
	case school == schoolNone:
		rw = []float64{60, 40, 0, 0}
	case school == schoolPrimary:
		rw = []float64{0, 65, 35, 0}
	case school == schoolLowerSec:
		rw = []float64{0, 25, 70, 5}
	case school == schoolUpperSec:
		rw = []float64{0, 4, 76, 20}
	case school == schoolHigher:
		rw = []float64{0, 0, 33, 67}
	default:
		rw = []float64{0, 30, 70, 0}
	}
	route := g.pick(rw)
	if route == rFast && age >= 50 && g.chance(0.3) {
		route = rStandard
	}
	rec.LearningRoute = routeCodes[route]

	var pw []float64 // work, education, social, unknown
	switch {
	case age < 25:
		pw = []float64{35, 40, 10, 15}
	case age < 50:
		pw = []float64{55, 12, 18, 15}
	default:
		pw = []float64{25, 3, 50, 22}
	}
	if school == schoolHigher && age < 50 {
		pw[pEducation] += 15
	}
	persp := g.pick(pw)
	rec.Perspective = perspectiveCodes[persp]
	civic := g.pick(civicWeights[o.civic])
	switch {
	case rec.CountryOfBirth == "BE": // Belgians are no civic-integration learners
		civic = 2 + g.intn(2)
	case civic == 0 && age >= 65: // the obligation ends at 65
		civic = 2
	}
	rec.CivicStatus = civicCodes[civic]

	L.route, L.persp, L.civic = uint8(route), uint8(persp), uint8(civic)
	L.ability = max(-2.5, min(2.5, g.r.NormFloat64()))
	switch school {
	case schoolNone:
		L.ability -= 0.3
	case schoolHigher:
		L.ability += 0.3
	}

	// Level on arrival: most start from scratch; some learned Dutch before
	// (at school in Brussels, in a course abroad, at work).
	var lw []float64 // A0, A1.1, A1, A2, B1, B2
	switch route {
	case rAlfa:
		lw = []float64{90, 10, 0, 0, 0, 0}
	case rSlow:
		lw = []float64{75, 0, 20, 5, 0, 0}
	case rStandard:
		lw = []float64{60, 0, 20, 13, 7, 0}
	default:
		lw = []float64{45, 0, 15, 17, 13, 10}
	}
	L.level = []domain.Level{lA0, lA11, lA1, lA2, lB1, lB2}[g.pick(lw)]

	var aw []float64 // A1.1, A1, A2, B1.1, B1, B2, C1
	switch {
	case route == rAlfa:
		aw = []float64{25, 55, 20, 0, 0, 0, 0}
	case route == rSlow:
		aw = []float64{0, 15, 60, 15, 10, 0, 0}
	case persp == pWork:
		aw = []float64{0, 0, 35, 0, 45, 20, 0}
	case persp == pEducation:
		aw = []float64{0, 0, 0, 0, 20, 55, 25}
	case persp == pSocial:
		aw = []float64{0, 0, 55, 0, 35, 10, 0}
	default:
		aw = []float64{0, 0, 40, 0, 45, 15, 0}
	}
	L.ambition = []domain.Level{lA11, lA1, lA2, lB11, lB1, lB2, lC1}[g.pick(aw)]
	if route == rFast && L.ambition < lC1 && g.chance(0.4) {
		L.ambition += 2
	}
	if L.ambition <= L.level {
		L.ambition = min(L.level+2, lC1)
	}

	pi, mi := g.firstProvider(route, persp, L.level)
	for pi < 0 && L.level > lA0 { // no provider teaches that high: start lower
		L.level -= 2
		pi, mi = g.firstProvider(route, persp, L.level)
	}
	L.prov = pi
	if pi >= 0 {
		g.provs[pi].learners++
	}
	if !g.dry {
		g.ds.Learners = append(g.ds.Learners, rec)
	}
	return mi
}

// routeTypes are the provider types a route is offered by, with weights.
var routeTypes = [4][numTypes]float64{
	rAlfa:     {tCBE: 1},
	rSlow:     {tCBE: 80, tOther: 8, tCVO: 7, tVDAB: 5},
	rStandard: {tCVO: 70, tVDAB: 11, tSyntra: 4, tPrivate: 6, tOther: 5, tCBE: 4},
	rFast:     {tUTC: 60, tCVO: 28, tPrivate: 10, tSyntra: 2},
}

// firstProvider picks the provider a learner is referred to and the module
// they are placed into.
func (g *generator) firstProvider(route, persp int, level domain.Level) (int, int32) {
	w := routeTypes[route]
	if persp == pWork && route == rStandard {
		w[tVDAB], w[tSyntra] = 16, 6
	}
	for range 4 {
		pi := g.provider(g.pick(w[:]), "", -1)
		if pi < 0 {
			continue
		}
		if mi := g.moduleFor(pi, level, route == rAlfa); mi >= 0 {
			return pi, mi
		}
	}
	fallback := tCVO
	if route == rAlfa || route == rSlow {
		fallback = tCBE
	}
	for _, pi := range g.byType[fallback] {
		if mi := g.moduleFor(pi, level, route == rAlfa); mi >= 0 {
			return pi, mi
		}
	}
	return -1, -1
}

// counsellors gives each provider about one counsellor per 150 learners and
// each learner a counsellor of their first provider.
func (g *generator) counsellors() {
	total := 0
	for pi := range g.provs {
		p := &g.provs[pi]
		p.counsellor = total
		p.nc = max(1, int(math.Round(float64(p.learners)/150)))
		total += p.nc
	}
	w := max(2, digits(total))
	names := make([]string, total)
	for i := range names {
		names[i] = pad("counsellor", i+1, w)
	}
	for i := range g.ds.Learners {
		if g.chance(0.04) {
			continue
		}
		if pi := g.ls[i].prov; pi >= 0 {
			p := &g.provs[pi]
			g.ds.Learners[i].Counsellor = names[p.counsellor+g.intn(p.nc)]
		} else {
			g.ds.Learners[i].Counsellor = names[g.intn(total)]
		}
	}
}

// plan decides from the demand for each module (measured by the dry run, or
// estimated in it) how long a provider waits for a new group to fill: popular
// modules start a group every few weeks, rare ones every few months.
func (g *generator) plan(refs []domain.Date, first []int32) {
	span := float64(g.today - (g.from - 45))
	if !g.calibrated {
		// A rough estimate for the dry run: each learner's path up the chain,
		// fewer of them at every step.
		span = float64(g.horizon - (g.from - 45))
		for i, mi := range first {
			L := &g.ls[i]
			t, w := refs[i]+40, 1.0
			for mi >= 0 && t <= g.horizon {
				m := &g.mods[mi]
				m.demand += w
				if m.target >= L.ambition {
					break
				}
				t += domain.Date(g.typicalDays(m) + 30)
				w *= 0.7
				mi = m.next
			}
		}
	}
	for mi := range g.mods {
		m := &g.mods[mi]
		m.late = lateJoin[m.typ]
		fill := groupFill[m.typ]
		if m.alfa {
			fill = 10
		}
		// Entry modules start often, so that newcomers do not wait long;
		// higher modules wait longer for a full group.
		longest := 150
		switch {
		case m.entry <= lA1:
			longest = entryLead[m.typ]
		case m.entry <= lA2:
			longest = 60
		}
		rate := max(m.demand, 0.5) / span
		m.lead = min(max(int(fill/rate)-m.late, 5), longest)
	}
}

// typicalDays is how long a standard group of module m runs.
func (g *generator) typicalDays(m *module) int {
	mix := intensityByType[m.typ]
	if m.alfa {
		mix = intensityAlfa
	}
	return int(float64(m.hours) / mix.hpw[0] * 7 * 1.15)
}

// begin writes learner li's first referral and placement and queues their
// first request for a place.
func (g *generator) begin(li int32, ref domain.Date, mi int32) {
	L := &g.ls[li]
	g.referral(li, ref, L.prov, false)
	if mi < 0 {
		return
	}
	pd := nearestWeekday(ref + 3 + domain.Date(g.intn(23)))
	if pd > g.today {
		return
	}
	method := "test"
	switch u := g.f(); {
	case L.level >= lA2 && u < 0.25:
		method = "evk" // a diploma shows the level
	case u >= 0.95:
		method = "other"
	case u >= 0.90:
		method = "evc"
	}
	if !g.chance(0.015) { // a few learners are enrolled without a placement on record
		g.placement(li, pd, mi, method)
	}
	g.learnerGoals(li, pd)
	if g.chance(0.04) { // referred and placed, but never starts
		return
	}
	var wait int
	switch u := g.f(); {
	case u < 0.72:
		wait = g.intn(25)
	case u < 0.89:
		wait = 25 + g.intn(30)
	default:
		wait = 55 + g.intn(100)
	}
	if w := g.provs[L.prov].waitDays; w > 0 && g.chance(0.5) {
		wait += g.intn(w)
	}
	g.push(pd+domain.Date(wait), li, mi, true)
}

// referral writes a referral of learner li to provider pi (-1: none) on d.
func (g *generator) referral(li int32, d domain.Date, pi int, again bool) {
	L := &g.ls[li]
	var w []float64 // agentschap, hvn, vdab, ocmw, self, other
	switch {
	case again:
		w = []float64{30, 5, 15, 15, 35, 0}
	case L.civic <= 1: // obliged or entitled
		w = []float64{58, 8, 12, 10, 9, 3}
	default:
		w = []float64{8, 12, 22, 10, 36, 12}
	}
	src := []string{"agentschap", "hvn", "vdab", "ocmw", "self", "other"}[g.pick(w)]
	r := domain.Referral{Learner: g.ids[li], Date: d, Source: src}
	L.referred = d
	if pi >= 0 {
		if g.provs[pi].city == "Brussel" && g.chance(0.45) {
			r.Source = "hvn" // in Brussels the Huis van het Nederlands refers
		}
		if !g.chance(0.08) {
			r.Provider = g.provs[pi].code
		}
	}
	if !g.dry {
		g.ds.Referrals = append(g.ds.Referrals, r)
	}
}

// placement writes the placement of learner li into module mi on d, with an
// entry level per skill around their current level; alfa learners are
// tested on the oral skills only.
func (g *generator) placement(li int32, d domain.Date, mi int32, method string) {
	L := &g.ls[li]
	m := &g.mods[mi]
	lv := domain.NoLevels
	for k := domain.Skill(0); k < domain.NumSkills; k++ {
		if (m.alfa || L.route == rAlfa) && !oralSkills.Has(k) {
			continue
		}
		if !m.alfa && g.chance(0.03) {
			continue
		}
		v := int(L.level) + g.step(0.15, 0.25)
		if L.lowLiterate && (k == domain.Reading || k == domain.Writing) {
			v--
		}
		lv[k] = clampLevel(v, lA0, domain.MaxLevel)
	}
	if g.dry {
		return
	}
	g.ds.Placements = append(g.ds.Placements, domain.Placement{Learner: g.ids[li], Date: d, Module: m.code, Method: method, Levels: lv})
}

// learnerGoals writes individual goals for about a third of the learners,
// agreed at intake.
func (g *generator) learnerGoals(li int32, d domain.Date) {
	if g.dry {
		return
	}
	L := &g.ls[li]
	p := 0.22
	switch L.persp {
	case pEducation:
		p = 0.5
	case pWork:
		p = 0.3
	}
	if !g.chance(p) {
		return
	}
	var set domain.SkillSet
	switch {
	case L.route == rAlfa:
		for set == 0 {
			for _, k := range []domain.Skill{domain.Listening, domain.SpokenInteraction, domain.SpokenProduction} {
				if g.chance(0.6) {
					set |= 1 << k
				}
			}
		}
	case g.chance(0.4):
		set = allSkills
	default:
		perm := g.r.Perm(domain.NumSkills)
		for _, k := range perm[:2+g.intn(3)] {
			set |= 1 << k
		}
	}
	// About four months per ladder step, as counsellors plan it.
	var target domain.Date
	if g.chance(0.8) {
		target = d.AddMonths(min(max(4*int(L.ambition-L.level)+g.intn(7)-2, 4), 48))
	}
	for k := domain.Skill(0); k < domain.NumSkills; k++ {
		if !set.Has(k) {
			continue
		}
		lvl := L.ambition
		if L.persp == pWork && (k == domain.Reading || k == domain.Writing) && lvl > L.level+1 && g.chance(0.3) {
			lvl--
		}
		g.ds.LearnerGoals = append(g.ds.LearnerGoals, domain.LearnerGoal{Learner: g.ids[li], Skill: k, TargetLevel: lvl, SetDate: d, TargetDate: target})
	}
}

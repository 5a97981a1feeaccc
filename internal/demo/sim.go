package demo

import (
	"math"
	"slices"

	"github.com/traject-nt2/traject/internal/domain"
)

// join puts learner li, ready from day ready, in a group of module mi: the
// group now forming if it has room and has not started too long ago, a
// parallel group when it is full, or else a new group that starts when
// enough learners are expected to have asked. It returns the group and the
// enrollment's start, or -1 when no group starts before the horizon.
func (g *generator) join(mi int32, ready domain.Date, li int32) (int32, domain.Date) {
	m := &g.mods[mi]
	L := &g.ls[li]
	if fi := m.forming; fi >= 0 && !slices.Contains(L.groups, fi) {
		gr := &g.groups[fi]
		late := min(m.late, int(gr.end-gr.start)/3)
		if ready <= gr.start+domain.Date(late) {
			if gr.n < gr.cap {
				return g.enrol(fi, ready, li)
			}
			if ready <= gr.start {
				return g.enrol(g.newGroup(mi, gr.start, gr.summer), ready, li)
			}
		}
	}
	lead := m.lead * (85 + g.intn(41)) / 100
	start, summer := g.groupStart(m, ready+domain.Date(lead))
	if start > g.today+100 {
		return -1, 0
	}
	return g.enrol(g.newGroup(mi, start, summer), ready, li)
}

func (g *generator) enrol(gi int32, ready domain.Date, li int32) (int32, domain.Date) {
	gr := &g.groups[gi]
	gr.n++
	g.mods[gr.module].forming = gi
	L := &g.ls[li]
	L.groups = append(L.groups, gi)
	return gi, max(weekdayOnOrAfter(ready), gr.start)
}

// groupStart moves a planned start out of the school holidays; only some
// provider types run summer courses. It reports whether the group is one.
func (g *generator) groupStart(m *module, d domain.Date) (domain.Date, bool) {
	d = weekdayOnOrAfter(d)
	for _, h := range g.hol {
		start := h.start
		if h.summer {
			start -= 15 // a group does not start in late June only to stop for the summer
		}
		if d < start {
			break
		}
		if d > h.end {
			continue
		}
		if h.summer && d >= h.start && d <= h.end-21 && g.chance(summerStarts[m.typ]) {
			return d, true
		}
		d = weekdayOnOrAfter(h.end + 1)
	}
	return d, false
}

// newGroup schedules a group of module mi from start: intensity, planned
// hours, the end date those hours and the holidays give, and a teacher.
func (g *generator) newGroup(mi int32, start domain.Date, summer bool) int32 {
	m := &g.mods[mi]
	mix := intensityByType[m.typ]
	capacity := groupCap[m.typ] + g.intn(5) - 2
	if m.alfa {
		mix = intensityAlfa
		capacity = 11 + g.intn(3)
	}
	k := 1 // summer courses are intensive
	if !summer {
		k = g.pick(mix.w[:])
	}
	hours := m.hours
	if g.chance(0.12) {
		hours = max(1, int(math.Round(float64(hours)*(0.85+0.25*g.f()))))
	}
	hpw := mix.hpw[k] * (0.9 + 0.2*g.f())
	weeks := int(math.Ceil(float64(hours) / hpw))
	end := g.extend(start, max(weeks*7-3, 4), summer)
	end = max(weekdayOnOrBefore(end), start)
	gi := int32(len(g.groups))
	g.groups = append(g.groups, group{
		module: mi, start: start, end: end, hours: hours, teacher: g.teacher(m.prov),
		intensity: uint8(k), cap: int16(capacity), summer: summer,
	})
	g.schedule(&g.groups[gi], hpw)
	return gi
}

// extend returns the end of a group that teaches for days calendar days from
// start, with the holidays it spans added.
func (g *generator) extend(start domain.Date, days int, summer bool) domain.Date {
	end := start + domain.Date(days)
	for _, h := range g.hol {
		if h.end < start || (summer && h.summer) {
			continue
		}
		if h.start > end {
			break
		}
		if h.start >= start {
			end += h.end - h.start + 1
		}
	}
	return end
}

// teacher picks a teacher of provider pi; a provider has about one teacher
// per nine groups, so each teaches several.
func (g *generator) teacher(pi int) int32 {
	p := &g.provs[pi]
	pool := 1 + p.groups/9
	p.groups++
	j := g.intn(pool)
	if j >= len(p.teachers) {
		p.teachers = append(p.teachers, g.teachers)
		g.teachers++
		j = len(p.teachers) - 1
	}
	return p.teachers[j]
}

// Drop-out chance per module by learning route.
var dropBase = [4]float64{rAlfa: 0.17, rSlow: 0.17, rStandard: 0.14, rFast: 0.07}

// Chance to pass the module-end evaluation by learning route.
var passBase = [4]float64{rAlfa: 0.72, rSlow: 0.76, rStandard: 0.83, rFast: 0.9}

// attend follows learner li through group gi from start: they drop out, are
// transferred or complete it. Nothing dated after Today is written; an
// enrollment still running then is active.
func (g *generator) attend(li, gi int32, start domain.Date, first bool) {
	gr := g.groups[gi]
	m := &g.mods[gr.module]
	L := &g.ls[li]
	L.prov = m.prov
	if start > g.today {
		g.enrollment(li, gi, start, 0, "active", 0, 0)
		return
	}
	span := float64(max(gr.end-gr.start, 1))
	att := max(0.4, min(1, 0.82+0.06*L.ability+0.08*g.r.NormFloat64()))

	pDrop := dropBase[L.route] - 0.025*L.ability
	if L.persp == pWork {
		pDrop += 0.04
	}
	if m.hours >= 240 {
		pDrop += 0.05
	}
	if m.hours >= 600 {
		pDrop += 0.05
	}
	if first && L.referred != 0 { // a long wait for a first course discourages
		pDrop += 0.06 * min(max(float64(start-L.referred-45)/180, 0), 1)
	}
	status, stop := "completed", gr.end
	switch u := g.f(); {
	case u < pDrop:
		status = "dropped"
		stop = max(weekdayOnOrBefore(start+domain.Date(float64(gr.end-start)*math.Pow(g.f(), 1.4))), start)
	case u < pDrop+0.03:
		status = "transferred"
		stop = max(weekdayOnOrBefore(start+domain.Date(float64(gr.end-start)*(0.1+0.6*g.f()))), start)
	}
	until := min(stop, g.today)
	var hours float64
	var fade domain.Date
	if !g.dry {
		var ratio float64
		if hours, ratio, fade = g.register(gi, start, until, stop, status == "dropped", att); ratio >= 0 {
			att = ratio
		}
	}

	if first && g.chance(0.1) {
		g.evaluation(li, gi, start, "intake", g.levelsAround(L, m, float64(L.level)), "none", g.by(gr.teacher, 0.95), "")
	}
	nf := 1
	if m.hours > 300 {
		nf = 3
	} else if m.hours > 160 {
		nf = 2
	}
	for j := 1; j <= nf; j++ {
		fd := nearestWeekday(gr.start + domain.Date(span*float64(j)/float64(nf+1)) + domain.Date(g.intn(7)-3))
		if fd <= start || fd >= stop || fd > g.today || !g.chance(0.85) {
			continue
		}
		frac := float64(fd-gr.start) / span
		fb := ""
		if g.chance(0.1) {
			fb = g.oneOf(feedbackFormative)
		}
		g.evaluation(li, gi, fd, "formative", g.levelsAround(L, m, float64(m.entry)+frac*float64(m.target-m.entry)), "none", g.by(gr.teacher, 0.95), fb)
	}

	if stop > g.today {
		g.enrollment(li, gi, start, 0, "active", hours, fade)
		return
	}
	g.enrollment(li, gi, start, stop, status, hours, fade)
	switch status {
	case "dropped":
		g.leave(li, stop, m.prov, g.dropReason(L))
	case "transferred":
		g.transfer(li, gr.module, stop)
	default:
		g.moduleEnd(li, gi, start, att)
	}
}

// by returns the teacher as evaluator with chance p, else no evaluator.
func (g *generator) by(teacher int32, p float64) int32 {
	if g.chance(p) {
		return teacher
	}
	return -1
}

// levelsAround returns levels for the skills module m evaluates, around the
// rank center; reading and writing lag for low-literate learners.
func (g *generator) levelsAround(L *learnerState, m *module, center float64) domain.Levels {
	lv := domain.NoLevels
	lo := domain.Level(max(int(m.entry)-1, 0))
	for k := domain.Skill(0); k < domain.NumSkills; k++ {
		if !m.skills.Has(k) {
			continue
		}
		v := center + 0.3*L.ability + 1.2*(g.f()-0.5)
		if L.lowLiterate && (k == domain.Reading || k == domain.Writing) {
			v -= 0.7
		}
		lv[k] = clampLevel(int(math.Round(v)), lo, m.target+1)
	}
	return lv
}

// endLevels returns module-end levels: around the target for a pass, below
// it for a fail; a deferred evaluation assesses only some skills.
func (g *generator) endLevels(m *module, decision string) domain.Levels {
	lv := domain.NoLevels
	assessed := false
	for k := domain.Skill(0); k < domain.NumSkills; k++ {
		if !m.skills.Has(k) {
			continue
		}
		if g.chance(0.04) || (decision == "deferred" && g.chance(0.5)) {
			continue
		}
		var v int
		switch decision {
		case "pass":
			v = int(m.target) + g.step(0.18, 0.16)
		default:
			v = int(m.target) - []int{2, 1, 0}[g.pick([]float64{20, 50, 30})]
		}
		lv[k] = clampLevel(v, m.entry, domain.MaxLevel)
		assessed = true
	}
	if !assessed && decision == "pass" {
		for k := domain.Skill(0); k < domain.NumSkills; k++ {
			if m.skills.Has(k) {
				lv[k] = m.target
				break
			}
		}
	}
	return lv
}

// moduleEnd holds the module-end evaluation of learner li in group gi, a
// retake after a fail, and what follows from the result.
func (g *generator) moduleEnd(li, gi int32, start domain.Date, att float64) {
	gr := g.groups[gi]
	m := &g.mods[gr.module]
	L := &g.ls[li]
	if g.chance(0.02) { // the evaluation never made it into the records
		L.level = max(L.level, m.target)
		g.afterPass(li, gr.module, gr.end)
		return
	}
	ed := weekdayOnOrBefore(gr.end - domain.Date(g.intn(9)))
	if g.chance(0.1) {
		ed = weekdayOnOrAfter(gr.end + 1 + domain.Date(g.intn(20)))
	}
	ed = max(ed, start)
	if ed > g.today {
		return
	}
	pPass := passBase[L.route] + 0.05*L.ability + 0.5*(att-0.82)
	decision := "fail"
	switch u := g.f(); {
	case u < 0.04:
		decision = "deferred"
	case u < 0.04+pPass*0.96:
		decision = "pass"
	}
	g.moduleEndEval(li, gi, ed, decision)
	if decision == "pass" {
		g.passed(li, gi, ed)
		return
	}
	last := ed
	if g.chance(0.7) { // a retake some weeks later
		rd := nearestWeekday(ed + 21 + domain.Date(g.intn(36)))
		if rd > g.today {
			return
		}
		p := 0.62
		if decision == "deferred" {
			p = 0.8
		}
		if g.chance(p) {
			g.moduleEndEval(li, gi, rd, "pass")
			g.passed(li, gi, rd)
			return
		}
		g.moduleEndEval(li, gi, rd, "fail")
		last = rd
	}
	g.failed(li, gr.module, last)
}

func (g *generator) moduleEndEval(li, gi int32, d domain.Date, decision string) {
	gr := &g.groups[gi]
	m := &g.mods[gr.module]
	by := gr.teacher
	switch u := g.f(); {
	case u < 0.06:
		by = -1
	case u < 0.18: // an exam by a colleague
		p := &g.provs[m.prov]
		by = p.teachers[g.intn(len(p.teachers))]
	}
	fb := ""
	if g.chance(0.2) {
		switch decision {
		case "pass":
			fb = g.oneOf(feedbackPass)
		case "fail":
			fb = g.oneOf(feedbackFail)
		default:
			fb = g.oneOf(feedbackDeferred)
		}
	}
	g.evaluation(li, gi, d, "module_end", g.endLevels(m, decision), decision, by, fb)
}

// passed writes the certificates that follow a pass on day d and moves on.
func (g *generator) passed(li, gi int32, d domain.Date) {
	gr := g.groups[gi]
	m := &g.mods[gr.module]
	L := &g.ls[li]
	L.level = max(L.level, m.target)
	L.repeats = 0
	if g.chance(0.97) {
		var delay int
		switch u := g.f(); {
		case u < 0.8:
			delay = 2 + g.intn(13)
		case u < 0.94:
			delay = 15 + g.intn(21)
		default:
			delay = 36 + g.intn(85) // issued late
		}
		cd := nearestWeekday(d + domain.Date(delay))
		if cd <= g.today {
			g.certificate(li, "module", m.code, cd, m.target)
			if m.last && g.chance(0.85) {
				if pd := nearestWeekday(cd + 1 + domain.Date(g.intn(30))); pd <= g.today {
					g.certificate(li, "programme", m.code, pd, m.target)
				}
			}
		}
	}
	switch {
	case m.target == lA2 && L.civic <= 1 && g.chance(0.35):
		g.externalTest(li, d+14+domain.Date(g.intn(56)), lA2)
	case m.target == lB2 && g.chance(0.3):
		g.externalTest(li, d+14+domain.Date(g.intn(56)), lB2)
	}
	g.afterPass(li, gr.module, max(d, gr.end))
}

// afterPass decides what a learner does after module mi: the next module,
// another provider for higher levels, or a qualified outflow.
func (g *generator) afterPass(li, mi int32, d domain.Date) {
	m := &g.mods[mi]
	L := &g.ls[li]
	if L.level >= L.ambition || g.chance(0.06) {
		g.qualify(li, d, m.prov)
		return
	}
	if m.next >= 0 {
		var gap int
		switch u := g.f(); {
		case u < 0.7:
			gap = 7 + g.intn(28)
		case u < 0.9:
			gap = 35 + g.intn(55)
		default:
			gap = 90 + g.intn(150) // a pause: work, a baby, a summer abroad
		}
		g.push(d+domain.Date(gap), li, m.next, false)
		return
	}
	if g.chance(0.55) && g.moveOn(li, d) {
		return
	}
	g.qualify(li, d, m.prov)
}

// failed: after a final fail the learner repeats the module once, or leaves.
func (g *generator) failed(li, mi int32, d domain.Date) {
	L := &g.ls[li]
	if L.repeats == 0 && g.chance(0.55) {
		L.repeats++
		g.push(d+14+domain.Date(g.intn(50)), li, mi, false)
		return
	}
	reason := []string{"level_mismatch", "motivation", "other", "unknown"}[g.pick([]float64{40, 35, 10, 15})]
	g.leave(li, d+domain.Date(g.intn(30)), g.mods[mi].prov, reason)
}

func (g *generator) dropReason(L *learnerState) string {
	w := []float64{22, 10, 12, 15, 13, 7, 4, 8, 9} // OutflowReasons order
	if L.persp == pWork {
		w[0] *= 1.5
	}
	return domain.OutflowReasons.Codes[g.pick(w)]
}

// leave writes an early-leaver outflow from provider pi around day d; some
// come back later with a new referral.
func (g *generator) leave(li int32, d domain.Date, pi int, reason string) {
	if g.chance(0.04) { // left without an outflow on record
		return
	}
	var dest string
	switch reason {
	case "work":
		dest = []string{"work", "unknown"}[g.pick([]float64{90, 10})]
	case "moved":
		dest = []string{"nt2_elsewhere", "unknown"}[g.pick([]float64{45, 55})]
	case "health", "care_duties":
		dest = []string{"none", "unknown"}[g.pick([]float64{70, 30})]
	case "level_mismatch":
		dest = []string{"nt2_elsewhere", "none", "unknown"}[g.pick([]float64{50, 25, 25})]
	case "financial":
		dest = []string{"work", "none", "unknown"}[g.pick([]float64{30, 40, 30})]
	default:
		dest = []string{"none", "unknown"}[g.pick([]float64{35, 65})]
	}
	od, ok := g.outflow(li, nearestWeekday(d+domain.Date(g.intn(21))), "early_leaver", reason, dest, pi)
	if ok && g.chance(0.09) {
		g.reenter(li, od, pi)
	}
}

// reenter brings learner li back after an early leaving: a new referral
// months later, a new placement and a new request, at the level they left.
func (g *generator) reenter(li int32, left domain.Date, pi int) {
	rd := nearestWeekday(left + 120 + domain.Date(g.intn(300)))
	if rd > g.today {
		return
	}
	L := &g.ls[li]
	if !g.chance(0.7) {
		if p := g.provider(g.provs[pi].typ, g.provs[pi].city, pi); p >= 0 {
			pi = p
		}
	}
	L.repeats = 0
	g.referral(li, rd, pi, true)
	mi := g.moduleFor(pi, L.level, L.route == rAlfa)
	if mi < 0 {
		return
	}
	pd := nearestWeekday(rd + 3 + domain.Date(g.intn(18)))
	if pd > g.today {
		return
	}
	g.placement(li, pd, mi, "test")
	g.push(pd+7+domain.Date(g.intn(50)), li, mi, true)
}

// transferTypes are the provider types a learner moves to mid-module.
var transferTypes = [numTypes][]int{
	tCBE:     {tCVO, tCBE},
	tCVO:     {tCVO, tUTC, tCBE},
	tUTC:     {tCVO, tUTC},
	tVDAB:    {tCVO, tVDAB},
	tSyntra:  {tCVO},
	tPrivate: {tCVO, tUTC},
	tOther:   {tCBE, tCVO},
}

// transfer: learner li leaves module mi on day x for another provider, which
// either is in the data (a placement and a new enrollment there) or not (a
// transfer outflow).
func (g *generator) transfer(li, mi int32, x domain.Date) {
	m := &g.mods[mi]
	L := &g.ls[li]
	if g.chance(0.55) {
		types := transferTypes[m.typ]
		if m.alfa {
			types = []int{tCBE}
		}
		pi := g.provider(types[g.intn(len(types))], g.provs[m.prov].city, m.prov)
		if pi >= 0 {
			if nm := g.moduleFor(pi, L.level, m.alfa); nm >= 0 {
				if g.chance(0.5) {
					g.outflow(li, x, "transfer", "", "nt2_elsewhere", m.prov)
				}
				pd := nearestWeekday(x + 1 + domain.Date(g.intn(14)))
				if pd > g.today {
					return
				}
				g.placement(li, pd, nm, "transfer")
				g.push(pd+7+domain.Date(g.intn(30)), li, nm, false)
				return
			}
		}
	}
	dest := []string{"nt2_elsewhere", "education", "unknown"}[g.pick([]float64{70, 15, 15})]
	g.outflow(li, x, "transfer", "", dest, m.prov)
}

// moveOn sends a learner who finished their provider's chain below their
// ambition on to a provider with higher modules (doorstroom), if there is one.
func (g *generator) moveOn(li int32, d domain.Date) bool {
	L := &g.ls[li]
	t := tCVO
	if L.route == rFast && g.chance(0.6) {
		t = tUTC
	}
	pi := g.provider(t, g.provs[L.prov].city, L.prov)
	if pi < 0 {
		return false
	}
	nm := g.moduleFor(pi, L.level, false)
	if nm < 0 {
		return false
	}
	if g.chance(0.8) {
		g.outflow(li, weekdayOnOrAfter(d+domain.Date(g.intn(5))), "transfer", "", "nt2_elsewhere", L.prov)
	}
	pd := nearestWeekday(d + 7 + domain.Date(g.intn(40)))
	if pd > g.today {
		return true
	}
	method := []string{"transfer", "evk", "test"}[g.pick([]float64{40, 30, 30})]
	g.placement(li, pd, nm, method)
	g.push(pd+7+domain.Date(g.intn(40)), li, nm, false)
	return true
}

// qualify writes a qualified outflow from provider pi shortly after day d.
func (g *generator) qualify(li int32, d domain.Date, pi int) {
	var w []float64 // work, education, none, unknown
	switch g.ls[li].persp {
	case pWork:
		w = []float64{55, 10, 12, 23}
	case pEducation:
		w = []float64{12, 60, 0, 28}
	case pSocial:
		w = []float64{12, 5, 50, 33}
	default:
		w = []float64{20, 0, 25, 55}
	}
	dest := []string{"work", "education", "none", "unknown"}[g.pick(w)]
	g.outflow(li, nearestWeekday(d+domain.Date(g.intn(30))), "qualified", "", dest, pi)
}

// externalTest writes a standardised test (the NT2 test at A2, or ITNA at
// B2) on about day d and, when passed, its certificate.
func (g *generator) externalTest(li int32, d domain.Date, lvl domain.Level) {
	L := &g.ls[li]
	d = nearestWeekday(d)
	if d > g.today || d <= L.lastExt {
		return
	}
	L.lastExt = d
	lv := domain.NoLevels
	reached := 0
	for k := range lv {
		lv[k] = clampLevel(int(lvl)+g.step(0.2, 0.18), lA0, domain.MaxLevel)
		if lv[k] >= lvl {
			reached++
		}
	}
	decision := "fail"
	if reached >= 4 {
		decision = "pass"
	}
	g.evaluation(li, -1, d, "external_test", lv, decision, -1, "")
	if decision != "pass" {
		return
	}
	cd := nearestWeekday(d + 14 + domain.Date(g.intn(28)))
	if cd > g.today {
		return
	}
	L.lastExt = cd
	g.certificate(li, "external", "", cd, lvl)
}

// followUps writes the follow-ups of an outflow on day od: at about 6 and 12
// months for many, for some never.
func (g *generator) followUps(li int32, od domain.Date, dest string) {
	if g.chance(0.62) {
		g.followUp(li, od, nearestWeekday(od.AddMonths(6)+domain.Date(g.intn(41)-20)), dest)
	}
	if g.chance(0.45) {
		g.followUp(li, od, nearestWeekday(od.AddMonths(12)+domain.Date(g.intn(41)-25)), dest)
	}
}

func (g *generator) followUp(li int32, od, d domain.Date, dest string) {
	L := &g.ls[li]
	if d <= od || d > g.today || slices.Contains(L.followUps, d) {
		return
	}
	var w []float64 // FollowUpStatuses order: work, education, work_and_education, none, unknown
	switch dest {
	case "work":
		w = []float64{68, 0, 8, 12, 12}
	case "education":
		w = []float64{10, 62, 12, 6, 10}
	case "nt2_elsewhere":
		w = []float64{15, 55, 5, 10, 15}
	case "none":
		w = []float64{18, 7, 0, 50, 25}
	default:
		w = []float64{28, 10, 5, 22, 35}
	}
	L.followUps = append(L.followUps, d)
	if g.dry {
		return
	}
	g.ds.FollowUps = append(g.ds.FollowUps, domain.FollowUp{Learner: g.ids[li], Date: d, Status: domain.FollowUpStatuses.Codes[g.pick(w)]})
}

// Record writers.

// enrollment writes an enrollment whose attendance records are those in
// g.att after the previous enrollment's; fade is the day its learner began
// to slip away (0: none).
func (g *generator) enrollment(li, gi int32, start, end domain.Date, status string, hours float64, fade domain.Date) {
	if g.dry {
		return
	}
	g.ds.Enrollments = append(g.ds.Enrollments, domain.Enrollment{Learner: g.ids[li], StartDate: start, EndDate: end, Status: status, HoursAttended: hours})
	g.enrGroup = append(g.enrGroup, gi)
	g.enrFade = append(g.enrFade, fade)
	g.enrAtt = append(g.enrAtt, g.attMark)
	g.attMark = int32(len(g.att))
}

func (g *generator) evaluation(li, gi int32, d domain.Date, kind string, lv domain.Levels, decision string, by int32, feedback string) {
	if g.dry {
		return
	}
	g.ds.Evaluations = append(g.ds.Evaluations, domain.Evaluation{Learner: g.ids[li], Date: d, Kind: kind, Levels: lv, Decision: decision, Feedback: feedback})
	g.evalGroup = append(g.evalGroup, gi)
	g.evalBy = append(g.evalBy, by)
}

// certificate writes a certificate; most carry a number from the series of
// their kind (DC- module, C- programme, NT2- external).
func (g *generator) certificate(li int32, kind, module string, d domain.Date, lvl domain.Level) {
	if g.dry {
		return
	}
	c := domain.Certificate{Learner: g.ids[li], Kind: kind, Module: module, Date: d, Level: lvl}
	if !g.chance(0.04) {
		i, prefix := 0, "DC-"
		switch kind {
		case "programme":
			i, prefix = 1, "C-"
		case "external":
			i, prefix = 2, "NT2-"
		}
		g.numbers[i]++
		c.Number = pad(prefix, g.numbers[i], 7)
	}
	g.ds.Certificates = append(g.ds.Certificates, c)
}

// outflow writes an outflow of learner li from provider pi on day d, or on
// the day after their previous outflow if that is later; a few carry no
// provider. It reports the date and whether it was written (not after Today).
func (g *generator) outflow(li int32, d domain.Date, typ, reason, dest string, pi int) (domain.Date, bool) {
	L := &g.ls[li]
	d = max(d, L.lastOut+1)
	if d > g.today {
		return d, false
	}
	L.lastOut = d
	o := domain.Outflow{Learner: g.ids[li], Date: d, Type: typ, Reason: reason, Destination: dest}
	if g.chance(0.03) {
		o.Destination = ""
	}
	if pi >= 0 && !g.chance(0.05) {
		o.Provider = g.provs[pi].code
	}
	if !g.dry {
		g.ds.Outflows = append(g.ds.Outflows, o)
	}
	g.followUps(li, d, o.Destination)
	return d, true
}

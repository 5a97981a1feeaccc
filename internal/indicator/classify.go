package indicator

import (
	"github.com/traject-nt2/traject/internal/domain"
)

// This file is the one classification code path: every case of every
// indicator is classified here exactly once. Compute aggregates the cases,
// Explain lists them, so the two can never disagree.

// Access classes (spec/indicators.md §1).
const (
	accessOnTime uint8 = iota
	accessLate
	accessWaitingOverdue
	accessWaitingInTerm
)

// Outflow types (spec/indicators.md §5); any other type counts in total only.
const (
	outflowQualified int8 = iota
	outflowTransfer
	outflowEarlyLeaver
	outflowOther int8 = -1
)

// accessCase is one referral of the access cohort.
type accessCase struct {
	ref         int32 // index in ds.Referrals
	learner     int32
	provider    int32
	start       domain.Date // 0: no start
	startEnr    int32       // the enrollment that starts it, or -1
	deadline    domain.Date
	class       uint8
	waitingList bool
}

func (c *accessCase) days(ds *domain.DataSet) int32 {
	return int32(c.start - ds.Referrals[c.ref].Date)
}

// progressCase is one enrollment of the progress (= certification) cohort.
type progressCase struct {
	enr      int32 // index in ds.Enrollments
	learner  int32
	group    int32
	provider int32
	target   int32 // ladder rank of the module's target level, -1 unknown
	pass     int32 // the evaluation that puts it on track, or -1
	cert     int32 // the certificate that counts, or -1
	open     bool  // the window of pass and certificate (group end + grace_days) is still open on as_of, and the learner has not dropped out by then
}

// pendingPass reports whether the case has no pass yet while one may still
// come on time (see Case.Pending).
func (c *progressCase) pendingPass() bool { return c.pass < 0 && c.open }

// pendingCert reports whether the case has no certificate yet while one may
// still come on time.
func (c *progressCase) pendingCert() bool { return c.cert < 0 && c.open }

// skillResult is the baseline and end assessment of one skill (§4).
type skillResult struct {
	baseDate, endDate domain.Date // endDate 0: gain undefined
	base, end         domain.Level
}

func (s *skillResult) defined() bool { return s.endDate != 0 }
func (s *skillResult) gain() int     { return int(s.end) - int(s.base) }

// gainCase is one learning-gain participant.
type gainCase struct {
	learner        int32
	hours          float64
	provOff, provN int32 // the providers it is a participant of: casebook.gainProv[provOff:provOff+provN]
	allProviders   bool  // min_hours <= 0: a participant of every provider
	skills         [domain.NumSkills]skillResult
}

func (c *gainCase) assessed() bool {
	for k := range c.skills {
		if c.skills[k].defined() {
			return true
		}
	}
	return false
}

func (c *gainCase) gained() bool {
	for k := range c.skills {
		if c.skills[k].defined() && c.skills[k].gain() >= 1 {
			return true
		}
	}
	return false
}

// outflowCase is one outflow of the outflow (= effects) cohort.
type outflowCase struct {
	out      int32 // index in ds.Outflows
	learner  int32
	provider int32
	typ      int8
	reason   int32 // key index in casebook.reasons, -1 none
	dest     int32 // key index in casebook.dests, -1 blank
	followUp int32 // the follow-up that counts, or -1
	positive bool
}

// casebook holds every classified case for one data set and Params.
type casebook struct {
	ix        *index
	access    []accessCase
	progress  []progressCase
	gain      []gainCase
	gainProv  []int32
	nGainProv int32 // providers a participant can belong to when min_hours <= 0
	outflow   []outflowCase
	scores    [2][]scoreEntry // §7 wellbeing, §8 involvement: by learner, date, lowest score first
	responses []responseCase  // §9
	reasons   *keySet
	dests     *keySet
}

// classify computes every case of every indicator once.
func classify(ds *domain.DataSet, p Params) *casebook {
	ix := newIndex(ds, p)
	cb := &casebook{
		ix:      ix,
		reasons: newKeySet(domain.OutflowReasons.Codes, false),
		dests:   newKeySet(domain.Destinations.Codes, false),
	}
	// Every provider the data set names (and the filter): the ones a
	// learner is a participant of when min_hours is 0 (§4, literally).
	cb.nGainProv = int32(len(ix.keys[dimProvider].keys))
	cb.classifyAccess()
	cb.classifyProgress()
	cb.classifyGain()
	cb.classifyOutflow()
	cb.classifyObservations()
	return cb
}

// classifyAccess implements spec/indicators.md §1.
func (cb *casebook) classifyAccess() {
	ix, ds, p := cb.ix, cb.ix.ds, cb.ix.p
	enrs := ds.Enrollments
	n := 0
	for i := range ds.Referrals {
		if d := ds.Referrals[i].Date; d >= p.From && d <= p.To {
			n++
		}
	}
	cb.access = make([]accessCase, 0, n)
	for i := range ds.Referrals {
		r := &ds.Referrals[i]
		if r.Date < p.From || r.Date > p.To {
			continue
		}
		prov := ix.provider(r.Provider)
		if !ix.selected(prov) {
			continue
		}
		l := ix.learnerIndex(r.Learner, false)
		c := accessCase{ref: int32(i), learner: l, provider: prov, startEnr: -1}
		// Start: the earliest enrollment start (any provider, any status) with
		// referral.date <= start <= as_of. Enrollments are sorted by start.
		for _, e := range ix.enr.of(l) {
			if s := enrs[e].StartDate; s >= r.Date {
				if s <= p.AsOf {
					c.start, c.startEnr = s, e
				}
				break
			}
		}
		c.deadline = ix.addMonths(r.Date, p.StatutoryMonths)
		switch {
		case c.start != 0 && c.start <= c.deadline:
			c.class = accessOnTime
		case c.start != 0:
			c.class = accessLate
		case p.AsOf > c.deadline:
			c.class = accessWaitingOverdue
		default:
			c.class = accessWaitingInTerm
		}
		c.waitingList = c.start == 0 && p.AsOf > ix.addMonths(r.Date, p.WaitingListMonths)
		cb.access = append(cb.access, c)
	}
}

// classifyProgress implements spec/indicators.md §2 and §3, which share a cohort.
func (cb *casebook) classifyProgress() {
	ix, ds, p := cb.ix, cb.ix.ds, cb.ix.p
	n := 0
	for _, g := range ix.enrGroup {
		if g >= 0 && ix.groups[g].end >= p.From && ix.groups[g].end <= p.To {
			n++
		}
	}
	cb.progress = make([]progressCase, 0, n)
	for i := range ds.Enrollments {
		g := ix.enrGroup[i]
		if g < 0 {
			continue // unknown group: no planned end, never in the cohort
		}
		gi := &ix.groups[g]
		e := &ds.Enrollments[i]
		if gi.end < p.From || gi.end > p.To || e.Status == "transferred" || !ix.selected(gi.provider) {
			continue
		}
		l := ix.enrLrn[i]
		c := progressCase{enr: int32(i), learner: l, group: g, provider: gi.provider, target: gi.target, pass: -1, cert: -1}
		last := gi.end.AddDays(p.GraceDays)
		// Judged yet? Not while the window is open on as_of, unless the
		// learner has left it (dropped by as_of): that outcome is known.
		c.open = last > p.AsOf && !(e.Status == "dropped" && e.EndDate != 0 && e.EndDate <= p.AsOf)
		// on_track: a module_end pass of the same learner and group within
		// [enrollment start, group end + grace]; the earliest one is reported.
		for _, v := range ix.eval.of(l) {
			ev := &ds.Evaluations[v]
			if ev.Group == e.Group && ev.Kind == "module_end" && ev.Decision == "pass" &&
				ev.Date >= e.StartDate && ev.Date <= last &&
				(c.pass < 0 || ev.Date < ds.Evaluations[c.pass].Date) {
				c.pass = v
			}
		}
		// certified: a module certificate of the group's module in the same window.
		for _, v := range ix.cert.of(l) {
			ct := &ds.Certificates[v]
			if ct.Kind == "module" && ct.Module == gi.module &&
				ct.Date >= e.StartDate && ct.Date <= last &&
				(c.cert < 0 || ct.Date < ds.Certificates[c.cert].Date) {
				c.cert = v
			}
		}
		cb.progress = append(cb.progress, c)
	}
}

// provHours is a learner's participation hours at one provider.
type provHours struct {
	prov  int32
	hours float64
}

// classifyGain implements spec/indicators.md §4. A learner is a participant
// of provider P (provider breakdown) when their hours in P's groups alone
// reach min_hours, exactly as with the provider filter set to P.
func (cb *casebook) classifyGain() {
	ix, ds, p := cb.ix, cb.ix.ds, cb.ix.p
	var scratch []provHours
	// At most one case per learner with an enrollment (all learners when
	// min_hours is 0); allocated once to avoid growing a large slice.
	n := len(ix.ids)
	if p.MinHours > 0 {
		n = 0
		for l := range ix.ids {
			if ix.enr.off[l+1] > ix.enr.off[l] {
				n++
			}
		}
	}
	cb.gain = make([]gainCase, 0, n)
	for l := int32(0); l < int32(len(ix.ids)); l++ {
		total := 0.0
		scratch = scratch[:0]
		for _, e := range ix.enr.of(l) {
			en := &ds.Enrollments[e]
			if en.StartDate > p.To || (en.EndDate != 0 && en.EndDate < p.From) {
				continue // does not overlap the period
			}
			prov := int32(-1)
			if g := ix.enrGroup[e]; g >= 0 {
				prov = ix.groups[g].provider
			}
			if !ix.selected(prov) {
				continue
			}
			total += en.HoursAttended
			if prov < 0 {
				continue
			}
			found := false
			for j := range scratch {
				if scratch[j].prov == prov {
					scratch[j].hours += en.HoursAttended
					found = true
					break
				}
			}
			if !found {
				scratch = append(scratch, provHours{prov, en.HoursAttended})
			}
		}
		if total < p.MinHours {
			continue
		}
		c := gainCase{learner: l, hours: total, provOff: int32(len(cb.gainProv))}
		switch {
		case p.MinHours <= 0 && ix.filter >= 0:
			cb.gainProv = append(cb.gainProv, ix.filter)
			c.provN = 1
		case p.MinHours <= 0:
			c.allProviders = true
		default:
			for _, ph := range scratch {
				if ph.hours >= p.MinHours {
					cb.gainProv = append(cb.gainProv, ph.prov)
					c.provN++
				}
			}
		}
		cb.assess(&c)
		cb.gain = append(cb.gain, c)
	}
}

// tracker follows one skill's assessments: the latest before the period, and
// the earliest and latest in it; a date's level is the highest on that date.
type tracker struct {
	before, first, last domain.Date
	bLvl, fLvl, lLvl    domain.Level
}

func (t *tracker) add(d domain.Date, lv domain.Level, from domain.Date) {
	if d < from {
		if d > t.before {
			t.before, t.bLvl = d, lv
		} else if d == t.before && lv > t.bLvl {
			t.bLvl = lv
		}
		return
	}
	if t.first == 0 || d < t.first {
		t.first, t.fLvl = d, lv
	} else if d == t.first && lv > t.fLvl {
		t.fLvl = lv
	}
	if d > t.last {
		t.last, t.lLvl = d, lv
	} else if d == t.last && lv > t.lLvl {
		t.lLvl = lv
	}
}

// assess fills c.skills: assessments are every placement and evaluation (any
// kind, any provider) of the learner with a level for the skill, dated on or
// before to; baseline is the latest date before from, else the earliest in
// the period; end is the latest date in the period after the baseline (§4).
func (cb *casebook) assess(c *gainCase) {
	ix, ds, p := cb.ix, cb.ix.ds, cb.ix.p
	var t [domain.NumSkills]tracker
	addLevels := func(d domain.Date, ls *domain.Levels) {
		if d == 0 || d > p.To {
			return
		}
		for k, lv := range ls {
			if lv.Valid() {
				t[k].add(d, lv, p.From)
			}
		}
	}
	for _, v := range ix.plc.of(c.learner) {
		addLevels(ds.Placements[v].Date, &ds.Placements[v].Levels)
	}
	for _, v := range ix.eval.of(c.learner) {
		addLevels(ds.Evaluations[v].Date, &ds.Evaluations[v].Levels)
	}
	for k := range t {
		s := &c.skills[k]
		*s = skillResult{base: domain.NoLevel, end: domain.NoLevel}
		switch {
		case t[k].before != 0:
			s.baseDate, s.base = t[k].before, t[k].bLvl
		case t[k].first != 0:
			s.baseDate, s.base = t[k].first, t[k].fLvl
		default:
			continue
		}
		if t[k].last != 0 && t[k].last > s.baseDate {
			s.endDate, s.end = t[k].last, t[k].lLvl
		}
	}
}

// classifyOutflow implements spec/indicators.md §5 and §6, which share a cohort.
func (cb *casebook) classifyOutflow() {
	ix, ds, p := cb.ix, cb.ix.ds, cb.ix.p
	n := 0
	for i := range ds.Outflows {
		if d := ds.Outflows[i].Date; d >= p.From && d <= p.To {
			n++
		}
	}
	cb.outflow = make([]outflowCase, 0, n)
	for i := range ds.Outflows {
		o := &ds.Outflows[i]
		if o.Date < p.From || o.Date > p.To {
			continue
		}
		prov := ix.provider(o.Provider)
		if !ix.selected(prov) {
			continue
		}
		l := ix.learnerIndex(o.Learner, false)
		c := outflowCase{out: int32(i), learner: l, provider: prov, typ: outflowOther,
			reason: -1, dest: cb.dests.id(o.Destination), followUp: -1}
		switch o.Type {
		case "qualified":
			c.typ = outflowQualified
		case "transfer":
			c.typ = outflowTransfer
		case "early_leaver":
			c.typ = outflowEarlyLeaver
			c.reason = cb.reasons.id(o.Reason)
		}
		// The follow-up: the learner's latest with
		// outflow.date < date <= min(outflow.date + followup_months, as_of).
		last := ix.addMonths(o.Date, p.FollowupMonths)
		if p.AsOf < last {
			last = p.AsOf
		}
		for _, v := range ix.fu.of(l) {
			f := &ds.FollowUps[v]
			if f.Date > o.Date && f.Date <= last && (c.followUp < 0 || f.Date > ds.FollowUps[c.followUp].Date) {
				c.followUp = v
			}
		}
		if c.followUp >= 0 {
			switch ds.FollowUps[c.followUp].Status {
			case "work", "education", "work_and_education":
				c.positive = true
			}
		}
		cb.outflow = append(cb.outflow, c)
	}
}

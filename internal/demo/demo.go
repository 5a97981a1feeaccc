// Package demo generates Traject's demo data: a deterministic, realistic
// region of NT2 providers over about three school years, every learner followed
// from referral through placement, groups, evaluations and certificates to
// outflow and follow-up. Every record satisfies the integrity rules of
// spec/domain.md; a few carry the gaps real data has, so that data-quality
// checks find something.
//
// The generator is a small discrete-event simulation: learners ask for a place
// in a module on some day, are put in a group of that module that is forming
// (or a new one), and what happens in the group decides their next request.
// Everything is drawn from one PCG stream in a fixed order, and records dated
// after Today are not written (planned groups and enrollments excepted), so the
// data looks like an export taken on Today.
package demo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// Options sets the size, the random sequence and the "now" of a demo data set.
type Options struct {
	// Learners is the number of learners; 0 or less means DefaultLearners.
	Learners int
	// Seed seeds the pseudo-random sequence; 0 means DefaultSeed.
	Seed uint64
	// Today is the day the data is taken, passed explicitly because the
	// generator reads no clock; 0 means DefaultToday.
	Today domain.Date
}

// DefaultLearners is the number of learners when Options.Learners is not set.
const DefaultLearners = 2000

// DefaultSeed is the seed when Options.Seed is not set.
const DefaultSeed = 1

// DefaultToday is the "now" of the data when Options.Today is not set.
var DefaultToday = domain.NewDate(2026, time.June, 30)

// Generate returns a demo data set; the same options always give the same data.
func Generate(opt Options) *domain.DataSet {
	// A first, dry run (no records) measures how many learners ask for each
	// module; the real run uses that to decide which modules each provider
	// offers and how often it starts a group of each.
	cal := newGenerator(opt)
	cal.dry = true
	cal.setup(nil)
	cal.people()
	cal.run()

	g := newGenerator(opt)
	g.setup(cal.demand())
	g.people()
	g.run()
	g.finish()
	return g.ds
}

// Learning routes and perspectives, in code-list order.
const (
	rAlfa = iota
	rSlow
	rStandard
	rFast
)

var routeCodes = [4]string{"alfa", "slow", "standard", "fast"}

const (
	pWork = iota
	pEducation
	pSocial
	pUnknown
)

var perspectiveCodes = [4]string{"work", "education", "social", "unknown"}

type provider struct {
	providerSpec
	mods       []int32 // module indices in catalogue order
	teachers   []int32 // teacher numbers
	groups     int     // groups started so far
	learners   int     // learners who start here
	counsellor int     // first counsellor number
	nc         int     // number of counsellors
}

type module struct {
	moduleSpec
	code     string
	prov     int
	typ      int
	spec     int     // index in moduleCatalog[typ]
	next     int32   // the module a learner moves on to, or -1
	last     bool    // last module of its programme
	lead     int     // days between the first request and the start of a new group
	late     int     // days after the start a learner may still join
	demand   float64 // requests up to Today: measured by the dry run, or estimated in it
	requests int     // requests placed in a group up to Today
	forming  int32   // the group now taking learners, or -1
}

type group struct {
	module     int32
	start, end domain.Date
	hours      int
	teacher    int32
	intensity  uint8
	summer     bool // a summer course
	n, cap     int16

	weekdays    uint8         // the days it is taught, bit 1 Monday … bit 5 Friday (register.go)
	lag         uint8         // days before Today whose lessons are not registered yet
	todayDone   bool          // a lesson on Today is registered
	lessons     []domain.Date // its lessons, made when first asked (lessonsOf)
	lessonHours float64
}

type learnerState struct {
	route, persp, civic uint8
	lowLiterate         bool
	level, ambition     domain.Level
	ability             float64
	prov                int // provider of the current or last enrollment
	repeats             int // failed attempts at the current module
	groups              []int32
	lastOut, lastExt    domain.Date
	referred            domain.Date // the latest referral
	followUps           []domain.Date
}

// event is a learner asking for a place in a module from date on.
type event struct {
	date    domain.Date
	seq     uint32
	learner int32
	module  int32
	first   bool // first enrollment after a referral
}

type generator struct {
	dry                  bool // measure demand only, write no records
	calibrated           bool // module demand comes from a dry run
	r                    *rand.Rand
	rr                   *rand.Rand // the register's stream (register.go)
	n                    int
	today, from, horizon domain.Date
	hol                  []holiday
	ds                   *domain.DataSet

	provs  []provider
	byType [numTypes][]int
	mods   []module
	groups []group
	ls     []learnerState
	ids    []string
	q      []event
	seq    uint32

	teachers  int32
	enrGroup  []int32       // group of each enrollment
	enrAtt    []int32       // each enrollment's first record in att
	enrFade   []domain.Date // the day each enrollment's learner began to slip away, 0 for none
	att       []attRec      // the attendance records, by enrollment
	attMark   int32         // len(att) when the last enrollment was written
	evalGroup []int32       // group of each evaluation, -1 for an external test
	evalBy    []int32       // evaluator (teacher number) of each evaluation, -1 for none
	numbers   [3]int        // certificate numbers issued: module, programme, external
	scratch   []int
}

func newGenerator(opt Options) *generator {
	n := opt.Learners
	if n <= 0 {
		n = DefaultLearners
	}
	seed := opt.Seed
	if seed == 0 {
		seed = DefaultSeed
	}
	today := opt.Today
	if today == 0 {
		today = DefaultToday
	}
	// Keep three school years before Today and the planned future after it
	// inside the domain's date range.
	today = min(max(today, domain.NewDate(1995, time.January, 1)), domain.NewDate(2095, time.December, 31))
	from := domain.SchoolYearStart(today).AddYears(-2)
	if today-from < 900 {
		from = from.AddYears(-1)
	}
	y0, _, _ := from.YMD()
	y1, _, _ := today.YMD()
	return &generator{
		r:       rand.New(rand.NewPCG(seed, 0x5452414a454354)),
		rr:      rand.New(rand.NewPCG(seed, 0x5245474953544552)),
		n:       n,
		today:   today,
		from:    from,
		horizon: today + 92,
		hol:     holidays(y0-1, y1+5),
		ds:      &domain.DataSet{},
	}
}

// Random helpers.

func (g *generator) f() float64            { return g.r.Float64() }
func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func (g *generator) intn(k int) int {
	if k <= 0 {
		return 0
	}
	return g.r.IntN(k)
}

func (g *generator) pick(w []float64) int {
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	u := g.f() * sum
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

func (g *generator) pickChoice(c []choice) string {
	sum := 0.0
	for _, x := range c {
		sum += x.w
	}
	u := g.f() * sum
	for _, x := range c {
		if u < x.w {
			return x.v
		}
		u -= x.w
	}
	return c[len(c)-1].v
}

func (g *generator) oneOf(s []string) string { return s[g.intn(len(s))] }

// step returns -1, 0 or +1 with the given probabilities of -1 and +1.
func (g *generator) step(down, up float64) int {
	u := g.f()
	switch {
	case u < down:
		return -1
	case u < down+up:
		return 1
	}
	return 0
}

func clampLevel(v int, lo, hi domain.Level) domain.Level {
	return domain.Level(min(max(v, int(lo)), int(hi)))
}

func pad(prefix string, v, width int) string {
	s := strconv.Itoa(v)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return prefix + s
}

func digits(v int) int { return len(strconv.Itoa(v)) }

// providerCount scales the number of providers mildly with the number of
// learners: 8 at 2,000, about 16 at 10,000, 28 at 100,000.
func providerCount(learners int) int {
	n := int(math.Round(8 + 3.5*math.Log2(float64(learners)/2000)))
	return min(max(n, numTypes), len(providerCatalog))
}

// demand returns, per provider and catalogue module, the requests of a run.
func (g *generator) demand() [][]float64 {
	d := make([][]float64, len(g.provs))
	for pi, p := range g.provs {
		d[pi] = make([]float64, len(moduleCatalog[p.typ]))
	}
	for _, m := range g.mods {
		d[m.prov][m.spec] = float64(m.requests)
	}
	return d
}

// minOffered is how many modules at the bottom of its chain a provider always
// offers, whatever the demand.
var minOffered = [numTypes]int{tCBE: 4, tCVO: 2, tUTC: 2, tVDAB: 2, tSyntra: 1, tPrivate: 2, tOther: 2}

// setup creates the providers, their module chains and the goals. With the
// demand of a dry run, a provider does not offer the top of its chain where
// too few learners would ask for it (a small CVO stops at Richtgraad 3).
func (g *generator) setup(demand [][]float64) {
	np := providerCount(g.n)
	for i := range np {
		spec := providerCatalog[i]
		g.provs = append(g.provs, provider{providerSpec: spec})
		g.byType[spec.typ] = append(g.byType[spec.typ], i)
		g.ds.Providers = append(g.ds.Providers, domain.Provider{Code: spec.code, Name: spec.name, Type: typeCodes[spec.typ]})
	}
	g.calibrated = demand != nil
	years := float64(g.today-g.from+45) / 365
	for pi := range g.provs {
		p := &g.provs[pi]
		offered := len(moduleCatalog[p.typ])
		if demand != nil {
			catalog := moduleCatalog[p.typ]
			for offered > minOffered[p.typ] && demand[pi][offered-1] < minDemand*years {
				offered--
			}
			// A programme is offered whole or not at all.
			for offered > minOffered[p.typ] && offered < len(catalog) && catalog[offered].programme == catalog[offered-1].programme {
				offered--
			}
		}
		for j, ms := range moduleCatalog[p.typ][:offered] {
			mi := int32(len(g.mods))
			m := module{moduleSpec: ms, code: p.code + "/" + ms.suffix, prov: pi, typ: p.typ, spec: j, next: -1, forming: -1}
			if demand != nil {
				m.demand = demand[pi][j]
			}
			g.mods = append(g.mods, m)
			p.mods = append(p.mods, mi)
			g.ds.Modules = append(g.ds.Modules, domain.Module{
				Code: p.code + "/" + ms.suffix, Provider: p.code, Name: ms.name, Programme: ms.programme,
				EntryLevel: ms.entry, TargetLevel: ms.target, Skills: ms.skills, NominalHours: ms.hours,
			})
		}
		for k, mi := range p.mods {
			m := &g.mods[mi]
			m.next = g.follower(p, m)
			m.last = k == len(p.mods)-1 || g.mods[p.mods[k+1]].programme != m.programme
		}
	}
	for _, m := range g.mods {
		for k := domain.Skill(0); k < domain.NumSkills; k++ {
			if m.skills.Has(k) {
				g.ds.Goals = append(g.ds.Goals, domain.Goal{
					Code: m.code + "/" + domain.SkillCodes[k], Module: m.code, Skill: k, Level: m.target,
					Description: describe(k, m.target), Source: "framework",
				})
			}
		}
	}
	for pi := range g.provs {
		p := &g.provs[pi]
		top := g.mods[p.mods[len(p.mods)-1]].target
		k := 0
		for _, j := range g.r.Perm(len(providerGoals)) {
			pg := providerGoals[j]
			if pg.level > top || k >= 2+pi%3 {
				continue
			}
			k++
			goal := domain.Goal{Code: p.code + "/eigen-" + pad("", k, 2), Skill: pg.skill, Level: pg.level, Description: pg.description, Source: "provider"}
			if g.chance(0.5) {
				for _, mi := range p.mods {
					if m := &g.mods[mi]; m.target == pg.level && m.skills.Has(pg.skill) {
						goal.Module = m.code
						break
					}
				}
			}
			g.ds.Goals = append(g.ds.Goals, goal)
		}
	}
}

// follower returns the module after m in its provider's chain: the one that
// starts at m's target, on the alfa track while there is one.
func (g *generator) follower(p *provider, m *module) int32 {
	for _, alfa := range []bool{m.alfa, false} {
		for _, mi := range p.mods {
			if n := &g.mods[mi]; n.entry == m.target && n.alfa == alfa {
				return mi
			}
		}
	}
	return -1
}

func describe(k domain.Skill, l domain.Level) string {
	b, half := band(l)
	d := descriptors[k][b]
	if half {
		return "Op weg naar " + [5]string{"A1", "A2", "B1", "B2", "C1"}[b] + ": " + strings.ToLower(d[:1]) + d[1:]
	}
	return d
}

// moduleFor returns the module of provider p that a learner at level l is
// placed into: the one with the highest entry level at or below l that l has
// not yet passed, on the alfa track if alfa and the provider has one.
func (g *generator) moduleFor(p int, l domain.Level, alfa bool) int32 {
	best := int32(-1)
	for _, a := range []bool{alfa, false} {
		for _, mi := range g.provs[p].mods {
			m := &g.mods[mi]
			if m.alfa == a && m.entry <= l && l < m.target && (best < 0 || m.entry > g.mods[best].entry) {
				best = mi
			}
		}
		if best >= 0 {
			return best
		}
	}
	return -1
}

// provider picks a provider of type t, by size, preferring city when set.
func (g *generator) provider(t int, city string, exclude int) int {
	g.scratch = g.scratch[:0]
	if city != "" && g.chance(0.75) {
		for _, pi := range g.byType[t] {
			if pi != exclude && g.provs[pi].city == city {
				g.scratch = append(g.scratch, pi)
			}
		}
	}
	if len(g.scratch) == 0 {
		for _, pi := range g.byType[t] {
			if pi != exclude {
				g.scratch = append(g.scratch, pi)
			}
		}
	}
	if len(g.scratch) == 0 {
		return -1
	}
	sum := 0.0
	for _, pi := range g.scratch {
		sum += g.provs[pi].weight
	}
	u := g.f() * sum
	for _, pi := range g.scratch {
		if u < g.provs[pi].weight {
			return pi
		}
		u -= g.provs[pi].weight
	}
	return g.scratch[len(g.scratch)-1]
}

// The event queue: a binary heap ordered by date, then by push order.

func (g *generator) push(date domain.Date, li int32, mi int32, first bool) {
	g.q = append(g.q, event{date: date, seq: g.seq, learner: li, module: mi, first: first})
	g.seq++
	i := len(g.q) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !g.q[i].before(g.q[p]) {
			break
		}
		g.q[i], g.q[p] = g.q[p], g.q[i]
		i = p
	}
}

func (e event) before(o event) bool {
	if e.date != o.date {
		return e.date < o.date
	}
	return e.seq < o.seq
}

func (g *generator) pop() event {
	top := g.q[0]
	last := len(g.q) - 1
	g.q[0] = g.q[last]
	g.q = g.q[:last]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < last && g.q[l].before(g.q[m]) {
			m = l
		}
		if r < last && g.q[r].before(g.q[m]) {
			m = r
		}
		if m == i {
			break
		}
		g.q[i], g.q[m] = g.q[m], g.q[i]
		i = m
	}
	return top
}

func (g *generator) run() {
	for len(g.q) > 0 {
		ev := g.pop()
		if ev.date > g.horizon {
			continue
		}
		gi, start := g.join(ev.module, ev.date, ev.learner)
		if gi >= 0 {
			if ev.date <= g.today {
				g.mods[ev.module].requests++
			}
			g.attend(ev.learner, gi, start, ev.first)
		}
	}
}

// finish names the groups and teachers, fills in the references that were
// kept as indices, and orders every per-learner entity by learner and date.
func (g *generator) finish() {
	ds := g.ds
	tw := max(3, digits(int(g.teachers)))
	teacher := make([]string, g.teachers)
	for i := range teacher {
		teacher[i] = pad("teacher", i+1, tw)
	}
	order := make([]int32, len(g.groups))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		ga, gb := &g.groups[a], &g.groups[b]
		if c := cmp.Compare(ga.start, gb.start); c != 0 {
			return c
		}
		if c := cmp.Compare(ga.module, gb.module); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	codes := make([]string, len(g.groups))
	lastMonth := make([]int, len(g.provs))
	count := make([]int, len(g.provs))
	ds.Groups = make([]domain.Group, 0, len(g.groups))
	for _, gi := range order {
		gr := &g.groups[gi]
		m := &g.mods[gr.module]
		y, mo, _ := gr.start.YMD()
		ym := (y%100)*100 + int(mo)
		if lastMonth[m.prov] != ym {
			lastMonth[m.prov], count[m.prov] = ym, 0
		}
		count[m.prov]++
		codes[gi] = pad(g.provs[m.prov].code+"-"+pad("", ym, 4)+"-", count[m.prov], 3)
		ds.Groups = append(ds.Groups, domain.Group{
			Code: codes[gi], Module: m.code, StartDate: gr.start, EndDate: gr.end, PlannedHours: gr.hours,
			Teacher: teacher[gr.teacher], Intensity: intensityCodes[gr.intensity],
		})
	}
	for i := range ds.Enrollments {
		ds.Enrollments[i].Group = codes[g.enrGroup[i]]
	}
	for i := range ds.Evaluations {
		if gi := g.evalGroup[i]; gi >= 0 {
			ds.Evaluations[i].Group = codes[gi]
		}
		if t := g.evalBy[i]; t >= 0 {
			ds.Evaluations[i].Evaluator = teacher[t]
		}
	}
	g.enrGroup, g.evalGroup, g.evalBy = nil, nil, nil

	byLearner := func(a, b string, da, db domain.Date) int {
		if c := strings.Compare(a, b); c != 0 {
			return c
		}
		return cmp.Compare(da, db)
	}
	slices.SortStableFunc(ds.Referrals, func(a, b domain.Referral) int { return byLearner(a.Learner, b.Learner, a.Date, b.Date) })
	slices.SortStableFunc(ds.Placements, func(a, b domain.Placement) int { return byLearner(a.Learner, b.Learner, a.Date, b.Date) })
	perm := make([]int32, len(ds.Enrollments))
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortStableFunc(perm, func(a, b int32) int {
		ea, eb := &ds.Enrollments[a], &ds.Enrollments[b]
		return byLearner(ea.Learner, eb.Learner, ea.StartDate, eb.StartDate)
	})
	sorted := make([]domain.Enrollment, len(perm))
	fade := make([]domain.Date, len(perm))
	for k, i := range perm {
		sorted[k], fade[k] = ds.Enrollments[i], g.enrFade[i]
	}
	ds.Enrollments, g.enrFade = sorted, fade
	g.writeRegister(order, codes, perm)
	slices.SortStableFunc(ds.Evaluations, func(a, b domain.Evaluation) int { return byLearner(a.Learner, b.Learner, a.Date, b.Date) })
	slices.SortStableFunc(ds.Certificates, func(a, b domain.Certificate) int {
		return byLearner(a.Learner, b.Learner, a.Date, b.Date)
	})
	slices.SortStableFunc(ds.Outflows, func(a, b domain.Outflow) int { return byLearner(a.Learner, b.Learner, a.Date, b.Date) })
	slices.SortStableFunc(ds.FollowUps, func(a, b domain.FollowUp) int { return byLearner(a.Learner, b.Learner, a.Date, b.Date) })
	g.wellbeing()
}

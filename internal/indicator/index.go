package indicator

import (
	"github.com/traject-nt2/traject/internal/domain"
)

// Breakdown dimensions, in the order of BreakdownNames.
const (
	dimProvider = iota
	dimGender
	dimLearningRoute
	dimSchoolingLevel
	dimLiteracy
	dimCivicStatus
	dimAgeBand
	dimTargetLevel
	numDims
)

// numAttrs is the number of learner-attribute dimensions (gender … age_band).
const numAttrs = dimAgeBand - dimGender + 1

// keySet interns the keys of one breakdown dimension as small ints. It is
// seeded with the code list so that the usual keys never need a map lookup.
type keySet struct {
	keys []string
	m    map[string]int32 // only for large sets (providers)
}

func newKeySet(seed []string, useMap bool) *keySet {
	ks := &keySet{keys: append([]string(nil), seed...)}
	if useMap {
		ks.m = make(map[string]int32, len(seed))
		for i, k := range seed {
			ks.m[k] = int32(i)
		}
	}
	return ks
}

// id returns the index of k, adding it when new; "" is -1 (no key).
func (ks *keySet) id(k string) int32 {
	if k == "" {
		return -1
	}
	if ks.m != nil {
		if i, ok := ks.m[k]; ok {
			return i
		}
		ks.m[k] = int32(len(ks.keys))
		ks.keys = append(ks.keys, k)
		return int32(len(ks.keys) - 1)
	}
	for i, x := range ks.keys {
		if x == k {
			return int32(i)
		}
	}
	ks.keys = append(ks.keys, k)
	return int32(len(ks.keys) - 1)
}

// bucket groups the records of one entity by learner: the records of learner
// l are idx[off[l]:off[l+1]], in record order unless sorted afterwards.
type bucket struct {
	off []int32
	idx []int32
}

func (b *bucket) of(l int32) []int32 {
	if l < 0 {
		return nil
	}
	return b.idx[b.off[l]:b.off[l+1]]
}

func newBucket(nLearners int, lix []int32) bucket {
	off := make([]int32, nLearners+1)
	for _, l := range lix {
		off[l+1]++
	}
	for i := 1; i <= nLearners; i++ {
		off[i] += off[i-1]
	}
	idx := make([]int32, len(lix))
	pos := make([]int32, nLearners)
	copy(pos, off[:nLearners])
	for i, l := range lix {
		idx[pos[l]] = int32(i)
		pos[l]++
	}
	return bucket{off: off, idx: idx}
}

// groupInfo is what the indicators need of a group: its module's provider
// and target level (spec/domain.md: a group's provider is its module's).
type groupInfo struct {
	end      domain.Date
	planned  int
	provider int32 // -1 when the module is unknown or has no provider
	target   int32 // ladder rank of the module's target level, -1 unknown
	module   string
}

// index holds the data set indexed once by learner: every record is found
// through small ints, so classification does no map lookups per record.
type index struct {
	p  Params
	ds *domain.DataSet

	learnerIDs map[string]int32
	ids        []string // learner id by index; learners missing from ds.Learners are appended
	attr       [][numAttrs]int32
	keys       [numDims]*keySet

	filter int32 // provider index of p.Provider; -1 = all providers

	groups   []groupInfo
	groupIdx map[string]int32 // group code -> index in groups
	enrGroup []int32          // per enrollment: group index or -1
	enrLrn   []int32          // per enrollment: learner index

	enr, eval, plc, cert, fu bucket // enrollments sorted by start_date within a learner

	monthsCache map[int]([]domain.Date)
}

// newIndex indexes ds for the parameters p.
func newIndex(ds *domain.DataSet, p Params) *index {
	ix := &index{p: p, ds: ds}
	ix.keys[dimProvider] = newKeySet(nil, true)
	ix.keys[dimGender] = newKeySet(domain.Genders.Codes, false)
	ix.keys[dimLearningRoute] = newKeySet(domain.LearningRoutes.Codes, false)
	ix.keys[dimSchoolingLevel] = newKeySet(domain.SchoolingLevels.Codes, false)
	ix.keys[dimLiteracy] = newKeySet(domain.Literacies.Codes, false)
	ix.keys[dimCivicStatus] = newKeySet(domain.CivicStatuses.Codes, false)
	ix.keys[dimAgeBand] = newKeySet(AgeBands[:], false)
	ix.keys[dimTargetLevel] = newKeySet(domain.Ladder[:], false)

	// Every provider the data set names, so that the provider keys (and the
	// providers a participant can belong to when min_hours is 0) do not
	// depend on the order of classification.
	for i := range ds.Providers {
		ix.keys[dimProvider].id(ds.Providers[i].Code)
	}
	for i := range ds.Modules {
		ix.keys[dimProvider].id(ds.Modules[i].Provider)
	}
	last := ""
	for i := range ds.Referrals {
		if pr := ds.Referrals[i].Provider; pr != last {
			ix.keys[dimProvider].id(pr)
			last = pr
		}
	}
	for i := range ds.Outflows {
		if pr := ds.Outflows[i].Provider; pr != last {
			ix.keys[dimProvider].id(pr)
			last = pr
		}
	}
	for i := range ds.SurveyResponses {
		if pr := ds.SurveyResponses[i].Provider; pr != last {
			ix.keys[dimProvider].id(pr)
			last = pr
		}
	}

	// Learners and their breakdown attributes (spec/indicators.md, "Breakdowns").
	n := len(ds.Learners)
	ix.learnerIDs = make(map[string]int32, n)
	ix.ids = make([]string, 0, n)
	ix.attr = make([][numAttrs]int32, 0, n)
	for i := range ds.Learners {
		l := &ds.Learners[i]
		if _, dup := ix.learnerIDs[l.ID]; dup {
			continue
		}
		ix.learnerIDs[l.ID] = int32(len(ix.ids))
		ix.ids = append(ix.ids, l.ID)
		a := [numAttrs]int32{
			ix.keys[dimGender].id(l.Gender),
			ix.keys[dimLearningRoute].id(l.LearningRoute),
			ix.keys[dimSchoolingLevel].id(l.SchoolingLevel),
			ix.keys[dimLiteracy].id(l.Literacy),
			ix.keys[dimCivicStatus].id(l.CivicStatus),
			ageBand(l.BirthDate, p.From),
		}
		ix.attr = append(ix.attr, a)
	}

	// Modules and groups.
	modIdx := make(map[string]int32, len(ds.Modules))
	for i := range ds.Modules {
		modIdx[ds.Modules[i].Code] = int32(i)
	}
	groupIdx := make(map[string]int32, len(ds.Groups))
	ix.groupIdx = groupIdx
	ix.groups = make([]groupInfo, len(ds.Groups))
	for i := range ds.Groups {
		g := &ds.Groups[i]
		groupIdx[g.Code] = int32(i)
		gi := groupInfo{end: g.EndDate, planned: g.PlannedHours, provider: -1, target: -1, module: g.Module}
		if m, ok := modIdx[g.Module]; ok {
			mod := &ds.Modules[m]
			gi.provider = ix.keys[dimProvider].id(mod.Provider)
			if mod.TargetLevel.Valid() {
				gi.target = int32(mod.TargetLevel)
			}
		}
		ix.groups[i] = gi
	}

	// Learner index of every record that is looked up per learner.
	ix.enrLrn = learnerIndexes(ix, ds.Enrollments, func(e *domain.Enrollment) string { return e.Learner })
	evalLrn := learnerIndexes(ix, ds.Evaluations, func(e *domain.Evaluation) string { return e.Learner })
	plcLrn := learnerIndexes(ix, ds.Placements, func(e *domain.Placement) string { return e.Learner })
	certLrn := learnerIndexes(ix, ds.Certificates, func(e *domain.Certificate) string { return e.Learner })
	fuLrn := learnerIndexes(ix, ds.FollowUps, func(e *domain.FollowUp) string { return e.Learner })

	nl := len(ix.ids)
	ix.enr = newBucket(nl, ix.enrLrn)
	ix.eval = newBucket(nl, evalLrn)
	ix.plc = newBucket(nl, plcLrn)
	ix.cert = newBucket(nl, certLrn)
	ix.fu = newBucket(nl, fuLrn)

	// Enrollments by start date within each learner, for the start of a referral.
	enrs := ds.Enrollments
	for l := 0; l < nl; l++ {
		s := ix.enr.idx[ix.enr.off[l]:ix.enr.off[l+1]]
		for i := 1; i < len(s); i++ { // insertion sort: a learner has few enrollments
			for j := i; j > 0 && enrs[s[j]].StartDate < enrs[s[j-1]].StartDate; j-- {
				s[j], s[j-1] = s[j-1], s[j]
			}
		}
	}

	ix.enrGroup = make([]int32, len(enrs))
	last, lastIdx := "", int32(-1)
	for i := range enrs {
		code := enrs[i].Group
		if code != last || i == 0 {
			lastIdx = -1
			if g, ok := groupIdx[code]; ok {
				lastIdx = g
			}
			last = code
		}
		ix.enrGroup[i] = lastIdx
	}

	// The filter is interned like any provider, so that a provider named
	// only on referrals or outflows still matches.
	ix.filter = ix.keys[dimProvider].id(p.Provider)
	return ix
}

// learnerIndexes returns the learner index of every record, adding learners
// that ds.Learners lacks (their breakdown attributes are then unknown).
func learnerIndexes[T any](ix *index, recs []T, learner func(*T) string) []int32 {
	out := make([]int32, len(recs))
	last, lastIdx := "", int32(-1)
	for i := range recs {
		id := learner(&recs[i])
		if lastIdx < 0 || id != last {
			lastIdx = ix.learnerIndex(id, true)
			last = id
		}
		out[i] = lastIdx
	}
	return out
}

// learnerIndex returns the index of learner id, or -1 when it has no record
// at all and add is false.
func (ix *index) learnerIndex(id string, add bool) int32 {
	if l, ok := ix.learnerIDs[id]; ok {
		return l
	}
	if !add {
		return -1
	}
	l := int32(len(ix.ids))
	ix.learnerIDs[id] = l
	ix.ids = append(ix.ids, id)
	ix.attr = append(ix.attr, [numAttrs]int32{-1, -1, -1, -1, -1, -1})
	return l
}

// provider returns the index of a provider code, -1 for blank.
func (ix *index) provider(code string) int32 { return ix.keys[dimProvider].id(code) }

// selected reports whether a case with provider index prov passes the
// provider filter.
func (ix *index) selected(prov int32) bool { return ix.filter == -1 || prov == ix.filter }

// attrs returns the breakdown attributes of learner l.
func (ix *index) attrs(l int32) *[numAttrs]int32 {
	if l < 0 {
		return &noAttrs
	}
	return &ix.attr[l]
}

var noAttrs = [numAttrs]int32{-1, -1, -1, -1, -1, -1}

// ageBand returns the age_band key index of someone born on birth, on from
// (spec/indicators.md, "Breakdowns": younger than 16 counts as 16-24).
func ageBand(birth, from domain.Date) int32 {
	if birth == 0 {
		return -1
	}
	switch age := birth.AgeOn(from); {
	case age < 25:
		return 0
	case age < 35:
		return 1
	case age < 50:
		return 2
	default:
		return 3
	}
}

// addMonths is domain.Date.AddMonths, memoised for dates inside the period
// (referral and outflow dates), which repeat across many cases.
func (ix *index) addMonths(d domain.Date, n int) domain.Date {
	if d < ix.p.From || d > ix.p.To {
		return d.AddMonths(n)
	}
	if ix.monthsCache == nil {
		ix.monthsCache = map[int][]domain.Date{}
	}
	c := ix.monthsCache[n]
	if c == nil {
		c = make([]domain.Date, int(ix.p.To-ix.p.From)+1)
		ix.monthsCache[n] = c
	}
	i := d - ix.p.From
	if c[i] == 0 {
		c[i] = d.AddMonths(n)
	}
	return c[i]
}

package signal

import "github.com/traject-nt2/traject/internal/domain"

// Index holds the records of a data set by learner, so that many learners
// (or many records) can be judged without scanning the whole set for each.
// Build it once per data set with NewIndex; it indexes each kind of record
// the first time a question needs it, so a caller that asks only about
// referrals never indexes the evaluations. An Index is not safe for
// concurrent use, and ds must not change while it is in use.
type Index struct {
	ds       *domain.DataSet
	groupEnd map[string]domain.Date // group code → its planned end

	referrals, placements, enrollments, evaluations, outflows, followUps, observations map[string][]int32
}

// NewIndex returns an index of ds. The groups of ds give the enrollments'
// group ends; an enrollment in a group that ds lacks is never open.
func NewIndex(ds *domain.DataSet) *Index {
	x := &Index{ds: ds, groupEnd: make(map[string]domain.Date, len(ds.Groups))}
	for i := range ds.Groups {
		x.groupEnd[ds.Groups[i].Code] = ds.Groups[i].EndDate
	}
	return x
}

// GroupEnd returns the planned end of group code, or 0 when ds lacks it.
func (x *Index) GroupEnd(code string) domain.Date { return x.groupEnd[code] }

// byLearner maps each learner to the positions of their records among n
// records, learner(i) naming the learner of record i.
func byLearner(n int, learner func(i int) string) map[string][]int32 {
	m := make(map[string][]int32, n/2+1)
	for i := range n {
		l := learner(i)
		m[l] = append(m[l], int32(i))
	}
	return m
}

// referralsOf returns the positions in ds.Referrals of learner's referrals.
func (x *Index) referralsOf(learner string) []int32 {
	if x.referrals == nil {
		x.referrals = byLearner(len(x.ds.Referrals), func(i int) string { return x.ds.Referrals[i].Learner })
	}
	return x.referrals[learner]
}

// placementsOf returns the positions in ds.Placements of learner's placements.
func (x *Index) placementsOf(learner string) []int32 {
	if x.placements == nil {
		x.placements = byLearner(len(x.ds.Placements), func(i int) string { return x.ds.Placements[i].Learner })
	}
	return x.placements[learner]
}

// EnrollmentsOf returns the positions in ds.Enrollments of learner's enrollments.
func (x *Index) EnrollmentsOf(learner string) []int32 {
	if x.enrollments == nil {
		x.enrollments = byLearner(len(x.ds.Enrollments), func(i int) string { return x.ds.Enrollments[i].Learner })
	}
	return x.enrollments[learner]
}

// evaluationsOf returns the positions in ds.Evaluations of learner's evaluations.
func (x *Index) evaluationsOf(learner string) []int32 {
	if x.evaluations == nil {
		x.evaluations = byLearner(len(x.ds.Evaluations), func(i int) string { return x.ds.Evaluations[i].Learner })
	}
	return x.evaluations[learner]
}

// outflowsOf returns the positions in ds.Outflows of learner's outflows.
func (x *Index) outflowsOf(learner string) []int32 {
	if x.outflows == nil {
		x.outflows = byLearner(len(x.ds.Outflows), func(i int) string { return x.ds.Outflows[i].Learner })
	}
	return x.outflows[learner]
}

// followUpsOf returns the positions in ds.FollowUps of learner's follow-ups.
func (x *Index) followUpsOf(learner string) []int32 {
	if x.followUps == nil {
		x.followUps = byLearner(len(x.ds.FollowUps), func(i int) string { return x.ds.FollowUps[i].Learner })
	}
	return x.followUps[learner]
}

// observationsOf returns the positions in ds.Observations of learner's observations.
func (x *Index) observationsOf(learner string) []int32 {
	if x.observations == nil {
		x.observations = byLearner(len(x.ds.Observations), func(i int) string { return x.ds.Observations[i].Learner })
	}
	return x.observations[learner]
}

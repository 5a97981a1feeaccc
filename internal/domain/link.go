package domain

import "slices"

// The one definition of which providers a learner is linked to, the rule
// behind what a coordinator sees (spec/README.md, "Who uses it") and what a
// provider's export holds: a learner is linked to provider P when they have a
// referral to P, a placement into a module of P, an enrollment in a group of
// a module of P, or an outflow from P. The SQL form of the same rule is
// store.LearnerFilter; a test in store holds the two to the same answer.
// Every other caller asks this rule: the learner page's facts and the
// survey page's learner number (store), the drill-downs (cache), and a
// coordinator's import (importer/scope.go); agreement tests hold the
// survey (store.TestSurveyLinkAgreesWithRule) and the import
// (importer.TestImportScopeAgreesWithLinkRule) to it as well.

// ProviderLinks are the provider of each module and group of a data set:
// besides the learners' own records, all that the linking rule reads. Build
// it once per data set and ask it for many learners.
type ProviderLinks struct {
	Module map[string]string // module code → provider code
	Group  map[string]string // group code → provider code of its module
}

// NewProviderLinks reads the provider of every module and group of ds.
func NewProviderLinks(ds *DataSet) ProviderLinks {
	pl := ProviderLinks{Module: make(map[string]string, len(ds.Modules)), Group: make(map[string]string, len(ds.Groups))}
	for i := range ds.Modules {
		pl.Module[ds.Modules[i].Code] = ds.Modules[i].Provider
	}
	for i := range ds.Groups {
		pl.Group[ds.Groups[i].Code] = pl.Module[ds.Groups[i].Module]
	}
	return pl
}

// eachLink calls fn for every record of ds that links a learner to a
// provider, once per record (so possibly more than once per pair), never
// with a blank provider.
func (pl ProviderLinks) eachLink(ds *DataSet, fn func(learner, provider string)) {
	link := func(l, p string) {
		if p != "" {
			fn(l, p)
		}
	}
	for i := range ds.Referrals {
		link(ds.Referrals[i].Learner, ds.Referrals[i].Provider)
	}
	for i := range ds.Placements {
		link(ds.Placements[i].Learner, pl.Module[ds.Placements[i].Module])
	}
	for i := range ds.Enrollments {
		link(ds.Enrollments[i].Learner, pl.Group[ds.Enrollments[i].Group])
	}
	for i := range ds.Outflows {
		link(ds.Outflows[i].Learner, ds.Outflows[i].Provider)
	}
	for i := range ds.LearnerLinks {
		link(ds.LearnerLinks[i].Learner, ds.LearnerLinks[i].Provider)
	}
}

// LearnerProviders returns, for each learner of ds in ids (every learner
// when ids is nil) that is linked to any provider, the providers they are
// linked to, sorted and without repeats. A learner linked to none is absent.
func (pl ProviderLinks) LearnerProviders(ds *DataSet, ids map[string]bool) map[string][]string {
	out := map[string][]string{}
	pl.eachLink(ds, func(l, p string) {
		if ids != nil && !ids[l] {
			return
		}
		if ps := out[l]; !slices.Contains(ps, p) {
			out[l] = append(ps, p)
		}
	})
	for _, ps := range out {
		slices.Sort(ps)
	}
	return out
}

// LinkedTo returns the learners of ds linked to provider code, as a set.
func (pl ProviderLinks) LinkedTo(ds *DataSet, code string) map[string]bool {
	out := map[string]bool{}
	pl.eachLink(ds, func(l, p string) {
		if p == code {
			out[l] = true
		}
	})
	return out
}

// LearnerProviders returns the providers each learner of ds is linked to (see
// ProviderLinks.LearnerProviders), for a caller that asks once.
func (ds *DataSet) LearnerProviders() map[string][]string {
	return NewProviderLinks(ds).LearnerProviders(ds, nil)
}

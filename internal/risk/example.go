package risk

import (
	"cmp"
	"slices"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// Example is one open enrollment on one judgement day: its features on the
// day and, when known, whether it left early.
type Example struct {
	Learner  string
	Group    string
	Day      domain.Date
	Features Features
	Positive bool // it leaves early (LeavesEarly)
}

// FirstMonday returns the first Monday on or after d.
func FirstMonday(d domain.Date) domain.Date {
	wd := int(d.Time().Weekday()) // Sunday 0 … Saturday 6
	return d.AddDays((8 - wd) % 7)
}

// IsMonday reports whether d is a Monday.
func IsMonday(d domain.Date) bool { return d.Time().Weekday() == time.Monday }

// window is a set of judgement days: the Mondays of [from, to] with
// D + H ≤ known and, when before is not 0, D + H < before.
type window struct {
	from, to, known, before domain.Date
}

// last returns the last judgement day of w (may be before first).
func (w window) last() domain.Date {
	last := min(w.to, w.known.AddDays(-Horizon))
	if w.before != 0 {
		last = min(last, w.before.AddDays(-Horizon-1))
	}
	return last
}

// examples returns the examples on the judgement days of w: one per
// enrollment open on the day, in a group of provider ("" for every
// provider), sorted by day, learner and group.
func (x *index) examples(w window, provider string) []Example {
	first, last := FirstMonday(w.from), w.last()
	if first > last {
		return nil
	}
	var out []Example
	for _, learner := range x.sortedLearners() {
		for _, e := range x.enrollments[learner] {
			if provider != "" && x.providerOf(e.Group) != provider {
				continue
			}
			d := max(first, FirstMonday(e.StartDate))
			for ; d <= last; d = d.AddDays(7) {
				if !x.open(e, d) {
					if e.EndDate != 0 && e.EndDate <= d {
						break
					}
					continue
				}
				out = append(out, Example{Learner: e.Learner, Group: e.Group, Day: d,
					Features: x.features(e, d), Positive: LeavesEarly(e, d)})
			}
		}
	}
	sortExamples(out)
	return out
}

// onDay returns the examples on day d, whatever its weekday, without their
// outcome: the enrollments open on d in groups of provider.
func (x *index) onDay(d domain.Date, provider string) []Example {
	var out []Example
	for _, learner := range x.sortedLearners() {
		for _, e := range x.enrollments[learner] {
			if (provider == "" || x.providerOf(e.Group) == provider) && x.open(e, d) {
				out = append(out, Example{Learner: e.Learner, Group: e.Group, Day: d, Features: x.features(e, d)})
			}
		}
	}
	sortExamples(out)
	return out
}

func (x *index) sortedLearners() []string {
	ls := make([]string, 0, len(x.enrollments))
	for l := range x.enrollments {
		ls = append(ls, l)
	}
	slices.Sort(ls)
	return ls
}

// sortExamples puts examples in the order of day, learner and group, the
// one order every sum over them follows.
func sortExamples(es []Example) {
	slices.SortFunc(es, func(a, b Example) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Learner, b.Learner), cmp.Compare(a.Group, b.Group))
	})
}

package indicator

import (
	"testing"

	"github.com/traject-nt2/traject/internal/demo"
	"github.com/traject-nt2/traject/internal/domain"
)

// The outcome of a progress or certification case cannot be known while the
// window for its pass or certificate (group end + grace_days) is open on
// as_of: such a case is pending ("nog lopend"), a presentation beside the
// rate, which stays as spec/indicators.md defines it.
func TestPendingCases(t *testing.T) {
	t.Parallel()
	// On a fixed day in the middle of a school year, the whole year as the
	// period: running groups and groups that ended in the last 30 days are
	// in the cohort.
	day := d("2026-02-10")
	ds := demo.Generate(demo.Options{Learners: 1200, Seed: 3, Today: day})
	p := DefaultParams(domain.SchoolYearStart(day), d("2026-08-31"))
	p.AsOf = day
	ends := map[string]domain.Date{}
	for _, g := range ds.Groups {
		ends[g.Code] = g.EndDate
	}
	// A learner who dropped out by the day has an outcome already.
	left := map[[2]string]bool{}
	for _, e := range ds.Enrollments {
		left[[2]string{e.Learner, e.Group}] = e.Status == "dropped" && e.EndDate <= day
	}
	r := Compute(ds, p)
	for _, ind := range []string{IndicatorProgress, IndicatorCertification} {
		cases := ExplainFilter(ds, p, Filter{Indicator: ind})
		var running, pending, missed int
		for i := range cases {
			c := &cases[i]
			open := ends[c.Ref].AddDays(p.GraceDays) > day
			success := c.Class == "on_track" || c.Class == "certified"
			gone := left[[2]string{c.Learner, c.Ref}]
			if ends[c.Ref] >= day && !gone {
				running++
				if !success && !c.Pending {
					t.Errorf("%s: %s in group %s, running on %s, shows as %s and not pending", ind, c.Learner, c.Ref, day, c.Class)
				}
			}
			if c.Pending != (!success && open && !gone) {
				t.Errorf("%s: %s in %s (end %s): pending=%v, class %s", ind, c.Learner, c.Ref, ends[c.Ref], c.Pending, c.Class)
			}
			if c.Is("pending") != c.Pending || c.Is("missed") != (!success && !c.Pending) {
				t.Errorf("%s: %s: Is(pending)=%v Is(missed)=%v, Pending %v, class %s", ind, c.Learner, c.Is("pending"), c.Is("missed"), c.Pending, c.Class)
			}
			if c.Pending {
				pending++
			} else if !success {
				missed++
			}
		}
		if running == 0 || pending <= running/2 {
			t.Fatalf("%s: %d cases of running groups, %d pending: the demo on %s should have many", ind, running, pending, day)
		}
		// The counts the dashboard shows are the lists' sizes.
		for field, want := range map[string]int{"pending": pending, "missed": missed, "cohort": len(cases)} {
			if n, ok := r.Indicators.CaseCount(ind, field); !ok || n != want {
				t.Errorf("%s: CaseCount(%s)=%d,%v, want %d", ind, field, n, ok, want)
			}
			if n := len(ExplainFilter(ds, p, Filter{Indicator: ind, Class: field})); n != want {
				t.Errorf("%s: %d cases of %s, want %d", ind, n, field, want)
			}
		}
	}
	// The rates are the spec's: pending cases count in the cohort, as not on
	// track and not certified.
	pr := r.Indicators.Progress
	if !pr.Rate.Valid || pr.Rate.Value != float64(pr.OnTrack.N)/float64(pr.Cohort.N) || pr.Pending.N == 0 {
		t.Errorf("progress %+v: the rate must stay on_track / cohort", pr)
	}
	cr := r.Indicators.Certification
	if !cr.Rate.Valid || cr.Rate.Value != float64(cr.Certified.N)/float64(cr.Cohort.N) || cr.Pending.N == 0 {
		t.Errorf("certification %+v: the rate must stay certified / cohort", cr)
	}
}

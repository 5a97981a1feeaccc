package cache

import (
	"context"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/risk"
	"github.com/traject-nt2/traject/internal/store"
)

// The early warning's estimates on the web (issue 21, point 3): the
// estimates of a day by a stored model, kept per (model, day) in the
// snapshot of the data version they read, so that a key is (model id, day,
// data version) and a write drops them with the rest. The input is
// indexed once per snapshot (risk.Prepare) from the data set the snapshot
// loaded; nothing is learned here.

// cacheRiskDays bounds the days kept per data version: today's, the eight
// Mondays of the learner page and the validation page's, and some more.
const cacheRiskDays = 24

// riskKey identifies one day's estimates.
type riskKey struct {
	model int64
	day   domain.Date
}

// RiskDay is the estimates of one day by one stored model, for the whole
// installation (every open enrollment, highest first), and who among them
// is warned. Callers filter by what the user may see; they must not change
// it.
type RiskDay struct {
	*risk.Listing
	// Warned is how many estimates are warnings: the 10 % highest of the
	// day (risk.Warned), ranks 1 … Warned.
	Warned    int
	byLearner map[string][]int // learner → indexes into Enrollments, by rank
	ready     chan struct{}
	err       error
	used      uint64
}

// Of returns the learner's estimates of the day (one per open enrollment),
// highest first.
func (d *RiskDay) Of(learner string) []risk.Estimated {
	var out []risk.Estimated
	for _, i := range d.byLearner[learner] {
		out = append(out, d.Enrollments[i])
	}
	return out
}

// IsWarning reports whether e, an estimate of d, is a warning.
func (d *RiskDay) IsWarning(e risk.Estimated) bool { return e.Rank <= d.Warned }

// RiskDay returns the estimates of day by the stored model m, computing them
// once per snapshot. m must have been trained on or before day.
func (e *Snapshot) RiskDay(ctx context.Context, m *store.RiskModel, day domain.Date, tm *Timing) (*RiskDay, error) {
	k := riskKey{m.ID, day}
	e.mu.Lock()
	e.tick++
	if e.riskDays == nil {
		e.riskDays = map[riskKey]*RiskDay{}
	}
	d := e.riskDays[k]
	if d != nil {
		d.used = e.tick
		e.mu.Unlock()
		tm.Add("risk", "hit", 0)
		select {
		case <-d.ready:
			return d, d.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	d = &RiskDay{ready: make(chan struct{}), used: e.tick}
	e.riskDays[k] = d
	evictRisk(e)
	e.mu.Unlock()
	start := time.Now()
	e.riskOnce.Do(func() { e.riskPrep = risk.Prepare(store.RiskInputOf(e.ds)) })
	d.Listing, d.err = e.riskPrep.EstimateWith(day, &m.Trained)
	if d.err == nil {
		d.Listing.Model.ID = m.ID
		d.Warned = risk.Warned(len(d.Enrollments))
		d.byLearner = make(map[string][]int)
		for i, x := range d.Enrollments {
			d.byLearner[x.Learner] = append(d.byLearner[x.Learner], i)
		}
	} else {
		e.mu.Lock()
		delete(e.riskDays, k) // the next request tries again
		e.mu.Unlock()
	}
	close(d.ready)
	tm.Add("risk", "estimate", time.Since(start))
	return d, d.err
}

// evictRisk drops the least recently used ready days while more than
// cacheRiskDays are kept. e.mu is held.
func evictRisk(e *Snapshot) {
	for len(e.riskDays) > cacheRiskDays {
		var oldest riskKey
		var found *RiskDay
		for k, d := range e.riskDays {
			select {
			case <-d.ready:
			default:
				continue
			}
			if found == nil || d.used < found.used {
				oldest, found = k, d
			}
		}
		if found == nil {
			return
		}
		delete(e.riskDays, oldest)
	}
}

package risk

import "github.com/traject-nt2/traject/internal/domain"

// Prepared is an input indexed once, to estimate on many days with stored
// models without indexing it again: the web application keeps one per
// data version (internal/cache). It is safe for concurrent use; the input
// must not change while it is used.
type Prepared struct{ x *index }

// Prepare indexes in for EstimateWith.
func Prepare(in *Input) *Prepared { return &Prepared{x: newIndex(in)} }

// LastDay is the last day of the prepared data (LastDay).
func (p *Prepared) LastDay() domain.Date { return p.x.lastDay }

// EstimateWith is EstimateWith on the prepared input.
func (p *Prepared) EstimateWith(asOf domain.Date, t *Trained) (*Listing, error) {
	if t.AsOf > asOf {
		return nil, domain.Errorf(domain.EINVALID, "the model was trained for %s, after the judgement day %s", t.AsOf, asOf)
	}
	return p.x.estimateWith(asOf, t), nil
}

// Warned returns how many of a listing's n estimates are warnings: the 10 %
// highest of the day, rounded up, as the validation selects them
// (precision_at_10); ranks 1 … Warned(n) are warned.
func Warned(n int) int { return (n + 9) / 10 }

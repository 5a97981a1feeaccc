package indicator

import "testing"

// TestSmallCell is the small-cell rule of spec/indicators.md ("Small-cell
// suppression") at its edges: a count from 1 to 4 is hidden, 0 and 5 are
// not; a rate over fewer than 5 cases is hidden, over 5 it is not.
func TestSmallCell(t *testing.T) {
	for _, tt := range []struct {
		n            int
		count, ratio bool
	}{{0, false, true}, {1, true, true}, {4, true, true}, {5, false, false}, {6, false, false}} {
		if got := SmallCount(tt.n); got != tt.count {
			t.Errorf("SmallCount(%d) = %v, want %v", tt.n, got, tt.count)
		}
		if got := SmallDenominator(tt.n); got != tt.ratio {
			t.Errorf("SmallDenominator(%d) = %v, want %v", tt.n, got, tt.ratio)
		}
	}
}

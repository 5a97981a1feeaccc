package risk

import "testing"

// TestReasonTextZero: a count of zero that raises an estimate (it lies
// below the average learning example) is said in words, not as "0 keer".
func TestReasonTextZero(t *testing.T) {
	t.Parallel()
	var f Features
	f.Defined[EarlierDropouts], f.Defined[AbsenceStreak] = true, true
	for k, want := range map[int]string{EarlierDropouts: "nog niet eerder vroegtijdig gestopt", AbsenceStreak: "de laatste les niet afwezig"} {
		if got := ReasonText(&f, k).In("nl"); got != want {
			t.Errorf("%s = 0: %q, want %q", FeatureNames[k], got, want)
		}
	}
	f.Value[EarlierDropouts] = 2
	if got := ReasonText(&f, EarlierDropouts).In("nl"); got != "al 2 keer eerder vroegtijdig gestopt" {
		t.Errorf("two: %q", got)
	}
}

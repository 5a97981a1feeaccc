package signal_test

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/signal"
)

// TestFlagTextsNameTheParameters holds the flags' labels, which name their
// thresholds in words ("binnen 14 dagen"), to the parameters the flags are
// judged with, in every language of the interface: a changed parameter
// fails here until its text follows.
func TestFlagTextsNameTheParameters(t *testing.T) {
	p := signal.DefaultParams()
	for _, tt := range []struct {
		kind string
		n    int
	}{
		{signal.DeadlineSoon, p.SoonDays},
		{signal.NoEvaluation, p.IdleDays},
		{signal.NoFollowUp, p.FollowUpDueMonths},
	} {
		number := regexp.MustCompile(`\b\d+\b`)
		for _, lang := range []string{"nl", "en"} {
			text := locale.T(lang, "flag."+tt.kind)
			got := number.FindAllString(text, -1)
			if len(got) != 1 || got[0] != strconv.Itoa(tt.n) {
				t.Errorf("%s: flag.%s = %q names %v, want the parameter %d", lang, tt.kind, text, got, tt.n)
			}
		}
	}
}

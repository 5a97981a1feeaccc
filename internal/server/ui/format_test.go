package ui

import (
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
)

// TestDutchFormats: the numbers and dates as the dashboard, the
// breakdowns, the drill-downs and the history pages show them, in Dutch and
// in English (issue 20): one number format, thousands grouped ("22.186,5 /
// 29.993"), dates as ISO days and moments on Brussels's clock to the
// minute.
func TestDutchFormats(t *testing.T) {
	amount := func(v float64, count bool) indicator.Amount {
		return indicator.Amount{Valid: true, Value: v, Count: count}
	}
	for _, tt := range []struct {
		name   string
		got    func(nf numberFormat) string
		nl, en string
	}{
		{"a count", func(nf numberFormat) string { return nf.amount(amount(29993, true), indicator.KindCount) }, "29.993", "29,993"},
		{"a sum of hours", func(nf numberFormat) string { return nf.amount(amount(22186.5, false), indicator.KindCount) }, "22.186,5", "22,186.5"},
		{"a rate", func(nf numberFormat) string { return nf.amount(amount(0.8864, false), indicator.KindRate) }, "88,6%", "88.6%"},
		{"days", func(nf numberFormat) string { return nf.amount(amount(1234.56, false), indicator.KindDays) }, "1.234,6 d", "1,234.6 d"},
		{"a mean", func(nf numberFormat) string { return nf.amount(amount(1.405, false), indicator.KindMean) }, "1,41", "1.41"},
		{"a suppressed count", func(nf numberFormat) string {
			return nf.amount(indicator.Amount{Valid: true, Value: 3, Count: true, Suppressed: true}, indicator.KindCount)
		}, "<5", "<5"},
		{"a change of a rate", func(nf numberFormat) string { return nf.delta(-0.0123, indicator.KindRate) }, "−1,2 pp", "−1.2 pp"},
		{"a change of a count", func(nf numberFormat) string { return nf.delta(1500, indicator.KindCount) }, "+1.500", "+1,500"},
		{"a page of counts", func(nf numberFormat) string { return nf.count(1048576) }, "1.048.576", "1,048,576"},
		{"a file size", func(nf numberFormat) string { return formatSize(nf.lang, 45300) }, "45,3 kB", "45.3 kB"},
		{"a day", func(numberFormat) string { return domain.MustDate("2026-03-09").String() }, "2026-03-09", "2026-03-09"},
		{"a winter moment", func(numberFormat) string { return formatTime(time.Date(2026, 1, 15, 23, 30, 0, 0, time.UTC)) }, "2026-01-16 00:30", "2026-01-16 00:30"},
		{"a summer moment", func(numberFormat) string { return formatTime(time.Date(2026, 7, 1, 4, 5, 0, 0, time.UTC)) }, "2026-07-01 06:05", "2026-07-01 06:05"},
	} {
		if got := tt.got(numberFormat{"nl"}); got != tt.nl {
			t.Errorf("%s in Dutch: %q, want %q", tt.name, got, tt.nl)
		}
		if got := tt.got(numberFormat{"en"}); got != tt.en {
			t.Errorf("%s in English: %q, want %q", tt.name, got, tt.en)
		}
	}
}

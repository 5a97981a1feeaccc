package indicator

// The small-cell rule of spec/indicators.md ("Small-cell suppression"), in
// one place: what is shown outside the provider hides a count from 1 to
// SmallCellMax (shown as SuppressedText) and a rate, mean or median whose
// denominator is below MinDenominator. Every caller asks these: the
// Result's Suppressed copy (and so the JSON form, the CLI table, the API's
// suppress=true and the workbook), the dashboard's numbers and links, the
// drill-down's refusal of a small list, and the workbook's derived counts.
// reports/indicators.json words the same threshold; a test in
// internal/report holds its texts to these constants.

const (
	// MinDenominator is the smallest denominator whose rate, mean or
	// median is shown, and the smallest count shown as a number.
	MinDenominator = 5
	// SmallCellMax is the largest count that is a small cell: counts from
	// 1 to SmallCellMax are shown as SuppressedText. Zero is no cell: it
	// tells nothing about anyone, so it is shown.
	SmallCellMax = MinDenominator - 1
)

// SuppressedText is how a suppressed count is shown: "<" and MinDenominator
// (a test holds the two together).
const SuppressedText = "<5"

// SmallCount reports whether a count of n cases is a small cell, shown as
// SuppressedText outside the provider (1 to SmallCellMax).
func SmallCount(n int) bool { return n >= 1 && n <= SmallCellMax }

// SmallDenominator reports whether a rate, mean or median over den cases
// is hidden outside the provider (den below MinDenominator; 0 included,
// where the number is undefined anyway).
func SmallDenominator(den int) bool { return den < MinDenominator }

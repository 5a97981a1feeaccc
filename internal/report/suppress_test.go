package report

import (
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/reports"
)

// thresholdWords are the ways a layout's Dutch texts name the small-cell
// threshold, each with the constant of indicator it must name.
var thresholdWords = []struct {
	re   *regexp.Regexp
	want int
	what string
}{
	{regexp.MustCompile(`<\s*(\d+)`), indicator.MinDenominator, "indicator.MinDenominator"},
	{regexp.MustCompile(`(?i)van 1 tot (\d+)`), indicator.SmallCellMax, "indicator.SmallCellMax"},
	{regexp.MustCompile(`(?i)(?:kleiner|minder) dan (\d+)`), indicator.MinDenominator, "indicator.MinDenominator"},
}

// suppressionWords mark a text that explains suppression, and so must name
// its threshold; nothingSuppressed one that says there is none (an exact
// workbook).
var (
	suppressionWords  = regexp.MustCompile(`(?i)afgeschermd|afschermen|schermt .*af|kleine (?:cellen|aantallen)`)
	nothingSuppressed = regexp.MustCompile(`(?i)niets afgeschermd`)
)

// TestLayoutWordingNamesTheThreshold holds what the workbook says about
// small cells (the legend, the notes, the Overzicht's line) to the one
// definition of the rule in indicator (spec/indicators.md, "Small-cell
// suppression"): changing the constant, or the wording, alone fails here.
func TestLayoutWordingNamesTheThreshold(t *testing.T) {
	if want := "<" + strconv.Itoa(indicator.MinDenominator); indicator.SuppressedText != want {
		t.Errorf("indicator.SuppressedText = %q, want %q", indicator.SuppressedText, want)
	}
	names, err := fs.Glob(reports.FS, "*.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("layouts: %v %v", names, err)
	}
	for _, name := range names {
		l, err := LoadLayout(reports.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		texts := map[string]string{}
		for k, v := range l.Texts {
			texts["texts."+k] = v
		}
		for i, n := range l.Notes {
			texts["notes["+strconv.Itoa(i)+"]"] = n.Text
		}
		for i, f := range l.Figures {
			texts["figures["+strconv.Itoa(i)+"].definition"] = f.Definition
		}
		found := 0
		for _, where := range slices.Sorted(maps.Keys(texts)) {
			text := texts[where]
			named := 0
			for _, w := range thresholdWords {
				for _, m := range w.re.FindAllStringSubmatch(text, -1) {
					named++
					if n, _ := strconv.Atoi(m[1]); n != w.want {
						t.Errorf("%s %s: %q names %d where %s is %d", name, where, m[0], n, w.what, w.want)
					}
				}
			}
			if suppressionWords.MatchString(text) && !nothingSuppressed.MatchString(text) && named == 0 {
				t.Errorf("%s %s explains suppression without naming the threshold: %q", name, where, text)
			}
			found += named
		}
		if name == DefaultLayoutFile && found < 6 {
			t.Errorf("%s: found the threshold %d times; the legend, notes and Overzicht name it at least 6", name, found)
		}
	}
}

package report

import (
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/reports"
)

// thresholdWord is one way a layout's texts name the small-cell threshold,
// with the constant of indicator it must name.
type thresholdWord struct {
	re   *regexp.Regexp
	want int
	what string
}

// wording is how one language words suppression: the ways its texts name
// the threshold; the words that mark a text that explains suppression, and
// so must name its threshold; and those of one that says there is none (an
// exact workbook).
type wording struct {
	threshold         []thresholdWord
	suppression       *regexp.Regexp
	nothingSuppressed *regexp.Regexp
}

// wordings are the languages of the interface, each as its workbook words
// the rule (a language of the interface without one here fails the test).
var wordings = map[string]wording{
	"nl": {
		threshold: []thresholdWord{
			{regexp.MustCompile(`<\s*(\d+)`), indicator.MinDenominator, "indicator.MinDenominator"},
			{regexp.MustCompile(`(?i)van 1 tot (\d+)`), indicator.SmallCellMax, "indicator.SmallCellMax"},
			{regexp.MustCompile(`(?i)(?:kleiner|minder) dan (\d+)`), indicator.MinDenominator, "indicator.MinDenominator"},
		},
		suppression:       regexp.MustCompile(`(?i)afgeschermd|afschermen|schermt .*af|kleine (?:cellen|aantallen)`),
		nothingSuppressed: regexp.MustCompile(`(?i)niets afgeschermd`),
	},
	"en": {
		threshold: []thresholdWord{
			{regexp.MustCompile(`<\s*(\d+)`), indicator.MinDenominator, "indicator.MinDenominator"},
			{regexp.MustCompile(`(?i)from 1 to (\d+)`), indicator.SmallCellMax, "indicator.SmallCellMax"},
			{regexp.MustCompile(`(?i)(?:smaller|less|fewer) than (\d+)`), indicator.MinDenominator, "indicator.MinDenominator"},
		},
		suppression:       regexp.MustCompile(`(?i)suppress|small (?:cells|counts)`),
		nothingSuppressed: regexp.MustCompile(`(?i)nothing suppressed`),
	},
}

// TestLayoutWordingNamesTheThreshold holds what the workbook says about
// small cells (the legend, the notes, the Overzicht's line), in every
// language of the interface, to the one definition of the rule in
// indicator (spec/indicators.md, "Small-cell suppression"): changing the
// constant, or the wording, alone fails here.
func TestLayoutWordingNamesTheThreshold(t *testing.T) {
	if want := "<" + strconv.Itoa(indicator.MinDenominator); indicator.SuppressedText != want {
		t.Errorf("indicator.SuppressedText = %q, want %q", indicator.SuppressedText, want)
	}
	names, err := fs.Glob(reports.FS, "*.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("layouts: %v %v", names, err)
	}
	for _, lang := range locale.Interface {
		w, ok := wordings[lang]
		if !ok {
			t.Errorf("no wording of the small-cell rule for %s: add its words to wordings", lang)
			continue
		}
		for _, name := range names {
			l, err := LoadLayoutIn(reports.FS, name, lang)
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
				for _, tw := range w.threshold {
					for _, m := range tw.re.FindAllStringSubmatch(text, -1) {
						named++
						if n, _ := strconv.Atoi(m[1]); n != tw.want {
							t.Errorf("%s (%s) %s: %q names %d where %s is %d", name, lang, where, m[0], n, tw.what, tw.want)
						}
					}
				}
				if w.suppression.MatchString(text) && !w.nothingSuppressed.MatchString(text) && named == 0 {
					t.Errorf("%s (%s) %s explains suppression without naming the threshold: %q", name, lang, where, text)
				}
				found += named
			}
			if name == DefaultLayoutFile && found < 6 {
				t.Errorf("%s (%s): found the threshold %d times; the legend, notes and Overzicht name it at least 6", name, lang, found)
			}
		}
	}
}

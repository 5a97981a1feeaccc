package indicator

import (
	"bytes"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/locale"
)

// joinKey is the key of a locale.Join, the one Text key not in the catalogue.
var joinKey = locale.Join(nil).Key

// checkText reports a Text (or one of its Text arguments) whose key is not in
// the catalogue.
func checkText(t *testing.T, where string, x locale.Text) {
	t.Helper()
	if x.Key != joinKey && !locale.Has(x.Key) {
		t.Errorf("%s: %q is no key of the catalogue", where, x.Key)
	}
	for _, a := range x.Args {
		if sub, ok := a.(locale.Text); ok {
			checkText(t, where, sub)
		}
	}
}

// TestDetailsAreCatalogueTexts: every case's explanation, of every
// indicator, is a text of the catalogue (issue 19: indicator names keys, not
// sentences), written whole in Dutch and in English: no key left showing, no
// argument missing or left over.
func TestDetailsAreCatalogueTexts(t *testing.T) {
	ds := loadDir(t, conformanceDir)
	for _, tc := range conformanceCases {
		e := Explain(ds, conformanceParams(tc.from, tc.to, tc.asOf, tc.provider))
		perIndicator := map[string]int{}
		for _, c := range e.Cases {
			where := tc.file + " " + c.Indicator + " " + c.Learner
			perIndicator[c.Indicator]++
			checkText(t, where, c.Detail)
			for _, lang := range []string{"nl", "en"} {
				s := c.Detail.In(lang)
				if s == "" || strings.Contains(s, "%!") || strings.Contains(s, "explain.") {
					t.Errorf("%s in %s: %q", where, lang, s)
				}
			}
		}
		for _, ind := range IndicatorNames {
			if perIndicator[ind] == 0 {
				t.Errorf("%s: no case of %s, so its explanations go unchecked", tc.file, ind)
			}
		}
	}
}

// TestDetailInEachLanguage holds a few explanations of the conformance
// example to their words: the Dutch ones as they were written before they
// became keys, and their English.
func TestDetailInEachLanguage(t *testing.T) {
	ds := loadDir(t, conformanceDir)
	e := Explain(ds, conformanceParams("2024-09-01", "2025-08-31", "", ""))
	for _, tc := range []struct{ indicator, learner, nl, en string }{
		{IndicatorAccess, "E001",
			"gestart op 2025-05-01 in groep E00052, 1 dag na de termijn (2025-04-30)",
			"started on 2025-05-01 in group E00052, 1 day after the deadline (2025-04-30)"},
		{IndicatorAccess, "E004",
			"geen start tot 2025-08-31; termijn verstreken op 2025-05-12 (111 dagen over tijd); op de wachtlijst (langer dan 6 maanden)",
			"no start up to 2025-08-31; deadline passed on 2025-05-12 (111 days overdue); on the waiting list (longer than 6 months)"},
		{IndicatorLearningGain, "E010",
			"12 uren; luisteren A1.1 (2024-07-13) → A1 (2024-10-31): +1; lezen A0 (2024-07-13) → A2 (2024-10-31): +4; gesprekken voeren A1.1 (2024-05-24) → A0 (2024-10-31): -1; spreken alleen A0 (2024-05-24); schrijven niet getoetst",
			"12 hours; listening A1.1 (2024-07-13) → A1 (2024-10-31): +1; reading A0 (2024-07-13) → A2 (2024-10-31): +4; spoken interaction A1.1 (2024-05-24) → A0 (2024-10-31): -1; spoken production only A0 (2024-05-24); writing not assessed"},
		{IndicatorOutflow, "E013", "vroegtijdig, reden: werk, bestemming: werk", "early leaver, reason: work, destination: work"},
	} {
		found := false
		for _, c := range e.Cases {
			if c.Indicator != tc.indicator || c.Learner != tc.learner {
				continue
			}
			found = true
			if got := c.Detail.In("nl"); got != tc.nl {
				t.Errorf("%s %s in nl:\n got %q\nwant %q", tc.indicator, tc.learner, got, tc.nl)
			}
			if got := c.Detail.In("en"); got != tc.en {
				t.Errorf("%s %s in en:\n got %q\nwant %q", tc.indicator, tc.learner, got, tc.en)
			}
		}
		if !found {
			t.Errorf("no %s case of %s", tc.indicator, tc.learner)
		}
	}
}

// TestWriteTableInEnglish: the terminal summary is catalogue texts too, so
// it can be written in English, with the decimal point; the Dutch one
// (TestFigures) is as it was.
func TestWriteTableInEnglish(t *testing.T) {
	ds := loadDir(t, conformanceDir)
	r := Compute(ds, conformanceParams("2024-09-01", "2025-08-31", "", ""))
	var buf bytes.Buffer
	if err := WriteTableIn(&buf, r.Suppressed(), "en"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"Indicators 2024-09-01 – 2025-08-31 (as of 2025-08-31), all providers",
		"Access within the statutory period", "50.0%", "77.0 d", "Per provider", "CVO-A",
		"Wellbeing: observed 17, high 9 (52.9%), low <5", "distribution 1–5: 0/<5/5/5/<5",
		"Survey partner, satisfaction: 15 answers", "<5: a count from 1 to 4, hidden"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	for _, dutch := range []string{"aanbieder", "Aantallen", "verdeling", "50,0%", "table."} {
		if strings.Contains(out, dutch) {
			t.Errorf("the English table holds %q:\n%s", dutch, out)
		}
	}
}

package interchange

import (
	"strings"
	"testing"
)

// TestErrors reads testdata/errors and wants exactly this report, in this
// order (spec/interchange.md, "Import semantics": every error, by position).
func TestErrors(t *testing.T) {
	want := []string{
		`learners.csv:4: birth_date: "31/02/1988" is not a date (YYYY-MM-DD or DD/MM/YYYY)`,
		`learners.csv:5: has 13 fields, the header has 14`,
		`referrals.csv:1: source: required column is missing`,
		`groups.csv:3: end_date: 2025-06-30 lies before the start date (2025-09-01)`,
		`enrollments.csv:3: group: no group "G-2026-17"`,
		`enrollments.csv:4: duplicate key (learner, group): also on row 2`,
		`enrollments.csv:5: start_date: the learner (born 2012-03-15) is younger than 15 on 2025-09-01`,
		`enrollments.csv:6: start_date: 2025-06-03 lies more than 60 days before the start of group GA (2025-09-01)`,
		`evaluations.csv:2: listening: "B3" is not a CEFR level (A0, A1.1, A1, … C2)`,
		`evaluations.csv:3: reading: module ALFA does not evaluate reading (it evaluates listening, spoken interaction, spoken production)`,
		`evaluations.csv:4: decision: a pass on a module_end evaluation needs at least one assessed skill`,
		`outflows.csv:2: reason: is required for an early_leaver (work, moved, health, care_duties, motivation, level_mismatch, financial, other, unknown)`,
	}
	b, readErrs, err := Read("../../testdata/errors", nil)
	if err != nil {
		t.Fatal(err)
	}
	all := append(readErrs, Validate(b, nil)...)
	SortErrors(all)
	got := make([]string, len(all))
	for i, e := range all {
		got[i] = e.Error()
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("report:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

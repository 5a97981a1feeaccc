package domain

import (
	"strings"
	"testing"
)

// TestWarningActionEntry: one message key per rule of a warning action.
func TestWarningActionEntry(t *testing.T) {
	t.Parallel()
	d := MustDate
	today := d("2026-03-15")
	ok := WarningAction{Learner: "L1", Group: "G1", EstimateDay: d("2026-03-09"), ModelID: 3, Action: "called", Date: d("2026-03-10"),
		Note: strings.Repeat("é", MaxShortNoteLength)}
	if got := keys(CheckWarningActionEntry(&ok, today)); got != "" {
		t.Errorf("a valid action: %q", got)
	}
	for _, c := range []struct {
		edit func(a *WarningAction)
		want string
	}{
		{func(a *WarningAction) { a.Action = "" }, "action:rule.requiredof"},
		{func(a *WarningAction) { a.Action = "mailed" }, "action:rule.notcode"},
		{func(a *WarningAction) { a.ModelID = 0 }, "model:warning.rule.model"},
		{func(a *WarningAction) { a.Note += "x" }, "note:rule.toolong"},
		{func(a *WarningAction) { a.Date = d("2026-03-16") }, "date:rule.future"},
		{func(a *WarningAction) { a.Date = d("2026-03-08") }, "date:warning.rule.before"},
		{func(a *WarningAction) { a.Learner = "" }, "learner:rule.required"},
		{func(a *WarningAction) { a.Date = 0 }, "date:rule.required"},
	} {
		a := ok
		c.edit(&a)
		if got := keys(CheckWarningActionEntry(&a, today)); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

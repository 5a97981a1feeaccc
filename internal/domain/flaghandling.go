package domain

import (
	"slices"
	"time"
)

// FlagHandling is a counsellor's handling of one flag on the worklist
// (issue 20): the flag marked "afgehandeld" (handled), or snoozed until a
// day. It is a view on top of the flags of spec/early-warning.md, which it
// never changes: it names the situation that raised the flag by the day
// that situation began (Since, signal.Index.Since), so that a new
// occurrence of the same kind of flag is a new situation and shows again.
type FlagHandling struct {
	Learner  string    `db:"learner"`
	Kind     string    `db:"kind"`  // one of FlagKinds
	Since    Date      `db:"since"` // the day the flagged situation began
	Until    Date      `db:"until"` // 0: handled; else snoozed: hidden before this day, shown again on it
	Username string    `db:"username"`
	At       time.Time `db:"-"`
}

// FlagKinds are the kinds of flag and notice a handling may name: the flags
// of spec/early-warning.md (signal.Kinds, a–g) and the worklist's notice of
// a learner goal past its target date (signal.GoalOverdue). signal's test
// holds the two lists together.
var FlagKinds = []string{"overdue", "deadline_soon", "no_placement", "no_evaluation", "no_reason", "no_followup",
	"low_wellbeing", "goal_overdue"}

// MaxSnoozeDays bounds a snooze: a flag put off for longer than a year is
// not put off but forgotten, and should be handled instead.
const MaxSnoozeDays = 366

// Handled reports whether the handling hides its flag on day: handled, or
// snoozed until a later day.
func (h *FlagHandling) Handled(day Date) bool { return h.Until == 0 || day < h.Until }

// CheckFlagHandling returns every rule a handling typed in on day today
// breaks: a known kind, the situation's start on or before today, and a
// snooze that ends after today and within MaxSnoozeDays. The worklist's form
// and the store both ask it.
func CheckFlagHandling(h *FlagHandling, today Date) []FieldError {
	var out []FieldError
	if h.Learner == "" {
		out = append(out, fieldError("learner", "rule.required"))
	}
	if !slices.Contains(FlagKinds, h.Kind) {
		out = append(out, fieldError("kind", "rule.flagkind", h.Kind))
	}
	switch {
	case h.Since == 0:
		out = append(out, fieldError("since", "rule.required"))
	case h.Since > today:
		out = append(out, fieldError("since", "rule.future", h.Since))
	}
	switch {
	case h.Until == 0:
	case h.Until <= today:
		out = append(out, fieldError("until", "rule.snooze.past", h.Until))
	case h.Until > today.AddDays(MaxSnoozeDays):
		out = append(out, fieldError("until", "rule.snooze.far", h.Until, MaxSnoozeDays))
	}
	return out
}

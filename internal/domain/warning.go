package domain

import "time"

// A counsellor's answer to an early warning (issue 21, point 3): the
// learner's estimate was among the highest of a day, and the counsellor
// says what they did about it, with a date and a short note. Stored in
// warning_actions (schema/020_warning_actions.sql).

// WarningActions are what a counsellor can say they did about a warning.
var WarningActions = &CodeList{"warning action",
	[]string{"called", "meeting_planned", "unreachable", "justified_handled", "unjustified"}}

// Unjustified is the action that says the warning was wrong ("onterecht").
const Unjustified = "unjustified"

// MaxShortNoteLength is the longest note of a warning action: a line or
// two, not a report (free text of its own kind: MaxTextLength is for
// feedback and descriptions).
const MaxShortNoteLength = 500

// WarningAction is one answer to one warning: the learner's enrollment in
// Group was estimated on EstimateDay by the stored model ModelID.
type WarningAction struct {
	ID          int64
	Learner     string
	Group       string
	EstimateDay Date
	ModelID     int64
	Action      string // WarningActions
	Date        Date   // when the counsellor acted
	Note        string // at most MaxShortNoteLength characters
	RecordedBy  string
	RecordedAt  time.Time
}

// Validate checks a warning action on its own: every field but the note is
// required, the action is one of WarningActions, and the note is short.
func (a *WarningAction) Validate() []FieldError {
	var r rules
	r.required("learner", a.Learner)
	r.required("group", a.Group)
	r.date("estimate_day", a.EstimateDay, false)
	if a.ModelID <= 0 {
		r.add("model", "warning.rule.model")
	}
	r.code("action", WarningActions, a.Action, false)
	r.date("date", a.Date, false)
	r.length("learner", a.Learner)
	r.length("group", a.Group)
	if fe := checkMax("note", a.Note, MaxShortNoteLength); fe != nil {
		r = append(r, *fe)
	}
	return r.result()
}

// CheckWarningActionEntry returns every rule a warning action typed in on
// day today breaks: its own (Validate), a date in the future, and a date
// before the warning it answers (one acts on a warning once it is given).
func CheckWarningActionEntry(a *WarningAction, today Date) []FieldError {
	errs := append(a.Validate(), Collect(CheckNotFuture("date", a.Date, today))...)
	if a.Date != 0 && a.EstimateDay != 0 && a.Date < a.EstimateDay {
		errs = append(errs, fieldError("date", "warning.rule.before", a.EstimateDay))
	}
	return errs
}

package domain

import "github.com/traject-nt2/traject/internal/locale"

// The checks of a record in its context, beside what Validate checks of a
// record on its own. There are two kinds, and every write path asks the
// same functions, so that one rule has one message:
//
//   - Integrity rules (spec/domain.md, "Integrity rules") hold for every
//     record however it comes: the web's forms, the store's writes and the
//     import all ask them. CheckEvaluation and CheckObservation are of
//     this kind (with CheckAge, CheckEnrollmentStart and
//     CheckEvaluationSkills in rules.go).
//   - Entry rules hold for a record someone types in now: the grid, the
//     observation form and the learner page's forms ask them, and so do
//     the store functions that take those entries (SaveEvaluations,
//     SaveObservations, SaveOutflow, SaveFollowUp, SaveLearnerGoal). The
//     import is more lenient on exactly these, and on purpose:
//   - CheckNotFuture: what is typed in has happened, so a date after today
//     is a typing mistake the person can see and correct. spec/domain.md
//     bounds the dates of a record by 1990-01-01 and 2100-12-31 and by
//     nothing else; an import carries another system's records as that
//     system holds them, and its answer does not depend on the day it runs.
//   - CheckEvaluationWindow: a new evaluation lies between its learner's
//     enrollment start and the end (or the group's planned end) plus
//     grace_days, which catches a wrong year or a wrong group. Records
//     outside it are data the spec expects: spec/indicators.md says how
//     they count (section 2: a pass outside [start, group end +
//     grace_days] is not on track), the conformance data set holds some
//     (spec/example: L000001's module_end two months after their
//     enrollment ended), a stored evaluation falls outside the window
//     when its group's or enrollment's end date changes later, and
//     `export data` followed by an import must reproduce every record
//     (spec/interchange.md, "Export"). The data-quality findings list them
//     instead (internal/quality).
//   - CheckEvaluationGoals: the interchange format carries no goals of an
//     evaluation, so an import has none to check.

// CheckNotFuture reports an entry dated after today (an entry rule, see
// above).
func CheckNotFuture(field string, d, today Date) *FieldError {
	if d == 0 || d <= today {
		return nil
	}
	fe := fieldError(field, "rule.future", d)
	return &fe
}

// EvaluationWindow returns the first and last day on which a new
// evaluation of enrollment e in group g may be dated: from the
// enrollment's start to its end (or the group's planned end while no end
// is recorded) plus DefaultGraceDays (spec/indicators.md, grace_days), so
// that an exam a week after the last lesson is taken and a result months
// later is not.
func EvaluationWindow(e *Enrollment, g *Group) (from, to Date) {
	end := e.EndDate
	if end == 0 {
		end = g.EndDate
	}
	return e.StartDate, end.AddDays(DefaultGraceDays)
}

// CheckEvaluation reports an evaluation of a group (not an external test)
// that its group refuses, an integrity rule every path asks, the import
// included: its learner must be enrolled in the group (e, nil when not),
// as an observation's must (CheckObservation): an evaluation in a group
// without the learner's enrollment is a mistyped group or learner, and
// counts in no enrollment's progress (spec/indicators.md, section 2); and
// the group's module m must evaluate every skill it carries a level for
// (CheckEvaluationSkills; m nil when it cannot be read).
func CheckEvaluation(ev *Evaluation, m *Module, e *Enrollment) []FieldError {
	var r rules
	if e == nil {
		r.add("group", "rule.notenrolled", ev.Learner, ev.Group)
	}
	if m != nil {
		r = append(r, CheckEvaluationSkills(ev, m)...)
	}
	return r.result()
}

// CheckEvaluationWindow reports a new evaluation dated outside
// EvaluationWindow of its enrollment e in group g (an entry rule, see
// above).
func CheckEvaluationWindow(ev *Evaluation, e *Enrollment, g *Group) *FieldError {
	from, to := EvaluationWindow(e, g)
	if ev.Date == 0 || ev.Date >= from && ev.Date <= to {
		return nil
	}
	fe := fieldError("date", "rule.evaluationwindow", ev.Date, ev.Group, DefaultGraceDays, from, to)
	return &fe
}

// CheckEvaluationGoals reports a goal an evaluation records that is not a
// goal of its module m; goals are the goals to look in (an entry rule, see
// above).
func CheckEvaluationGoals(codes []string, m *Module, goals []Goal) *FieldError {
	for _, code := range codes {
		ok := false
		for i := range goals {
			ok = ok || goals[i].Code == code && goals[i].Module == m.Code
		}
		if !ok {
			fe := fieldError("goals", "rule.notgoal", code, m.Code)
			return &fe
		}
	}
	return nil
}

// EvaluationEntry is an evaluation typed in on a group's grid, with what
// its rules are checked against.
type EvaluationEntry struct {
	Evaluation  *Evaluation // Group set
	Group       *Group
	Module      *Module     // the group's
	Enrollment  *Enrollment // the learner's in the group; nil when none
	Goals       []string    // the goals it records as achieved
	ModuleGoals []Goal      // the goals to find them in
}

// Check returns every rule the entry breaks on day today: the
// evaluation's own (Validate), its context (CheckEvaluation) and those of
// an entry (CheckNotFuture, CheckEvaluationWindow, CheckEvaluationGoals).
// The grid and the store both ask it.
func (x *EvaluationEntry) Check(today Date) []FieldError {
	ev := x.Evaluation
	errs := append(ev.Validate(), CheckEvaluation(ev, x.Module, x.Enrollment)...)
	errs = append(errs, Collect(CheckNotFuture("date", ev.Date, today), CheckEvaluationGoals(x.Goals, x.Module, x.ModuleGoals))...)
	if x.Enrollment != nil {
		errs = append(errs, Collect(CheckEvaluationWindow(ev, x.Enrollment, x.Group))...)
	}
	return errs
}

// CheckObservationEntry returns every rule an observation typed in on day
// today breaks: its own (Validate), its context (CheckObservation, with e
// the learner's enrollment in the group, nil when none) and that of an
// entry (CheckNotFuture). The observation form and the store both ask it.
func CheckObservationEntry(o *Observation, e *Enrollment, today Date) []FieldError {
	errs := append(o.Validate(), Collect(CheckNotFuture("date", o.Date, today))...)
	if o.Date != 0 {
		errs = append(errs, Collect(CheckObservation(o, e))...)
	}
	return errs
}

// CheckOutflowEntry returns every rule an outflow typed in on day today
// breaks: its own (Validate) and that of an entry (CheckNotFuture). Which
// provider it may name is a permission (auth.CanWriteOutflowFrom).
func CheckOutflowEntry(o *Outflow, today Date) []FieldError {
	return append(o.Validate(), Collect(CheckNotFuture("date", o.Date, today))...)
}

// CheckFollowUpEntry returns every rule a follow-up typed in on day today
// breaks: its own (Validate) and that of an entry (CheckNotFuture).
func CheckFollowUpEntry(f *FollowUp, today Date) []FieldError {
	return append(f.Validate(), Collect(CheckNotFuture("date", f.Date, today))...)
}

// CheckLearnerGoalEntry returns every rule a learner goal typed in on day
// today breaks: its own (Validate) and that of an entry for the day it is
// set (CheckNotFuture); its target date lies ahead, as targets do.
func CheckLearnerGoalEntry(g *LearnerGoal, today Date) []FieldError {
	return append(g.Validate(), Collect(CheckNotFuture("set_date", g.SetDate, today))...)
}

// CheckSurveyPageAnswer returns every rule an answer sent through the
// public survey page breaks: its own (Validate) and the page's shorter
// comment (CheckSurveyPageComment). The page and the store both ask it.
func CheckSurveyPageAnswer(s *SurveyResponse) []FieldError {
	return append(s.Validate(), Collect(CheckSurveyPageComment(s.Comment))...)
}

// Refuse returns the EINVALID error of a write that breaks the first of
// fes, naming the record (what, in English, e.g. "evaluation L1/G1/…"),
// or nil when fes is empty: how the store refuses what the checks above
// and Validate report.
func Refuse(what string, fes ...FieldError) error {
	if len(fes) == 0 {
		return nil
	}
	t := locale.New("rule.refused", what, fes[0].Field, fes[0].Text)
	return &Error{Code: EINVALID, Message: t.String(), Text: t}
}

// Collect returns the field errors that are set, in order: the Check
// functions that return one *FieldError gathered for Refuse.
func Collect(fes ...*FieldError) []FieldError {
	var out []FieldError
	for _, fe := range fes {
		if fe != nil {
			out = append(out, *fe)
		}
	}
	return out
}

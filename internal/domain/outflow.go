package domain

// An outflow ends the learner's course: recording it offers to end the
// learner's open enrollments on its date in the same write, so that no
// enrollment stays "active" after the learner has left (and its flags with
// it). These are the rules of which enrollments, and how.

// EnrollmentStatusAfter is the status an outflow of type outflowType gives
// the open enrollments it ends: dropped for an early leaver, completed for a
// qualified outflow, transferred for a transfer; "" for a type outside the
// code list.
func EnrollmentStatusAfter(outflowType string) string {
	switch outflowType {
	case "early_leaver":
		return "dropped"
	case "qualified":
		return "completed"
	case "transfer":
		return "transferred"
	}
	return ""
}

// EndsEnrollment reports whether outflow o ends enrollment e, whose group
// belongs to groupProvider: e is still active, started on or before the
// outflow's date, and is in a group of the outflow's provider (any
// provider's when the outflow names none). An enrollment that starts after
// the outflow is a new course and stays as it is.
func EndsEnrollment(o *Outflow, e *Enrollment, groupProvider string) bool {
	if e.Learner != o.Learner || e.Status != "active" || e.StartDate > o.Date {
		return false
	}
	return o.Provider == "" || o.Provider == groupProvider
}

// EndEnrollment returns e as outflow o ends it: ended on the outflow's date
// with the status of its type (EnrollmentStatusAfter).
func EndEnrollment(o *Outflow, e Enrollment) Enrollment {
	e.EndDate = o.Date
	e.Status = EnrollmentStatusAfter(o.Type)
	return e
}

// FollowUpPrecedes returns the date of the learner's latest outflow when
// follow-up f is dated on or before it: such a follow-up is not a follow-up
// of that outflow (spec/indicators.md, effects: outflow.date < followup.date),
// so the web asks for confirmation before saving it. ok is false when f
// follows the latest outflow or there is none.
func FollowUpPrecedes(f *FollowUp, outflows []Outflow) (latest Date, ok bool) {
	for _, o := range outflows {
		if o.Learner == f.Learner && o.Date > latest {
			latest = o.Date
		}
	}
	return latest, latest != 0 && f.Date <= latest
}

package domain

// The defaults of the parameters of spec/indicators.md ("Parameters"),
// defined once: the indicators start from them, and the rules outside the
// indicators that the spec ties to the same parameters read them here too
// (the counsellor's flags, the window in which an evaluation may be dated,
// the data-quality checks), so that changing one changes them all.
const (
	// DefaultStatutoryMonths is statutory_months: the statutory period
	// between referral and start.
	DefaultStatutoryMonths = 3
	// DefaultWaitingListMonths is waiting_list_months: a referral still
	// waiting after this long is on the waiting list.
	DefaultWaitingListMonths = 6
	// DefaultGraceDays is grace_days: days after a group's planned end (or an
	// enrollment's end) in which a pass, certificate or evaluation still counts.
	DefaultGraceDays = 30
	// DefaultMinHours is min_hours: attended hours that make a learner a
	// participant for learning gain.
	DefaultMinHours = 12
	// DefaultFollowupMonths is followup_months: the window after outflow in
	// which a follow-up counts.
	DefaultFollowupMonths = 12
)

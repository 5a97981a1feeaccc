package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/traject-nt2/traject/internal/domain"
)

// parser reads classic five-field crontab lines and the @-descriptors;
// ParseCron narrows what it accepts.
var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

var fieldNames = [5]string{"minute", "hour", "day-of-month", "month", "day-of-week"}

const fieldHelp = "minute hour day-of-month month day-of-week"

// descriptors are the @-shorthands ParseCron accepts; @every is left out
// because it counts from when a process started, not from the calendar.
var descriptors = map[string]bool{"@yearly": true, "@annually": true, "@monthly": true, "@weekly": true,
	"@daily": true, "@midnight": true, "@hourly": true}

// neverRef is where ParseCron looks for a first run; robfig/cron gives up
// after five years, which covers every 29 February.
var neverRef = time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)

// ParseCron reads a five-field cron expression (minute hour day-of-month month
// day-of-week) or one of @yearly, @monthly, @weekly, @daily and @hourly; a
// mistake is an EINVALID error in plain English that names the field. The
// schedule runs in the location of the times given to its Next.
func ParseCron(expr string) (cron.Schedule, error) {
	e := strings.TrimSpace(expr)
	invalid := func(format string, args ...any) (cron.Schedule, error) {
		return nil, domain.Errorf(domain.EINVALID, format, args...)
	}
	switch {
	case e == "":
		return invalid("cron expression is empty: give 5 fields (%s), e.g. \"0 6 1 * *\" for 06:00 on the 1st of every month", fieldHelp)
	case strings.HasPrefix(e, "TZ=") || strings.HasPrefix(e, "CRON_TZ="):
		return invalid("cron expression %q sets a time zone: leave it out, schedules run in the scheduler's time zone", e)
	case strings.HasPrefix(e, "@every"):
		return invalid("cron expression %q: @every is not supported, give 5 fields (%s)", e, fieldHelp)
	case strings.HasPrefix(e, "@"):
		if !descriptors[e] {
			return invalid("unknown cron shorthand %q: use @yearly, @monthly, @weekly, @daily or @hourly, or 5 fields (%s)", e, fieldHelp)
		}
		s, err := parser.Parse(e)
		if err != nil {
			return invalid("cron expression %q: %v", e, err)
		}
		return s, nil
	}
	fields := strings.Fields(e)
	if len(fields) != 5 {
		return invalid("cron expression must have 5 fields (%s), got %d: %q", fieldHelp, len(fields), e)
	}
	// Parse each field on its own among stars, so the error can name it.
	for i, f := range fields {
		probe := []string{"*", "*", "*", "*", "*"}
		probe[i] = f
		if _, err := parser.Parse(strings.Join(probe, " ")); err != nil {
			return invalid("cron expression %q: %s field %q: %v", e, fieldNames[i], f, err)
		}
	}
	s, err := parser.Parse(strings.Join(fields, " "))
	if err != nil {
		return invalid("cron expression %q: %v", e, err)
	}
	if s.Next(neverRef).IsZero() {
		return invalid("cron expression %q never runs: no month has that day (e.g. 30 February)", e)
	}
	return s, nil
}

// Description says in words when a cron expression runs, and when next.
type Description struct {
	English string // e.g. "every month on day 1 at 06:00"
	Dutch   string // e.g. "elke maand op dag 1 om 06:00"
	Next    []time.Time
}

// Describe explains a cron expression in English and Dutch and lists its next
// n run times after now, in now's location. Common patterns get a sentence;
// others fall back to listing the next run times.
func Describe(expr string, now time.Time, n int) (Description, error) {
	s, err := ParseCron(expr)
	if err != nil {
		return Description{}, err
	}
	var d Description
	for t := now; len(d.Next) < n; {
		if t = s.Next(t); t.IsZero() {
			break
		}
		d.Next = append(d.Next, t)
	}
	if spec, ok := s.(*cron.SpecSchedule); ok {
		d.English, d.Dutch, ok = describeSpec(spec)
		if ok {
			return d, nil
		}
	}
	next := d.Next
	if len(next) < 3 {
		next = nil
		for t := now; len(next) < 3; {
			if t = s.Next(t); t.IsZero() {
				break
			}
			next = append(next, t)
		}
	}
	list := make([]string, len(next))
	for i, t := range next {
		list[i] = t.Format("2006-01-02 15:04")
	}
	d.English = "next runs: " + strings.Join(list, ", ")
	d.Dutch = "volgende keren: " + strings.Join(list, ", ")
	return d, nil
}

const starBit = 1 << 63

var (
	englishDays   = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	dutchDays     = [7]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}
	englishMonths = [13]string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	dutchMonths   = [13]string{"", "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
)

// values lists the numbers set in a cron bit field between lo and hi.
func values(field uint64, lo, hi int) []int {
	var out []int
	for v := lo; v <= hi; v++ {
		if field&(1<<uint(v)) != 0 {
			out = append(out, v)
		}
	}
	return out
}

func full(field uint64, lo, hi int) bool { return len(values(field, lo, hi)) == hi-lo+1 }

// join lists words as "a, b and c" (and = "and" or "en").
func join(words []string, and string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + and + " " + words[len(words)-1]
}

func mapInts(vs []int, f func(int) string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = f(v)
	}
	return out
}

// describeSpec puts the common shapes of a schedule into words; ok is false
// for shapes it does not know.
func describeSpec(s *cron.SpecSchedule) (en, nl string, ok bool) {
	if s.Second != 1 { // only whole minutes come from five fields
		return "", "", false
	}
	mins, hours := values(s.Minute, 0, 59), values(s.Hour, 0, 23)
	doms, months, dows := values(s.Dom, 1, 31), values(s.Month, 1, 12), values(s.Dow, 0, 6)
	domAll, dowAll, monthAll := s.Dom&starBit != 0, s.Dow&starBit != 0, full(s.Month, 1, 12)
	if !domAll && !dowAll && full(s.Dom, 1, 31) {
		domAll = true // "1-31" with a weekday: robfig/cron ORs them, so the weekday adds nothing
	}

	var dayEN, dayNL string
	switch {
	case domAll && (dowAll || full(s.Dow, 0, 6)) && monthAll:
		dayEN, dayNL = "every day", "elke dag"
	case domAll && monthAll:
		if len(dows) == 5 && dows[0] == 1 && dows[4] == 5 {
			dayEN, dayNL = "every weekday (Monday to Friday)", "elke werkdag (maandag tot en met vrijdag)"
		} else {
			dayEN = "every " + join(mapInts(dows, func(v int) string { return englishDays[v] }), "and")
			dayNL = "elke " + join(mapInts(dows, func(v int) string { return dutchDays[v] }), "en")
		}
	case dowAll && monthAll:
		list := mapInts(doms, func(v int) string { return fmt.Sprint(v) })
		if len(doms) == 1 {
			dayEN = "every month on day " + list[0]
		} else {
			dayEN = "every month on days " + join(list, "and")
		}
		dayNL = "elke maand op dag " + join(list, "en")
	case dowAll && len(doms) == 1:
		dayEN = fmt.Sprintf("every year on %d %s", doms[0], join(mapInts(months, func(v int) string { return englishMonths[v] }), "and"))
		dayNL = fmt.Sprintf("elk jaar op %d %s", doms[0], join(mapInts(months, func(v int) string { return dutchMonths[v] }), "en"))
	default:
		return "", "", false
	}

	switch {
	case len(mins) == 1 && full(s.Hour, 0, 23):
		if dayEN != "every day" {
			return "", "", false
		}
		return fmt.Sprintf("every hour at minute %d", mins[0]), fmt.Sprintf("elk uur op minuut %d", mins[0]), true
	case len(mins)*len(hours) <= 4:
		var times []string
		for _, h := range hours {
			for _, m := range mins {
				times = append(times, fmt.Sprintf("%02d:%02d", h, m))
			}
		}
		return dayEN + " at " + join(times, "and"), dayNL + " om " + join(times, "en"), true
	}
	return "", "", false
}

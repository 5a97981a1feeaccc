package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Zone on a machine without a zone database

	"github.com/traject-nt2/traject/internal/locale"
)

// Date is a calendar date without a time of day, stored as a day number so
// that comparisons and day differences are integer operations. The zero
// value means "no date".
type Date int32

// unixOffset makes 1970-01-01 day 719163, so that Date(0) is free for "none"
// and every date the domain knows is positive.
const unixOffset = 719163

// NewDate returns the date y-m-d; out-of-range days roll over as time.Date does.
func NewDate(y int, m time.Month, d int) Date {
	if m >= 1 && m <= 12 && d >= 1 && d <= 28 {
		return Date(daysFromCivil(y, int(m), d) + unixOffset)
	}
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400 + unixOffset)
}

// daysFromCivil returns days since 1970-01-01 (H. Hinnant's algorithm), so the
// hot paths of import and indicators avoid time.Time.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int) (int, int, int) {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// DateOf returns the calendar date of t in its own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// Zone is the time zone of the providers: the clock schedules run on and
// every moment a page shows is read in, whatever the server's own zone
// (often UTC). The zone database is in the binary (time/tzdata), so it
// loads on a machine without one.
var Zone = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Brussels"); err == nil {
		return l
	}
	return time.UTC
}()

// SchoolYearStart returns 1 September of the school year (1 September –
// 31 August) that holds d: the one definition of the school year that the
// dashboard, the schedules' period rules, the early warning's windows and
// the demo share.
func SchoolYearStart(d Date) Date {
	y, m, _ := d.YMD()
	if m < time.September {
		y--
	}
	return NewDate(y, time.September, 1)
}

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Unix(int64(d-unixOffset)*86400, 0).UTC() }

// IsZero reports whether d is "no date".
func (d Date) IsZero() bool { return d == 0 }

// YMD returns the year, month and day of d.
func (d Date) YMD() (int, time.Month, int) {
	y, m, day := civilFromDays(int(d) - unixOffset)
	return y, time.Month(m), day
}

// String formats d as YYYY-MM-DD, or "" for no date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	var b [10]byte
	return string(d.AppendISO(b[:0]))
}

// AppendISO appends d as YYYY-MM-DD to b.
func (d Date) AppendISO(b []byte) []byte {
	y, m, day := civilFromDays(int(d) - unixOffset)
	if y < 0 || y > 9999 {
		return fmt.Appendf(b, "%04d-%02d-%02d", y, m, day)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10))
}

// ParseISO reads exactly YYYY-MM-DD without allocating; it is the fast path
// for dates the store wrote itself. ok is false for anything else.
func ParseISO(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	n := 0
	for i, c := range []byte(s) {
		if i == 4 || i == 7 {
			continue
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	y, m, d := n/10000, n/100%100, n%100
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return 0, false
	}
	return Date(daysFromCivil(y, m, d) + unixOffset), true
}

// AddDays returns d plus n calendar days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// DaysUntil returns the number of calendar days from d to e (e - d).
func (d Date) DaysUntil(e Date) int { return int(e - d) }

// AddMonths adds n months and clamps to the last day of the target month, as
// spec/indicators.md ("Adding months") requires: 2025-01-31 + 1 = 2025-02-28.
func (d Date) AddMonths(n int) Date {
	y, m, day := d.YMD()
	total := int(m) - 1 + n
	ty := y + total/12
	tm := total % 12
	if tm < 0 {
		tm += 12
		ty--
	}
	last := daysIn(ty, time.Month(tm+1))
	if day > last {
		day = last
	}
	return NewDate(ty, time.Month(tm+1), day)
}

// AddYears adds n years, clamping 29 February to 28 February.
func (d Date) AddYears(n int) Date { return d.AddMonths(12 * n) }

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// AgeOn returns the age in whole years of someone born on d, on day on.
func (d Date) AgeOn(on Date) int {
	by, bm, bd := d.YMD()
	oy, om, od := on.YMD()
	age := oy - by
	if om < bm || (om == bm && od < bd) {
		age--
	}
	return age
}

// ParseDate reads YYYY-MM-DD or DD/MM/YYYY (also D/M/YYYY). A blank string is
// no date and no error.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if d, ok := ParseISO(s); ok {
		return d, nil
	}
	var y, m, d int
	var ok bool
	if strings.Contains(s, "/") {
		p := strings.Split(s, "/")
		if len(p) == 3 && len(p[2]) == 4 {
			d, ok = atoi(p[0])
			if ok {
				m, ok = atoi(p[1])
			}
			if ok {
				y, ok = atoi(p[2])
			}
		}
	} else {
		p := strings.Split(s, "-")
		if len(p) == 3 && len(p[0]) == 4 && len(p[1]) == 2 && len(p[2]) == 2 {
			y, ok = atoi(p[0])
			if ok {
				m, ok = atoi(p[1])
			}
			if ok {
				d, ok = atoi(p[2])
			}
		}
	}
	if !ok || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) || y < 1 {
		return 0, locale.Errorf("parse.date", s)
	}
	return NewDate(y, time.Month(m), d), nil
}

// MustDate parses s and panics if it is not a date; for tests and constants.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil || d == 0 {
		panic(fmt.Sprintf("MustDate(%q): %v", s, err))
	}
	return d
}

func atoi(s string) (int, bool) {
	if s == "" || len(s) > 4 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// MinDate and MaxDate bound every event date (spec/domain.md, integrity rules).
var (
	MinDate = NewDate(1990, 1, 1)
	MaxDate = NewDate(2100, 12, 31)
)

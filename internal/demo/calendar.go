package demo

import (
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// epoch is a Thursday, the reference for weekday arithmetic on day numbers.
var epoch = domain.NewDate(1970, 1, 1)

// weekday returns 0 for Sunday through 6 for Saturday.
func weekday(d domain.Date) int {
	return ((int(d-epoch)+4)%7 + 7) % 7
}

// weekdayOnOrAfter moves a Saturday or Sunday to the next Monday.
func weekdayOnOrAfter(d domain.Date) domain.Date {
	switch weekday(d) {
	case 6:
		return d + 2
	case 0:
		return d + 1
	}
	return d
}

// weekdayOnOrBefore moves a Saturday or Sunday to the Friday before.
func weekdayOnOrBefore(d domain.Date) domain.Date {
	switch weekday(d) {
	case 6:
		return d - 1
	case 0:
		return d - 2
	}
	return d
}

// nearestWeekday moves a Saturday to the Friday before and a Sunday to the
// Monday after.
func nearestWeekday(d domain.Date) domain.Date {
	switch weekday(d) {
	case 6:
		return d - 1
	case 0:
		return d + 1
	}
	return d
}

// holiday is a school holiday, inclusive; providers do not teach in it.
type holiday struct {
	start, end domain.Date
	summer     bool
}

// holidays returns the Christmas, Easter and summer holidays of the Flemish
// school calendar from year y0 to y1, in date order.
func holidays(y0, y1 int) []holiday {
	var hs []holiday
	for y := y0; y <= y1; y++ {
		m, d := easter(y)
		e := domain.NewDate(y, m, d)
		hs = append(hs,
			holiday{start: e - 6, end: e + 7},
			holiday{start: domain.NewDate(y, time.July, 1), end: domain.NewDate(y, time.August, 31), summer: true},
			holiday{start: domain.NewDate(y, time.December, 23), end: domain.NewDate(y+1, time.January, 5)},
		)
	}
	return hs
}

// easter returns the date of Easter Sunday in year y (Gregorian computus).
func easter(y int) (time.Month, int) {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return time.Month(n / 31), n%31 + 1
}

// referralMonthWeight is the relative number of referrals per calendar month:
// peaks after the summer and in the new year, a dip in July and December.
var referralMonthWeight = [12]float64{1.1, 1.1, 1.05, 0.95, 1.0, 0.9, 0.55, 0.75, 1.35, 1.25, 1.05, 0.7}

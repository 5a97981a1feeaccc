package report

import (
	"math"
	"strconv"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
)

// cellKind says what a cell holds.
type cellKind uint8

const (
	cellEmpty  cellKind = iota
	cellNumber          // num
	cellText            // text
	cellDate            // num is an Excel serial date (days since 1899-12-30)
)

// cell is one value to write. format, when set, overrides the column's
// format (the overview's figures each have their own).
type cell struct {
	kind   cellKind
	num    float64
	text   string
	format string
}

func numCell(v float64) cell {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return cell{}
	}
	return cell{kind: cellNumber, num: v}
}

func textCell(s string) cell {
	if s == "" {
		return cell{}
	}
	return cell{kind: cellText, text: s}
}

// excelEpoch is 1970-01-01 as an Excel serial date.
const excelEpoch = 25569

// dateCell is a real Excel date; the zero date is an empty cell.
func dateCell(d domain.Date) cell {
	if d == 0 {
		return cell{}
	}
	return cell{kind: cellDate, num: float64(d.Time().Unix()/86400 + excelEpoch)}
}

// timeCell is t's wall clock as an Excel date and time.
func timeCell(t time.Time) cell {
	y, m, d := t.Date()
	day := float64(domain.NewDate(y, m, d).Time().Unix()/86400 + excelEpoch)
	secs := t.Hour()*3600 + t.Minute()*60 + t.Second()
	return cell{kind: cellDate, num: day + float64(secs)/86400}
}

// countCell is a count as the small-cell rule shows it: "<5" when
// suppressed (spec/indicators.md, "Small-cell suppression").
func countCell(c indicator.Count) cell {
	if c.Suppressed {
		return cell{kind: cellText, text: indicator.SuppressedText}
	}
	return numCell(float64(c.N))
}

// derivedCount is a count the Result does not hold (a denominator such as
// judged), suppressed by the same rule when suppress is set.
func derivedCount(n int, suppress bool) cell {
	return countCell(indicator.Count{N: n, Suppressed: suppress && indicator.SmallCount(n)})
}

// numberCell is a rate, mean or median: empty when undefined or suppressed.
func numberCell(n indicator.Number) cell {
	if !n.Shown() {
		return cell{}
	}
	return numCell(n.Value)
}

// amountCell is a teller, noemer or value of a figure.
func amountCell(a indicator.Amount) cell {
	switch {
	case !a.Valid:
		return cell{}
	case a.Suppressed && a.Count:
		return cell{kind: cellText, text: indicator.SuppressedText}
	case a.Suppressed:
		return cell{}
	}
	return numCell(a.Value)
}

// shortestDecimals returns the number of decimals of the shortest text that
// reads back as v, so that a rate is written exactly as the JSON form has it
// (excelize would cut it to 15 significant digits).
func shortestDecimals(v float64) int {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return len(s) - i - 1
		}
	}
	return 0
}

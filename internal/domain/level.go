package domain

import (
	"strings"

	"github.com/traject-nt2/traject/internal/locale"
)

// Level is a rank on the CEFR ladder of half levels (spec/domain.md, "The CEFR
// ladder"). NoLevel means "not assessed", which is never the same as A0.
type Level int8

// NoLevel is the blank level: the skill was not assessed.
const NoLevel Level = -1

// Ladder lists the codes of the ladder in rank order.
var Ladder = [...]string{"A0", "A1.1", "A1", "A2.1", "A2", "B1.1", "B1", "B2.1", "B2", "C1.1", "C1", "C2.1", "C2"}

var levelAliases = map[string]Level{"pre-a1": 0, "a1.2": 2, "a2.2": 4, "b1.2": 6, "b2.2": 8, "c1.2": 10, "c2.2": 12}

// MaxLevel is the highest rank on the ladder.
const MaxLevel = Level(len(Ladder) - 1)

// ladderList is the ladder for error messages.
const ladderList = "A0, A1.1, A1, … C2"

// ParseLevel reads a ladder code or alias, case-insensitively and ignoring
// surrounding spaces. A blank string is NoLevel.
func ParseLevel(s string) (Level, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return NoLevel, nil
	}
	low := strings.ToLower(s)
	for i, code := range Ladder {
		if strings.ToLower(code) == low {
			return Level(i), nil
		}
	}
	if l, ok := levelAliases[low]; ok {
		return l, nil
	}
	return NoLevel, locale.Errorf("parse.level", s, ladderList)
}

// String returns the ladder code, or "" for NoLevel.
func (l Level) String() string {
	if l < 0 || l > MaxLevel {
		return ""
	}
	return Ladder[l]
}

// Valid reports whether l is a rank on the ladder (not NoLevel).
func (l Level) Valid() bool { return l >= 0 && l <= MaxLevel }

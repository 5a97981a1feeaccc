package locale

import (
	"strconv"
	"strings"
)

// Text is a message not yet written in a language: its key in the catalogue
// and the arguments of its format. A check returns one; the command line
// writes it in English, a page in the reader's language. An argument that
// is itself a Text, or a Number, is written in the same language.
type Text struct {
	Key  string
	Args []any
}

// New returns the message key with args.
func New(key string, args ...any) Text { return Text{Key: key, Args: args} }

// In writes the message in lang, with T's fallback.
func (t Text) In(lang string) string {
	if t.Key == joinKey {
		parts := make([]string, len(t.Args))
		for i, a := range t.Args {
			parts[i] = a.(Text).In(lang)
		}
		return strings.Join(parts, "; ")
	}
	return T(lang, t.Key, t.Args...)
}

// String writes the message in English, the language of the command line.
func (t Text) String() string { return t.In("en") }

// Error is an error that carries its message; Error() is English.
type Error struct{ Text Text }

func (e *Error) Error() string { return e.Text.In("en") }

// Errorf returns an *Error with the message key and args.
func Errorf(key string, args ...any) error { return &Error{New(key, args...)} }

// Join is the messages ts as one, separated by "; ".
func Join(ts []Text) Text {
	args := make([]any, len(ts))
	for i, t := range ts {
		args[i] = t
	}
	return Text{Key: joinKey, Args: args}
}

// joinKey marks a Join, whose arguments are its messages.
const joinKey = "\x00join"

// Decimal is a number written with at most two decimals, with the
// decimal mark of the reader's language (the file's "number.decimal"):
// 12,5 in Dutch, 12.5 in English; whole numbers without one. A format
// takes it with %s.
type Decimal float64

// In writes d in lang.
func (d Decimal) In(lang string) string {
	s := strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(float64(d), 'f', 2, 64), "0"), ".")
	if mark := T(lang, "number.decimal"); mark != "." {
		s = strings.Replace(s, ".", mark, 1)
	}
	return s
}

// Number is a count written with the thousands grouped as the reader's
// language does (the file's "number.thousands"): 200.000 in Dutch, 200,000
// in English. A format takes it with %s.
type Number int64

// In writes n in lang.
func (n Number) In(lang string) string {
	sep := T(lang, "number.thousands")
	digits := strconv.FormatInt(int64(n), 10)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	return sign + b.String()
}

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
	if t.Key == joinKey || t.Key == listKey {
		parts := make([]string, len(t.Args))
		for i, a := range t.Args {
			parts[i] = a.(Text).In(lang)
		}
		sep := "; "
		if t.Key == listKey {
			sep = ", "
		}
		return strings.Join(parts, sep)
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

// List is the texts ts as one, an enumeration separated by ", ": the
// labels of several codes inside a message ("luisteren, lezen").
func List(ts []Text) Text {
	args := make([]any, len(ts))
	for i, t := range ts {
		args[i] = t
	}
	return Text{Key: listKey, Args: args}
}

// joinKey marks a Join, whose arguments are its messages; listKey a List.
const (
	joinKey = "\x00join"
	listKey = "\x00list"
)

// Decimal is a number written with at most two decimals, with the
// decimal mark and the thousands separator of the reader's language (the
// file's "number.decimal" and "number.thousands"): 22.186,5 in Dutch,
// 22,186.5 in English; whole numbers without a mark. A format takes it
// with %s. A form's input value is not one (it is read back without
// separators): see Plain.
type Decimal float64

// In writes d in lang.
func (d Decimal) In(lang string) string { return Float(lang, float64(d), -2) }

// Float writes v in lang with the thousands grouped and the language's
// decimal mark: with decimals places (1: "88,6"), as many as needed
// (-1: "0,125"), or at most -decimals of them without trailing zeros
// (-2: "12,5", "130"). The one number format of the pages, the messages and
// the exports' texts (Number for counts, Decimal in messages).
func Float(lang string, v float64, decimals int) string {
	var s string
	switch {
	case decimals >= 0:
		s = strconv.FormatFloat(v, 'f', decimals, 64)
	case decimals == -1:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		s = strconv.FormatFloat(v, 'f', -decimals, 64)
		if strings.Contains(s, ".") {
			s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
		}
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	sign := ""
	if strings.HasPrefix(whole, "-") {
		sign, whole = "-", whole[1:]
	}
	if sign != "" && strings.Trim(whole+frac, "0") == "" {
		sign = "" // -0,0 is 0,0
	}
	out := sign + group(whole, T(lang, "number.thousands"))
	if hasFrac {
		out += T(lang, "number.decimal") + frac
	}
	return out
}

// Plain writes v with at most two decimals and the language's decimal mark,
// without thousands separators: a form's input value, which the form reads
// back (1234,5 in Dutch).
func Plain(lang string, v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	if mark := T(lang, "number.decimal"); mark != "." {
		s = strings.Replace(s, ".", mark, 1)
	}
	return s
}

// group writes the digits with sep between every three from the right.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	return b.String()
}

// Number is a count written with the thousands grouped as the reader's
// language does (the file's "number.thousands"): 200.000 in Dutch, 200,000
// in English. A format takes it with %s.
type Number int64

// In writes n in lang.
func (n Number) In(lang string) string {
	digits := strconv.FormatInt(int64(n), 10)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	return sign + group(digits, T(lang, "number.thousands"))
}

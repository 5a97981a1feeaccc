// Package msg holds the messages of the data checks — reading an import,
// the integrity rules of spec/domain.md — in every language Traject
// speaks, in one catalogue (messages.json). A check returns a Text, a key
// with its arguments; the CLI writes it in English, the web in the
// reader's language. It depends on nothing else in Traject, so that the
// domain itself can use it.
package msg

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Text is a message: its key in the catalogue and the arguments of its
// format. An argument that is itself a Text is written in the same language.
type Text struct {
	Key  string
	Args []any
}

// New returns the message key with args.
func New(key string, args ...any) Text { return Text{Key: key, Args: args} }

// In writes the message in lang ("nl" or "en"); any other language, and a
// key without a text in lang, is written in English.
func (t Text) In(lang string) string {
	if t.Key == joinKey {
		parts := make([]string, len(t.Args))
		for i, a := range t.Args {
			parts[i] = a.(Text).In(lang)
		}
		return strings.Join(parts, "; ")
	}
	texts, ok := catalogue[t.Key]
	if !ok {
		return fmt.Sprint(append([]any{t.Key + ": "}, t.Args...)...)
	}
	format, ok := texts[lang]
	if !ok {
		format = texts["en"]
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		switch x := a.(type) {
		case Text:
			args[i] = x.In(lang)
		case Number:
			args[i] = x.In(lang)
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(format, args...)
}

// Number is a count written with the thousands grouped as the reader's
// language does: 200.000 in Dutch, 200,000 in English. A format takes it
// with %s.
type Number int64

// In writes n in lang.
func (n Number) In(lang string) string {
	sep := ","
	if lang == "nl" {
		sep = "."
	}
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

// String writes the message in English.
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

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	_, ok := catalogue[key]
	return ok
}

//go:embed messages.json
var catalogueJSON []byte

// catalogue is key → language → format.
var catalogue = func() map[string]map[string]string {
	var m map[string]map[string]string
	if err := json.Unmarshal(catalogueJSON, &m); err != nil {
		panic("msg: messages.json: " + err.Error())
	}
	return m
}()

// Keys returns every key of the catalogue, for tests.
func Keys() []string {
	out := make([]string, 0, len(catalogue))
	for k := range catalogue {
		out = append(out, k)
	}
	return out
}

// Formats returns the formats of key per language, for tests.
func Formats(key string) map[string]string { return catalogue[key] }

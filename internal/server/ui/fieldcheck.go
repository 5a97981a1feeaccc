package ui

import (
	"errors"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// How the forms that write learners' records (the grid, the observation
// form, the learner page's forms) show a broken rule: a handler parses its
// form, asks domain's check of the record (the one the store asks again
// and, for integrity rules, the import too), and puts each field error
// beside its field, in the rule's own words from the catalogue
// (internal/msg): the same words an import reports for the same record,
// in the reader's language. No handler words a rule of its own.

// parseText is the message of a typed value that does not parse
// (domain.ParseLevel, ParseDate, ParseSkill …) in lang, as an import
// reports it.
func parseText(lang string, err error) string {
	var e *locale.Error
	if errors.As(err, &e) {
		return e.Text.In(lang)
	}
	return domain.MessageIn(err, lang)
}

// placeErrors puts the message of each field error of fes in errs under
// its form field: field maps a rule's field to the form's (the rule's own
// name when field is nil; "" leaves the error out). A form field that has
// a message already keeps it, so that a value that did not parse is not
// reported again as missing, and a field shows its first broken rule.
func placeErrors(lang string, errs map[string]string, fes []domain.FieldError, field func(domain.FieldError) string) {
	for _, fe := range fes {
		name := fe.Field
		if field != nil {
			name = field(fe)
		}
		if name != "" && errs[name] == "" {
			errs[name] = fe.Text.In(lang)
		}
	}
}

// readDate reads a typed date field: the date, 0 when blank (whether it may
// be blank is the record's rule), or the message of a value that is not a
// date.
func readDate(lang, raw string) (domain.Date, string) {
	d, err := domain.ParseDate(raw)
	if err != nil {
		return 0, parseText(lang, err)
	}
	return d, ""
}

// msgText is the catalogue's message key with args in lang.
func msgText(lang, key string, args ...any) string { return locale.New(key, args...).In(lang) }

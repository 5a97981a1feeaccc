// Package domain holds Traject's entities, code lists, the CEFR ladder and the
// integrity rules of spec/domain.md. It depends on the standard library and
// the message catalogue (internal/msg) only.
package domain

import (
	"errors"
	"fmt"

	"github.com/traject-nt2/traject/internal/locale"
)

// Error codes shared by every layer; the HTTP layer maps them to statuses.
const (
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	ECONFLICT  = "conflict"
	EFORBIDDEN = "forbidden"
	ESTALE     = "stale_schema"
	EINTERNAL  = "internal"
)

// Error is an application error with a machine-readable code and a message
// that can be shown to the person who caused it.
type Error struct {
	Code    string
	Message string      // English
	Text    locale.Text // the message in the catalogue, when it has one, for the reader's language
}

// Invalid returns an EINVALID error with the message key (internal/msg) and args.
func Invalid(key string, args ...any) *Error { return Coded(EINVALID, key, args...) }

// Coded returns an error of code with the message key (internal/msg) and args.
func Coded(code, key string, args ...any) *Error {
	t := locale.New(key, args...)
	return &Error{Code: code, Message: t.String(), Text: t}
}

// MessageIn returns the message of err in lang: from the catalogue when it
// carries a text there, else its English message.
func MessageIn(err error, lang string) string {
	var e *Error
	if errors.As(err, &e) && e.Text.Key != "" {
		return e.Text.In(lang)
	}
	return err.Error()
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for errors that carry none and
// "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// FieldError is a broken rule on one field of one record.
type FieldError struct {
	Field   string      // interchange column name, e.g. "end_date"
	Message string      // English, names the rule
	Text    locale.Text // the same in the message catalogue, for other languages
}

// fieldError returns the broken rule key (internal/msg) with args on field.
func fieldError(field, key string, args ...any) FieldError {
	t := locale.New(key, args...)
	return FieldError{Field: field, Message: t.String(), Text: t}
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

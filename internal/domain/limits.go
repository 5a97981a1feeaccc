package domain

import "unicode/utf8"

// How long a value may be, one limit per kind of field, for every path
// that writes one: the import (interchange reads each column against it),
// the web's forms and the store (Validate checks each record's fields).
// The specification's codes and identifiers are short; names a few hundred
// characters at most; free text a few thousand. Without a limit a 60 MB
// first name was imported and then carried by every page that shows the
// learner; with one limit per path, a feedback an import accepted (4,000
// characters) was refused when its grid row was saved again (2,000).
const (
	MaxCodeLength = 64   // identifiers, codes, dates, numbers
	MaxNameLength = 200  // names of people, providers, modules and programmes
	MaxTextLength = 4000 // free text: descriptions, feedback, notes, comments
)

// MaxSurveyPageCommentLength is the one exception: the longest comment the
// public survey page takes. That page needs no account, so anyone with a
// round's link may post to it; a short bound keeps what a stranger can put
// in the database, and in a coordinator's list of answers, small. A comment
// imported from a survey tool, by a signed-in coordinator, is free text as
// any other (MaxTextLength).
const MaxSurveyPageCommentLength = 1000

// textFields and nameFields name the fields (interchange columns) of free
// text and of names; every other field is a code.
var (
	textFields = map[string]bool{"description": true, "feedback": true, "note": true, "comment": true}
	nameFields = map[string]bool{"name": true, "first_name": true, "last_name": true, "programme": true,
		"evaluator": true, "observer": true, "counsellor": true, "teacher": true, "number": true, "home_language": true}
)

// MaxLength is the longest value, in characters, that field may hold.
func MaxLength(field string) int {
	switch {
	case textFields[field]:
		return MaxTextLength
	case nameFields[field]:
		return MaxNameLength
	}
	return MaxCodeLength
}

// CheckLength reports a value of field longer than MaxLength(field).
func CheckLength(field, v string) *FieldError { return checkMax(field, v, MaxLength(field)) }

// CheckSurveyPageComment reports a comment longer than the public survey
// page takes (MaxSurveyPageCommentLength).
func CheckSurveyPageComment(comment string) *FieldError {
	return checkMax("comment", comment, MaxSurveyPageCommentLength)
}

func checkMax(field, v string, limit int) *FieldError {
	if len(v) <= limit { // no string of at most limit bytes has more characters
		return nil
	}
	if n := utf8.RuneCountInString(v); n > limit {
		fe := fieldError(field, "rule.toolong", n, limit)
		return &fe
	}
	return nil
}

// length checks the length of each of fields' values (field, value, …).
func (r *rules) length(pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		if fe := CheckLength(pairs[i], pairs[i+1]); fe != nil {
			*r = append(*r, *fe)
		}
	}
}

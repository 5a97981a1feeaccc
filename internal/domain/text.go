package domain

import (
	"strings"
	"unicode/utf8"
)

// IsText reports whether s is text Traject may store, show and copy: valid
// UTF-8 without a NUL character. PostgreSQL refuses anything else in a text
// column, while SQLite keeps it as it comes, so that a SQLite installation
// would hold values a later `traject copy` to PostgreSQL cannot move
// (issue 18, finding 8). Every layer that takes text from outside asks this
// one function: the web layer for each path, query and form value, the
// store for each value it writes.
func IsText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

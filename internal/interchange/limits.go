package interchange

import "github.com/traject-nt2/traject/internal/domain"

// How long a value may be: one limit per kind of field, defined once in
// domain (limits.go) for every path that writes one, the import included.
const (
	MaxCodeLength = domain.MaxCodeLength // identifiers, codes, dates, numbers
	MaxNameLength = domain.MaxNameLength // names of people, providers, modules and programmes
	MaxTextLength = domain.MaxTextLength // free text: descriptions, feedback, notes, comments
)

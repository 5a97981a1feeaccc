package interchange

// How long a value may be. The specification's codes and identifiers are
// short; names a few hundred characters at most; free text a few thousand.
// Without a limit a 60 MB first name was imported and then carried by every
// page that shows the learner.
const (
	MaxCodeLength = 64   // identifiers, codes, dates, numbers
	MaxNameLength = 200  // names of people, providers, modules and programmes
	MaxTextLength = 4000 // free text: descriptions, feedback, notes, comments
)

// textColumns and nameColumns name the columns of free text and of names;
// every other column is a code.
var (
	textColumns = map[string]bool{"description": true, "feedback": true, "note": true, "comment": true}
	nameColumns = map[string]bool{"name": true, "first_name": true, "last_name": true, "programme": true,
		"evaluator": true, "observer": true, "counsellor": true, "teacher": true, "number": true, "home_language": true}
)

// maxLength is the longest value, in characters, that column may hold.
func maxLength(column string) int {
	switch {
	case textColumns[column]:
		return MaxTextLength
	case nameColumns[column]:
		return MaxNameLength
	}
	return MaxCodeLength
}

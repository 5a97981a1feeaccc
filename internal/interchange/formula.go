package interchange

// Spreadsheets run a cell that starts with =, +, -, @ (or a tab or carriage
// return before one) as a formula: a learner named =HYPERLINK("http://…")
// in an exported CSV file would run when a coordinator opens it in Excel.
// The export therefore writes such a cell with a leading apostrophe, which
// spreadsheets show as text and do not print; the import takes exactly one
// leading apostrophe off again, so that Traject's own export imports back
// to the same values. A value that itself starts with apostrophes before a
// trigger gets one more on the way out and loses one on the way in.

// isFormulaStart reports whether c makes a spreadsheet read a cell as a formula.
func isFormulaStart(c byte) bool {
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
}

// needsQuote reports whether v is apostrophes (perhaps none) followed by a
// formula trigger.
func needsQuote(v string) bool {
	i := 0
	for i < len(v) && v[i] == '\'' {
		i++
	}
	return i < len(v) && isFormulaStart(v[i])
}

// neutralise returns v as it is written to a CSV file for people.
func neutralise(v string) string {
	if needsQuote(v) {
		return "'" + v
	}
	return v
}

// restore undoes neutralise on a value read from a file.
func restore(v string) string {
	if len(v) > 1 && v[0] == '\'' && needsQuote(v[1:]) {
		return v[1:]
	}
	return v
}

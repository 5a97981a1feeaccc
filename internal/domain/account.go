package domain

import (
	"strings"
	"unicode"
)

// An account's display name and e-mail address (issue 20, admin): both
// optional, checked here for every write path (the admin's forms, `traject
// user`, the store).

// MaxEmailLength is the longest e-mail address accepted (RFC 5321's path).
const MaxEmailLength = 254

// CheckAccountProfile checks a display name and an e-mail address as they
// will be stored (trimmed, see CleanAccountProfile): the name at most
// MaxNameLength characters on one line, the address empty or of the form
// local@domain.tld without spaces. Each broken rule is one FieldError, on
// "display_name" or "email".
func CheckAccountProfile(name, email string) []FieldError {
	var out []FieldError
	if fe := checkMax("display_name", name, MaxNameLength); fe != nil {
		out = append(out, *fe)
	} else if strings.ContainsFunc(name, unicode.IsControl) || !IsText(name) {
		out = append(out, fieldError("display_name", "rule.oneline"))
	}
	if email != "" && !validEmail(email) {
		out = append(out, fieldError("email", "rule.email", email))
	}
	return out
}

// CleanAccountProfile trims a display name (inner runs of spaces become
// one) and an e-mail address as they are stored.
func CleanAccountProfile(name, email string) (string, string) {
	return strings.Join(strings.Fields(name), " "), strings.TrimSpace(email)
}

// validEmail is the plain shape of an address a person types: one '@'
// between a local part of at most 64 characters and a domain of labels
// with at least one dot, no spaces, quotes or brackets. It does not try
// the whole of RFC 5322: an address that needs quoting is no address to
// sign in with.
func validEmail(s string) bool {
	if len(s) > MaxEmailLength || !IsText(s) {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 || strings.Contains(domain, "@") || !strings.Contains(domain, ".") {
		return false
	}
	if strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`"(),:;<>[\]`, r)
	}) {
		return false
	}
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	for _, label := range strings.Split(domain, ".") {
		if label == "" || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
	}
	return true
}

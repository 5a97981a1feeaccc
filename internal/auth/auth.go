// Package auth holds Traject's accounts and their permissions: roles, password
// hashing, session and API tokens, login throttling and the rules of
// spec/README.md ("Who uses it") as pure functions over plain values. It knows
// no database and holds no SQL: the store fills the small fact structs these
// rules read, and store.LearnerFilter and store.GroupFilter hand the same
// rules to SQL.
package auth

import "github.com/traject-nt2/traject/internal/domain"

// EUNAUTHORIZED is the error code for a caller who is not (or no longer)
// signed in: HTTP 401. It belongs beside domain's codes; it lives here until
// domain grows it.
const EUNAUTHORIZED = "unauthorized"

// Errors of signing in and of API tokens; all carry EUNAUTHORIZED and a
// message that can be shown to the caller.
var (
	// ErrBadCredentials is an unknown user name or a wrong password; the two
	// are deliberately indistinguishable.
	ErrBadCredentials = &domain.Error{Code: EUNAUTHORIZED, Message: "unknown user name or wrong password"}
	// ErrLocked refuses a login while the account is locked after repeated failures.
	ErrLocked = &domain.Error{Code: EUNAUTHORIZED, Message: "too many failed logins: try again in a few minutes"}
	// ErrUserDisabled refuses an account that an administrator disabled.
	ErrUserDisabled = &domain.Error{Code: EUNAUTHORIZED, Message: "this account is disabled"}
	// ErrTokenExpired refuses an API token past its expiry.
	ErrTokenExpired = &domain.Error{Code: EUNAUTHORIZED, Message: "the API token has expired"}
	// ErrTokenRevoked refuses an API token that was revoked.
	ErrTokenRevoked = &domain.Error{Code: EUNAUTHORIZED, Message: "the API token has been revoked"}
)

// active reports whether u may do anything at all.
func active(u *domain.User) bool {
	return u != nil && !u.Disabled && u.Username != "" && u.Role.Valid()
}

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

// User is an account as the permission rules see it. It stays in auth, not
// domain, for as long as callers ask the rules as its methods (u.Can,
// u.CanSeeLearner, …): Go allows methods only in a type's own package, and
// an alias in domain could not carry them.
type User struct {
	Username  string
	Role      domain.Role
	Providers []string // provider codes; what a coordinator sees
	Disabled  bool
}

// active reports whether u may do anything at all.
func (u *User) active() bool {
	return u != nil && !u.Disabled && u.Username != "" && u.Role.Valid()
}

// HasProvider reports whether code is one of u's providers.
func (u *User) HasProvider(code string) bool {
	if u == nil || code == "" {
		return false
	}
	for _, p := range u.Providers {
		if p == code {
			return true
		}
	}
	return false
}

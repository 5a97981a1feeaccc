package domain

import (
	"slices"
	"strings"

	"github.com/traject-nt2/traject/internal/locale"
)

// Role is what an account is for (spec/README.md, "Who uses it"); what each
// role may do is auth's rule, which roles exist is the domain's.
type Role string

// The four roles; their codes are stored, their names (Key) shown.
const (
	RoleTeacher     Role = "teacher"
	RoleCounsellor  Role = "counsellor"
	RoleCoordinator Role = "coordinator"
	RoleAdmin       Role = "admin"
)

// Roles returns the four roles in order of reach.
func Roles() []Role { return []Role{RoleTeacher, RoleCounsellor, RoleCoordinator, RoleAdmin} }

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// Key is the catalogue key of the role's name, role.<code>.
func (r Role) Key() string { return "role." + string(r) }

// ParseRole reads a role from its code or its Dutch name, case-insensitively.
func ParseRole(s string) (Role, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, r := range Roles() {
		if s == string(r) || s == locale.T("nl", r.Key()) {
			return r, nil
		}
	}
	return "", Errorf(EINVALID, "unknown role %q: use teacher, counsellor, coordinator or admin", s)
}

// MaxUsernameLength is the longest user name accepted.
const MaxUsernameLength = 64

// ValidateUsername refuses a user name that could not be typed into a form or
// a data set column: 1 to 64 ASCII letters, digits, '.', '_', '-' or '@',
// starting with a letter or digit. Imports name teachers and counsellors by
// these user names, so they are compared exactly, case included.
func ValidateUsername(name string) error {
	if name == "" {
		return Errorf(EINVALID, "user name is required")
	}
	if len(name) > MaxUsernameLength {
		return Errorf(EINVALID, "user name %q is longer than %d characters", name, MaxUsernameLength)
	}
	for i, c := range name {
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || !strings.ContainsRune("._-@", c)) {
			return Errorf(EINVALID, "user name %q may only hold letters, digits, '.', '_', '-' and '@', and must start with a letter or digit", name)
		}
	}
	return nil
}

// User is an account as the permission rules of internal/auth see it: who,
// in which role, for which providers. The rules themselves are functions of
// auth (auth.Can, auth.CanSeeLearner, …).
type User struct {
	Username  string
	Role      Role
	Providers []string // provider codes; what a coordinator sees
	Disabled  bool
	// DisplayName is how pages name the person ("Sarah Peeters"), "" when
	// none was given; the user name stays the account's key (imports,
	// the audit trail, the command line).
	DisplayName string
	// Email is the person's e-mail address, "" when none was given: for a
	// later sign-in with the organisation's account, not used yet.
	Email string
}

// Shown is how a page names u: the display name, else the user name.
func (u *User) Shown() string {
	if u == nil {
		return ""
	}
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
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

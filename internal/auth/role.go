package auth

import (
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
)

// Role is what an account is for (spec/README.md, "Who uses it").
type Role string

// The four roles; their codes are stored, their Dutch labels shown.
const (
	RoleTeacher     Role = "teacher"
	RoleCounsellor  Role = "counsellor"
	RoleCoordinator Role = "coordinator"
	RoleAdmin       Role = "admin"
)

var roleLabels = map[Role]string{
	RoleTeacher:     "lesgever",
	RoleCounsellor:  "trajectbegeleider",
	RoleCoordinator: "coördinator",
	RoleAdmin:       "beheerder",
}

// Roles returns the four roles in order of reach.
func Roles() []Role { return []Role{RoleTeacher, RoleCounsellor, RoleCoordinator, RoleAdmin} }

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

// Label returns the Dutch name of r shown in the interface, or the code itself
// for an unknown role.
func (r Role) Label() string {
	if l, ok := roleLabels[r]; ok {
		return l
	}
	return string(r)
}

// ParseRole reads a role from its code or its Dutch label, case-insensitively.
func ParseRole(s string) (Role, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, r := range Roles() {
		if s == string(r) || s == r.Label() {
			return r, nil
		}
	}
	return "", domain.Errorf(domain.EINVALID, "unknown role %q: use teacher, counsellor, coordinator or admin", s)
}

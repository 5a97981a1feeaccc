package auth

import "github.com/traject-nt2/traject/internal/domain"

// Role is domain.Role.
//
// Deprecated: transitional alias until internal/server is moved over; do not use in new code.
type Role = domain.Role

// The roles, as domain names them.
//
// Deprecated: transitional aliases until internal/server is moved over; do not use in new code.
const (
	RoleTeacher     = domain.RoleTeacher
	RoleCounsellor  = domain.RoleCounsellor
	RoleCoordinator = domain.RoleCoordinator
	RoleAdmin       = domain.RoleAdmin
)

// Roles returns domain.Roles().
//
// Deprecated: transitional wrapper until internal/server is moved over; do not use in new code.
func Roles() []Role { return domain.Roles() }

// MaxUsernameLength is domain.MaxUsernameLength.
//
// Deprecated: transitional alias until internal/server is moved over; do not use in new code.
const MaxUsernameLength = domain.MaxUsernameLength

// ValidateUsername is domain.ValidateUsername.
//
// Deprecated: transitional wrapper until internal/server is moved over; do not use in new code.
func ValidateUsername(name string) error { return domain.ValidateUsername(name) }

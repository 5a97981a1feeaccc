package domain

import (
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/locale"
)

func TestValidateUsername(t *testing.T) {
	for _, ok := range []string{"an", "an.peeters", "c1", "An_Peeters-2", "an@cvo.be", strings.Repeat("a", 64)} {
		if err := ValidateUsername(ok); err != nil {
			t.Errorf("ValidateUsername(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"", " an", "an peeters", ".an", "-an", "an/b", "ån", strings.Repeat("a", 65)} {
		if err := ValidateUsername(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ValidateUsername(%q) = %v, want EINVALID", bad, err)
		}
	}
}

func TestParseRole(t *testing.T) {
	tests := []struct {
		in    string
		want  Role
		label string
	}{
		{"teacher", RoleTeacher, "lesgever"},
		{" Counsellor ", RoleCounsellor, "trajectbegeleider"},
		{"coordinator", RoleCoordinator, "coördinator"},
		{"coördinator", RoleCoordinator, "coördinator"},
		{"BEHEERDER", RoleAdmin, "beheerder"},
	}
	for _, tt := range tests {
		got, err := ParseRole(tt.in)
		if err != nil || got != tt.want || locale.T("nl", got.Key()) != tt.label {
			t.Errorf("ParseRole(%q) = %q (%q), %v; want %q (%q)", tt.in, got, locale.T("nl", got.Key()), err, tt.want, tt.label)
		}
	}
	if _, err := ParseRole("root"); ErrorCode(err) != EINVALID {
		t.Errorf("ParseRole(root) = %v, want EINVALID", err)
	}
	if Role("root").Valid() || Role("").Valid() {
		t.Error("an unknown role is valid")
	}
}

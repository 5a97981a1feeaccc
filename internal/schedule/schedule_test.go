package schedule

import (
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// TestScopedNames: a name with a '.' belongs to the provider before its
// last '.', so that a name taken in one provider's names (ScopedName) is
// always taken by one of that provider's schedules (issue 18).
func TestScopedNames(t *testing.T) {
	for _, tc := range []struct {
		name, provider string
		ok             bool
	}{
		{"maand", "", true},
		{"maand", "P1", true}, // made before, or on the command line
		{"P1.maand", "P1", true},
		{"CVO-ANT.maand", "CVO-ANT", true},
		{"CVO.A.maand", "CVO.A", true},
		{"P1.maand", "P2", false},
		{"P1.maand", "", false},
		{"CVO.A.maand", "CVO", false},
		{"P1.", "P1", false},
		{".maand", "", false},
		{"P1/x.maand", "P1/x", false},
	} {
		_, err := Validate(domain.Schedule{Name: tc.name, Provider: tc.provider, Cron: "0 6 1 * *", Period: "previous-month", OutDir: "/tmp/x"})
		if got := err == nil; got != tc.ok {
			t.Errorf("Validate(%q of %q) = %v, want ok %v", tc.name, tc.provider, err, tc.ok)
		}
	}
	if got := ScopedName("P1", "maand"); got != "P1.maand" {
		t.Errorf("ScopedName(P1, maand) = %q", got)
	}
	if got := ScopedName("", "maand"); got != "maand" {
		t.Errorf("ScopedName(all, maand) = %q", got)
	}
}

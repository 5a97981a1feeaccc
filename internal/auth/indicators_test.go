package auth

import (
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

func TestIndicatorProvider(t *testing.T) {
	k12 := &domain.User{Username: "k12", Role: domain.RoleCoordinator, Providers: []string{"P2", "P1"}}
	k0 := &domain.User{Username: "k0", Role: domain.RoleCoordinator}
	exists := func(code string) bool { return code == "P1" || code == "P2" || code == "P3" }
	tests := []struct {
		name       string
		u          *domain.User
		provider   string
		defaultOwn bool
		want       string
		wantCode   string // "" for no error
	}{
		{"admin, all providers", admin, "", true, "", ""},
		{"admin, any provider", admin, "P3", false, "P3", ""},
		{"admin, unknown provider", admin, "P9", false, "", domain.ENOTFOUND},
		{"coordinator, own", coordinator, "P1", false, "P1", ""},
		{"coordinator, another's", coordinator, "P2", false, "", domain.EFORBIDDEN},
		{"coordinator, none named, dashboard: their first", k12, "", true, "P2", ""},
		{"coordinator, none named, API: must name one", k12, "", false, "", domain.EFORBIDDEN},
		{"coordinator without providers", k0, "", true, "", domain.EFORBIDDEN},
		{"teacher", teacher, "P1", false, "", domain.EFORBIDDEN},
		{"counsellor", counsellor, "", true, "", domain.EFORBIDDEN},
	}
	for _, tt := range tests {
		got, err := IndicatorProvider(tt.u, tt.provider, exists, tt.defaultOwn)
		if code := domain.ErrorCode(err); err != nil && code != tt.wantCode || err == nil && tt.wantCode != "" {
			t.Errorf("%s: error %v, want code %q", tt.name, err, tt.wantCode)
			continue
		}
		if got != tt.want {
			t.Errorf("%s: provider %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestMaySeeExactAndUseProvider(t *testing.T) {
	tests := []struct {
		name             string
		u                *domain.User
		provider         string
		exact, useWanted bool
	}{
		{"admin, all", admin, "", true, true},
		{"admin, one", admin, "P2", true, true},
		{"coordinator, own", coordinator, "P1", true, true},
		{"coordinator, another's", coordinator, "P2", false, false},
		{"coordinator, all", coordinator, "", false, false},
		{"teacher", teacher, "P1", false, false},
	}
	for _, tt := range tests {
		if got := MaySeeExact(tt.u, tt.provider); got != tt.exact {
			t.Errorf("%s: MaySeeExact = %v, want %v", tt.name, got, tt.exact)
		}
		if got := MayUseProvider(tt.u, tt.provider); got != tt.useWanted {
			t.Errorf("%s: MayUseProvider = %v, want %v", tt.name, got, tt.useWanted)
		}
	}
}

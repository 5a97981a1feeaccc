package auth

import (
	"maps"
	"slices"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

func TestCaseVisibility(t *testing.T) {
	links := map[string][]string{"L1": {"P1"}, "L2": {"P2"}, "L3": {"P1", "P2"}} // L4: linked to none
	learners := []string{"L1", "L2", "L3", "L4", "L1"}                           // a learner may have several cases
	none := map[string]bool{"L1": false, "L2": false, "L3": false, "L4": false}
	tests := []struct {
		name  string
		user  *domain.User
		want  map[string]bool
		asked bool // whether the links are asked for
	}{
		{"admin sees everyone", admin, map[string]bool{"L1": true, "L2": true, "L3": true, "L4": true}, false},
		{"coordinator sees their providers' learners", coordinator, map[string]bool{"L1": true, "L2": false, "L3": true, "L4": false}, true},
		{"coordinator of two providers", &domain.User{Username: "k12", Role: domain.RoleCoordinator, Providers: []string{"P2", "P1"}},
			map[string]bool{"L1": true, "L2": true, "L3": true, "L4": false}, true},
		{"coordinator without providers", &domain.User{Username: "k0", Role: domain.RoleCoordinator}, none, true},
		// Cases name no groups or counsellors: teachers and counsellors see no one,
		// not even their own learners.
		{"teacher", teacher, none, true},
		{"counsellor", counsellor, none, true},
		{"disabled admin", &domain.User{Username: "a2", Role: domain.RoleAdmin, Disabled: true}, none, false},
		{"disabled coordinator", &domain.User{Username: "k9", Role: domain.RoleCoordinator, Providers: []string{"P1"}, Disabled: true}, none, true},
		{"no user", nil, none, false},
	}
	for _, tt := range tests {
		var asked map[string]bool
		got := CaseVisibility(tt.user, learners, func(ids map[string]bool) map[string][]string {
			asked = ids
			out := map[string][]string{}
			for id := range ids {
				if ps, ok := links[id]; ok {
					out[id] = ps
				}
			}
			return out
		})
		if !maps.Equal(got, tt.want) {
			t.Errorf("%s: CaseVisibility = %v, want %v", tt.name, got, tt.want)
		}
		if (asked != nil) != tt.asked {
			t.Errorf("%s: links asked = %v, want %v", tt.name, asked != nil, tt.asked)
		}
		if asked != nil {
			ids := slices.Sorted(maps.Keys(asked))
			if want := []string{"L1", "L2", "L3", "L4"}; !slices.Equal(ids, want) {
				t.Errorf("%s: links asked for %v, want %v", tt.name, ids, want)
			}
		}
	}
	if got := CaseVisibility(admin, nil, nil); len(got) != 0 {
		t.Errorf("CaseVisibility of no cases = %v, want empty", got)
	}
}

func TestCanSeeResponse(t *testing.T) {
	for _, tc := range []struct {
		u    *domain.User
		prov string
		want bool
	}{
		{nil, "CVO-A", false},
		{&domain.User{Username: "a", Role: domain.RoleAdmin}, "CVO-A", true},
		{&domain.User{Username: "a", Role: domain.RoleAdmin}, "", true},
		{&domain.User{Username: "k", Role: domain.RoleCoordinator, Providers: []string{"CVO-A"}}, "CVO-A", true},
		{&domain.User{Username: "k", Role: domain.RoleCoordinator, Providers: []string{"CVO-A"}}, "CBE-A", false},
		{&domain.User{Username: "k", Role: domain.RoleCoordinator, Providers: []string{"CVO-A"}}, "", false},
		{&domain.User{Username: "k", Role: domain.RoleCoordinator, Providers: []string{"CVO-A"}, Disabled: true}, "CVO-A", false},
		{&domain.User{Username: "c", Role: domain.RoleCounsellor, Providers: []string{"CVO-A"}}, "CVO-A", false},
		{&domain.User{Username: "t", Role: domain.RoleTeacher, Providers: []string{"CVO-A"}}, "CVO-A", false},
	} {
		if got := CanSeeResponse(tc.u, tc.prov); got != tc.want {
			t.Errorf("CanSeeResponse(%+v, %q) = %v, want %v", tc.u, tc.prov, got, tc.want)
		}
	}
}

package domain

import (
	"reflect"
	"testing"
)

// linkData links each learner to providers through one kind of record:
// L1 a referral to P1, L2 a placement into M2 (P2), L3 an enrollment in G1
// (M1, P1), L4 an outflow from P2, L5 all four (P1 and P2), L6 none (a
// referral and an outflow without provider), L7 an enrollment in a group of
// an unknown module.
var linkData = &DataSet{
	Modules:     []Module{{Code: "M1", Provider: "P1"}, {Code: "M2", Provider: "P2"}},
	Groups:      []Group{{Code: "G1", Module: "M1"}, {Code: "G2", Module: "M2"}, {Code: "G9", Module: "M9"}},
	Referrals:   []Referral{{Learner: "L1", Provider: "P1"}, {Learner: "L5", Provider: "P2"}, {Learner: "L6"}},
	Placements:  []Placement{{Learner: "L2", Module: "M2"}, {Learner: "L5", Module: "M1"}},
	Enrollments: []Enrollment{{Learner: "L3", Group: "G1"}, {Learner: "L5", Group: "G2"}, {Learner: "L7", Group: "G9"}},
	Outflows:    []Outflow{{Learner: "L4", Provider: "P2"}, {Learner: "L5", Provider: "P1"}, {Learner: "L6"}},
}

func TestLearnerProviders(t *testing.T) {
	want := map[string][]string{"L1": {"P1"}, "L2": {"P2"}, "L3": {"P1"}, "L4": {"P2"}, "L5": {"P1", "P2"}}
	if got := linkData.LearnerProviders(); !reflect.DeepEqual(got, want) {
		t.Errorf("LearnerProviders() = %v, want %v", got, want)
	}
	pl := NewProviderLinks(linkData)
	got := pl.LearnerProviders(linkData, map[string]bool{"L2": true, "L5": true, "L6": true})
	if want := map[string][]string{"L2": {"P2"}, "L5": {"P1", "P2"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("LearnerProviders(L2, L5, L6) = %v, want %v", got, want)
	}
	if g, m := pl.Group["G2"], pl.Module["M1"]; g != "P2" || m != "P1" {
		t.Errorf("Group[G2] = %q, Module[M1] = %q; want P2, P1", g, m)
	}
}

func TestLinkedTo(t *testing.T) {
	pl := NewProviderLinks(linkData)
	for _, tt := range []struct {
		provider string
		want     map[string]bool
	}{
		{"P1", map[string]bool{"L1": true, "L3": true, "L5": true}},
		{"P2", map[string]bool{"L2": true, "L4": true, "L5": true}},
		{"P3", map[string]bool{}},
		{"", map[string]bool{}}, // a record without provider links to nobody
	} {
		if got := pl.LinkedTo(linkData, tt.provider); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("LinkedTo(%q) = %v, want %v", tt.provider, got, tt.want)
		}
	}
	// ForProvider keeps exactly the linked learners.
	ds := *linkData
	for _, id := range []string{"L1", "L2", "L3", "L4", "L5", "L6", "L7"} {
		ds.Learners = append(ds.Learners, Learner{ID: id})
	}
	var got []string
	for _, l := range ds.ForProvider("P2").Learners {
		got = append(got, l.ID)
	}
	if want := []string{"L2", "L4", "L5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ForProvider(P2) learners = %v, want %v", got, want)
	}
}

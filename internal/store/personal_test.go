package store

import "testing"

func TestIsPseudonym(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"ANON-0123456789AB", true},
		{"ANON-ZZZZZZZZZZZZ", true},
		{"ANON-0123456789A", false},   // too short
		{"ANON-0123456789ABC", false}, // too long
		{"ANON-0123456789ab", false},  // lower case
		{"ANON-01234567-9AB", false},
		{"anon-0123456789AB", false},
		{"L-AERTS", false},
		{"", false},
	} {
		if got := IsPseudonym(tt.s); got != tt.want {
			t.Errorf("IsPseudonym(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
	for range 20 {
		p, err := newPseudonym()
		if err != nil {
			t.Fatal(err)
		}
		if !IsPseudonym(p) {
			t.Fatalf("IsPseudonym(%q) = false for a new pseudonym", p)
		}
	}
}

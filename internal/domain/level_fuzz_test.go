package domain

import (
	"strings"
	"testing"
)

// FuzzParseLevel checks ParseLevel on any input: it never panics, blank is
// NoLevel, a parsed level is on the ladder and reads back from its code in
// any case and with spaces around it, and anything else is an error that
// names the ladder (spec/domain.md, "The CEFR ladder").
func FuzzParseLevel(f *testing.F) {
	for _, seed := range []string{"A0", "pre-A1", "Pre-a1", "A1.1", "a1.2", "A2.2", " b1 ", "C2", "c2.2",
		"B3", "", "   ", "A1.1.1", "A", "\xff", "ä", "A1\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLevel(s)
		if strings.TrimSpace(s) == "" {
			if l != NoLevel || err != nil {
				t.Fatalf("ParseLevel(%q) = %v, %v; want NoLevel, nil", s, l, err)
			}
			return
		}
		if err != nil {
			if l != NoLevel || !strings.Contains(err.Error(), "is not a CEFR level (A0, A1.1, A1, … C2)") {
				t.Fatalf("ParseLevel(%q) = %v, %v", s, l, err)
			}
			return
		}
		if !l.Valid() {
			t.Fatalf("ParseLevel(%q) = %d, not on the ladder", s, l)
		}
		for _, again := range []string{l.String(), strings.ToLower(l.String()), " " + s + "\t", strings.ToUpper(s)} {
			if got, err := ParseLevel(again); got != l || err != nil {
				t.Fatalf("ParseLevel(%q) = %v, %v; want %v as for %q", again, got, err, l, s)
			}
		}
	})
}

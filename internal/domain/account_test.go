package domain

import (
	"strings"
	"testing"
)

// TestCheckAccountProfile: a display name on one line of at most 200
// characters, an e-mail address empty or plain; one rule, one key.
func TestCheckAccountProfile(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, email, want string
	}{
		{"Sarah Peeters", "sarah.peeters@cvo-antwerpen.be", ""},
		{"", "", ""},
		{"Zoë D'hondt-Van Acker", "z.dhondt@cvo.vlaanderen", ""},
		{strings.Repeat("é", MaxNameLength), "", ""},
		{strings.Repeat("é", MaxNameLength+1), "", "display_name:rule.toolong"},
		{"Sarah\nPeeters", "", "display_name:rule.oneline"},
		{"Sarah\tPeeters", "", "display_name:rule.oneline"},
		{"", "sarah", "email:rule.email"},
		{"", "sarah@cvo", "email:rule.email"},
		{"", "sarah peeters@cvo.be", "email:rule.email"},
		{"", "@cvo.be", "email:rule.email"},
		{"", "sarah@@cvo.be", "email:rule.email"},
		{"", "sarah@cvo..be", "email:rule.email"},
		{"", "sarah.@cvo.be", "email:rule.email"},
		{"", "<sarah@cvo.be>", "email:rule.email"},
		{"", strings.Repeat("a", 65) + "@cvo.be", "email:rule.email"},
		{"A\x00", "x@y", "display_name:rule.oneline email:rule.email"},
	} {
		if got := keys(CheckAccountProfile(tc.name, tc.email)); got != tc.want {
			t.Errorf("CheckAccountProfile(%q, %q) = %q, want %q", tc.name, tc.email, got, tc.want)
		}
	}
	if n, e := CleanAccountProfile("  Sarah   Peeters ", " s@cvo.be "); n != "Sarah Peeters" || e != "s@cvo.be" {
		t.Errorf("CleanAccountProfile = %q, %q", n, e)
	}
}

package api

import "testing"

func TestDetailLang(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ header, want string }{
		{"", "nl"},
		{"en", "en"},
		{"en-GB,en;q=0.9", "en"},
		{"NL-be", "nl"},
		{"fr-BE, en;q=0.5, nl;q=0.8", "nl"}, // French is not a language of the interface
		{"fr, de", "nl"},
		{"nl;q=0.2, en;q=0.7", "en"},
		{"en;q=0, nl", "nl"},
		{"en;q=zero", "nl"}, // a broken weight counts for nothing
		{"*", "nl"},
	} {
		if got := detailLang(tc.header); got != tc.want {
			t.Errorf("detailLang(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

package locale

import (
	"regexp"
	"slices"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// verbs finds the fmt verbs of a text, in order.
var verbs = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestCataloguesMatch checks that every key has a text in both languages
// with the same fmt verbs in the same order, so that a translation can never
// print %!d(MISSING) or drop a number.
func TestCataloguesMatch(t *testing.T) {
	nl, en := catalogue["nl"], catalogue["en"]
	for _, key := range sortedKeys(nl) {
		e, ok := en[key]
		if !ok {
			t.Errorf("%q: no English text", key)
			continue
		}
		if got, want := verbs.FindAllString(e, -1), verbs.FindAllString(nl[key], -1); !slices.Equal(got, want) {
			t.Errorf("%q: English verbs %q, Dutch %q", key, got, want)
		}
	}
	for _, key := range sortedKeys(en) {
		if _, ok := nl[key]; !ok && !isEnglishOnly(key) {
			t.Errorf("%q: in en.json but has no Dutch text", key)
		}
	}
}

// isEnglishOnly reports whether key is an English label whose Dutch comes
// from domain (code lists and skills).
func isEnglishOnly(key string) bool {
	return regexp.MustCompile(`^(code\.[a-z ]+/[a-z_0-9]+|skill\.[a-z_]+)$`).MatchString(key)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestEnglishCodeLabelsNameRealCodes(t *testing.T) {
	for _, key := range sortedKeys(catalogue["en"]) {
		m := regexp.MustCompile(`^code\.([a-z ]+)/([a-z_0-9]+)$`).FindStringSubmatch(key)
		if m == nil {
			continue
		}
		if l := codeLists[m[1]]; l == nil || !l.Has(m[2]) {
			t.Errorf("%q: no code %q in a list %q", key, m[2], m[1])
		}
	}
}

func TestTranslate(t *testing.T) {
	tests := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"nl", "logout", nil, "Afmelden"},
		{"en", "logout", nil, "Sign out"},
		{"fr", "logout", nil, "Afmelden"},
		{"en", "no.such.key", nil, "no.such.key"},
		{"nl", "qual.total", []any{3, "2026-01-01"}, "3 bevindingen op 2026-01-01"},
	}
	for _, tt := range tests {
		if got := T(tt.lang, tt.key, tt.args...); got != tt.want {
			t.Errorf("T(%q, %q) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
	if got, want := Code("nl", domain.Decisions.Name, "pass"), domain.Decisions.Label("pass"); got != want {
		t.Errorf("Code(nl, decision, pass) = %q, want %q", got, want)
	}
	if got, want := Code("en", domain.ReferralSources.Name, "hvn"), "Huis van het Nederlands"; got != want {
		t.Errorf("Code(en, referral source, hvn) = %q, want %q", got, want)
	}
	if got, want := Code("en", domain.Decisions.Name, "nope"), "nope"; got != want {
		t.Errorf("Code of an unknown code = %q, want %q", got, want)
	}
	if got, want := Skill("en", domain.SpokenInteraction), "spoken interaction"; got != want {
		t.Errorf("Skill(en) = %q, want %q", got, want)
	}
	if got, want := Skill("nl", domain.Reading), "lezen"; got != want {
		t.Errorf("Skill(nl) = %q, want %q", got, want)
	}
}

package locale

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// verbs finds the fmt verbs of a text, in order.
var verbs = regexp.MustCompile(`%(\[[0-9]+\])?[-+# 0-9.]*[a-zA-Z%]`)

// text is the text of key in lang's file, or a plural's "other" form.
func text(lang, key string) string {
	f := Forms(lang, key)
	if s, ok := f["other"]; ok {
		return s
	}
	return f[""]
}

// TestLanguagesAgree checks every file against Dutch: the same fmt verbs in
// the same order in every text of a key (every plural form too), so that a
// translation can never print %!d(MISSING) or drop a number; no key Dutch
// lacks; and whole families only.
func TestLanguagesAgree(t *testing.T) {
	for _, lang := range Languages {
		have := map[string]bool{} // families lang has
		for _, key := range Keys(lang) {
			if !Defined(Default, key) {
				t.Errorf("%s.json: %q is not in %s.json", lang, key, Default)
				continue
			}
			have[family(key)] = true
			// a plain text, or a plural's "other" form, has the verbs of
			// Dutch; a plural's other forms may leave the count out
			want := verbs.FindAllString(text(Default, key), -1)
			if got := verbs.FindAllString(text(lang, key), -1); !slices.Equal(got, want) {
				t.Errorf("%s.json: %q has verbs %q, %s.json %q", lang, key, got, Default, want)
			}
			for form, s := range Forms(lang, key) {
				if got := verbs.FindAllString(s, -1); len(got) > 0 && !slices.Equal(got, want) {
					t.Errorf("%s.json: %q form %q has verbs %q, want none or %q", lang, key, form, got, want)
				}
			}
		}
		for _, key := range Missing(lang) {
			if have[family(key)] {
				t.Errorf("%s.json has keys of %q but lacks %q: a language holds a family whole", lang, family(key), key)
			}
		}
	}
	for _, lang := range []string{"nl", "en"} {
		if !slices.Contains(Interface, lang) {
			t.Errorf("%s is not complete: lacks %q", lang, Missing(lang))
		}
	}
}

// TestPluralFormsAgree: every plural form of a key has the same verbs, and a
// key is a plural in every language or in none.
func TestPluralFormsAgree(t *testing.T) {
	for _, key := range Keys(Default) {
		nlPlural := len(Forms(Default, key)["other"]) > 0
		for _, lang := range Languages {
			f := Forms(lang, key)
			if f == nil {
				continue
			}
			if _, plural := f["other"]; plural != nlPlural {
				t.Errorf("%s.json: %q is a plural in one language and not in the other", lang, key)
			}
		}
	}
}

func family(key string) string {
	f, _, _ := strings.Cut(key, ".")
	return f
}

func TestFallback(t *testing.T) {
	defer func(c map[string]map[string]entry) { catalogue = c }(catalogue)
	catalogue = map[string]map[string]entry{
		"nl": {"a": {text: "nl a"}, "b": {text: "nl b %d"}},
		"xx": {"a": {text: "xx a"}},
	}
	for _, tc := range []struct{ lang, key, want string }{
		{"xx", "a", "xx a"},          // the requested language
		{"xx", "b", "nl b 7"},        // then Dutch
		{"yy", "a", "nl a"},          // a language without a file: Dutch
		{"xx", "no.such", "no.such"}, // then the key
	} {
		var args []any
		if tc.key == "b" {
			args = []any{7}
		}
		if got := T(tc.lang, tc.key, args...); got != tc.want {
			t.Errorf("T(%q, %q) = %q, want %q", tc.lang, tc.key, got, tc.want)
		}
		if got := New(tc.key, args...).In(tc.lang); got != tc.want {
			t.Errorf("New(%q).In(%q) = %q, want %q", tc.key, tc.lang, got, tc.want)
		}
	}
}

func TestPlural(t *testing.T) {
	defer func(c map[string]map[string]entry) { catalogue = c }(catalogue)
	m, err := parse([]byte(`{"n": {"=0": "geen rijen", "one": "%d rij", "other": "%d rijen"}, "m": {"one": "één", "other": "%[1]d"}}`))
	if err != nil {
		t.Fatal(err)
	}
	catalogue = map[string]map[string]entry{"nl": m}
	for _, tc := range []struct {
		key  string
		n    any
		want string
	}{{"n", 0, "geen rijen"}, {"n", 1, "1 rij"}, {"n", 2, "2 rijen"}, {"n", int64(1), "1 rij"},
		{"m", 0, "0"}, {"m", 1, "één"}, {"m", 5, "5"}} {
		if got := T("nl", tc.key, tc.n); got != tc.want {
			t.Errorf("T(%q, %v) = %q, want %q", tc.key, tc.n, got, tc.want)
		}
	}
	for _, bad := range []string{`{"k": {"one": "x"}}`, `{"k": {"few": "x", "other": "y"}}`, `{"k": 3}`} {
		if _, err := parse([]byte(bad)); err == nil {
			t.Errorf("parse(%s): no error", bad)
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
	if got, want := Code("en", "referral source", "hvn"), "Huis van het Nederlands"; got != want {
		t.Errorf("Code(en, referral source, hvn) = %q, want %q", got, want)
	}
	if got, want := Code("en", "decision", "nope"), "nope"; got != want {
		t.Errorf("Code of an unknown code = %q, want %q", got, want)
	}
	if got, want := CodeKey("follow-up status", "work_and_education"), "code.follow_up_status.work_and_education"; got != want {
		t.Errorf("CodeKey = %q, want %q", got, want)
	}
}

func TestTextIn(t *testing.T) {
	m := New("rule.notcode", "O", New("list.gender"), "f, m, x")
	if got := m.In("en"); got != `"O" is not a gender (f, m, x)` {
		t.Errorf("en: %s", got)
	}
	if got := m.In("nl"); got != `"O" is geen geldige waarde voor geslacht (f, m, x)` {
		t.Errorf("nl: %s", got)
	}
	if got := m.In("xx"); got != m.In("nl") {
		t.Errorf("a language without a file: %s, want Dutch", got)
	}
	if got := Join([]Text{New("list.gender"), New("list.decision")}).In("en"); got != "gender; decision" {
		t.Errorf("Join: %s", got)
	}
	var e error = Errorf("parse.date", "31/02/1991")
	if e.Error() != `"31/02/1991" is not a date (YYYY-MM-DD or DD/MM/YYYY)` {
		t.Errorf("Error(): %s", e)
	}
	args := []any{New("list.gender")}
	T("nl", "rule.requiredof", args...)
	if _, ok := args[0].(Text); !ok {
		t.Errorf("T changed its caller's arguments: %v", args)
	}
}

// TestNumberGroupsThousands: counts in limits read as each language writes them.
func TestNumberGroupsThousands(t *testing.T) {
	for _, tc := range []struct {
		n      Number
		nl, en string
	}{{0, "0", "0"}, {999, "999", "999"}, {1000, "1.000", "1,000"}, {200_000, "200.000", "200,000"},
		{1_048_576, "1.048.576", "1,048,576"}, {-32767, "-32.767", "-32,767"}} {
		if got := tc.n.In("nl"); got != tc.nl {
			t.Errorf("Number(%d).In(nl) = %q, want %q", tc.n, got, tc.nl)
		}
		if got := tc.n.In("en"); got != tc.en {
			t.Errorf("Number(%d).In(en) = %q, want %q", tc.n, got, tc.en)
		}
	}
}

// TestDecimal checks that a decimal is written with the reader's decimal
// mark, to at most two decimals, and without one for a whole number.
func TestDecimal(t *testing.T) {
	for _, tt := range []struct {
		v      float64
		nl, en string
	}{{12.5, "12,5", "12.5"}, {130, "130", "130"}, {0.25, "0,25", "0.25"}, {8.333, "8,33", "8.33"},
		{22186.5, "22.186,5", "22,186.5"}, {1000, "1.000", "1,000"}, {-1234.567, "-1.234,57", "-1,234.57"}, {-0.001, "0", "0"}} {
		if got := Decimal(tt.v).In("nl"); got != tt.nl {
			t.Errorf("%v in Dutch: %q, want %q", tt.v, got, tt.nl)
		}
		if got := Decimal(tt.v).In("en"); got != tt.en {
			t.Errorf("%v in English: %q, want %q", tt.v, got, tt.en)
		}
	}
	if got := New("rule.registerhours", "L1", "G1", Decimal(12.5)).In("nl"); !strings.Contains(got, "12,5") {
		t.Errorf("a message with a decimal in Dutch: %q", got)
	}
}

// TestFloat is the one number format of the pages (issue 20): the
// thousands grouped, the decimal mark of the language, a fixed number of
// decimals or as many as needed.
func TestFloat(t *testing.T) {
	for _, tt := range []struct {
		v        float64
		decimals int
		nl, en   string
	}{
		{22186.5, -1, "22.186,5", "22,186.5"},
		{29993, 0, "29.993", "29,993"},
		{88.64, 1, "88,6", "88.6"},
		{1234567.891, 2, "1.234.567,89", "1,234,567.89"},
		{999.95, 1, "1.000,0", "1,000.0"},
		{0.125, -1, "0,125", "0.125"},
		{-35.04, 1, "-35,0", "-35.0"},
		{-0.04, 1, "0,0", "0.0"},
		{100, -2, "100", "100"},
		{0, 1, "0,0", "0.0"},
	} {
		if got := Float("nl", tt.v, tt.decimals); got != tt.nl {
			t.Errorf("Float(nl, %v, %d) = %q, want %q", tt.v, tt.decimals, got, tt.nl)
		}
		if got := Float("en", tt.v, tt.decimals); got != tt.en {
			t.Errorf("Float(en, %v, %d) = %q, want %q", tt.v, tt.decimals, got, tt.en)
		}
	}
	// A form's value is read back: no thousands separator.
	if got := Plain("nl", 1234.5); got != "1234,5" {
		t.Errorf("Plain(nl, 1234.5) = %q, want 1234,5", got)
	}
	if got := List([]Text{New("skill.listening"), New("skill.reading")}).In("nl"); got != "luisteren, lezen" {
		t.Errorf("a list of skills in Dutch: %q", got)
	}
}

// BenchmarkCode is a code label as a workbook's case sheet looks it up,
// once per cell.
func BenchmarkCode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Code("nl", "outflow reason", "work")
		_ = Code("en", "learning_route", "r2")
	}
}

package msg

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var verbRE = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestCatalogueIsComplete: every message has an English and a Dutch text
// with the same verbs in the same order.
func TestCatalogueIsComplete(t *testing.T) {
	keys := Keys()
	slices.Sort(keys)
	for _, k := range keys {
		f := Formats(k)
		if f["en"] == "" || f["nl"] == "" {
			t.Errorf("%s: want an English and a Dutch text, have %v", k, f)
			continue
		}
		if en, nl := verbRE.FindAllString(f["en"], -1), verbRE.FindAllString(f["nl"], -1); !slices.Equal(en, nl) {
			t.Errorf("%s: verbs %v in English, %v in Dutch", k, en, nl)
		}
	}
}

var keyRE = regexp.MustCompile(`(?:msg\.New|msg\.Errorf|Invalid)\("([^"]+)"|\badd\([^,()]+, "([a-z]+\.[a-z0-9.]+)"`)

// TestEveryKeyUsedIsInTheCatalogue scans the code for message keys.
func TestEveryKeyUsedIsInTheCatalogue(t *testing.T) {
	n := 0
	for _, dir := range []string{"../domain", "../interchange", "../store"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
				key := m[1] + m[2]
				if strings.HasSuffix(key, ".") {
					continue // "list."+name: domain's TestCodeListsHaveMessages
				}
				n++
				if !Has(key) {
					t.Errorf("%s uses %q, which the catalogue lacks", f, key)
				}
			}
		}
	}
	if n < 70 {
		t.Errorf("found %d uses of message keys; the scan misses them", n)
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
	if got := m.In("fr"); got != m.In("en") {
		t.Errorf("another language: %s", got)
	}
	if got := New("no.such.key", 1).In("nl"); !strings.Contains(got, "no.such.key") {
		t.Errorf("unknown key: %s", got)
	}
	var e error = Errorf("parse.date", "31/02/1991")
	if e.Error() != `"31/02/1991" is not a date (YYYY-MM-DD or DD/MM/YYYY)` {
		t.Errorf("Error(): %s", e)
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

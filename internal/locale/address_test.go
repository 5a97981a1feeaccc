package locale_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"testing"
)

// formalAddress finds the formal "u" and "uw" of Dutch as whole words.
var formalAddress = regexp.MustCompile(`\b(u|uw|U|Uw|UW)\b`)

// addressAllowed are texts of the Dutch catalogue that hold such a word and
// are no form of address (none today; a unit "u" for hours would be one).
var addressAllowed = []string{}

// TestDutchSaysJe: the interface speaks to everyone with "je", as Flemish
// plain-language guidance does for adult learners (issue 20, language): no
// text of the Dutch catalogue, a form of a plural included, says "u" or "uw".
func TestDutchSaysJe(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("translations/nl.json")
	if err != nil {
		t.Fatal(err)
	}
	var cat map[string]json.RawMessage
	if err := json.Unmarshal(b, &cat); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(cat))
	for k := range cat {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		var texts []string
		var one string
		if json.Unmarshal(cat[k], &one) == nil {
			texts = []string{one}
		} else {
			var forms map[string]string
			if err := json.Unmarshal(cat[k], &forms); err != nil {
				t.Fatalf("%s: %v", k, err)
			}
			for _, f := range forms {
				texts = append(texts, f)
			}
			slices.Sort(texts)
		}
		for _, s := range texts {
			if w := formalAddress.FindString(s); w != "" && !slices.Contains(addressAllowed, s) {
				t.Errorf("%s says %q, not je/jouw: %q", k, w, s)
			}
		}
	}
}

// TestFormalAddressFound: the check finds the forms it looks for and
// leaves words that merely hold the letters alone.
func TestFormalAddressFound(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"Dank u wel.": true, "Uw antwoord is bewaard.": true, "Bent u tevreden?": true, "Wat u verstuurde": true,
		"Dank je wel.": false, "uur": false, "traject.uwcvo.be": false, "Ruw bestand": false, "menu": false,
	} {
		if got := formalAddress.MatchString(s); got != want {
			t.Errorf("formalAddress.MatchString(%q) = %v, want %v", s, got, want)
		}
	}
}

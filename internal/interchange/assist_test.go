package interchange

import (
	"path/filepath"
	"reflect"
	"testing"
)

// TestProposeOnTheShippedExamples: the assistant proposes the entity, the
// columns whose header is a known synonym, the date format and the value
// mappings of the three example files.
func TestProposeOnTheShippedExamples(t *testing.T) {
	for _, tc := range []struct {
		file, entity, dateFormat string
		skip                     int
		columns                  map[string]string
		values                   map[string]map[string]string
	}{
		{"Cursisten-2026-03.csv", "learners", "D/M/YYYY", 0,
			map[string]string{"id": "Stamnummer", "first_name": "Voornaam", "last_name": "Familienaam", "birth_date": "Geboortedatum",
				"gender": "Geslacht (M/V)", "home_language": "Thuistaal", "country_of_birth": "Geboorteland", "schooling_level": "Scholing",
				"schooling_years": "Jaren onderwijs", "literacy": "Alfabetisering", "learning_route": "Leerroute",
				"civic_status": "Inburgering", "counsellor": "Trajectbegeleider"},
			map[string]map[string]string{"gender": {"M": "m", "V": "f"}, "learning_route": {"Standaard": "standard", "Traag": "slow", "Snel": "fast"}}},
		{"Aanmeldingen-2026-03.csv", "referrals", "DD.MM.YYYY", 2,
			map[string]string{"learner": "Dossiernummer", "date": "Datum aanmelding", "source": "Doorverwezen door", "provider": "Aanbieder"},
			map[string]map[string]string{"source": {"VDAB": "vdab", "Zelf": "self"}}},
		{"Evaluaties-2026-03.csv", "evaluations", "DD/MM/YYYY", 1,
			map[string]string{"learner": "Stamnummer", "date": "Toetsdatum", "listening": "Luisteren", "reading": "Lezen",
				"spoken_interaction": "Gesprekken", "spoken_production": "Spreken", "writing": "Schrijven", "evaluator": "Afgenomen door"},
			map[string]map[string]string{"spoken_interaction": {"niet getest": ""}, "reading": {"Niet getest": ""}}},
	} {
		s, err := SampleFile(filepath.Join(profileDir, "export", tc.file), tc.file)
		if err != nil {
			t.Fatal(err)
		}
		p := Propose(s, "")
		e := p.Entry
		if e.Entity != tc.entity || e.DateFormat != tc.dateFormat || e.SkipRows != tc.skip {
			t.Errorf("%s: entity %s, date format %q, skip %d; want %s, %q, %d", tc.file, e.Entity, e.DateFormat, e.SkipRows, tc.entity, tc.dateFormat, tc.skip)
		}
		for f, h := range tc.columns {
			if e.Columns[f] != h {
				t.Errorf("%s: %s read from %q, want %q", tc.file, f, e.Columns[f], h)
			}
		}
		for f, m := range tc.values {
			for from, to := range m {
				if got, ok := e.Values[f][from]; !ok || got != to {
					t.Errorf("%s: %s value %q proposed as %q (%v), want %q", tc.file, f, from, got, ok, to)
				}
			}
		}
		if !e.Matches(tc.file) || e.Matches("other.csv") {
			t.Errorf("%s: pattern %q", tc.file, e.Match)
		}
		if problems := (&Profile{Name: "p", Files: []ProfileFile{e}}).Check(); len(problems) > 0 {
			t.Errorf("%s: the proposal is no valid profile: %v", tc.file, problems)
		}
	}
}

func TestSampleRecognisesItsProfile(t *testing.T) {
	p := readTestProfile(t)
	s, err := SampleFile(filepath.Join(profileDir, "export", "Aanmeldingen-2026-03.csv"), "Aanmeldingen-2026-04.csv")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := range p.Files {
		if s.Recognises(&p.Files[i]) {
			got = append(got, p.Files[i].Match)
		}
	}
	if len(got) != 1 || got[0] != "Aanmeldingen*.csv" {
		t.Errorf("recognised by %v, want the Aanmeldingen entry", got)
	}
}

// TestExamplesAreTheShippedProfiles: the profiles the assistant offers are
// those of testdata/profiles, and each reads its example export.
func TestExamplesAreTheShippedProfiles(t *testing.T) {
	ex := Examples()
	if len(ex) != 1 || ex[0].Name != "centrumsoftware" {
		t.Fatalf("examples %v", ex)
	}
	want := readTestProfile(t)
	if !reflect.DeepEqual(ex[0], want) {
		t.Errorf("internal/interchange/examples/centrumsoftware.json differs from testdata/profiles/centrum/profile.json")
	}
	s, err := SampleFile(filepath.Join(profileDir, "export", "Evaluaties-2026-03.csv"), "evaluaties-april.csv")
	if err != nil {
		t.Fatal(err)
	}
	fits := 0
	for i := range ex[0].Files {
		if s.Fits(&ex[0].Files[i]) {
			fits++
			if ex[0].Files[i].Entity != "evaluations" {
				t.Errorf("the evaluation sheet fits the %s entry", ex[0].Files[i].Entity)
			}
		}
	}
	if fits != 1 {
		t.Errorf("the evaluation sheet fits %d entries, want 1", fits)
	}
}

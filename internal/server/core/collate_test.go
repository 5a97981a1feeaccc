package core

import (
	"bytes"
	"slices"
	"testing"
)

// TestCollationDutch checks that names sort as a Dutch reader expects:
// accented initials with their letter, "IJ" with the I's, a Flemish
// particle ("de Smet", "Van den Broeck") under its own letter, case only
// breaking ties, and byte order nowhere.
func TestCollationDutch(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		in   []string
		want []string
	}{
		{"accents with their letter", []string{"Zeger", "Özdemir", "Çetin", "Aerts"},
			[]string{"Aerts", "Çetin", "Özdemir", "Zeger"}},
		{"the issue's names", []string{"Zeger", "IJzerman", "de Smet", "Özdemir", "Aerts", "Çetin", "Janssens"},
			[]string{"Aerts", "Çetin", "de Smet", "IJzerman", "Janssens", "Özdemir", "Zeger"}},
		{"case breaks ties only", []string{"De Smet", "de Smet", "Dewitte", "de Vos"},
			[]string{"de Smet", "De Smet", "de Vos", "Dewitte"}},
		{"particles under their own letter", []string{"Vandenberghe", "Van den Broeck", "van Acker", "Verbeke"},
			[]string{"van Acker", "Van den Broeck", "Vandenberghe", "Verbeke"}},
		{"accents inside a name", []string{"Hélène", "Helena", "Hendrik", "Heleen"},
			[]string{"Heleen", "Helena", "Hélène", "Hendrik"}},
		{"other scripts' letters", []string{"Sabri", "Schmidt", "Şahin", "Šabić"},
			[]string{"Šabić", "Sabri", "Şahin", "Schmidt"}},
	} {
		got := slices.Clone(tt.in)
		SortStrings(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestSortByName checks that people sort by last name, then first name,
// then id.
func TestSortByName(t *testing.T) {
	t.Parallel()
	type person struct{ id, first, last string }
	ps := []person{{"3", "Zeynep", "Özdemir"}, {"2", "Ali", "Özdemir"}, {"1", "Mehmet", "Çetin"}, {"5", "Ann", "Zeger"}, {"4", "Ali", "Özdemir"}}
	SortByName(ps, func(p person) []string { return []string{p.last, p.first} }, func(p person) string { return p.id })
	var got []string
	for _, p := range ps {
		got = append(got, p.id)
	}
	if want := []string{"1", "2", "4", "3", "5"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

// TestCollationKey checks that keys order as Compare does.
func TestCollationKey(t *testing.T) {
	t.Parallel()
	names := []string{"Zeger", "IJzerman", "de Smet", "Özdemir", "Aerts", "Çetin", "De Smet", "Hélène", "Helena"}
	c := NewCollator()
	for _, a := range names {
		for _, b := range names {
			if got, want := bytes.Compare(c.Key(a), c.Key(b)), c.Compare(a, b); got != want {
				t.Errorf("keys of %q and %q compare %d, names %d", a, b, got, want)
			}
		}
	}
}

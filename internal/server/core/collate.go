package core

import (
	"cmp"
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Dutch collation of the names the pages list (issue 20): "Çetin" sorts
// with the C's and "Özdemir" with the O's, not after "Zeger" as byte order
// puts them; case and accents only break ties. internal/locale stays
// stdlib-only, so this lives here, where the pages sort.

// Collator compares names in Dutch order. It is not safe for concurrent
// use: make one per sort with NewCollator.
type Collator struct {
	c   *collate.Collator
	buf collate.Buffer // reused by Key
}

// NewCollator returns a collator for Dutch.
func NewCollator() *Collator {
	return &Collator{c: collate.New(language.Dutch)}
}

// Compare returns -1, 0 or +1 as a sorts before, with or after b.
func (c *Collator) Compare(a, b string) int { return c.c.CompareString(a, b) }

// SortByName sorts s in Dutch order of the names keys gives each element,
// compared one after the other (a last name, then a first name), and by
// id for elements whose names are all equal, so that the order is total.
func SortByName[T any](s []T, keys func(T) []string, id func(T) string) {
	c := NewCollator()
	slices.SortStableFunc(s, func(a, b T) int {
		ka, kb := keys(a), keys(b)
		for i := range min(len(ka), len(kb)) {
			if r := c.Compare(ka[i], kb[i]); r != 0 {
				return r
			}
		}
		if r := cmp.Compare(len(ka), len(kb)); r != 0 {
			return r
		}
		return cmp.Compare(id(a), id(b))
	})
}

// SortStrings sorts names in Dutch order.
func SortStrings(names []string) {
	c := NewCollator()
	slices.SortStableFunc(names, func(a, b string) int {
		if r := c.Compare(a, b); r != 0 {
			return r
		}
		return cmp.Compare(a, b)
	})
}

// Key returns the collation key of s: keys compare with bytes.Compare as
// Compare compares the names, so a long list is sorted without collating
// every pair again.
func (c *Collator) Key(s string) []byte {
	c.buf.Reset()
	return slices.Clone(c.c.KeyFromString(&c.buf, s))
}

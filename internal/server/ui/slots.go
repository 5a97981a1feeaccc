package ui

import "sync"

// Slots bound how many of one heavy job a server process runs at once: an
// indicator workbook, or the reading of a data set for an import (a dry
// run, a confirmation, the assistant's check), each of which holds a data
// set in memory — a region's 61 MB CSV takes 755 MB. A request over the
// bound is answered at once that Traject is busy, never queued: a queue
// would hold its upload and its connection all the same.
type Slots struct{ c chan struct{} }

// NewSlots returns n slots.
func NewSlots(n int) *Slots { return &Slots{c: make(chan struct{}, n)} }

// TryTake takes a slot, or reports false while every slot is taken; release
// gives the slot back (once, however often it is called).
func (s *Slots) TryTake() (release func(), ok bool) {
	select {
	case s.c <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-s.c }) }, true
	default:
		return nil, false
	}
}

// Size is how many slots there are.
func (s *Slots) Size() int { return cap(s.c) }

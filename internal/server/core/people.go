package core

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/locale"
)

// Pages name people by their accounts' display names ("Sarah Peeters"),
// not their user names ("teacher003"), which stay the key of an account in
// the records (a group's teacher, a learner's counsellor, an observer, the
// audit trail). The names of every account are read at once and kept for
// peopleTTL, so that a page naming many people reads them once or not at
// all; a change made through this process is seen at once
// (ForgetDisplayNames), one made elsewhere (another server, `traject user`)
// within peopleTTL.

// peopleTTL is how long the display names read are used.
const peopleTTL = time.Minute

// displayNames is the cache of DB.DisplayNames.
type displayNames struct {
	mu    sync.Mutex
	names map[string]string
	read  time.Time
}

// DisplayName returns the display name of the account username, or
// username itself when it has none, or names no account (a teacher
// imported without an account), or the names cannot be read now (logged).
func (s *App) DisplayName(ctx context.Context, username string) string {
	if username == "" {
		return ""
	}
	p := &s.people
	p.mu.Lock()
	defer p.mu.Unlock()
	now := s.Now()
	if p.names == nil || now.Sub(p.read) >= peopleTTL || now.Before(p.read) {
		names, err := s.DB.DisplayNames(ctx)
		if err != nil {
			s.Log.Error("read display names", "err", err)
			return username
		}
		p.names, p.read = names, now
	}
	if n, ok := p.names[username]; ok {
		return n
	}
	return username
}

// ForgetDisplayNames makes the next DisplayName read the names again: a
// display name was changed.
func (s *App) ForgetDisplayNames() {
	s.people.mu.Lock()
	s.people.names = nil
	s.people.mu.Unlock()
}

// Person is how the page names the account username (App.DisplayName).
func (v *View) Person(username string) string {
	if v.person == nil {
		return username
	}
	return v.person(username)
}

// KeyOwnLanguage marks a request whose page offers a language choice of its
// own (the survey's, in more languages than the interface's): the layout
// shows no second selector. SetPageLanguage sets it.
const KeyOwnLanguage = "own_language"

// SetPageLanguage marks the page as choosing its language itself and, when
// lang is one of the interface's languages, renders the page's frame in it
// too, so that one choice sets the whole page.
func SetPageLanguage(c *gin.Context, lang string) {
	c.Set(KeyOwnLanguage, true)
	if slices.Contains(locale.Interface, lang) {
		c.Set(keyLang, lang)
	}
}

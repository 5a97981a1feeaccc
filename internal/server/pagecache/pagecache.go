// Package pagecache keeps the rendered bodies of the indicator pages (the
// dashboard and its drill-downs) with the data they show, packed once for
// gzsplice. A body is kept for the snapshot of internal/cache it was
// rendered from: when the data version moves (a write in this process or
// another, which the cache finds on the next request or its watcher's
// next look), the cache makes a new snapshot and every body of the old one
// is dropped, so a write is visible on the next view. After a new snapshot
// loads, its load hook renders again the pages viewed last, so that the
// next view finds them ready.
package pagecache

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/traject-nt2/traject/internal/cache"
	"github.com/traject-nt2/traject/internal/server/gzsplice"
)

// Limits of what is kept and rendered ahead.
const (
	keepBodies = 32               // rendered page bodies (up to 600 kB each)
	warmPages  = 4                // pages rendered again after a change
	warmRecent = 10 * time.Minute // only pages viewed this recently
)

// RenderFunc renders a page body (the page without its layout) from a snapshot.
type RenderFunc func(e *cache.Snapshot, tm *cache.Timing) ([]byte, error)

// Cache holds the page bodies of the newest snapshot asked for, by a key
// of K that says what a body shows (page, query, language, the user's
// scope).
type Cache[K comparable] struct {
	now func() time.Time

	mu  sync.Mutex
	gen *generation[K] // nil until the first body
}

// generation is the bodies of one snapshot.
type generation[K comparable] struct {
	snap   *cache.Snapshot
	tick   uint64
	bodies map[K]*entry
	warm   []warmer[K] // the pages to render ahead, from the generation before
}

// entry is one body, ready when ready is closed.
type entry struct {
	ready  chan struct{}
	body   *gzsplice.Body
	err    error
	used   uint64
	render RenderFunc // how to render it again on new data
	at     time.Time  // when it was last asked for; zero: rendered ahead, not asked for since
}

// warmer renders one page body again on new data.
type warmer[K comparable] struct {
	key    K
	render RenderFunc
}

// New returns an empty page cache over the snapshots of c, reading the
// time from now (for what counts as viewed recently), and hooks it on c's
// loads to render the pages viewed last on new data.
func New[K comparable](c *cache.Cache, now func() time.Time) *Cache[K] {
	p := &Cache[K]{now: now}
	c.OnLoad(p.warm)
	return p
}

// generation returns the bodies of e, starting them when e is newer than
// the snapshot of the bodies kept (and dropping those), or nil when e is
// older: a request that got its snapshot just before a change.
func (p *Cache[K]) generation(e *cache.Snapshot) *generation[K] {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.gen == nil || e.Seq() > p.gen.snap.Seq():
		g := &generation[K]{snap: e, bodies: map[K]*entry{}}
		if p.gen != nil {
			g.warm = p.gen.warmers(p.now())
		}
		p.gen = g
		return g
	case e == p.gen.snap:
		return p.gen
	default:
		return nil
	}
}

// Body returns the page body of k rendered from e, rendering it once per
// snapshot. Concurrent requests for the same body wait for one rendering.
func (p *Cache[K]) Body(ctx context.Context, e *cache.Snapshot, k K, tm *cache.Timing, render RenderFunc) (*gzsplice.Body, error) {
	g := p.generation(e)
	if g == nil { // an old snapshot: its bodies are not kept
		return renderBody(e, tm, render)
	}
	now := p.now()
	p.mu.Lock()
	g.tick++
	x := g.bodies[k]
	if x != nil {
		x.used, x.at = g.tick, now
		p.mu.Unlock()
		tm.Add("body", "hit", 0)
		select {
		case <-x.ready:
			return x.body, x.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	x = &entry{ready: make(chan struct{}), used: g.tick, at: now, render: render}
	if tm == nil {
		x.at = time.Time{} // rendered ahead: recent only once someone asks for it
	}
	g.bodies[k] = x
	g.evict()
	p.mu.Unlock()
	x.body, x.err = renderBody(e, tm, render)
	close(x.ready)
	if x.err != nil {
		p.mu.Lock()
		if g.bodies[k] == x {
			delete(g.bodies, k)
		}
		p.mu.Unlock()
	}
	return x.body, x.err
}

// renderBody renders a body and packs it for splicing.
func renderBody(e *cache.Snapshot, tm *cache.Timing, render RenderFunc) (*gzsplice.Body, error) {
	start := time.Now()
	defer func() { tm.Add("body", "render", time.Since(start)) }()
	html, err := render(e, tm)
	if err != nil {
		return nil, err
	}
	return gzsplice.Pack(html)
}

// warm renders on e, just loaded, the pages viewed last on the snapshot
// before it: cache's load hook.
func (p *Cache[K]) warm(ctx context.Context, e *cache.Snapshot) {
	g := p.generation(e)
	if g == nil {
		return
	}
	p.mu.Lock()
	warm := g.warm
	g.warm = nil
	p.mu.Unlock()
	for _, w := range warm {
		// A page that fails now (a list that got shorter than its page)
		// is rendered, or refused, when someone asks for it again.
		_, _ = p.Body(ctx, e, w.key, nil, w.render)
	}
}

// warmers returns how to render again the pages of g viewed last, most
// recent first. p.mu is held.
func (g *generation[K]) warmers(now time.Time) []warmer[K] {
	type viewed struct {
		warmer[K]
		used uint64
	}
	var list []viewed
	for k, x := range g.bodies {
		select {
		case <-x.ready:
		default:
			continue // still rendering
		}
		if x.err == nil && !x.at.IsZero() && now.Sub(x.at) < warmRecent {
			list = append(list, viewed{warmer[K]{k, x.render}, x.used})
		}
	}
	// The last use orders them: ticks are unique, so the order is the same
	// whatever order the map gave.
	slices.SortFunc(list, func(a, b viewed) int { return cmp.Compare(b.used, a.used) })
	out := make([]warmer[K], 0, min(len(list), warmPages))
	for _, v := range list[:min(len(list), warmPages)] {
		out = append(out, v.warmer)
	}
	return out
}

// evict drops the least recently used ready bodies while more than
// keepBodies are kept. p.mu is held.
func (g *generation[K]) evict() {
	for len(g.bodies) > keepBodies {
		var oldest K
		var found *entry
		for k, x := range g.bodies {
			select {
			case <-x.ready:
			default:
				continue // being rendered: someone waits for it
			}
			if found == nil || x.used < found.used {
				oldest, found = k, x
			}
		}
		if found == nil {
			return
		}
		delete(g.bodies, oldest)
	}
}

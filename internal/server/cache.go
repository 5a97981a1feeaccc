package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/store"
)

// The indicator cache behind the dashboard, its drill-downs and the API.
// Loading the data set is the expensive part (about 1.3 s for 100,000
// learners), computing a Result the cheap one (0.15 s), an explanation in
// between; so the cache holds one loaded data set, and per query the Results
// and case lists computed from it. It asks the database for its data version
// on every request (store.DB.DataVersion, one small SELECT) and drops everything
// when anything committed since, so a write is visible on the next view.
// Concurrent requests for the same thing wait for one computation.

// Limits of what one data version keeps.
const (
	cacheResults   = 48      // Results (each a few hundred kB with every breakdown)
	cacheCaseLists = 24      // case lists of drill-downs
	cacheCases     = 300_000 // cases over all those lists (about 400 bytes each)
	cacheBodies    = 32      // rendered page bodies (up to 600 kB each)
	loadTimeout    = 2 * time.Minute
)

// Refreshing ahead. Every commit moves the data version, including the
// bookkeeping of sessions (a minute after a user's last write of it), of
// API tokens and of the scheduler's lease (every 30 s), so the cache is
// dropped far more often than the data change. While the dashboard is in
// use, the cache therefore watches the version itself: when it moves, it
// loads again at once and renders the pages viewed last, so that the next
// view finds them ready instead of waiting for the load.
const (
	pollEvery  = time.Second      // how often the version is watched
	pollIdle   = 10 * time.Minute // watching stops this long after the last request
	warmPages  = 4                // pages rendered again after a change
	warmRecent = 10 * time.Minute // only pages viewed this recently
)

// indicatorCache holds the data of one data version.
type indicatorCache struct {
	db *store.DB

	mu      sync.Mutex
	version int64
	data    *dataEntry // nil until the first request, and after a load failed

	lastUse atomic.Int64 // UnixNano of the last request
	polling atomic.Bool  // a watcher runs
}

// warmer renders one page body again on new data.
type warmer struct {
	key    bodyKey
	render func(e *dataEntry, tm *timing) ([]byte, error)
}

func newIndicatorCache(db *store.DB) *indicatorCache { return &indicatorCache{db: db} }

// dataEntry is one loaded data set with what was computed from it.
type dataEntry struct {
	ready    chan struct{} // closed when ds or err is set
	ds       *domain.DataSet
	err      error
	loadTime time.Duration

	mu        sync.Mutex
	tick      uint64
	results   map[indicator.Params]*computed
	cases     map[casesKey]*computed
	caseCount int // Σ len(cases) over the ready case lists
	bodies    map[bodyKey]*computed

	namesOnce sync.Once
	names     map[string]string // learner id → "Last, First"
	namesErr  error

	linksOnce sync.Once
	groupProv map[string]string // group code → provider of its module
	modProv   map[string]string // module code → provider
	provNames map[string]string // provider code → name
}

// casesKey identifies a case list.
type casesKey struct {
	p indicator.Params
	f indicator.Filter
}

// bodyKey identifies a rendered page body (the page without the layout,
// which holds the user's name and CSRF token): what it shows, in which
// language, and the user's role and providers, which decide its choices
// and links.
type bodyKey struct {
	page   string
	p      indicator.Params
	f      indicator.Filter
	period string
	pageNo int
	exact  bool
	lang   string
	scope  string
}

// computed is one Result, case list or page body, ready when ready is closed.
type computed struct {
	ready chan struct{}
	res   *indicator.Result
	sup   *indicator.Result // res with the small-cell rule applied
	cases []indicator.Case
	body  *packedBody
	err   error // of a body that failed to render
	used  uint64

	// Bodies only: how to render this one again, and when it was last asked for.
	warm func(e *dataEntry, tm *timing) ([]byte, error)
	at   time.Time
}

// timing collects what a request cost, for the Server-Timing header.
type timing struct {
	parts []string
}

func (t *timing) add(name, desc string, d time.Duration) {
	if t == nil {
		return
	}
	s := name + `;desc="` + desc + `"`
	if d > 0 {
		s += fmt.Sprintf(";dur=%.1f", float64(d.Microseconds())/1000)
	}
	t.parts = append(t.parts, s)
}

// header returns the Server-Timing value, e.g. `data;desc="hit", result;desc="miss";dur=151.2`.
func (t *timing) header() string { return strings.Join(t.parts, ", ") }

// snapshot returns the data of the current data version, loading it when
// the version moved or nothing is loaded. Everything one request computes
// comes from the one snapshot it got, so a page never mixes two versions.
func (c *indicatorCache) snapshot(ctx context.Context, tm *timing) (*dataEntry, error) {
	if tm != nil { // a request, not the watcher
		c.touch()
	}
	// The version is read before the data: a commit in between makes the
	// next request load again, never keeps stale data.
	v, err := c.db.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	e := c.data
	if e == nil || v != c.version {
		var warm []warmer
		if e != nil {
			warm = e.warmers()
		}
		e = &dataEntry{ready: make(chan struct{}), results: map[indicator.Params]*computed{}, cases: map[casesKey]*computed{},
			bodies: map[bodyKey]*computed{}}
		c.data, c.version = e, v
		go c.load(e, warm)
		tm.add("data", "load", 0)
	} else {
		tm.add("data", "hit", 0)
	}
	c.mu.Unlock()
	select {
	case <-e.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if e.err != nil {
		return nil, e.err
	}
	return e, nil
}

// touch records a request and starts the watcher when none runs.
func (c *indicatorCache) touch() {
	c.lastUse.Store(time.Now().UnixNano())
	if c.polling.CompareAndSwap(false, true) {
		go c.watch()
	}
}

// watch asks for the data version every pollEvery while requests come,
// so that a change is loaded (and the recent pages rendered) before the
// next request asks. It stops when idle, or when the database fails.
func (c *indicatorCache) watch() {
	defer c.polling.Store(false)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for range tick.C {
		if time.Since(time.Unix(0, c.lastUse.Load())) > pollIdle {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
		_, err := c.snapshot(ctx, nil)
		cancel()
		if err != nil {
			return
		}
	}
}

// warmers returns how to render again the pages of e viewed last.
func (e *dataEntry) warmers() []warmer {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []warmer
	var at []time.Time
	for k, x := range e.bodies {
		if x.warm != nil && x.err == nil && time.Since(x.at) < warmRecent {
			out, at = append(out, warmer{k, x.warm}), append(at, x.at)
		}
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return at[b].Compare(at[a]) })
	sorted := make([]warmer, 0, warmPages)
	for _, i := range idx[:min(len(idx), warmPages)] {
		sorted = append(sorted, out[i])
	}
	return sorted
}

// load reads the data set of e, then renders again the pages in warm. It
// runs on its own, so that a request that gives up does not fail the others
// waiting for the same load.
func (c *indicatorCache) load(e *dataEntry, warm []warmer) {
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	start := time.Now()
	e.ds, e.err = c.db.LoadDataSetWith(ctx, store.LoadOptions{Slim: true, Entities: store.IndicatorEntities})
	e.loadTime = time.Since(start)
	if e.err != nil {
		e.err = fmt.Errorf("load indicator data: %w", e.err)
		c.mu.Lock()
		if c.data == e {
			c.data = nil // the next request tries again
		}
		c.mu.Unlock()
		close(e.ready)
		return
	}
	close(e.ready)
	// The names for the drill-downs (the slim load leaves them out) load
	// next, while the pages compute, so that the first list after a change
	// rarely waits for them.
	go e.learnerNames(c.db)
	for _, w := range warm {
		// A page that fails now (a list that got shorter than its page)
		// is rendered, or refused, when someone asks for it again.
		_, _ = e.body(ctx, w.key, nil, w.render)
	}
}

// result returns the Result of p, computing it once; p must be valid.
func (e *dataEntry) result(ctx context.Context, p indicator.Params, tm *timing) (*computed, error) {
	e.mu.Lock()
	e.tick++
	x := e.results[p]
	if x != nil {
		x.used = e.tick
		e.mu.Unlock()
		tm.add("result", "hit", 0)
		return x, wait(ctx, x)
	}
	x = &computed{ready: make(chan struct{}), used: e.tick}
	e.results[p] = x
	evict(e, e.results, cacheResults, nil)
	e.mu.Unlock()
	start := time.Now()
	x.res = indicator.Compute(e.ds, p)
	x.sup = x.res.Suppressed()
	close(x.ready)
	tm.add("result", "compute", time.Since(start))
	return x, nil
}

// casesOf returns the cases of p that pass f, explaining them once; a list
// too long to keep is explained on every call.
func (e *dataEntry) casesOf(ctx context.Context, p indicator.Params, f indicator.Filter, tm *timing) ([]indicator.Case, error) {
	k := casesKey{p, f}
	e.mu.Lock()
	e.tick++
	x := e.cases[k]
	if x != nil {
		x.used = e.tick
		e.mu.Unlock()
		tm.add("cases", "hit", 0)
		if err := wait(ctx, x); err != nil {
			return nil, err
		}
		return x.cases, nil
	}
	x = &computed{ready: make(chan struct{}), used: e.tick}
	e.cases[k] = x
	e.mu.Unlock()
	start := time.Now()
	x.cases = indicator.ExplainFilter(e.ds, p, f)
	close(x.ready)
	tm.add("cases", "explain", time.Since(start))
	e.mu.Lock()
	if len(x.cases) > cacheCases/2 {
		delete(e.cases, k) // too big to keep: it would push out everything else
	} else {
		e.caseCount += len(x.cases)
		evict(e, e.cases, cacheCaseLists, func() bool { return e.caseCount > cacheCases })
	}
	e.mu.Unlock()
	return x.cases, nil
}

// body returns the page body of k, rendering it once. Bodies are kept with
// the data they show, so a new data version renders them again.
func (e *dataEntry) body(ctx context.Context, k bodyKey, tm *timing, render func(e *dataEntry, tm *timing) ([]byte, error)) (*packedBody, error) {
	e.mu.Lock()
	e.tick++
	x := e.bodies[k]
	if x != nil {
		x.used, x.at = e.tick, time.Now()
		e.mu.Unlock()
		tm.add("body", "hit", 0)
		if err := wait(ctx, x); err != nil {
			return nil, err
		}
		return x.body, x.err
	}
	x = &computed{ready: make(chan struct{}), used: e.tick, at: time.Now(), warm: render}
	if tm == nil {
		x.at = time.Time{} // rendered ahead: recent only once someone asks for it
	}
	e.bodies[k] = x
	evict(e, e.bodies, cacheBodies, nil)
	e.mu.Unlock()
	start := time.Now()
	html, err := render(e, tm)
	if err == nil {
		x.body, err = packBody(html)
	}
	x.err = err
	close(x.ready)
	tm.add("body", "render", time.Since(start))
	if x.err != nil {
		e.mu.Lock()
		delete(e.bodies, k)
		e.mu.Unlock()
	}
	return x.body, x.err
}

// evict drops the least recently used ready entries of m while it holds
// more than limit, or while over() says it holds too much. e.mu is held.
func evict[K comparable](e *dataEntry, m map[K]*computed, limit int, over func() bool) {
	for len(m) > limit || (over != nil && over()) {
		var oldest K
		var found *computed
		for k, x := range m {
			select {
			case <-x.ready:
			default:
				continue // being computed: someone waits for it
			}
			if found == nil || x.used < found.used {
				oldest, found = k, x
			}
		}
		if found == nil {
			return
		}
		delete(m, oldest)
		e.caseCount -= len(found.cases)
	}
}

// wait waits until x is computed or ctx is done.
func wait(ctx context.Context, x *computed) error {
	select {
	case <-x.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// learnerNames returns every learner's name ("Last, First") by id. The data
// set is loaded slim, without names, so they are read once per data version,
// when the first drill-down asks.
func (e *dataEntry) learnerNames(db *store.DB) (map[string]string, error) {
	e.namesOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
		defer cancel()
		ds, err := db.LoadDataSetWith(ctx, store.LoadOptions{Entities: []string{"learners"}})
		if err != nil {
			e.namesErr = fmt.Errorf("load learner names: %w", err)
			return
		}
		e.names = make(map[string]string, len(ds.Learners))
		for _, l := range ds.Learners {
			e.names[l.ID] = l.LastName + ", " + l.FirstName
		}
	})
	return e.names, e.namesErr
}

// links builds the provider of each module and group, and the providers' names.
func (e *dataEntry) links() {
	e.linksOnce.Do(func() {
		ds := e.ds
		e.modProv = make(map[string]string, len(ds.Modules))
		for _, m := range ds.Modules {
			e.modProv[m.Code] = m.Provider
		}
		e.groupProv = make(map[string]string, len(ds.Groups))
		for _, g := range ds.Groups {
			e.groupProv[g.Code] = e.modProv[g.Module]
		}
		e.provNames = make(map[string]string, len(ds.Providers))
		for _, p := range ds.Providers {
			e.provNames[p.Code] = p.Name
		}
	})
}

// hasProvider reports whether a provider with this code is in the data.
func (e *dataEntry) hasProvider(code string) bool {
	e.links()
	_, ok := e.provNames[code]
	return ok
}

// providerLinks returns, for each of the learners ids, every provider they
// are linked to as auth.LearnerFacts.Providers counts them: referred to,
// placed into a module of, enrolled in a group of, or flowed out from.
func (e *dataEntry) providerLinks(ids map[string]bool) map[string][]string {
	e.links()
	out := make(map[string][]string, len(ids))
	add := func(l, p string) {
		if p == "" || !ids[l] {
			return
		}
		for _, q := range out[l] {
			if q == p {
				return
			}
		}
		out[l] = append(out[l], p)
	}
	ds := e.ds
	for i := range ds.Referrals {
		add(ds.Referrals[i].Learner, ds.Referrals[i].Provider)
	}
	for i := range ds.Placements {
		if ids[ds.Placements[i].Learner] {
			add(ds.Placements[i].Learner, e.modProv[ds.Placements[i].Module])
		}
	}
	for i := range ds.Enrollments {
		if ids[ds.Enrollments[i].Learner] {
			add(ds.Enrollments[i].Learner, e.groupProv[ds.Enrollments[i].Group])
		}
	}
	for i := range ds.Outflows {
		add(ds.Outflows[i].Learner, ds.Outflows[i].Provider)
	}
	return out
}

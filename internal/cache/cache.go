// Package cache keeps the indicator data of the current data version in
// memory for the web application: the loaded data set, and per query the
// indicator Results and case lists computed from it. It caches data and
// results only; the pages rendered from them are the web layer's
// (internal/server/pagecache), kept per Snapshot. Loading the data set is
// the expensive part (about 1.3 s for 100,000 learners), computing a Result
// the cheap one (0.15 s), an explanation in between. The cache asks the
// store for its data version on every request (one small SELECT) and drops
// everything when a data write committed since, in this process or
// another, so a write is visible on the next view. Concurrent requests for
// the same thing wait for one computation.
package cache

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
	"github.com/traject-nt2/traject/internal/risk"
	"github.com/traject-nt2/traject/internal/store"
)

// Limits of what one data version keeps.
const (
	cacheResults   = 48      // Results (each a few hundred kB with every breakdown)
	cacheCaseLists = 24      // case lists of drill-downs
	cacheCases     = 300_000 // cases over all those lists (about 400 bytes each)
)

// LoadTimeout bounds a load of the data set, and a computation from it that
// runs on after its asker left (others may wait for it).
const LoadTimeout = 2 * time.Minute

// Refreshing ahead. While the dashboard is in use, the cache watches the data
// version itself: when a data write moves it (an import, a grid of
// evaluations; never bookkeeping such as logins, sessions, tokens or the
// audit trail, see store.DB.Begin), it loads again at once and runs the
// OnLoad hooks (the web layer renders the pages viewed last there), so
// that the next view finds them ready instead of waiting for the load.
const (
	pollEvery = time.Second      // how often the version is watched
	pollIdle  = 10 * time.Minute // watching stops this long after the last request
)

// Source is what the cache needs of the store.
type Source interface {
	// DataVersion changes whenever a data write commits (store.DB.DataVersion).
	DataVersion(ctx context.Context) (int64, error)
	// LoadDataSetWith loads the data set (store.DB.LoadDataSetWith).
	LoadDataSetWith(ctx context.Context, opt store.LoadOptions) (*domain.DataSet, error)
}

// Cache holds the data of one data version.
type Cache struct {
	src Source

	// PollEvery is how often the version is watched while requests come;
	// New sets pollEvery. Zero turns the watcher off (tests that assert what
	// a request found in the cache; Refresh does the watcher's work on
	// demand).
	PollEvery time.Duration

	mu      sync.Mutex
	version int64
	data    *Snapshot // nil until the first request, and after a load failed
	seq     uint64    // of the last snapshot made
	onLoad  []LoadHook

	lastUse atomic.Int64 // UnixNano of the last request
	polling atomic.Bool  // a watcher runs
}

// LoadHook is run on each snapshot once its data set has loaded, before
// Refresh returns: the web layer's page cache renders its pages again
// there. ctx ends after LoadTimeout.
type LoadHook func(ctx context.Context, e *Snapshot)

// OnLoad adds a hook to run on every snapshot loaded from now on.
func (c *Cache) OnLoad(h LoadHook) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onLoad = append(c.onLoad, h)
}

// New returns an empty cache over src.
func New(src Source) *Cache { return &Cache{src: src, PollEvery: pollEvery} }

// Snapshot is one loaded data set with what was computed from it. Everything
// one request computes comes from the one snapshot it got, so a page never
// mixes two data versions.
type Snapshot struct {
	src      Source
	seq      uint64        // grows with each snapshot the cache makes
	ready    chan struct{} // closed when ds or err is set
	warmed   chan struct{} // closed when the load hooks have run
	ds       *domain.DataSet
	err      error
	loadTime time.Duration

	mu        sync.Mutex
	tick      uint64
	results   map[indicator.Params]*Computed
	cases     map[casesKey]*Computed
	caseCount int // Σ len(cases) over the ready case lists

	namesOnce sync.Once
	names     map[string]string // learner id → "Last, First"
	namesErr  error

	linksOnce sync.Once
	links     domain.ProviderLinks
	provNames map[string]string // provider code → name

	// The early warning's (risk.go): the input indexed once, and the
	// estimates per (model, day).
	riskOnce sync.Once
	riskPrep *risk.Prepared
	riskDays map[riskKey]*RiskDay
}

// DataSet is the loaded data set (slim: without names and free text). It is
// shared by every request: callers must not change it.
func (e *Snapshot) DataSet() *domain.DataSet { return e.ds }

// LoadTime is how long the data set took to load.
func (e *Snapshot) LoadTime() time.Duration { return e.loadTime }

// Seq orders the snapshots of one cache: a snapshot made later, on a newer
// data version or after a failed load, has a larger Seq.
func (e *Snapshot) Seq() uint64 { return e.seq }

// casesKey identifies a case list.
type casesKey struct {
	p indicator.Params
	f indicator.Filter
}

// Computed is one Result or case list, ready when ready is closed.
type Computed struct {
	ready chan struct{}
	// Result and Suppressed are the Result of a query, exact and with the
	// small-cell rule applied.
	Result, Suppressed *indicator.Result
	cases              []indicator.Case
	used               uint64
}

// Timing collects what a request cost, for the Server-Timing header.
type Timing struct {
	parts []string
}

// Add records one part of a request: its name, what happened and, when
// known, how long it took.
func (t *Timing) Add(name, desc string, d time.Duration) {
	if t == nil {
		return
	}
	s := name + `;desc="` + desc + `"`
	if d > 0 {
		s += fmt.Sprintf(";dur=%.1f", float64(d.Microseconds())/1000)
	}
	t.parts = append(t.parts, s)
}

// Header returns the Server-Timing value, e.g. `data;desc="hit", result;desc="miss";dur=151.2`.
func (t *Timing) Header() string { return strings.Join(t.parts, ", ") }

// Snapshot returns the data of the current data version, loading it when
// the version moved or nothing is loaded. Everything one request computes
// comes from the one snapshot it got, so a page never mixes two versions.
func (c *Cache) Snapshot(ctx context.Context, tm *Timing) (*Snapshot, error) {
	if tm != nil { // a request, not the watcher
		c.touch()
	}
	// The version is read before the data: a commit in between makes the
	// next request load again, never keeps stale data.
	v, err := c.src.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	e := c.data
	if e == nil || v != c.version {
		c.seq++
		e = &Snapshot{src: c.src, seq: c.seq, ready: make(chan struct{}), warmed: make(chan struct{}),
			results: map[indicator.Params]*Computed{}, cases: map[casesKey]*Computed{}}
		c.data, c.version = e, v
		go c.load(e, slices.Clone(c.onLoad))
		tm.Add("data", "load", 0)
	} else {
		tm.Add("data", "hit", 0)
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

// Refresh does one pass of the watcher now: when the data version moved, it
// loads the new data and runs the load hooks (which render the pages
// viewed last again), and returns once they are done. Tests use it to wait for that instead of for a time.
func (c *Cache) Refresh(ctx context.Context) error {
	e, err := c.Snapshot(ctx, nil)
	if err != nil {
		return err
	}
	select {
	case <-e.warmed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// touch records a request and starts the watcher when none runs.
func (c *Cache) touch() {
	c.lastUse.Store(time.Now().UnixNano())
	if c.PollEvery > 0 && c.polling.CompareAndSwap(false, true) {
		go c.watch()
	}
}

// watch asks for the data version every pollEvery while requests come,
// so that a change is loaded (and the load hooks run) before the
// next request asks. It stops when idle, or when the database fails.
func (c *Cache) watch() {
	defer c.polling.Store(false)
	tick := time.NewTicker(c.PollEvery)
	defer tick.Stop()
	for range tick.C {
		if time.Since(time.Unix(0, c.lastUse.Load())) > pollIdle {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), LoadTimeout)
		_, err := c.Snapshot(ctx, nil)
		cancel()
		if err != nil {
			return
		}
	}
}

// load reads the data set of e, then runs the hooks on it. It runs on its
// own, so that a request that gives up does not fail the others waiting
// for the same load.
func (c *Cache) load(e *Snapshot, hooks []LoadHook) {
	ctx, cancel := context.WithTimeout(context.Background(), LoadTimeout)
	defer cancel()
	start := time.Now()
	e.ds, e.err = c.src.LoadDataSetWith(ctx, store.LoadOptions{Slim: true, Entities: store.IndicatorEntities})
	e.loadTime = time.Since(start)
	if e.err != nil {
		e.err = fmt.Errorf("load indicator data: %w", e.err)
		c.mu.Lock()
		if c.data == e {
			c.data = nil // the next request tries again
		}
		c.mu.Unlock()
		close(e.ready)
		close(e.warmed)
		return
	}
	close(e.ready)
	defer close(e.warmed)
	// The names for the drill-downs (the slim load leaves them out) load
	// next, while the pages compute, so that the first list after a change
	// rarely waits for them.
	go e.LearnerNames()
	for _, h := range hooks {
		h(ctx, e)
	}
}

// Result returns the Result of p, computing it once; p must be valid.
func (e *Snapshot) Result(ctx context.Context, p indicator.Params, tm *Timing) (*Computed, error) {
	e.mu.Lock()
	e.tick++
	x := e.results[p]
	if x != nil {
		x.used = e.tick
		e.mu.Unlock()
		tm.Add("result", "hit", 0)
		return x, wait(ctx, x)
	}
	x = &Computed{ready: make(chan struct{}), used: e.tick}
	e.results[p] = x
	evict(e, e.results, cacheResults, nil)
	e.mu.Unlock()
	start := time.Now()
	x.Result = indicator.Compute(e.ds, p)
	x.Suppressed = x.Result.Suppressed()
	close(x.ready)
	tm.Add("result", "compute", time.Since(start))
	return x, nil
}

// Cases returns the cases of p that pass f, explaining them once; a list
// too long to keep is explained on every call.
func (e *Snapshot) Cases(ctx context.Context, p indicator.Params, f indicator.Filter, tm *Timing) ([]indicator.Case, error) {
	k := casesKey{p, f}
	e.mu.Lock()
	e.tick++
	x := e.cases[k]
	if x != nil {
		x.used = e.tick
		e.mu.Unlock()
		tm.Add("cases", "hit", 0)
		if err := wait(ctx, x); err != nil {
			return nil, err
		}
		return x.cases, nil
	}
	x = &Computed{ready: make(chan struct{}), used: e.tick}
	e.cases[k] = x
	e.mu.Unlock()
	start := time.Now()
	x.cases = indicator.ExplainFilter(e.ds, p, f)
	close(x.ready)
	tm.Add("cases", "explain", time.Since(start))
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

// evict drops the least recently used ready entries of m while it holds
// more than limit, or while over() says it holds too much. e.mu is held.
func evict[K comparable](e *Snapshot, m map[K]*Computed, limit int, over func() bool) {
	for len(m) > limit || (over != nil && over()) {
		var oldest K
		var found *Computed
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
func wait(ctx context.Context, x *Computed) error {
	select {
	case <-x.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// LearnerNames returns every learner's name ("Last, First") by id. The data
// set is loaded slim, without names, so they are read once per data version,
// when the first drill-down asks.
func (e *Snapshot) LearnerNames() (map[string]string, error) {
	e.namesOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), LoadTimeout)
		defer cancel()
		ds, err := e.src.LoadDataSetWith(ctx, store.LoadOptions{Entities: []string{"learners"}})
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

// linked builds the provider of each module and group, and the providers' names.
func (e *Snapshot) linked() {
	e.linksOnce.Do(func() {
		e.links = domain.NewProviderLinks(e.ds)
		e.provNames = make(map[string]string, len(e.ds.Providers))
		for _, p := range e.ds.Providers {
			e.provNames[p.Code] = p.Name
		}
	})
}

// HasProvider reports whether a provider with this code is in the data.
func (e *Snapshot) HasProvider(code string) bool {
	e.linked()
	_, ok := e.provNames[code]
	return ok
}

// ProviderName is the name of the provider with this code ("" if none).
func (e *Snapshot) ProviderName(code string) string {
	e.linked()
	return e.provNames[code]
}

// ProviderLinks returns, for each of the learners ids, every provider they
// are linked to by domain's one rule (domain.ProviderLinks): the input of
// auth.CaseVisibility.
func (e *Snapshot) ProviderLinks(ids map[string]bool) map[string][]string {
	e.linked()
	return e.links.LearnerProviders(e.ds, ids)
}

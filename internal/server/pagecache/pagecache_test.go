package pagecache

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/cache"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
)

// source is a store whose data version the test moves, as a write in this
// process or another does.
type source struct{ version atomic.Int64 }

func (s *source) DataVersion(context.Context) (int64, error) { return s.version.Load(), nil }
func (s *source) LoadDataSetWith(context.Context, store.LoadOptions) (*domain.DataSet, error) {
	return &domain.DataSet{}, nil
}

// fixture is a data cache without its watcher, a page cache over it and a
// clock the test moves.
type fixture struct {
	t     *testing.T
	src   *source
	data  *cache.Cache
	pages *Cache[string]
	now   time.Time

	mu    sync.Mutex     // the load hook renders on the cache's goroutine
	calls map[string]int // renderings per key
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{t: t, src: &source{}, now: time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC), calls: map[string]int{}}
	f.data = cache.New(f.src)
	f.data.PollEvery = 0
	f.pages = New[string](f.data, func() time.Time { return f.now })
	return f
}

// render renders the body of key, counting it; the body names the data version.
func (f *fixture) render(key string) RenderFunc {
	return func(e *cache.Snapshot, tm *cache.Timing) ([]byte, error) {
		f.mu.Lock()
		f.calls[key]++
		f.mu.Unlock()
		return fmt.Appendf(nil, "<p>%s on %d</p>", key, f.src.version.Load()), nil
	}
}

// durations are the times in a Server-Timing header.
var durations = regexp.MustCompile(`;dur=[0-9.]+`)

// view asks for the body of key as a request does, and returns it and the
// Server-Timing without its durations.
func (f *fixture) view(key string) (string, string) {
	f.t.Helper()
	tm := &cache.Timing{}
	e, err := f.data.Snapshot(context.Background(), tm)
	if err != nil {
		f.t.Fatal(err)
	}
	b, err := f.pages.Body(context.Background(), e, key, tm, f.render(key))
	if err != nil {
		f.t.Fatal(err)
	}
	return string(b.HTML), durations.ReplaceAllString(tm.Header(), "")
}

// write moves the data version, as a write in this process or another
// does, and waits for what the cache's watcher would then do: load the
// new data and run the load hooks.
func (f *fixture) write() {
	f.t.Helper()
	f.src.version.Add(1)
	if err := f.data.Refresh(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

// TestBodyKeptPerDataVersion checks the invalidation: a body is rendered
// once per data version, and a moved version (a write here or in another
// process on the same database) renders it again with the new data.
func TestBodyKeptPerDataVersion(t *testing.T) {
	f := newFixture(t)
	if got, tm := f.view("dashboard"); got != "<p>dashboard on 0</p>" || tm != `data;desc="load", body;desc="render"` {
		t.Fatalf("first view: %q, %q", got, tm)
	}
	if got, tm := f.view("dashboard"); got != "<p>dashboard on 0</p>" || tm != `data;desc="hit", body;desc="hit"` {
		t.Fatalf("repeat view: %q, %q", got, tm)
	}
	f.write()
	if got, tm := f.view("dashboard"); got != "<p>dashboard on 1</p>" || tm != `data;desc="hit", body;desc="hit"` {
		t.Fatalf("view after a write: %q, %q", got, tm)
	}
	if f.calls["dashboard"] != 2 {
		t.Errorf("rendered %d times, want 2", f.calls["dashboard"])
	}
	// Without the load hook's rendering ahead (a page not viewed lately),
	// a moved version renders on demand.
	f.now = f.now.Add(warmRecent)
	f.write()
	if got, tm := f.view("dashboard"); got != "<p>dashboard on 2</p>" || tm != `data;desc="hit", body;desc="render"` {
		t.Fatalf("view after a write, long after the last: %q, %q", got, tm)
	}
}

// TestRefreshRendersRecentPagesAhead checks the load hook: after a change
// the pages viewed last, at most warmPages and only those viewed within
// warmRecent, are rendered on the new data before Refresh returns.
func TestRefreshRendersRecentPagesAhead(t *testing.T) {
	f := newFixture(t)
	f.view("old")
	f.now = f.now.Add(warmRecent)
	for i := range warmPages + 1 {
		f.view(fmt.Sprint("p", i)) // p0 is viewed first, so it is the one left out
	}
	f.write()
	for i := 1; i <= warmPages; i++ {
		key := fmt.Sprint("p", i)
		if got, tm := f.view(key); got != "<p>"+key+" on 1</p>" || tm != `data;desc="hit", body;desc="hit"` {
			t.Errorf("%s after the refresh: %q, %q, want it rendered ahead", key, got, tm)
		}
	}
	for _, key := range []string{"p0", "old"} {
		if _, tm := f.view(key); tm != `data;desc="hit", body;desc="render"` {
			t.Errorf("%s after the refresh: %q, want it rendered on demand", key, tm)
		}
	}
}

// TestRenderedAheadOnlyOnce checks that a page rendered ahead and not
// viewed since is not rendered ahead again on the next change.
func TestRenderedAheadOnlyOnce(t *testing.T) {
	f := newFixture(t)
	f.view("a")
	f.write()
	f.write()
	if _, tm := f.view("a"); tm != `data;desc="hit", body;desc="render"` {
		t.Errorf("a, rendered ahead once but never viewed since: %q, want it rendered on demand", tm)
	}
	if f.calls["a"] != 3 {
		t.Errorf("a rendered %d times, want 3", f.calls["a"])
	}
}

// TestOldSnapshotKeepsNothing checks a request that took its snapshot just
// before a change: it gets its page from its own data, and neither keeps it
// nor drops the bodies of the newer data.
func TestOldSnapshotKeepsNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	old, err := f.data.Snapshot(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.write()
	f.view("dashboard") // the newer snapshot's body
	if _, err := f.pages.Body(ctx, old, "dashboard", nil, f.render("dashboard")); err != nil || f.calls["dashboard"] != 2 {
		t.Fatalf("old snapshot: %v, %d renderings, want 2", err, f.calls["dashboard"])
	}
	if _, tm := f.view("dashboard"); tm != `data;desc="hit", body;desc="hit"` {
		t.Errorf("after the old request: %q, want the newer body kept", tm)
	}
}

// TestFailedRenderNotKept checks that a body that failed is rendered again
// on the next request.
func TestFailedRenderNotKept(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e, err := f.data.Snapshot(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if _, err := f.pages.Body(ctx, e, "x", nil, func(*cache.Snapshot, *cache.Timing) ([]byte, error) { return nil, boom }); err != boom {
		t.Fatalf("err %v, want boom", err)
	}
	if _, tm := f.view("x"); tm != `data;desc="hit", body;desc="render"` {
		t.Errorf("after a failure: %q, want a new rendering", tm)
	}
}

// TestEvictsLeastRecentlyUsed checks the bound on the bodies kept.
func TestEvictsLeastRecentlyUsed(t *testing.T) {
	f := newFixture(t)
	for i := range keepBodies + 1 {
		f.view(fmt.Sprint("p", i))
		f.view("p0") // kept in use
	}
	if _, tm := f.view("p1"); tm != `data;desc="hit", body;desc="render"` {
		t.Errorf("p1, least recently used: %q, want it dropped", tm)
	}
	if _, tm := f.view("p0"); tm != `data;desc="hit", body;desc="hit"` {
		t.Errorf("p0: %q, want it kept", tm)
	}
}

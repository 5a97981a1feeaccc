//go:build loadtest

package server_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"math"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/store"
)

// TestDashboardLoad measures the dashboard, not a unit test: it runs only
// when TRAJECT_LOAD_URL names a running server on the 100,000-learner demo
// database. It signs in as the demo coordinator and admin and measures
//
//   - the dashboard for one school year uncached: each view follows a
//     commit (a sign-in, which stores a session), so the data set is loaded
//     and both years computed again; alone, and 16 clients at once;
//   - the same page cached, 16 concurrent clients;
//   - the drill-down whose list is nearest 1,000 cases, first (explained)
//     and again (cached).
//
// Reproduce with:
//
//	go build -o bin/traject ./cmd/traject
//	bin/traject migrate --db /tmp/d.db && bin/traject demo --learners 100000 --db /tmp/d.db
//	bin/traject serve --db /tmp/d.db --addr 127.0.0.1:8090 &
//	TRAJECT_LOAD_URL=http://127.0.0.1:8090 TRAJECT_LOAD_COORDINATOR=coordinator:demo-coordinator-2026 \
//	TRAJECT_LOAD_ADMIN=admin:demo-beheerder-2026 go test -tags loadtest -run TestDashboardLoad -v -count=1 ./internal/server/
func TestDashboardLoad(t *testing.T) {
	base := os.Getenv("TRAJECT_LOAD_URL")
	if base == "" {
		t.Skip("load generator (build tag loadtest): set the env TRAJECT_LOAD_URL (and TRAJECT_LOAD_COORDINATOR, _ADMIN as user:password) to run the dashboard load test")
	}
	clients, _ := strconv.Atoi(os.Getenv("TRAJECT_LOAD_CLIENTS"))
	if clients <= 0 {
		clients = 16
	}
	requests, _ := strconv.Atoi(os.Getenv("TRAJECT_LOAD_REQUESTS"))
	if requests <= 0 {
		requests = 1600
	}
	period := os.Getenv("TRAJECT_LOAD_PERIOD")
	if period == "" {
		period = "from=2025-09-01&to=2026-08-31&as_of=2026-06-30" // the demo data's last school year
	}
	report := func(what string, d []time.Duration, wall time.Duration) {
		slices.Sort(d)
		q := func(p float64) time.Duration { return d[min(len(d)-1, int(math.Ceil(p*float64(len(d))))-1)] }
		t.Logf("%-44s n=%-5d %6.0f req/s  p50=%-9v p90=%-9v p99=%-9v max=%v", what, len(d), float64(len(d))/wall.Seconds(),
			q(0.50).Round(100*time.Microsecond), q(0.90).Round(100*time.Microsecond), q(0.99).Round(100*time.Microsecond), d[len(d)-1].Round(100*time.Microsecond))
	}
	timed := func(c *http.Client, u string) (time.Duration, string, string) {
		t0 := time.Now()
		res, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		d := time.Since(t0)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", u, res.StatusCode)
		}
		return d, string(body), res.Header.Get("Server-Timing")
	}
	concurrently := func(what string, n int, fetch func() time.Duration) {
		var mu sync.Mutex
		var all []time.Duration
		var wg sync.WaitGroup
		start := time.Now()
		for w := 0; w < clients; w++ {
			wg.Go(func() {
				var mine []time.Duration
				for i := 0; i < n/clients; i++ {
					mine = append(mine, fetch())
				}
				mu.Lock()
				all = append(all, mine...)
				mu.Unlock()
			})
		}
		wg.Wait()
		report(what, all, time.Since(start))
	}

	for _, who := range []struct{ env, query string }{
		{"TRAJECT_LOAD_COORDINATOR", period},
		{"TRAJECT_LOAD_ADMIN", period},
	} {
		cred := os.Getenv(who.env)
		if cred == "" {
			continue
		}
		user, _, _ := strings.Cut(cred, ":")
		c := loadLogin(t, base, cred, "")
		page := base + "/dashboard?" + who.query

		// Uncached: a committed write moves the data version, so the next view loads and computes again.
		var cold []time.Duration
		start := time.Now()
		for i := 0; i < 5; i++ {
			loadCommit(t, base, cred)
			d, _, tm := timed(c, page)
			if !regexp.MustCompile(`data;desc="load"`).MatchString(tm) {
				t.Errorf("uncached view %d: Server-Timing %q", i, tm)
			}
			cold = append(cold, d)
		}
		report(user+": dashboard, uncached, 1 client", cold, time.Since(start))
		loadCommit(t, base, cred)
		concurrently(fmt.Sprintf("%s: dashboard, uncached, %d clients", user, clients), clients, func() time.Duration {
			d, _, _ := timed(c, page)
			return d
		})

		// Cached.
		_, body, _ := timed(c, page)
		t.Logf("%s: dashboard page %d kB", user, len(body)/1024)
		var warm []time.Duration
		start = time.Now()
		for i := 0; i < 50; i++ {
			d, _, _ := timed(c, page)
			warm = append(warm, d)
		}
		report(user+": dashboard, cached, 1 client", warm, time.Since(start))
		concurrently(fmt.Sprintf("%s: dashboard, cached, %d clients", user, clients), requests, func() time.Duration {
			d, _, tm := timed(c, page)
			if tm != `data;desc="hit", body;desc="hit"` {
				t.Errorf("cached view: Server-Timing %q", tm)
			}
			return d
		})

		// The drill-down nearest 1,000 cases.
		best, bestN := "", 0
		for _, m := range regexp.MustCompile(`href="([^"]+)"[^>]* data-count="(\d+)"`).FindAllStringSubmatch(body, -1) {
			n, _ := strconv.Atoi(m[2])
			if best == "" || abs(n-1000) < abs(bestN-1000) {
				best, bestN = html.UnescapeString(m[1]), n
			}
		}
		if best == "" {
			t.Fatal("no drill-down link on the dashboard")
		}
		d, list, tm := timed(c, base+best)
		t.Logf("%s: drill-down of %d cases (%s), first: %v, %d kB (%s)", user, bestN, best, d.Round(100*time.Microsecond), len(list)/1024, tm)
		var again []time.Duration
		start = time.Now()
		for i := 0; i < 20; i++ {
			d, _, _ := timed(c, base+best)
			again = append(again, d)
		}
		report(user+": drill-down, cached, 1 client", again, time.Since(start))
		concurrently(fmt.Sprintf("%s: drill-down, cached, %d clients", user, clients), 160, func() time.Duration {
			d, _, _ := timed(c, base+best)
			return d
		})
	}
}

// loadCommit makes the server commit (it signs in, which stores a session)
// without following the sign-in to the home page, which would load the
// dashboard's data again itself.
func loadCommit(t *testing.T, base, cred string) {
	t.Helper()
	path := os.Getenv("TRAJECT_LOAD_DB")
	if path == "" {
		t.Fatal("set TRAJECT_LOAD_DB to the served database, so the test can commit a change and measure uncached views")
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := tx.Commit(); err != nil { // an empty write transaction still moves the data version
		t.Fatal(err)
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

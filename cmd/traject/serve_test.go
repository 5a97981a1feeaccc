package main

import (
	"bufio"
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
)

// waitFor polls cond until it holds, failing the test after a deadline that
// only bounds a failure: a passing test never waits for it.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	poll := time.NewTicker(10 * time.Millisecond)
	defer poll.Stop()
	for !cond() {
		select {
		case <-deadline:
			t.Fatalf("gave up waiting for %s", what)
		case <-poll.C:
		}
	}
}

// syncBuffer is a bytes.Buffer that a command may write while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// servedRE finds the address `traject serve` prints once it listens.
var servedRE = regexp.MustCompile(`Traject serves \S+ on (http://\S+)`)

// startServe runs `traject serve` on a free port until ctx ends, waits until
// it answers /healthz and returns the channel its exit code arrives on.
func startServe(t *testing.T, ctx context.Context, path string, args ...string) <-chan int {
	t.Helper()
	var out, errOut syncBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", path}, args...), e)
	}()
	var url string
	waitFor(t, "serve to print its address", func() bool {
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before it served: %s", code, errOut.String())
		default:
		}
		if m := servedRE.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
		return url != ""
	})
	waitFor(t, "serve to answer /healthz", func() bool {
		resp, err := http.Get(url + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return done
}

// `traject serve` hosts the scheduler; a second server on the same
// database serves too, but only one scheduler holds the database's lock.
// Both stop on cancel, and the lock is released.
func TestServeHostsOneScheduler(t *testing.T) {
	path := conformanceDB(t)
	// The schedulers log to slog's default logger; the test reads what they
	// say to know when one has tried for the lock.
	var logs syncBuffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	holder := func() string {
		l, err := db.FindSchedulerLock(context.Background())
		if err != nil {
			return ""
		}
		return l.Holder
	}

	// Once a server answers, it has decided whether to run a scheduler.
	var done []<-chan int
	done = append(done, startServe(t, ctx, path, "--no-scheduler"))
	if h := holder(); h != "" {
		t.Fatalf("serve --no-scheduler runs a scheduler (%s)", h)
	}
	done = append(done, startServe(t, ctx, path))
	var first string
	waitFor(t, "a scheduler to take the lock", func() bool { first = holder(); return first != "" })
	done = append(done, startServe(t, ctx, path))
	waitFor(t, "the second scheduler to find the lock taken", func() bool {
		return strings.Contains(logs.String(), "another scheduler holds the lock on this database; waiting")
	})
	if h := holder(); h != first {
		t.Fatalf("a second server took the scheduler lock: %s, was %s", h, first)
	}
	cancel()
	for _, d := range done {
		select {
		case code := <-d:
			if code != 0 {
				t.Errorf("serve exited %d", code)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("serve did not stop")
		}
	}
	if _, err := db.FindSchedulerLock(context.Background()); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("the scheduler lock outlives the servers: %v", err)
	}
	// Every server has stopped, so the log is complete: two schedulers
	// spoke, the --no-scheduler server's never did.
	if got := schedulerHolders(logs.String()); len(got) != 2 || !slices.Contains(got, first) {
		t.Fatalf("schedulers in the log: %v, want two, one of them %s", got, first)
	}
}

// holderRE finds the holder a scheduler's log line names.
var holderRE = regexp.MustCompile(`\bholder=(\S+)`)

// schedulerHolders returns the distinct holders in the log, sorted.
func schedulerHolders(log string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		if m := holderRE.FindStringSubmatch(sc.Text()); m != nil && !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

// serve refuses a public address it cannot build a survey link from, and
// says which flag is wrong, before it opens the database.
func TestServeChecksPublicURL(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--public-url", "traject.example.org"}, "want http:// or https://"},
		{[]string{"--public-url", "https://traject.example.org/traject"}, "leave out the path"},
		{[]string{"--public-url", "https://traject.example.org/?a=1"}, "only a scheme, a host and a port"},
		{[]string{"--public-url", "http://traject.example.org", "--secure"}, "with --secure the address starts with https://"},
	} {
		code, _, errOut := cli(t, append([]string{"serve", "--db", "/nonexistent/traject.db"}, tc.args...)...)
		if code != 2 || !strings.Contains(errOut, "--public-url") || !strings.Contains(errOut, tc.want) {
			t.Errorf("serve %v: exit %d, %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

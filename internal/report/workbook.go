package report

import (
	"bufio"
	"context"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/store"
)

// PseudonymSecretKey names the installation's secret of the pseudonymous
// learner keys in the settings table (schema/005_settings.sql).
const PseudonymSecretKey = "pseudonym_secret"

// MIMEType is the media type of an indicator workbook.
const MIMEType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Workbook loads what the indicators read from db and writes the indicator
// workbook of p to w: exact, or with small cells suppressed and learners
// pseudonymous. `traject export indicators`, every scheduled run and the
// web application's download call it, so all three produce the same
// workbook: the scheduler only decides when. An unknown p.Provider is
// ENOTFOUND.
func Workbook(ctx context.Context, db *store.DB, p indicator.Params, exact bool, version string, w io.Writer) (Stats, error) {
	var st Stats
	if p.Provider != "" {
		ok, err := db.ProviderExists(ctx, p.Provider)
		if err != nil {
			return st, err
		}
		if !ok {
			return st, domain.Errorf(domain.ENOTFOUND, "no provider %q in %s", p.Provider, db.Path())
		}
	}
	if err := p.Validate(); err != nil {
		return st, err
	}
	var secret []byte
	if !exact {
		var err error
		if secret, err = db.EnsureSecret(ctx, PseudonymSecretKey); err != nil {
			return st, err
		}
	}
	start := time.Now()
	// Slim leaves out what no indicator reads, certificate numbers among
	// them: a pseudonymous workbook must not name them in its explanations.
	ds, err := db.LoadDataSetWith(ctx, store.LoadOptions{Slim: !exact, Entities: store.IndicatorEntities})
	if err != nil {
		return st, err
	}
	load := time.Since(start)
	if err := ctx.Err(); err != nil {
		return st, err
	}
	defer capHeap()()
	bw := bufio.NewWriterSize(w, 1<<20)
	st, err = Write(bw, ds, Options{Params: p, Exact: exact, Secret: secret, Version: version})
	st.Load = load
	if err != nil {
		return st, err
	}
	return st, bw.Flush()
}

// Job is the scheduler's export: the workbook of Workbook for the
// schedule's period (judged as of its last day), provider and exactness,
// written to the runner's temporary file. Its type is spelled out rather than
// named schedule.Job, so that report need not import the scheduler that runs
// it; a value of it is a schedule.Job all the same.
func Job(db *store.DB, version string) func(ctx context.Context, s domain.Schedule, from, to domain.Date, tmpPath string) error {
	return func(ctx context.Context, s domain.Schedule, from, to domain.Date, tmpPath string) error {
		p := indicator.DefaultParams(from, to)
		p.Provider = s.Provider
		if err := p.Validate(); err != nil {
			return err
		}
		f, err := os.OpenFile(tmpPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
		if err != nil {
			return err
		}
		if _, err := Workbook(ctx, db, p, s.Exact, version, f); err != nil {
			f.Close()
			return err
		}
		return f.Close() // the runner hashes, flushes and renames it
	}
}

// heapFactor bounds the heap while a workbook is written, as a multiple of
// the loaded data set: the workbook's live data is about twice the data set
// (the data set and the cases of two indicators), and Go's default would
// let the garbage of millions of cells grow the heap to twice that again.
const heapFactor = 4.5

// heap counts the workbooks being written, so that the soft memory limit is
// set by the first and restored by the last: the web application and the
// scheduler it hosts may write several at once.
var heap struct {
	sync.Mutex
	users int
	prev  int64
}

// capHeap sets a soft memory limit of heapFactor times the live heap (at
// least 256 MiB) unless GOMEMLIMIT is set, and returns a func that restores
// the previous limit once no workbook is being written. A soft limit only
// makes the collector work earlier: with 100,000 learners it keeps the peak
// under 500 MB at no measurable cost.
func capHeap() (restore func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	runtime.GC() // also drops the garbage of loading
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	limit := max(int64(float64(m.HeapAlloc)*heapFactor), 256<<20)
	heap.Lock()
	if heap.users == 0 {
		heap.prev = debug.SetMemoryLimit(limit)
	} else if cur := debug.SetMemoryLimit(-1); limit > cur {
		// The live heap holds the other workbooks' data too: only raise.
		debug.SetMemoryLimit(limit)
	}
	heap.users++
	heap.Unlock()
	return func() {
		heap.Lock()
		defer heap.Unlock()
		if heap.users--; heap.users == 0 {
			debug.SetMemoryLimit(heap.prev)
		}
	}
}

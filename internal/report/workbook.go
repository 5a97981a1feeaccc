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
)

// PseudonymSecretKey names the installation's secret of the pseudonymous
// learner keys in the settings table (schema/005_settings.sql).
const PseudonymSecretKey = "pseudonym_secret"

// MIMEType is the media type of an indicator workbook.
const MIMEType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Data is what an indicator workbook is written from, loaded by its
// caller (schedule.WorkbookData, for `traject export indicators`, every
// scheduled run and the web application's download): the records the
// indicators read and, for a workbook with pseudonymous learners, the
// installation's secret of the pseudonyms. report itself never reads the
// database.
type Data struct {
	DataSet *domain.DataSet
	Secret  []byte        // the pseudonyms' key (PseudonymSecretKey); required unless the workbook is exact
	Load    time.Duration // how long loading took, reported as Stats.Load
}

// Workbook writes the indicator workbook of p over d to w: exact, or with
// small cells suppressed and learners pseudonymous. `traject export
// indicators`, every scheduled run and the web application's download call
// it, so all three produce the same workbook: the scheduler only decides
// when.
func Workbook(ctx context.Context, d Data, p indicator.Params, exact bool, version string, w io.Writer) (Stats, error) {
	st := Stats{Load: d.Load}
	if err := p.Validate(); err != nil {
		return st, err
	}
	if d.DataSet == nil {
		return st, domain.Errorf(domain.EINVALID, "a workbook needs the data set it is written from")
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	defer capHeap()()
	bw := bufio.NewWriterSize(w, 1<<20)
	st, err := Write(bw, d.DataSet, Options{Params: p, Exact: exact, Secret: d.Secret, Version: version})
	st.Load = d.Load
	if err != nil {
		return st, err
	}
	return st, bw.Flush()
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

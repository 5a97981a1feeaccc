package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/report"
	"github.com/traject-nt2/traject/internal/schedule"
	"github.com/traject-nt2/traject/internal/store"
)

// pseudonymSecretKey names the installation's secret of the pseudonymous
// learner keys in the settings table (schema/005_settings.sql).
const pseudonymSecretKey = "pseudonym_secret"

// workbookEntities are the entities the indicators and the data-quality
// check read.
var workbookEntities = []string{"providers", "modules", "learners", "referrals", "groups", "placements",
	"enrollments", "evaluations", "certificates", "outflows", "followups"}

// workbookTiming says where the time of one workbook went.
type workbookTiming struct {
	load  time.Duration
	stats report.Stats
}

// writeWorkbook makes the indicator workbook of p from the database and
// writes it to w. `traject export indicators` and every scheduled run call
// it, so both produce the same workbook (style.md: "Each job is a command").
func writeWorkbook(ctx context.Context, db *store.DB, p indicator.Params, exact bool, w io.Writer) (workbookTiming, error) {
	var tm workbookTiming
	if err := requireProvider(ctx, db, p.Provider); err != nil {
		return tm, err
	}
	var secret []byte
	if !exact {
		var err error
		if secret, err = db.EnsureSecret(ctx, pseudonymSecretKey); err != nil {
			return tm, err
		}
	}
	start := time.Now()
	// Slim leaves out what no indicator reads, certificate numbers among
	// them: a pseudonymous workbook must not name them in its explanations.
	ds, err := db.LoadDataSetWith(ctx, store.LoadOptions{Slim: !exact, Entities: workbookEntities})
	if err != nil {
		return tm, err
	}
	tm.load = time.Since(start)
	if err := ctx.Err(); err != nil {
		return tm, err
	}
	defer capHeap()()
	bw := bufio.NewWriterSize(w, 1<<20)
	tm.stats, err = report.Write(bw, ds, report.Options{Params: p, Exact: exact, Secret: secret, Version: Version})
	if err != nil {
		return tm, err
	}
	return tm, bw.Flush()
}

// heapFactor bounds the heap while a workbook is written, as a multiple of
// the loaded data set: the workbook's live data is about twice the data set
// (the data set and the cases of two indicators), and Go's default would
// let the garbage of millions of cells grow the heap to twice that again.
const heapFactor = 4.5

// capHeap sets a soft memory limit of heapFactor times the live heap (at
// least 256 MiB) unless GOMEMLIMIT is set, and returns a func that restores
// the previous limit. A soft limit only makes the collector work earlier:
// with 100,000 learners it keeps the peak under 500 MB at no measurable cost.
func capHeap() (restore func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	runtime.GC() // also drops the garbage of loading
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	prev := debug.SetMemoryLimit(max(int64(float64(m.HeapAlloc)*heapFactor), 256<<20))
	return func() { debug.SetMemoryLimit(prev) }
}

// workbookJob is the scheduler's export: the workbook of `traject export
// indicators` for the schedule's period (judged as of its last day), provider
// and exactness, written to the runner's temporary file.
func workbookJob(db *store.DB) schedule.Job {
	return func(ctx context.Context, s schedule.Schedule, from, to domain.Date, tmpPath string) error {
		p := indicator.DefaultParams(from, to)
		p.Provider = s.Provider
		if err := p.Validate(); err != nil {
			return err
		}
		f, err := os.OpenFile(tmpPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
		if err != nil {
			return err
		}
		if _, err := writeWorkbook(ctx, db, p, s.Exact, f); err != nil {
			f.Close()
			return err
		}
		return f.Close() // the runner hashes, flushes and renames it
	}
}

// cmdExportIndicators writes the indicator workbook:
// `traject export indicators --from F --to T --out FILE.xlsx`.
func cmdExportIndicators(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "export indicators", "export indicators --from F --to T [--provider P] [--as-of D] --out FILE.xlsx [--exact] [parameter flags]")
	pf := addIndicatorFlags(fs)
	out := fs.String("out", "", "the workbook to write (FILE.xlsx, required); replaced if it exists")
	exact := fs.Bool("exact", false, "exact counts and learner ids: no small-cell suppression and no pseudonyms (for use inside the provider only)")
	timing := fs.Bool("timing", false, "print how long loading, computing and writing took on stderr")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("unexpected argument %q (the file goes in --out)", pos[0])}
	}
	if strings.TrimSpace(*out) == "" {
		fs.Usage()
		return &exitError{code: 2, msg: "--out FILE.xlsx is required"}
	}
	if !strings.EqualFold(filepath.Ext(*out), ".xlsx") {
		return &exitError{code: 2, msg: fmt.Sprintf("--out %q: the workbook's name must end in .xlsx", *out)}
	}
	p, err := pf.params()
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	var tm workbookTiming
	size, sum, err := writeAtomically(*out, func(w io.Writer) error {
		var err error
		tm, err = writeWorkbook(ctx, db, p, *exact, w)
		return err
	})
	if err != nil {
		return err
	}
	what := "small cells suppressed, learners pseudonymous"
	if *exact {
		what = "exact, learners identified: for use inside the provider only"
	}
	e.printf("wrote %s (%d bytes, sha256 %s)\n%d cases, %d data-quality findings; %s\n", *out, size, sum, tm.stats.Cases, tm.stats.Findings, what)
	if *timing {
		st := tm.stats
		e.eprintf("load %.3fs, compute %.3fs, write %.3fs (compute and write overlap; workbook %.3fs)\n",
			tm.load.Seconds(), st.Compute.Seconds(), st.Write.Seconds(), st.Total.Seconds())
	}
	return nil
}

// writeAtomically has write fill a temporary file in path's folder, flushes
// it to disk and renames it to path, so that path never holds half a file;
// it returns the size and SHA-256 of what was written.
func writeAtomically(path string, write func(io.Writer) error) (size int64, sum string, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return 0, "", fmt.Errorf("create %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(tmp, h)}
	if err = write(cw); err != nil {
		return 0, "", err
	}
	if err = tmp.Chmod(0o640); err != nil {
		return 0, "", err
	}
	if err = tmp.Sync(); err != nil {
		return 0, "", fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return 0, "", fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return 0, "", fmt.Errorf("move workbook into place: %w", err)
	}
	return cw.n, hex.EncodeToString(h.Sum(nil)), nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

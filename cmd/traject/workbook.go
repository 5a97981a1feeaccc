package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/traject-nt2/traject/internal/report"
	"github.com/traject-nt2/traject/internal/schedule"
)

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
	d, err := schedule.WorkbookData(ctx, db, p.Provider, *exact)
	if err != nil {
		return err
	}
	var st report.Stats
	size, sum, err := writeAtomically(*out, func(w io.Writer) error {
		var err error
		st, err = report.Workbook(ctx, d, p, *exact, Version, w)
		return err
	})
	if err != nil {
		return err
	}
	what := "small cells suppressed, learners pseudonymous"
	if *exact {
		what = "exact, learners identified: for use inside the provider only"
	}
	e.printf("wrote %s (%d bytes, sha256 %s)\n%d cases, %d data-quality findings; %s\n", *out, size, sum, st.Cases, st.Findings, what)
	if *timing {
		e.eprintf("load %.3fs, compute %.3fs, write %.3fs (compute and write overlap; workbook %.3fs)\n",
			st.Load.Seconds(), st.Compute.Seconds(), st.Write.Seconds(), st.Total.Seconds())
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

package report

import (
	"io"
	"sync"
	"testing"

	"github.com/traject-nt2/traject/internal/demo"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
)

var (
	benchOnce sync.Once
	benchDS   *domain.DataSet
)

// benchData is the demo data set of 100,000 learners.
func benchData() *domain.DataSet {
	benchOnce.Do(func() { benchDS = demo.Generate(demo.Options{Learners: 100_000}) })
	return benchDS
}

// countingWriter counts the bytes of the workbook without keeping them.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countingWriter)(nil)

// BenchmarkWorkbook writes the full workbook (every sheet, pseudonymous
// learners) for one school year of 100,000 demo learners, and reports how
// much of the time is computing and how much writing.
func BenchmarkWorkbook(b *testing.B) {
	ds := benchData()
	p := indicator.DefaultParams(domain.MustDate("2024-09-01"), domain.MustDate("2025-08-31"))
	b.ReportAllocs()
	b.ResetTimer()
	var compute, write, total float64
	var size int64
	var st Stats
	for b.Loop() {
		w := &countingWriter{}
		var err error
		st, err = Write(w, ds, Options{Params: p, Secret: testSecret, Version: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		compute += st.Compute.Seconds()
		write += st.Write.Seconds()
		total += st.Total.Seconds()
		size = w.n
	}
	b.ReportMetric(compute/float64(b.N), "compute-s/op")
	b.ReportMetric(write/float64(b.N), "write-s/op")
	b.ReportMetric(total/float64(b.N), "total-s/op")
	b.ReportMetric(float64(st.Cases), "cases")
	b.ReportMetric(float64(size)/1e6, "MB")
}

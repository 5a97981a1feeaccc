package indicator

import (
	"sync"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

var (
	benchOnce sync.Once
	benchDS   *domain.DataSet
)

// benchData is a generated data set of 100,000 learners (about 120k
// referrals, 250k enrollments, 600k evaluations, 90k placements).
func benchData() *domain.DataSet {
	benchOnce.Do(func() { benchDS = genDataSet(42, 100_000) })
	return benchDS
}

func benchParams() Params {
	return DefaultParams(domain.MustDate("2024-09-01"), domain.MustDate("2025-08-31"))
}

func BenchmarkCompute(b *testing.B) {
	ds := benchData()
	p := benchParams()
	b.ReportMetric(float64(len(ds.Learners)), "learners")
	b.ResetTimer()
	b.ReportAllocs()
	for b.Loop() {
		Compute(ds, p)
	}
}

func BenchmarkComputeProvider(b *testing.B) {
	ds := benchData()
	p := benchParams()
	p.Provider = "P02"
	b.ResetTimer()
	b.ReportAllocs()
	for b.Loop() {
		Compute(ds, p)
	}
}

func BenchmarkExplain(b *testing.B) {
	ds := benchData()
	p := benchParams()
	b.ResetTimer()
	b.ReportAllocs()
	for b.Loop() {
		Explain(ds, p)
	}
}

func BenchmarkExplainFilter(b *testing.B) {
	ds := benchData()
	p := benchParams()
	f := Filter{Indicator: IndicatorAccess, Class: "late", Breakdown: BreakdownProvider, Key: "P02"}
	b.ResetTimer()
	b.ReportAllocs()
	for b.Loop() {
		ExplainFilter(ds, p, f)
	}
}

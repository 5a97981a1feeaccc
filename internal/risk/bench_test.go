package risk

import "testing"

// BenchmarkValidate measures `risk validate` over two learning years and
// one test year of a synthetic installation with registers (3,000 learners,
// about 40 lessons per enrollment); the figure is for 100,000.
func BenchmarkValidate(b *testing.B) {
	in := synth(5, 3000, true)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Validate(in, years, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEstimate measures `risk --as-of` on the same installation.
func BenchmarkEstimate(b *testing.B) {
	in := synth(5, 3000, true)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Estimate(in, d("2025-09-08"), ""); err != nil {
			b.Fatal(err)
		}
	}
}

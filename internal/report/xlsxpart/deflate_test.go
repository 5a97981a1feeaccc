package xlsxpart

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
)

func TestParallelDeflateRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 999, 1000, 1001, 5000, 12345} {
		for _, workers := range []int{1, 3} {
			t.Run(fmt.Sprintf("%d bytes/%d workers", n, workers), func(t *testing.T) {
				want := make([]byte, n)
				for i := range want { // compressible, like XML
					want[i] = "<c r=\"A1\"><v>12</v></c>"[r.IntN(8)]
				}
				var z bytes.Buffer
				d := newParallelDeflate(&z, 1000, workers)
				for p := want; len(p) > 0; {
					k := min(len(p), 1+r.IntN(2500)) // writes across block boundaries
					if _, err := d.Write(p[:k]); err != nil {
						t.Fatal(err)
					}
					p = p[k:]
				}
				if err := d.Close(); err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(flate.NewReader(&z))
				if err != nil {
					t.Fatalf("the stream does not inflate: %v", err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("inflated %d bytes, want the %d written", len(got), len(want))
				}
			})
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestParallelDeflateReportsWriteErrors(t *testing.T) {
	d := newParallelDeflate(failWriter{}, 100, 2)
	for range 10 {
		if _, err := d.Write(bytes.Repeat([]byte("x"), 150)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Close(); err == nil || err.Error() != "disk full" {
		t.Fatalf("Close = %v, want disk full", err)
	}
}

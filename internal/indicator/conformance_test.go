package indicator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

const conformanceDir = "../../testdata/conformance"

// conformanceCases are the three runs of testdata/conformance/README.md.
var conformanceCases = []struct {
	file     string
	from, to string
	asOf     string
	provider string
}{
	{"expected.json", "2024-09-01", "2025-08-31", "", ""},
	{"expected-CVO-A.json", "2024-09-01", "2025-08-31", "", "CVO-A"},
	{"expected-2025-asof-2026-06-30.json", "2025-01-01", "2025-12-31", "2026-06-30", ""},
}

func conformanceParams(from, to, asOf, provider string) Params {
	p := DefaultParams(domain.MustDate(from), domain.MustDate(to))
	if asOf != "" {
		p.AsOf = domain.MustDate(asOf)
	}
	p.Provider = provider
	return p
}

func TestConformance(t *testing.T) {
	ds := loadDir(t, conformanceDir)
	for _, tc := range conformanceCases {
		t.Run(tc.file, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(conformanceDir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			p := conformanceParams(tc.from, tc.to, tc.asOf, tc.provider)
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			r := Compute(ds, p)
			var buf bytes.Buffer
			if err := WriteJSON(&buf, r); err != nil {
				t.Fatal(err)
			}
			var got, exp any
			if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(want, &exp); err != nil {
				t.Fatal(err)
			}
			var diffs []string
			compareJSON("", got, exp, &diffs)
			if len(diffs) > 0 {
				if len(diffs) > 40 {
					diffs = append(diffs[:40], fmt.Sprintf("… and %d more", len(diffs)-40))
				}
				for _, d := range diffs {
					t.Error(d)
				}
			}
			// Key order (struct order, sorted keys, target_level by rank) and
			// number layout are pinned by comparing the bytes too.
			if len(diffs) == 0 && !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("JSON equal in value but not byte for byte:\n%s", firstDiff(buf.Bytes(), want))
			}
		})
	}
}

// compareJSON appends a message for every difference between got and want:
// missing or extra keys, nulls, and numbers further apart than 1e-9.
func compareJSON(path string, got, want any, diffs *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want an object", path, got))
			return
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			gv, ok := g[k]
			if !ok {
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: missing", path, k))
				continue
			}
			compareJSON(path+"."+k, gv, w[k], diffs)
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: extra key (value %v)", path, k, g[k]))
			}
		}
	case float64:
		g, ok := got.(float64)
		if !ok || math.Abs(g-w) > 1e-9 {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want %v", path, got, w))
		}
	default:
		if got != want {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want %v", path, got, want))
		}
	}
}

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-200)
	return fmt.Sprintf("at byte %d\n got: …%s…\nwant: …%s…", i, a[lo:min(len(a), i+100)], b[lo:min(len(b), i+100)])
}

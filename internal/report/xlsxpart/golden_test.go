package xlsxpart

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The golden test of the workbook's fast path: the same cells written with
// excelize's StreamWriter (the plain path) and with Rows spliced in by Zip
// (the fast path) give workbooks whose parts are byte for byte the same,
// uncompressed, and that excelize reads back with the same values, styles
// and types. Byte equality is meaningful here: both paths write the same
// attribute order (r, s, t), and every other part comes from excelize itself.

// hardTexts are texts around the edges of a cell: XML's specials, white
// space at either end, control characters, Excel's _xHHHH_ escapes,
// invalid UTF-8, characters outside the BMP and a text beyond Excel's limit.
var hardTexts = []string{
	"gewoon", `a & b <c> "d" 'e'`, " voor", "na\n", "\tbeide ", "regel\r\ntab\tklaar",
	"bel\x07en\x00nul", "\x1f", "code _x0041_ blijft", "_x12_ geen", "_x005F_", "_x005F_x0041_", "_x0041_x0042_",
	"_xD800_ surrogaat", "_x005F_xD800_", "_x005F_x00", "__x0041_", "_x0041", "x_x0041_", "_X0041_", "_x005f_ klein", "_x00e9__x00E9_", "é ☃ 😀", "kapot \xff", "\uFFFE\uFFFF niet", "\uFFFD echt",
	"&#xA; letterlijk", "]]>", strings.Repeat("😀", MaxCellChars), strings.Repeat("x", MaxCellChars+3) + "!",
}

// hardNumbers are numbers whose text excelize shortens (15 significant
// digits), signs, zeros, extremes and what is not a number.
var hardNumbers = []float64{
	0, 1, -1, 1.5, 0.1 + 0.2, 2.0 / 3, 1.0 / 3 * 100, 123456789012345678, 1e21, 1e-7, 5e-324, math.MaxFloat64,
	-math.MaxFloat64, math.Copysign(0, -1), 45658, 45658.5, 0.123456789012345678, math.NaN(), math.Inf(1), math.Inf(-1),
}

// value is one cell to write: a text, a number or nothing.
type value struct {
	kind int // 0 none, 1 text, 2 number
	text string
	num  float64
}

// goldenRows are n rows of cols cells drawn from the hard values, with
// empty cells among them.
func goldenRows(n, cols int) [][]value {
	rows := make([][]value, n)
	k := 0
	for i := range rows {
		rows[i] = make([]value, cols)
		for j := range rows[i] {
			k++
			switch k % 5 {
			case 0:
			case 1, 3:
				rows[i][j] = value{kind: 1, text: hardTexts[k%len(hardTexts)]}
			default:
				rows[i][j] = value{kind: 2, num: hardNumbers[k%len(hardNumbers)]}
			}
		}
	}
	return rows
}

// goldenBook writes rows below a header with excelize's stream writer, or
// with Rows spliced in when fast.
func goldenBook(t *testing.T, rows [][]value, cols int, fast bool) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	styles := make([]int, cols)
	for i := range styles {
		if i == 0 {
			continue // a column without a style
		}
		var err error
		if styles[i], err = f.NewStyle(&excelize.Style{NumFmt: []int{0, 14, 10, 2, 49}[i%5], Font: &excelize.Font{Bold: i%2 == 0}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.NewSheet("Lerenden"); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Lerenden")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetColWidth(1, 2, 18); err != nil {
		t.Fatal(err)
	}
	header := make([]any, cols)
	for i := range header {
		header[i] = excelize.Cell{StyleID: styles[len(styles)-1], Value: fmt.Sprint("kolom ", i+1)}
	}
	if err := sw.SetRow("A1", header); err != nil {
		t.Fatal(err)
	}
	var z *Zip
	if fast {
		rw, err := NewRows(styles, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer rw.Close()
		for _, row := range rows {
			rw.StartRow()
			for i, v := range row {
				switch v.kind {
				case 1:
					rw.Text(i, v.text)
				case 2:
					rw.Number(i, v.num)
				}
			}
			if err := rw.EndRow(); err != nil {
				t.Fatal(err)
			}
		}
		if err := rw.Finish(); err != nil {
			t.Fatal(err)
		}
		parts := map[string]*Rows{"xl/worksheets/sheet2.xml": rw}
		f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { z = NewZip(w, parts); return z })
	} else {
		vals := make([]any, cols)
		for r, row := range rows {
			for i, v := range row {
				switch v.kind {
				case 0:
					vals[i] = nil
				case 1:
					vals[i] = excelize.Cell{StyleID: styles[i], Value: v.text}
				case 2:
					vals[i] = excelize.Cell{StyleID: styles[i], Value: v.num}
				}
			}
			ref, err := excelize.CoordinatesToCellName(1, r+2)
			if err != nil {
				t.Fatal(err)
			}
			if err := sw.SetRow(ref, vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if fast {
		if err := z.Check(); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// unzip returns every part of a workbook, uncompressed.
func unzip(t *testing.T, book []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if parts[f.Name], err = io.ReadAll(rc); err != nil { // checks the CRC
			t.Fatalf("part %s: %v", f.Name, err)
		}
		rc.Close()
	}
	return parts
}

// TestSplicedSheetMatchesStreamWriter compares the two paths part for part
// and cell for cell, on a small sheet and on one large enough that the
// parallel deflate compresses its part in several blocks.
func TestSplicedSheetMatchesStreamWriter(t *testing.T) {
	for _, n := range []int{0, 1, len(hardTexts) * 3, 150} {
		t.Run(fmt.Sprint(n, " rows"), func(t *testing.T) {
			const cols = 7
			rows := goldenRows(n, cols)
			plainBook, fastBook := goldenBook(t, rows, cols, false), goldenBook(t, rows, cols, true)
			plain, fast := unzip(t, plainBook), unzip(t, fastBook)
			names := slices.Sorted(func(yield func(string) bool) {
				for k := range plain {
					if !yield(k) {
						return
					}
				}
			})
			if len(plain) != len(fast) {
				t.Errorf("%d parts, want the %d of the stream writer", len(fast), len(plain))
			}
			for _, name := range names {
				if !bytes.Equal(fast[name], plain[name]) {
					t.Errorf("part %s differs from the stream writer's:\n%s", name, firstDiff(fast[name], plain[name]))
				}
			}
			if n == 150 && len(fast["xl/worksheets/sheet2.xml"]) <= deflateBlock {
				t.Fatalf("the sheet is %d bytes, not more than one deflate block", len(fast["xl/worksheets/sheet2.xml"]))
			}
			sameCells(t, plainBook, fastBook, n+1, cols)
		})
	}
}

// FuzzSplicedCellMatchesStreamWriter looks for a text or a number that
// the two paths write differently.
func FuzzSplicedCellMatchesStreamWriter(f *testing.F) {
	for i, s := range hardTexts {
		f.Add(s, hardNumbers[i%len(hardNumbers)])
	}
	f.Fuzz(func(t *testing.T, s string, v float64) {
		rows := [][]value{{{kind: 1, text: s}, {kind: 2, num: v}}}
		plain, fast := unzip(t, goldenBook(t, rows, 2, false)), unzip(t, goldenBook(t, rows, 2, true))
		const part = "xl/worksheets/sheet2.xml"
		if !bytes.Equal(fast[part], plain[part]) {
			t.Errorf("text %q, number %v:\n%s", s, v, firstDiff(fast[part], plain[part]))
		}
	})
}

// sameCells opens both workbooks with excelize and compares every cell's
// value, style and type.
func sameCells(t *testing.T, plainBook, fastBook []byte, rows, cols int) {
	t.Helper()
	pf, err := excelize.OpenReader(bytes.NewReader(plainBook))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	ff, err := excelize.OpenReader(bytes.NewReader(fastBook))
	if err != nil {
		t.Fatalf("excelize does not open the spliced workbook: %v", err)
	}
	defer ff.Close()
	for r := 1; r <= min(rows, 200); r++ {
		for c := 1; c <= cols; c++ {
			ref, _ := excelize.CoordinatesToCellName(c, r)
			pv, perr := pf.GetCellValue("Lerenden", ref)
			fv, ferr := ff.GetCellValue("Lerenden", ref)
			ps, _ := pf.GetCellStyle("Lerenden", ref)
			fs, _ := ff.GetCellStyle("Lerenden", ref)
			pt, _ := pf.GetCellType("Lerenden", ref)
			ft, _ := ff.GetCellType("Lerenden", ref)
			if perr != nil || ferr != nil || pv != fv || ps != fs || pt != ft {
				t.Errorf("%s: fast %.40q style %d type %v (%v), plain %.40q style %d type %v (%v)", ref, fv, fs, ft, ferr, pv, ps, pt, perr)
			}
		}
	}
}

// firstDiff shows where got and want part, with some context.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-100)
	return fmt.Sprintf("at byte %d of %d/%d\n got …%q\nwant …%q", i, len(got), len(want), got[from:min(len(got), i+60)], want[from:min(len(want), i+60)])
}

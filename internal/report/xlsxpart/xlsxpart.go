// Package xlsxpart writes the rows of a very large sheet of an excelize
// workbook without excelize's per-cell work, and zips the workbook on every
// core: the fast path of the indicator workbook's cases sheet (hundreds of
// thousands of rows of two dozen cells).
//
// Rows renders rows as SpreadsheetML into a temporary file, writing the
// bytes excelize's StreamWriter writes for the same cells (inline strings
// and numbers); excelize's stream writer spends most of a workbook's time on
// per-cell string handling (a regular expression and XML escaping for every
// text cell). excelize still writes the sheet itself (its header row,
// columns, panes and filter); Zip, the workbook's zip writer, splices the
// rows into the sheet's part before its </sheetData> and deflates large
// parts in parallel. Its golden test holds the spliced workbook to the one
// excelize's stream writer makes of the same cells, part for part.
package xlsxpart

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// MaxCellChars is the most UTF-16 units a cell may hold (Excel's limit);
// a longer text is cut, as excelize cuts it.
const MaxCellChars = 32767

// Rows renders the rows of one sheet into a temporary file.
type Rows struct {
	file   *os.File
	w      *bufio.Writer
	styles []int
	cols   []string // column letters
	row    int      // the row being written
	rowNum []byte   // its number, as text
	buf    []byte
}

// NewRows starts the rows of a sheet whose columns have the given style
// IDs (0: none), below the rows excelize wrote (after: the last of them,
// 1 below a header row). Close removes its temporary file.
func NewRows(styles []int, after int) (*Rows, error) {
	f, err := os.CreateTemp("", "traject-rows-*.xml")
	if err != nil {
		return nil, fmt.Errorf("temporary file for the sheet's rows: %w", err)
	}
	cols := make([]string, len(styles))
	for i := range cols {
		if cols[i], err = excelize.ColumnNumberToName(i + 1); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, err
		}
	}
	return &Rows{file: f, w: bufio.NewWriterSize(f, 1<<20), styles: styles, cols: cols, row: after}, nil
}

// StartRow begins the next row.
func (r *Rows) StartRow() {
	r.row++
	r.rowNum = strconv.AppendInt(r.rowNum[:0], int64(r.row), 10)
	b := append(r.buf[:0], `<row r="`...)
	b = append(b, r.rowNum...)
	r.buf = append(b, `">`...)
}

// cell starts the cell of column col: `<c r="B7" s="3"`.
func (r *Rows) cell(col int) {
	b := append(r.buf, `<c r="`...)
	b = append(b, r.cols[col]...)
	b = append(b, r.rowNum...)
	b = append(b, '"')
	if s := r.styles[col]; s != 0 {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(s), 10)
		b = append(b, '"')
	}
	r.buf = b
}

// Text writes a text cell in column col (from 0) of the row; a column
// with no call has no cell. (An empty text is a cell, as in excelize.)
func (r *Rows) Text(col int, s string) {
	r.cell(col)
	r.buf = appendInlineString(r.buf, s)
}

// Number writes a number cell in column col (from 0) of the row. Like
// excelize, it writes at most 15 significant digits, and NaN and the
// infinities as text.
func (r *Rows) Number(col int, v float64) {
	r.cell(col)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		r.buf = appendInlineString(r.buf, strconv.FormatFloat(v, 'g', -1, 64)) // "NaN", "+Inf", "-Inf", as fmt.Sprint
		return
	}
	b := append(r.buf, `><v>`...)
	b = appendNumber(b, v)
	r.buf = append(b, `</v></c>`...)
}

// maxDigits is how many significant digits excelize writes of a number.
const maxDigits = 15

// appendNumber appends v as excelize's formatCellFloat writes it with its
// automatic precision: the shortest decimal that reads back as v, cut (not
// rounded) after 15 significant digits, the digits cut before the point
// becoming zeros.
func appendNumber(b []byte, v float64) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, v, 'f', -1, 64)
	if math.Abs(v) == math.MaxFloat64 {
		return b
	}
	str := b[start:]
	point := bytes.IndexByte(str, '.')
	significant := 0
	for i, c := range str {
		if c < '0' || c > '9' || significant == 0 && c == '0' {
			continue
		}
		if significant++; significant <= maxDigits {
			continue
		}
		if point >= 0 && i > point {
			return bytes.TrimSuffix(b[:start+i], []byte("."))
		}
		if point < 0 {
			point = len(str)
		}
		for ; i < point; i++ {
			str[i] = '0'
		}
		return b[:start+point]
	}
	return b
}

// EndRow ends the row and writes it out.
func (r *Rows) EndRow() error {
	r.buf = append(r.buf, `</row>`...)
	_, err := r.w.Write(r.buf)
	return err
}

// appendInlineString appends the rest of a text cell as excelize writes it
// (trimCellValue, then bstrMarshal): the text cut to MaxCellChars, an
// inline string, xml:space="preserve" when it starts or ends with white
// space, XML-escaped as encoding/xml's EscapeText escapes text (but for
// line feeds, which stay), and Excel's _xHHHH_ escapes escaped.
func appendInlineString(b []byte, s string) []byte {
	s = truncateCell(s)
	b = append(b, ` t="inlineStr"><is><t`...)
	if s != "" && (isSpace(s[0]) || isSpace(s[len(s)-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	for i := 0; i < len(s); {
		c := s[i]
		if c == '_' {
			if n, ok := escapeLike(s[i:]); ok {
				b = appendEscapedEscape(b, s[i:], n)
				i += n
				continue
			}
		}
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				b = append(b, "&amp;"...)
			case c == '<':
				b = append(b, "&lt;"...)
			case c == '>':
				b = append(b, "&gt;"...)
			case c == '\'':
				b = append(b, "&#39;"...)
			case c == '"':
				b = append(b, "&#34;"...)
			case c == '\r':
				b = append(b, "&#xD;"...)
			case c == '\t':
				b = append(b, "&#x9;"...)
			case c == '\n':
				b = append(b, c) // escaped to &#xA; and back by excelize
			case c < 0x20:
				b = append(b, "\uFFFD"...) // not allowed in XML 1.0
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r == 0xFFFE || r == 0xFFFF:
			b = append(b, "\uFFFD"...) // invalid UTF-8, or not allowed in XML 1.0
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, `</t></is></c>`...)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// escapeLike reports whether s starts with _xHHHH_, which Excel reads as
// the character U+HHHH, and how many bytes of s excelize's escaping takes
// from there: the 7 of the sequence.
func escapeLike(s string) (int, bool) {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' || !allHex(s[2:6]) {
		return 0, false
	}
	return 7, true
}

func allHex(s string) bool {
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// validEscape reports whether the four hex digits name a character, which
// excelize asks of strconv.Unquote: any but a UTF-16 surrogate.
func validEscape(hex string) bool {
	v, err := strconv.ParseUint(hex, 16, 32)
	return err == nil && utf8.ValidRune(rune(v))
}

// appendEscapedEscape appends the _xHHHH_ at the start of s (n bytes) as
// excelize's bstrMarshal writes it, so that Excel reads it as written:
// "_x005F" before it. Two quirks of bstrMarshal are kept, so that the
// part stays what excelize writes: a literal _x005F_ becomes
// _x005F_x005F_ (with a third _x005F_ when an xHHHH_ follows it), and a
// sequence naming a surrogate (_xD800_) is dropped.
func appendEscapedEscape(b []byte, s string, n int) []byte {
	seq := s[:n]
	if seq == "_x005F_" {
		if len(s) >= n+6 && s[n] == 'x' && s[n+5] == '_' && allHex(s[n+1:n+5]) && validEscape(s[n+1:n+5]) {
			return append(b, "_x005F_x005F_x005F_"...)
		}
		return append(b, "_x005F_x005F_"...)
	}
	if !validEscape(seq[2:6]) {
		return b
	}
	b = append(b, "_x005F"...)
	return append(b, seq...)
}

// truncateCell cuts s to Excel's limit of MaxCellChars UTF-16 units.
func truncateCell(s string) string {
	if len(s) <= MaxCellChars { // a UTF-16 unit takes at least one byte
		return s
	}
	units := 0
	for i, r := range s {
		n := 1
		if r > 0xFFFF {
			n = 2
		}
		if units+n > MaxCellChars {
			return s[:i]
		}
		units += n
	}
	return s
}

// Finish writes out what is buffered; the rows are then ready to splice.
func (r *Rows) Finish() error { return r.w.Flush() }

// copyTo writes the rendered rows to w.
func (r *Rows) copyTo(w io.Writer) error {
	if _, err := r.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, bufio.NewReaderSize(r.file, 1<<20))
	return err
}

// Close removes the temporary file.
func (r *Rows) Close() {
	r.file.Close()
	os.Remove(r.file.Name())
}

package report

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The rows of the Lerenden sheet (hundreds of thousands of rows of two dozen
// cells) are rendered here as SpreadsheetML into a temporary file, and
// spliced into the sheet's part when the workbook is zipped. excelize's
// stream writer does the same job but spends most of the workbook's time on
// per-cell string handling (a regular expression and XML escaping for every
// text cell); this writer emits the same markup excelize does for inline
// strings and numbers, so the part stays exactly what excelize would write.
// excelize still writes the sheet itself: its header row, columns, panes
// and filter; the rows go in before its </sheetData>.

// maxCellChars is the most UTF-16 units a cell may hold (Excel's limit).
const maxCellChars = 32767

// rowWriter renders rows into a temporary file.
type rowWriter struct {
	file   *os.File
	w      *bufio.Writer
	styles []int
	cols   []string // column letters
	row    int      // the last row written; the header is row 1
	buf    []byte
}

func newRowWriter(styles []int) (*rowWriter, error) {
	f, err := os.CreateTemp("", "traject-rows-*.xml")
	if err != nil {
		return nil, fmt.Errorf("temporary file for the case rows: %w", err)
	}
	cols := make([]string, len(styles))
	for i := range cols {
		if cols[i], err = excelize.ColumnNumberToName(i + 1); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, err
		}
	}
	return &rowWriter{file: f, w: bufio.NewWriterSize(f, 1<<20), styles: styles, cols: cols, row: 1}, nil
}

// write renders one row after the ones before it.
func (rw *rowWriter) write(row []cell) error {
	rw.row++
	b := append(rw.buf[:0], `<row r="`...)
	b = strconv.AppendInt(b, int64(rw.row), 10)
	b = append(b, `">`...)
	for i, c := range row {
		if c.kind == cellEmpty || (c.kind != cellText && (math.IsNaN(c.num) || math.IsInf(c.num, 0))) {
			continue
		}
		b = append(b, `<c r="`...)
		b = append(b, rw.cols[i]...)
		b = strconv.AppendInt(b, int64(rw.row), 10)
		b = append(b, '"')
		if s := rw.styles[i]; s != 0 {
			b = append(b, ` s="`...)
			b = strconv.AppendInt(b, int64(s), 10)
			b = append(b, '"')
		}
		if c.kind == cellText {
			b = appendInlineString(b, c.text)
		} else {
			b = append(b, `><v>`...)
			b = strconv.AppendFloat(b, c.num, 'f', -1, 64)
			b = append(b, `</v></c>`...)
		}
	}
	b = append(b, `</row>`...)
	rw.buf = b
	_, err := rw.w.Write(b)
	return err
}

// appendInlineString appends the rest of a text cell as excelize writes it:
// an inline string, xml:space="preserve" when it starts or ends with white
// space, XML-escaped as encoding/xml escapes text, with literal _xHHHH_
// sequences escaped as Excel wants.
func appendInlineString(b []byte, s string) []byte {
	s = truncateCell(s)
	b = append(b, ` t="inlineStr"><is><t`...)
	if s != "" && (isSpace(s[0]) || isSpace(s[len(s)-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	for i := 0; i < len(s); {
		c := s[i]
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
			case c == '_' && isEscapeLike(s[i:]):
				b = append(b, "_x005F"...) // _xHHHH_ would read as an escaped character
				b = append(b, c)
			case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
				// not allowed in XML 1.0: dropped
			case c == '\r':
				b = append(b, "&#xD;"...)
			case c == '\t':
				b = append(b, "&#x9;"...)
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, "\uFFFD"...)
		case r == 0xFFFE || r == 0xFFFF:
			// not allowed in XML 1.0: dropped
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, `</t></is></c>`...)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isEscapeLike reports whether s starts with _xHHHH_.
func isEscapeLike(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// truncateCell cuts s to Excel's limit of maxCellChars UTF-16 units.
func truncateCell(s string) string {
	if len(s) <= maxCellChars { // a UTF-16 unit takes at least one byte
		return s
	}
	units := 0
	for i, r := range s {
		n := 1
		if r > 0xFFFF {
			n = 2
		}
		if units+n > maxCellChars {
			return s[:i]
		}
		units += n
	}
	return s
}

// finish flushes the rows to the file.
func (rw *rowWriter) finish() error { return rw.w.Flush() }

// copyTo writes the rendered rows to w.
func (rw *rowWriter) copyTo(w io.Writer) error {
	if _, err := rw.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, bufio.NewReaderSize(rw.file, 1<<20))
	return err
}

// close removes the temporary file.
func (rw *rowWriter) close() {
	rw.file.Close()
	os.Remove(rw.file.Name())
}

// spliceZip is the workbook's zip writer with rows to splice into the parts
// named in parts, before their </sheetData>.
type spliceZip struct {
	excelize.ZipWriter
	parts    map[string]*rowWriter
	splicers []*splicer
}

// Create starts a part; a part with rows to splice gets a splicer.
func (z *spliceZip) Create(name string) (io.Writer, error) {
	w, err := z.ZipWriter.Create(name)
	if err != nil {
		return nil, err
	}
	if rw, ok := z.parts[name]; ok {
		s := &splicer{w: w, rows: rw, part: name}
		z.splicers = append(z.splicers, s)
		return s, nil
	}
	return w, nil
}

// check reports a part whose rows were never spliced in.
func (z *spliceZip) check() error {
	if len(z.splicers) != len(z.parts) {
		return errors.New("workbook: a streamed sheet was not written")
	}
	for _, s := range z.splicers {
		if !s.done {
			return fmt.Errorf("workbook: no </sheetData> in %s", s.part)
		}
	}
	return nil
}

var sheetDataEnd = []byte("</sheetData>")

// splicer passes a part through, inserting the rows before </sheetData>.
type splicer struct {
	w       io.Writer
	rows    *rowWriter
	part    string
	pending []byte // a tail that may hold the start of the marker
	done    bool
}

func (s *splicer) Write(p []byte) (int, error) {
	if s.done {
		return s.w.Write(p)
	}
	data := append(s.pending, p...)
	if i := bytes.Index(data, sheetDataEnd); i >= 0 {
		if _, err := s.w.Write(data[:i]); err != nil {
			return 0, err
		}
		if err := s.rows.copyTo(s.w); err != nil {
			return 0, err
		}
		if _, err := s.w.Write(data[i:]); err != nil {
			return 0, err
		}
		s.done, s.pending = true, nil
		return len(p), nil
	}
	keep := min(len(data), len(sheetDataEnd)-1)
	if _, err := s.w.Write(data[:len(data)-keep]); err != nil {
		return 0, err
	}
	s.pending = append(s.pending[:0:0], data[len(data)-keep:]...)
	return len(p), nil
}

package interchange

import (
	"bufio"
	"bytes"
	"io"
	"slices"

	"github.com/traject-nt2/traject/internal/locale"
)

// csvReader reads the CSV files of spec/interchange.md ("What real files look
// like"): UTF-8 with or without a byte-order mark, CRLF or LF line ends, ','
// or ';' as separator (detected from the header row), and RFC 4180 quoted
// fields holding separators, doubled quotes and line breaks.
//
// encoding/csv is not used because its line numbers count physical lines,
// while errors must name the row a spreadsheet shows, and because it cannot
// detect the separator. Row counts records: the header is row 1, and a line
// break inside a quoted field does not start a new row.
type csvReader struct {
	br     *bufio.Reader
	sep    byte
	row    int      // row of the record last returned
	long   []byte   // holds a line longer than the buffer
	rec    []byte   // the unquoted bytes of the current record
	ends   []int    // end offset in rec of each field
	fields []string // returned by Read; reused between calls
}

// csvError is a malformed record. Reading goes on with the next line.
type csvError struct {
	Row   int
	Field int // 0-based index of the field in error
	Msg   locale.Text
}

func (e *csvError) Error() string { return e.Msg.String() }

// errUTF16 reports a file saved as UTF-16 ("Unicode text" in Excel).
var errUTF16 = locale.Errorf("read.utf16")

// newCSVReader skips a byte-order mark and detects the separator. It fails
// only on I/O errors and UTF-16 files.
func newCSVReader(r io.Reader) (*csvReader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	c := &csvReader{br: br, sep: ','}
	head, err := br.Peek(3)
	if err != nil && err != io.EOF {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return nil, errUTF16
	}
	buf, err := br.Peek(br.Size())
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	c.sep = detectSeparator(buf)
	return c, nil
}

// detectSeparator picks ';' when the header row (the first record in buf)
// holds more semicolons than commas outside quotes, and ',' otherwise.
func detectSeparator(buf []byte) byte {
	var commas, semis int
	quoted := false
scan:
	for _, b := range buf {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == ',':
			commas++
		case b == ';':
			semis++
		case b == '\n' && commas+semis > 0: // leading blank lines do not end the header
			break scan
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

// readLine returns the next physical line with its line end normalised to
// "\n" (none at the end of the file). It returns io.EOF only when no bytes
// are left.
func (c *csvReader) readLine() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		c.long = append(c.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = c.br.ReadSlice('\n')
			if cap(c.long)-len(c.long) < len(line) {
				c.long = slices.Grow(c.long, len(c.long)) // double: append grows a large slice by a quarter
			}
			c.long = append(c.long, line...)
		}
		line = c.long
	}
	if err == io.EOF && len(line) > 0 {
		err = nil
		if line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
	}
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

// longLine is the length of a line above which Read counts its separators
// first, to make room for its fields at once.
const longLine = 64 << 10

// Read returns the fields of the next record, io.EOF after the last one, a
// *csvError (with the fields read so far) for a malformed record, or an I/O
// error. The fields are valid until the next call.
func (c *csvReader) Read() ([]string, error) {
	line, err := c.readLine()
	if err != nil {
		return nil, err
	}
	c.row++
	c.rec = c.rec[:0]
	c.ends = c.ends[:0]
	if len(line) > longLine {
		// Size the record once: grown field by field, a header of 200,000
		// columns took 33 MB to read its 1.4 MB (limits.go refuses it after).
		n := bytes.Count(line, []byte{c.sep}) + 1
		c.rec = slices.Grow(c.rec, len(line))
		c.ends = slices.Grow(c.ends, n)
		c.fields = slices.Grow(c.fields[:0], n)
	}
	var bad *csvError
parse:
	for {
		if len(line) == 0 || line[0] != '"' {
			// An unquoted field runs to the next separator or the line end. A
			// quote inside it is kept as text, as spreadsheets do.
			i := bytes.IndexByte(line, c.sep)
			if i >= 0 {
				c.rec = append(c.rec, line[:i]...)
				c.ends = append(c.ends, len(c.rec))
				line = line[i+1:]
				continue
			}
			c.rec = append(c.rec, bytes.TrimSuffix(line, []byte{'\n'})...)
			c.ends = append(c.ends, len(c.rec))
			break
		}
		line = line[1:]
		for {
			i := bytes.IndexByte(line, '"')
			if i < 0 {
				if len(line) > 0 && line[len(line)-1] == '\n' {
					// A line break inside the quotes: the field goes on.
					c.rec = append(c.rec, line...)
					line, err = c.readLine()
					if err == nil {
						continue
					}
					if err != io.EOF {
						return nil, err
					}
				}
				c.rec = append(c.rec, line...)
				c.ends = append(c.ends, len(c.rec))
				bad = &csvError{Row: c.row, Field: len(c.ends) - 1,
					Msg: locale.New("read.unclosed")}
				break parse
			}
			c.rec = append(c.rec, line[:i]...)
			line = line[i+1:]
			switch {
			case len(line) > 0 && line[0] == '"':
				c.rec = append(c.rec, '"')
				line = line[1:]
			case len(line) > 0 && line[0] == c.sep:
				c.ends = append(c.ends, len(c.rec))
				line = line[1:]
				continue parse
			case len(line) == 0 || line[0] == '\n':
				c.ends = append(c.ends, len(c.rec))
				break parse
			default:
				c.ends = append(c.ends, len(c.rec))
				bad = &csvError{Row: c.row, Field: len(c.ends) - 1,
					Msg: locale.New("read.afterquote")}
				break parse
			}
		}
	}
	// One string per record; the fields are substrings of it.
	s := string(c.rec)
	c.fields = c.fields[:0]
	start := 0
	for _, end := range c.ends {
		c.fields = append(c.fields, s[start:end])
		start = end
	}
	if bad != nil {
		return c.fields, bad
	}
	return c.fields, nil
}

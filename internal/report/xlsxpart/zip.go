package xlsxpart

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Zip is a workbook's zip writer (excelize.File.SetZipWriter) that
// compresses large parts on every core and splices rows into sheet parts.
type Zip struct {
	excelize.ZipWriter
	parts    map[string]*Rows
	splicers []*splicer
}

// NewZip returns the zip writer of a workbook written to w that splices
// parts[name] into the part of that name (e.g. "xl/worksheets/sheet2.xml")
// before its </sheetData>. parts is read as each part is created, so rows
// may be added to it until the workbook is written.
func NewZip(w io.Writer, parts map[string]*Rows) *Zip {
	return &Zip{ZipWriter: fastZip(w), parts: parts}
}

// Create starts a part; a part with rows to splice gets a splicer.
func (z *Zip) Create(name string) (io.Writer, error) {
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

// Check reports, once the workbook is written, a part whose rows were
// never spliced in.
func (z *Zip) Check() error {
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
	rows    *Rows
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

package interchange

import (
	"archive/zip"
	"fmt"
	"io"
	"math"

	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/domain"
)

// ReadXLSX reads a workbook with one sheet per entity, named like the CSV file
// without ".csv" (spec/interchange.md, "Containers"), matched
// case-insensitively, within UploadLimits. Other sheets are listed in
// Batch.Ignored. Date cells, date serial numbers in date columns and number
// cells are read as such; text cells as in a CSV file.
func ReadXLSX(path string, progress func(entity string, rows int)) (*Batch, []RowError, error) {
	return UploadLimits.ReadXLSX(path, progress)
}

// ReadXLSX is ReadXLSX within l.
func (l Limits) ReadXLSX(path string, progress func(entity string, rows int)) (*Batch, []RowError, error) {
	l = l.orUpload()
	f, kind, err := l.openWorkbook(path, path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	d := newReader(l, progress)
	sheets := map[*Entity]string{}
	for _, name := range f.GetSheetList() {
		ent := EntityNamed(name)
		if ent == nil {
			d.b.Ignored = append(d.b.Ignored, name)
			continue
		}
		if prev, ok := sheets[ent]; ok {
			return nil, nil, domain.Invalid("file.twosheets", path, ent.Name, prev, name)
		}
		sheets[ent] = name
	}
	if len(sheets) == 0 {
		return nil, nil, domain.Invalid("file.nosheets", path, expectedNames(""))
	}
	for i := range Entities {
		ent := &Entities[i]
		sheet, ok := sheets[ent]
		if !ok {
			continue
		}
		rows, err := f.Rows(sheet)
		if err != nil {
			return nil, nil, fmt.Errorf("read sheet %s of %s: %w", sheet, path, err)
		}
		err = d.table(ent, &xlsxSource{rows: rows}, func(row int) Pos { return Pos{File: sheet, Row: row, Sheet: true} }, kind)
		rows.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("read sheet %s of %s: %w", sheet, path, err)
		}
	}
	return d.b, d.errs, nil
}

// openWorkbook opens the workbook at path, with the kind of source its
// dates make (serials from 1900 or from 1904), once its size and its table
// of contents are within l; name is what messages call it. excelize is
// held to the same bounds (its defaults unpack up to 16 GB).
func (l Limits) openWorkbook(path, name string) (*excelize.File, sourceKind, error) {
	if err := l.CheckFile(path, name); err != nil {
		return nil, 0, err
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, 0, domain.Invalid("file.badworkbook", name)
	}
	err = l.CheckArchive(zr.File, name, true)
	zr.Close()
	if err != nil {
		return nil, 0, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: l.UnpackedBytes, UnzipXMLSizeLimit: l.PartBytes})
	if err != nil {
		return nil, 0, fmt.Errorf("open workbook %s: %w", path, err)
	}
	kind := sourceXLSX
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil && *props.Date1904 {
		kind = sourceXLSX1904
	}
	return f, kind, nil
}

// xlsxSource streams the rows of a sheet. Cells come as their raw values:
// numbers unformatted, dates as serial numbers.
type xlsxSource struct {
	rows *excelize.Rows
	row  int
}

func (s *xlsxSource) next() ([]string, int, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, 0, err
		}
		return nil, 0, io.EOF
	}
	// Next moves one sheet row at a time, also over rows the file leaves
	// out, so counting calls gives the row number a spreadsheet shows.
	s.row++
	cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	return cells, s.row, err
}

// maxSerial is the serial number of 9999-12-31, the last date Excel knows.
const maxSerial = 2958465

// cellDate reads a date cell: a serial number (a real date cell, or a number
// typed into a date column), or an ISO 8601 date-time as stored in cells of
// type "d". Anything else is left to domain.ParseDate.
func cellDate(s string, date1904 bool) (domain.Date, bool) {
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') && s[4] == '-' {
		d, err := domain.ParseDate(s[:10])
		return d, err == nil
	}
	v, ok := parseCellNumber(s)
	if !ok || v < 1 || v > maxSerial || math.IsNaN(v) {
		return 0, false
	}
	t, err := excelize.ExcelDateToTime(v, date1904)
	if err != nil {
		return 0, false
	}
	return domain.DateOf(t), true
}

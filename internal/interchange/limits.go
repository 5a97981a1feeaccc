package interchange

import (
	"archive/zip"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// How long a value may be: one limit per kind of field, defined once in
// domain (limits.go) for every path that writes one, the import included.
const (
	MaxCodeLength = domain.MaxCodeLength // identifiers, codes, dates, numbers
	MaxNameLength = domain.MaxNameLength // names of people, providers, modules and programmes
	MaxTextLength = domain.MaxTextLength // free text: descriptions, feedback, notes, comments
)

// Limits bound what Traject reads from one data set, so that no file costs
// more memory or time than a real export does (issue 18, finding 5): a
// workbook of 1 MB that unpacks to a GiB, a header of 200,000 columns, a
// cell of a gigabyte. They are checked before the content is read where
// the file says its size (a zip's table of contents), and while reading
// otherwise; a file over a limit is refused as a whole, with a message
// that names the limit. Every path that reads a data set — the import
// page, its confirmation, the mapping assistant, `traject import` — reads
// within one of the two sets below.
type Limits struct {
	FileBytes     int64 // one file as given: the upload, or each file the CLI reads
	UnpackedBytes int64 // all that a .zip or workbook unpacks to, by its table of contents
	// PartBytes is the largest workbook part held in memory (excelize's
	// UnzipXMLSizeLimit): a sheet or the shared strings above it are read
	// from a temporary file; any other part above it (styles, a picture)
	// refuses the workbook.
	PartBytes     int64
	ZipFiles      int // entries of a .zip of CSV files
	WorkbookParts int // entries of a workbook: sheets, styles, relations …
	Columns       int // columns of a table, up to its last non-blank cell
	CellChars     int // characters of one cell
	HeaderChars   int // characters of a column's name: every page and message about the table repeats it
	Rows          int // rows of one table
}

// UploadLimits bound what the web application reads. A region's yearly
// export is about 60 MB of CSV in 1.3 million rows under a header of tens
// of columns, which a .zip brings well under 50 MB; the limits leave it
// room and nothing more. 32,767 characters is the most a cell of Excel
// holds, 1,048,576 rows the most a sheet holds.
var UploadLimits = Limits{
	FileBytes:     50 << 20,
	UnpackedBytes: 200 << 20,
	PartBytes:     16 << 20,
	ZipFiles:      100,
	WorkbookParts: 1000,
	Columns:       1000,
	CellChars:     32767,
	HeaderChars:   MaxNameLength,
	Rows:          3_000_000,
}

// CommandLimits bound what `traject import` reads. Whoever runs it holds
// the database already, so files may be ten times larger (several years
// of a region at once); the shape of a table is bounded as on the web.
var CommandLimits = Limits{
	FileBytes:     2 << 30,
	UnpackedBytes: 2 << 30,
	PartBytes:     16 << 20,
	ZipFiles:      100,
	WorkbookParts: 1000,
	Columns:       1000,
	CellChars:     32767,
	HeaderChars:   MaxNameLength,
	Rows:          30_000_000,
}

// orUpload is l, or UploadLimits for the zero Limits.
func (l Limits) orUpload() Limits {
	if l == (Limits{}) {
		return UploadLimits
	}
	return l
}

// megabytes is n bytes in MB for a message, rounded up: a file one byte
// over 200 MB is "201 MB".
func megabytes(n int64) locale.Number { return locale.Number((n + 1<<20 - 1) >> 20) }

// CheckFile refuses a file larger than l.FileBytes; name is what the
// message calls it.
func (l Limits) CheckFile(path, name string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.Size() > l.FileBytes {
		return domain.Invalid("limit.filesize", name, megabytes(fi.Size()), megabytes(l.FileBytes))
	}
	return nil
}

// CheckArchive checks the table of contents of a .zip of CSV files or,
// with workbook, of an .xlsx workbook against l before anything is
// unpacked: the number of entries, what they unpack to in all, and for a
// workbook what each part held in memory unpacks to. archive/zip refuses
// an entry that unpacks to more than its header says, so the headers
// bound the unpacking. name is what the messages call the file.
func (l Limits) CheckArchive(files []*zip.File, name string, workbook bool) error {
	if max := l.ZipFiles; !workbook && len(files) > max {
		return domain.Invalid("limit.files", name, locale.Number(len(files)), locale.Number(max))
	}
	if max := l.WorkbookParts; workbook && len(files) > max {
		return domain.Invalid("limit.parts", name, locale.Number(len(files)), locale.Number(max))
	}
	var total uint64
	for _, f := range files {
		total += f.UncompressedSize64
	}
	if total > uint64(l.UnpackedBytes) {
		return domain.Invalid("limit.unpacked", name, megabytes(int64(min(total, 1<<62))), megabytes(l.UnpackedBytes))
	}
	if workbook {
		for _, f := range files {
			if f.UncompressedSize64 > uint64(l.PartBytes) && !streamedPart(f.Name) {
				return domain.Invalid("limit.part", f.Name, name, megabytes(int64(f.UncompressedSize64)), megabytes(l.PartBytes))
			}
		}
	}
	return nil
}

// streamedPart reports whether excelize reads a workbook part larger than
// PartBytes from a temporary file rather than from memory: the sheets and
// the shared strings (excelize's ReadZipReader).
func streamedPart(name string) bool {
	name = strings.ToLower(name)
	return strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml"
}

// checkRow refuses a row of a table wider than l.Columns (counted up to its
// last non-blank cell: spreadsheets pad rows with empty cells) or with a
// cell longer than l.CellChars. file names the file or sheet, row is the
// row's number in it.
func (l Limits) checkRow(file string, row int, fields []string) error {
	if len(fields) > l.Columns {
		if width := nonBlankWidth(fields); width > l.Columns {
			return domain.Invalid("limit.columns", file, locale.Number(width), row, locale.Number(l.Columns))
		}
	}
	for i, f := range fields {
		if longerThan(f, l.CellChars) {
			return domain.Invalid("limit.cell", file, row, i+1, locale.Number(utf8.RuneCountInString(f)), locale.Number(l.CellChars))
		}
	}
	return nil
}

// longerThan reports whether s holds more than n characters, counting
// them only when its bytes are more.
func longerThan(s string, n int) bool {
	return len(s) > n && utf8.RuneCountInString(s) > n
}

// checkHeader refuses a header row with a column's name longer than
// l.HeaderChars: the mapping assistant offers every name in every field's
// choice, and an import names unknown columns in its messages.
func (l Limits) checkHeader(file string, row int, names []string) error {
	for i, h := range names {
		if h = strings.TrimSpace(h); longerThan(h, l.HeaderChars) {
			return domain.Invalid("limit.header", file, row, i+1, locale.Number(utf8.RuneCountInString(h)), locale.Number(l.HeaderChars))
		}
	}
	return nil
}

// nonBlankWidth is the number of fields up to the last non-blank one.
func nonBlankWidth(fields []string) int {
	for i := len(fields) - 1; i >= 0; i-- {
		if strings.TrimSpace(fields[i]) != "" {
			return i + 1
		}
	}
	return 0
}

// checkRows refuses a table of more than l.Rows rows.
func (l Limits) checkRows(file string, rows int) error {
	if rows > l.Rows {
		return domain.Invalid("limit.rows", file, locale.Number(l.Rows))
	}
	return nil
}

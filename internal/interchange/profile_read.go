package interchange

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// profileInput is one file or sheet of the input with the entries of the
// profile that read it.
type profileInput struct {
	name    string
	entries []*ProfileFile
}

// ReadProfile reads the files at path — a folder of CSV files, a .zip of
// them, one CSV file or an .xlsx workbook — as profile p says. Every file
// or sheet must match an entry and every entry a file or sheet; otherwise
// nothing is read. Bad data is reported as for Read, naming the file's own
// columns. It reads within UploadLimits.
func ReadProfile(path string, p *Profile, progress func(entity string, rows int)) (*Batch, []RowError, error) {
	return UploadLimits.ReadProfile(path, p, progress)
}

// ReadProfile is ReadProfile within l.
func (l Limits) ReadProfile(path string, p *Profile, progress func(entity string, rows int)) (*Batch, []RowError, error) {
	l = l.orUpload()
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	ext := strings.ToLower(filepath.Ext(path))
	d := newReader(l, progress)
	switch {
	case fi.IsDir():
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, nil, err
		}
		var names []string
		for _, de := range entries {
			if !de.IsDir() && strings.EqualFold(filepath.Ext(de.Name()), ".csv") {
				names = append(names, de.Name())
			}
		}
		return d.readProfile(path, p, names, sourceCSV, func(name string) (io.ReadSeeker, func(), error) {
			if err := l.CheckFile(filepath.Join(path, name), name); err != nil {
				return nil, func() {}, err
			}
			f, err := os.Open(filepath.Join(path, name))
			return f, func() { f.Close() }, err
		}, nil)
	case ext == ".csv":
		if err := l.CheckFile(path, path); err != nil {
			return nil, nil, err
		}
		return d.readProfile(path, p, []string{filepath.Base(path)}, sourceCSV, func(string) (io.ReadSeeker, func(), error) {
			f, err := os.Open(path)
			return f, func() { f.Close() }, err
		}, nil)
	case ext == ".zip":
		if err := l.CheckFile(path, path); err != nil {
			return nil, nil, err
		}
		zr, err := zip.OpenReader(path)
		if err != nil {
			return nil, nil, domain.Invalid("file.badzip", path, err.Error())
		}
		defer zr.Close()
		if err := l.CheckArchive(zr.File, path, false); err != nil {
			return nil, nil, err
		}
		files := map[string]*zip.File{}
		var names []string
		for _, zf := range zr.File {
			if zf.FileInfo().IsDir() || !strings.EqualFold(filepath.Ext(zf.Name), ".csv") || strings.HasPrefix(filepath.Base(zf.Name), ".") {
				continue
			}
			name := filepath.Base(zf.Name)
			if _, dup := files[name]; dup {
				return nil, nil, domain.Invalid("file.twice", path, name)
			}
			files[name] = zf
			names = append(names, name)
		}
		return d.readProfile(path, p, names, sourceCSV, func(name string) (io.ReadSeeker, func(), error) {
			rc, err := files[name].Open()
			if err != nil {
				return nil, func() {}, err
			}
			defer rc.Close()
			// CheckArchive bounded what the entries unpack to, and
			// archive/zip holds each to its header.
			b, err := io.ReadAll(rc)
			return bytes.NewReader(b), func() {}, err
		}, nil)
	case ext == ".xlsx" || ext == ".xlsm":
		f, kind, err := l.openWorkbook(path, path)
		if err != nil {
			return nil, nil, err
		}
		defer f.Close()
		return d.readProfile(path, p, f.GetSheetList(), kind, nil, f)
	}
	return nil, nil, domain.Invalid("file.notforeign", path)
}

// readProfile matches names to the profile's entries, then reads each
// entity's files in the order of Entities: open gives a CSV file, wb a
// workbook's sheets.
func (d *reader) readProfile(path string, p *Profile, names []string, kind sourceKind,
	open func(name string) (io.ReadSeeker, func(), error), wb *excelize.File) (*Batch, []RowError, error) {
	slices.Sort(names)
	var inputs []profileInput
	var unmatched []string
	used := make([]bool, len(p.Files))
	for _, name := range names {
		in := profileInput{name: name}
		for i := range p.Files {
			if p.Files[i].Matches(name) {
				in.entries = append(in.entries, &p.Files[i])
				used[i] = true
			}
		}
		if len(in.entries) == 0 {
			unmatched = append(unmatched, name)
		}
		inputs = append(inputs, in)
	}
	var problems []locale.Text
	if len(unmatched) > 0 {
		problems = append(problems, locale.New("profile.nomatchfile", p.Name, strings.Join(unmatched, ", ")))
	}
	for i, ok := range used {
		if !ok {
			problems = append(problems, locale.New("profile.unused", i, p.Files[i].Match, filepath.Base(path)))
		}
	}
	if len(problems) > 0 {
		t := locale.Join(problems)
		return nil, nil, &domain.Error{Code: domain.EINVALID, Message: t.String(), Text: t}
	}
	for i := range Entities {
		ent := &Entities[i]
		for _, in := range inputs {
			for _, e := range in.entries {
				if e.Entity != ent.Name {
					continue
				}
				d.mapping = newFileMapping(ent, e)
				var err error
				if wb != nil {
					err = d.sheetMapped(ent, wb, in.name, kind, e.SkipRows)
				} else {
					err = d.csvMapped(ent, in.name, e.SkipRows, open)
				}
				d.mapping = nil
				if err != nil {
					return nil, nil, err
				}
			}
		}
	}
	return d.b, d.errs, nil
}

// csvMapped reads one CSV file as ent, after skip lines above its header.
func (d *reader) csvMapped(ent *Entity, name string, skip int, open func(string) (io.ReadSeeker, func(), error)) error {
	f, done, err := open(name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	defer done()
	return d.csv(ent, f, name, skip)
}

// sheetMapped reads one sheet as ent, after skip rows above its header.
func (d *reader) sheetMapped(ent *Entity, wb *excelize.File, sheet string, kind sourceKind, skip int) error {
	rows, err := wb.Rows(sheet)
	if err != nil {
		return fmt.Errorf("read sheet %s: %w", sheet, err)
	}
	defer rows.Close()
	src := &xlsxSource{rows: rows}
	for k := 0; k < skip; k++ {
		if _, _, err := src.next(); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("read sheet %s: %w", sheet, err)
		}
	}
	if err := d.table(ent, src, func(row int) Pos { return Pos{File: sheet, Row: row, Sheet: true} }, kind); err != nil {
		return fmt.Errorf("read sheet %s: %w", sheet, err)
	}
	return nil
}

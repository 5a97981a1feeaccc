package ui

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/locale"
)

// What an upload may be (spec/interchange.md, "Containers"): a .zip with a
// folder of CSV files, or an .xlsx workbook. Both are zip archives, so both
// are checked as such before anything reads them: their size, unpacked and
// packed, the number of their entries (interchange.UploadLimits, the one
// definition of the limits of every path that reads an upload) and the
// names of those.
var limits = interchange.UploadLimits

// maxUploadName is how many characters of the file name the page keeps.
const maxUploadName = 200

// uploadProblem is why an upload is refused before its data are read: a
// key of the interface's catalogue and its arguments after the file's
// name, or a limit's refusal (interchange.Limits) with its own message.
type uploadProblem struct {
	key   string
	args  []any
	limit error
	file  string // the path the limit's message names
}

func (p *uploadProblem) Error() string { return p.key }

func uploadErr(key string, args ...any) *uploadProblem { return &uploadProblem{key: key, args: args} }

// limitErr is the refusal err of a limit, whose message names file.
func limitErr(err error, file string) *uploadProblem { return &uploadProblem{limit: err, file: file} }

// in is the problem's message in lang for the upload called name.
func (p *uploadProblem) in(lang, name string) string {
	if p.limit != nil {
		return strings.ReplaceAll(domain.MessageIn(p.limit, lang), p.file, name)
	}
	return locale.T(lang, p.key, append([]any{name}, p.args...)...)
}

// uploadName is the base name of an uploaded file as the browser gave it,
// cut to maxUploadName characters and made printable.
func uploadName(raw string) string {
	raw = strings.ReplaceAll(raw, `\`, "/")
	name := path.Base(raw)
	if name == "." || name == "/" {
		name = ""
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > maxUploadName {
		name = string(r[:maxUploadName])
	}
	return name
}

// sniffType names what the first bytes of a file look like, for a message about
// a file that is not what its name says: "image/png", "text/plain; …".
func sniffType(head []byte) string {
	t := http.DetectContentType(head)
	if i := strings.IndexByte(t, ';'); i > 0 {
		t = t[:i]
	}
	return t
}

// isZip reports whether a file starts as a zip archive does.
func isZip(head []byte) bool {
	return bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06"))
}

// safeEntryName reports whether a zip entry's name stays inside the folder
// it is unpacked into: relative, no "..", no backslashes or drive letters.
func safeEntryName(name string) bool {
	if name == "" || strings.ContainsAny(name, "\\\x00") || strings.HasPrefix(name, "/") {
		return false
	}
	for _, part := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		if part == ".." {
			return false
		}
	}
	return filepath.IsLocal(filepath.FromSlash(strings.TrimSuffix(name, "/")))
}

// openArchive opens the zip archive at file, checking every entry against
// the limits (interchange.Limits.CheckArchive: entries, what they unpack
// to), and for safe names and no links. kind ("zip" or "xlsx") chooses
// the messages and the limits.
func openArchive(file, kind string) (*zip.ReadCloser, *uploadProblem) {
	f, err := os.Open(file)
	if err != nil {
		return nil, uploadErr("imp.unreadable")
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	f.Close()
	if !isZip(head[:n]) {
		return nil, uploadErr("imp.not."+kind, sniffType(head[:n]))
	}
	zr, err := zip.OpenReader(file)
	switch {
	case errors.Is(err, zip.ErrInsecurePath):
		if zr != nil {
			zr.Close()
		}
		return nil, uploadErr("imp.unsafe")
	case err != nil:
		return nil, uploadErr("imp.damaged." + kind)
	}
	if err := limits.CheckArchive(zr.File, file, kind == "xlsx"); err != nil {
		zr.Close()
		return nil, limitErr(err, file)
	}
	for _, e := range zr.File {
		if !safeEntryName(e.Name) || e.Mode()&fs.ModeSymlink != 0 {
			zr.Close()
			return nil, uploadErr("imp.unsafe")
		}
	}
	return zr, nil
}

// prepareWorkbook checks an uploaded .xlsx and returns the path to read it
// from: it must be a zip archive within the limits that holds the parts of
// an Excel workbook.
func prepareWorkbook(file string) (string, *uploadProblem) {
	zr, p := openArchive(file, "xlsx")
	if p != nil {
		return "", p
	}
	defer zr.Close()
	parts := map[string]bool{}
	for _, e := range zr.File {
		parts[e.Name] = true
	}
	if !parts["[Content_Types].xml"] || !parts["xl/workbook.xml"] {
		return "", uploadErr("imp.notworkbook")
	}
	return file, nil
}

// prepareCSVZip checks an uploaded .zip and unpacks its CSV files into dir,
// returning dir: the archive must be within the limits and hold at least one
// file named after an interchange table (spec/interchange.md), all of them
// in one folder (the top, or one folder as a zipped folder has). Other CSV
// files of that folder are unpacked too, so that the import lists them as
// ignored; everything else is left in the archive.
func prepareCSVZip(file, dir string) (string, *uploadProblem) {
	zr, p := openArchive(file, "zip")
	if p != nil {
		return "", p
	}
	defer zr.Close()
	folders := map[string]bool{}
	for _, e := range zr.File {
		if e.FileInfo().IsDir() {
			continue
		}
		if e.Name == "xl/workbook.xml" {
			return "", uploadErr("imp.zipisworkbook")
		}
		if skipEntry(e.Name) || !strings.EqualFold(path.Ext(e.Name), ".csv") {
			continue
		}
		if interchange.EntityNamed(path.Base(e.Name)) != nil {
			folders[path.Dir(e.Name)] = true
		}
	}
	switch len(folders) {
	case 0:
		return "", uploadErr("imp.nocsv")
	case 1:
	default:
		return "", uploadErr("imp.folders", len(folders))
	}
	var folder string
	for f := range folders {
		folder = f
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", uploadErr("imp.unreadable")
	}
	budget := limits.UnpackedBytes
	seen := map[string]bool{}
	for _, e := range zr.File {
		if e.FileInfo().IsDir() || skipEntry(e.Name) || path.Dir(e.Name) != folder || !strings.EqualFold(path.Ext(e.Name), ".csv") {
			continue
		}
		base := path.Base(e.Name)
		if seen[strings.ToLower(base)] {
			return "", uploadErr("imp.twice", base)
		}
		seen[strings.ToLower(base)] = true
		n, err := unpack(e, filepath.Join(dir, base), budget)
		if err != nil {
			// More than the headers CheckArchive added up: archive/zip
			// refuses an entry longer than its header says, so a zip
			// that gets here lies about its sizes.
			return "", uploadErr("imp.damaged.zip")
		}
		budget -= n
	}
	return dir, nil
}

// skipEntry reports whether a zip entry is an operating system's
// bookkeeping (macOS resource forks), not data.
func skipEntry(name string) bool {
	return strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(path.Base(name), "._")
}

// errUnpackTooBig is an entry that unpacks to more than the budget left.
var errUnpackTooBig = errors.New("unpacks to more than the limit")

// unpack writes entry e to the new file dst, stopping at budget bytes; it
// returns the bytes written. archive/zip itself refuses an entry that
// unpacks to more than its header says.
func unpack(e *zip.File, dst string, budget int64) (int64, error) {
	r, err := e.Open()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, io.LimitReader(r, budget+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, err
	}
	if n > budget {
		return n, errUnpackTooBig
	}
	return n, nil
}

// saveUpload copies the uploaded file r to the new file dst, refusing more
// than the limit of an upload.
func saveUpload(r io.Reader, dst string) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(r, limits.FileBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limits.FileBytes {
		return uploadErr("imp.toobig", limits.FileBytes>>20)
	}
	if err != nil {
		return fmt.Errorf("save upload: %w", err)
	}
	return nil
}

// prepare makes the uploaded file ready for the importer, in dir: an .xlsx
// workbook as it is, a .zip unpacked into dir/data.
func prepare(file, dir string) (string, *uploadProblem) {
	if strings.ToLower(filepath.Ext(file)) == ".xlsx" {
		return prepareWorkbook(file)
	}
	return prepareCSVZip(file, filepath.Join(dir, "data"))
}

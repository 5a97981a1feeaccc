package interchange

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// Pos is the place of a row in the input, numbered as a spreadsheet shows it:
// the header is row 1 (spec/interchange.md, "Import semantics").
type Pos struct {
	File  string // the file name ("learners.csv"), or the sheet name in a workbook
	Row   int
	Sheet bool // File names a workbook sheet
}

// String formats p as "learners.csv:17", or "learners!17" for a workbook sheet.
func (p Pos) String() string {
	if p.Sheet {
		return p.File + "!" + strconv.Itoa(p.Row)
	}
	return p.File + ":" + strconv.Itoa(p.Row)
}

// RowError is one problem in one row of the input, reported as
// "file:row: column: message" (spec/interchange.md, "Import semantics").
type RowError struct {
	Pos     Pos
	Column  string      // "" for a problem with the whole row
	Message string      // English
	Text    locale.Text // the message in the catalogue, for the reader's language; zero for a message made elsewhere
}

// In returns the message in lang: from the catalogue, or Message.
func (e RowError) In(lang string) string {
	if e.Text.Key == "" {
		return e.Message
	}
	return e.Text.In(lang)
}

// errText is the message of an error: its catalogue text when it has one.
func errText(err error) locale.Text {
	var me *locale.Error
	if errors.As(err, &me) {
		return me.Text
	}
	return locale.New("plain", err.Error())
}

// Error formats e as "evaluations.csv:17: listening: message", or
// "file:row: message" when no column is named.
func (e RowError) Error() string {
	if e.Column == "" {
		return e.Pos.String() + ": " + e.Message
	}
	return e.Pos.String() + ": " + e.Column + ": " + e.Message
}

// String is Error, for fmt's %v on values that are not used as errors.
func (e RowError) String() string { return e.Error() }

// Batch is a data set as read from a folder or workbook, with the place each
// record came from.
type Batch struct {
	domain.DataSet
	Pos     map[string][]Pos // entity name -> position of each record, parallel to its DataSet slice
	Present map[string]bool  // entity name -> whether its file or sheet was in the input
	Ignored []string         // CSV files or sheets in the input that are no interchange table

	// bad holds, per entity and record index, the columns whose value did not
	// parse: Read reported them, so Validate does not check them again.
	// allColumns marks a row that could not be read as a whole.
	bad map[string]map[int]uint32
	// missing holds, per entity, the required columns that the file left out.
	missing map[string]uint32
	// headers holds, for files read with a mapping profile, the file's own
	// header of each mapped field, for messages (ColumnName).
	headers map[headerKey]string
	// blankHours holds the enrollments (by index) read with a blank
	// hours_attended: blank is allowed, and means the register's total,
	// only for an enrollment with attendance records (Validate).
	blankHours map[int]bool
}

// PosOf returns the positions of entity's records; none for a nil b.
func (b *Batch) PosOf(entity string) []Pos {
	if b == nil {
		return nil
	}
	return b.Pos[entity]
}

// headerKey names one field of one entity read from one file or sheet.
type headerKey struct {
	file   string
	sheet  bool
	entity string
	field  string
}

// ColumnName returns what a message calls column (a field of entity) of the
// record at p: the file's own header when a mapping profile read it from
// there, else the field's name.
func (b *Batch) ColumnName(entity string, p Pos, column string) string {
	if h, ok := b.headers[headerKey{p.File, p.Sheet, entity, column}]; ok {
		return h
	}
	return column
}

// allColumns marks every column of a row as unusable.
const allColumns = ^uint32(0)

func newBatch() *Batch {
	return &Batch{
		Pos:     map[string][]Pos{},
		Present: map[string]bool{},
		bad:     map[string]map[int]uint32{},
		missing: map[string]uint32{},
		headers: map[headerKey]string{},

		blankHours: map[int]bool{},
	}
}

// NewBatch wraps records made in memory (such as demo data) for Validate:
// every entity is present, and record i sits on row i+2 of its file, as if
// the file held exactly the DataSet's slice under a header.
func NewBatch(ds *domain.DataSet) *Batch {
	b := newBatch()
	b.DataSet = *ds
	for i := range Entities {
		ent := &Entities[i]
		b.Present[ent.Name] = true
		n := b.count(ent)
		ps := make([]Pos, n)
		for j := range ps {
			ps[j] = Pos{File: ent.File, Row: j + 2}
		}
		b.Pos[ent.Name] = ps
	}
	return b
}

// count returns the number of records of ent.
func (b *Batch) count(ent *Entity) int {
	ds := &b.DataSet
	switch ent {
	case entProviders:
		return len(ds.Providers)
	case entModules:
		return len(ds.Modules)
	case entGoals:
		return len(ds.Goals)
	case entLearners:
		return len(ds.Learners)
	case entLearnerGoals:
		return len(ds.LearnerGoals)
	case entReferrals:
		return len(ds.Referrals)
	case entGroups:
		return len(ds.Groups)
	case entLessons:
		return len(ds.Lessons)
	case entAttendance:
		return len(ds.Attendance)
	case entPlacements:
		return len(ds.Placements)
	case entEnrollments:
		return len(ds.Enrollments)
	case entEvaluations:
		return len(ds.Evaluations)
	case entCertificates:
		return len(ds.Certificates)
	case entOutflows:
		return len(ds.Outflows)
	case entFollowUps:
		return len(ds.FollowUps)
	case entObservations:
		return len(ds.Observations)
	case entSurveys:
		return len(ds.SurveyResponses)
	}
	return 0
}

// badColumns returns the columns of record i of ent that Validate must skip.
func (b *Batch) badColumns(ent *Entity, i int) uint32 {
	return b.missing[ent.Name] | b.bad[ent.Name][i]
}

// pos returns the position of record i of ent; records that were not read
// from a file are placed as if the file held exactly the DataSet's slice.
func (b *Batch) pos(ent *Entity, i int) Pos {
	if ps := b.Pos[ent.Name]; i < len(ps) {
		return ps[i]
	}
	return Pos{File: ent.File, Row: i + 2}
}

// progressEvery is how many rows pass between two progress calls.
const progressEvery = 50_000

// Read reads a data set from a folder of CSV files, an .xlsx workbook, or one
// CSV file named after an entity, within UploadLimits. Bad data is
// reported as RowErrors; the error is for input that cannot be read at all,
// is no data set or breaks a limit. progress, when not nil, is called every
// 50,000 rows and at the end of each table.
func Read(path string, progress func(entity string, rows int)) (*Batch, []RowError, error) {
	return UploadLimits.Read(path, progress)
}

// Read is Read within l.
func (l Limits) Read(path string, progress func(entity string, rows int)) (*Batch, []RowError, error) {
	l = l.orUpload()
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case fi.IsDir():
		return l.ReadDir(path, progress)
	case ext == ".xlsx" || ext == ".xlsm":
		return l.ReadXLSX(path, progress)
	case ext == ".csv":
		ent := EntityNamed(filepath.Base(path))
		if ent == nil {
			return nil, nil, domain.Invalid("file.nointerchange", path, expectedNames(".csv"))
		}
		d := newReader(l, progress)
		if err := d.csvFile(ent, path, filepath.Base(path)); err != nil {
			return nil, nil, err
		}
		return d.b, d.errs, nil
	}
	return nil, nil, domain.Invalid("file.notdataset", path)
}

// ReadDir reads the CSV files of a folder (spec/interchange.md, "Containers")
// within UploadLimits. File names match case-insensitively; other .csv
// files are listed in Batch.Ignored, and files of other types are passed
// over.
func ReadDir(dir string, progress func(entity string, rows int)) (*Batch, []RowError, error) {
	return UploadLimits.ReadDir(dir, progress)
}

// ReadDir is ReadDir within l.
func (l Limits) ReadDir(dir string, progress func(entity string, rows int)) (*Batch, []RowError, error) {
	l = l.orUpload()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	files := map[*Entity]string{}
	d := newReader(l, progress)
	for _, de := range entries {
		name := de.Name()
		if de.IsDir() || !strings.EqualFold(filepath.Ext(name), ".csv") {
			continue
		}
		ent := EntityNamed(name)
		if ent == nil {
			d.b.Ignored = append(d.b.Ignored, name)
			continue
		}
		if prev, ok := files[ent]; ok {
			return nil, nil, domain.Invalid("file.both", dir, prev, name)
		}
		files[ent] = name
	}
	if len(files) == 0 {
		return nil, nil, domain.Invalid("file.nofiles", dir, expectedNames(".csv"))
	}
	for i := range Entities {
		ent := &Entities[i]
		if name, ok := files[ent]; ok {
			if err := d.csvFile(ent, filepath.Join(dir, name), name); err != nil {
				return nil, nil, err
			}
		}
	}
	return d.b, d.errs, nil
}

func expectedNames(suffix string) string {
	names := make([]string, len(Entities))
	for i, e := range Entities {
		names[i] = e.Name + suffix
	}
	return strings.Join(names, ", ")
}

// reader holds the state of one Read.
type reader struct {
	lim      Limits
	b        *Batch
	mapping  *fileMapping // the profile entry of the table being read; nil in a plain import
	errs     []RowError
	strs     map[string]string // interned identifiers: learner ids recur in every file
	progress func(entity string, rows int)
}

func newReader(lim Limits, progress func(string, int)) *reader {
	return &reader{lim: lim, b: newBatch(), strs: map[string]string{}, progress: progress}
}

func (d *reader) intern(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := d.strs[s]; ok {
		return v
	}
	v := strings.Clone(s)
	d.strs[v] = v
	return v
}

func (d *reader) report(p Pos, column string, t locale.Text) {
	d.errs = append(d.errs, RowError{Pos: p, Column: column, Message: t.String(), Text: t})
}

func (d *reader) csvFile(ent *Entity, path, name string) error {
	if err := d.lim.CheckFile(path, name); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return d.csv(ent, f, name, 0)
}

// csv reads the CSV file f, called name, as ent, after skip lines above its
// header (a mapping profile's title rows); row numbers stay the file's own.
func (d *reader) csv(ent *Entity, f io.ReadSeeker, name string, skip int) error {
	d.b.Present[ent.Name] = true
	// Size the slices once: appending a million records doubles them twenty
	// times and leaves the garbage of every smaller copy behind.
	lines, err := countLines(f)
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	// Room for the rows the limit allows, no more: a file of blank lines
	// would otherwise reserve a record per line.
	d.reserve(ent, min(lines, d.lim.Rows))
	br := bufio.NewReaderSize(f, 64<<10)
	if err := skipLines(br, skip); err != nil {
		return err
	}
	c, err := newCSVReader(br)
	if err == errUTF16 {
		d.report(Pos{File: name, Row: 1}, "", errText(err))
		return nil
	}
	if err != nil {
		return err
	}
	return d.table(ent, csvSource{c}, func(row int) Pos { return Pos{File: name, Row: row + skip} }, sourceCSV)
}

// skipLines reads n lines of br, fewer when it ends first.
func skipLines(br *bufio.Reader, n int) error {
	for range n {
		for {
			_, err := br.ReadSlice('\n')
			if err == bufio.ErrBufferFull {
				continue // a line longer than the buffer
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			break
		}
	}
	return nil
}

// countLines counts the line ends in r: at least the number of records.
func countLines(r io.Reader) (int, error) {
	buf := make([]byte, 64<<10)
	n := 0
	for {
		k, err := r.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// reserve makes room for n more records of ent.
func (d *reader) reserve(ent *Entity, n int) {
	ds := &d.b.DataSet
	d.b.Pos[ent.Name] = slices.Grow(d.b.Pos[ent.Name], n)
	switch ent {
	case entProviders:
		ds.Providers = slices.Grow(ds.Providers, n)
	case entModules:
		ds.Modules = slices.Grow(ds.Modules, n)
	case entGoals:
		ds.Goals = slices.Grow(ds.Goals, n)
	case entLearners:
		ds.Learners = slices.Grow(ds.Learners, n)
	case entLearnerGoals:
		ds.LearnerGoals = slices.Grow(ds.LearnerGoals, n)
	case entReferrals:
		ds.Referrals = slices.Grow(ds.Referrals, n)
	case entGroups:
		ds.Groups = slices.Grow(ds.Groups, n)
	case entLessons:
		ds.Lessons = slices.Grow(ds.Lessons, n)
	case entAttendance:
		ds.Attendance = slices.Grow(ds.Attendance, n)
	case entPlacements:
		ds.Placements = slices.Grow(ds.Placements, n)
	case entEnrollments:
		ds.Enrollments = slices.Grow(ds.Enrollments, n)
	case entEvaluations:
		ds.Evaluations = slices.Grow(ds.Evaluations, n)
	case entCertificates:
		ds.Certificates = slices.Grow(ds.Certificates, n)
	case entOutflows:
		ds.Outflows = slices.Grow(ds.Outflows, n)
	case entFollowUps:
		ds.FollowUps = slices.Grow(ds.FollowUps, n)
	case entObservations:
		ds.Observations = slices.Grow(ds.Observations, n)
	case entSurveys:
		ds.SurveyResponses = slices.Grow(ds.SurveyResponses, n)
	}
}

// source yields the rows of one table with their row numbers; err is io.EOF
// after the last row, a *csvError for a malformed row, or a failure to read.
type source interface {
	next() (fields []string, row int, err error)
}

type csvSource struct{ c *csvReader }

func (s csvSource) next() ([]string, int, error) {
	f, err := s.c.Read()
	return f, s.c.row, err
}

type sourceKind int

const (
	sourceCSV sourceKind = iota
	sourceXLSX
	sourceXLSX1904 // a workbook whose date serials count from 1904
)

// table reads the rows of one entity into the batch, within the reader's
// limits of width, cell length and rows.
func (d *reader) table(ent *Entity, src source, pos func(row int) Pos, kind sourceKind) error {
	d.b.Present[ent.Name] = true
	r := &row{d: d, ent: ent, kind: kind, m: d.mapping}
	headerLen := -1
	for headerLen < 0 {
		fields, n, err := src.next()
		bad, _ := err.(*csvError)
		switch {
		case err == io.EOF:
			d.report(pos(1), "", locale.New("read.noheader"))
			return nil
		case bad != nil:
			d.report(pos(n), "", locale.New("read.badheader", bad.Msg))
			return nil
		case err != nil:
			return err
		}
		if err := d.lim.checkRow(pos(n).File, pos(n).Row, fields); err != nil {
			return err
		}
		if !blank(fields) {
			if err := d.lim.checkHeader(pos(n).File, pos(n).Row, fields); err != nil {
				return err
			}
			headerLen = len(fields)
			r.header(fields, pos(n))
		}
	}
	count := 0
	for {
		fields, n, err := src.next()
		bad, _ := err.(*csvError)
		switch {
		case err == io.EOF:
			if d.progress != nil {
				d.progress(ent.Name, count)
			}
			return nil
		case bad != nil:
		case err != nil:
			return err
		}
		if err := d.lim.checkRow(pos(n).File, pos(n).Row, fields); err != nil {
			return err
		}
		if bad == nil && blank(fields) {
			continue // blank lines, or rows of empty cells, hold no record
		}
		if err := d.lim.checkRows(pos(n).File, count+1); err != nil {
			return err
		}
		r.start(fields, pos(n))
		switch {
		case bad != nil:
			d.report(r.pos, r.columnOfField(bad.Field), bad.Msg)
			r.quiet = true
		case len(fields) < r.width && kind == sourceCSV, len(fields) > headerLen && !blank(fields[headerLen:]):
			d.report(r.pos, "", fieldCount(len(fields), headerLen))
			r.quiet = true
		default:
			r.checkText()
		}
		i := len(d.b.Pos[ent.Name])
		ent.decode(r, &d.b.DataSet)
		d.b.Pos[ent.Name] = append(d.b.Pos[ent.Name], r.pos)
		if r.quiet {
			r.bad = allColumns
		}
		if r.bad != 0 {
			if d.b.bad[ent.Name] == nil {
				d.b.bad[ent.Name] = map[int]uint32{}
			}
			d.b.bad[ent.Name][i] = r.bad
		}
		count++
		if d.progress != nil && count%progressEvery == 0 {
			d.progress(ent.Name, count)
		}
	}
}

// fieldCount is the message for a row of n fields under a header of h.
func fieldCount(n, h int) locale.Text {
	if n == 1 {
		return locale.New("read.field", h)
	}
	return locale.New("read.fields", n, h)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// row decodes the fields of one row into a record, reporting each field that
// does not parse. A column that failed is marked in bad and yields its zero
// value, so that Validate does not report it a second time.
type row struct {
	d      *reader
	ent    *Entity
	kind   sourceKind
	m      *fileMapping // the profile's mapping; nil in a plain import
	cols   []int        // entity column -> field index, -1 when the file has no such column
	width  int          // fields a row needs: up to the last named header column
	fields []string
	pos    Pos
	bad    uint32     // columns that failed
	quiet  bool       // the row as a whole is reported; decode what can be, report nothing
	prev   [32]string // per column, the interned value of the row before
}

// header maps the header names onto the entity's columns (spec/interchange.md:
// columns in any order, names case-insensitive, surrounding spaces ignored).
func (r *row) header(names []string, p Pos) {
	ent := r.ent
	r.cols = make([]int, len(ent.Columns))
	for j := range r.cols {
		r.cols[j] = -1
	}
	if r.m != nil {
		names = r.m.renameHeader(ent, names)
	}
	for i, raw := range names {
		name := strings.TrimSpace(strings.TrimPrefix(raw, "\ufeff"))
		if name == "" {
			continue // spreadsheets leave unnamed columns after the last one
		}
		r.width = i + 1
		j := ent.Column(strings.ToLower(name))
		switch {
		case j < 0:
			r.d.report(p, name, locale.New("read.unknowncolumn", ent.Name, strings.Join(ent.Columns, ", ")))
		case r.cols[j] >= 0:
			r.d.report(p, name, locale.New("read.twice", r.cols[j]+1, i+1))
		default:
			r.cols[j] = i
		}
	}
	var missing uint32
	for j, i := range r.cols {
		c := ent.Columns[j]
		switch {
		case r.m != nil && r.m.consts[j] != nil:
			r.cols[j] = constColumn
		case r.m != nil && r.m.headers[j] != "" && i < 0:
			r.d.report(p, r.m.headers[j], locale.New("read.profilecolumn", c))
			missing |= 1 << j
		case i < 0 && !ent.Optional[c]:
			r.d.report(p, c, locale.New("read.missing"))
			missing |= 1 << j
		}
		if r.m != nil && (r.m.headers[j] != "" || r.m.consts[j] != nil) {
			r.d.b.headers[headerKey{p.File, p.Sheet, ent.Name, c}] = r.m.column(ent, j)
		}
	}
	if missing != 0 {
		r.d.b.missing[ent.Name] = missing
	}
}

func (r *row) start(fields []string, p Pos) {
	r.fields, r.pos, r.bad, r.quiet = fields, p, 0, false
}

// columnOfField returns the entity column read from field i, or "".
func (r *row) columnOfField(i int) string {
	for j, f := range r.cols {
		if f == i {
			if r.m != nil {
				return r.m.column(r.ent, j)
			}
			return r.ent.Columns[j]
		}
	}
	return ""
}

// checkText reports fields that are not text (domain.IsText): not valid
// UTF-8 (spec/interchange.md: files are UTF-8), typically files saved as
// Windows-1252, or holding a NUL, typically a binary or UTF-16 file. The
// store would refuse either; here the row and column are named.
func (r *row) checkText() {
	for j, i := range r.cols {
		switch {
		case i < 0 || i >= len(r.fields) || domain.IsText(r.fields[i]):
		case !utf8.ValidString(r.fields[i]):
			r.fail(j, locale.New("read.utf8"))
		default:
			r.fail(j, locale.New("read.nul"))
		}
	}
}

// value returns the trimmed value of a column, its index, and false when the
// column already failed.
func (r *row) value(name string) (string, int, bool) {
	j := r.ent.col(name)
	if r.bad&(1<<j) != 0 {
		return "", j, false
	}
	i := r.cols[j]
	var v string
	switch {
	case i == constColumn:
		v = *r.m.consts[j]
	case i < 0 || i >= len(r.fields):
		return "", j, true
	default:
		v = restore(strings.TrimSpace(r.fields[i])) // formula.go
		if r.m != nil {
			v = r.m.value(j, v)
		}
	}
	if fe := domain.CheckLength(r.ent.Columns[j], v); fe != nil {
		r.fail(j, fe.Text)
		return "", j, false
	}
	return v, j, true
}

func (r *row) fail(j int, t locale.Text) {
	if r.bad&(1<<j) != 0 {
		return
	}
	r.bad |= 1 << j
	if !r.quiet {
		column := r.ent.Columns[j]
		if r.m != nil {
			column = r.m.column(r.ent, j)
		}
		r.d.report(r.pos, column, t)
	}
}

// id reads an identifier or short repeated text, interned. Files sorted by
// learner repeat a value on consecutive rows, which spares the map lookup.
func (r *row) id(name string) string {
	s, j, _ := r.value(name)
	if s == r.prev[j] {
		return r.prev[j]
	}
	s = r.d.intern(s)
	r.prev[j] = s
	return s
}

// text reads free text, such as feedback.
func (r *row) text(name string) string {
	s, _, _ := r.value(name)
	return strings.Clone(s)
}

// code reads a value of a closed code list; blank is "" and left to Validate.
func (r *row) code(name string, list *domain.CodeList) string {
	s, j, _ := r.value(name)
	if s == "" {
		return ""
	}
	c, err := list.Parse(s)
	if err != nil {
		r.fail(j, errText(err))
		return ""
	}
	return c
}

// country reads an ISO 3166 alpha-2 code, upper-cased.
func (r *row) country(name string) string {
	s, _, _ := r.value(name)
	return r.d.intern(strings.ToUpper(s))
}

// ladderCodes maps the canonical ladder codes to their level, so that the
// common case skips ParseLevel's case-insensitive search.
var ladderCodes = func() map[string]domain.Level {
	m := make(map[string]domain.Level, len(domain.Ladder))
	for i, c := range domain.Ladder {
		m[c] = domain.Level(i)
	}
	return m
}()

// level reads a ladder code or alias (spec/domain.md, "The CEFR ladder");
// blank is NoLevel.
func (r *row) level(name string) domain.Level {
	s, j, _ := r.value(name)
	if l, ok := ladderCodes[s]; ok {
		return l
	}
	l, err := domain.ParseLevel(s)
	if err != nil {
		r.fail(j, errText(err))
		return domain.NoLevel
	}
	return l
}

// levels reads the five skill columns.
func (r *row) levels() domain.Levels {
	var ls domain.Levels
	for k := range ls {
		ls[k] = r.level(domain.SkillCodes[k])
	}
	return ls
}

// skill reads a required skill code.
func (r *row) skill(name string) domain.Skill {
	s, j, ok := r.value(name)
	if !ok {
		return 0
	}
	if s == "" {
		r.fail(j, locale.New("rule.requiredof", strings.Join(domain.SkillCodes[:], ", ")))
		return 0
	}
	k, err := domain.ParseSkill(s)
	if err != nil {
		r.fail(j, errText(err))
	}
	return k
}

// skills reads a ';'-separated skill list (',' is taken too, for files that
// use ';' between columns); blank means all five.
func (r *row) skills(name string) domain.SkillSet {
	s, j, ok := r.value(name)
	if !ok {
		return 0
	}
	set, err := domain.ParseSkillSet(strings.ReplaceAll(s, ",", ";"))
	if err != nil {
		r.fail(j, errText(err))
		return 0
	}
	return set
}

// date reads YYYY-MM-DD or DD/MM/YYYY, and in a workbook also a date cell.
func (r *row) date(name string) domain.Date {
	s, j, _ := r.value(name)
	if s == "" {
		return 0
	}
	if r.kind != sourceCSV {
		if d, ok := cellDate(s, r.kind == sourceXLSX1904); ok {
			return d
		}
	}
	parse := domain.ParseDate
	if r.m != nil && r.m.entry.DateFormat != "" {
		parse = r.m.parseDate
	}
	d, err := parse(s)
	if err != nil {
		r.fail(j, errText(err))
		return 0
	}
	return d
}

// integer reads a whole number; blank is 0 and left to Validate.
func (r *row) integer(name string) int {
	if p := r.optInteger(name); p != nil {
		return *p
	}
	return 0
}

// score reads a score of the five-point scale; blank is 0 (none), and the
// range is Validate's to check.
func (r *row) score(name string) domain.Score {
	if p := r.optInteger(name); p != nil {
		return domain.Score(*p)
	}
	return 0
}

// optInteger reads a whole number; blank is nil. "120,0" and "120.0" are
// taken as 120, since spreadsheets write whole numbers that way.
func (r *row) optInteger(name string) *int {
	s, j, _ := r.value(name)
	if s == "" {
		return nil
	}
	n, ok := parseInteger(s)
	if !ok {
		r.fail(j, locale.New("read.wholenumber", s))
		return nil
	}
	return &n
}

// number reads a decimal number with '.' or ',' as the decimal mark
// (spec/interchange.md: "12,5" hours); blank is 0.
func (r *row) number(name string) float64 {
	if p := r.optNumber(name); p != nil {
		return *p
	}
	return 0
}

// optNumber reads a decimal number as number does; blank is nil. A value
// that does not parse is reported and read as 0, not as blank, so that no
// rule about a blank value is reported on top of it.
func (r *row) optNumber(name string) *float64 {
	s, j, _ := r.value(name)
	if s == "" && r.bad&(1<<j) == 0 {
		return nil
	}
	var v float64
	if s != "" {
		var ok bool
		if v, ok = parseNumber(s, r.kind != sourceCSV); !ok {
			r.fail(j, locale.New("read.number", s))
			v = 0
		}
	}
	return &v
}

// parseInteger reads a whole number, also with a zero fraction of one or two
// digits ("120,0"). "1.000" is refused: in Belgium it means a thousand.
func parseInteger(s string) (int, bool) {
	if i := strings.IndexAny(s, ".,"); i >= 0 {
		frac := s[i+1:]
		if i == 0 || len(frac) == 0 || len(frac) > 2 || strings.Trim(frac, "0") != "" {
			return 0, false
		}
		s = s[:i]
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, false
	}
	return n, true
}

// parseNumber reads digits with an optional sign and at most one decimal
// mark. Workbook cells may also hold an exponent ("1.5E-2").
func parseNumber(s string, cell bool) (float64, bool) {
	mark, digits := -1, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case (c == '-' || c == '+') && i == 0:
		case (c == '.' || c == ',') && mark < 0:
			mark = i
		default:
			if cell {
				return parseCellNumber(s)
			}
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	if mark >= 0 && s[mark] == ',' {
		s = s[:mark] + "." + s[mark+1:]
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

func parseCellNumber(s string) (float64, bool) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return 0, false // no "Inf", "NaN" or hexadecimal
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

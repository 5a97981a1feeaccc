package interchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// Mapping profiles (spec/interchange.md, "Files from other systems: mapping
// profiles"): how to read another system's files — their names, title rows,
// column headers, code values and date format — as the entities of the
// interchange format. A profile translates each row into the plain
// reader's terms, so that every rule of the plain import holds, and errors
// name the file's own columns.

// Profile is a mapping profile.
type Profile struct {
	Name        string        `json:"name"`
	Description string        `json:"description,omitempty"`
	Files       []ProfileFile `json:"files"`
}

// ProfileFile says how to read the files or sheets whose name matches Match.
type ProfileFile struct {
	Match      string                       `json:"match"`
	Entity     string                       `json:"entity"`
	SkipRows   int                          `json:"skip_rows,omitempty"`
	DateFormat string                       `json:"date_format,omitempty"`
	Columns    map[string]string            `json:"columns,omitempty"`   // field -> the file's header
	Constants  map[string]string            `json:"constants,omitempty"` // field -> value of every row
	Values     map[string]map[string]string `json:"values,omitempty"`    // field -> file value -> code
}

// DateFormats are the date formats a profile may name.
var DateFormats = []string{"YYYY-MM-DD", "DD/MM/YYYY", "DD-MM-YYYY", "DD.MM.YYYY", "D/M/YYYY", "MM/DD/YYYY"}

// maxSkipRows bounds skip_rows: report titles are a few lines.
const maxSkipRows = 100

// ParseProfile reads and checks a profile; where names it in messages (a
// file name). A profile that is not valid is an EINVALID error naming the
// place in the profile, before any file is read.
func ParseProfile(data []byte, where string) (*Profile, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Profile
	if err := dec.Decode(&p); err != nil {
		return nil, domain.Errorf(domain.EINVALID, "%s: %s", where, jsonProblem(data, err))
	}
	if dec.More() {
		return nil, domain.Errorf(domain.EINVALID, "%s: more than one JSON document", where)
	}
	if problems := p.Check(); len(problems) > 0 {
		return nil, domain.Invalid("profile.invalid", where, locale.Join(problems))
	}
	return &p, nil
}

// jsonProblem says where data stops being a profile.
func jsonProblem(data []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := lineCol(data, syn.Offset)
		return fmt.Sprintf("line %d, column %d: %s", line, col, syn.Error())
	case errors.As(err, &typ):
		line, col := lineCol(data, typ.Offset)
		if typ.Field == "" {
			return fmt.Sprintf("line %d, column %d: a profile is a JSON object with name and files, not %s", line, col, typ.Value)
		}
		return fmt.Sprintf("line %d, column %d: %s should be %s, not %s", line, col, typ.Field, typ.Type, typ.Value)
	case errors.Is(err, io.EOF):
		return "empty: a profile is a JSON object with name and files"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func lineCol(data []byte, offset int64) (int, int) {
	offset = min(offset, int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte{'\n'}) + 1
	return line, int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
}

// Check lists what makes the profile invalid, each with its place.
func (p *Profile) Check() []locale.Text {
	var out []locale.Text
	add := func(key string, args ...any) { out = append(out, locale.New(key, args...)) }
	if strings.TrimSpace(p.Name) == "" {
		add("profile.noname")
	} else if len(p.Name) > 100 || strings.IndexFunc(p.Name, unicode.IsControl) >= 0 || strings.TrimSpace(p.Name) != p.Name {
		add("profile.badname", p.Name)
	}
	if len(p.Files) == 0 {
		add("profile.nofiles")
	}
	for i := range p.Files {
		out = append(out, p.Files[i].check(fmt.Sprintf("files[%d]", i))...)
	}
	return out
}

func (f *ProfileFile) check(where string) []locale.Text {
	var out []locale.Text
	add := func(place, key string, args ...any) {
		out = append(out, locale.New("profile.at", where+"."+place, locale.New(key, args...)))
	}
	if strings.TrimSpace(f.Match) == "" {
		add("match", "profile.nomatch")
	} else if _, err := path.Match(f.Match, ""); err != nil {
		add("match", "profile.badmatch", f.Match)
	}
	ent := entityByName(f.Entity)
	if ent == nil {
		add("entity", "profile.entity", f.Entity, entityNames())
	}
	if f.SkipRows < 0 || f.SkipRows > maxSkipRows {
		add("skip_rows", "profile.skiprows", f.SkipRows, maxSkipRows)
	}
	if f.DateFormat != "" && !slices.Contains(DateFormats, f.DateFormat) {
		add("date_format", "profile.dateformat", f.DateFormat, strings.Join(DateFormats, ", "))
	}
	if ent == nil {
		return out
	}
	field := func(section, name string) bool {
		if ent.Column(name) < 0 {
			add(section, "profile.field", name, ent.Name, strings.Join(ent.Columns, ", "))
			return false
		}
		return true
	}
	readBy := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(f.Columns)) {
		if !field("columns", name) {
			continue
		}
		h := normalHeader(f.Columns[name])
		switch {
		case h == "":
			add("columns."+name, "profile.emptyheader")
		case readBy[h] != "":
			add("columns."+name, "profile.readtwice", f.Columns[name], readBy[h])
		default:
			readBy[h] = name
		}
	}
	for _, name := range slices.Sorted(maps.Keys(f.Constants)) {
		if field("constants", name) {
			if _, ok := f.Columns[name]; ok {
				add("constants."+name, "profile.mappedconst", f.Columns[name])
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(f.Values)) {
		if !field("values", name) {
			continue
		}
		seen := map[string]string{}
		for _, from := range slices.Sorted(maps.Keys(f.Values[name])) {
			k := normalValue(from)
			if prev, ok := seen[k]; ok {
				add("values."+name, "profile.samevalue", prev, from)
			}
			seen[k] = from
		}
	}
	return out
}

// entityByName returns the entity named exactly name, or nil.
func entityByName(name string) *Entity {
	for i := range Entities {
		if Entities[i].Name == name {
			return &Entities[i]
		}
	}
	return nil
}

func entityNames() string {
	names := make([]string, len(Entities))
	for i := range Entities {
		names[i] = Entities[i].Name
	}
	return strings.Join(names, ", ")
}

// normalHeader is how headers are compared: case-insensitive, spaces trimmed.
func normalHeader(h string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
}

// normalValue is how file values are compared with a profile's values.
func normalValue(v string) string { return strings.ToLower(strings.TrimSpace(v)) }

// Matches reports whether the entry reads the file or sheet called name.
func (f *ProfileFile) Matches(name string) bool {
	ok, _ := path.Match(strings.ToLower(f.Match), strings.ToLower(name))
	return ok
}

// fileMapping is one profile entry as the reader applies it to one file.
type fileMapping struct {
	entry   *ProfileFile
	headers []string            // per entity column: the file's own header, "" when not mapped
	consts  []*string           // per entity column: its constant, nil for none
	values  []map[string]string // per entity column: normalised file value -> code
}

// constColumn marks an entity column whose value is a profile constant.
const constColumn = -2

func newFileMapping(ent *Entity, f *ProfileFile) *fileMapping {
	m := &fileMapping{entry: f, headers: make([]string, len(ent.Columns)), consts: make([]*string, len(ent.Columns)),
		values: make([]map[string]string, len(ent.Columns))}
	for name, h := range f.Columns {
		m.headers[ent.Column(name)] = strings.TrimSpace(h)
	}
	for name, v := range f.Constants {
		m.consts[ent.Column(name)] = &v
	}
	for name, vals := range f.Values {
		tbl := make(map[string]string, len(vals))
		for from, to := range vals {
			tbl[normalValue(from)] = to
		}
		m.values[ent.Column(name)] = tbl
	}
	return m
}

// renameHeader turns the file's header row into the plain reader's: a
// mapped column gets its field's name; a column named after a field that
// the profile maps elsewhere or sets as a constant, and any column nothing
// maps, is left out (an empty name).
func (m *fileMapping) renameHeader(ent *Entity, names []string) []string {
	out := make([]string, len(names))
	for i, raw := range names {
		h := normalHeader(raw)
		if h == "" {
			continue
		}
		for j := range ent.Columns {
			if m.headers[j] != "" && normalHeader(m.headers[j]) == h {
				out[i] = ent.Columns[j]
			}
		}
		if out[i] != "" {
			continue
		}
		if j := ent.Column(h); j >= 0 && m.headers[j] == "" && m.consts[j] == nil {
			out[i] = ent.Columns[j] // a field read from a column with its own name
		}
	}
	return out
}

// column returns what messages call entity column j: the file's own header
// when the profile maps it, "field (constant)" for a constant.
func (m *fileMapping) column(ent *Entity, j int) string {
	switch {
	case m.headers[j] != "":
		return m.headers[j]
	case m.consts[j] != nil:
		return ent.Columns[j] + " (constant)"
	}
	return ent.Columns[j]
}

// value maps a file's value (trimmed) of column j through the profile's
// values, whose keys are lower case: a value in lower case is found at
// once, any other by comparing without regard to case, without allocating.
func (m *fileMapping) value(j int, v string) string {
	if tbl := m.values[j]; tbl != nil {
		if to, ok := tbl[v]; ok {
			return to
		}
		for from, to := range tbl {
			if strings.EqualFold(from, v) {
				return to // keys differ in more than case (Check), so at most one matches
			}
		}
	}
	return v
}

// parseDate reads s in the entry's date format.
func (m *fileMapping) parseDate(s string) (domain.Date, error) {
	d, ok := parseDateFormat(s, m.entry.DateFormat)
	if !ok {
		return 0, locale.Errorf("read.dateform", s, m.entry.DateFormat)
	}
	return d, nil
}

// parseDateFormat reads s in one of DateFormats. It allocates nothing: a
// file of 100,000 learners has a date or two on every row.
func parseDateFormat(s, format string) (domain.Date, bool) {
	var sep byte
	var order [3]int // positions of year, month, day among the parts
	exact := true    // two-digit day and month
	switch format {
	case "YYYY-MM-DD":
		sep, order = '-', [3]int{0, 1, 2}
	case "DD/MM/YYYY":
		sep, order = '/', [3]int{2, 1, 0}
	case "DD-MM-YYYY":
		sep, order = '-', [3]int{2, 1, 0}
	case "DD.MM.YYYY":
		sep, order = '.', [3]int{2, 1, 0}
	case "D/M/YYYY":
		sep, order, exact = '/', [3]int{2, 1, 0}, false
	case "MM/DD/YYYY":
		sep, order = '/', [3]int{2, 0, 1}
	default:
		return 0, false
	}
	var parts [3]string
	rest := s
	for i := range 2 {
		k := strings.IndexByte(rest, sep)
		if k < 0 {
			return 0, false
		}
		parts[i], rest = rest[:k], rest[k+1:]
	}
	if strings.IndexByte(rest, sep) >= 0 {
		return 0, false
	}
	parts[2] = rest
	var n [3]int // year, month, day
	for k, i := range order {
		p := parts[i]
		switch {
		case k == 0 && len(p) != 4, k > 0 && (len(p) == 0 || len(p) > 2 || exact && len(p) != 2):
			return 0, false
		}
		for _, c := range []byte(p) {
			if c < '0' || c > '9' {
				return 0, false
			}
			n[k] = n[k]*10 + int(c-'0')
		}
	}
	y, m, d := n[0], n[1], n[2]
	if m < 1 || m > 12 || d < 1 || d > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() || y < 1 {
		return 0, false
	}
	return domain.NewDate(y, time.Month(m), d), true
}

package interchange

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// The mapping assistant (issue 12): from the first rows of a file of
// another system, propose the entity it holds and a profile entry to read
// it — columns from Dutch and English synonyms of every field, the date
// format from the values, and each distinct value of a code field matched
// to the closest code.

// Sample is the start of a file of another system.
type Sample struct {
	Name  string     // the file name; for a workbook, the name of its first sheet
	Sheet bool       // Name is a sheet
	Rows  [][]string // the first rows as read, cells trimmed
	file  string     // the file name, for messages
}

// maxSampleRows is how many rows the assistant reads: enough for the
// distinct values of a code field in a month's export.
const maxSampleRows = 5000

// SampleFile reads the first rows of a CSV file or of a workbook's first
// sheet, within UploadLimits: the mapping assistant reads its uploads on
// every view of its page, and each view costs no more than the upload's
// own check. name is the file's own name.
func SampleFile(path, name string) (*Sample, error) {
	lim := UploadLimits
	if err := lim.CheckFile(path, name); err != nil {
		return nil, err
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt":
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		c, err := newCSVReader(f)
		if err != nil {
			return nil, domain.Invalid("file.unreadable", name, err.Error())
		}
		s := &Sample{Name: name, file: name}
		for len(s.Rows) < maxSampleRows {
			fields, err := c.Read()
			if err == io.EOF {
				break
			}
			if _, bad := err.(*csvError); err != nil && !bad {
				return nil, err
			}
			if err := s.add(lim, name, c.row, fields); err != nil {
				return nil, err
			}
		}
		return s, nil
	case ".xlsx", ".xlsm":
		f, _, err := lim.openWorkbook(path, name)
		if domain.ErrorCode(err) == domain.EINVALID {
			return nil, err
		}
		if err != nil {
			return nil, domain.Invalid("file.badworkbook", name)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, domain.Invalid("file.nosheet", name)
		}
		rows, err := f.Rows(sheets[0])
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		s := &Sample{Name: sheets[0], Sheet: true, file: name}
		for row := 1; len(s.Rows) < maxSampleRows && rows.Next(); row++ {
			cells, err := rows.Columns()
			if err != nil {
				return nil, err
			}
			if err := s.add(lim, name, row, cells); err != nil {
				return nil, err
			}
		}
		return s, nil
	}
	return nil, domain.Invalid("file.notcsv", name)
}

// add keeps a row of the sample once it is within lim, trimmed and without
// the empty cells after its last value: a row of a million separators
// keeps nothing.
func (s *Sample) add(lim Limits, file string, row int, fields []string) error {
	if err := lim.checkRow(file, row, fields); err != nil {
		return err
	}
	s.Rows = append(s.Rows, trimmed(fields[:nonBlankWidth(fields)]))
	return nil
}

func trimmed(fields []string) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = strings.TrimSpace(strings.TrimPrefix(f, "\ufeff"))
	}
	return out
}

// HeaderRow returns the index of the header row: the first of the first
// ten rows with the most filled cells (title rows above it have fewer).
func (s *Sample) HeaderRow() int {
	best, at := 0, 0
	for i, r := range s.Rows[:min(10, len(s.Rows))] {
		n := 0
		for _, c := range r {
			if c != "" {
				n++
			}
		}
		if n > best {
			best, at = n, i
		}
	}
	return at
}

// Header returns the header cells of the sample read with skip rows above
// the header, and the data rows under it.
func (s *Sample) Header(skip int) (header []string, rows [][]string) {
	for i := skip; i < len(s.Rows); i++ {
		if blank(s.Rows[i]) {
			continue
		}
		return s.Rows[i], s.Rows[i+1:]
	}
	return nil, nil
}

// CheckHeader refuses the sample when the header under skip rows names a
// column longer than a name may be (Limits.HeaderChars): the assistant
// matches every name against every field and offers it in every field's
// choice, so a header of a thousand long names would cost a page of
// gigabytes. Its row number counts the sample's rows.
func (s *Sample) CheckHeader(skip int) error {
	for i := skip; i < len(s.Rows); i++ {
		if !blank(s.Rows[i]) {
			return UploadLimits.checkHeader(s.file, i+1, s.Rows[i])
		}
	}
	return nil
}

// Recognises reports whether entry e of a stored profile reads this
// sample: its name matches and every column it maps is in the header.
func (s *Sample) Recognises(e *ProfileFile) bool {
	return e.Matches(s.Name) && s.Fits(e)
}

// Fits reports whether every column entry e maps is in the sample's header
// (whatever the file is called).
func (s *Sample) Fits(e *ProfileFile) bool {
	header, _ := s.Header(e.SkipRows)
	have := map[string]bool{}
	for _, h := range header {
		have[normalHeader(h)] = true
	}
	for _, h := range e.Columns {
		if !have[normalHeader(h)] {
			return false
		}
	}
	return len(e.Columns) > 0
}

// Example profiles shipped with Traject, offered by the assistant as a
// starting point (their example files are in testdata/profiles/).
//
//go:embed examples/*.json
var examples embed.FS

// Examples returns the shipped example profiles, by name.
func Examples() []*Profile {
	entries, err := examples.ReadDir("examples")
	if err != nil {
		panic(err)
	}
	var out []*Profile
	for _, e := range entries {
		b, err := examples.ReadFile("examples/" + e.Name())
		if err != nil {
			panic(err)
		}
		p, err := ParseProfile(b, e.Name())
		if err != nil {
			panic("interchange: shipped profile " + err.Error())
		}
		out = append(out, p)
	}
	return out
}

// synonyms are the Dutch and English names other systems give each field,
// normalised (see headerWords); a field's own name counts too.
var synonyms = map[string][]string{
	"id":                 {"stamnummer", "dossiernummer", "cursistnummer", "leerlingnummer", "nummer", "learner id", "student id"},
	"learner":            {"stamnummer", "dossiernummer", "cursistnummer", "leerlingnummer", "cursist", "lerende", "student"},
	"first_name":         {"voornaam", "roepnaam", "first name", "given name"},
	"last_name":          {"familienaam", "achternaam", "naam", "last name", "surname", "family name"},
	"birth_date":         {"geboortedatum", "geboren op", "date of birth", "birth date", "dob"},
	"gender":             {"geslacht", "gender", "sex"},
	"home_language":      {"thuistaal", "moedertaal", "home language", "mother tongue"},
	"country_of_birth":   {"geboorteland", "land van herkomst", "country of birth"},
	"schooling_level":    {"scholing", "scholingsniveau", "opleidingsniveau", "vooropleiding", "schooling", "education level"},
	"schooling_years":    {"jaren onderwijs", "schooljaren", "jaren scholing", "years of schooling"},
	"literacy":           {"alfabetisering", "geletterdheid", "literacy"},
	"learning_route":     {"leerroute", "route", "learning route"},
	"civic_status":       {"inburgering", "inburgeringsstatus", "statuut", "civic status"},
	"perspective":        {"perspectief", "doel", "perspective"},
	"counsellor":         {"trajectbegeleider", "begeleider", "counsellor", "counselor"},
	"date":               {"datum", "datum aanmelding", "aanmeldingsdatum", "toetsdatum", "evaluatiedatum", "date"},
	"source":             {"doorverwezen door", "verwijzer", "verwezen door", "bron", "source"},
	"provider":           {"aanbieder", "centrum", "school", "provider"},
	"group":              {"groep", "klas", "cursus", "group", "class"},
	"module":             {"module", "opleiding"},
	"start_date":         {"startdatum", "begindatum", "start", "start date"},
	"end_date":           {"einddatum", "einde", "end date"},
	"status":             {"status", "toestand"},
	"hours_attended":     {"aanwezige uren", "uren aanwezig", "aanwezigheid", "hours attended"},
	"kind":               {"soort", "soort evaluatie", "evaluatie", "kind"},
	"listening":          {"luisteren", "listening"},
	"reading":            {"lezen", "reading"},
	"spoken_interaction": {"gesprekken", "gesprekken voeren", "mondelinge interactie", "spoken interaction"},
	"spoken_production":  {"spreken", "mondelinge productie", "spoken production"},
	"writing":            {"schrijven", "writing"},
	"decision":           {"beslissing", "resultaat", "besluit", "decision"},
	"evaluator":          {"afgenomen door", "leerkracht", "lesgever", "evaluator", "teacher"},
	"feedback":           {"feedback", "commentaar", "opmerking"},
	"method":             {"methode", "plaatsingsmethode", "method"},
	"type":               {"type", "soort uitstroom"},
	"reason":             {"reden", "reden uitstroom", "reason"},
	"destination":        {"bestemming", "destination"},
	"number":             {"certificaatnummer", "nummer certificaat", "number"},
	"level":              {"niveau", "level"},
	"target_level":       {"doelniveau", "target level"},
	"set_date":           {"vastgelegd op", "set date"},
	"target_date":        {"te bereiken op", "target date"},
	"skill":              {"vaardigheid", "skill"},
	"wellbeing":          {"welbevinden", "wellbeing"},
	"involvement":        {"betrokkenheid", "involvement"},
	"satisfaction":       {"tevredenheid", "satisfaction"},
	"observer":           {"observator", "waargenomen door", "observer"},
	"note":               {"notitie", "opmerking", "note"},
	"comment":            {"opmerking", "commentaar", "comment"},
	"respondent":         {"respondent", "bevraagde"},
	"partner_type":       {"soort partner", "partner type"},
	"code":               {"code"},
	"name":               {"naam", "name"},
	"programme":          {"opleiding", "programma", "programme"},
	"entry_level":        {"instapniveau", "entry level"},
	"nominal_hours":      {"lestijden", "uren", "nominal hours"},
	"planned_hours":      {"geplande uren", "lesuren", "planned hours"},
	"teacher":            {"leerkracht", "lesgever", "teacher"},
	"intensity":          {"intensiteit", "intensity"},
	"skills":             {"vaardigheden", "skills"},
}

var parenthesised = regexp.MustCompile(`\([^)]*\)`)

// headerWords normalises a header for matching synonyms: lower case, no
// parenthesised part ("Geslacht (M/V)"), no punctuation, single spaces.
func headerWords(h string) string {
	h = strings.ToLower(parenthesised.ReplaceAllString(h, " "))
	h = strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == '.' || r == ':' || r == '/' {
			return ' '
		}
		return r
	}, h)
	return strings.Join(strings.Fields(h), " ")
}

// fieldScore says how well header h names field f: 3 for its own name or
// a synonym, 0 for none.
func fieldScore(f, h string) int {
	w := headerWords(h)
	if w == headerWords(f) {
		return 3
	}
	if slices.Contains(synonyms[f], w) {
		return 3
	}
	return 0
}

// codeLists are the code lists of the fields that take a code.
var codeLists = map[string]*domain.CodeList{
	"gender": domain.Genders, "schooling_level": domain.SchoolingLevels, "literacy": domain.Literacies,
	"learning_route": domain.LearningRoutes, "civic_status": domain.CivicStatuses, "perspective": domain.Perspectives,
	"source": domain.ReferralSources, "method": domain.PlacementMethods, "intensity": domain.Intensities,
	"kind": nil, "decision": domain.Decisions, "reason": domain.OutflowReasons, "destination": domain.Destinations,
	"respondent": domain.RespondentKinds, "partner_type": domain.PartnerTypes,
}

// CodeList returns the code list of field of entity, or nil: status, type
// and kind mean other lists in other entities.
func CodeList(entity, field string) *domain.CodeList {
	switch entity + "." + field {
	case "enrollments.status":
		return domain.EnrollmentStatuses
	case "followups.status":
		return domain.FollowUpStatuses
	case "evaluations.kind":
		return domain.EvaluationKinds
	case "certificates.kind":
		return domain.CertificateKinds
	case "outflows.type":
		return domain.OutflowTypes
	case "providers.type":
		return domain.ProviderTypes
	case "goals.source":
		return domain.GoalSources
	}
	if entity == "goals" || entity == "providers" {
		return nil
	}
	return codeLists[field]
}

// LevelField reports whether field takes a level of the CEFR ladder.
func LevelField(field string) bool {
	return slices.Contains(domain.SkillCodes[:], field) || field == "level" || field == "target_level" || field == "entry_level"
}

// valueSynonyms are common values of other systems for some codes.
var valueSynonyms = map[string]map[string]string{
	"gender": {"v": "f", "vrouw": "f", "vrouwelijk": "f", "female": "f", "w": "f", "man": "m", "mannelijk": "m", "male": "m", "m": "m", "x": "x", "ander": "x"},
}

// ProposeValue returns the code a value of field most likely means, or ""
// when none is close.
func ProposeValue(entity, field, value string) string {
	v := normalValue(value)
	if v == "" {
		return ""
	}
	if LevelField(field) {
		if l, err := domain.ParseLevel(value); err == nil {
			return l.String()
		}
		return ""
	}
	list := CodeList(entity, field)
	if list == nil {
		return ""
	}
	if c, ok := valueSynonyms[field][v]; ok {
		return c
	}
	for i, code := range list.Codes {
		if v == code || v == strings.ToLower(locale.Code("nl", list.Name, list.Codes[i])) {
			return code
		}
	}
	for i, code := range list.Codes { // "Hoger secundair" for "hoger secundair onderwijs", "Traag" for "traag"
		label := strings.ToLower(locale.Code("nl", list.Name, list.Codes[i]))
		if len(v) >= 3 && (strings.HasPrefix(label, v) || strings.HasPrefix(code, v) || strings.HasPrefix(v, label)) {
			return code
		}
	}
	return ""
}

// dateFields are the fields that hold a date.
var dateFields = []string{"birth_date", "date", "start_date", "end_date", "set_date", "target_date"}

// Proposal is the assistant's proposal for one file.
type Proposal struct {
	Entry    ProfileFile
	Header   []string            // the file's header cells
	Distinct map[string][]string // per code or level field mapped to a column: its distinct values, sorted
}

// maxDistinct bounds the values listed per code field.
const maxDistinct = 60

// Propose proposes a profile entry for the sample: for entity, or when
// entity is "" the entity whose fields its headers name best.
func Propose(s *Sample, entity string) *Proposal {
	skip := s.HeaderRow()
	header, rows := s.Header(skip)
	ent := entityByName(entity)
	if ent == nil {
		bestScore := -1
		for i := range Entities {
			e := &Entities[i]
			score := 0
			for _, f := range e.Columns {
				for _, h := range header {
					if fieldScore(f, h) > 0 {
						score += 2
						if !e.Optional[f] {
							score++
						}
						break
					}
				}
			}
			if score > bestScore {
				bestScore, ent = score, e
			}
		}
	}
	p := &Proposal{Header: header, Distinct: map[string][]string{}}
	e := &p.Entry
	e.Entity, e.SkipRows, e.Match = ent.Name, skip, namePattern(s.Name)
	e.Columns, e.Values = map[string]string{}, map[string]map[string]string{}
	taken := map[int]bool{}
	for _, f := range ent.Columns {
		for i, h := range header {
			if !taken[i] && h != "" && fieldScore(f, h) > 0 {
				e.Columns[f], taken[i] = h, true
				break
			}
		}
	}
	col := func(f string) int { return slices.Index(header, e.Columns[f]) }
	// The date format that reads every value of the date columns.
	var dates []string
	for _, f := range dateFields {
		if i := col(f); i >= 0 {
			for _, r := range rows {
				if i < len(r) && r[i] != "" {
					dates = append(dates, r[i])
				}
			}
		}
	}
	e.DateFormat = detectDateFormat(dates)
	p.Distinct = DistinctValues(s, e)
	for f, vals := range p.Distinct {
		m := map[string]string{}
		for _, v := range vals {
			c := ProposeValue(ent.Name, f, v)
			switch {
			case c != "" && c != v:
				m[v] = c
			case c == "" && LevelField(f):
				m[v] = "" // "niet getest": no level
			}
		}
		if len(m) > 0 {
			e.Values[f] = m
		}
	}
	return p
}

// DistinctValues lists, per code or level field that e reads from a
// column, the distinct values of that column in the sample (compared
// without regard to case), sorted, at most maxDistinct of them.
func DistinctValues(s *Sample, e *ProfileFile) map[string][]string {
	header, rows := s.Header(e.SkipRows)
	out := map[string][]string{}
	for f, h := range e.Columns {
		if CodeList(e.Entity, f) == nil && !LevelField(f) {
			continue
		}
		i := slices.Index(header, h)
		if i < 0 {
			continue
		}
		seen := map[string]bool{}
		var vals []string
		for _, r := range rows {
			// A value longer than a name is no code nor a code's label: the
			// dry run reports it, the value table does not offer it.
			if i < len(r) && r[i] != "" && !longerThan(r[i], MaxNameLength) && !seen[normalValue(r[i])] && len(vals) < maxDistinct {
				seen[normalValue(r[i])] = true
				vals = append(vals, r[i])
			}
		}
		slices.Sort(vals)
		out[f] = vals
	}
	return out
}

var digitRuns = regexp.MustCompile(`[0-9]+`)

// namePattern turns a file name into the pattern of next month's file:
// every run of digits may change ("Cursisten-2026-03.csv" → "Cursisten-*-*.csv").
func namePattern(name string) string {
	return digitRuns.ReplaceAllString(strings.NewReplacer("*", "?", "?", "?", "[", "?", "]", "?", "\\", "?").Replace(name), "*")
}

// detectDateFormat returns the first of DateFormats that reads every one
// of values (day before month where both could be), or "" for none or no
// values.
func detectDateFormat(values []string) string {
	if len(values) == 0 {
		return ""
	}
	for _, f := range []string{"YYYY-MM-DD", "DD/MM/YYYY", "D/M/YYYY", "DD-MM-YYYY", "DD.MM.YYYY", "MM/DD/YYYY"} {
		ok := true
		for _, v := range values {
			if _, good := parseDateFormat(v, f); !good {
				ok = false
				break
			}
		}
		if ok {
			return f
		}
	}
	return ""
}

// Preview returns up to n records of entity in ds as the interchange
// format writes them (sorted by key), with its column names.
func Preview(ds *domain.DataSet, entity string, n int) (header []string, rows [][]string, err error) {
	ent := entityByName(entity)
	if ent == nil {
		return nil, nil, fmt.Errorf("no entity %q", entity)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := writeRecords(w, ent, ds); err != nil {
		return nil, nil, err
	}
	w.Flush()
	r := csv.NewReader(&buf)
	for len(rows) < n {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		rows = append(rows, rec)
	}
	return ent.Columns, rows, nil
}

package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/reports"
)

// DefaultLayoutFile is the layout of the indicator workbook in reports/.
const DefaultLayoutFile = "indicators.json"

// Layout is a workbook layout of reports/: the sheets in order with their
// columns, labels, number formats and widths, and the texts the sheets show.
// In the file every text (the titles, labels, texts, definitions, the maps'
// values and a sheet's name) is a key of the catalogue (internal/locale);
// ParseLayoutIn writes them in one language, so that a Layout holds words. It checks the layout
// completely, so that a mistake in the file stops Traject at start-up
// rather than in a scheduled run at night.
type Layout struct {
	Name       string            `json:"name"`       // the layout's own name (not a text)
	Title      string            `json:"title"`      // the workbook's title (document properties, Overzicht)
	Formats    map[string]string `json:"formats"`    // format name -> Excel number format code
	Texts      map[string]string `json:"texts"`      // fixed texts, see requiredTexts
	Indicators map[string]string `json:"indicators"` // indicator name -> label; left out: the catalogue's ind.<name>
	Breakdowns map[string]string `json:"breakdowns"` // breakdown name -> label; left out: the catalogue's bd.<name>
	Skills     map[string]string `json:"skills"`     // skill code -> label; left out: the catalogue's skill.<code>
	Measures   map[string]string `json:"measures"`   // measure code (see Measures) -> label
	Classes    map[string]string `json:"classes"`    // "indicator.class" -> label
	Figures    []FigureText      `json:"figures"`    // one per figure code of the overview, in its order
	Notes      []Note            `json:"notes"`      // explanations after the definitions
	Sheets     []Sheet           `json:"sheets"`     // in workbook order
}

// FigureText is the text and the formats of one figure of the overview.
type FigureText struct {
	Code              string `json:"code"`
	Label             string `json:"label"` // left out: the catalogue's fig.<code>.label, as every text of a figure
	Short             string `json:"short"`
	Format            string `json:"format"`             // of the value
	NumeratorFormat   string `json:"numerator_format"`   // of the teller
	DenominatorFormat string `json:"denominator_format"` // of the noemer
	Numerator         string `json:"numerator"`          // what the teller counts; "" when there is none
	Denominator       string `json:"denominator"`        // what the noemer counts
	Definition        string `json:"definition"`         // in plain words
}

// Note is an explanation shown on the definitions sheet.
type Note struct {
	Label string `json:"label"`
	Text  string `json:"text"`
}

// Sheet is one sheet of a layout.
type Sheet struct {
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`       // see the Kind constants
	Title      string   `json:"title"`      // a title row above the table; "" for none
	Legend     bool     `json:"legend"`     // a row under the title that explains "<5" and empty cells
	Freeze     bool     `json:"freeze"`     // freeze the rows down to the table's header
	Autofilter bool     `json:"autofilter"` // filter buttons on the table's header
	Wrap       bool     `json:"wrap"`       // wrap long text in its column instead of widening it
	Indicator  string   `json:"indicator"`  // KindIndicator: the indicator it shows
	Breakdown  string   `json:"breakdown"`  // KindFigures: the breakdown whose keys are its rows
	Header     []Column `json:"header"`     // KindOverview: the lines above the table (label and value)
	Columns    []Column `json:"columns"`
	Charts     []Chart  `json:"charts"`
}

// Column is one column of a sheet (or one line of the overview's header).
// A key ending in ".*" stands for one column per code of its code list, and
// "{label}" in its label for that code's label.
type Column struct {
	Key      string  `json:"key"`
	Label    string  `json:"label"`
	Format   string  `json:"format"`    // a name of Layout.Formats, or figure, figure_numerator, figure_denominator
	Width    float64 `json:"width"`     // the least width, in characters; small sheets widen to fit
	MaxWidth float64 `json:"max_width"` // the most a column widens to fit; 0: 60
}

// Chart is a native Excel chart over columns of its sheet's table.
type Chart struct {
	Title      string   `json:"title"`
	Type       string   `json:"type"`        // col, bar or line
	Rows       string   `json:"rows"`        // all: every table row; total: the rows of the total only
	Categories string   `json:"categories"`  // the column key of the category labels
	Series     []string `json:"series"`      // the column keys of the values, one series each
	AxisFormat string   `json:"axis_format"` // a format name for the value axis
	AxisMin    *float64 `json:"axis_min"`    // the value axis' bounds; nil: automatic
	AxisMax    *float64 `json:"axis_max"`
	Width      uint     `json:"width"`  // pixels; 0: 640
	Height     uint     `json:"height"` // pixels; 0: 360
}

// The kinds of sheets.
const (
	KindOverview    = "overview"    // header block and one row per figure code
	KindDefinitions = "definitions" // the figures' definitions and the notes
	KindFigures     = "figures"     // every figure per key of one breakdown
	KindIndicator   = "indicator"   // one indicator's counts and rates, total and per breakdown key
	KindSkills      = "skills"      // learning gain per skill, total and per breakdown key
	KindWellbeing   = "wellbeing"   // wellbeing, involvement and every survey score, total and per breakdown key
	KindCases       = "cases"       // every case behind every indicator (streamed)
	KindFindings    = "findings"    // the data-quality findings (streamed)
)

// Special column formats: the figure's own format per row.
const (
	formatFigure            = "figure"
	formatFigureNumerator   = "figure_numerator"
	formatFigureDenominator = "figure_denominator"
)

// requiredFormats are the format names every layout defines, and no others.
var requiredFormats = []string{"text", "count", "rate", "mean", "days", "hours", "date", "datetime"}

// requiredTexts are the fixed texts every layout defines.
var requiredTexts = []string{"total", "all_providers", "yes", "suppressed", "exact",
	"legend_suppressed", "legend_exact", "note_suppressed", "note_undefined", "note_count_suppressed", "definitions_version"}

// kindsOnce are the sheet kinds a layout may hold at most once: each is
// costly (cases, findings) or would say the same twice.
var kindsOnce = []string{KindOverview, KindDefinitions, KindCases, KindFindings}

var (
	defaultOnce    sync.Once
	defaultLayouts map[string]*Layout // by language
	defaultErr     error
)

// DefaultLayout returns the layout of reports/indicators.json in Dutch; see
// DefaultLayoutIn.
func DefaultLayout() (*Layout, error) { return DefaultLayoutIn(locale.Default) }

// DefaultLayoutIn returns the layout of reports/indicators.json in lang (a
// language of the interface, else Dutch). The first call reads and checks it
// in every language of the interface, so that a text too long for a sheet's
// name in one of them stops Traject at start-up too.
func DefaultLayoutIn(lang string) (*Layout, error) {
	defaultOnce.Do(func() {
		defaultLayouts = map[string]*Layout{}
		for _, lg := range locale.Interface {
			l, err := LoadLayoutIn(reports.FS, DefaultLayoutFile, lg)
			if err != nil {
				defaultErr = err
				return
			}
			defaultLayouts[lg] = l
		}
	})
	if defaultErr != nil {
		return nil, defaultErr
	}
	return defaultLayouts[locale.Lang(lang)], nil
}

// LoadLayout reads and checks the layout called name in fsys, in Dutch.
func LoadLayout(fsys fs.FS, name string) (*Layout, error) {
	return LoadLayoutIn(fsys, name, locale.Default)
}

// LoadLayoutIn reads and checks the layout called name in fsys, its texts
// written in lang.
func LoadLayoutIn(fsys fs.FS, name, lang string) (*Layout, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("workbook layout %s: %w", name, err)
	}
	l, err := ParseLayoutIn(b, lang)
	if err != nil {
		if lang != locale.Default {
			return nil, fmt.Errorf("workbook layout %s (%s): %w", name, lang, err)
		}
		return nil, fmt.Errorf("workbook layout %s: %w", name, err)
	}
	return l, nil
}

// ParseLayout is ParseLayoutIn in Dutch.
func ParseLayout(b []byte) (*Layout, error) { return ParseLayoutIn(b, locale.Default) }

// ParseLayoutIn decodes a layout (unknown fields are mistakes), writes its
// texts in lang (each must be a key of the catalogue), and checks it
// against the indicators, code lists and column keys Traject knows.
func ParseLayoutIn(b []byte, lang string) (*Layout, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var l Layout
	if err := dec.Decode(&l); err != nil {
		return nil, domain.Errorf(domain.EINVALID, "%v", err)
	}
	var p problems
	l.eachText(func(where string, s *string) {
		switch {
		case *s == "":
			return // check names a text that is required; fromCatalogue fills in a figure's
		case !locale.Has(*s):
			p.add("%s: %q is no key of the catalogue (internal/locale/translations)", where, *s)
		}
		// A text of a layout takes no arguments, so the catalogue's "%%"
		// is a percent sign ("%% gekwalificeerd"), as in any format.
		*s = strings.ReplaceAll(locale.T(lang, *s), "%%", "%")
	})
	if err := p.err(); err != nil {
		return nil, err
	}
	l.fromCatalogue(lang)
	if err := l.check(); err != nil {
		return nil, err
	}
	return &l, nil
}

// eachText calls fn with every text of the layout and where it is, in the
// file's order (the maps' in the order of their keys).
func (l *Layout) eachText(fn func(where string, s *string)) {
	fn("title", &l.Title)
	for _, m := range []struct {
		name string
		m    map[string]string
	}{{"texts", l.Texts}, {"indicators", l.Indicators}, {"breakdowns", l.Breakdowns}, {"skills", l.Skills},
		{"measures", l.Measures}, {"classes", l.Classes}} {
		for _, k := range slices.Sorted(maps.Keys(m.m)) {
			v := m.m[k]
			fn(fmt.Sprintf("%s %q", m.name, k), &v)
			m.m[k] = v
		}
	}
	for i := range l.Figures {
		f := &l.Figures[i]
		where := fmt.Sprintf("figures[%d]", i)
		fn(where+".label", &f.Label)
		fn(where+".short", &f.Short)
		fn(where+".numerator", &f.Numerator)
		fn(where+".denominator", &f.Denominator)
		fn(where+".definition", &f.Definition)
	}
	for i := range l.Notes {
		fn(fmt.Sprintf("notes[%d].label", i), &l.Notes[i].Label)
		fn(fmt.Sprintf("notes[%d].text", i), &l.Notes[i].Text)
	}
	for i := range l.Sheets {
		s := &l.Sheets[i]
		where := fmt.Sprintf("sheets[%d]", i)
		fn(where+".name", &s.Name)
		fn(where+".title", &s.Title)
		for j := range s.Header {
			fn(fmt.Sprintf("%s.header[%d].label", where, j), &s.Header[j].Label)
		}
		for j := range s.Columns {
			fn(fmt.Sprintf("%s.columns[%d].label", where, j), &s.Columns[j].Label)
		}
		for j := range s.Charts {
			fn(fmt.Sprintf("%s.charts[%d].title", where, j), &s.Charts[j].Title)
		}
	}
}

// fromCatalogue fills in, in lang, the names that the layout leaves to the
// catalogue's own families (reports/indicators.json leaves them all): the
// indicators, breakdowns and skills, and the texts of each figure. A layout
// may still name other keys for them.
func (l *Layout) fromCatalogue(lang string) {
	in := func(key string) string { return locale.T(lang, key) }
	capital := func(s string) string {
		r, n := utf8.DecodeRuneInString(s)
		return string(unicode.ToUpper(r)) + s[n:]
	}
	if l.Indicators == nil {
		l.Indicators = map[string]string{}
		for _, name := range indicator.IndicatorNames {
			l.Indicators[name] = in(indicator.IndicatorKey(name))
		}
	}
	if l.Breakdowns == nil {
		l.Breakdowns = map[string]string{}
		for _, name := range indicator.BreakdownNames {
			l.Breakdowns[name] = capital(in(indicator.BreakdownKey(name)))
		}
	}
	if l.Skills == nil {
		l.Skills = map[string]string{}
		for k := range domain.NumSkills {
			l.Skills[domain.SkillCodes[k]] = capital(in(domain.Skill(k).Key()))
		}
	}
	for i := range l.Figures {
		f := &l.Figures[i]
		d := indicator.FigureDefByCode(f.Code)
		if d == nil {
			continue // check names it
		}
		if f.Label == "" {
			f.Label = in(d.LabelKey())
		}
		if f.Short == "" {
			f.Short = in(d.ShortKey())
		}
		if f.Numerator == "" && d.HasNumerator {
			f.Numerator = in(d.NumeratorKey())
		}
		if f.Denominator == "" {
			f.Denominator = in(d.DenominatorKey())
		}
	}
}

// problems collects the mistakes of a layout, so that one run names them all.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return domain.Errorf(domain.EINVALID, "%s", strings.Join(p, "; "))
}

// sameKeys reports the keys of m that are not in want, and the missing ones.
func sameKeys(p *problems, what string, m map[string]string, want []string) {
	for _, k := range want {
		if strings.TrimSpace(m[k]) == "" {
			p.add("%s: no text for %q", what, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !slices.Contains(want, k) {
			p.add("%s: unknown key %q", what, k)
		}
	}
}

func (l *Layout) check() error {
	var p problems
	if strings.TrimSpace(l.Name) == "" || strings.TrimSpace(l.Title) == "" {
		p.add("name and title are required")
	}
	for _, k := range requiredFormats {
		if _, ok := l.Formats[k]; !ok {
			p.add("formats: no format %q", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(l.Formats)) {
		if !slices.Contains(requiredFormats, k) {
			p.add("formats: unknown format name %q (use %s)", k, strings.Join(requiredFormats, ", "))
		}
	}
	sameKeys(&p, "texts", l.Texts, requiredTexts)
	sameKeys(&p, "indicators", l.Indicators, indicator.IndicatorNames[:])
	sameKeys(&p, "breakdowns", l.Breakdowns, indicator.BreakdownNames[:])
	sameKeys(&p, "skills", l.Skills, domain.SkillCodes[:])
	sameKeys(&p, "measures", l.Measures, Measures())
	var classes []string
	for _, ind := range indicator.IndicatorNames {
		for _, c := range indicator.Classes(ind) {
			classes = append(classes, ind+"."+c)
		}
	}
	sameKeys(&p, "classes", l.Classes, classes)
	l.checkFigures(&p)
	for i, n := range l.Notes {
		if strings.TrimSpace(n.Label) == "" || strings.TrimSpace(n.Text) == "" {
			p.add("notes[%d]: label and text are required", i)
		}
	}
	if len(l.Sheets) == 0 {
		p.add("no sheets")
	}
	names := map[string]bool{}
	kinds := map[string]int{}
	for i := range l.Sheets {
		s := &l.Sheets[i]
		if msg := sheetNameProblem(s.Name); msg != "" {
			p.add("sheets[%d]: %s", i, msg)
		}
		if low := strings.ToLower(s.Name); names[low] {
			p.add("sheet %q: the name is used twice (Excel ignores case)", s.Name)
		} else {
			names[low] = true
		}
		kinds[s.Kind]++
		l.checkSheet(&p, s)
	}
	for _, k := range kindsOnce {
		if kinds[k] > 1 {
			p.add("%d sheets of kind %s: at most one", kinds[k], k)
		}
	}
	return p.err()
}

func (l *Layout) checkFigures(p *problems) {
	kindFormat := map[indicator.Kind]string{indicator.KindRate: "rate", indicator.KindCount: "count",
		indicator.KindDays: "days", indicator.KindMean: "mean"}
	seen := map[string]bool{}
	for i, f := range l.Figures {
		d := indicator.FigureDefByCode(f.Code)
		if d == nil {
			p.add("figures[%d]: unknown figure code %q", i, f.Code)
			continue
		}
		if seen[f.Code] {
			p.add("figure %s is listed twice", f.Code)
		}
		seen[f.Code] = true
		if f.Format != kindFormat[d.Kind] {
			p.add("figure %s: format %q, but its value is a %s (format %q)", f.Code, f.Format, d.Kind, kindFormat[d.Kind])
		}
		for _, nf := range []string{f.NumeratorFormat, f.DenominatorFormat} {
			if formatType(nf) != typeNumber {
				p.add("figure %s: numerator and denominator formats must be number formats, not %q", f.Code, nf)
			}
		}
		if strings.TrimSpace(f.Label) == "" || strings.TrimSpace(f.Short) == "" || strings.TrimSpace(f.Definition) == "" || strings.TrimSpace(f.Denominator) == "" {
			p.add("figure %s: label, short, definition and denominator are required", f.Code)
		}
	}
	for _, d := range indicator.FigureDefs {
		if !seen[d.Code] {
			p.add("figures: figure %s is missing", d.Code)
		}
	}
}

// sheetNameProblem says what Excel would refuse in a sheet name, or "".
func sheetNameProblem(name string) string {
	switch n := utf8.RuneCountInString(name); {
	case strings.TrimSpace(name) == "":
		return "a sheet needs a name"
	case n > 31:
		return fmt.Sprintf("sheet name %q is longer than 31 characters", name)
	case strings.ContainsAny(name, `[]:*?/\`):
		return fmt.Sprintf(`sheet name %q holds one of []:*?/\`, name)
	case strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'"):
		return fmt.Sprintf("sheet name %q starts or ends with an apostrophe", name)
	case strings.EqualFold(name, "History"):
		return "Excel reserves the sheet name History"
	}
	return ""
}

func (l *Layout) checkSheet(p *problems, s *Sheet) {
	where := fmt.Sprintf("sheet %q", s.Name)
	switch s.Kind {
	case KindOverview:
		if len(s.Header) == 0 {
			p.add("%s: an overview needs header lines", where)
		}
		for _, c := range s.Header {
			l.checkColumn(p, where+" header", s, c, headerKeys)
		}
	case KindIndicator:
		if !slices.Contains(indicator.IndicatorNames[:], s.Indicator) {
			p.add("%s: unknown indicator %q", where, s.Indicator)
		}
	case KindFigures:
		if !slices.Contains(indicator.BreakdownNames[:], s.Breakdown) {
			p.add("%s: unknown breakdown %q", where, s.Breakdown)
		}
	case KindDefinitions, KindSkills, KindWellbeing, KindCases, KindFindings:
	default:
		p.add("%s: unknown kind %q (overview, definitions, figures, indicator, skills, wellbeing, cases, findings)", where, s.Kind)
		return
	}
	if s.Kind != KindOverview && len(s.Header) > 0 {
		p.add("%s: only an overview has header lines", where)
	}
	if s.Indicator != "" && s.Kind != KindIndicator || s.Breakdown != "" && s.Kind != KindFigures {
		p.add("%s: indicator belongs to kind indicator, breakdown to kind figures", where)
	}
	if len(s.Columns) == 0 {
		p.add("%s: no columns", where)
	}
	keys := map[string]bool{}
	for _, c := range s.Columns {
		if keys[c.Key] {
			p.add("%s: column %q twice", where, c.Key)
		}
		keys[c.Key] = true
		l.checkColumn(p, where, s, c, nil)
		if code, ok := strings.CutPrefix(c.Key, "figure."); ok && s.Kind == KindFigures {
			if ft := l.figureText(code); ft != nil && ft.Format != c.Format {
				p.add("%s: column %q: figure %s is shown in format %q, not %q", where, c.Key, code, ft.Format, c.Format)
			}
		}
	}
	if len(s.Charts) > 0 && s.Kind != KindFigures && s.Kind != KindIndicator && s.Kind != KindSkills && s.Kind != KindWellbeing {
		p.add("%s: charts belong on sheets of kind figures, indicator, skills or wellbeing", where)
	}
	for i, ch := range s.Charts {
		cw := fmt.Sprintf("%s chart %d", where, i+1)
		if strings.TrimSpace(ch.Title) == "" {
			p.add("%s: a chart needs a title", cw)
		}
		if _, ok := chartTypes[ch.Type]; !ok {
			p.add("%s: unknown type %q (col, bar, line)", cw, ch.Type)
		}
		if ch.Rows != "all" && ch.Rows != "total" {
			p.add("%s: rows must be all or total, not %q", cw, ch.Rows)
		}
		if !keys[ch.Categories] || strings.HasSuffix(ch.Categories, "*") {
			p.add("%s: categories %q is no column of the sheet", cw, ch.Categories)
		}
		if len(ch.Series) == 0 {
			p.add("%s: no series", cw)
		}
		for _, k := range ch.Series {
			if !keys[k] || strings.HasSuffix(k, "*") {
				p.add("%s: series %q is no column of the sheet", cw, k)
				continue
			}
			if t := l.keyType(s, k); t != typeNumber && t != typeFigure {
				p.add("%s: series %q does not hold numbers", cw, k)
			}
		}
		if ch.AxisMin != nil && ch.AxisMax != nil && *ch.AxisMin >= *ch.AxisMax {
			p.add("%s: axis_min must be below axis_max", cw)
		}
		if formatType(ch.AxisFormat) != typeNumber {
			p.add("%s: axis_format %q is no number format", cw, ch.AxisFormat)
		}
	}
}

// checkColumn checks one column (or header line) against the keys its kind
// knows; header != nil checks against that table instead.
func (l *Layout) checkColumn(p *problems, where string, s *Sheet, c Column, header map[string]valueType) {
	if strings.TrimSpace(c.Label) == "" {
		p.add("%s: column %q needs a label", where, c.Key)
	}
	if c.Width < 0 || c.Width > 255 || c.MaxWidth < 0 || c.MaxWidth > 255 || (c.MaxWidth > 0 && c.MaxWidth < c.Width) {
		p.add("%s: column %q: widths must lie in 0..255 with max_width >= width", where, c.Key)
	}
	var t valueType
	var ok bool
	if header != nil {
		t, ok = header[c.Key]
	} else {
		t = l.keyType(s, c.Key)
		ok = t != typeNone
	}
	if !ok {
		p.add("%s: unknown column key %q for kind %s", where, c.Key, s.Kind)
		return
	}
	ft := formatType(c.Format)
	if ft == typeNone {
		if _, known := l.Formats[c.Format]; !known {
			p.add("%s: column %q: unknown format %q", where, c.Key, c.Format)
			return
		}
	}
	switch {
	case ft == typeFigure && t != typeFigure:
		p.add("%s: column %q: format %q belongs to the overview's teller, noemer and waarde", where, c.Key, c.Format)
	case t == typeFigure && ft != typeFigure:
		p.add("%s: column %q: use format figure, figure_numerator or figure_denominator", where, c.Key)
	case t != typeFigure && ft != t:
		p.add("%s: column %q holds %s, not %s (format %q)", where, c.Key, t, ft, c.Format)
	}
}

// valueType is what a column holds, to match its format.
type valueType string

const (
	typeNone   valueType = ""
	typeText   valueType = "text"
	typeNumber valueType = "numbers"
	typeDate   valueType = "dates"
	typeFigure valueType = "figure values" // a figure's teller, noemer or value in its own format
)

// formatType returns what a format name formats.
func formatType(name string) valueType {
	switch name {
	case "text":
		return typeText
	case "count", "rate", "mean", "days", "hours":
		return typeNumber
	case "date", "datetime":
		return typeDate
	case formatFigure, formatFigureNumerator, formatFigureDenominator:
		return typeFigure
	}
	return typeNone
}

// sheet returns the sheet called name, or nil.
func (l *Layout) sheet(name string) *Sheet {
	for i := range l.Sheets {
		if l.Sheets[i].Name == name {
			return &l.Sheets[i]
		}
	}
	return nil
}

// figureText returns the text of a figure code (checked to exist).
func (l *Layout) figureText(code string) *FigureText {
	for i := range l.Figures {
		if l.Figures[i].Code == code {
			return &l.Figures[i]
		}
	}
	return nil
}

package report

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/indicator"
)

// styles are the cell styles of a workbook, made once.
type styles struct {
	format     map[string]int // data cells per format name
	wrapFormat map[string]int // the same, wrapped and top-aligned (sheets with wrap)
	header     int
	title      int
	legend     int
	label      int
}

func (b *book) newStyles() error {
	st := &b.st
	st.format, st.wrapFormat = map[string]int{}, map[string]int{}
	for _, name := range slices.Sorted(maps.Keys(b.layout.Formats)) { // in order: the same data, the same file
		code := b.layout.Formats[name]
		for _, wrap := range []bool{false, true} {
			s := &excelize.Style{}
			if code != "" {
				s.CustomNumFmt = &code
			}
			switch {
			case formatType(name) == typeNumber:
				// "<5" in a number column lines up with the numbers.
				s.Alignment = &excelize.Alignment{Horizontal: "right", Vertical: vertical(wrap)}
			case wrap:
				s.Alignment = &excelize.Alignment{WrapText: name == "text", Vertical: "top"}
			}
			id, err := b.f.NewStyle(s)
			if err != nil {
				return fmt.Errorf("style %s: %w", name, err)
			}
			if wrap {
				st.wrapFormat[name] = id
			} else {
				st.format[name] = id
			}
		}
	}
	var err error
	if st.header, err = b.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "5B9BD5", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	}); err != nil {
		return err
	}
	if st.title, err = b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return err
	}
	if st.legend, err = b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}}); err != nil {
		return err
	}
	st.label, err = b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}})
	return err
}

func vertical(wrap bool) string {
	if wrap {
		return "top"
	}
	return ""
}

// style returns the style of a data cell in format on sheet s.
func (b *book) style(s *Sheet, format string) int {
	if s.Wrap {
		return b.st.wrapFormat[format]
	}
	return b.st.format[format]
}

// cellFormat returns the format a cell is shown in: its own, else the column's.
func cellFormat(c cell, col Column) string {
	if c.format != "" {
		return c.format
	}
	return col.Format
}

// put writes one cell in normal (not streamed) mode, numbers with every
// digit they need to read back exactly.
func (b *book) put(sheet string, col, row int, c cell, style int) error {
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return err
	}
	switch c.kind {
	case cellEmpty:
		if style == 0 {
			return nil
		}
	case cellNumber, cellDate:
		if err := b.f.SetCellFloat(sheet, ref, c.num, shortestDecimals(c.num), 64); err != nil {
			return err
		}
	case cellText:
		if err := b.f.SetCellStr(sheet, ref, c.text); err != nil {
			return err
		}
	}
	if style != 0 {
		return b.f.SetCellStyle(sheet, ref, ref, style)
	}
	return nil
}

// defaultMaxWidth is how far a column widens to fit without a max_width.
const defaultMaxWidth = 60

// fit keeps the widest content per column, to set widths that fit.
type fit []float64

func newFit(cols []Column, autofilter bool) fit {
	w := make(fit, len(cols))
	for i, c := range cols {
		w[i] = max(c.Width, textWidth(c.Label)+2)
		if autofilter {
			w[i] += 2 // the filter button
		}
	}
	return w
}

// see widens column i for c, shown in format.
func (w fit) see(i int, c cell, format string, formats map[string]string) {
	w[i] = max(w[i], cellWidth(c, format, formats)+2)
}

// final returns the width of column i: what fits, within its limits.
func (w fit) final(i int, c Column) float64 {
	limit := c.MaxWidth
	if limit == 0 {
		limit = defaultMaxWidth
	}
	return min(max(w[i], c.Width), max(limit, c.Width))
}

func (w fit) apply(b *book, sheet string, cols []Column) error {
	for i, c := range cols {
		width := w.final(i, c)
		name, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := b.f.SetColWidth(sheet, name, name, width); err != nil {
			return err
		}
	}
	return nil
}

func textWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) }

// cellWidth estimates the characters c takes in format, as Excel shows it.
func cellWidth(c cell, format string, formats map[string]string) float64 {
	switch c.kind {
	case cellText:
		return textWidth(c.text)
	case cellDate:
		return float64(len(formats[format]))
	case cellNumber:
		decimals := 0
		code := formats[format]
		if i := strings.IndexByte(code, '.'); i >= 0 {
			decimals = strings.Count(code[i:], "0")
		}
		v := c.num
		if strings.HasSuffix(code, "%") {
			v *= 100
		}
		s := strconv.FormatFloat(v, 'f', decimals, 64)
		n := float64(len(s))
		if strings.Contains(code, ",") { // thousands separators
			n += math.Floor(math.Log10(math.Max(math.Abs(v), 1)) / 3)
		}
		if strings.HasSuffix(code, "%") {
			n++
		}
		return n
	}
	return 0
}

// table is a sheet's table in normal mode: a header row and rows of cells.
type table struct {
	sheet  *Sheet
	cols   []Column
	header int // row of the column labels
	rows   [][]cell
	totals int // leading rows that hold the total (for charts over the total)
	widths fit
}

// writeTable writes the title and legend (when the sheet has them), the
// header and the rows, and then widths, panes, filter and charts.
func (b *book) writeTable(t *table) error {
	s := t.sheet
	name := s.Name
	if t.widths == nil {
		t.widths = newFit(t.cols, s.Autofilter)
	}
	if s.Title != "" && t.header > 1 {
		if err := b.put(name, 1, 1, textCell(s.Title), b.st.title); err != nil {
			return err
		}
		if s.Legend && t.header > 2 {
			if err := b.put(name, 1, 2, textCell(b.legend()), b.st.legend); err != nil {
				return err
			}
		}
	}
	for i, c := range t.cols {
		if err := b.put(name, i+1, t.header, textCell(c.Label), b.st.header); err != nil {
			return err
		}
	}
	for r, row := range t.rows {
		for i, c := range row {
			format := cellFormat(c, t.cols[i])
			if err := b.put(name, i+1, t.header+1+r, c, b.style(s, format)); err != nil {
				return err
			}
			t.widths.see(i, c, format, b.layout.Formats)
		}
	}
	if err := t.widths.apply(b, name, t.cols); err != nil {
		return err
	}
	if s.Wrap {
		if err := b.wrapHeights(t); err != nil {
			return err
		}
	}
	last, err := excelize.ColumnNumberToName(len(t.cols))
	if err != nil {
		return err
	}
	if s.Freeze {
		if err := b.f.SetPanes(name, freezePanes(t.header)); err != nil {
			return err
		}
	}
	if s.Autofilter {
		ref := fmt.Sprintf("A%d:%s%d", t.header, last, t.header+max(len(t.rows), 1))
		if err := b.f.AutoFilter(name, ref, nil); err != nil {
			return err
		}
	}
	return b.addCharts(t)
}

// wrapHeights sets the height of rows with wrapped text, which Excel does
// not compute when it opens a file.
func (b *book) wrapHeights(t *table) error {
	for r, row := range t.rows {
		lines := 1.0
		for i, c := range row {
			if c.kind != cellText || t.cols[i].Format != "text" {
				continue
			}
			// a unit of width holds a little more than one character of
			// proportional text, less the whole words that move down a line
			lines = max(lines, math.Ceil(textWidth(c.text)/(t.widths.final(i, t.cols[i])*1.1)))
		}
		if lines > 1 {
			if err := b.f.SetRowHeight(t.sheet.Name, t.header+1+r, 15*lines); err != nil {
				return err
			}
		}
	}
	return nil
}

// freezePanes freezes the rows down to and including header.
func freezePanes(header int) *excelize.Panes {
	top := fmt.Sprintf("A%d", header+1)
	return &excelize.Panes{Freeze: true, YSplit: header, TopLeftCell: top, ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomLeft"}}}
}

// axisFont is dark enough to read on paper (excelize's default is light grey).
var axisFont = excelize.Font{Color: "404040", Size: 9}

var chartTypes = map[string]excelize.ChartType{"col": excelize.Col, "bar": excelize.Bar, "line": excelize.Line}

// addCharts adds the sheet's charts to the right of its table, one under
// the other; a chart with no rows to show is left out.
func (b *book) addCharts(t *table) error {
	s := t.sheet
	col := func(key string) int {
		for i, c := range t.cols {
			if c.Key == key {
				return i + 1
			}
		}
		return 0
	}
	anchorCol, err := excelize.ColumnNumberToName(len(t.cols) + 2)
	if err != nil {
		return err
	}
	anchorRow := t.header
	for _, ch := range s.Charts {
		n := len(t.rows)
		if ch.Rows == "total" {
			n = t.totals
		}
		if n == 0 {
			continue
		}
		first, last := t.header+1, t.header+n
		rng := func(c int) string {
			name, _ := excelize.ColumnNumberToName(c)
			return fmt.Sprintf("%s!$%s$%d:$%s$%d", quoteSheet(s.Name), name, first, name, last)
		}
		var series []excelize.ChartSeries
		for _, key := range ch.Series {
			c := col(key)
			name, _ := excelize.ColumnNumberToName(c)
			series = append(series, excelize.ChartSeries{
				Name:       fmt.Sprintf("%s!$%s$%d", quoteSheet(s.Name), name, t.header),
				Categories: rng(col(ch.Categories)),
				Values:     rng(c),
			})
		}
		width, height := ch.Width, ch.Height
		if width == 0 {
			width = 640
		}
		if height == 0 {
			height = 360
		}
		if ch.Type == "bar" { // horizontal bars: room for every bar of every category
			height = max(height, uint(n*len(series)*5+120))
		}
		legend := "bottom"
		if len(series) == 1 {
			legend = "none"
		}
		chart := &excelize.Chart{
			Type:      chartTypes[ch.Type],
			Series:    series,
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: ch.Title}}},
			Dimension: excelize.ChartDimension{Width: width, Height: height},
			Legend:    excelize.ChartLegend{Position: legend},
			// Horizontal bars list the categories from the top, as the table does.
			XAxis: excelize.ChartAxis{Font: axisFont, ReverseOrder: ch.Type == "bar"},
			YAxis: excelize.ChartAxis{MajorGridLines: true, Font: axisFont, Minimum: ch.AxisMin, Maximum: ch.AxisMax,
				NumFmt: excelize.ChartNumFmt{CustomNumFmt: b.layout.Formats[ch.AxisFormat]}},
			ShowBlanksAs: "gap",
		}
		if err := b.f.AddChart(s.Name, fmt.Sprintf("%s%d", anchorCol, anchorRow), chart); err != nil {
			return fmt.Errorf("chart %q: %w", ch.Title, err)
		}
		anchorRow += int(height)/20 + 2 // rows are 20 pixels high
	}
	return nil
}

// quoteSheet quotes a sheet name for a reference.
func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

// tableTop returns the header row of a sheet's table: below the title and
// legend when it has them.
func tableTop(s *Sheet) int {
	switch {
	case s.Title != "" && s.Legend:
		return 4
	case s.Title != "":
		return 3
	}
	return 1
}

// writeAggregates writes a sheet of kind figures, indicator or skills: the
// total first, then every key of every breakdown that holds the indicator.
func (b *book) writeAggregates(s *Sheet) error {
	cols := b.expand(s.Columns)
	getters := make([]aggGetter, len(cols))
	for i, c := range cols {
		f, ok := aggKey(s, c.Key)
		if !ok {
			return fmt.Errorf("unknown column key %q", c.Key)
		}
		getters[i] = f.get
	}
	t := &table{sheet: s, cols: cols, header: tableTop(s)}
	add := func(r *aggRow) {
		row := make([]cell, len(cols))
		for i, get := range getters {
			row[i] = get(b, r)
		}
		t.rows = append(t.rows, row)
	}
	// The rows per key: one, or one per skill or per measure.
	perKey := 1
	switch s.Kind {
	case KindSkills:
		perKey = len(b.layout.Skills)
	case KindWellbeing:
		perKey = len(Measures())
	}
	rowsOf := func(bd *indicator.Breakdown, key string, in *indicator.Indicators) {
		for k := range perKey {
			r := &aggRow{key: key, in: in, skill: k, measure: k}
			if bd != nil {
				r.breakdown = bd.Name
				if s.Kind == KindWellbeing && !bd.Holds(measureIndicator(k)) {
					continue // surveys are broken down by provider only
				}
			}
			add(r)
		}
	}
	totalKey := ""
	if s.Kind == KindFigures { // no breakdown column to say it
		totalKey = b.layout.Texts["total"]
	}
	rowsOf(nil, totalKey, &b.res.Indicators)
	t.totals = len(t.rows)
	for _, bd := range b.res.Breakdowns.All() {
		if !b.holds(s, bd) {
			continue
		}
		for i := range bd.Rows {
			rowsOf(bd, bd.Rows[i].Key, &bd.Rows[i].Indicators)
		}
	}
	return b.writeTable(t)
}

// holds reports whether breakdown bd has rows on sheet s.
func (b *book) holds(s *Sheet, bd *indicator.Breakdown) bool {
	switch s.Kind {
	case KindFigures:
		return bd.Name == s.Breakdown
	case KindSkills:
		return bd.Holds(indicator.IndicatorLearningGain)
	case KindWellbeing:
		return bd.Holds(indicator.IndicatorWellbeing)
	}
	return bd.Holds(s.Indicator)
}

// writeDefinitions writes every figure's definition, then the notes.
func (b *book) writeDefinitions(s *Sheet) error {
	t := &table{sheet: s, cols: s.Columns, header: tableTop(s)}
	// spec/indicators.md, "Definitions version": every output states it.
	version := map[string]string{"label": b.layout.Texts["definitions_version"], "definition": strconv.Itoa(indicator.DefinitionsVersion)}
	row := make([]cell, len(t.cols))
	for i, c := range t.cols {
		row[i] = textCell(version[c.Key])
	}
	t.rows = append(t.rows, row)
	for _, fig := range b.layout.Figures {
		vals := map[string]string{"code": fig.Code, "label": fig.Label, "definition": fig.Definition,
			"numerator": fig.Numerator, "denominator": fig.Denominator}
		row := make([]cell, len(t.cols))
		for i, c := range t.cols {
			row[i] = textCell(vals[c.Key])
		}
		t.rows = append(t.rows, row)
	}
	for _, n := range b.layout.Notes {
		vals := map[string]string{"label": n.Label, "definition": n.Text}
		row := make([]cell, len(t.cols))
		for i, c := range t.cols {
			row[i] = textCell(vals[c.Key])
		}
		t.rows = append(t.rows, row)
	}
	return b.writeTable(t)
}

// writeOverview writes the title, the header block (label over the first
// two columns, value in the third) and one row per figure.
func (b *book) writeOverview(s *Sheet) error {
	name := s.Name
	p := b.opt.Params
	provider := b.layout.Texts["all_providers"]
	if p.Provider != "" {
		provider = p.Provider
		if n := b.provNames[p.Provider]; n != "" {
			provider += " (" + n + ")"
		}
	}
	values := map[string]cell{
		"from": dateCell(p.From), "to": dateCell(p.To), "as_of": dateCell(p.AsOf),
		"provider":         textCell(provider),
		"statutory_months": numCell(float64(p.StatutoryMonths)), "waiting_list_months": numCell(float64(p.WaitingListMonths)),
		"grace_days": numCell(float64(p.GraceDays)), "min_hours": numCell(p.MinHours),
		"followup_months": numCell(float64(p.FollowupMonths)),
		"suppression":     textCell(b.suppression()),
		"generated_at":    timeCell(b.opt.GeneratedAt),
		"version":         textCell(b.version()),
		// spec/indicators.md, "Definitions version": every output states it.
		"definitions_version": numCell(float64(indicator.DefinitionsVersion)),
	}
	t := &table{sheet: s, cols: s.Columns, header: 3 + len(s.Header) + 1}
	t.widths = newFit(t.cols, s.Autofilter)
	for i, h := range s.Header {
		row := 3 + i
		left, _ := excelize.CoordinatesToCellName(1, row)
		right, _ := excelize.CoordinatesToCellName(2, row)
		if err := b.f.MergeCell(name, left, right); err != nil {
			return err
		}
		if err := b.put(name, 1, row, textCell(h.Label), b.st.label); err != nil {
			return err
		}
		v := values[h.Key]
		if err := b.put(name, 3, row, v, b.style(s, h.Format)); err != nil {
			return err
		}
		if v.kind != cellText && len(t.cols) >= 3 { // text may run on into the empty cells beside it
			t.widths.see(2, v, h.Format, b.layout.Formats)
		}
	}
	for _, fig := range b.res.Figures() {
		text := b.layout.figureText(fig.Code)
		row := make([]cell, len(t.cols))
		for i, c := range t.cols {
			switch c.Key {
			case "code":
				row[i] = textCell(fig.Code)
			case "label":
				row[i] = textCell(text.Label)
			case "numerator":
				row[i] = amountCell(fig.Numerator)
				row[i].format = text.NumeratorFormat
			case "denominator":
				row[i] = amountCell(fig.Denominator)
				row[i].format = text.DenominatorFormat
			case "value":
				row[i] = amountCell(fig.Value)
				row[i].format = text.Format
			case "note":
				row[i] = textCell(b.note(fig.Value))
			}
		}
		t.rows = append(t.rows, row)
	}
	if err := b.writeTable(t); err != nil {
		return err
	}
	// The labels of the header block span the first two columns.
	if len(t.cols) >= 2 {
		need := 0.0
		for _, h := range s.Header {
			need = max(need, textWidth(h.Label)+2)
		}
		w1, _ := b.f.GetColWidth(name, "A")
		w2, _ := b.f.GetColWidth(name, "B")
		if w1+w2 < need {
			if err := b.f.SetColWidth(name, "B", "B", need-w1); err != nil {
				return err
			}
		}
	}
	legendRow := t.header + len(t.rows) + 2
	return b.put(name, 1, legendRow, textCell(b.legend()), b.st.legend)
}

// note explains an empty or "<5" value in the overview.
func (b *book) note(v indicator.Amount) string {
	switch {
	case !v.Valid:
		return b.layout.Texts["note_undefined"]
	case v.Suppressed && v.Count:
		return b.layout.Texts["note_count_suppressed"]
	case v.Suppressed:
		return b.layout.Texts["note_suppressed"]
	}
	return ""
}

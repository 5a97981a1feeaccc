package report

import (
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/quality"
	"github.com/traject-nt2/traject/internal/report/xlsxpart"
)

// stream writes a large sheet with excelize's stream writer: a header row
// and then rows in order, with widths, panes and filter set up front (the
// stream writer cannot change them afterwards).
type stream struct {
	sw     *excelize.StreamWriter
	styles []int
	vals   []any
	cells  []excelize.Cell
	row    int
}

// newStream starts sheet s with room for n data rows (the filter range).
func (b *book) newStream(s *Sheet, cols []Column, n int) (*stream, error) {
	last, err := excelize.ColumnNumberToName(len(cols))
	if err != nil {
		return nil, err
	}
	if s.Autofilter {
		// Set before the stream writer takes the sheet over, which then
		// writes it with the rows.
		if err := b.f.AutoFilter(s.Name, fmt.Sprintf("A1:%s%d", last, max(n, 1)+1), nil); err != nil {
			return nil, err
		}
	}
	if err := b.pageSetup(s.Name); err != nil {
		return nil, err
	}
	sw, err := b.f.NewStreamWriter(s.Name)
	if err != nil {
		return nil, err
	}
	if s.Freeze {
		if err := sw.SetPanes(freezePanes(1)); err != nil {
			return nil, err
		}
	}
	w := newFit(cols, s.Autofilter)
	// Last column first: excelize puts each new column before the others,
	// and Excel wants them in ascending order.
	for i := len(cols) - 1; i >= 0; i-- {
		c := cols[i]
		// Streamed sheets keep the layout's widths, widened for the header:
		// fitting the content would mean reading every row twice.
		width := max(c.Width, min(w[i], defaultMaxWidth))
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return nil, err
		}
	}
	st := &stream{sw: sw, styles: make([]int, len(cols)),
		vals: make([]any, len(cols)), cells: make([]excelize.Cell, len(cols)), row: 1}
	for i, c := range cols {
		st.styles[i] = b.style(s, c.Format)
		st.vals[i] = excelize.Cell{StyleID: b.st.header, Value: c.Label}
	}
	if err := sw.SetRow("A1", st.vals); err != nil {
		return nil, err
	}
	return st, nil
}

// write writes one row of cells.
func (st *stream) write(row []cell) error {
	st.row++
	for i, c := range row {
		switch c.kind {
		case cellEmpty:
			st.vals[i] = nil
			continue
		case cellText:
			st.cells[i] = excelize.Cell{StyleID: st.styles[i], Value: c.text}
		default:
			st.cells[i] = excelize.Cell{StyleID: st.styles[i], Value: c.num}
		}
		st.vals[i] = &st.cells[i]
	}
	ref, err := excelize.CoordinatesToCellName(1, st.row)
	if err != nil {
		return err
	}
	return st.sw.SetRow(ref, st.vals)
}

// writeSpliced writes one row of cells through the fast path, rows spliced
// into the sheet's part (xlsxpart): the same cells as write gives
// excelize's stream writer, the same bytes (xlsxpart's golden test).
func writeSpliced(rw *xlsxpart.Rows, row []cell) error {
	rw.StartRow()
	for i, c := range row {
		switch c.kind {
		case cellEmpty:
		case cellText:
			rw.Text(i, c.text)
		default:
			rw.Number(i, c.num)
		}
	}
	return rw.EndRow()
}

// caseCount is the number of cases of the result: one per cohort member of
// each indicator (progress and certification, outflow and effects share a cohort).
func caseCount(r *indicator.Result) int {
	in := &r.Indicators
	return in.Access.Cohort.N + in.Progress.Cohort.N + in.Certification.Cohort.N +
		in.LearningGain.Participants.N + 2*in.Outflow.Total.N + in.Wellbeing.Observed.N + in.Involvement.Observed.N
}

// indicatorCases are one indicator's cases, ready to write.
type indicatorCases struct {
	cases   []indicator.Case
	shown   []string // the learner of each case as shown
	order   []int32  // the order to write them in
	compute time.Duration
}

// writeCases streams every case of every indicator, one indicator at a
// time, so that at most two indicators' cases are in memory: the one being
// written and the next, computed meanwhile on another core.
func (b *book) writeCases(s *Sheet) error {
	cols := b.expand(s.Columns)
	getters := make([]caseGetter, len(cols))
	for i, c := range cols {
		f, ok := caseKey(c.Key)
		if !ok {
			return fmt.Errorf("unknown column key %q", c.Key)
		}
		getters[i] = f.get
	}
	want := caseCount(b.exact)
	st, err := b.newStream(s, cols, want)
	if err != nil {
		return err
	}
	next := make(chan indicatorCases)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(next)
		defer b.startFindings() // meanwhile the last indicator is written
		for _, ind := range indicator.IndicatorNames {
			if ind == indicator.IndicatorSurvey {
				continue // responses, not learners: the wellbeing sheet has their figures
			}
			start := time.Now()
			cases := b.cases.Cases(indicator.Filter{Indicator: ind})
			shown, order := b.learnerOrder(len(cases),
				func(i int) string { return cases[i].Learner },
				func(i int) domain.Date { return cases[i].Date },
				func(i int) string { return cases[i].Ref })
			select {
			case next <- indicatorCases{cases, shown, order, time.Since(start)}:
			case <-stop:
				return
			}
		}
	}()
	// The rows go to a file of their own and are spliced into the sheet's
	// part when the workbook is zipped (xlsxpart).
	part, err := b.sheetPart(s.Name)
	if err != nil {
		return err
	}
	rw, err := xlsxpart.NewRows(st.styles, st.row)
	if err != nil {
		return err
	}
	b.splices[part] = rw
	row := make([]cell, len(cols))
	for ic := range next {
		b.stats.Compute += ic.compute
		start := time.Now()
		for _, i := range ic.order {
			c := &ic.cases[i]
			for k, get := range getters {
				row[k] = get(b, c, ic.shown[i])
			}
			if err := writeSpliced(rw, row); err != nil {
				return err
			}
		}
		b.stats.Cases += len(ic.cases)
		b.stats.Write += time.Since(start)
	}
	if b.stats.Cases != want {
		return fmt.Errorf("wrote %d cases, but the indicators count %d", b.stats.Cases, want)
	}
	start := time.Now()
	defer func() { b.stats.Write += time.Since(start) }()
	if err := rw.Finish(); err != nil {
		return err
	}
	return st.sw.Flush()
}

// sheetPart is the zip part of a sheet of the workbook: excelize names a new
// sheet's part after its sheet ID.
func (b *book) sheetPart(name string) (string, error) {
	for id, n := range b.f.GetSheetMap() {
		if n == name {
			return fmt.Sprintf("xl/worksheets/sheet%d.xml", id), nil
		}
	}
	return "", fmt.Errorf("no sheet %q", name)
}

// findings are the data-quality findings in the order to write them.
type findings struct {
	list    []quality.Finding
	shown   []string
	order   []int32
	compute time.Duration
	err     error
}

// checkQuality finds the data-quality findings of `traject check`, judged on
// as_of with the indicators' follow-up window, grace days and provider.
func (b *book) checkQuality(pseud *pseudonyms) findings {
	start := time.Now()
	p := b.opt.Params
	qp := quality.Params{AsOf: p.AsOf, FollowupMonths: p.FollowupMonths, GraceDays: p.GraceDays, Provider: p.Provider}
	if err := qp.Validate(); err != nil {
		return findings{err: err}
	}
	list := quality.Check(b.ds, qp)
	// Keep the order of the kinds; within a kind, order by learner as shown.
	ob := &book{pseud: pseud}
	shown, order := ob.learnerOrder(len(list),
		func(i int) string { return list[i].Learner },
		func(i int) domain.Date { return list[i].Date },
		func(i int) string { return list[i].Ref })
	if pseud != nil {
		kinds := map[string]int{}
		for i, k := range quality.Kinds {
			kinds[k.Code] = i
		}
		stableByKind(order, func(i int32) int { return kinds[list[i].Kind] })
	}
	return findings{list: list, shown: shown, order: order, compute: time.Since(start)}
}

// startFindings starts the data-quality check on another core, once, if
// the layout has a findings sheet. It is not started with the indicators:
// one heavy computation beside the writing at a time keeps the memory down.
func (b *book) startFindings() {
	if b.findings != nil || !b.hasKind(KindFindings) {
		return
	}
	b.findings = make(chan findings, 1)
	var pseud *pseudonyms
	if b.pseud != nil {
		pseud = newPseudonyms(b.opt.Secret) // b.pseud belongs to the cases
	}
	go func() { b.findings <- b.checkQuality(pseud) }()
}

// hasKind reports whether the layout has a sheet of kind.
func (b *book) hasKind(kind string) bool {
	for _, s := range b.layout.Sheets {
		if s.Kind == kind {
			return true
		}
	}
	return false
}

// writeFindings streams the findings, started when the cases were done (or
// now, without a cases sheet before it).
func (b *book) writeFindings(s *Sheet) error {
	cols := b.expand(s.Columns)
	getters := make([]findingGetter, len(cols))
	for i, c := range cols {
		f, ok := findingFields[c.Key]
		if !ok {
			return fmt.Errorf("unknown column key %q", c.Key)
		}
		getters[i] = f.get
	}
	b.startFindings()
	fs := <-b.findings
	if fs.err != nil {
		return fs.err
	}
	b.stats.Compute += fs.compute
	start := time.Now()
	defer func() { b.stats.Write += time.Since(start) }()
	st, err := b.newStream(s, cols, len(fs.list))
	if err != nil {
		return err
	}
	row := make([]cell, len(cols))
	for _, i := range fs.order {
		f := &fs.list[i]
		for k, get := range getters {
			row[k] = get(b, f, fs.shown[i])
		}
		if err := st.write(row); err != nil {
			return err
		}
	}
	b.stats.Findings = len(fs.list)
	return st.sw.Flush()
}

// stableByKind orders idx by kind, keeping the order within a kind.
func stableByKind(idx []int32, kind func(int32) int) {
	buckets := map[int][]int32{}
	maxKind := 0
	for _, i := range idx {
		k := kind(i)
		buckets[k] = append(buckets[k], i)
		maxKind = max(maxKind, k)
	}
	idx = idx[:0]
	for k := 0; k <= maxKind; k++ {
		idx = append(idx, buckets[k]...)
	}
}

package ui

import (
	"bytes"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/report"
)

// drilldownWorkbook is the whole drill-down list as an .xlsx workbook
// (issue 20): the rows of the page, every page of them, with the page's
// Dutch (or English) headers, under the same rules — a list behind a
// suppressed number is refused as the page is, and a learner the user may
// not see is a row without name or number (caseRows).
func (s *Handler) drilldownWorkbook(c *gin.Context) {
	x, ok := s.drilldownCases(c)
	if !ok {
		return
	}
	lang := x.d.lang
	rows, err := s.caseRows(lang, x.d.u, x.e, x.cases, x.tm)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := x.d.view(x.e, len(x.cases))
	f := excelize.NewFile()
	defer f.Close()
	sheet := locale.T(lang, "drill.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		s.Fail(c, err)
		return
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		s.Fail(c, err)
		return
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		s.Fail(c, err)
		return
	}
	widths := []float64{28, 14, 28, 16, 12, 18, 60}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			s.Fail(c, err)
			return
		}
	}
	title := v.Title
	if v.Breakdown != "" {
		title += " — " + v.Breakdown
	}
	head := []string{"drill.learner", "drill.number", "drill.class", "drill.provider", "drill.date", "drill.ref", "drill.detail"}
	lines := [][]any{{excelize.Cell{StyleID: bold, Value: title}}, {v.Scope}, {locale.T(lang, "drill.count", locale.Number(len(x.cases)))}, nil}
	if x.d.exact {
		lines[3] = []any{locale.T(lang, "dash.exact.on")}
	}
	hdr := make([]any, len(head))
	for i, k := range head {
		hdr[i] = excelize.Cell{StyleID: bold, Value: locale.T(lang, k)}
	}
	lines = append(lines, hdr)
	n := 0
	write := func(vals []any) error {
		n++
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, vals)
	}
	for _, l := range lines {
		if err := write(l); err != nil {
			s.Fail(c, err)
			return
		}
	}
	for _, r := range rows {
		name, id := r.Name, r.ID
		switch {
		case r.Hidden:
			name, id = locale.T(lang, "drill.hidden"), ""
		case r.Anonymous:
			name, id = locale.T(lang, "drill.anonymous"), ""
		case name == "":
			name = id
		}
		if err := write([]any{name, id, r.ClassLabel, r.Provider, r.Date, r.Ref, r.Detail}); err != nil {
			s.Fail(c, err)
			return
		}
	}
	if err := sw.Flush(); err != nil {
		s.Fail(c, err)
		return
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		s.Fail(c, err)
		return
	}
	name := "traject-gevallen-" + strings.Trim(unsafeNameRE.ReplaceAllString(x.d.f.Indicator+"-"+x.d.f.Class, "-"), "-") + ".xlsx"
	s.Log.Info("export cases", "user", x.d.u.Username, "indicator", x.d.f.Indicator, "class", x.d.f.Class, "cases", len(rows),
		"exact", x.d.exact)
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	c.Data(http.StatusOK, report.MIMEType, buf.Bytes())
}

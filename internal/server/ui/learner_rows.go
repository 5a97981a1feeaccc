package ui

import (
	"html/template"

	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/server/htmlrow"
)

// The learner page's longest lists, written in Go through htmlrow as the
// group page's rows are: in the template each cell of each row cost a call
// through reflection and an escaper, and these lists grow with the
// learner's trajectory. A learner's lists stay far below the 64 kB that fmt
// reuses, so each is handed to the template as one piece. rows_test.go
// holds the html/template twin of each.

// timelineItems writes the <li> of every event of the timeline.
func timelineItems(v *core.View) template.HTML {
	var w htmlrow.Writer
	for _, e := range v.Data.(*learnerView).Timeline {
		w.Markup(`<li class="ev `)
		w.Text(e.Kind)
		w.Markup(`"><time datetime="`)
		w.Text(e.Date)
		w.Markup(`">`)
		w.Text(e.Date)
		w.Markup(`</time> <strong>`)
		w.Text(e.Label)
		w.Markup(`</strong> <span>`)
		w.Text(e.Text)
		w.Markup("</span></li>\n")
	}
	return w.HTML()
}

// levelRows writes the <tr> of every placement and evaluation in the table
// beside the level chart.
func levelRows(v *core.View) template.HTML {
	var w htmlrow.Writer
	for _, r := range v.Data.(*learnerView).LevelRows {
		w.Markup(`<tr><th scope="row">`)
		w.Text(r.Date.String())
		w.Markup(`</th><td>`)
		w.Text(r.What)
		w.Markup(`</td>`)
		writeLevelCells(&w, r.Levels[:])
		w.Markup("</tr>")
	}
	return w.HTML()
}

// evaluationRows writes the <tr> of every evaluation in the table of
// evaluations.
func evaluationRows(v *core.View) template.HTML {
	var w htmlrow.Writer
	for _, e := range v.Data.(*learnerView).Evaluations {
		w.Markup(`<tr><th scope="row">`)
		w.Text(e.Date.String())
		w.Markup(`</th><td>`)
		w.Text(e.KindLabel)
		w.Markup(`</td><td>`)
		w.Text(e.Group)
		w.Markup(`</td>`)
		writeLevelCells(&w, e.Levels[:])
		w.Markup(`<td>`)
		w.Text(e.DecisionLabel)
		w.Markup(`</td><td>`)
		w.Text(e.Evaluator)
		w.Markup(`</td><td>`)
		w.Text(e.Feedback)
		w.Markup("</td></tr>\n  ")
	}
	return w.HTML()
}

// writeLevelCells writes a <td> per skill with the level ("" for none).
func writeLevelCells(w *htmlrow.Writer, levels []string) {
	for _, l := range levels {
		w.Markup("<td>")
		w.Text(l)
		w.Markup("</td>")
	}
}

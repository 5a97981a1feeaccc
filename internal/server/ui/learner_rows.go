package ui

import (
	"html/template"
	"strings"

	"github.com/traject-nt2/traject/internal/server/core"
)

// The learner page's longest lists, written in Go as the group page's rows
// are: in the template each cell of each row cost a call through
// reflection and an escaper, and these lists grow with the learner's
// trajectory. A learner's lists stay far below the 64 kB that fmt reuses,
// so each is handed to the template as one piece.

// timelineItems writes the <li> of every event of the timeline.
func timelineItems(v *core.View) template.HTML {
	var b strings.Builder
	for _, e := range v.Data.(*learnerView).Timeline {
		b.WriteString(`<li class="ev ` + esc(e.Kind) + `"><time datetime="` + esc(e.Date) + `">` + esc(e.Date) + `</time> <strong>` +
			esc(e.Label) + `</strong> <span>` + esc(e.Text) + "</span></li>\n")
	}
	return template.HTML(b.String())
}

// levelRows writes the <tr> of every placement and evaluation in the table
// beside the level chart.
func levelRows(v *core.View) template.HTML {
	var b strings.Builder
	for _, r := range v.Data.(*learnerView).LevelRows {
		b.WriteString(`<tr><th scope="row">` + r.Date.String() + `</th><td>` + esc(r.What) + `</td>`)
		writeLevelCells(&b, r.Levels[:])
		b.WriteString("</tr>")
	}
	return template.HTML(b.String())
}

// evaluationRows writes the <tr> of every evaluation in the table of
// evaluations.
func evaluationRows(v *core.View) template.HTML {
	var b strings.Builder
	for _, e := range v.Data.(*learnerView).Evaluations {
		b.WriteString(`<tr><th scope="row">` + e.Date.String() + `</th><td>` + esc(e.KindLabel) + `</td><td>` + esc(e.Group) + `</td>`)
		writeLevelCells(&b, e.Levels[:])
		b.WriteString(`<td>` + esc(e.DecisionLabel) + `</td><td>` + esc(e.Evaluator) + `</td><td>` + esc(e.Feedback) + "</td></tr>\n  ")
	}
	return template.HTML(b.String())
}

// writeLevelCells writes a <td> per skill with the level ("" for none).
func writeLevelCells(b *strings.Builder, levels []string) {
	for _, l := range levels {
		b.WriteString("<td>" + esc(l) + "</td>")
	}
}

package ui

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/core"
)

// The rows of the group page's two forms, written in Go. The group page is
// the teacher's page under load, and its evaluation grid is most of it: a
// group of 25 learners has some thousand fields, and html/template spends
// a few microseconds of reflection on each. These functions write the same
// markup as a template would, escaping every value that is not a constant
// with template.HTMLEscapeString. Keep them in step with templates/group.html.

// feedbackMaxLength is the feedback field's maxlength attribute: the one
// limit of free text (domain.MaxLength).
var feedbackMaxLength = ` maxlength="` + strconv.Itoa(domain.MaxLength("feedback")) + `"`

// esc escapes s for HTML text and attribute values (quotes included).
var esc = template.HTMLEscapeString

// attr writes ` name="value"` with the value escaped.
func attr(b *strings.Builder, name, value string) {
	b.WriteString(" ")
	b.WriteString(name)
	b.WriteString(`="`)
	b.WriteString(esc(value))
	b.WriteString(`"`)
}

// options writes the <option> of each choice ({{options .Choices}} in a
// <select>): one template call for the list instead of three per option.
func options(cs []choice) template.HTML {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(`<option value="`)
		b.WriteString(esc(c.Value))
		b.WriteString(`"`)
		if c.Selected {
			b.WriteString(" selected")
		}
		b.WriteString(">")
		b.WriteString(esc(c.Label))
		b.WriteString("</option>")
	}
	return template.HTML(b.String())
}

// invalid writes the attributes of a field with an error message.
func invalid(b *strings.Builder, msg, errID string) {
	if msg != "" {
		b.WriteString(` aria-invalid="true"`)
		attr(b, "aria-describedby", errID)
	}
}

// errSpan writes the message beside a field.
func errSpan(b *strings.Builder, msg, errID string) {
	if msg != "" {
		b.WriteString(`<span class="err"`)
		attr(b, "id", errID)
		b.WriteString(">")
		b.WriteString(esc(msg))
		b.WriteString("</span>")
	}
}

// writeID writes the id of point n of a scale in the row with prefix p
// ("o3-wellbeing-2").
func writeID(b *strings.Builder, p, scale, n string) {
	b.WriteString(p)
	b.WriteString("-")
	b.WriteString(scale)
	b.WriteString("-")
	b.WriteString(n)
}

// rowWriter writes the rows of a table into one builder and hands them to
// the template one row at a time ({{range gridRows .}}{{.}}{{end}}):
// text/template prints a value through fmt, whose buffer is reused only up
// to 64 kB, so the 80 kB of a group's rows as one string cost a new
// buffer, grown five times, on every request.
type rowWriter struct {
	strings.Builder
	ends []int // where each row ends
}

// endRow marks the end of a row.
func (w *rowWriter) endRow() { w.ends = append(w.ends, w.Len()) }

// html returns the rows, each a slice of the one string written.
func (w *rowWriter) html() []template.HTML {
	s := w.String()
	out := make([]template.HTML, len(w.ends))
	start := 0
	for i, end := range w.ends {
		out[i], start = template.HTML(s[start:end]), end
	}
	return out
}

// growForRows, called before row i of n, makes room for the rows to come
// once the first has shown how long a row is, so that a page's rows are
// written without the builder growing again and again.
func growForRows(b *strings.Builder, i, n int) {
	if i == 1 {
		b.Grow((n - 1) * b.Len() * 9 / 8)
	}
}

// gridRows writes the <tr> of every row of the evaluation grid.
func gridRows(v *core.View) []template.HTML {
	gv := &v.Data.(*groupView).Grid
	var rows rowWriter
	b := &rows.Builder
	dis := ""
	if gv.Disabled {
		dis = " disabled"
	}
	lDecision, lDate, lFeedback, lGoals := v.T("f.decision"), v.T("f.date"), v.T("f.feedback"), v.T("f.goals")
	for i := range gv.Rows {
		growForRows(b, i, len(gv.Rows))
		r := &gv.Rows[i]
		if len(r.Errors) > 0 {
			b.WriteString(`<tr class="invalid">`)
		} else {
			b.WriteString("<tr>")
		}
		b.WriteString(`<th scope="row"><a`)
		attr(b, "href", r.LearnerURL)
		b.WriteString(">" + esc(r.Name) + `</a> <span class="sub">` + esc(r.Learner) + " · " + esc(r.StatusLabel) + "</span>")
		b.WriteString(`<input type="hidden"`)
		attr(b, "name", r.P+".learner")
		attr(b, "value", r.Learner)
		b.WriteString(`><input type="hidden"`)
		attr(b, "name", r.P+".orig")
		attr(b, "value", r.Orig)
		b.WriteString(">")
		if msg := r.Errors["row"]; msg != "" {
			b.WriteString(`<span class="err" role="alert">` + esc(msg) + "</span>")
		}
		b.WriteString("</th>\n")
		for _, c := range r.Cells {
			b.WriteString(`<td><input class="level" type="text"`)
			attr(b, "name", c.Name)
			attr(b, "id", c.ID)
			attr(b, "value", c.Value)
			b.WriteString(` list="ladder" size="5" autocomplete="off" spellcheck="false"`)
			attr(b, "aria-label", c.Label)
			invalid(b, c.Err, c.ErrID)
			b.WriteString(dis + ">")
			errSpan(b, c.Err, c.ErrID)
			b.WriteString("</td>")
		}
		// Decision.
		msg, errID := r.Errors["decision"], r.P+"-decision-err"
		b.WriteString(`<td><select`)
		attr(b, "name", r.P+".decision")
		attr(b, "id", r.P+"-decision")
		attr(b, "aria-label", lDecision+", "+r.Name)
		invalid(b, msg, errID)
		b.WriteString(dis + `><option value="">–</option>`)
		for _, d := range r.Decisions {
			b.WriteString("<option")
			attr(b, "value", d.Value)
			if d.Selected {
				b.WriteString(" selected")
			}
			b.WriteString(">" + esc(d.Label) + "</option>")
		}
		b.WriteString("</select>")
		errSpan(b, msg, errID)
		b.WriteString("</td>")
		// Date.
		msg, errID = r.Errors["date"], r.P+"-date-err"
		b.WriteString(`<td><input type="date"`)
		attr(b, "name", r.P+".date")
		attr(b, "id", r.P+"-date")
		attr(b, "value", r.Date)
		attr(b, "min", r.From)
		attr(b, "max", r.To)
		attr(b, "aria-label", lDate+", "+r.Name)
		invalid(b, msg, errID)
		b.WriteString(dis + ">")
		errSpan(b, msg, errID)
		b.WriteString("</td>")
		// Feedback.
		msg, errID = r.Errors["feedback"], r.P+"-feedback-err"
		b.WriteString(`<td><input type="text" class="feedback"`)
		attr(b, "name", r.P+".feedback")
		attr(b, "id", r.P+"-feedback")
		attr(b, "value", r.Feedback)
		b.WriteString(feedbackMaxLength)
		attr(b, "aria-label", lFeedback+", "+r.Name)
		invalid(b, msg, errID)
		b.WriteString(dis + ">")
		errSpan(b, msg, errID)
		b.WriteString("</td>")
		// Goals.
		if len(r.Ticks) > 0 {
			msg, errID = r.Errors["goal"], r.P+"-goal-err"
			b.WriteString(`<td><fieldset class="goals"`)
			if msg != "" {
				attr(b, "aria-describedby", errID)
			}
			b.WriteString(`><legend class="vh">` + esc(lGoals+", "+r.Name) + "</legend>")
			for j, t := range r.Ticks {
				// The goal in words (skill and level); its description, the
				// tip, shows on hover and on keyboard focus and is the
				// checkbox's description for screen readers. (A title as
				// well would show it twice on hover, and weigh a page of 22
				// learners with five goals 16 kB more.)
				tipID := r.P + "-goal" + strconv.Itoa(j) + "-tip"
				b.WriteString(`<label class="goal"><input type="checkbox"`)
				attr(b, "name", r.P+".goal")
				attr(b, "value", t.Code)
				if t.Checked {
					b.WriteString(" checked")
				}
				attr(b, "aria-describedby", tipID)
				b.WriteString(dis + "> " + esc(t.Label) + `<span class="tip"`)
				attr(b, "id", tipID)
				b.WriteString(">" + esc(t.Description) + "</span></label>")
			}
			errSpan(b, msg, errID)
			b.WriteString("</fieldset></td>")
		}
		b.WriteString("</tr>\n")
		rows.endRow()
	}
	return rows.html()
}

// attendanceRows writes the <tr> of every row of the attendance form.
func attendanceRows(v *core.View) []template.HTML {
	gv := v.Data.(*groupView)
	var rows rowWriter
	b := &rows.Builder
	dis := ""
	if !gv.CanAttendance {
		dis = " disabled"
	}
	lHours := v.T("f.hours")
	for i, r := range gv.Attendance.Rows {
		growForRows(b, i, len(gv.Attendance.Rows))
		p := "a" + strconv.Itoa(r.Index)
		if r.Error != "" {
			b.WriteString(`<tr class="invalid">`)
		} else {
			b.WriteString("<tr>")
		}
		b.WriteString(`<th scope="row"><a`)
		attr(b, "href", r.LearnerURL)
		b.WriteString(">" + esc(r.Name) + `</a><input type="hidden"`)
		attr(b, "name", p+".learner")
		attr(b, "value", r.Learner)
		b.WriteString("></th><td>" + esc(r.Learner) + "</td><td>" + esc(r.StatusLabel) + `</td><td class="last-obs"`)
		if r.LastTitle != "" {
			attr(b, "title", r.LastTitle)
		}
		b.WriteString(">" + esc(r.LastText) + "</td><td>" + esc(r.Start) +
			"</td><td>" + esc(r.End) + `</td><td class="num"><input class="hours" type="text" inputmode="decimal"`)
		attr(b, "name", p+".hours")
		attr(b, "id", p+"-hours")
		attr(b, "value", r.Hours)
		b.WriteString(` size="6"`)
		attr(b, "aria-label", lHours+", "+r.Name)
		invalid(b, r.Error, p+"-hours-err")
		b.WriteString(dis + ">")
		errSpan(b, r.Error, p+"-hours-err")
		b.WriteString("</td></tr>\n")
		rows.endRow()
	}
	return rows.html()
}

// observationRows writes the <tr> of every row of the observation form: per
// learner two five-point scales as radio groups (arrow keys move within a
// scale, Tab to the next), each point labelled by its number with its
// description in the title and, for screen readers, in the label.
func observationRows(v *core.View) []template.HTML {
	gv := v.Data.(*groupView)
	ov := &gv.Obs
	var rows rowWriter
	b := &rows.Builder
	dis := ""
	if ov.Disabled {
		dis = " disabled"
	}
	names := [2]string{v.T("obs.wellbeing"), v.T("obs.involvement")}
	// The points of each scale are the same for every learner: worked out
	// (and their descriptions escaped) once, not once per learner.
	type point struct{ n, val, text, title string }
	points := make([][domain.MaxScore + 1]point, len(observationScales))
	for k := range observationScales {
		points[k][0] = point{"0", "", "–", esc(v.T("obs.none"))}
		for n := 1; n <= int(domain.MaxScore); n++ {
			pt := ov.Key[n-1]
			desc := pt.Wellbeing
			if k == 1 {
				desc = pt.Involvement
			}
			num := strconv.Itoa(n)
			points[k][n] = point{num, num, num, esc(num + " " + pt.Label + ": " + desc)}
		}
	}
	for i, r := range ov.Rows {
		growForRows(b, i, len(ov.Rows))
		p := "o" + strconv.Itoa(r.Index)
		if len(r.Errors) > 0 {
			b.WriteString(`<tr class="invalid">`)
		} else {
			b.WriteString("<tr>")
		}
		b.WriteString(`<th scope="row"><a`)
		attr(b, "href", r.LearnerURL)
		b.WriteString(">" + esc(r.Name) + `</a> <span class="sub">` + esc(r.Learner) + " · " + esc(r.StatusLabel) + `</span><span class="sub last-obs"`)
		if r.LastTitle != "" {
			attr(b, "title", r.LastTitle)
		}
		b.WriteString(">" + esc(r.LastText) + `</span><input type="hidden"`)
		attr(b, "name", p+".learner")
		attr(b, "value", r.Learner)
		b.WriteString(">")
		if msg := r.Errors["row"]; msg != "" {
			b.WriteString(`<span class="err" role="alert">` + esc(msg) + "</span>")
		}
		b.WriteString("</th>\n")
		for k, scale := range observationScales {
			msg, errID := r.Errors[scale], p+"-"+scale+"-err"
			b.WriteString(`<td><fieldset class="scale"`)
			if msg != "" {
				attr(b, "aria-describedby", errID)
			}
			b.WriteString(`><legend class="vh">` + esc(names[k]+", "+r.Name) + "</legend>")
			// The row's prefix and the scale's code are letters, digits and
			// "_": the names and ids made of them need no escaping.
			for _, pt := range points[k] {
				b.WriteString(`<input type="radio" name="`)
				b.WriteString(p)
				b.WriteString(".")
				b.WriteString(scale)
				b.WriteString(`" id="`)
				writeID(b, p, scale, pt.n)
				b.WriteString(`" value="`)
				b.WriteString(pt.val)
				b.WriteString(`"`)
				if r.Scores[k] == pt.val {
					b.WriteString(" checked")
				}
				b.WriteString(dis)
				b.WriteString(`><label class="pt pt`)
				b.WriteString(pt.n)
				b.WriteString(`" for="`)
				writeID(b, p, scale, pt.n)
				b.WriteString(`" title="`)
				b.WriteString(pt.title)
				b.WriteString(`"><span aria-hidden="true">`)
				b.WriteString(pt.text)
				b.WriteString(`</span><span class="vh">`)
				b.WriteString(pt.title)
				b.WriteString("</span></label>")
			}
			errSpan(b, msg, errID)
			b.WriteString("</fieldset></td>")
		}
		b.WriteString("</tr>\n")
		rows.endRow()
	}
	return rows.html()
}

package ui

import (
	"html/template"
	"strconv"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/server/htmlrow"
)

// The rows of the group page's two forms, written in Go. The group page is
// the teacher's page under load, and its evaluation grid is most of it: a
// group of 25 learners has some thousand fields, and html/template spends
// a few microseconds of reflection on each. These functions write, through
// htmlrow, the bytes the template would: rows_test.go holds the twin of
// each in html/template and compares them. Keep them, and the twins, in
// step with templates/group.html.

// feedbackMaxLength is the feedback field's maxlength attribute: the one
// limit of free text (domain.MaxLength).
var feedbackMaxLength = ` maxlength="` + strconv.Itoa(domain.MaxLength("feedback")) + `"`

// options writes the <option> of each choice ({{options .Choices}} in a
// <select>): one template call for the list instead of three per option.
func options(cs []choice) template.HTML {
	var w htmlrow.Writer
	for _, c := range cs {
		w.Markup("<option")
		w.Attr("value", c.Value)
		if c.Selected {
			w.Markup(" selected")
		}
		w.Markup(">")
		w.Text(c.Label)
		w.Markup("</option>")
	}
	return w.HTML()
}

// invalid writes the attributes of a field with an error message.
func invalid(w *htmlrow.Writer, msg, errID string) {
	if msg != "" {
		w.Markup(` aria-invalid="true"`)
		w.Attr("aria-describedby", errID)
	}
}

// errSpan writes the message beside a field.
func errSpan(w *htmlrow.Writer, msg, errID string) {
	if msg != "" {
		w.Markup(`<span class="err"`)
		w.Attr("id", errID)
		w.Markup(">")
		w.Text(msg)
		w.Markup("</span>")
	}
}

// rowAlert writes the message of a whole row.
func rowAlert(w *htmlrow.Writer, msg string) {
	if msg != "" {
		w.Markup(`<span class="err" role="alert">`)
		w.Text(msg)
		w.Markup("</span>")
	}
}

// startRow writes a row's <tr>, marked invalid when it has errors.
func startRow(w *htmlrow.Writer, invalid bool) {
	if invalid {
		w.Markup(`<tr class="invalid">`)
	} else {
		w.Markup("<tr>")
	}
}

// learnerLink writes the row header's link to the learner's page. In a
// form entered row by row (the grid, the observations) the link is out of
// the tab order (tabindex -1), so that Tab from a row's last field goes on
// to the next row's first; the roster's links stay in it.
func learnerLink(w *htmlrow.Writer, url, name string, untabbed bool) {
	w.Markup(`<th scope="row"><a`)
	w.URLAttr("href", url)
	if untabbed {
		w.Markup(` tabindex="-1"`)
	}
	w.Markup(">")
	w.Text(name)
	w.Markup("</a>")
}

// writeID writes the id of point n of a scale in the row with prefix p
// ("o3-wellbeing-2"); all three are letters, digits and "_".
func writeID(w *htmlrow.Writer, p, scale, n string) {
	w.Markup(p)
	w.Markup("-")
	w.Markup(scale)
	w.Markup("-")
	w.Markup(n)
}

// gridRows writes the <tr> of every row of the evaluation grid.
func gridRows(v *core.View) []template.HTML {
	gv := &v.Data.(*groupView).Grid
	var w htmlrow.Writer
	dis := ""
	if gv.Disabled {
		dis = " disabled"
	}
	lDecision, lFeedback, lGoals := v.T("f.decision"), v.T("f.feedback"), v.T("f.goals")
	for i := range gv.Rows {
		w.Reserve(i, len(gv.Rows))
		r := &gv.Rows[i]
		startRow(&w, len(r.Errors) > 0)
		learnerLink(&w, r.LearnerURL, r.Name, true)
		w.Markup(` <span class="sub">`)
		w.Text(r.Learner)
		w.Markup(" · ")
		w.Text(r.StatusLabel)
		w.Markup(`</span><input type="hidden"`)
		w.Attr("name", r.P+".learner")
		w.Attr("value", r.Learner)
		w.Markup(`><input type="hidden"`)
		w.Attr("name", r.P+".orig")
		w.Attr("value", r.Orig)
		w.Markup(">")
		if r.Orig != "" {
			// A stored evaluation keeps its own date, not the grid's.
			w.Markup(`<input type="hidden"`)
			w.Attr("name", r.P+".date")
			w.Attr("value", r.Date)
			w.Markup(`><span class="sub stored">`)
			w.Text(r.StoredLabel)
			w.Markup("</span>")
		}
		rowAlert(&w, r.Errors["row"])
		rowAlert(&w, r.Errors["date"])
		w.Markup("</th>\n")
		for _, c := range r.Cells {
			w.Markup(`<td><input class="level" type="text"`)
			w.Attr("name", c.Name)
			w.Attr("id", c.ID)
			w.Attr("value", c.Value)
			w.Markup(` list="ladder" size="5" autocomplete="off" spellcheck="false"`)
			w.Attr("aria-label", c.Label)
			invalid(&w, c.Err, c.ErrID)
			w.Markup(dis + ">")
			errSpan(&w, c.Err, c.ErrID)
			w.Markup("</td>")
		}
		// Decision.
		msg, errID := r.Errors["decision"], r.P+"-decision-err"
		w.Markup(`<td><select`)
		w.Attr("name", r.P+".decision")
		w.Attr("id", r.P+"-decision")
		w.Attr("aria-label", lDecision+", "+r.Name)
		invalid(&w, msg, errID)
		w.Markup(dis + `><option value="">–</option>`)
		for _, d := range r.Decisions {
			w.Markup("<option")
			w.Attr("value", d.Value)
			if d.Selected {
				w.Markup(" selected")
			}
			w.Markup(">")
			w.Text(d.Label)
			w.Markup("</option>")
		}
		w.Markup("</select>")
		errSpan(&w, msg, errID)
		w.Markup("</td>")
		// Feedback.
		msg, errID = r.Errors["feedback"], r.P+"-feedback-err"
		w.Markup(`<td><textarea class="feedback" rows="2"`)
		w.Attr("name", r.P+".feedback")
		w.Attr("id", r.P+"-feedback")
		w.Markup(feedbackMaxLength)
		w.Attr("aria-label", lFeedback+", "+r.Name)
		invalid(&w, msg, errID)
		w.Markup(dis + ">")
		w.Text(r.Feedback)
		w.Markup("</textarea>")
		errSpan(&w, msg, errID)
		w.Markup("</td>")
		// Goals.
		if len(r.Ticks) > 0 {
			msg, errID = r.Errors["goal"], r.P+"-goal-err"
			w.Markup(`<td><fieldset class="goals"`)
			if msg != "" {
				w.Attr("aria-describedby", errID)
			}
			w.Markup(`><legend class="vh">`)
			w.Text(lGoals + ", " + r.Name)
			w.Markup("</legend>")
			for j, t := range r.Ticks {
				// The goal in words (skill and level); its description, the
				// tip, shows on hover and on keyboard focus and is the
				// checkbox's description for screen readers. (A title as
				// well would show it twice on hover, and weigh a page of 22
				// learners with five goals 16 kB more.)
				tipID := r.P + "-goal" + strconv.Itoa(j) + "-tip"
				w.Markup(`<label class="goal"><input type="checkbox"`)
				w.Attr("name", r.P+".goal")
				w.Attr("value", t.Code)
				if t.Checked {
					w.Markup(" checked")
				}
				w.Attr("aria-describedby", tipID)
				w.Markup(dis + "> ")
				w.Text(t.Label)
				w.Markup(`<span class="tip"`)
				w.Attr("id", tipID)
				w.Markup(">")
				w.Text(t.Description)
				w.Markup("</span></label>")
			}
			errSpan(&w, msg, errID)
			w.Markup("</fieldset></td>")
		}
		w.Markup("</tr>\n")
		w.EndRow()
	}
	return w.Rows()
}

// attendanceRows writes the <tr> of every row of the attendance form.
func attendanceRows(v *core.View) []template.HTML {
	gv := v.Data.(*groupView)
	var w htmlrow.Writer
	dis := ""
	if !gv.CanAttendance {
		dis = " disabled"
	}
	lHours := v.T("f.hours")
	for i, r := range gv.Attendance.Rows {
		w.Reserve(i, len(gv.Attendance.Rows))
		p := "a" + strconv.Itoa(r.Index)
		startRow(&w, r.Error != "")
		learnerLink(&w, r.LearnerURL, r.Name, false)
		w.Markup(`<input type="hidden"`)
		w.Attr("name", p+".learner")
		w.Attr("value", r.Learner)
		w.Markup("></th><td>")
		w.Text(r.Learner)
		w.Markup("</td><td>")
		w.Text(r.StatusLabel)
		w.Markup(`</td><td class="last-obs"`)
		if r.LastTitle != "" {
			w.Attr("title", r.LastTitle)
		}
		w.Markup(">")
		w.Text(r.LastText)
		w.Markup("</td><td>")
		w.Text(r.Start)
		w.Markup("</td><td>")
		w.Text(r.End)
		w.Markup(`</td><td class="num"><input class="hours" type="text" inputmode="decimal"`)
		w.Attr("name", p+".hours")
		w.Attr("id", p+"-hours")
		w.Attr("value", r.Hours)
		w.Markup(` size="6"`)
		w.Attr("aria-label", lHours+", "+r.Name)
		invalid(&w, r.Error, p+"-hours-err")
		w.Markup(dis + ">")
		errSpan(&w, r.Error, p+"-hours-err")
		w.Markup("</td></tr>\n")
		w.EndRow()
	}
	return w.Rows()
}

// observationRows writes the <tr> of every row of the observation form: per
// learner two five-point scales as radio groups (arrow keys move within a
// scale, Tab to the next), each point labelled by its number with its
// description in the title and, for screen readers, in the label.
func observationRows(v *core.View) []template.HTML {
	gv := v.Data.(*groupView)
	ov := &gv.Obs
	var w htmlrow.Writer
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
		points[k][0] = point{"0", "", "–", htmlrow.Escape(v.T("obs.none"))}
		for n := 1; n <= int(domain.MaxScore); n++ {
			pt := ov.Key[n-1]
			desc := pt.Wellbeing
			if k == 1 {
				desc = pt.Involvement
			}
			num := strconv.Itoa(n)
			points[k][n] = point{num, num, num, htmlrow.Escape(num + " " + pt.Label + ": " + desc)}
		}
	}
	for i, r := range ov.Rows {
		w.Reserve(i, len(ov.Rows))
		p := "o" + strconv.Itoa(r.Index)
		startRow(&w, len(r.Errors) > 0)
		learnerLink(&w, r.LearnerURL, r.Name, true)
		w.Markup(` <span class="sub">`)
		w.Text(r.Learner)
		w.Markup(" · ")
		w.Text(r.StatusLabel)
		w.Markup(`</span><span class="sub last-obs"`)
		if r.LastTitle != "" {
			w.Attr("title", r.LastTitle)
		}
		w.Markup(">")
		w.Text(r.LastText)
		w.Markup(`</span><input type="hidden"`)
		w.Attr("name", p+".learner")
		w.Attr("value", r.Learner)
		w.Markup(">")
		rowAlert(&w, r.Errors["row"])
		w.Markup("</th>\n")
		for k, scale := range observationScales {
			msg, errID := r.Errors[scale], p+"-"+scale+"-err"
			w.Markup(`<td><fieldset class="scale"`)
			if msg != "" {
				w.Attr("aria-describedby", errID)
			}
			w.Markup(`><legend class="vh">`)
			w.Text(names[k] + ", " + r.Name)
			w.Markup("</legend>")
			// The row's prefix and the scale's code are letters, digits and
			// "_": the names and ids made of them need no escaping, and the
			// points' texts were escaped above.
			for _, pt := range points[k] {
				w.Markup(`<input type="radio" name="`)
				w.Markup(p)
				w.Markup(".")
				w.Markup(scale)
				w.Markup(`" id="`)
				writeID(&w, p, scale, pt.n)
				w.Markup(`" value="`)
				w.Markup(pt.val)
				w.Markup(`"`)
				if r.Scores[k] == pt.val {
					w.Markup(" checked")
				}
				w.Markup(dis)
				w.Markup(`><label class="pt pt`)
				w.Markup(pt.n)
				w.Markup(`" for="`)
				writeID(&w, p, scale, pt.n)
				w.Markup(`" title="`)
				w.Markup(pt.title)
				w.Markup(`"><span aria-hidden="true">`)
				w.Markup(pt.text)
				w.Markup(`</span><span class="vh">`)
				w.Markup(pt.title)
				w.Markup("</span></label>")
			}
			errSpan(&w, msg, errID)
			w.Markup("</fieldset></td>")
		}
		w.Markup("</tr>\n")
		w.EndRow()
	}
	return w.Rows()
}

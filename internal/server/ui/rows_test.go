package ui

import (
	"fmt"
	"html/template"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/core"
)

// The golden test of the pages' fast path: each list written in Go
// (grid.go, learner_rows.go) against its html/template twin below, byte for
// byte, on values that need escaping. The twins are the plain path: what
// group.html and learner.html would say if the rows were written there.
// A change to a row writer that is not made to its twin, or an escaping
// that differs from html/template's, fails here.

// rowTwins are the html/template twins of the row writers.
const rowTwins = `
{{define "grid"}}{{$dis := .Data.Grid.Disabled}}{{range $r := .Data.Grid.Rows}}<tr{{if .Errors}} class="invalid"{{end}}>` +
	`<th scope="row"><a href="{{.LearnerURL}}" tabindex="-1">{{.Name}}</a> <span class="sub">{{.Learner}} · {{.StatusLabel}}</span>` +
	`<input type="hidden" name="{{.P}}.learner" value="{{.Learner}}"><input type="hidden" name="{{.P}}.orig" value="{{.Orig}}">` +
	`{{if .Orig}}<input type="hidden" name="{{.P}}.date" value="{{.Date}}"><span class="sub stored">{{.StoredLabel}}</span>{{end}}` +
	`{{with index .Errors "row"}}<span class="err" role="alert">{{.}}</span>{{end}}{{with index .Errors "date"}}<span class="err" role="alert">{{.}}</span>{{end}}</th>
{{range .Cells}}<td><input class="level" type="text" name="{{.Name}}" id="{{.ID}}" value="{{.Value}}" list="ladder" size="5" autocomplete="off" spellcheck="false" aria-label="{{.Label}}"` +
	`{{if .Err}} aria-invalid="true" aria-describedby="{{.ErrID}}"{{end}}{{if $dis}} disabled{{end}}>` +
	`{{if .Err}}<span class="err" id="{{.ErrID}}">{{.Err}}</span>{{end}}</td>{{end}}` +
	`{{$msg := index .Errors "decision"}}<td><select name="{{.P}}.decision" id="{{.P}}-decision" aria-label="{{$.T "f.decision"}}, {{.Name}}"` +
	`{{if $msg}} aria-invalid="true" aria-describedby="{{.P}}-decision-err"{{end}}{{if $dis}} disabled{{end}}><option value="">–</option>` +
	`{{range .Decisions}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}</select>` +
	`{{if $msg}}<span class="err" id="{{.P}}-decision-err">{{$msg}}</span>{{end}}</td>` +
	`{{$msg := index .Errors "feedback"}}<td><textarea class="feedback" rows="2" name="{{.P}}.feedback" id="{{.P}}-feedback" maxlength="4000" aria-label="{{$.T "f.feedback"}}, {{.Name}}"` +
	`{{if $msg}} aria-invalid="true" aria-describedby="{{.P}}-feedback-err"{{end}}{{if $dis}} disabled{{end}}>{{.Feedback}}</textarea>` +
	`{{if $msg}}<span class="err" id="{{.P}}-feedback-err">{{$msg}}</span>{{end}}</td>` +
	`{{if .Ticks}}{{$msg := index .Errors "goal"}}<td><fieldset class="goals"{{if $msg}} aria-describedby="{{.P}}-goal-err"{{end}}><legend class="vh">{{$.T "f.goals"}}, {{.Name}}</legend>` +
	`{{range $j, $t := .Ticks}}<label class="goal"><input type="checkbox" name="{{$r.P}}.goal" value="{{.Code}}"{{if .Checked}} checked{{end}} aria-describedby="{{$r.P}}-goal{{$j}}-tip"{{if $dis}} disabled{{end}}> {{.Label}}` +
	`<span class="tip" id="{{$r.P}}-goal{{$j}}-tip">{{.Description}}</span></label>{{end}}` +
	`{{if $msg}}<span class="err" id="{{.P}}-goal-err">{{$msg}}</span>{{end}}</fieldset></td>{{end}}</tr>
{{end}}{{end}}

{{define "attendance"}}{{$dis := not .Data.CanAttendance}}{{range .Data.Attendance.Rows}}{{$p := printf "a%d" .Index}}<tr{{if .Error}} class="invalid"{{end}}>` +
	`<th scope="row"><a href="{{.LearnerURL}}">{{.Name}}</a><input type="hidden" name="{{$p}}.learner" value="{{.Learner}}"></th>` +
	`<td>{{.Learner}}</td><td>{{.StatusLabel}}</td><td class="last-obs"{{if .LastTitle}} title="{{.LastTitle}}"{{end}}>{{.LastText}}</td>` +
	`<td>{{.Start}}</td><td>{{.End}}</td><td class="num"><input class="hours" type="text" inputmode="decimal" name="{{$p}}.hours" id="{{$p}}-hours" value="{{.Hours}}" size="6" aria-label="{{$.T "f.hours"}}, {{.Name}}"` +
	`{{if .Error}} aria-invalid="true" aria-describedby="{{$p}}-hours-err"{{end}}{{if $dis}} disabled{{end}}>` +
	`{{if .Error}}<span class="err" id="{{$p}}-hours-err">{{.Error}}</span>{{end}}</td></tr>
{{end}}{{end}}

{{define "observations"}}{{$dis := .Data.Obs.Disabled}}{{$key := .Data.Obs.Key}}{{range $r := .Data.Obs.Rows}}{{$p := printf "o%d" .Index}}<tr{{if .Errors}} class="invalid"{{end}}>` +
	`<th scope="row"><a href="{{.LearnerURL}}" tabindex="-1">{{.Name}}</a> <span class="sub">{{.Learner}} · {{.StatusLabel}}</span><span class="sub last-obs"{{if .LastTitle}} title="{{.LastTitle}}"{{end}}>{{.LastText}}</span>` +
	`<input type="hidden" name="{{$p}}.learner" value="{{.Learner}}">{{with index .Errors "row"}}<span class="err" role="alert">{{.}}</span>{{end}}</th>
{{range $k, $scale := scales}}{{$msg := index $r.Errors $scale}}{{$score := index $r.Scores $k}}<td><fieldset class="scale"{{if $msg}} aria-describedby="{{$p}}-{{$scale}}-err"{{end}}>` +
	`<legend class="vh">{{if eq $k 0}}{{$.T "obs.wellbeing"}}{{else}}{{$.T "obs.involvement"}}{{end}}, {{$r.Name}}</legend>` +
	`{{template "point" (point $p $scale "0" "" "–" ($.T "obs.none") $score $dis)}}` +
	`{{range $key}}{{template "point" (point $p $scale (print .Score) (print .Score) (print .Score) (printf "%d %s: %s" .Score .Label (index (list .Wellbeing .Involvement) $k)) $score $dis)}}{{end}}` +
	`{{if $msg}}<span class="err" id="{{$p}}-{{$scale}}-err">{{$msg}}</span>{{end}}</fieldset></td>{{end}}</tr>
{{end}}{{end}}

{{define "point"}}<input type="radio" name="{{.P}}.{{.Scale}}" id="{{.P}}-{{.Scale}}-{{.N}}" value="{{.Val}}"{{if eq .Score .Val}} checked{{end}}{{if .Dis}} disabled{{end}}>` +
	`<label class="pt pt{{.N}}" for="{{.P}}-{{.Scale}}-{{.N}}" title="{{.Title}}"><span aria-hidden="true">{{.Text}}</span><span class="vh">{{.Title}}</span></label>{{end}}

{{define "timeline"}}{{range .Data.Timeline}}<li class="ev {{.Kind}}"><time datetime="{{.Date}}">{{.Date}}</time> <strong>{{.Label}}</strong> <span>{{.Text}}</span></li>
{{end}}{{end}}

{{define "levels"}}{{range .Data.LevelRows}}<tr><th scope="row">{{.Date}}</th><td>{{.What}}</td>{{range .Levels}}<td>{{.}}</td>{{end}}</tr>{{end}}{{end}}

{{define "evaluations"}}{{range .Data.Evaluations}}<tr><th scope="row">{{.Date}}</th><td>{{.KindLabel}}</td><td>{{.Group}}</td>{{range .Levels}}<td>{{.}}</td>{{end}}` +
	`<td>{{.DecisionLabel}}</td><td>{{.Evaluator}}</td><td>{{.Feedback}}</td></tr>
  {{end}}{{end}}

{{define "options"}}{{range .}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}{{end}}
`

// twinPoint is one point of an observation scale, for the twin.
type twinPoint struct {
	P, Scale, N, Val, Text, Title, Score string
	Dis                                  bool
}

var twins = template.Must(template.New("twins").Funcs(template.FuncMap{
	"scales": func() []string { return observationScales },
	"list":   func(s ...string) []string { return s },
	"point": func(p, scale, n, val, text, title, score string, dis bool) twinPoint {
		return twinPoint{p, scale, n, val, text, title, score, dis}
	},
}).Parse(rowTwins))

// execTwin renders the twin name with data.
func execTwin(t *testing.T, name string, data any) string {
	t.Helper()
	var b strings.Builder
	if err := twins.ExecuteTemplate(&b, name, data); err != nil {
		t.Fatalf("twin %s: %v", name, err)
	}
	return b.String()
}

// hard are values that need escaping wherever they land.
var hard = []string{
	`<b>"Jan" & 'Piet'</b>`, "Zoë Ünal-Çelik", "a+b=c", "", "nul\x00", "kapot \xff", "😀 ☃",
}

// hardGroupView is a group page whose every printed value needs escaping:
// with and without errors, goals and observations, enabled or disabled.
func hardGroupView(lang string, disabled bool) *groupView {
	v := &groupView{CanAttendance: !disabled, CanEvaluate: !disabled, CanObserve: !disabled,
		Last: map[string]domain.Observation{}}
	v.Grid = gridView{Skills: []int{0, 2, 3}, Decisions: domain.Decisions.Codes,
		Goals: []domain.Goal{
			{Code: "G<1>", Skill: 0, Level: level("A2"), Description: `Kan "ja" & 'nee' zeggen`},
			{Code: "G+2", Skill: 3, Level: level("B1"), Description: "Schrijft één brief ☃"},
		}}
	for i, s := range hard {
		learner := "L" + s
		row := gridRow{Index: i, Learner: learner, Name: s + " " + hard[(i+1)%len(hard)], Status: "active",
			Orig: "2025-0" + s, Date: s, Decision: domain.Decisions.Codes[i%len(domain.Decisions.Codes)], Feedback: s + "'s feedback",
			Goals: []string{"G+2"}, From: "2025-09-01", To: s}
		row.Levels[0], row.Levels[2] = s, "A1"
		if i%3 == 2 {
			row.Orig, row.Date = "", "" // a new row: it takes the grid's date
		}
		if i%2 == 1 {
			row.Errors = map[string]string{"row": "rij " + s, "lis": s, "decision": "besl " + s, "date": "<datum>",
				"feedback": "&", "goal": "doel '" + s + "'"}
			row.Goals = nil
		}
		v.Grid.Rows = append(v.Grid.Rows, row)
		ar := attendanceRow{Index: i, Learner: learner, Name: s, Status: "dropped", Start: s, End: "2026-01-31", Hours: s + ",5"}
		if i%2 == 0 {
			ar.Error = "uren " + s
		}
		v.Attendance.Rows = append(v.Attendance.Rows, ar)
		or := obsRow{Index: i, Learner: learner, Name: s, Status: "active", Scores: [2]string{fmt.Sprint(i % 6), ""}}
		if i%3 == 0 {
			or.Errors = map[string]string{"wellbeing": "score " + s, "row": s}
			or.Scores[1] = s
		}
		v.Obs.Rows = append(v.Obs.Rows, or)
		if i%2 == 0 {
			v.Last[learner] = domain.Observation{Learner: learner, Date: domain.MustDate("2025-10-0" + fmt.Sprint(i+1)),
				Wellbeing: domain.Score(i % 6), Involvement: 3}
		}
	}
	// A grid without goals has no goal column.
	if disabled {
		v.Grid.Goals = nil
	}
	v.prepare(lang)
	// The key of the scales comes from the catalogue; here it needs escaping too.
	for i := range v.Obs.Key {
		k := &v.Obs.Key[i]
		k.Label, k.Wellbeing = hard[i%len(hard)]+" "+k.Label, k.Wellbeing+` "&" `+hard[(i+2)%len(hard)]
	}
	return v
}

// TestGroupRowsMatchTemplates checks the group page's three row writers
// against their twins, in both languages, with the forms open and disabled.
func TestGroupRowsMatchTemplates(t *testing.T) {
	for _, lang := range []string{"nl", "en"} {
		for _, disabled := range []bool{false, true} {
			v := &core.View{Lang: lang, Data: hardGroupView(lang, disabled)}
			name := fmt.Sprintf("%s/disabled=%v", lang, disabled)
			for _, tc := range []struct {
				twin string
				rows func(*core.View) []template.HTML
				n    int
			}{
				{"grid", gridRows, len(hard)},
				{"attendance", attendanceRows, len(hard)},
				{"observations", observationRows, len(hard)},
			} {
				rows := tc.rows(v)
				if len(rows) != tc.n {
					t.Errorf("%s %s: %d rows, want %d", name, tc.twin, len(rows), tc.n)
				}
				var got strings.Builder
				for _, r := range rows {
					got.WriteString(string(r))
				}
				if want := execTwin(t, tc.twin, v); got.String() != want {
					t.Errorf("%s %s differs from its template twin:\n%s", name, tc.twin, firstDiff(got.String(), want))
				}
			}
		}
	}
}

// TestLearnerRowsMatchTemplates checks the learner page's lists and the
// options of a select against their twins.
func TestLearnerRowsMatchTemplates(t *testing.T) {
	lv := &learnerView{}
	var choices []choice
	for i, s := range hard {
		lv.Timeline = append(lv.Timeline, event{Date: "2025-01-0" + s, Kind: "tl.evaluation " + s, Label: s, Text: s + " → B1"})
		row := levelRow{Date: domain.MustDate("2025-02-01").AddDays(i), What: s}
		row.Levels[0], row.Levels[3] = s, "A2"
		lv.LevelRows = append(lv.LevelRows, row)
		line := evaluationLine{Evaluation: domain.Evaluation{Date: domain.MustDate("2025-03-01"), Group: s, Evaluator: "ev" + s, Feedback: s + s},
			KindLabel: "kind " + s, DecisionLabel: s}
		line.Levels[1] = s
		lv.Evaluations = append(lv.Evaluations, line)
		choices = append(choices, choice{Value: s, Label: "label " + s, Selected: i == 2})
	}
	v := &core.View{Lang: "nl", Data: lv}
	for _, tc := range []struct {
		twin string
		got  template.HTML
		data any
	}{
		{"timeline", timelineItems(v), v},
		{"levels", levelRows(v), v},
		{"evaluations", evaluationRows(v), v},
		{"options", options(choices), choices},
	} {
		if want := execTwin(t, tc.twin, tc.data); string(tc.got) != want {
			t.Errorf("%s differs from its template twin:\n%s", tc.twin, firstDiff(string(tc.got), want))
		}
	}
}

// level is the level s, which must parse.
func level(s string) domain.Level {
	l, err := domain.ParseLevel(s)
	if err != nil {
		panic(err)
	}
	return l
}

// firstDiff shows where got and want part, with some context.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("at byte %d\n got …%q\nwant …%q", i, got[from:min(len(got), i+80)], want[from:min(len(want), i+80)])
}

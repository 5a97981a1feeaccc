package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/agenda"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
)

// The teacher's start page (Vandaag): the groups that meet today and what
// is due in them, worked out by internal/agenda on the day in Brussels.

// todayView is the start page.
type todayView struct {
	Date     string
	Weekday  string // the day's name in the reader's language
	Meetings []meetingLine
	Maybe    []meetingLine // running groups without a lesson plan: they may meet
	Todo     []todoLine
}

// meetingLine is a group that meets today, ready to print.
type meetingLine struct {
	Code, URL, Module, Basis string
	Hours                    string // the lesson's hours, "" when unknown
	Open, Pending            int
	End                      string
	PrintURL, RegisterURL    string
}

// todoLine is one thing due, ready to print: a sentence and where to do it.
type todoLine struct {
	Kind, Group, Text, URL, Action string
	Names                          string // the learners concerned, for ModuleEnd and NotObserved
}

// today shows the teacher's start page; other roles go to their own.
func (s *Handler) today(c *gin.Context) {
	u := core.CurrentUser(c)
	if u.Role != domain.RoleTeacher {
		c.Redirect(http.StatusSeeOther, homeOf(u))
		return
	}
	day := domain.DateOf(s.Now().In(domain.Zone))
	// Groups running today, and those that ended within the grace days
	// (module-end evaluations may still be dated then) or end within three weeks.
	ds, err := s.DB.FindAgenda(c.Request.Context(), u, day.AddDays(-domain.DefaultGraceDays), day)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "today", "", newTodayView(core.Lang(c), ds, agenda.Compute(ds, day)))
}

// newTodayView words the day in lang.
func newTodayView(lang string, ds *domain.DataSet, d agenda.Day) *todayView {
	names := make(map[string]string, len(ds.Learners))
	for _, l := range ds.Learners {
		names[l.ID] = l.FirstName + " " + l.LastName
	}
	v := &todayView{Date: d.Date.String(), Weekday: locale.T(lang, "today.weekday."+strconv.Itoa(int(d.Date.Time().Weekday())))}
	for _, m := range d.Meetings {
		line := meetingLine{Code: m.Group.Code, URL: groupURL(m.Group.Code, nil), Module: m.Module.Name, Basis: m.Basis,
			Open: m.Open, Pending: m.Pending, End: m.Group.EndDate.String(), PrintURL: printURL(m.Group.Code, "attendance"),
			RegisterURL: registerURL(m.Group.Code)}
		if m.Basis == agenda.BasisLesson {
			line.Hours = core.FormatHours(lang, m.Hours)
		}
		if m.Basis == agenda.BasisNoPlan {
			v.Maybe = append(v.Maybe, line)
		} else {
			v.Meetings = append(v.Meetings, line)
		}
	}
	for _, it := range d.Todo {
		line := todoLine{Kind: it.Kind, Group: it.Group}
		var who []string
		for _, l := range it.Learners {
			who = append(who, names[l])
		}
		line.Names = strings.Join(who, ", ")
		switch it.Kind {
		case agenda.ModuleEnd:
			key := "today.todo.module_end"
			if it.Date < d.Date {
				key = "today.todo.module_end.ended"
			}
			line.Text = locale.T(lang, key, it.Count, it.Group, it.Date.String())
			line.URL = groupURL(it.Group, url.Values{"kind": {"module_end"}}) + "#grid"
			line.Action = locale.T(lang, "today.todo.module_end.action")
		case agenda.NotObserved:
			line.Text = locale.T(lang, "today.todo.not_observed", it.Count, it.Group)
			line.URL = groupURL(it.Group, nil) + "#observations"
			line.Action = locale.T(lang, "today.todo.not_observed.action")
		case agenda.NotRegistered:
			dates := it.Date.String()
			if it.Latest != it.Date {
				dates += " – " + it.Latest.String()
			}
			line.Text = locale.T(lang, "today.todo.not_registered", it.Count, it.Group, dates)
			line.URL = registerURL(it.Group)
			line.Action = locale.T(lang, "today.todo.not_registered.action")
		}
		v.Todo = append(v.Todo, line)
	}
	return v
}

// registerURL is where a group's lessons are registered: its register
// page (register.go), which opens on the lessons still to register.
func registerURL(code string) string {
	return "/groups/" + url.PathEscape(code) + "/register"
}

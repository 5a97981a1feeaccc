package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/core"
)

// A group's printable lists: the class list (Klaslijst) and the attendance
// sheet (Aanwezigheidslijst), A4 pages of text and empty boxes, without
// the group page's form controls.

// sheetColumns is how many lesson columns an attendance sheet has: what
// fits on A4 landscape beside the names.
const sheetColumns = 12

// printView is a printable list of a group.
type printView struct {
	Kind    string // "classlist" or "attendance"
	Group   domain.Group
	Module  domain.Module
	Date    string // the day it was printed (Brussels)
	From    string // the attendance sheet's first day
	Rows    []printRow
	Lessons []string // the attendance sheet's column heads: lesson dates, then "" for a date to write in
	Planned int      // of those, lessons from the register
	Back    string
}

// printRow is one learner of a printed list.
type printRow struct {
	N                     int
	Name, Learner, Status string
	Start, End            string
}

// printURL is the address of a group's printable list.
func printURL(code, kind string) string {
	return "/groups/" + url.PathEscape(code) + "/print/" + kind
}

// printGroup shows a group's class list or attendance sheet.
func (s *Handler) printGroup(c *gin.Context) {
	kind := c.Param("kind")
	if kind != "classlist" && kind != "attendance" {
		s.Fail(c, core.BadRequest("unknown list"))
		return
	}
	gf, err := s.loadGroup(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	today := domain.DateOf(s.Now().In(domain.Zone))
	from := today
	if raw := strings.TrimSpace(c.Query("from")); raw != "" {
		d, ok := domain.ParseISO(raw)
		if !ok {
			s.Fail(c, core.BadRequest("bad from date"))
			return
		}
		from = d
	}
	v := &printView{Kind: kind, Group: gf.Group, Module: gf.Module, Date: today.String(), From: from.String(),
		Back: groupURL(gf.Group.Code, nil)}
	// The learners of the group on the list's day: a learner who left
	// before it is not in class.
	on := today
	if kind == "attendance" {
		on = from
	}
	for _, r := range gf.Roster {
		e := r.Enrollment
		if e.EndDate != 0 && e.EndDate < on && (e.Status == "dropped" || e.Status == "transferred") {
			continue
		}
		v.Rows = append(v.Rows, printRow{N: len(v.Rows) + 1, Name: r.LastName + ", " + r.FirstName, Learner: e.Learner,
			Status: e.Status, Start: e.StartDate.String(), End: e.EndDate.String()})
	}
	if kind == "attendance" {
		ls, err := s.DB.FindLessons(c.Request.Context(), gf.Group.Code, from, sheetColumns)
		if err != nil {
			s.Fail(c, err)
			return
		}
		for _, l := range ls {
			if l.Date <= gf.Group.EndDate {
				v.Lessons = append(v.Lessons, l.Date.String())
			}
		}
		v.Planned = len(v.Lessons)
		for len(v.Lessons) < sheetColumns {
			v.Lessons = append(v.Lessons, "")
		}
	}
	s.Render(c, http.StatusOK, "print", "", v)
}

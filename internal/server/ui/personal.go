package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// A learner's personal data on the web (spec/domain.md, "Personal data:
// access, erasure and retention"), as `traject learner export` and `traject
// learner erase` offer it on the command line: admins and the coordinators
// of the learner's providers download everything stored about the learner,
// print it, or erase it.

// personalLearner reads the learner of the route and checks that the user
// may manage their personal data.
func (s *Handler) personalLearner(c *gin.Context) (*store.LearnerFile, error) {
	f, err := s.loadLearner(c)
	if err != nil {
		return nil, err
	}
	if !auth.CanManagePersonalData(core.CurrentUser(c), f.Facts()) {
		return nil, auth.Forbidden(auth.ManagePersonalData)
	}
	return f, nil
}

// personalExport reads everything stored about the learner of the route for
// a user who may see it; on false it has answered the request.
func (s *Handler) personalExport(c *gin.Context) (*store.LearnerFile, *store.LearnerExport, bool) {
	f, err := s.personalLearner(c)
	if err != nil {
		s.Fail(c, err)
		return nil, nil, false
	}
	x, err := s.DB.ExportLearner(c.Request.Context(), f.Learner.ID)
	if err != nil {
		s.Fail(c, err)
		return nil, nil, false
	}
	return f, x, true
}

// exportLearnerJSON downloads everything stored about the learner, the same
// document as `traject learner export ID`.
func (s *Handler) exportLearnerJSON(c *gin.Context) {
	f, x, ok := s.personalExport(c)
	if !ok {
		return
	}
	b, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="traject-lerende-%s.json"`, safeFileName(f.Learner.ID)))
	c.Data(http.StatusOK, "application/json; charset=utf-8", append(b, '\n'))
}

// safeFileName keeps letters, digits, '-' and '_' of s for a download's name.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// personalSection is one table of the printable page.
type personalSection struct {
	Key     string // the entity: the JSON key of store.LearnerExport
	Columns []string
	Rows    [][]string
}

// personalView is the printable page of everything stored about a learner.
type personalView struct {
	ID, Name string
	Sections []personalSection
}

// exportLearnerPage shows everything stored about the learner on one page
// that prints cleanly.
func (s *Handler) exportLearnerPage(c *gin.Context) {
	f, x, ok := s.personalExport(c)
	if !ok {
		return
	}
	c.Header("Cache-Control", "no-store")
	v := &personalView{ID: f.Learner.ID, Name: f.Learner.FirstName + " " + f.Learner.LastName}
	v.Sections = append(v.Sections, exportTable("learner", []store.Record{x.Learner}))
	for _, t := range []struct {
		key  string
		recs []store.Record
	}{{"learner_goals", x.LearnerGoals}, {"referrals", x.Referrals}, {"placements", x.Placements},
		{"enrollments", x.Enrollments}, {"evaluations", x.Evaluations}, {"certificates", x.Certificates},
		{"outflows", x.Outflows}, {"followups", x.FollowUps}, {"observations", x.Observations},
		{"survey_responses", x.SurveyResponses}, {"audit_trail", x.AuditTrail}} {
		v.Sections = append(v.Sections, exportTable(t.key, t.recs))
	}
	s.Render(c, http.StatusOK, "learner_export", "", v)
}

// exportTable lays records out as a table, with the columns of the first.
func exportTable(key string, recs []store.Record) personalSection {
	sec := personalSection{Key: key}
	for i, r := range recs {
		row := make([]string, len(r))
		for j, fld := range r {
			if i == 0 {
				sec.Columns = append(sec.Columns, fld.Name)
			}
			row[j] = exportValue(fld.Value)
		}
		sec.Rows = append(sec.Rows, row)
	}
	return sec
}

// exportValue writes one stored value as text.
func exportValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []string:
		return strings.Join(x, ", ")
	case json.RawMessage:
		return string(x)
	}
	return fmt.Sprint(v)
}

// eraseView is the confirmation page of an erasure.
type eraseView struct {
	ID, Name string
	Error    string // catalogue key
}

// eraseLearnerPage asks to confirm the erasure of a learner.
func (s *Handler) eraseLearnerPage(c *gin.Context) {
	f, err := s.personalLearner(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "learner_erase", "", &eraseView{ID: f.Learner.ID, Name: f.Learner.FirstName + " " + f.Learner.LastName})
}

// eraseLearner erases the learner when the form repeats their number, as
// `traject learner erase ID --yes` does, and goes to the learner list.
func (s *Handler) eraseLearner(c *gin.Context) {
	f, err := s.personalLearner(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if strings.TrimSpace(c.PostForm("confirm")) != f.Learner.ID {
		s.Render(c, http.StatusUnprocessableEntity, "learner_erase", "",
			&eraseView{ID: f.Learner.ID, Name: f.Learner.FirstName + " " + f.Learner.LastName, Error: "erase.mismatch"})
		return
	}
	newID, err := s.DB.EraseLearner(c.Request.Context(), core.CurrentUser(c).Username, f.Learner.ID, s.Now())
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/learners?"+url.Values{"erased": {newID}}.Encode())
}

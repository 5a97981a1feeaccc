package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
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
// a user who may see it; on false it has answered the request. The access
// is recorded in the audit trail first, so that no personal data leaves
// without a record of who read it; the document then holds that entry too.
func (s *Handler) personalExport(c *gin.Context) (*store.LearnerFile, *store.LearnerExport, bool) {
	f, err := s.personalLearner(c)
	if err != nil {
		s.Fail(c, err)
		return nil, nil, false
	}
	if err := s.DB.RecordLearnerExport(c.Request.Context(), core.CurrentUser(c).Username, f.Learner.ID, s.Now()); err != nil {
		s.Fail(c, err)
		return nil, nil, false
	}
	x, err := s.DB.ExportLearner(c.Request.Context(), f.Learner.ID)
	if err != nil {
		s.Fail(c, err)
		return nil, nil, false
	}
	x.RestrictTo(core.CurrentUser(c))
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
	Key     string   // the entity: the JSON key of store.LearnerExport
	Columns []string // the columns' names in the reader's language
	Rows    [][]string
}

// personalView is the printable page of everything stored about a learner.
type personalView struct {
	ID, Name string
	Sections []personalSection
}

// exportLearnerPage shows everything stored about the learner on one page
// that prints cleanly: the tables of the download, with the columns named
// and the codes written out in the reader's language.
func (s *Handler) exportLearnerPage(c *gin.Context) {
	f, x, ok := s.personalExport(c)
	if !ok {
		return
	}
	lang := core.Lang(c)
	c.Header("Cache-Control", "no-store")
	v := &personalView{ID: f.Learner.ID, Name: f.Learner.FirstName + " " + f.Learner.LastName}
	v.Sections = append(v.Sections, exportTable(lang, "learner", []store.Record{x.Learner}))
	for _, t := range []struct {
		key  string
		recs []store.Record
	}{{"learner_goals", x.LearnerGoals}, {"referrals", x.Referrals}, {"placements", x.Placements},
		{"enrollments", x.Enrollments}, {"attendance", x.Attendance}, {"evaluations", x.Evaluations}, {"certificates", x.Certificates},
		{"outflows", x.Outflows}, {"followups", x.FollowUps}, {"observations", x.Observations},
		{"warning_actions", x.WarningActions}, {"survey_responses", x.SurveyResponses}, {"flag_handling", x.FlagHandling}, {"audit_trail", x.AuditTrail}} {
		v.Sections = append(v.Sections, exportTable(lang, t.key, t.recs))
	}
	s.Render(c, http.StatusOK, "learner_export", "", v)
}

// exportCodes names, per section of the export, the columns that hold a
// code of one of domain's code lists, so that the page writes out the
// code's label as the rest of the interface does.
var exportCodes = map[string]map[string]*domain.CodeList{
	"learner": {"gender": domain.Genders, "schooling_level": domain.SchoolingLevels, "literacy": domain.Literacies,
		"learning_route": domain.LearningRoutes, "civic_status": domain.CivicStatuses, "perspective": domain.Perspectives},
	"referrals":        {"source": domain.ReferralSources},
	"placements":       {"method": domain.PlacementMethods},
	"enrollments":      {"status": domain.EnrollmentStatuses},
	"attendance":       {"status": domain.AttendanceStatuses},
	"evaluations":      {"kind": domain.EvaluationKinds, "decision": domain.Decisions},
	"certificates":     {"kind": domain.CertificateKinds},
	"outflows":         {"type": domain.OutflowTypes, "reason": domain.OutflowReasons, "destination": domain.Destinations},
	"followups":        {"status": domain.FollowUpStatuses},
	"survey_responses": {"respondent": domain.RespondentKinds, "partner_type": domain.PartnerTypes},
	"warning_actions":  {"action": domain.WarningActions},
}

// exportTable lays records out as a table, with the columns of the first.
func exportTable(lang, key string, recs []store.Record) personalSection {
	sec := personalSection{Key: key}
	for i, r := range recs {
		row := make([]string, len(r))
		for j, fld := range r {
			if i == 0 {
				sec.Columns = append(sec.Columns, exportColumn(lang, fld.Name))
			}
			row[j] = exportCell(lang, key, fld)
		}
		sec.Rows = append(sec.Rows, row)
	}
	return sec
}

// exportColumn names a column of the export: a skill by its name (written
// with a capital, as a heading), any other column from the catalogue
// ("export.col.<name>").
func exportColumn(lang, name string) string {
	if k := slices.Index(domain.SkillCodes[:], name); k >= 0 {
		skill := locale.Skill(lang, domain.Skill(k))
		r, n := utf8.DecodeRuneInString(skill)
		return string(unicode.ToUpper(r)) + skill[n:]
	}
	return locale.T(lang, "export.col."+name)
}

// exportCell writes one value of section key for reading: codes as their
// labels, times of the audit trail in Belgian time, anything else as stored.
func exportCell(lang, key string, f store.Field) string {
	text := valueText(f.Value)
	if text == "" {
		return ""
	}
	if l := exportCodes[key][f.Name]; l != nil {
		return locale.Code(lang, l.Name, text)
	}
	switch {
	case key == "learner_goals" && f.Name == "skill":
		if k := slices.Index(domain.SkillCodes[:], text); k >= 0 {
			return locale.Skill(lang, domain.Skill(k))
		}
	case key == "flag_handling" && f.Name == "kind":
		return locale.T(lang, "flag."+text)
	case key == "flag_handling" && f.Name == "handled_at":
		if t, err := time.Parse(time.RFC3339, text); err == nil {
			return formatTime(t)
		}
	case key == "audit_trail" && f.Name == "action":
		return locale.T(lang, "audit."+text)
	case key == "audit_trail" && f.Name == "entity":
		return locale.T(lang, "entity."+text)
	case key == "audit_trail" && f.Name == "at":
		if t, err := time.Parse(time.RFC3339, text); err == nil {
			return formatTime(t)
		}
	}
	return text
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
	switch {
	case err != nil && newID == "":
		s.Fail(c, err)
		return
	case err != nil:
		// The erasure is committed; only overwriting the freed space failed.
		// Say so rather than "Interne fout", which would suggest that
		// nothing happened: the learner is gone under their pseudonym.
		s.Log.Error("erase learner: overwriting the freed space failed", "pseudonym", newID, "err", err)
		c.Redirect(http.StatusSeeOther, "/learners?"+url.Values{"erased": {newID}, "scrub": {"failed"}}.Encode())
		return
	}
	c.Redirect(http.StatusSeeOther, "/learners?"+url.Values{"erased": {newID}}.Encode())
}

// erasedNotice returns the pseudonym that the learner list names after an
// erasure (eraseLearner's redirect), or "" when q is no pseudonym: a link
// from elsewhere cannot make the page announce an erasure of anything else.
func erasedNotice(q string) string {
	if store.IsPseudonym(q) {
		return q
	}
	return ""
}

package indicator

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// loadDir is a minimal reader of the interchange CSV files, private to the
// tests so that they do not depend on internal/interchange: plain comma CSV
// with a header row, no validation beyond parsing.
func loadDir(t testing.TB, dir string) *domain.DataSet {
	t.Helper()
	ds := &domain.DataSet{}
	read := func(name string, row func(get func(string) string)) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		col := map[string]int{}
		for i, h := range recs[0] {
			col[strings.TrimSpace(h)] = i
		}
		for _, rec := range recs[1:] {
			row(func(c string) string {
				i, ok := col[c]
				if !ok {
					t.Fatalf("%s: no column %q", name, c)
				}
				return strings.TrimSpace(rec[i])
			})
		}
	}
	date := func(s string) domain.Date {
		d, err := domain.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	level := func(s string) domain.Level {
		l, err := domain.ParseLevel(s)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	levels := func(get func(string) string) domain.Levels {
		var ls domain.Levels
		for k := range ls {
			ls[k] = level(get(domain.SkillCodes[k]))
		}
		return ls
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	code := func(list *domain.CodeList, s string) string {
		if s == "" {
			return ""
		}
		c, err := list.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	read("providers.csv", func(g func(string) string) {
		ds.Providers = append(ds.Providers, domain.Provider{Code: g("code"), Name: g("name"), Type: code(domain.ProviderTypes, g("type"))})
	})
	read("modules.csv", func(g func(string) string) {
		sk, err := domain.ParseSkillSet(g("skills"))
		if err != nil {
			t.Fatal(err)
		}
		ds.Modules = append(ds.Modules, domain.Module{Code: g("code"), Provider: g("provider"), Name: g("name"),
			Programme: g("programme"), EntryLevel: level(g("entry_level")), TargetLevel: level(g("target_level")),
			Skills: sk, NominalHours: int(num(g("nominal_hours")))})
	})
	read("learners.csv", func(g func(string) string) {
		ds.Learners = append(ds.Learners, domain.Learner{ID: g("id"), FirstName: g("first_name"), LastName: g("last_name"),
			BirthDate: date(g("birth_date")), Gender: code(domain.Genders, g("gender")),
			SchoolingLevel: code(domain.SchoolingLevels, g("schooling_level")), Literacy: code(domain.Literacies, g("literacy")),
			LearningRoute: code(domain.LearningRoutes, g("learning_route")), CivicStatus: code(domain.CivicStatuses, g("civic_status")),
			Perspective: code(domain.Perspectives, g("perspective"))})
	})
	read("referrals.csv", func(g func(string) string) {
		ds.Referrals = append(ds.Referrals, domain.Referral{Learner: g("learner"), Date: date(g("date")),
			Source: code(domain.ReferralSources, g("source")), Provider: g("provider")})
	})
	read("groups.csv", func(g func(string) string) {
		ds.Groups = append(ds.Groups, domain.Group{Code: g("code"), Module: g("module"), StartDate: date(g("start_date")),
			EndDate: date(g("end_date")), PlannedHours: int(num(g("planned_hours"))), Teacher: g("teacher"),
			Intensity: code(domain.Intensities, g("intensity"))})
	})
	read("placements.csv", func(g func(string) string) {
		ds.Placements = append(ds.Placements, domain.Placement{Learner: g("learner"), Date: date(g("date")),
			Module: g("module"), Method: code(domain.PlacementMethods, g("method")), Levels: levels(g)})
	})
	read("enrollments.csv", func(g func(string) string) {
		ds.Enrollments = append(ds.Enrollments, domain.Enrollment{Learner: g("learner"), Group: g("group"),
			StartDate: date(g("start_date")), EndDate: date(g("end_date")),
			Status: code(domain.EnrollmentStatuses, g("status")), HoursAttended: num(g("hours_attended"))})
	})
	read("evaluations.csv", func(g func(string) string) {
		ds.Evaluations = append(ds.Evaluations, domain.Evaluation{Learner: g("learner"), Group: g("group"),
			Date: date(g("date")), Kind: code(domain.EvaluationKinds, g("kind")), Levels: levels(g),
			Decision: code(domain.Decisions, g("decision")), Evaluator: g("evaluator"), Feedback: g("feedback")})
	})
	read("certificates.csv", func(g func(string) string) {
		ds.Certificates = append(ds.Certificates, domain.Certificate{Learner: g("learner"),
			Kind: code(domain.CertificateKinds, g("kind")), Module: g("module"), Date: date(g("date")),
			Number: g("number"), Level: level(g("level"))})
	})
	read("outflows.csv", func(g func(string) string) {
		ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: g("learner"), Date: date(g("date")),
			Type: code(domain.OutflowTypes, g("type")), Reason: code(domain.OutflowReasons, g("reason")),
			Destination: code(domain.Destinations, g("destination")), Provider: g("provider")})
	})
	read("followups.csv", func(g func(string) string) {
		ds.FollowUps = append(ds.FollowUps, domain.FollowUp{Learner: g("learner"), Date: date(g("date")),
			Status: code(domain.FollowUpStatuses, g("status"))})
	})
	score := func(v string) domain.Score {
		if v == "" {
			return 0
		}
		return domain.Score(num(v))
	}
	read("observations.csv", func(g func(string) string) {
		ds.Observations = append(ds.Observations, domain.Observation{Learner: g("learner"), Group: g("group"), Date: date(g("date")),
			Wellbeing: score(g("wellbeing")), Involvement: score(g("involvement"))})
	})
	read("survey_responses.csv", func(g func(string) string) {
		ds.SurveyResponses = append(ds.SurveyResponses, domain.SurveyResponse{ID: g("id"), Provider: g("provider"), Date: date(g("date")),
			Respondent: g("respondent"), Learner: g("learner"), Group: g("group"), PartnerType: g("partner_type"),
			Wellbeing: score(g("wellbeing")), Involvement: score(g("involvement")), Satisfaction: score(g("satisfaction"))})
	})
	return ds
}

package demo

import (
	"fmt"
	"slices"

	"github.com/traject-nt2/traject/internal/domain"
)

// wellbeing adds what teachers observe and what the surveys find
// (spec/domain.md, observation and survey response): for most enrollments
// one or two observations within it by the group's teacher, each learner
// with a disposition of their own that drifts a little from one observation
// to the next; and per provider and school year a survey of learners (most
// anonymous), of staff and of partners. It runs after the groups have their
// codes and teachers, on the records in their final order.
func (g *generator) wellbeing() {
	ds := g.ds
	teacherOf := make(map[string]string, len(ds.Groups))
	provOf := make(map[string]string, len(ds.Groups))
	modProv := make(map[string]string, len(ds.Modules))
	for _, m := range ds.Modules {
		modProv[m.Code] = m.Provider
	}
	for _, gr := range ds.Groups {
		teacherOf[gr.Code], provOf[gr.Code] = gr.Teacher, modProv[gr.Module]
	}
	// A learner's disposition: mostly 3 or 4, some low, some high.
	base := func() float64 { return []float64{1.8, 2.6, 3.3, 3.7, 4.2, 4.7}[g.pick([]float64{3, 9, 30, 30, 20, 8})] }
	score := func(x float64) domain.Score {
		return domain.Score(min(5, max(1, int(x+0.5))))
	}
	lastLearner := ""
	var wb, inv float64
	var dates []domain.Date
	for i, e := range ds.Enrollments {
		if e.Learner != lastLearner {
			lastLearner, wb, inv = e.Learner, base(), base()
		}
		if e.StartDate > g.today || !g.chance(0.8) {
			continue
		}
		end := e.EndDate
		if end == 0 || end > g.today {
			end = g.today
		}
		span := int(end - e.StartDate)
		n := 1 + g.intn(2)
		dates = dates[:0]
		for k := 0; k < n; k++ {
			d := e.StartDate.AddDays(span * (k + 1) / (n + 1))
			if k > 0 && d == e.StartDate.AddDays(span*k/(n+1)) {
				continue // too short for a second date
			}
			dates = append(dates, d)
		}
		// A learner slipping away (register.go) is seen doing less well:
		// often once more in the weeks before they stop.
		fade := g.enrFade[i]
		if fade != 0 && fade < end && g.chance(0.6) {
			if d := fade + domain.Date(g.intn(int(end-fade)+1)); !slices.Contains(dates, d) {
				dates = append(dates, d)
				slices.Sort(dates)
			}
		}
		for _, d := range dates {
			wb += (g.f() - 0.5) * 0.8
			inv += (g.f() - 0.5) * 0.8
			if fade != 0 && d >= fade {
				wb -= 0.5 + 0.7*g.f()
				inv -= 0.4 + 0.7*g.f()
			}
			wb, inv = min(max(wb, 0.6), 5.4), min(max(inv, 0.6), 5.4)
			o := domain.Observation{Learner: e.Learner, Group: e.Group, Date: d, Observer: teacherOf[e.Group]}
			switch x := g.f(); {
			case x < 0.1:
				o.Wellbeing = score(wb)
			case x < 0.2:
				o.Involvement = score(inv)
			default:
				o.Wellbeing, o.Involvement = score(wb), score(inv)
			}
			ds.Observations = append(ds.Observations, o)
		}
	}

	// Surveys: every provider, every school year that has started, in May.
	y0, _, _ := g.from.YMD()
	yt, _, _ := g.today.YMD()
	n := 0
	next := func() string { n++; return fmt.Sprintf("S%07d", n) }
	for _, p := range ds.Providers {
		groupsOf := []string{}
		for code, prov := range provOf {
			if prov == p.Code {
				groupsOf = append(groupsOf, code)
			}
		}
		sortStrings(groupsOf)
		for y := y0; y <= yt; y++ {
			day := domain.NewDate(y, 5, 15)
			if day > g.today {
				continue
			}
			learners := 5 + g.intn(15)
			for i := 0; i < learners; i++ {
				r := domain.SurveyResponse{ID: next(), Provider: p.Code, Date: min(day.AddDays(g.intn(14)), g.today), Respondent: "learner",
					Wellbeing: score(base()), Involvement: score(base()), Satisfaction: score(base())}
				if len(groupsOf) > 0 && g.chance(0.3) {
					r.Group = groupsOf[g.intn(len(groupsOf))]
				}
				ds.SurveyResponses = append(ds.SurveyResponses, r)
			}
			for i, staff := 0, 3+g.intn(6); i < staff; i++ {
				ds.SurveyResponses = append(ds.SurveyResponses, domain.SurveyResponse{ID: next(), Provider: p.Code,
					Date: min(day.AddDays(g.intn(14)), g.today), Respondent: "staff", Wellbeing: score(base()), Involvement: score(base())})
			}
			for i, partners := 0, 2+g.intn(4); i < partners; i++ {
				ds.SurveyResponses = append(ds.SurveyResponses, domain.SurveyResponse{ID: next(), Provider: p.Code,
					Date: min(day.AddDays(g.intn(14)), g.today), Respondent: "partner", Satisfaction: score(base()),
					PartnerType: domain.PartnerTypes.Codes[g.intn(len(domain.PartnerTypes.Codes))]})
			}
		}
	}
}

// sortStrings sorts s in place (a map's keys, so that the demo stays
// deterministic).
func sortStrings(s []string) { slices.Sort(s) }

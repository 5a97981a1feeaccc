package risk

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// synth returns a synthetic installation of n learners over the school
// years 2022-23 to 2024-25, with a planted drop-out process: learners who
// leave early miss their last lessons and their wellbeing falls, alfa
// learners and long waits leave more often. With signal false, who leaves
// is a coin toss that no feature foretells. The same seed gives the same
// data.
func synth(seed uint64, n int, signal bool) *Input {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	ds := &domain.DataSet{
		Providers: []domain.Provider{{Code: "P1", Name: "CVO Een", Type: "cvo"}, {Code: "P2", Name: "CBE Twee", Type: "cbe"}},
		Modules: []domain.Module{
			{Code: "M1", Provider: "P1", Name: "R1", NominalHours: 120},
			{Code: "M2", Provider: "P2", Name: "Alfa", NominalHours: 240},
		},
	}
	in := &Input{Data: ds}
	first := domain.MustDate("2022-09-05") // a Monday
	today := domain.MustDate("2025-10-31")
	type grp struct {
		g       domain.Group
		lessons []Lesson
	}
	var groups []grp
	for k := 0; ; k++ {
		start := first.AddDays(28 * k)
		if start > domain.MustDate("2025-06-30") {
			break
		}
		for mi, mod := range []string{"M1", "M2"} {
			g := domain.Group{Code: fmt.Sprintf("G%s-%03d", mod, k), Module: mod, StartDate: start,
				EndDate: start.AddDays(118 + 28*mi), PlannedHours: 100, Intensity: "standard"}
			var ls []Lesson
			for d := start; d <= g.EndDate; d = d.AddDays(7) {
				ls = append(ls, Lesson{Group: g.Code, Date: d, Hours: 3}, Lesson{Group: g.Code, Date: d.AddDays(2), Hours: 2.5})
			}
			if ls[len(ls)-1].Date > g.EndDate {
				ls = ls[:len(ls)-1]
			}
			groups = append(groups, grp{g, ls})
			ds.Groups = append(ds.Groups, g)
			in.Lessons = append(in.Lessons, ls...)
		}
	}
	routes := domain.LearningRoutes.Codes
	for i := range n {
		id := fmt.Sprintf("L%05d", i)
		route := routes[r.IntN(len(routes))]
		ds.Learners = append(ds.Learners, domain.Learner{ID: id, FirstName: "A", LastName: "B",
			BirthDate: domain.NewDate(1960+r.IntN(45), time.Month(1+r.IntN(12)), 1+r.IntN(28)), Gender: []string{"f", "m", "x"}[r.IntN(3)],
			HomeLanguage: "ar", CountryOfBirth: "SY", SchoolingLevel: domain.SchoolingLevels.Codes[r.IntN(6)],
			Literacy: domain.Literacies.Codes[r.IntN(5)], LearningRoute: route,
			CivicStatus: domain.CivicStatuses.Codes[r.IntN(4)], Perspective: "work"})
		ref := first.AddDays(-60 + r.IntN(900))
		ds.Referrals = append(ds.Referrals, domain.Referral{Learner: id, Date: ref, Source: "agentschap"})
		ds.Placements = append(ds.Placements, domain.Placement{Learner: id, Date: ref.AddDays(5), Module: "M1", Method: "test"})
		wait := 5 + r.IntN(120)
		at := ref.AddDays(wait)
		for enr := 0; enr < 2; enr++ {
			// the first group that starts on or after at
			gi := -1
			for j := range groups {
				if groups[j].g.StartDate >= at && (route == "alfa") == (groups[j].g.Module == "M2") {
					gi = j
					break
				}
			}
			if gi < 0 || groups[gi].g.StartDate > today {
				break
			}
			g := groups[gi]
			logit := -1.6
			if route == "alfa" {
				logit += 0.6
			}
			if wait > 90 {
				logit += 0.7
			}
			if !signal {
				logit = -0.8
			}
			drops := r.Float64() < 1/(1+math.Exp(-logit))
			e := domain.Enrollment{Learner: id, Group: g.g.Code, StartDate: g.g.StartDate, Status: "completed", EndDate: g.g.EndDate}
			last := g.g.EndDate
			if drops {
				last = g.g.StartDate.AddDays(20 + r.IntN(int(g.g.StartDate.DaysUntil(g.g.EndDate))-20))
				e.Status, e.EndDate = "dropped", last
			}
			if e.EndDate > today {
				e.Status, e.EndDate = "active", 0
			}
			hours := 0.0
			for _, l := range g.lessons {
				if l.Date > last || l.Date > today {
					break
				}
				if r.IntN(20) == 0 {
					continue // not registered
				}
				status := Present
				pAbsent := 0.1
				if drops && signal && l.Date.DaysUntil(last) < 21 {
					pAbsent = 0.8
				}
				switch x := r.Float64(); {
				case x < pAbsent:
					status = Absent
				case x < pAbsent+0.05:
					status = Excused
				case x < pAbsent+0.1:
					status = Late
				}
				h := map[string]float64{Present: l.Hours, Late: l.Hours - 1, Absent: 0, Excused: 0}[status]
				hours += h
				in.Attendance = append(in.Attendance, Attendance{Learner: id, Group: g.g.Code, Date: l.Date, Status: status, Hours: h})
			}
			e.HoursAttended = hours
			ds.Enrollments = append(ds.Enrollments, e)
			w := domain.Score(3 + r.IntN(3))
			for d := g.g.StartDate.AddDays(10); d <= last && d <= today; d = d.AddDays(30) {
				if drops && signal && d.DaysUntil(last) < 40 && w > 1 {
					w -= 2
					w = max(w, 1)
				}
				ds.Observations = append(ds.Observations, domain.Observation{Learner: id, Group: g.g.Code, Date: d,
					Wellbeing: w, Involvement: domain.Score(2 + r.IntN(4))})
			}
			if mid := g.g.StartDate.AddDays(50); mid <= last && mid <= today {
				ds.Evaluations = append(ds.Evaluations, domain.Evaluation{Learner: id, Group: g.g.Code, Date: mid,
					Kind: "formative", Decision: []string{"pass", "fail", "none"}[r.IntN(3)]})
			}
			if drops {
				if last <= today {
					ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: id, Date: last.AddDays(3), Type: "early_leaver", Reason: "unknown"})
				}
				at = last.AddDays(30 + r.IntN(200))
			} else {
				if e.EndDate != 0 {
					ds.Evaluations = append(ds.Evaluations, domain.Evaluation{Learner: id, Group: g.g.Code, Date: e.EndDate,
						Kind: "module_end", Decision: "pass"})
				}
				at = g.g.EndDate.AddDays(1 + r.IntN(60))
			}
		}
	}
	return in
}

package indicator

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// genDataSet generates a deterministic synthetic data set with about n
// learners: per learner ~1.2 referrals, ~1 placement, ~2.5 enrollments, ~6
// evaluations and ~1 outflow or follow-up. Dates cluster on a few years with
// month ends, so ties and boundaries occur often. It is for tests and the
// benchmark only; internal/demo makes realistic demo data.
func genDataSet(seed uint64, n int) *domain.DataSet {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	ds := &domain.DataSet{}
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	base := domain.NewDate(2022, 1, 1)
	span := int(domain.NewDate(2026, 12, 31) - base)
	date := func() domain.Date {
		d := base.AddDays(rng.IntN(span))
		if rng.IntN(8) == 0 { // month ends and month starts: the clamping cases
			y, m, _ := d.YMD()
			d = domain.NewDate(y, m+1, 0)
			if rng.IntN(2) == 0 {
				d = domain.NewDate(y, m, 1)
			}
		}
		return d
	}
	level := func(around int) domain.Level {
		if rng.IntN(6) == 0 {
			return domain.NoLevel
		}
		return domain.Level(max(0, min(int(domain.MaxLevel), around+rng.IntN(4)-1)))
	}

	nProv := min(12, 3+n/10000)
	types := []string{"cvo", "cbe", "utc"}
	for i := range nProv {
		ds.Providers = append(ds.Providers, domain.Provider{Code: fmt.Sprintf("P%02d", i+1), Name: fmt.Sprintf("Aanbieder %d", i+1), Type: types[i%3]})
	}
	for _, pr := range ds.Providers {
		for m := range 4 {
			ds.Modules = append(ds.Modules, domain.Module{Code: fmt.Sprintf("%s/M%d", pr.Code, m+1), Provider: pr.Code,
				Name: fmt.Sprintf("Module %d", m+1), Programme: "NT2", EntryLevel: domain.Level(2 * m),
				TargetLevel: domain.Level(2*m + 2), Skills: domain.AllSkills, NominalHours: 120})
		}
	}
	nGroups := max(8, n/6)
	for i := range nGroups {
		start := date()
		ds.Groups = append(ds.Groups, domain.Group{Code: fmt.Sprintf("G%06d", i), Module: ds.Modules[rng.IntN(len(ds.Modules))].Code,
			StartDate: start, EndDate: start.AddDays(30 + rng.IntN(270)), PlannedHours: 40 + rng.IntN(200), Intensity: "standard"})
	}
	for i := range n {
		id := fmt.Sprintf("L%07d", i)
		ds.Learners = append(ds.Learners, domain.Learner{ID: id, FirstName: "Voornaam", LastName: "Naam",
			BirthDate:      domain.NewDate(1950+rng.IntN(60), time.Month(1+rng.IntN(12)), 1+rng.IntN(31)),
			Gender:         pick(domain.Genders.Codes),
			SchoolingLevel: pick(domain.SchoolingLevels.Codes), Literacy: pick(domain.Literacies.Codes),
			LearningRoute: pick(domain.LearningRoutes.Codes), CivicStatus: pick(domain.CivicStatuses.Codes),
			Perspective: pick(domain.Perspectives.Codes)})
		refDate := date()
		for r := 0; r < 1+btoi(rng.IntN(5) == 0); r++ {
			prov := ""
			if rng.IntN(10) > 0 {
				prov = ds.Providers[rng.IntN(nProv)].Code
			}
			ds.Referrals = append(ds.Referrals, domain.Referral{Learner: id, Date: refDate.AddDays(400 * r), Source: "agentschap", Provider: prov})
		}
		lvl := rng.IntN(6)
		if rng.IntN(10) > 0 {
			ds.Placements = append(ds.Placements, domain.Placement{Learner: id, Date: refDate.AddDays(rng.IntN(40)),
				Module: ds.Modules[rng.IntN(len(ds.Modules))].Code, Method: "test",
				Levels: domain.Levels{level(lvl), level(lvl), level(lvl), level(lvl), level(lvl)}})
		}
		seenGroup := map[string]bool{}
		for range rng.IntN(6) {
			g := &ds.Groups[rng.IntN(len(ds.Groups))]
			if seenGroup[g.Code] {
				continue
			}
			seenGroup[g.Code] = true
			e := domain.Enrollment{Learner: id, Group: g.Code, StartDate: g.StartDate.AddDays(rng.IntN(30) - 10),
				Status: pick(domain.EnrollmentStatuses.Codes)}
			if rng.IntN(3) == 0 {
				e.StartDate = refDate.AddDays(rng.IntN(200) - 20)
			}
			if e.Status != "active" {
				e.EndDate = max(e.StartDate, g.EndDate.AddDays(rng.IntN(20)-15))
			}
			e.HoursAttended = float64(rng.IntN(2*g.PlannedHours)) / 2
			if rng.IntN(10) == 0 {
				e.HoursAttended = 12 // exactly min_hours
			}
			ds.Enrollments = append(ds.Enrollments, e)
			for range 1 + rng.IntN(4) {
				kind := pick(domain.EvaluationKinds.Codes)
				ev := domain.Evaluation{Learner: id, Group: g.Code, Kind: kind, Decision: pick(domain.Decisions.Codes),
					Date: g.EndDate.AddDays(rng.IntN(80) - 45)}
				if kind == "external_test" {
					ev.Group = ""
				}
				lvl += rng.IntN(2)
				for k := range ev.Levels {
					ev.Levels[k] = level(lvl)
				}
				ds.Evaluations = append(ds.Evaluations, ev)
				if kind == "module_end" && ev.Decision == "pass" && rng.IntN(2) == 0 {
					module := g.Module
					if rng.IntN(10) == 0 {
						module = ds.Modules[rng.IntN(len(ds.Modules))].Code
					}
					ds.Certificates = append(ds.Certificates, domain.Certificate{Learner: id, Kind: "module", Module: module,
						Date: ev.Date.AddDays(rng.IntN(40) - 5), Level: domain.NoLevel})
				}
			}
		}
		if rng.IntN(2) == 0 {
			o := domain.Outflow{Learner: id, Date: date(), Type: pick(domain.OutflowTypes.Codes)}
			if o.Type == "early_leaver" {
				o.Reason = pick(domain.OutflowReasons.Codes)
			}
			if rng.IntN(4) > 0 {
				o.Destination = pick(domain.Destinations.Codes)
			}
			if rng.IntN(8) > 0 {
				o.Provider = ds.Providers[rng.IntN(nProv)].Code
			}
			ds.Outflows = append(ds.Outflows, o)
			var last domain.Date
			for range rng.IntN(3) {
				d := o.Date.AddDays(rng.IntN(420) - 20)
				if rng.IntN(5) == 0 {
					d = o.Date.AddMonths(12 + rng.IntN(2)).AddDays(rng.IntN(3) - 1)
				}
				if d == last {
					continue
				}
				last = d
				ds.FollowUps = append(ds.FollowUps, domain.FollowUp{Learner: id, Date: d, Status: pick(domain.FollowUpStatuses.Codes)})
			}
		}
	}
	genObservations(ds, rand.New(rand.NewPCG(seed, 0x5eed)))
	return ds
}

// genObservations adds observations of enrolled learners (a few dates in
// their group's period, now and then on the same date in two groups, now and
// then without one of the scores) and survey responses of every kind, some
// named, some anonymous, some without a provider, with their own generator
// so that the rest of the data set stays as it was.
func genObservations(ds *domain.DataSet, rng *rand.Rand) {
	score := func() domain.Score {
		if rng.IntN(8) == 0 {
			return 0
		}
		return domain.Score(1 + rng.IntN(5))
	}
	groups := map[string]*domain.Group{}
	for i := range ds.Groups {
		groups[ds.Groups[i].Code] = &ds.Groups[i]
	}
	seen := map[[3]string]bool{}
	var lastDate domain.Date
	for _, e := range ds.Enrollments {
		if rng.IntN(3) == 0 {
			continue
		}
		g := groups[e.Group]
		for range 1 + rng.IntN(4) {
			d := g.StartDate.AddDays(rng.IntN(int(g.EndDate-g.StartDate) + 1))
			if rng.IntN(6) == 0 && lastDate != 0 {
				d = lastDate // the same date as the previous observation, perhaps in another group
			}
			lastDate = d
			k := [3]string{e.Learner, e.Group, d.String()}
			if seen[k] {
				continue
			}
			seen[k] = true
			ds.Observations = append(ds.Observations, domain.Observation{Learner: e.Learner, Group: e.Group, Date: d,
				Wellbeing: score(), Involvement: score()})
		}
	}
	for i := range len(ds.Learners) / 2 {
		r := domain.SurveyResponse{ID: fmt.Sprintf("R%06d", i), Date: domain.NewDate(2022, 1, 1).AddDays(rng.IntN(1800)),
			Respondent: domain.RespondentKinds.Codes[rng.IntN(3)]}
		if rng.IntN(10) > 0 {
			r.Provider = ds.Providers[rng.IntN(len(ds.Providers))].Code
		}
		switch r.Respondent {
		case "learner":
			if rng.IntN(2) == 0 {
				r.Learner = ds.Learners[rng.IntN(len(ds.Learners))].ID
			}
			r.Wellbeing, r.Involvement, r.Satisfaction = score(), score(), score()
		case "staff":
			r.Wellbeing, r.Involvement = score(), score()
		default:
			r.PartnerType = domain.PartnerTypes.Codes[rng.IntN(len(domain.PartnerTypes.Codes))]
			r.Satisfaction = score()
		}
		ds.SurveyResponses = append(ds.SurveyResponses, r)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// genParams returns random but valid parameters over the generated years.
func genParams(rng *rand.Rand) Params {
	from := domain.NewDate(2022, 6, 1).AddDays(rng.IntN(900))
	if rng.IntN(3) == 0 {
		y, m, _ := from.YMD()
		from = domain.NewDate(y, m, 1)
	}
	to := from.AddDays(rng.IntN(700))
	p := DefaultParams(from, to)
	if rng.IntN(2) == 0 {
		p.AsOf = to.AddDays(rng.IntN(400))
	}
	p.StatutoryMonths = rng.IntN(7)
	p.WaitingListMonths = rng.IntN(13)
	p.GraceDays = rng.IntN(60)
	p.MinHours = float64(rng.IntN(30))
	p.FollowupMonths = rng.IntN(24)
	return p
}

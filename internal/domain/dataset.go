package domain

// ForProvider returns the part of ds that belongs to one provider, closed
// under references so it imports into an empty database on its own: the
// provider, its modules with their goals and groups, the enrollments in those
// groups, and the learners who were referred to it, placed into or enrolled in
// its modules, or left it, with those learners' own records that concern this
// provider (referrals to it, placements into its modules, evaluations in its
// groups or external tests, certificates of its modules or without a module,
// outflows from it or without a provider, their goals and follow-ups). Which
// learners those are is the one rule of ProviderLinks.
func (ds *DataSet) ForProvider(code string) *DataSet {
	out := &DataSet{}
	for _, p := range ds.Providers {
		if p.Code == code {
			out.Providers = append(out.Providers, p)
		}
	}
	modules := map[string]bool{}
	for _, m := range ds.Modules {
		if m.Provider == code {
			modules[m.Code] = true
			out.Modules = append(out.Modules, m)
		}
	}
	for _, g := range ds.Goals {
		if modules[g.Module] {
			out.Goals = append(out.Goals, g)
		}
	}
	groups := map[string]bool{}
	for _, g := range ds.Groups {
		if modules[g.Module] {
			groups[g.Code] = true
			out.Groups = append(out.Groups, g)
		}
	}
	for _, l := range ds.Lessons {
		if groups[l.Group] {
			out.Lessons = append(out.Lessons, l)
		}
	}
	learners := NewProviderLinks(ds).LinkedTo(ds, code)
	for _, l := range ds.Learners {
		if learners[l.ID] {
			out.Learners = append(out.Learners, l)
		}
	}
	for _, g := range ds.LearnerGoals {
		if learners[g.Learner] {
			out.LearnerGoals = append(out.LearnerGoals, g)
		}
	}
	for _, k := range ds.LearnerLinks {
		if k.Provider == code {
			out.LearnerLinks = append(out.LearnerLinks, k)
		}
	}
	for _, r := range ds.Referrals {
		if r.Provider == code {
			out.Referrals = append(out.Referrals, r)
		}
	}
	for _, p := range ds.Placements {
		if modules[p.Module] {
			out.Placements = append(out.Placements, p)
		}
	}
	for _, e := range ds.Enrollments {
		if groups[e.Group] {
			out.Enrollments = append(out.Enrollments, e)
		}
	}
	for _, a := range ds.Attendance {
		if groups[a.Group] {
			out.Attendance = append(out.Attendance, a)
		}
	}
	for _, e := range ds.Evaluations {
		if learners[e.Learner] && (groups[e.Group] || e.Group == "") {
			out.Evaluations = append(out.Evaluations, e)
		}
	}
	for _, c := range ds.Certificates {
		if learners[c.Learner] && (modules[c.Module] || c.Module == "") {
			out.Certificates = append(out.Certificates, c)
		}
	}
	for _, o := range ds.Outflows {
		if learners[o.Learner] && (o.Provider == code || o.Provider == "") {
			out.Outflows = append(out.Outflows, o)
		}
	}
	for _, f := range ds.FollowUps {
		if learners[f.Learner] {
			out.FollowUps = append(out.FollowUps, f)
		}
	}
	for _, o := range ds.Observations {
		if groups[o.Group] {
			out.Observations = append(out.Observations, o)
		}
	}
	for _, r := range ds.SurveyResponses {
		if r.Provider != code {
			continue
		}
		if r.Learner != "" && !learners[r.Learner] {
			r.Learner = "" // a learner of no record of this provider's: the response goes out anonymous
		}
		out.SurveyResponses = append(out.SurveyResponses, r)
	}
	return out
}

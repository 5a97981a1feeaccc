package auth

import "github.com/traject-nt2/traject/internal/domain"

// CaseVisibility decides, for the learners behind a list of indicator cases
// (a drill-down, the API's explain), which of them u may see by name: the
// result holds every learner of learners, true for those u may see. Cases
// carry no groups or counsellors, so the decision rests on provider links
// alone: an admin sees everyone, a coordinator the learners linked to one of
// their providers, anyone else no one. providers returns the links of the
// learners asked for (domain.ProviderLinks.LearnerProviders); it is not
// called for an admin, who needs none, nor for no user at all.
func CaseVisibility(u *domain.User, learners []string, providers func(ids map[string]bool) map[string][]string) map[string]bool {
	ids := make(map[string]bool, len(learners))
	for _, id := range learners {
		ids[id] = true
	}
	out := make(map[string]bool, len(ids))
	if u == nil {
		for id := range ids {
			out[id] = false
		}
		return out
	}
	var links map[string][]string
	if u.Role != domain.RoleAdmin {
		links = providers(ids)
	}
	for id := range ids {
		out[id] = CanSeeLearner(u, LearnerFacts{ID: id, Providers: links[id]})
	}
	return out
}

// CanSeeResponse reports whether u may see one survey response of provider
// behind an indicator (its date, kind and score, never its comment): the
// provider's coordinators and admins, who see its exact numbers too.
func CanSeeResponse(u *domain.User, provider string) bool {
	return u != nil && active(u) && MaySeeExact(u, provider)
}

package store

import (
	"strings"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

// The SQL side of auth's CanSeeLearner and CanSeeGroup: conditions that lists,
// counts, charts and searches add to their WHERE clause, so that a record the
// user may not see is never read in the first place. Portable SQL with '?'
// placeholders (rebind before use); the subqueries use their own aliases
// (fe, fg, fm, …) so they cannot capture the caller's.

// The store owns all SQL, so these live here rather than beside the rules
// they mirror; TestLearnerFilterAgreesWithRules holds them to those rules.

// nothing matches no row.
const nothing = "1 = 0"

// LearnerFilter returns a condition on the alias l of learners, and its
// arguments, that holds exactly for the learners u may see
// (auth.CanSeeLearner). A coordinator's part is the SQL form of the linking
// rule of domain.ProviderLinks: referral, placement, enrollment, outflow,
// learner link.
func LearnerFilter(u *domain.User) (where string, args []any) {
	if !auth.Can(u, auth.ViewLearner) {
		return nothing, nil
	}
	switch u.Role {
	case domain.RoleAdmin:
		return "1 = 1", nil
	case domain.RoleTeacher:
		return `l.id IN (SELECT fe.learner FROM enrollments fe JOIN course_groups fg ON fg.code = fe.group_code WHERE fg.teacher = ?)`,
			[]any{u.Username}
	case domain.RoleCounsellor:
		return "l.counsellor = ?", []any{u.Username}
	case domain.RoleCoordinator:
		in, pargs := providerList(u)
		if in == "" {
			return nothing, nil
		}
		where = `(l.id IN (SELECT fr.learner FROM referrals fr WHERE fr.provider IN ` + in + `)` +
			` OR l.id IN (SELECT fp.learner FROM placements fp JOIN modules fm ON fm.code = fp.module WHERE fm.provider IN ` + in + `)` +
			` OR l.id IN (SELECT fe.learner FROM enrollments fe JOIN course_groups fg ON fg.code = fe.group_code JOIN modules fm ON fm.code = fg.module WHERE fm.provider IN ` + in + `)` +
			` OR l.id IN (SELECT fo.learner FROM outflows fo WHERE fo.provider IN ` + in + `)` +
			` OR l.id IN (SELECT fk.learner FROM learner_links fk WHERE fk.provider IN ` + in + `))`
		for range 5 {
			args = append(args, pargs...)
		}
		return where, args
	}
	return nothing, nil
}

// GroupFilter returns a condition on the alias g of course_groups, and its
// arguments, that holds exactly for the groups u may see (auth.CanSeeGroup).
func GroupFilter(u *domain.User) (where string, args []any) {
	if !auth.Can(u, auth.ViewGroup) {
		return nothing, nil
	}
	switch u.Role {
	case domain.RoleAdmin:
		return "1 = 1", nil
	case domain.RoleTeacher:
		return "g.teacher = ?", []any{u.Username}
	case domain.RoleCoordinator:
		in, pargs := providerList(u)
		if in == "" {
			return nothing, nil
		}
		return `g.module IN (SELECT fm.code FROM modules fm WHERE fm.provider IN ` + in + `)`, pargs
	}
	return nothing, nil
}

// providerList returns "(?, ?, …)" for u's distinct, non-empty providers, or
// "" when there are none.
func providerList(u *domain.User) (string, []any) {
	var args []any
	seen := map[string]bool{}
	for _, p := range u.Providers {
		if p != "" && !seen[p] {
			seen[p] = true
			args = append(args, p)
		}
	}
	if len(args) == 0 {
		return "", nil
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ") + ")", args
}

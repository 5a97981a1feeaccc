package importer

import (
	"context"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/store"
)

// A coordinator imports the data of their own providers only; an admin
// imports anything. Every row that would reach outside the coordinator's
// providers is refused with a message of its own, and so, all or nothing,
// the whole import (spec/interchange.md, "Import semantics"):
//
//   - providers: only their own provider(s), to correct a name or type;
//   - modules: of their own provider, and not a module code another
//     provider already has;
//   - goals: of one of their modules (a goal without a module is shared by
//     every provider: an admin's), and not a goal code of another's module;
//   - groups: of one of their modules, and not a group code of another's;
//   - referrals and outflows: naming one of their providers (an outflow
//     without a provider: of a learner linked to them);
//   - placements, enrollments, evaluations, certificates: into their own
//     modules or groups (an external test or a certificate without a module:
//     of a learner linked to them);
//   - learners, learner goals, follow-ups: of learners linked to their
//     providers, in the database (auth.LearnerFilter) or by a referral,
//     placement, enrollment or outflow of theirs in the same import.
//
// References to records that exist nowhere are left to the importer, which
// reports them; so is every other rule.

// importScope holds what the scope check knows about the coordinator's
// reach, from the database and the batch together.
type importScope struct {
	lang      string
	u         *domain.User
	own       string                     // the coordinator's providers, for messages
	modules   map[string]string          // module -> provider, the batch's over the database's
	groups    map[string]string          // group -> module, likewise
	goals     map[string]string          // stored goal -> module
	stored    map[string]map[string]bool // entity -> codes stored (modules, groups)
	linked    map[string]bool            // learners linked to the coordinator's providers
	readError map[interchange.Pos]map[string]bool
	errs      []interchange.RowError
}

// ScopeErrors returns an error for every row of b outside the providers of
// u (a coordinator); readErrs are the errors Read found, so that a value
// that could not be read is not reported twice.
func ScopeErrors(ctx context.Context, db *store.DB, lang string, u *domain.User, b *interchange.Batch,
	readErrs []interchange.RowError) ([]interchange.RowError, error) {
	if u.Role == domain.RoleAdmin {
		return nil, nil
	}
	ds, err := db.LoadDataSet(ctx, "modules", "goals", "groups")
	if err != nil {
		return nil, err
	}
	linked, err := db.VisibleLearners(ctx, u)
	if err != nil {
		return nil, err
	}
	sc := &importScope{lang: lang, u: u, own: strings.Join(u.Providers, ", "),
		modules: map[string]string{}, groups: map[string]string{}, goals: map[string]string{},
		stored: map[string]map[string]bool{"modules": {}, "groups": {}}, linked: linked,
		readError: map[interchange.Pos]map[string]bool{}}
	for _, e := range readErrs {
		if sc.readError[e.Pos] == nil {
			sc.readError[e.Pos] = map[string]bool{}
		}
		sc.readError[e.Pos][e.Column] = true
	}
	for _, m := range ds.Modules {
		sc.modules[m.Code] = m.Provider
		sc.stored["modules"][m.Code] = true
	}
	for _, g := range ds.Groups {
		sc.groups[g.Code] = g.Module
		sc.stored["groups"][g.Code] = true
	}
	for _, g := range ds.Goals {
		sc.goals[g.Code] = g.Module
	}
	sc.check(b)
	return sc.errs, nil
}

// fail records a refused row, unless Read already reported that value.
func (sc *importScope) fail(p interchange.Pos, column, key string, args ...any) {
	if sc.readError[p][column] || sc.readError[p][""] {
		return
	}
	sc.errs = append(sc.errs, interchange.RowError{Pos: p, Column: column, Message: locale.T(sc.lang, key, args...)})
}

// ownProvider reports whether code is one of the coordinator's providers.
func (sc *importScope) ownProvider(code string) bool { return sc.u.HasProvider(code) }

// ownModule reports whether module code belongs to the coordinator; known
// is false for a module that exists nowhere.
func (sc *importScope) ownModule(code string) (own, known bool) {
	p, ok := sc.modules[code]
	return ok && sc.ownProvider(p), ok
}

// ownGroup reports whether group code belongs to the coordinator; known is
// false for a group that exists nowhere.
func (sc *importScope) ownGroup(code string) (own, known bool) {
	m, ok := sc.groups[code]
	if !ok {
		return false, false
	}
	own, _ = sc.ownModule(m)
	return own, true
}

// check runs the rules over every table of b, in import order.
func (sc *importScope) check(b *interchange.Batch) {
	pos := func(entity string, i int) interchange.Pos {
		if ps := b.Pos[entity]; i < len(ps) {
			return ps[i]
		}
		return interchange.Pos{File: entity, Row: i + 2}
	}
	ds := &b.DataSet

	for i, p := range ds.Providers {
		if !sc.ownProvider(p.Code) {
			sc.fail(pos("providers", i), "code", "imp.scope.provider", p.Code, sc.own)
		}
	}
	// Modules and groups of the batch count as they will be after the
	// import, but one that another provider has already stays theirs.
	for i, m := range ds.Modules {
		at := pos("modules", i)
		switch stored, had := sc.modules[m.Code], sc.stored["modules"][m.Code]; {
		case had && !sc.ownProvider(stored):
			sc.fail(at, "code", "imp.scope.module.other", m.Code)
		case m.Provider != "" && !sc.ownProvider(m.Provider):
			sc.fail(at, "provider", "imp.scope.provider", m.Provider, sc.own)
		default:
			if m.Provider != "" {
				sc.modules[m.Code] = m.Provider
			}
		}
	}
	for i, g := range ds.Goals {
		at := pos("goals", i)
		if m, had := sc.goals[g.Code]; had {
			if own, _ := sc.ownModule(m); !own || m == "" {
				sc.fail(at, "code", "imp.scope.goal.other", g.Code)
				continue
			}
		}
		if g.Module == "" {
			sc.fail(at, "module", "imp.scope.goal.shared")
		} else if own, known := sc.ownModule(g.Module); known && !own {
			sc.fail(at, "module", "imp.scope.module", g.Module)
		}
	}
	for i, g := range ds.Groups {
		at := pos("groups", i)
		if sc.stored["groups"][g.Code] {
			if own, _ := sc.ownGroup(g.Code); !own {
				sc.fail(at, "code", "imp.scope.group.other", g.Code)
				continue
			}
		}
		if own, known := sc.ownModule(g.Module); known && !own {
			sc.fail(at, "module", "imp.scope.module", g.Module)
		} else if g.Module != "" {
			sc.groups[g.Code] = g.Module
		}
	}

	// A learner is the coordinator's when the database links them to one of
	// their providers, or a row of this import does.
	for _, r := range ds.Referrals {
		if sc.ownProvider(r.Provider) {
			sc.linked[r.Learner] = true
		}
	}
	for _, p := range ds.Placements {
		if own, _ := sc.ownModule(p.Module); own {
			sc.linked[p.Learner] = true
		}
	}
	for _, e := range ds.Enrollments {
		if own, _ := sc.ownGroup(e.Group); own {
			sc.linked[e.Learner] = true
		}
	}
	for _, o := range ds.Outflows {
		if sc.ownProvider(o.Provider) {
			sc.linked[o.Learner] = true
		}
	}
	learner := func(at interchange.Pos, column, id string) {
		if id != "" && !sc.linked[id] {
			sc.fail(at, column, "imp.scope.learner", id)
		}
	}
	module := func(at interchange.Pos, code string) {
		if own, known := sc.ownModule(code); known && !own {
			sc.fail(at, "module", "imp.scope.module", code)
		}
	}
	group := func(at interchange.Pos, code string) {
		if own, known := sc.ownGroup(code); known && !own {
			sc.fail(at, "group", "imp.scope.group", code)
		}
	}

	for i, l := range ds.Learners {
		learner(pos("learners", i), "id", l.ID)
	}
	for i, g := range ds.LearnerGoals {
		learner(pos("learner_goals", i), "learner", g.Learner)
	}
	for i, r := range ds.Referrals {
		at := pos("referrals", i)
		if r.Provider == "" {
			sc.fail(at, "provider", "imp.scope.provider.blank", sc.own)
		} else if !sc.ownProvider(r.Provider) {
			sc.fail(at, "provider", "imp.scope.provider", r.Provider, sc.own)
		}
	}
	for i, p := range ds.Placements {
		module(pos("placements", i), p.Module)
	}
	for i, e := range ds.Enrollments {
		group(pos("enrollments", i), e.Group)
	}
	for i, e := range ds.Evaluations {
		at := pos("evaluations", i)
		if e.Group == "" {
			learner(at, "learner", e.Learner)
		} else {
			group(at, e.Group)
		}
	}
	for i, c := range ds.Certificates {
		at := pos("certificates", i)
		if c.Module == "" {
			learner(at, "learner", c.Learner)
		} else {
			module(at, c.Module)
		}
	}
	for i, o := range ds.Outflows {
		at := pos("outflows", i)
		if o.Provider == "" {
			learner(at, "learner", o.Learner)
		} else if !sc.ownProvider(o.Provider) {
			sc.fail(at, "provider", "imp.scope.provider", o.Provider, sc.own)
		}
	}
	for i, f := range ds.FollowUps {
		learner(pos("followups", i), "learner", f.Learner)
	}
}

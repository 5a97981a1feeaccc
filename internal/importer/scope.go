package importer

import (
	"context"
	"slices"
	"strings"

	"github.com/traject-nt2/traject/internal/auth"
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
//   - referrals: naming one of their providers;
//   - outflows: by the outflow form's rule, auth.CanWriteOutflowFrom: a
//     provider of theirs (or none), and no outflow another provider
//     recorded for the learner on the same date (the outflow's key) is
//     replaced;
//   - lessons, placements, enrollments, attendance, evaluations,
//     certificates, observations: into their own modules or groups (an external test or a certificate
//     without a module names no group or module);
//   - survey responses: of one of their providers, and not under a
//     response id that another provider's answer holds;
//   - learners: every row of every file names only a learner the
//     coordinator may see (store.VisibleLearners, the linking rule of
//     domain.ProviderLinks) or one this import creates. A new learner
//     without a referral, placement, enrollment or outflow of theirs in
//     the same import becomes their provider's learner by a link the import
//     makes (domain.LearnerLink, dated the day of the import): to the
//     coordinator's one provider, or to the one they chose
//     (Options.LinkProvider) when they have several; a coordinator of
//     several who chose none is asked to. A learners.csv row of a number
//     another provider's learner has is refused: a new link to an existing
//     learner is made by an admin, or by a coordinator of a provider the
//     learner already has (spec/README.md, "Who uses it": a coordinator
//     sees everything of their provider(s), and nothing of another's).
//
// A learner the coordinator may not see is, to the rest of the import,
// a learner who does not exist: Known is narrowed to theirs (Scoped), so
// that a row naming one gets the answer a number that exists nowhere gets
// (same message, no counts), and no check reads another provider's
// learner's birth date or enrollments. Only the learners.csv row of a
// taken number, and a survey response id in use, tell that much — as any
// unique key does — and nothing more.
//
// References to records that exist nowhere are left to the importer, which
// reports them; so is every other rule.

// importScope holds what the scope check knows about the coordinator's
// reach, from the database and the batch together.
type importScope struct {
	lang      string
	u         *domain.User
	today     domain.Date // the date of the links made for new learners
	linkTo    string      // the provider new learners are linked to, "" when none can be
	newLinks  []domain.LearnerLink
	own       string                     // the coordinator's providers, for messages
	modules   map[string]string          // module -> provider, the batch's over the database's
	groups    map[string]string          // group -> module, likewise
	goals     map[string]string          // stored goal -> module
	stored    map[string]map[string]bool // entity -> codes stored (modules, groups)
	visible   map[string]bool            // stored learners the coordinator may see
	learners  map[string]domain.Date     // every stored learner (Known's, before narrowing)
	responses map[string]string          // stored survey response id -> provider
	links     *domain.DataSet            // the stored records that link learners to providers (for outflows)
	readError map[interchange.Pos]map[string]bool
	errs      []interchange.RowError
}

// ScopeErrors returns an error for every row of b outside the providers of
// opt.User (a coordinator), and known narrowed to what they may name (see
// above); readErrs are the errors Read found, so that a value that could
// not be read is not reported twice. When there is no error, the links that
// make the import's new learners theirs are added to b (LearnerLinks). For
// an admin it returns no errors and known as it is.
func ScopeErrors(ctx context.Context, db *store.DB, opt Options, b *interchange.Batch,
	readErrs []interchange.RowError, known *interchange.Known) ([]interchange.RowError, *interchange.Known, error) {
	lang, u := opt.Lang, opt.User
	if u.Role == domain.RoleAdmin {
		return nil, known, nil
	}
	entities := []string{"modules", "goals", "groups"}
	if len(b.Outflows) > 0 {
		entities = append(entities, "referrals", "placements", "enrollments", "outflows")
	}
	ds, err := db.LoadDataSet(ctx, entities...)
	if err != nil {
		return nil, nil, err
	}
	visible, err := db.VisibleLearners(ctx, u)
	if err != nil {
		return nil, nil, err
	}
	responses := map[string]string{}
	if len(b.SurveyResponses) > 0 {
		if responses, err = db.SurveyResponseProviders(ctx); err != nil {
			return nil, nil, err
		}
	}
	sc := &importScope{lang: lang, u: u, own: strings.Join(u.Providers, ", "),
		modules: map[string]string{}, groups: map[string]string{}, goals: map[string]string{},
		stored: map[string]map[string]bool{"modules": {}, "groups": {}}, visible: visible,
		learners: known.Learners, responses: responses, links: ds, readError: map[interchange.Pos]map[string]bool{},
		today: opt.Today}
	switch {
	case opt.LinkProvider != "" && u.HasProvider(opt.LinkProvider):
		sc.linkTo = opt.LinkProvider
	case opt.LinkProvider == "" && len(u.Providers) == 1:
		sc.linkTo = u.Providers[0]
	}
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
	if len(sc.errs) == 0 {
		b.LearnerLinks = append(b.LearnerLinks, sc.newLinks...)
	}
	return sc.errs, sc.narrow(known), nil
}

// narrow returns known with only the learners the coordinator may see, and
// only their enrollments and attendance, marked Scoped: what the rest of the import may
// find of learners.
func (sc *importScope) narrow(known *interchange.Known) *interchange.Known {
	n := *known
	n.Scoped = true
	n.Learners = make(map[string]domain.Date, len(sc.visible))
	for id, birth := range known.Learners {
		if sc.visible[id] {
			n.Learners[id] = birth
		}
	}
	if known.Enrollments != nil {
		n.Enrollments = make(map[[2]string]domain.Enrollment, len(known.Enrollments))
		for k, e := range known.Enrollments {
			if sc.visible[e.Learner] {
				n.Enrollments[k] = e
			}
		}
	}
	if known.Attendance != nil {
		n.Attendance = slices.DeleteFunc(slices.Clone(known.Attendance), func(a domain.Attendance) bool { return !sc.visible[a.Learner] })
	}
	return &n
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

	sc.checkLearners(ds, pos)
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
	provider := func(at interchange.Pos, code string) {
		if code != "" && !sc.ownProvider(code) {
			sc.fail(at, "provider", "imp.scope.provider", code, sc.own)
		}
	}

	// Every other row's learner is Validate's, against the narrowed Known.
	for i, r := range ds.Referrals {
		at := pos("referrals", i)
		if r.Provider == "" {
			sc.fail(at, "provider", "imp.scope.provider.blank", sc.own)
		}
		provider(at, r.Provider)
	}
	for i, p := range ds.Placements {
		module(pos("placements", i), p.Module)
	}
	for i, l := range ds.Lessons {
		group(pos("lessons", i), l.Group)
	}
	for i, e := range ds.Enrollments {
		group(pos("enrollments", i), e.Group)
	}
	for i, a := range ds.Attendance {
		group(pos("attendance", i), a.Group)
	}
	for i, e := range ds.Evaluations {
		if e.Group != "" {
			group(pos("evaluations", i), e.Group)
		}
	}
	for i, c := range ds.Certificates {
		if c.Module != "" {
			module(pos("certificates", i), c.Module)
		}
	}
	sc.checkOutflows(ds, pos)
	for i, o := range ds.Observations {
		group(pos("observations", i), o.Group)
	}
	for i, r := range ds.SurveyResponses {
		at := pos("survey_responses", i)
		provider(at, r.Provider)
		if p, had := sc.responses[r.ID]; had && !sc.ownProvider(p) {
			sc.fail(at, "id", "imp.scope.response.taken", r.ID)
		}
	}
}

// checkLearners checks the rows of learners.csv: a learner the coordinator
// may see is theirs to change; a number another provider's learner has is
// refused, saying only that it is taken; a new learner is linked to one of
// their providers by a row of this import, by the linking rule of
// domain.ProviderLinks over the modules and groups as they will be, or
// else by a link the import makes (sc.newLinks) to the provider chosen.
func (sc *importScope) checkLearners(ds *domain.DataSet, pos func(string, int) interchange.Pos) {
	created := map[string]bool{}
	for _, l := range ds.Learners {
		if _, had := sc.learners[l.ID]; !had {
			created[l.ID] = true
		}
	}
	linked := sc.providerLinks().LearnerProviders(ds, created)
	linkedNow := map[string]bool{}
	for i, l := range ds.Learners {
		at := pos("learners", i)
		switch {
		case l.ID == "" || sc.visible[l.ID]:
		case !created[l.ID]:
			sc.fail(at, "id", "imp.scope.learner.taken", l.ID)
		case slices.ContainsFunc(linked[l.ID], sc.ownProvider):
		case sc.today == 0:
			sc.fail(at, "id", "imp.scope.learner", l.ID)
		case sc.linkTo == "":
			sc.fail(at, "id", "imp.scope.learner.which", l.ID, sc.own)
		case !linkedNow[l.ID]: // a learner listed twice is linked once (Validate reports the duplicate)
			linkedNow[l.ID] = true
			sc.newLinks = append(sc.newLinks, domain.LearnerLink{Learner: l.ID, Provider: sc.linkTo, Date: sc.today})
		}
	}
}

// providerLinks is domain.ProviderLinks over the modules and groups as they
// will be after the import.
func (sc *importScope) providerLinks() domain.ProviderLinks {
	links := domain.ProviderLinks{Module: sc.modules, Group: make(map[string]string, len(sc.groups))}
	for g, m := range sc.groups {
		links.Group[g] = sc.modules[m]
	}
	return links
}

// outflowKey is the natural key of an outflow.
type outflowKey struct {
	learner string
	date    domain.Date
}

// checkOutflows asks the outflow form's rule, auth.CanWriteOutflowFrom, of
// every outflow row of ds, with the links the learner will have after the
// import: the stored ones of a learner the coordinator may see, and this
// import's rows (of which the outflow itself is one: an import may link a
// learner of theirs to another of their providers, as a referral row may).
// Another provider's learner is here, as in the rest of the scope check,
// one who exists nowhere: their stored records are not read, so that the
// answer for their number is the answer for a number nobody has. A row
// naming a provider the rule refuses is refused on provider; one whose key
// holds an outflow stored from a provider the rule refuses (another's) is
// refused on date, with the outflow form's message, whatever provider the
// row names: its figures are that provider's.
func (sc *importScope) checkOutflows(ds *domain.DataSet, pos func(string, int) interchange.Pos) {
	if len(ds.Outflows) == 0 {
		return
	}
	ids := make(map[string]bool, len(ds.Outflows))
	for _, o := range ds.Outflows {
		ids[o.Learner] = true
	}
	seen := func(l string) bool { return ids[l] && sc.visible[l] }
	will := &domain.DataSet{}
	stored := map[outflowKey]string{} // a seen learner's stored outflow -> its provider
	for _, r := range sc.links.Referrals {
		if seen(r.Learner) {
			will.Referrals = append(will.Referrals, r)
		}
	}
	for _, p := range sc.links.Placements {
		if seen(p.Learner) {
			will.Placements = append(will.Placements, p)
		}
	}
	for _, e := range sc.links.Enrollments {
		if seen(e.Learner) {
			will.Enrollments = append(will.Enrollments, e)
		}
	}
	for _, o := range sc.links.Outflows {
		if seen(o.Learner) {
			will.Outflows = append(will.Outflows, o)
			stored[outflowKey{o.Learner, o.Date}] = o.Provider
		}
	}
	will.Referrals = append(will.Referrals, ds.Referrals...)
	will.Placements = append(will.Placements, ds.Placements...)
	will.Enrollments = append(will.Enrollments, ds.Enrollments...)
	will.Outflows = append(will.Outflows, ds.Outflows...)
	providers := sc.providerLinks().LearnerProviders(will, ids)
	for i, o := range ds.Outflows {
		at := pos("outflows", i)
		facts := auth.LearnerFacts{ID: o.Learner, Providers: providers[o.Learner]}
		if o.Provider != "" && !auth.CanWriteOutflowFrom(sc.u, facts, o.Provider) {
			sc.fail(at, "provider", "imp.scope.provider", o.Provider, sc.own)
		} else if old, had := stored[outflowKey{o.Learner, o.Date}]; had && !auth.CanWriteOutflowFrom(sc.u, facts, old) {
			sc.fail(at, "date", "v.outflow.other")
		}
	}
}

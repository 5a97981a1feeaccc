package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/store"
)

// The scope fixture: three providers, a module and a group each, and
// learners of their own.
//
//	L-OWN     referred to PA, in GA, observed in GA, answered R-OWN (PA)
//	L-OTHER   referred to PB, in GB, observed in GB, answered R-OTHER (PB)
//	L-SHARED  referred to PA, but in GB (PB's group) and observed there
var (
	coordA  = &domain.User{Username: "ka", Role: domain.RoleCoordinator, Providers: []string{"PA"}}
	coordAC = &domain.User{Username: "kac", Role: domain.RoleCoordinator, Providers: []string{"PA", "PC"}}
)

func scopeFixture() *domain.DataSet {
	d := domain.MustDate
	learner := func(id, last string) domain.Learner {
		return domain.Learner{ID: id, FirstName: "Eerst", LastName: last, BirthDate: d("1988-04-04"), Gender: "x",
			SchoolingLevel: "primary", Literacy: "literate_other_script", LearningRoute: "standard", CivicStatus: "obliged",
			Perspective: "work", Counsellor: "c1"}
	}
	module := func(code, provider string) domain.Module {
		return domain.Module{Code: code, Provider: provider, Name: "Module " + code, Programme: "NT2", EntryLevel: 0, TargetLevel: 2,
			Skills: domain.AllSkills, NominalHours: 120}
	}
	group := func(code, module string) domain.Group {
		return domain.Group{Code: code, Module: module, StartDate: d("2026-01-05"), EndDate: d("2026-06-26"), PlannedHours: 120,
			Intensity: "standard"}
	}
	enroll := func(l, g string) domain.Enrollment {
		return domain.Enrollment{Learner: l, Group: g, StartDate: d("2026-01-05"), Status: "active", HoursAttended: 10}
	}
	observe := func(l, g string) domain.Observation {
		return domain.Observation{Learner: l, Group: g, Date: d("2026-02-02"), Wellbeing: 3, Involvement: 4, Note: "stil"}
	}
	answer := func(id, provider, l, g string) domain.SurveyResponse {
		return domain.SurveyResponse{ID: id, Provider: provider, Date: d("2026-02-10"), Respondent: "learner", Learner: l, Group: g,
			Wellbeing: 2, Satisfaction: 4, Comment: "geheim"}
	}
	return &domain.DataSet{
		Providers: []domain.Provider{{Code: "PA", Name: "A", Type: "cvo"}, {Code: "PB", Name: "B", Type: "cbe"}, {Code: "PC", Name: "C", Type: "utc"}},
		Modules:   []domain.Module{module("MA", "PA"), module("MB", "PB"), module("MC", "PC")},
		Groups:    []domain.Group{group("GA", "MA"), group("GB", "MB"), group("GC", "MC")},
		Learners:  []domain.Learner{learner("L-OWN", "Eigen"), learner("L-OTHER", "Ander"), learner("L-SHARED", "Gedeeld")},
		Referrals: []domain.Referral{{Learner: "L-OWN", Date: d("2025-12-01"), Source: "vdab", Provider: "PA"},
			{Learner: "L-OTHER", Date: d("2025-12-01"), Source: "vdab", Provider: "PB"},
			{Learner: "L-SHARED", Date: d("2025-12-01"), Source: "vdab", Provider: "PA"}},
		Enrollments:     []domain.Enrollment{enroll("L-OWN", "GA"), enroll("L-OTHER", "GB"), enroll("L-SHARED", "GB")},
		Observations:    []domain.Observation{observe("L-OWN", "GA"), observe("L-OTHER", "GB"), observe("L-SHARED", "GB")},
		SurveyResponses: []domain.SurveyResponse{answer("R-OWN", "PA", "L-OWN", "GA"), answer("R-OTHER", "PB", "L-OTHER", "GB")},
	}
}

// newScopeDB is a database holding the scope fixture, stored as the CLI
// stores it (no user).
func newScopeDB(t *testing.T) *store.DB {
	t.Helper()
	db := newDB(t)
	if rep, err := DataSet(context.Background(), db, scopeFixture(), Options{}); err != nil || !rep.OK() {
		t.Fatalf("store the fixture: %v %v", err, rep.Errors)
	}
	return db
}

// snapshot is everything the database holds, a line per record, sorted:
// the backends read rows in no particular order.
func snapshot(t *testing.T, db *store.DB) []string {
	t.Helper()
	ds, err := db.LoadDataSet(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	v := reflect.ValueOf(*ds)
	for i := range v.NumField() {
		for j := range v.Field(i).Len() {
			b, err := json.Marshal(v.Field(i).Index(j).Interface())
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v.Type().Field(i).Name+" "+string(b))
		}
	}
	slices.Sort(out)
	return out
}

// answerOf is what an import tells its user, in English: every error in
// order, then the counts, with learner's number (when not "") written as
// X, so that the answers for two numbers can be compared.
func answerOf(rep *Report, learner string) string {
	var b strings.Builder
	for _, e := range rep.Errors {
		fmt.Fprintf(&b, "%s:%d: %s: %s\n", e.Pos.File, e.Pos.Row, e.Column, e.In("en"))
	}
	for _, c := range rep.Counts {
		fmt.Fprintf(&b, "%s: %d inserted, %d updated, %d unchanged\n", c.Entity, c.Inserted, c.Updated, c.Unchanged)
	}
	if learner == "" {
		return b.String()
	}
	return strings.ReplaceAll(b.String(), learner, "X")
}

// importAs runs the import of ds as u, failing the test on an error that is
// not the data's.
func importAs(t *testing.T, db *store.DB, u *domain.User, ds *domain.DataSet, dryRun bool) *Report {
	t.Helper()
	rep, err := DataSet(context.Background(), db, ds, Options{User: u, Lang: "en", DryRun: dryRun})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// claims are rows that each name one learner, in every file that can: a
// coordinator of PA may write none of them about a learner who is not
// theirs.
var claims = []struct {
	name string
	rows func(id string) *domain.DataSet
}{
	{"referral", func(id string) *domain.DataSet {
		return &domain.DataSet{Referrals: []domain.Referral{{Learner: id, Date: domain.MustDate("2026-03-01"), Source: "self", Provider: "PA"}}}
	}},
	{"placement", func(id string) *domain.DataSet {
		return &domain.DataSet{Placements: []domain.Placement{{Learner: id, Date: domain.MustDate("2026-03-01"), Module: "MA", Method: "test",
			Levels: domain.Levels{0, 0, 0, 0, 0}}}}
	}},
	{"enrollment", func(id string) *domain.DataSet {
		return &domain.DataSet{Enrollments: []domain.Enrollment{{Learner: id, Group: "GA", StartDate: domain.MustDate("2026-03-01"), Status: "active"}}}
	}},
	{"outflow from PA", func(id string) *domain.DataSet {
		return &domain.DataSet{Outflows: []domain.Outflow{{Learner: id, Date: domain.MustDate("2026-03-01"), Type: "qualified", Provider: "PA"}}}
	}},
	{"outflow without provider", func(id string) *domain.DataSet {
		return &domain.DataSet{Outflows: []domain.Outflow{{Learner: id, Date: domain.MustDate("2026-03-01"), Type: "qualified"}}}
	}},
	{"learner goal", func(id string) *domain.DataSet {
		return &domain.DataSet{LearnerGoals: []domain.LearnerGoal{{Learner: id, Skill: domain.Listening, TargetLevel: 2, SetDate: domain.MustDate("2026-03-01")}}}
	}},
	{"evaluation in an own group", func(id string) *domain.DataSet {
		return &domain.DataSet{Evaluations: []domain.Evaluation{{Learner: id, Group: "GA", Date: domain.MustDate("2026-03-01"), Kind: "formative",
			Levels: domain.Levels{1, 1, 1, 1, 1}, Decision: "none"}}}
	}},
	{"external test", func(id string) *domain.DataSet {
		return &domain.DataSet{Evaluations: []domain.Evaluation{{Learner: id, Date: domain.MustDate("2026-03-01"), Kind: "external_test",
			Levels: domain.Levels{1, 1, 1, 1, 1}, Decision: "none"}}}
	}},
	{"module certificate", func(id string) *domain.DataSet {
		return &domain.DataSet{Certificates: []domain.Certificate{{Learner: id, Kind: "module", Module: "MA", Date: domain.MustDate("2026-03-01")}}}
	}},
	{"external certificate", func(id string) *domain.DataSet {
		return &domain.DataSet{Certificates: []domain.Certificate{{Learner: id, Kind: "external", Date: domain.MustDate("2026-03-01")}}}
	}},
	{"follow-up", func(id string) *domain.DataSet {
		return &domain.DataSet{FollowUps: []domain.FollowUp{{Learner: id, Date: domain.MustDate("2026-03-01"), Status: "work"}}}
	}},
	{"observation in an own group", func(id string) *domain.DataSet {
		return &domain.DataSet{Observations: []domain.Observation{{Learner: id, Group: "GA", Date: domain.MustDate("2026-03-02"), Wellbeing: 3}}}
	}},
	{"survey response of PA", func(id string) *domain.DataSet {
		return &domain.DataSet{SurveyResponses: []domain.SurveyResponse{{ID: "R-NEW", Provider: "PA", Date: domain.MustDate("2026-03-02"),
			Respondent: "learner", Learner: id, Wellbeing: 3}}}
	}},
}

// A coordinator cannot claim another provider's learner through any row
// of an import (issue 18, finding 1): the row is refused, nothing is
// stored, and the answer, dry run or not, is the one a number that exists
// nowhere gets, so that it does not tell whether the number exists.
func TestClaimByImportRefused(t *testing.T) {
	db := newScopeDB(t)
	before := snapshot(t, db)
	for _, tc := range claims {
		t.Run(tc.name, func(t *testing.T) {
			for _, dryRun := range []bool{true, false} {
				other := importAs(t, db, coordA, tc.rows("L-OTHER"), dryRun)
				nowhere := importAs(t, db, coordA, tc.rows("L-NOWHERE"), dryRun)
				if other.OK() {
					t.Fatalf("dry run %v: a row naming another provider's learner was accepted: %s", dryRun, answerOf(other, "L-OTHER"))
				}
				if got, want := answerOf(other, "L-OTHER"), answerOf(nowhere, "L-NOWHERE"); got != want {
					t.Fatalf("dry run %v: the answer tells that the learner exists elsewhere:\nexisting elsewhere:\n%sexisting nowhere:\n%s",
						dryRun, got, want)
				}
				if after := snapshot(t, db); !slices.Equal(after, before) {
					t.Fatalf("dry run %v: a refused import changed the database", dryRun)
				}
			}
		})
	}
}

// A learners.csv row cannot overwrite another provider's learner, not even
// with a referral of the coordinator's own beside it; its message tells
// that the number is taken, and nothing of the learner or their provider.
func TestClaimByLearnerRowRefused(t *testing.T) {
	db := newScopeDB(t)
	before := snapshot(t, db)
	l := scopeFixture().Learners[1] // L-OTHER
	l.FirstName, l.LastName, l.Counsellor, l.BirthDate = "Gekaapt", "Overgenomen", "k9", domain.MustDate("1970-01-01")
	for _, ds := range []*domain.DataSet{
		{Learners: []domain.Learner{l}},
		{Learners: []domain.Learner{l}, Referrals: []domain.Referral{{Learner: l.ID, Date: domain.MustDate("2026-03-01"), Source: "self", Provider: "PA"}}},
	} {
		rep := importAs(t, db, coordA, ds, false)
		if rep.OK() {
			t.Fatalf("another provider's learner was overwritten: %v", rep.Counts)
		}
		if len(rep.Errors) != 1 || rep.Errors[0].Pos.File != "learners.csv" || rep.Errors[0].Column != "id" {
			t.Fatalf("errors %v, want one on learners.csv's id", rep.Errors)
		}
		for _, lang := range []string{"en", "nl"} {
			m := rep.Errors[0].In(lang)
			for _, secret := range []string{"PB", "Ander", "1988", "c1", "GB"} {
				if strings.Contains(m, secret) {
					t.Errorf("the %s message %q tells %q", lang, m, secret)
				}
			}
		}
		if after := snapshot(t, db); !slices.Equal(after, before) {
			t.Fatal("a refused import changed the database")
		}
	}
}

// What a coordinator may still do: change their own learner, create a new
// learner with their referral, and link their learner to another of their
// own providers.
func TestImportOwnLearners(t *testing.T) {
	ctx := context.Background()
	db := newScopeDB(t)
	d := domain.MustDate
	own := scopeFixture().Learners[0]
	own.FirstName = "Hernoemd"
	newcomer := own
	newcomer.ID, newcomer.LastName = "L-NEW", "Nieuw"
	for _, tc := range []struct {
		name string
		u    *domain.User
		ds   *domain.DataSet
	}{
		{"own learner", coordA, &domain.DataSet{Learners: []domain.Learner{own},
			Placements: []domain.Placement{{Learner: own.ID, Date: d("2026-03-01"), Module: "MA", Method: "test", Levels: domain.Levels{0, 0, 0, 0, 0}}},
			Outflows:   []domain.Outflow{{Learner: own.ID, Date: d("2026-03-05"), Type: "qualified"}}}},
		{"new learner with their referral", coordA, &domain.DataSet{Learners: []domain.Learner{newcomer},
			Referrals: []domain.Referral{{Learner: "L-NEW", Date: d("2026-03-01"), Source: "self", Provider: "PA"}},
			FollowUps: []domain.FollowUp{{Learner: "L-NEW", Date: d("2026-03-05"), Status: "work"}}}},
		{"own learner to another own provider", coordAC, &domain.DataSet{
			Referrals:   []domain.Referral{{Learner: own.ID, Date: d("2026-03-01"), Source: "other", Provider: "PC"}},
			Enrollments: []domain.Enrollment{{Learner: own.ID, Group: "GC", StartDate: d("2026-03-01"), Status: "active"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if rep := importAs(t, db, tc.u, tc.ds, false); !rep.OK() {
				t.Fatalf("refused: %s", answerOf(rep, ""))
			}
		})
	}
	pc := &domain.User{Username: "kc", Role: domain.RoleCoordinator, Providers: []string{"PC"}}
	visible, err := db.VisibleLearners(ctx, pc)
	if err != nil || !visible["L-OWN"] || visible["L-OTHER"] {
		t.Fatalf("PC's learners after the link: %v %v", visible, err)
	}
	ds, err := db.LoadDataSet(ctx, "learners")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ds.Learners {
		if l.ID == own.ID && l.FirstName != "Hernoemd" {
			t.Fatalf("own learner's change not stored: %+v", l)
		}
	}
}

// Observations and survey responses are in the scope check too (issue 18,
// finding 2): none goes into another provider's group or overwrites
// another provider's response, and a dry run does not tell whether a guess
// of the stored scores was right.
func TestObservationAndSurveyScope(t *testing.T) {
	db := newScopeDB(t)
	before := snapshot(t, db)
	stored := scopeFixture()
	obsOther, obsShared, respOther := stored.Observations[1], stored.Observations[2], stored.SurveyResponses[1]
	changed := func(o domain.Observation) domain.Observation { o.Wellbeing = 1; return o }
	respOwnProvider := respOther
	respOwnProvider.Provider, respOwnProvider.Learner, respOwnProvider.Group = "PA", "L-OWN", "GA"
	respWrongGuess := respOwnProvider
	respWrongGuess.Wellbeing = 5
	respOtherGuess := respOther
	respOtherGuess.Satisfaction = 1
	for _, tc := range []struct {
		name         string
		guess, wrong *domain.DataSet // the stored values, and other ones
	}{
		{"observation of another's learner in another's group",
			&domain.DataSet{Observations: []domain.Observation{obsOther}}, &domain.DataSet{Observations: []domain.Observation{changed(obsOther)}}},
		{"observation of an own learner in another's group",
			&domain.DataSet{Observations: []domain.Observation{obsShared}}, &domain.DataSet{Observations: []domain.Observation{changed(obsShared)}}},
		{"another's response id, for the own provider",
			&domain.DataSet{SurveyResponses: []domain.SurveyResponse{respOwnProvider}}, &domain.DataSet{SurveyResponses: []domain.SurveyResponse{respWrongGuess}}},
		{"another's response, as stored",
			&domain.DataSet{SurveyResponses: []domain.SurveyResponse{respOther}}, &domain.DataSet{SurveyResponses: []domain.SurveyResponse{respOtherGuess}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, dryRun := range []bool{true, false} {
				guess, wrong := importAs(t, db, coordA, tc.guess, dryRun), importAs(t, db, coordA, tc.wrong, dryRun)
				if guess.OK() || wrong.OK() {
					t.Fatalf("dry run %v: accepted: %s%s", dryRun, answerOf(guess, ""), answerOf(wrong, ""))
				}
				if len(guess.Counts) != 0 || len(wrong.Counts) != 0 {
					t.Fatalf("dry run %v: a refused import reports counts: %v %v", dryRun, guess.Counts, wrong.Counts)
				}
				if g, w := answerOf(guess, ""), answerOf(wrong, ""); g != w {
					t.Fatalf("dry run %v: a right guess of the scores answers otherwise than a wrong one:\n%s\n%s", dryRun, g, w)
				}
				if after := snapshot(t, db); !slices.Equal(after, before) {
					t.Fatalf("dry run %v: a refused import changed the database", dryRun)
				}
			}
		})
	}
	// Their own still go in: an observation in their group, a new response
	// and a change of their own.
	ownObs := stored.Observations[0]
	ownObs.Involvement = 5
	ownResp := stored.SurveyResponses[0]
	ownResp.Satisfaction = 5
	newResp := domain.SurveyResponse{ID: "R-NEW", Provider: "PA", Date: domain.MustDate("2026-03-02"), Respondent: "learner",
		Learner: "L-SHARED", Group: "GA", Wellbeing: 4}
	rep := importAs(t, db, coordA, &domain.DataSet{Observations: []domain.Observation{ownObs},
		SurveyResponses: []domain.SurveyResponse{ownResp, newResp}}, false)
	if !rep.OK() {
		t.Fatalf("own observation and responses refused: %s", answerOf(rep, ""))
	}
	if ins, upd, _ := totals(rep.Counts); ins != 1 || upd != 2 {
		t.Fatalf("own rows: %d inserted, %d updated; want 1, 2", ins, upd)
	}
}

// An import asks the web's rule for the provider of an outflow
// (auth.CanWriteOutflowFrom, issue 18, finding 3): a coordinator's import
// does not replace the outflow another provider recorded for a learner
// they share on the same date (the outflow's key), neither with their own
// provider nor with none; the message is the outflow form's. An outflow
// of theirs on another date goes in.
func TestImportKeepsAnotherProvidersOutflow(t *testing.T) {
	db := newScopeDB(t)
	d := domain.MustDate
	theirs := domain.Outflow{Learner: "L-SHARED", Date: d("2026-03-01"), Type: "early_leaver", Reason: "work", Provider: "PB"}
	if rep, err := DataSet(context.Background(), db, &domain.DataSet{Outflows: []domain.Outflow{theirs}}, Options{}); err != nil || !rep.OK() {
		t.Fatalf("store PB's outflow: %v %v", err, rep.Errors)
	}
	before := snapshot(t, db)
	for _, provider := range []string{"PA", ""} {
		mine := domain.Outflow{Learner: "L-SHARED", Date: theirs.Date, Type: "qualified", Provider: provider}
		for _, dryRun := range []bool{true, false} {
			for _, lang := range []string{"en", "nl"} {
				rep, err := DataSet(context.Background(), db, &domain.DataSet{Outflows: []domain.Outflow{mine}},
					Options{User: coordA, Lang: lang, DryRun: dryRun})
				if err != nil {
					t.Fatal(err)
				}
				if rep.OK() {
					t.Fatalf("provider %q, dry run %v: PB's outflow was replaced: %v", provider, dryRun, rep.Counts)
				}
				if len(rep.Errors) != 1 || rep.Errors[0].Pos.File != "outflows.csv" || rep.Errors[0].Column != "date" {
					t.Fatalf("provider %q: errors %s, want one on outflows.csv's date", provider, answerOf(rep, ""))
				}
				if got, want := rep.Errors[0].In(lang), locale.T(lang, "v.outflow.other"); got != want {
					t.Errorf("provider %q, %s: %q, want the outflow form's %q", provider, lang, got, want)
				}
				if after := snapshot(t, db); !slices.Equal(after, before) {
					t.Fatalf("provider %q, dry run %v: a refused import changed the database", provider, dryRun)
				}
			}
		}
	}
	mine := domain.Outflow{Learner: "L-SHARED", Date: d("2026-03-02"), Type: "qualified", Provider: "PA"}
	if rep := importAs(t, db, coordA, &domain.DataSet{Outflows: []domain.Outflow{mine}}, false); !rep.OK() {
		t.Fatalf("an own outflow on another date refused: %s", answerOf(rep, ""))
	}
}

// TestImportScopeAgreesWithLinkRule holds the import's scope to the one
// linking rule of domain.ProviderLinks, as the visibility filter's test in
// store holds the SQL filters to it: a coordinator's import may name a
// stored learner (here: give them a follow-up) exactly when the rule links
// that learner to one of the coordinator's providers (through
// store.VisibleLearners, the rule's SQL twin), and may create a learner
// exactly when a row of the import links them to one (checkLearners). The
// stored learners are linked through each kind of record, outflows
// included; so is each new one.
func TestImportScopeAgreesWithLinkRule(t *testing.T) {
	ctx := context.Background()
	db := newScopeDB(t)
	d := domain.MustDate
	base := scopeFixture().Learners[0]
	learner := func(id string) domain.Learner { l := base; l.ID = id; return l }
	more := &domain.DataSet{Learners: []domain.Learner{learner("L-PLACED"), learner("L-LEFT"), learner("L-LINKED")},
		LearnerLinks: []domain.LearnerLink{{Learner: "L-LINKED", Provider: "PC", Date: d("2026-01-02")}},
		Placements:   []domain.Placement{{Learner: "L-PLACED", Date: d("2026-01-02"), Module: "MC", Method: "test", Levels: domain.NoLevels}},
		Outflows:     []domain.Outflow{{Learner: "L-LEFT", Date: d("2026-01-02"), Type: "qualified", Provider: "PC"}}}
	if rep, err := DataSet(ctx, db, more, Options{}); err != nil || !rep.OK() {
		t.Fatalf("store: %v %v", err, rep.Errors)
	}
	ds, err := db.LoadDataSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	linked := domain.NewProviderLinks(ds).LearnerProviders(ds, nil)
	coords := []*domain.User{coordA, coordAC,
		{Username: "kb", Role: domain.RoleCoordinator, Providers: []string{"PB"}},
		{Username: "kc", Role: domain.RoleCoordinator, Providers: []string{"PC"}}}
	for _, u := range coords {
		for _, l := range ds.Learners {
			rep := importAs(t, db, u, &domain.DataSet{FollowUps: []domain.FollowUp{{Learner: l.ID, Date: d("2026-04-01"), Status: "work"}}}, true)
			if want := slices.ContainsFunc(linked[l.ID], u.HasProvider); rep.OK() != want {
				t.Errorf("%s (%v) names %s (linked to %v): accepted %v, want %v: %s", u.Username, u.Providers, l.ID, linked[l.ID],
					rep.OK(), want, answerOf(rep, ""))
			}
		}
		for _, p := range []string{"PA", "PB", "PC"} {
			module, group := "M"+p[1:], "G"+p[1:]
			for _, link := range []struct {
				kind string
				ds   *domain.DataSet
			}{
				{"referral", &domain.DataSet{Referrals: []domain.Referral{{Learner: "L-NEW", Date: d("2026-03-01"), Source: "self", Provider: p}}}},
				{"placement", &domain.DataSet{Placements: []domain.Placement{{Learner: "L-NEW", Date: d("2026-03-01"), Module: module, Method: "test",
					Levels: domain.NoLevels}}}},
				{"enrollment", &domain.DataSet{Enrollments: []domain.Enrollment{{Learner: "L-NEW", Group: group, StartDate: d("2026-03-01"), Status: "active"}}}},
				{"outflow", &domain.DataSet{Outflows: []domain.Outflow{{Learner: "L-NEW", Date: d("2026-03-01"), Type: "qualified", Provider: p}}}},
			} {
				batch := link.ds
				batch.Learners = []domain.Learner{learner("L-NEW")}
				rep := importAs(t, db, u, batch, true)
				by := domain.NewProviderLinks(ds).LearnerProviders(batch, nil)["L-NEW"]
				if want := slices.ContainsFunc(by, u.HasProvider); rep.OK() != want {
					t.Errorf("%s (%v) creates a learner with a %s of %s: accepted %v, want %v: %s", u.Username, u.Providers, link.kind, p,
						rep.OK(), want, answerOf(rep, ""))
				}
			}
		}
	}
}

// A coordinator's learner list may create new learners (issue 20): they
// become the provider's learners by a link the import makes, dated the day
// of the import; importing the list again changes nothing; a coordinator of
// several providers says which one, and an existing learner of another
// provider is still refused.
func TestImportLinksNewLearners(t *testing.T) {
	ctx := context.Background()
	db := newScopeDB(t)
	today := domain.MustDate("2026-03-09")
	base := scopeFixture().Learners[0]
	learner := func(id string) domain.Learner { l := base; l.ID = id; return l }
	run := func(u *domain.User, linkTo string, ls ...domain.Learner) *Report {
		t.Helper()
		rep, err := DataSet(ctx, db, &domain.DataSet{Learners: ls}, Options{User: u, Lang: "en", Today: today, LinkProvider: linkTo})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	rep := run(coordA, "", learner("L-NEW"))
	if !rep.OK() {
		t.Fatalf("a new learner of PA's list refused: %s", answerOf(rep, ""))
	}
	if got, want := answerOf(rep, ""), "learners: 1 inserted, 0 updated, 0 unchanged\nlearner_links: 1 inserted, 0 updated, 0 unchanged\n"; got != want {
		t.Errorf("counts %q, want %q", got, want)
	}
	if rep := run(coordA, "", learner("L-NEW")); !rep.OK() || answerOf(rep, "") != "learners: 0 inserted, 0 updated, 1 unchanged\n" {
		t.Errorf("the same list again: %s", answerOf(rep, ""))
	}
	for _, tc := range []struct {
		u    *domain.User
		sees bool
	}{{coordA, true}, {&domain.User{Username: "kb", Role: domain.RoleCoordinator, Providers: []string{"PB"}}, false}} {
		visible, err := db.VisibleLearners(ctx, tc.u)
		if err != nil || visible["L-NEW"] != tc.sees {
			t.Errorf("%v sees L-NEW: %v, want %v (%v)", tc.u.Providers, visible["L-NEW"], tc.sees, err)
		}
	}
	ds, err := db.LoadDataSet(ctx, "learner_links")
	if err != nil {
		t.Fatal(err)
	}
	if want := []domain.LearnerLink{{Learner: "L-NEW", Provider: "PA", Date: today}}; !reflect.DeepEqual(ds.LearnerLinks, want) {
		t.Errorf("links %+v, want %+v", ds.LearnerLinks, want)
	}

	before := snapshot(t, db)
	other := learner("L-OTHER")
	if rep := run(coordA, "", other); rep.OK() || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].In("en"), "already in use") {
		t.Errorf("another provider's learner: %s", answerOf(rep, ""))
	}
	if rep := run(coordAC, "", learner("L-TWO")); rep.OK() || !strings.Contains(answerOf(rep, ""), "choose") {
		t.Errorf("a coordinator of two providers who chose none: %s", answerOf(rep, ""))
	}
	if rep := run(coordAC, "PB", learner("L-TWO")); rep.OK() {
		t.Errorf("linked to a provider not theirs: %s", answerOf(rep, ""))
	}
	if after := snapshot(t, db); !slices.Equal(after, before) {
		t.Fatal("a refused import changed the database")
	}
	if rep := run(coordAC, "PC", learner("L-TWO")); !rep.OK() {
		t.Fatalf("linked to PC: %s", answerOf(rep, ""))
	}
	pc := &domain.User{Username: "kc", Role: domain.RoleCoordinator, Providers: []string{"PC"}}
	if visible, err := db.VisibleLearners(ctx, pc); err != nil || !visible["L-TWO"] || visible["L-NEW"] {
		t.Errorf("PC's learners: %v %v", visible, err)
	}
}

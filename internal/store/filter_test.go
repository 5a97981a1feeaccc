package store

import (
	"context"
	"slices"
	"testing"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

// seedSQL is a small data set that links learners to providers in each of
// the ways LearnerFilter follows, and one (L8) linked by none:
//
//	L1 counsellor c1, enrolled in G1 (M1, P1, teacher t1)
//	L2 counsellor c2, enrolled in G2 (M2, P2, teacher t2)
//	L3 counsellor c1, only referred to P2
//	L4 only placed into M1 (P1)
//	L5 only flowed out from P1
//	L6 enrolled in G4 (M2, P2, no teacher)
//	L7 enrolled in G3 (M3, P3, teacher t1)
//	L8 referred to no provider, no counsellor: only an admin sees L8
//	L9 only linked to P3 by the import that created them (learner_links)
var seedSQL = []string{
	`INSERT INTO providers (code, name, type) VALUES ('P1', 'CVO Een', 'cvo'), ('P2', 'CBE Twee', 'cbe'), ('P3', 'UTC Drie', 'utc')`,
	`INSERT INTO modules (code, provider, name, programme, entry_level, target_level, skills, nominal_hours) VALUES
		('M1', 'P1', 'Module 1', 'NT2', 'A0', 'A1', 'listening', 120),
		('M2', 'P2', 'Module 2', 'NT2', 'A0', 'A1', 'listening', 240),
		('M3', 'P3', 'Module 3', 'NT2', 'A0', 'A1', 'listening', 60)`,
	`INSERT INTO course_groups (code, module, start_date, end_date, planned_hours, teacher, intensity) VALUES
		('G1', 'M1', '2025-02-01', '2025-05-01', 120, 't1', 'standard'),
		('G2', 'M2', '2025-02-01', '2025-05-01', 120, 't2', 'standard'),
		('G3', 'M3', '2025-02-01', '2025-05-01', 60, 't1', 'standard'),
		('G4', 'M2', '2025-02-01', '2025-05-01', 120, '', 'standard')`,
	`INSERT INTO learners (id, first_name, last_name, birth_date, gender, schooling_level, literacy, learning_route,
		civic_status, perspective, counsellor) VALUES
		('L1', 'A', 'A', '1990-01-01', 'f', 'unknown', 'unknown', 'standard', 'none', 'unknown', 'c1'),
		('L2', 'B', 'B', '1990-01-01', 'm', 'unknown', 'unknown', 'standard', 'none', 'unknown', 'c2'),
		('L3', 'C', 'C', '1990-01-01', 'x', 'unknown', 'unknown', 'standard', 'none', 'unknown', 'c1'),
		('L4', 'D', 'D', '1990-01-01', 'f', 'unknown', 'unknown', 'standard', 'none', 'unknown', ''),
		('L5', 'E', 'E', '1990-01-01', 'f', 'unknown', 'unknown', 'standard', 'none', 'unknown', ''),
		('L6', 'F', 'F', '1990-01-01', 'f', 'unknown', 'unknown', 'standard', 'none', 'unknown', ''),
		('L7', 'G', 'G', '1990-01-01', 'f', 'unknown', 'unknown', 'standard', 'none', 'unknown', ''),
		('L8', 'H', 'H', '1990-01-01', 'f', 'unknown', 'unknown', 'standard', 'none', 'unknown', ''),
		('L9', 'I', 'I', '1990-01-01', 'f', 'unknown', 'unknown', 'standard', 'none', 'unknown', '')`,
	`INSERT INTO learner_links (learner, provider, date) VALUES ('L9', 'P3', '2025-03-01')`,
	`INSERT INTO enrollments (learner, group_code, start_date, status, hours_attended) VALUES
		('L1', 'G1', '2025-02-01', 'active', 10), ('L2', 'G2', '2025-02-01', 'active', 10),
		('L6', 'G4', '2025-02-01', 'active', 10), ('L7', 'G3', '2025-02-01', 'active', 10)`,
	`INSERT INTO referrals (learner, date, source, provider) VALUES
		('L3', '2025-01-01', 'self', 'P2'), ('L8', '2025-01-01', 'self', NULL)`,
	`INSERT INTO placements (learner, date, module, method) VALUES ('L4', '2025-01-10', 'M1', 'test')`,
	`INSERT INTO outflows (learner, date, type, provider) VALUES ('L5', '2025-06-01', 'qualified', 'P1')`,
}

func seededDB(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db := openTest(t)
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, q := range seedSQL {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			t.Fatalf("seed: %v\n%s", err, q)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return db
}

// query runs a SELECT of one text column in a throw-away transaction.
func query(t *testing.T, db *DB, q string, args []any) []string {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	out := []string{}
	if err := tx.SelectContext(ctx, &out, tx.Rebind(q), args...); err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	return out
}

var (
	allLearners = []string{"L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L9"}
	allGroups   = []string{"G1", "G2", "G3", "G4"}
)

var filterCases = []struct {
	user     *domain.User
	learners []string
	groups   []string
}{
	{&domain.User{Username: "t1", Role: domain.RoleTeacher}, []string{"L1", "L7"}, []string{"G1", "G3"}},
	{&domain.User{Username: "t2", Role: domain.RoleTeacher, Providers: []string{"P1"}}, []string{"L2"}, []string{"G2"}},
	{&domain.User{Username: "c1", Role: domain.RoleCounsellor}, []string{"L1", "L3"}, []string{}},
	{&domain.User{Username: "c3", Role: domain.RoleCounsellor}, []string{}, []string{}},
	{&domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"P1"}}, []string{"L1", "L4", "L5"}, []string{"G1"}},
	{&domain.User{Username: "k2", Role: domain.RoleCoordinator, Providers: []string{"P2", "P3"}}, []string{"L2", "L3", "L6", "L7", "L9"}, []string{"G2", "G3", "G4"}},
	{&domain.User{Username: "k0", Role: domain.RoleCoordinator}, []string{}, []string{}},
	{&domain.User{Username: "a1", Role: domain.RoleAdmin}, allLearners, allGroups},
	{&domain.User{Username: "a2", Role: domain.RoleAdmin, Disabled: true}, []string{}, []string{}},
	// A teacher without a name must not match the groups that have no teacher.
	{&domain.User{Username: "", Role: domain.RoleTeacher}, []string{}, []string{}},
}

func TestFiltersInSQL(t *testing.T) {
	db := seededDB(t)
	for _, tt := range filterCases {
		lw, largs := LearnerFilter(tt.user)
		if got := query(t, db, `SELECT l.id FROM learners l WHERE `+lw+` ORDER BY l.id`, largs); !slices.Equal(got, tt.learners) {
			t.Errorf("%s %q sees learners %v, want %v", tt.user.Role, tt.user.Username, got, tt.learners)
		}
		gw, gargs := GroupFilter(tt.user)
		if got := query(t, db, `SELECT g.code FROM course_groups g WHERE `+gw+` ORDER BY g.code`, gargs); !slices.Equal(got, tt.groups) {
			t.Errorf("%s %q sees groups %v, want %v", tt.user.Role, tt.user.Username, got, tt.groups)
		}
		// Both filters in one query with the usual aliases: a group page's
		// list of learners. The subqueries must not capture g or l.
		var want []string
		for _, g := range tt.groups {
			for l, in := range map[string]string{"L1": "G1", "L2": "G2", "L6": "G4", "L7": "G3"} {
				if in == g && slices.Contains(tt.learners, l) {
					want = append(want, g+"/"+l)
				}
			}
		}
		slices.Sort(want)
		got := query(t, db, `SELECT g.code || '/' || l.id FROM course_groups g
			JOIN enrollments e ON e.group_code = g.code JOIN learners l ON l.id = e.learner
			WHERE `+gw+` AND `+lw+` ORDER BY 1`, append(slices.Clone(gargs), largs...))
		if !slices.Equal(got, want) {
			t.Errorf("%s %q sees group members %v, want %v", tt.user.Role, tt.user.Username, got, want)
		}
	}
}

// TestLearnerFilterAgreesWithRules holds the SQL filters, as production
// runs them (VisibleLearners, FindLearners, FindGroups), to the in-memory
// rules as production asks them: auth.CanSeeLearner over a learner page's
// facts (LearnerFile.Facts), and, for the indicator drill-downs,
// auth.CaseVisibility over the links of domain.ProviderLinks on the loaded
// data set. Both in-memory paths follow the one linking rule of domain; the
// seed links learners through each kind of record, and one through none.
func TestLearnerFilterAgreesWithRules(t *testing.T) {
	db := seededDB(t)
	ctx := context.Background()
	ds, err := db.LoadDataSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	links := domain.NewProviderLinks(ds)
	providers := func(ids map[string]bool) map[string][]string { return links.LearnerProviders(ds, ids) }
	for _, tt := range filterCases {
		who := string(tt.user.Role) + " " + tt.user.Username
		visible, err := db.VisibleLearners(ctx, tt.user)
		if err != nil {
			t.Fatal(err)
		}
		page, err := db.FindLearners(ctx, tt.user, LearnerQuery{AsOf: domain.MustDate("2025-06-30"), Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		listed := map[string]bool{}
		for _, l := range page.Learners {
			listed[l.ID] = true
		}
		cases := auth.CaseVisibility(tt.user, allLearners, providers)
		for _, id := range allLearners {
			f, err := db.FindLearner(ctx, id, domain.MustDate("2025-06-30"))
			if err != nil {
				t.Fatal(err)
			}
			rule := auth.CanSeeLearner(tt.user, f.Facts())
			if visible[id] != rule || listed[id] != rule {
				t.Errorf("%s: VisibleLearners has %s = %v, FindLearners %v; CanSeeLearner(%+v) = %v",
					who, id, visible[id], listed[id], f.Facts(), rule)
			}
			if rule != slices.Contains(tt.learners, id) {
				t.Errorf("%s: CanSeeLearner(%s) = %v, want %v", who, id, rule, !rule)
			}
			// Drill-downs show names to those who may see indicators, by
			// provider links alone.
			if auth.Can(tt.user, auth.ViewIndicators) && cases[id] != rule {
				t.Errorf("%s: CaseVisibility has %s = %v, LearnerFilter %v", who, id, cases[id], rule)
			}
		}
		groups, err := db.FindGroups(ctx, tt.user, GroupQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, g := range groups.Groups {
			got = append(got, g.Code)
		}
		slices.Sort(got)
		for _, code := range allGroups {
			g, err := db.FindGroupFacts(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			if rule := auth.CanSeeGroup(tt.user, *g); rule != slices.Contains(got, code) || rule != slices.Contains(tt.groups, code) {
				t.Errorf("%s: FindGroups lists %v; CanSeeGroup(%+v) = %v, want %v", who, got, g, rule, slices.Contains(tt.groups, code))
			}
		}
	}
}

func TestFiltersRefuseWithoutArguments(t *testing.T) {
	for _, u := range []*domain.User{nil, {Username: "x", Role: domain.RoleAdmin, Disabled: true}, {Username: "k0", Role: domain.RoleCoordinator}} {
		if w, args := LearnerFilter(u); w != "1 = 0" || args != nil {
			t.Errorf("LearnerFilter(%v) = %q, %v; want 1 = 0", u, w, args)
		}
		if w, args := GroupFilter(u); w != "1 = 0" || args != nil {
			t.Errorf("GroupFilter(%v) = %q, %v; want 1 = 0", u, w, args)
		}
	}
	if w, _ := GroupFilter(&domain.User{Username: "c1", Role: domain.RoleCounsellor}); w != "1 = 0" {
		t.Errorf("GroupFilter(counsellor) = %q, want 1 = 0", w)
	}
	w, args := LearnerFilter(&domain.User{Username: "k", Role: domain.RoleCoordinator, Providers: []string{"P1", "P2", "P1", ""}})
	if len(args) != 10 {
		t.Errorf("coordinator of P1, P2 filter has %d arguments, want 10 (2 providers × 5 links): %s", len(args), w)
	}
}

// TestSurveyLinkAgreesWithRule holds the survey page's rule for a typed
// learner number (SubmitSurveyResponse keeps it only for a learner linked
// to the round's provider) to the one linking rule of domain.ProviderLinks
// on the loaded data set, through the production path: an answer per
// learner to a round of each provider. The seed links a learner through
// each kind of record, outflows included (L5), and one through none.
func TestSurveyLinkAgreesWithRule(t *testing.T) {
	db := seededDB(t)
	ctx := context.Background()
	ds, err := db.LoadDataSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	linked := domain.NewProviderLinks(ds).LearnerProviders(ds, nil)
	for _, p := range []string{"P1", "P2", "P3"} {
		r, err := db.OpenSurveyRound(ctx, "k", SurveyRound{Provider: p, Respondent: "learner", AskLearner: true, Expected: len(allLearners),
			Closes: domain.DateOf(webNow).AddDays(7)}, webNow)
		if err != nil {
			t.Fatal(err)
		}
		kept := map[string]string{} // response id -> learner as stored
		for _, id := range allLearners {
			rid, err := db.SubmitSurveyResponse(ctx, r.ID, p+"-"+id, domain.SurveyResponse{Learner: id, Wellbeing: 3}, webNow)
			if err != nil {
				t.Fatal(err)
			}
			kept[rid] = id
		}
		got, err := db.LoadDataSet(ctx, "survey_responses")
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range got.SurveyResponses {
			id, ok := kept[x.ID]
			if !ok {
				continue // another round's
			}
			if want := slices.Contains(linked[id], p); (x.Learner == id) != want {
				t.Errorf("a survey of %s keeps learner %s: %v; domain.ProviderLinks links %s to %v", p, id, x.Learner == id, id, linked[id])
			}
		}
	}
}

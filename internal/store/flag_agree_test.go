package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/signal"
)

// flagGroups are the groups of the generated data sets: their ends fall
// before, inside and after the judgement days, so that grace_days decides
// for some enrollments on some days whether they are open.
var flagGroups = []struct{ code, start, end string }{
	{"A1", "2025-01-06", "2025-06-30"}, {"A2", "2025-04-01", "2025-10-15"}, {"A3", "2025-06-02", "2025-12-05"},
	{"A4", "2025-09-01", "2026-01-20"}, {"A5", "2025-09-15", "2026-02-14"}, {"A6", "2025-10-01", "2026-03-10"},
	{"A7", "2026-01-05", "2026-06-30"}, {"A8", "2025-11-03", "2026-04-01"},
}

// Judgement days of the agreement test: every day of a quarter, so that each
// record's boundaries (deadline, + 14 days, − 90 days, + 6 and + 12 months,
// group end + grace_days) fall on one of them.
var (
	agreeFrom = domain.MustDate("2026-01-01")
	agreeTo   = domain.MustDate("2026-03-31")
)

// flagDataSet generates a data set of n learners with records of every kind
// the flags read, dated from 2025-01-01 to 2026-04-30, from seed: the same
// seed gives the same data set.
func flagDataSet(seed uint64, n int) *domain.DataSet {
	r := rand.New(rand.NewPCG(seed, 19))
	first, last := domain.MustDate("2025-01-01"), domain.MustDate("2026-04-30")
	// Dates of one learner often coincide (an outflow on the referral's day,
	// two observations on one day), where the rules' strict and non-strict
	// comparisons differ: a date is one already drawn for the learner one
	// time in three.
	var used []domain.Date
	date := func() domain.Date {
		if len(used) > 0 && r.IntN(3) == 0 {
			return used[r.IntN(len(used))]
		}
		dt := first.AddDays(r.IntN(int(last-first) + 1))
		used = append(used, dt)
		return dt
	}
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	ds := &domain.DataSet{
		Providers: []domain.Provider{{Code: "P1", Name: "CVO", Type: "cvo"}},
		Modules: []domain.Module{{Code: "M1", Provider: "P1", Name: "M1", Programme: "NT2", EntryLevel: 0, TargetLevel: 2,
			Skills: domain.AllSkills, NominalHours: 120}},
	}
	for _, g := range flagGroups {
		ds.Groups = append(ds.Groups, domain.Group{Code: g.code, Module: "M1", StartDate: domain.MustDate(g.start),
			EndDate: domain.MustDate(g.end), PlannedHours: 120, Intensity: "standard"})
	}
	for k := range n {
		id := fmt.Sprintf("F%03d", k)
		used = used[:0]
		ds.Learners = append(ds.Learners, domain.Learner{ID: id, FirstName: id, LastName: id, BirthDate: domain.MustDate("1980-01-01"),
			Gender: "x", SchoolingLevel: "unknown", Literacy: "unknown", LearningRoute: "standard", CivicStatus: "none", Perspective: "work"})
		seen := map[string]bool{} // natural keys already used
		once := func(key string) bool {
			if seen[key] {
				return false
			}
			seen[key] = true
			return true
		}
		for range r.IntN(3) {
			if dt := date(); once("r" + dt.String()) {
				ds.Referrals = append(ds.Referrals, domain.Referral{Learner: id, Date: dt, Source: "self"})
			}
		}
		for range r.IntN(2) {
			if dt := date(); once("p" + dt.String()) {
				ds.Placements = append(ds.Placements, domain.Placement{Learner: id, Date: dt, Module: "M1", Method: "test", Levels: domain.NoLevels})
			}
		}
		var groups []string
		for range r.IntN(3) {
			g := ds.Groups[r.IntN(len(ds.Groups))]
			if !once("e" + g.Code) {
				continue
			}
			groups = append(groups, g.Code)
			e := domain.Enrollment{Learner: id, Group: g.Code, StartDate: g.StartDate.AddDays(r.IntN(int(g.EndDate-g.StartDate)+20) - 10),
				Status: pick("active", "completed", "dropped", "transferred"), HoursAttended: 10}
			if len(used) > 0 && r.IntN(3) == 0 {
				e.StartDate = used[r.IntN(len(used))]
			}
			if e.Status != "active" || r.IntN(5) == 0 {
				e.EndDate = e.StartDate.AddDays(r.IntN(300))
			}
			ds.Enrollments = append(ds.Enrollments, e)
		}
		for range r.IntN(4) {
			g := ""
			if len(groups) > 0 && r.IntN(4) > 0 {
				g = groups[r.IntN(len(groups))]
			}
			ev := domain.Evaluation{Learner: id, Group: g, Date: date(), Kind: pick("intake", "formative", "module_end", "external_test"),
				Levels: domain.NoLevels, Decision: "none"}
			if once("v" + g + ev.Date.String() + ev.Kind) {
				ds.Evaluations = append(ds.Evaluations, ev)
			}
		}
		for range r.IntN(3) {
			o := domain.Outflow{Learner: id, Date: date(), Type: pick("qualified", "transfer", "early_leaver", "early_leaver")}
			if o.Type == "early_leaver" {
				o.Reason = pick("unknown", "unknown", "work", "") // a blank one: a broken record, which the flag does not read as unknown
			}
			if once("o" + o.Date.String()) {
				ds.Outflows = append(ds.Outflows, o)
			}
		}
		for range r.IntN(3) {
			if dt := date(); once("f" + dt.String()) {
				ds.FollowUps = append(ds.FollowUps, domain.FollowUp{Learner: id, Date: dt, Status: "work"})
			}
		}
		for range r.IntN(5) {
			if len(groups) == 0 {
				break
			}
			ob := domain.Observation{Learner: id, Group: groups[r.IntN(len(groups))], Date: date(),
				Wellbeing: domain.Score(r.IntN(6)), Involvement: domain.Score(r.IntN(6))}
			if ob.Wellbeing == 0 && ob.Involvement == 0 {
				ob.Wellbeing = 2
			}
			if once("b" + ob.Group + ob.Date.String()) {
				ds.Observations = append(ds.Observations, ob)
			}
			// The same day in another group, where the lowest of the day counts.
			if other := groups[r.IntN(len(groups))]; other != ob.Group && r.IntN(2) == 0 && once("b"+other+ob.Date.String()) {
				ds.Observations = append(ds.Observations, domain.Observation{Learner: id, Group: other, Date: ob.Date,
					Wellbeing: domain.Score(1 + r.IntN(5)), Involvement: domain.Score(1 + r.IntN(5))})
			}
		}
	}
	return ds
}

// TestFlagSQLAgreesWithSignal holds the SQL twin of the flags (flagCondition
// and flagColumn, as FindLearners runs them to filter the list and to show
// its flags) to the one rule (signal.Index.Flags on the whole loaded data
// set) on every learner, kind and day of a quarter, over generated data
// sets; and the learner page's flags (FindLearner, signal over the file's
// records) to the same rule on every tenth day. Each kind must be raised
// for some learner on some day and not for others, so that the comparison
// is never empty.
func TestFlagSQLAgreesWithSignal(t *testing.T) {
	ctx := context.Background()
	admin := &domain.User{Username: "a", Role: domain.RoleAdmin}
	for _, seed := range []uint64{1, 2, 3} {
		db := openTest(t)
		upsert(t, db, flagDataSet(seed, 60))
		ds, err := db.LoadDataSet(ctx)
		if err != nil {
			t.Fatal(err)
		}
		x := signal.NewIndex(ds)
		raised := map[string]int{}
		for day := agreeFrom; day <= agreeTo; day++ {
			page, err := db.FindLearners(ctx, admin, LearnerQuery{AsOf: day, Limit: len(ds.Learners)})
			if err != nil {
				t.Fatal(err)
			}
			rule := map[string][]signal.Flag{}
			for _, l := range page.Learners {
				rule[l.ID] = x.Flags(l.ID, day, signal.DefaultParams())
				if !slices.Equal(l.Flags, rule[l.ID]) {
					t.Fatalf("seed %d, %s on %s: the list shows %v, signal raises %v", seed, l.ID, day, l.Flags, rule[l.ID])
				}
				if (day-agreeFrom)%10 != 0 {
					continue
				}
				f, err := db.FindLearner(ctx, l.ID, day)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(f.Flags, rule[l.ID]) {
					t.Fatalf("seed %d, %s on %s: the learner page shows %v, signal raises %v", seed, l.ID, day, f.Flags, rule[l.ID])
				}
			}
			for _, kind := range signal.Kinds {
				filtered, err := db.FindLearners(ctx, admin, LearnerQuery{AsOf: day, Flag: kind, Limit: len(ds.Learners)})
				if err != nil {
					t.Fatal(err)
				}
				var sqlIDs, ruleIDs []string
				for _, l := range filtered.Learners {
					sqlIDs = append(sqlIDs, l.ID)
				}
				for _, l := range page.Learners { // by name, as the filter lists them
					if slices.ContainsFunc(rule[l.ID], func(f signal.Flag) bool { return f.Kind == kind }) {
						ruleIDs = append(ruleIDs, l.ID)
					}
				}
				if !slices.Equal(sqlIDs, ruleIDs) || filtered.Total != len(ruleIDs) {
					t.Fatalf("seed %d, %s on %s: the filter lists %v (total %d), signal raises it on %v",
						seed, kind, day, sqlIDs, filtered.Total, ruleIDs)
				}
				raised[kind] += len(ruleIDs)
			}
		}
		days := int(agreeTo-agreeFrom) + 1
		for _, kind := range signal.Kinds {
			if n := raised[kind]; n == 0 || n == days*len(ds.Learners) {
				t.Errorf("seed %d: %s raised %d times over %d learners × %d days: the comparison tells nothing", seed, kind, n, len(ds.Learners), days)
			}
		}
	}
}

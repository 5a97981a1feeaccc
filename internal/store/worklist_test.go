package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/signal"
)

// TestWorklistAgreesWithSignal holds the worklist's SQL twins — the day
// each flag's situation began (flagColumn) and the status (statusColumn) —
// to the one rule (signal.Index.Since and Status on the loaded data set) on
// every learner of generated data sets on every third day of a quarter; the
// flags themselves are held by TestFlagSQLAgreesWithSignal. Each status must
// occur, so that the comparison is never empty.
func TestWorklistAgreesWithSignal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	admin := &domain.User{Username: "a", Role: domain.RoleAdmin}
	seen := map[string]int{}
	for _, seed := range []uint64{1, 2} {
		db := openTest(t)
		upsert(t, db, flagDataSet(seed, 60))
		ds, err := db.LoadDataSet(ctx)
		if err != nil {
			t.Fatal(err)
		}
		x := signal.NewIndex(ds)
		p := signal.DefaultParams()
		for day := agreeFrom; day <= agreeTo; day += 3 {
			items, err := db.Worklist(ctx, admin, WorklistQuery{AsOf: day})
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != len(ds.Learners) {
				t.Fatalf("%d learners on the worklist, want %d", len(items), len(ds.Learners))
			}
			for _, it := range items {
				if want := x.Flags(it.ID, day, p); !slices.Equal(it.Flags, want) {
					t.Fatalf("seed %d, %s on %s: the worklist shows %v, signal raises %v", seed, it.ID, day, it.Flags, want)
				}
				for i, f := range it.Flags {
					if want := x.Since(it.ID, f.Kind, day, p); it.Since[i] != want {
						t.Fatalf("seed %d, %s on %s: %s since %s, signal says %s", seed, it.ID, day, f.Kind, it.Since[i], want)
					}
				}
				if want := x.Status(it.ID, day, p); it.Status != want {
					t.Fatalf("seed %d, %s on %s: status %q, signal says %q", seed, it.ID, day, it.Status, want)
				}
				seen[it.Status]++
			}
		}
	}
	for _, s := range signal.Statuses {
		if seen[s] == 0 {
			t.Errorf("no learner was ever %q: the comparison tells nothing", s)
		}
	}
}

// TestWorklist checks the worklist's columns on the web fixture: groups,
// providers, the goal notice, and what the user may see.
func TestWorklist(t *testing.T) {
	t.Parallel()
	db := webDB(t)
	ctx := context.Background()
	day := domain.DateOf(webNow)
	if err := db.SaveLearnerGoal(ctx, "c1", domain.LearnerGoal{Learner: "W1", Skill: 1, TargetLevel: mustLevel("B2"),
		SetDate: d("2025-09-01"), TargetDate: d("2026-01-31")}, webNow); err != nil {
		t.Fatal(err)
	}
	c1 := &domain.User{Username: "c1", Role: domain.RoleCounsellor}
	items, err := db.Worklist(ctx, c1, WorklistQuery{AsOf: day})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]WorkItem{}
	for _, it := range items {
		if it.Counsellor != "c1" {
			t.Errorf("c1's worklist holds %s of %q", it.ID, it.Counsellor)
		}
		byID[it.ID] = it
	}
	w1, ok := byID["W1"]
	if !ok {
		t.Fatalf("W1 is not on c1's worklist: %+v", items)
	}
	if len(w1.Goals) != 1 || w1.Goals[0].TargetDate != d("2026-01-31") {
		t.Errorf("W1's goal notice: %+v, want the reading goal of 2026-01-31", w1.Goals)
	}
	if w1.Status == signal.StatusInCourse && (len(w1.Groups) == 0 || len(w1.Providers) == 0) {
		t.Errorf("W1 is in a course but shows groups %v and providers %v", w1.Groups, w1.Providers)
	}
	if search, err := db.Worklist(ctx, c1, WorklistQuery{AsOf: day, Search: "W1"}); err != nil || len(search) != 1 {
		t.Errorf("search W1: %d items, %v; want 1", len(search), err)
	}
}

// TestFlagHandling stores, changes and undoes a handling, with its checks
// and audit trail, and follows it through the worklist, the copy, the
// learner's export and erasure.
func TestFlagHandling(t *testing.T) {
	t.Parallel()
	db := webDB(t)
	ctx := context.Background()
	today := domain.DateOf(webNow)
	h := domain.FlagHandling{Learner: "W1", Kind: signal.Overdue, Since: d("2025-10-01")}
	for _, bad := range []domain.FlagHandling{
		{Learner: "W1", Kind: "bogus", Since: d("2025-10-01")},
		{Learner: "W1", Kind: signal.Overdue},
		{Learner: "W1", Kind: signal.Overdue, Since: today.AddDays(1)},
		{Learner: "W1", Kind: signal.Overdue, Since: d("2025-10-01"), Until: today},
		{Learner: "W1", Kind: signal.Overdue, Since: d("2025-10-01"), Until: today.AddDays(domain.MaxSnoozeDays + 1)},
		{Learner: "NOBODY", Kind: signal.Overdue, Since: d("2025-10-01")},
	} {
		if err := db.SaveFlagHandling(ctx, "c1", bad, webNow); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("SaveFlagHandling(%+v) = %v, want EINVALID", bad, err)
		}
	}
	if err := db.SaveFlagHandling(ctx, "c1", h, webNow); err != nil {
		t.Fatal(err)
	}
	snooze := h
	snooze.Until = today.AddDays(7)
	later := webNow.Add(time.Hour)
	if err := db.SaveFlagHandling(ctx, "c2", snooze, later); err != nil {
		t.Fatal(err)
	}
	got, err := db.FlagHandlings(ctx, "W1")
	if err != nil || len(got) != 1 || got[0].Until != snooze.Until || got[0].Username != "c2" || !got[0].At.Equal(later) {
		t.Fatalf("handlings of W1: %+v, %v; want the snooze by c2", got, err)
	}
	if !got[0].Handled(today) || got[0].Handled(snooze.Until) {
		t.Errorf("a snooze until %s hides the flag on %s and shows it on that day", snooze.Until, today)
	}
	trail, err := db.ListAudit(ctx, "W1", 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range trail {
		if r.Entity == "flag_handling" {
			actions = append(actions, r.Action)
		}
	}
	if !slices.Equal(actions, []string{AuditUpdate, AuditCreate}) {
		t.Errorf("audit of the handling: %v, want update and create", actions)
	}
	admin := &domain.User{Username: "a", Role: domain.RoleAdmin}
	items, err := db.Worklist(ctx, admin, WorklistQuery{AsOf: today, Search: "W1"})
	if err != nil || len(items) != 1 || len(items[0].Handlings) != 1 {
		t.Fatalf("worklist of W1: %+v, %v; want one handling", items, err)
	}

	// traject copy takes it along.
	dst := openTest(t)
	if _, err := db.CopyTo(ctx, dst, CopyOptions{}); err != nil {
		t.Fatal(err)
	}
	if copied, err := dst.FlagHandlings(ctx, "W1"); err != nil || !slices.Equal(copied, got) {
		t.Errorf("handlings in the copy: %+v, %v; want %+v", copied, err, got)
	}

	// The learner's export holds it.
	x, err := db.ExportLearner(ctx, "W1")
	if err != nil {
		t.Fatal(err)
	}
	if len(x.FlagHandling) != 1 || x.FlagHandling[0].Get("kind") != signal.Overdue || x.FlagHandling[0].Get("until") != snooze.Until.String() {
		t.Errorf("export of W1's handlings: %v", x.FlagHandling)
	}

	// Undo, then erase: nothing of it remains.
	if err := db.DeleteFlagHandling(ctx, "c1", "W1", signal.Overdue, h.Since, later); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteFlagHandling(ctx, "c1", "W1", signal.Overdue, h.Since, later); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("undoing it twice = %v, want ENOTFOUND", err)
	}
	if err := db.SaveFlagHandling(ctx, "c1", h, later); err != nil {
		t.Fatal(err)
	}
	newID, err := db.EraseLearner(ctx, "a", "W1", later)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.read.GetContext(ctx, &n, `SELECT COUNT(*) FROM flag_handling`); err != nil || n != 0 {
		t.Errorf("%d handlings after erasing W1 (now %s), %v; want none", n, newID, err)
	}
}

func mustLevel(s string) domain.Level {
	l, err := domain.ParseLevel(s)
	if err != nil {
		panic(err)
	}
	return l
}

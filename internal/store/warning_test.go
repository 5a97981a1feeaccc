package store

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// TestWarningActions: an action on a warning is stored with its audit
// entry after the domain's checks, listed latest first, part of the
// learner's access export, blanked and re-keyed by the erasure, and copied
// with the installation; on either backend.
func TestWarningActions(t *testing.T) {
	t.Parallel()
	db := openTest(t)
	ctx := context.Background()
	upsert(t, db, sample())
	d := domain.MustDate
	now := time.Date(2025, 3, 20, 10, 0, 0, 0, time.UTC)
	ok := domain.WarningAction{Learner: "L2", Group: "G001", EstimateDay: d("2025-03-17"), ModelID: 7, Action: "called",
		Date: d("2025-03-18"), Note: "Gebeld: ziek, komt maandag terug."}
	for _, c := range []struct {
		what  string
		edit  func(a *domain.WarningAction)
		field string
	}{
		{"unknown action", func(a *domain.WarningAction) { a.Action = "emailed" }, "action"},
		{"no model", func(a *domain.WarningAction) { a.ModelID = 0 }, "model"},
		{"note too long", func(a *domain.WarningAction) { a.Note = strings.Repeat("é", domain.MaxShortNoteLength+1) }, "note"},
		{"tomorrow", func(a *domain.WarningAction) { a.Date = d("2025-03-21") }, "date"},
		{"before the warning", func(a *domain.WarningAction) { a.Date = d("2025-03-16") }, "date"},
		{"no group", func(a *domain.WarningAction) { a.Group = "" }, "group"},
		{"not enrolled", func(a *domain.WarningAction) { a.Group = "G999" }, "group"},
	} {
		a := ok
		c.edit(&a)
		_, err := db.SaveWarningAction(ctx, "c1", a, now)
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: %v, want EINVALID on %s", c.what, err, c.field)
		}
	}
	if as, _ := db.ListWarningActions(ctx, "L2"); len(as) != 0 {
		t.Fatalf("refused actions stored: %+v", as)
	}
	v0, err := db.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id, err := db.SaveWarningAction(ctx, "c1", ok, now)
	if err != nil {
		t.Fatal(err)
	}
	later := ok
	later.Action, later.Date, later.Note = domain.Unjustified, d("2025-03-20"), ""
	if _, err := db.SaveWarningAction(ctx, "c1", later, now); err != nil {
		t.Fatal(err)
	}
	if v1, _ := db.DataVersion(ctx); v1 != v0 {
		t.Errorf("a warning action moved the data version (%d → %d): every cached figure would be dropped", v0, v1)
	}
	as, err := db.ListWarningActions(ctx, "L2")
	if err != nil || len(as) != 2 {
		t.Fatalf("%+v %v", as, err)
	}
	want := ok
	want.ID, want.RecordedBy, want.RecordedAt = id, "c1", now
	if as[1] != want || as[0].Action != domain.Unjustified {
		t.Errorf("listed\n%+v\nwant (last)\n%+v", as, want)
	}
	between, err := db.WarningActionsBetween(ctx, d("2025-03-19"), d("2025-03-31"))
	if err != nil || len(between) != 1 || between[0].Action != domain.Unjustified {
		t.Errorf("between: %+v %v", between, err)
	}
	trail, err := db.ListAudit(ctx, "L2", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(trail) < 2 || trail[1].Entity != "warning_actions" || trail[1].Key != "L2/G001/2025-03-17/"+jsonNum(id) ||
		!strings.Contains(string(trail[1].After), `"note":"Gebeld: ziek`) {
		t.Errorf("audit trail %+v", trail)
	}

	// Copied with the installation (before the erasure below).
	dst := openTest(t)
	if _, err := db.CopyTo(ctx, dst, CopyOptions{}); err != nil {
		t.Fatal(err)
	}
	copied, err := dst.ListWarningActions(ctx, "L2")
	if err != nil || len(copied) != 2 || copied[1] != want {
		t.Errorf("copied %+v %v", copied, err)
	}
	if _, err := dst.SaveWarningAction(ctx, "c1", ok, now); err != nil {
		t.Errorf("a new action after the copy (the id's sequence): %v", err)
	}

	x, err := db.ExportLearner(ctx, "L2")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(x.WarningActions)
	if len(x.WarningActions) != 2 || !strings.Contains(string(b), `"estimate_day":"2025-03-17"`) || !strings.Contains(string(b), `"note":"Gebeld: ziek`) ||
		!strings.Contains(string(b), `"group":"G001"`) {
		t.Errorf("export: %s", b)
	}

	anon, err := db.EraseLearner(ctx, "admin", "L2", now)
	if err != nil {
		t.Fatal(err)
	}
	if left, _ := db.ListWarningActions(ctx, "L2"); len(left) != 0 {
		t.Errorf("the old id keeps %d actions", len(left))
	}
	erased, err := db.ListWarningActions(ctx, anon)
	if err != nil || len(erased) != 2 {
		t.Fatalf("erased: %+v %v", erased, err)
	}
	for _, a := range erased {
		if a.Note != "" || a.Learner != anon {
			t.Errorf("after the erasure: %+v", a)
		}
	}
}

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }

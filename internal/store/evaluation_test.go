package store

import (
	"context"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

func TestSaveEvaluations(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	d := domain.MustDate
	lv := func(ls ...string) domain.Levels {
		out := domain.NoLevels
		for i, s := range ls {
			out[i], _ = domain.ParseLevel(s)
		}
		return out
	}
	row := func(learner, date string, levels domain.Levels, decision string, goals ...string) EvaluationSave {
		return EvaluationSave{Evaluation: domain.Evaluation{Learner: learner, Group: "G1", Date: d(date), Kind: "module_end",
			Levels: levels, Decision: decision, Evaluator: "t1"}, Goals: goals}
	}
	n, err := db.SaveEvaluations(ctx, "t1", "G1", []EvaluationSave{
		row("W1", "2026-03-10", lv("A1", "A1.1", "A1", "A1"), "pass", "M1-L1", "M1-S1"),
		row("W5", "2026-03-10", lv("A0"), "fail"),
	}, webNow)
	if err != nil || n != 2 {
		t.Fatalf("SaveEvaluations = %d, %v; want 2", n, err)
	}
	gf, _ := db.FindGroup(ctx, "G1")
	var w1 *GroupEvaluation
	for i := range gf.Evaluations {
		if gf.Evaluations[i].Learner == "W1" && gf.Evaluations[i].Kind == "module_end" {
			w1 = &gf.Evaluations[i]
		}
	}
	if w1 == nil || w1.Levels[domain.Reading] != 1 || strings.Join(w1.Goals, ",") != "M1-L1,M1-S1" {
		t.Fatalf("W1's module end = %+v", w1)
	}
	// Saving the same again changes nothing; moving the date is an update.
	if n, err := db.SaveEvaluations(ctx, "t1", "G1", []EvaluationSave{row("W1", "2026-03-10", lv("A1", "A1.1", "A1", "A1"), "pass", "M1-S1", "M1-L1")}, webNow); err != nil || n != 0 {
		t.Errorf("same again = %d, %v; want 0 changes", n, err)
	}
	moved := row("W1", "2026-03-12", lv("A1", "A1", "A1", "A1"), "pass", "M1-L1")
	moved.OrigDate = d("2026-03-10")
	if n, err := db.SaveEvaluations(ctx, "t1", "G1", []EvaluationSave{moved}, webNow); err != nil || n != 1 {
		t.Fatalf("move = %d, %v; want 1", n, err)
	}
	ds := &domain.DataSet{}
	if err := selectInto(ctx, db.read, "evaluations", ds, "learner = 'W1' AND kind = 'module_end'", ""); err != nil {
		t.Fatal(err)
	}
	if len(ds.Evaluations) != 1 || ds.Evaluations[0].Date != d("2026-03-12") {
		t.Errorf("after the move: %+v, want one evaluation on 2026-03-12", ds.Evaluations)
	}
	trail, _ := db.ListAudit(ctx, "W1", 0)
	if len(trail) != 2 || trail[0].Action != AuditUpdate || !strings.Contains(string(trail[0].Before), `"2026-03-10"`) ||
		!strings.Contains(string(trail[0].After), `"goals":["M1-L1"]`) {
		t.Errorf("audit of W1 = %d entries, newest %s → %s", len(trail), trail[0].Before, trail[0].After)
	}

	// Every broken rule refuses the whole grid.
	withOrig := row("W5", "2026-03-11", lv("A0"), "fail")
	withOrig.OrigDate = d("2026-01-01") // no evaluation on that day
	bad := []struct {
		name string
		rows []EvaluationSave
		code string
	}{
		{"not enrolled", []EvaluationSave{row("W2", "2026-03-10", lv("A0"), "none")}, domain.EINVALID},
		{"skill not evaluated", []EvaluationSave{row("W5", "2026-03-10", lv("", "", "", "", "A1"), "none")}, domain.EINVALID},
		{"before the enrollment", []EvaluationSave{row("W1", "2026-01-01", lv("A0"), "none")}, domain.EINVALID},
		{"pass without a level", []EvaluationSave{row("W5", "2026-03-11", domain.NoLevels, "pass")}, domain.EINVALID},
		{"not a goal of the module", []EvaluationSave{row("W5", "2026-03-11", lv("A0"), "none", "M2-L1")}, domain.EINVALID},
		{"edited meanwhile", []EvaluationSave{withOrig}, domain.ECONFLICT},
		{"a good row with a bad one", []EvaluationSave{row("W5", "2026-03-13", lv("A1"), "pass"), row("W2", "2026-03-10", lv("A0"), "none")}, domain.EINVALID},
	}
	for _, tt := range bad {
		if _, err := db.SaveEvaluations(ctx, "t1", "G1", tt.rows, webNow); domain.ErrorCode(err) != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
		}
	}
	ds = &domain.DataSet{}
	_ = selectInto(ctx, db.read, "evaluations", ds, "learner = 'W5'", "")
	if len(ds.Evaluations) != 1 {
		t.Errorf("W5 has %d evaluations after the refused grids, want 1", len(ds.Evaluations))
	}
}

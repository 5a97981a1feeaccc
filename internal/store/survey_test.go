package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

func TestSurveyRound(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	d := domain.MustDate
	if _, err := db.OpenSurveyRound(ctx, "k1", SurveyRound{Provider: "P1", Respondent: "learner", Closes: d("2026-03-14")}, webNow); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("closing yesterday: err = %v, want EINVALID", err)
	}
	if _, err := db.OpenSurveyRound(ctx, "k1", SurveyRound{Provider: "P1", Respondent: "staff", AskLearner: true, Closes: d("2026-04-01")}, webNow); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("learner number of staff: err = %v, want EINVALID", err)
	}
	r, err := db.OpenSurveyRound(ctx, "k1", SurveyRound{Provider: "P1", Respondent: "learner", AskLearner: true, Closes: d("2026-03-20")}, webNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Token) < 32 {
		t.Errorf("token %q is short", r.Token)
	}
	v0, _ := db.DataVersion(ctx)
	resp := domain.SurveyResponse{Learner: "W1", Wellbeing: 4, Involvement: 3, Satisfaction: 5, Comment: "Fijn"}
	id, err := db.SubmitSurveyResponse(ctx, r.ID, "nonce-1", resp, webNow)
	if err != nil {
		t.Fatal(err)
	}
	if v1, _ := db.DataVersion(ctx); v1 == v0 {
		t.Errorf("a response left the data version at %d", v1)
	}
	if _, err := db.SubmitSurveyResponse(ctx, r.ID, "nonce-1", resp, webNow); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("replay: err = %v, want ECONFLICT", err)
	}
	// A learner number of no learner of P1 is dropped, not refused.
	if _, err := db.SubmitSurveyResponse(ctx, r.ID, "nonce-2", domain.SurveyResponse{Learner: "NOBODY", Wellbeing: 2}, webNow); err != nil {
		t.Errorf("unknown learner number: %v", err)
	}
	ds, err := db.LoadDataSet(ctx, "survey_responses")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]domain.SurveyResponse{}
	for _, x := range ds.SurveyResponses {
		got[x.ID] = x
	}
	if x := got[id]; x.Provider != "P1" || x.Respondent != "learner" || x.Date != d("2026-03-15") || x.Learner != "W1" || x.Comment != "Fijn" {
		t.Errorf("stored %+v", x)
	}
	anonymous := 0
	for _, x := range ds.SurveyResponses {
		if x.Learner == "" {
			anonymous++
		}
	}
	if len(ds.SurveyResponses) != 2 || anonymous != 1 {
		t.Errorf("%d responses, %d anonymous; want 2 and 1", len(ds.SurveyResponses), anonymous)
	}
	rounds, err := db.FindSurveyRounds(ctx, []string{"P1"})
	if err != nil || len(rounds) != 1 || rounds[0].Responses != 2 || rounds[0].ProviderName == "" {
		t.Fatalf("rounds of P1 = %+v, %v", rounds, err)
	}
	if others, _ := db.FindSurveyRounds(ctx, []string{"P2"}); len(others) != 0 {
		t.Errorf("rounds of P2 = %v", others)
	}
	// After the closing date, and once closed, no more answers.
	if _, err := db.SubmitSurveyResponse(ctx, r.ID, "nonce-3", resp, webNow.Add(6*24*time.Hour)); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("after closing date: err = %v, want ECONFLICT", err)
	}
	if err := db.CloseSurveyRound(ctx, "k1", r.ID, webNow); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SubmitSurveyResponse(ctx, r.ID, "nonce-4", resp, webNow); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("closed: err = %v, want ECONFLICT", err)
	}
	byToken, err := db.FindSurveyRoundByToken(ctx, r.Token)
	if err != nil || byToken.ID != r.ID || byToken.Open(d("2026-03-15")) {
		t.Errorf("by token: %+v, %v; want the round, closed", byToken, err)
	}
	if _, err := db.FindSurveyRoundByToken(ctx, "nope"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("unknown token: err = %v", err)
	}
}

// TestSurveyRoundBounds: the expected number of answers and the cap it
// sets, one answer per learner (the later replaces the earlier, deleted with
// an audit entry that carries no values), and the refusals a round counts.
func TestSurveyRoundBounds(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	d := domain.MustDate
	for _, bad := range []int{-1, MaxSurveyExpected + 1} {
		if _, err := db.OpenSurveyRound(ctx, "k1", SurveyRound{Provider: "P1", Respondent: "learner", Closes: d("2026-04-01"), Expected: bad}, webNow); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("expected %d: err = %v, want EINVALID", bad, err)
		}
	}
	r, err := db.OpenSurveyRound(ctx, "k1", SurveyRound{Provider: "P1", Respondent: "learner", AskLearner: true, Closes: d("2026-04-01")}, webNow)
	if err != nil {
		t.Fatal(err)
	}
	if r.Expected != DefaultSurveyExpected || r.Limit() != 25+13+5 {
		t.Errorf("a round opened without a number expects %d and takes %d, want %d and 43", r.Expected, r.Limit(), DefaultSurveyExpected)
	}
	small, err := db.OpenSurveyRound(ctx, "k1", SurveyRound{Provider: "P1", Respondent: "learner", AskLearner: true, Closes: d("2026-04-01"), Expected: 1}, webNow)
	if err != nil {
		t.Fatal(err)
	}
	if small.Limit() != 1+1+5 {
		t.Errorf("one expected: limit %d, want 7", small.Limit())
	}
	first, err := db.SubmitSurveyResponse(ctx, small.ID, "n1", domain.SurveyResponse{Learner: "W1", Wellbeing: 2, Comment: "eerste"}, webNow)
	if err != nil {
		t.Fatal(err)
	}
	second, err := db.SubmitSurveyResponse(ctx, small.ID, "n2", domain.SurveyResponse{Learner: "W1", Wellbeing: 5}, webNow.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// The same learner in another round is another answer.
	if _, err := db.SubmitSurveyResponse(ctx, r.ID, "n3", domain.SurveyResponse{Learner: "W1", Wellbeing: 3}, webNow); err != nil {
		t.Fatal(err)
	}
	for i := 4; i <= 9; i++ { // a number of nobody at P1, then anonymous answers, up to the limit of 7
		learner := ""
		if i == 4 {
			learner = "NOBODY"
		}
		_, err := db.SubmitSurveyResponse(ctx, small.ID, fmt.Sprintf("n%d", i), domain.SurveyResponse{Learner: learner, Wellbeing: 4}, webNow)
		if err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
	}
	if _, err := db.SubmitSurveyResponse(ctx, small.ID, "n10", domain.SurveyResponse{Wellbeing: 4}, webNow); !errors.Is(err, ErrSurveyRoundFull) {
		t.Errorf("the 8th answer: err = %v, want ErrSurveyRoundFull", err)
	}
	if _, err := db.SubmitSurveyResponse(ctx, small.ID, "n11", domain.SurveyResponse{Learner: "W1", Wellbeing: 1}, webNow); !errors.Is(err, ErrSurveyRoundFull) {
		t.Errorf("a replacement in a full round: err = %v, want ErrSurveyRoundFull", err)
	}
	rate := auth.Rate{Burst: 1, Every: time.Hour}
	for i, want := range []bool{true, false, false} {
		if ok, err := db.TakeSurveyToken(ctx, small.ID, "192.0.2.1", rate, webNow); err != nil || ok != want {
			t.Errorf("take %d: %v %v, want %v", i+1, ok, err, want)
		}
	}
	got, err := db.FindSurveyRound(ctx, small.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Responses != 7 || got.Replaced != 1 || got.Unknown != 1 || got.RefusedFull != 2 || got.RefusedBusy != 2 {
		t.Errorf("round counts %d answers, %d replaced, %d unknown, %d refused full, %d refused busy; want 7, 1, 1, 2, 2",
			got.Responses, got.Replaced, got.Unknown, got.RefusedFull, got.RefusedBusy)
	}
	ds, err := db.LoadDataSet(ctx, "survey_responses")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, x := range ds.SurveyResponses {
		ids[x.ID] = true
	}
	if ids[first] || !ids[second] || len(ds.SurveyResponses) != 8 {
		t.Errorf("stored %d responses, the first answer kept %v, the second %v; want 8, false, true", len(ds.SurveyResponses), ids[first], ids[second])
	}
	trail, err := db.ListAudit(ctx, "W1", 0)
	if err != nil {
		t.Fatal(err)
	}
	deleted := 0
	for _, e := range trail {
		if e.Action == AuditDelete && e.Entity == "survey_responses" {
			deleted++
			if e.Key != first || e.Before != nil || e.After != nil {
				t.Errorf("the replacement's audit entry: %+v, want the first answer's key and no values", e)
			}
		}
	}
	if deleted != 1 {
		t.Errorf("%d deletions of survey responses in W1's trail, want 1", deleted)
	}
}

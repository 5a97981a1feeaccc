package store

import (
	"context"
	"testing"
	"time"

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

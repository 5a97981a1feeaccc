package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// notText are values that are not text (domain.IsText): PostgreSQL refuses
// them with a driver error, SQLite keeps them as they come.
var notText = []string{"\xff", "a\x00b"}

// wantNotText checks that a write of a value that is not text was refused
// with EINVALID, whose message names want.
func wantNotText(t *testing.T, what string, err error, want ...string) {
	t.Helper()
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("%s: err = %v, want EINVALID", what, err)
		return
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: %q does not name %q", what, err, w)
		}
	}
}

// TestWritesRefuseWhatIsNotText writes values that are not text through
// the store's seams, on the backend under test: the data set's upsert (the
// import, on both backends' writers), a web edit in a transaction, a
// bookkeeping write on the writer, and a write that returns its id. Each
// is EINVALID, and nothing is stored (issue 18, finding 8).
func TestWritesRefuseWhatIsNotText(t *testing.T) {
	ctx := context.Background()
	db := webDB(t)
	hash := quickHash(t, "correct horse battery")
	for i, bad := range notText {
		nonce := fmt.Sprint("nonce-", i)
		// The upsert, new row and changed row.
		for _, id := range []string{"L-NEW", "W1"} {
			ds := webFixture()
			ds.Learners = ds.Learners[:1]
			ds.Learners[0].ID, ds.Learners[0].LastName = id, "Peeters"+bad
			ds = &domain.DataSet{Learners: ds.Learners}
			tx, err := db.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, err = tx.Upsert(ctx, ds, nil)
			tx.Rollback()
			wantNotText(t, "upsert "+id, err, "learners", id, "last_name")
		}
		// A web edit: the evaluation grid's feedback.
		_, err := db.SaveEvaluations(ctx, "t1", "G1", []EvaluationSave{{Evaluation: domain.Evaluation{Learner: "W1", Group: "G1",
			Date: domain.MustDate("2026-03-10"), Kind: "module_end", Levels: domain.NoLevels, Decision: "none", Evaluator: "t1",
			Feedback: "Goed" + bad}}}, webNow)
		wantNotText(t, "evaluation feedback", err)
		// A survey answer's comment: refused before the form's nonce is spent.
		r, err := db.OpenSurveyRound(ctx, "k1", SurveyRound{Provider: "P1", Respondent: "learner", Closes: domain.MustDate("2026-03-20")}, webNow)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.SubmitSurveyResponse(ctx, r.ID, nonce, domain.SurveyResponse{Wellbeing: 4, Comment: "Fijn" + bad}, webNow)
		wantNotText(t, "survey comment", err)
		if _, err := db.SubmitSurveyResponse(ctx, r.ID, nonce, domain.SurveyResponse{Wellbeing: 4}, webNow); err != nil {
			t.Errorf("the refused answer spent its form: %v", err)
		}
		// Bookkeeping on the writer, and in a transaction.
		wantNotText(t, "setting", db.SetSetting(ctx, "k", "v"+bad))
		wantNotText(t, "schedule", db.CreateSchedule(ctx, domain.Schedule{Name: "maand" + bad, Cron: "0 6 1 * *", Period: "previous-month",
			OutDir: "out", CreatedAt: webNow}))
		wantNotText(t, "user", db.CreateUser(ctx, "test", domain.User{Username: "k" + bad, Role: domain.RoleTeacher}, hash, webNow))
		// A write that returns its id.
		if err := db.CreateUser(ctx, "test", domain.User{Username: "api", Role: domain.RoleAdmin}, hash, webNow); err != nil && domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatal(err)
		}
		_, _, err = db.CreateToken(ctx, "test", "api", "script"+bad, time.Time{}, webNow)
		wantNotText(t, "token name", err)
	}
	ds, err := db.LoadDataSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ds.Learners {
		if !domain.IsText(l.LastName) || l.ID == "L-NEW" {
			t.Errorf("stored learner %q %q", l.ID, l.LastName)
		}
	}
	for _, s := range ds.SurveyResponses {
		if !domain.IsText(s.Comment) {
			t.Errorf("stored survey comment %q", s.Comment)
		}
	}
	for _, e := range ds.Evaluations {
		if !domain.IsText(e.Feedback) {
			t.Errorf("stored feedback %q", e.Feedback)
		}
	}
	if schedules, _ := db.ListSchedules(ctx); len(schedules) != 0 {
		t.Errorf("stored schedules %v", schedules)
	}
	if tokens, _ := db.ListTokens(ctx, "api"); len(tokens) != 0 {
		t.Errorf("stored tokens %v", tokens)
	}
}

package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// Survey rounds (schema/009): a coordinator opens a round for one provider
// and one kind of respondent; its public link takes answers until the round
// closes, each becoming a survey response (spec/domain.md, "survey
// response"). A round itself is bookkeeping (no indicator reads it); the
// responses are data.

// SurveyRound is a round as the pages show it.
type SurveyRound struct {
	ID           string
	Token        string // the unguessable part of the public link
	Provider     string
	ProviderName string
	Respondent   string // domain.RespondentKinds
	Closes       domain.Date
	AskLearner   bool // the form asks for the learner number (learners only)
	OpenedBy     string
	OpenedAt     time.Time
	ClosedAt     time.Time // zero while the coordinator has not closed it
	Responses    int       // answers received through the link
}

// Open reports whether the round takes answers on day today: not closed by
// the coordinator and not past its closing date.
func (r *SurveyRound) Open(today domain.Date) bool {
	return r.ClosedAt.IsZero() && today <= r.Closes
}

// randomText returns n random bytes as URL-safe text.
func randomText(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// OpenSurveyRound stores a new round of r.Provider for r.Respondent closing
// on r.Closes, with a new id and link token, recorded in the audit trail as
// actor at now. The caller checks that actor may manage the provider's
// surveys. A closing date before today, an unknown provider or kind of
// respondent, or the learner number asked of others than learners is
// EINVALID.
func (db *DB) OpenSurveyRound(ctx context.Context, actor string, r SurveyRound, now time.Time) (*SurveyRound, error) {
	switch {
	case !domain.RespondentKinds.Has(r.Respondent):
		return nil, domain.Errorf(domain.EINVALID, "survey round: unknown respondent %q", r.Respondent)
	case r.Closes < domain.DateOf(now):
		return nil, domain.Errorf(domain.EINVALID, "survey round: the closing date %s lies in the past", r.Closes)
	case r.AskLearner && r.Respondent != "learner":
		return nil, domain.Errorf(domain.EINVALID, "survey round: only learners have a learner number")
	}
	ok, err := db.ProviderExists(ctx, r.Provider)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.Errorf(domain.EINVALID, "survey round: unknown provider %q", r.Provider)
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("random: %w", err)
	}
	r.ID = "R-" + strings.ToUpper(hex.EncodeToString(b))
	if r.Token, err = randomText(24); err != nil {
		return nil, err
	}
	r.OpenedBy, r.OpenedAt, r.ClosedAt, r.Responses = actor, now.UTC().Truncate(time.Second), time.Time{}, 0
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO survey_rounds (id, token, provider, respondent, closes,
		ask_learner, opened_by, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), r.ID, r.Token, r.Provider, r.Respondent,
		r.Closes.String(), boolInt(r.AskLearner), actor, utcText(now)); err != nil {
		return nil, fmt.Errorf("open survey round: %w", err)
	}
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditCreate, Entity: "survey_rounds", Key: r.ID,
		After: map[string]any{"provider": r.Provider, "respondent": r.Respondent, "closes": r.Closes.String(), "ask_learner": r.AskLearner}}); err != nil {
		return nil, err
	}
	return &r, tx.Commit()
}

// surveyRoundSQL reads rounds with their provider's name and their count of
// answers; a caller adds WHERE and ORDER BY.
const surveyRoundSQL = `SELECT r.id, r.token, r.provider, COALESCE(p.name, ''), r.respondent, r.closes, r.ask_learner,
	r.opened_by, r.opened_at, COALESCE(r.closed_at, ''),
	(SELECT COUNT(*) FROM survey_nonces n WHERE n.round = r.id)
	FROM survey_rounds r LEFT JOIN providers p ON p.code = r.provider`

// findSurveyRounds runs surveyRoundSQL with where.
func findSurveyRounds(ctx context.Context, q reader, where string, args ...any) ([]SurveyRound, error) {
	rows, err := q.QueryContext(ctx, q.Rebind(surveyRoundSQL+" WHERE "+where+" ORDER BY r.opened_at DESC, r.id"), args...)
	if err != nil {
		return nil, fmt.Errorf("read survey rounds: %w", err)
	}
	defer rows.Close()
	var out []SurveyRound
	for rows.Next() {
		var r SurveyRound
		var closes, opened, closed string
		var ask int
		if err := rows.Scan(&r.ID, &r.Token, &r.Provider, &r.ProviderName, &r.Respondent, &closes, &ask,
			&r.OpenedBy, &opened, &closed, &r.Responses); err != nil {
			return nil, fmt.Errorf("read survey rounds: %w", err)
		}
		r.Closes, _ = domain.ParseISO(closes)
		r.AskLearner = ask != 0
		if r.OpenedAt, err = parseUTCText(opened); err != nil {
			return nil, fmt.Errorf("read survey rounds: %w", err)
		}
		if r.ClosedAt, err = parseNullUTCText(sql.NullString{String: closed, Valid: closed != ""}); err != nil {
			return nil, fmt.Errorf("read survey rounds: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindSurveyRounds returns the rounds of providers (nil: of every
// provider), the latest first.
func (db *DB) FindSurveyRounds(ctx context.Context, providers []string) ([]SurveyRound, error) {
	if providers == nil {
		return findSurveyRounds(ctx, db.read, "1 = 1")
	}
	if len(providers) == 0 {
		return nil, nil
	}
	args := make([]any, len(providers))
	for i, p := range providers {
		args[i] = p
	}
	return findSurveyRounds(ctx, db.read, "r.provider IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(providers)), ", ")+")", args...)
}

// FindSurveyRound returns the round id, or ENOTFOUND.
func (db *DB) FindSurveyRound(ctx context.Context, id string) (*SurveyRound, error) {
	rs, err := findSurveyRounds(ctx, db.read, "r.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, notFound("survey round", id)
	}
	return &rs[0], nil
}

// FindSurveyRoundByToken returns the round whose link carries token, or
// ENOTFOUND.
func (db *DB) FindSurveyRoundByToken(ctx context.Context, token string) (*SurveyRound, error) {
	rs, err := findSurveyRounds(ctx, db.read, "r.token = ?", token)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, notFound("survey round", "(link)")
	}
	return &rs[0], nil
}

// SurveyResponseProviders returns the provider of every stored survey
// response by its id (the key, spec/domain.md), and nothing else of it: what
// a coordinator's import checks its response ids against, so that it
// overwrites no other provider's answer.
func (db *DB) SurveyResponseProviders(ctx context.Context) (map[string]string, error) {
	var rows []struct {
		ID       string `db:"id"`
		Provider string `db:"provider"`
	}
	if err := db.read.SelectContext(ctx, &rows, `SELECT id, provider FROM survey_responses`); err != nil {
		return nil, fmt.Errorf("survey response providers: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Provider
	}
	return out, nil
}

// CloseSurveyRound closes round id as of now: its link takes no more
// answers. Closing a closed round changes nothing. The caller checks that
// actor may manage the round's provider.
func (db *DB) CloseSurveyRound(ctx context.Context, actor, id string, now time.Time) error {
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE survey_rounds SET closed_at = ? WHERE id = ? AND closed_at IS NULL`), utcText(now), id)
	if err != nil {
		return fmt.Errorf("close survey round: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var one int
		if err := tx.GetContext(ctx, &one, tx.Rebind(`SELECT 1 FROM survey_rounds WHERE id = ?`), id); errNoRows(err) {
			return notFound("survey round", id)
		} else if err != nil {
			return fmt.Errorf("close survey round: %w", err)
		}
		return nil
	}
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditUpdate, Entity: "survey_rounds", Key: id,
		After: map[string]any{"closed_at": utcText(now)}}); err != nil {
		return err
	}
	return tx.Commit()
}

// SubmitSurveyResponse stores resp, an answer on the public page of round,
// spending nonce (the form's one-time token), in one data transaction with
// its audit entry. resp gets a new id and the round's provider and kind of
// respondent. A round that is closed or past its closing date at now, or a
// nonce spent before (a replay), is ECONFLICT; a response that breaks the
// rules of spec/domain.md is EINVALID. A learner number that names no
// learner linked to the round's provider is dropped, the answer kept
// anonymous: the page must not tell who is a learner there.
func (db *DB) SubmitSurveyResponse(ctx context.Context, round, nonce string, resp domain.SurveyResponse, now time.Time) (string, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	rs, err := findSurveyRounds(ctx, tx, "r.id = ?", round)
	if err != nil {
		return "", err
	}
	if len(rs) == 0 {
		return "", notFound("survey round", round)
	}
	r := rs[0]
	if !r.Open(domain.DateOf(now)) {
		return "", domain.Errorf(domain.ECONFLICT, "survey round %s is closed", round)
	}
	var used int
	if err := tx.GetContext(ctx, &used, tx.Rebind(`SELECT COUNT(*) FROM survey_nonces WHERE nonce = ?`), nonce); err != nil {
		return "", fmt.Errorf("read survey nonce: %w", err)
	}
	if used > 0 {
		return "", domain.Errorf(domain.ECONFLICT, "this form was sent already")
	}
	id, err := randomText(12)
	if err != nil {
		return "", err
	}
	resp.ID, resp.Provider, resp.Respondent, resp.Date = "WEB-"+id, r.Provider, r.Respondent, domain.DateOf(now)
	if resp.Learner != "" {
		linked, err := tx.learnerLinkedTo(ctx, resp.Learner, r.Provider)
		if err != nil {
			return "", err
		}
		if !linked {
			resp.Learner = ""
		}
	}
	if errs := resp.Validate(); len(errs) > 0 {
		return "", domain.Errorf(domain.EINVALID, "survey response: %s", errs[0])
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO survey_nonces (nonce, round, response, used_at) VALUES (?, ?, ?, ?)`),
		nonce, round, resp.ID, utcText(now)); err != nil {
		return "", fmt.Errorf("spend survey nonce: %w", err)
	}
	t := tableFor("survey_responses")
	vals := make([]any, len(t.cols))
	ds := &domain.DataSet{SurveyResponses: []domain.SurveyResponse{resp}}
	t.values(ds, 0, vals)
	if _, err := tx.ExecContext(ctx, tx.Rebind(insertSQL(t)), vals...); err != nil {
		return "", fmt.Errorf("insert survey response: %w", err)
	}
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: "survey " + round, Action: AuditCreate, Entity: "survey_responses",
		Key: resp.ID, Learner: resp.Learner, After: recordValues("survey_responses", ds)}); err != nil {
		return "", err
	}
	return resp.ID, tx.Commit()
}

// learnerLinkedTo reports whether learner exists and is linked to provider
// by a referral, a placement or an enrollment.
func (tx *Tx) learnerLinkedTo(ctx context.Context, learner, provider string) (bool, error) {
	var n int
	err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT
		(SELECT COUNT(*) FROM referrals WHERE learner = ? AND provider = ?) +
		(SELECT COUNT(*) FROM placements pl JOIN modules m ON m.code = pl.module WHERE pl.learner = ? AND m.provider = ?) +
		(SELECT COUNT(*) FROM enrollments e JOIN course_groups g ON g.code = e.group_code JOIN modules m ON m.code = g.module
			WHERE e.learner = ? AND m.provider = ?)`), learner, provider, learner, provider, learner, provider)
	if err != nil {
		return false, fmt.Errorf("survey response: check learner: %w", err)
	}
	return n > 0, nil
}

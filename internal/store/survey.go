package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
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
	// Group is the group the round is aimed at, "" for the whole provider
	// (learners only; a group of the provider).
	Group string
	// GroupLearners is how many learners were enrolled in Group on the day
	// the round opened (their enrollment not ended before it); 0 without a
	// group.
	GroupLearners int
	Closes        domain.Date
	AskLearner    bool // the form asks for the learner number (learners only)
	OpenedBy      string
	OpenedAt      time.Time
	ClosedAt      time.Time // zero while the coordinator has not closed it
	Expected      int       // how many the coordinator asks to answer; 0 on opening: DefaultSurveyExpected
	Responses     int       // answers received through the link, each learner counted once
	Replaced      int       // answers replaced by a later answer of the same learner
	Unknown       int       // answers with a learner number of no learner of the provider, kept anonymous
	RefusedFull   int       // answers refused because the round had Limit answers
	RefusedBusy   int       // answers refused because too many came from one network at once
}

// The bounds of a round's expected number of answers: a class by default, a
// large provider's whole staff or learners at most.
const (
	DefaultSurveyExpected = 25
	MaxSurveyExpected     = 5000
)

// ErrSurveyRoundFull is SubmitSurveyResponse's answer when the round holds
// Limit answers already.
var ErrSurveyRoundFull = domain.Errorf(domain.ECONFLICT, "this survey round has all the answers it takes")

// Limit is how many answers the round takes (issue 18, finding 7): half
// again as many as expected, for those the coordinator did not count, and
// five more for mistakes. A learner's later answer replaces the earlier and
// takes no second place, but a full round takes no replacement either:
// otherwise its refusal would tell a stranger which numbers answered.
func (r *SurveyRound) Limit() int {
	return r.Expected + (r.Expected+1)/2 + 5
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
	case r.Expected < 0 || r.Expected > MaxSurveyExpected:
		return nil, domain.Errorf(domain.EINVALID, "survey round: expect from 1 to %d answers", MaxSurveyExpected)
	case r.Group != "" && r.Respondent != "learner":
		return nil, ErrSurveyGroupLearners
	}
	ok, err := db.ProviderExists(ctx, r.Provider)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.Errorf(domain.EINVALID, "survey round: unknown provider %q", r.Provider)
	}
	if r.Group != "" {
		n, err := db.surveyGroupLearners(ctx, r.Provider, r.Group, domain.DateOf(now))
		if err != nil {
			return nil, err
		}
		if r.Expected == 0 && n > 0 {
			r.Expected = min(n, MaxSurveyExpected)
		}
		r.GroupLearners = n
	}
	if r.Expected == 0 {
		r.Expected = DefaultSurveyExpected
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("random: %w", err)
	}
	r.ID = "R-" + strings.ToUpper(hex.EncodeToString(b))
	if r.Token, err = randomText(24); err != nil {
		return nil, err
	}
	r.OpenedBy, r.OpenedAt, r.ClosedAt = actor, now.UTC().Truncate(time.Second), time.Time{}
	r.Responses, r.Replaced, r.Unknown, r.RefusedFull, r.RefusedBusy = 0, 0, 0, 0, 0
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO survey_rounds (id, token, provider, respondent, closes,
		ask_learner, expected, opened_by, opened_at, group_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), r.ID, r.Token, r.Provider, r.Respondent,
		r.Closes.String(), boolInt(r.AskLearner), r.Expected, actor, utcText(now), null(r.Group)); err != nil {
		return nil, fmt.Errorf("open survey round: %w", err)
	}
	after := map[string]any{"provider": r.Provider, "respondent": r.Respondent, "closes": r.Closes.String(), "ask_learner": r.AskLearner,
		"expected": r.Expected}
	if r.Group != "" {
		after["group"] = r.Group
	}
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditCreate, Entity: "survey_rounds", Key: r.ID,
		After: after}); err != nil {
		return nil, err
	}
	return &r, tx.Commit()
}

// surveyRoundSQL reads rounds with their provider's name and their counts of
// answers; a caller adds WHERE and ORDER BY. An answer is a spent form token
// (survey_nonces) that no later answer of the same learner replaced.
const surveyRoundSQL = `SELECT r.id, r.token, r.provider, COALESCE(p.name, ''), r.respondent, r.closes, r.ask_learner,
	r.opened_by, r.opened_at, COALESCE(r.closed_at, ''), r.expected, r.refused_full, r.refused_busy,
	COALESCE(r.group_code, ''),
	(SELECT COUNT(*) FROM enrollments e WHERE e.group_code = r.group_code
		AND (e.end_date IS NULL OR e.end_date >= substr(r.opened_at, 1, 10))),
	(SELECT COUNT(*) FROM survey_nonces n WHERE n.round = r.id AND n.replaced = 0),
	(SELECT COUNT(*) FROM survey_nonces n WHERE n.round = r.id AND n.replaced = 1),
	(SELECT COUNT(*) FROM survey_nonces n WHERE n.round = r.id AND n.unknown_learner = 1)
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
			&r.OpenedBy, &opened, &closed, &r.Expected, &r.RefusedFull, &r.RefusedBusy, &r.Group, &r.GroupLearners,
			&r.Responses, &r.Replaced, &r.Unknown); err != nil {
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
// nonce spent before (a replay), is ECONFLICT; a round that holds Limit
// answers is ErrSurveyRoundFull, counted on the round; a response that
// breaks the rules of spec/domain.md is EINVALID.
//
// The answers of one learner (issue 18, finding 7): a learner number that
// names no learner linked to the round's provider is dropped and the answer
// kept anonymous, counted as such on the round; a learner's later answer in
// the same round replaces the earlier one, which is deleted. Either way the
// page answers the same, so that it does not tell who is a learner there or
// who answered before. Data writes take turns on both backends (Begin), so
// two answers of one learner at once cannot both stay.
func (db *DB) SubmitSurveyResponse(ctx context.Context, round, nonce string, resp domain.SurveyResponse, now time.Time) (string, error) {
	id, err := db.submitSurveyResponse(ctx, round, nonce, resp, now)
	if errors.Is(err, ErrSurveyRoundFull) {
		if err := db.countSurveyRefusal(ctx, round, "refused_full"); err != nil {
			return "", err
		}
	}
	return id, err
}

func (db *DB) submitSurveyResponse(ctx context.Context, round, nonce string, resp domain.SurveyResponse, now time.Time) (string, error) {
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
	if r.Responses >= r.Limit() {
		return "", ErrSurveyRoundFull
	}
	id, err := randomText(12)
	if err != nil {
		return "", err
	}
	resp.ID, resp.Provider, resp.Respondent, resp.Date = "WEB-"+id, r.Provider, r.Respondent, domain.DateOf(now)
	unknown := false
	if resp.Learner != "" {
		linked, err := tx.learnerLinkedTo(ctx, resp.Learner, r.Provider)
		if err != nil {
			return "", err
		}
		if !linked {
			resp.Learner, unknown = "", true
		}
	}
	if err := domain.Refuse("survey response", domain.CheckSurveyPageAnswer(&resp)...); err != nil {
		return "", err
	}
	if resp.Learner != "" {
		if err := tx.replaceEarlierAnswers(ctx, round, resp.Learner, now); err != nil {
			return "", err
		}
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO survey_nonces (nonce, round, response, used_at, unknown_learner) VALUES (?, ?, ?, ?, ?)`),
		nonce, round, resp.ID, utcText(now), boolInt(unknown)); err != nil {
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

// replaceEarlierAnswers deletes the answers learner gave before through
// round's link, and marks their spent tokens replaced: the round counts
// the learner once, with the latest answer. The audit entry of a deletion
// carries no values: they were recorded when the answer came.
func (tx *Tx) replaceEarlierAnswers(ctx context.Context, round, learner string, now time.Time) error {
	var earlier []struct {
		Nonce    string `db:"nonce"`
		Response string `db:"response"`
	}
	if err := tx.SelectContext(ctx, &earlier, tx.Rebind(`SELECT n.nonce, n.response FROM survey_nonces n
		JOIN survey_responses s ON s.id = n.response
		WHERE n.round = ? AND n.replaced = 0 AND s.learner = ? ORDER BY n.nonce`), round, learner); err != nil {
		return fmt.Errorf("read earlier survey answers: %w", err)
	}
	for _, e := range earlier {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM survey_responses WHERE id = ?`), e.Response); err != nil {
			return fmt.Errorf("replace survey response: %w", err)
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE survey_nonces SET replaced = 1 WHERE nonce = ?`), e.Nonce); err != nil {
			return fmt.Errorf("replace survey response: %w", err)
		}
		if err := tx.Audit(ctx, AuditEntry{At: now, Username: "survey " + round, Action: AuditDelete, Entity: "survey_responses",
			Key: e.Response, Learner: learner}); err != nil {
			return err
		}
	}
	return nil
}

// TakeSurveyToken takes a token from the bucket of answers that network
// (auth.Network) sends to round under rate, as of now, and reports whether
// the answer may go ahead; a refusal is counted on the round, in the same
// bookkeeping transaction.
func (db *DB) TakeSurveyToken(ctx context.Context, round, network string, rate auth.Rate, now time.Time) (bool, error) {
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	allowed, err := tx.takeToken(ctx, "survey "+round+" "+network, rate, now)
	if err != nil {
		return false, err
	}
	if !allowed {
		if err := tx.addSurveyRefusal(ctx, round, "refused_busy"); err != nil {
			return false, err
		}
	}
	return allowed, tx.Commit()
}

// countSurveyRefusal adds one to round's counter column (refused_full or
// refused_busy) in a bookkeeping transaction of its own: a refusal changes
// no data.
func (db *DB) countSurveyRefusal(ctx context.Context, round, column string) error {
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.addSurveyRefusal(ctx, round, column); err != nil {
		return err
	}
	return tx.Commit()
}

func (tx *Tx) addSurveyRefusal(ctx context.Context, round, column string) error {
	if column != "refused_full" && column != "refused_busy" {
		return domain.Errorf(domain.EINTERNAL, "survey round: no counter %q", column)
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE survey_rounds SET `+column+` = `+column+` + 1 WHERE id = ?`), round); err != nil {
		return fmt.Errorf("count survey refusal: %w", err)
	}
	return nil
}

// learnerLinkedTo reports whether learner is linked to provider by the one
// rule of domain.ProviderLinks (learnerProviders). Outflows count as the
// other links do: a learner who has left the provider is still one of its
// learners to its coordinator and its import (importer/scope.go), and an
// answer given after leaving is still theirs (spec/domain.md, "survey
// response", names no exception).
func (tx *Tx) learnerLinkedTo(ctx context.Context, learner, provider string) (bool, error) {
	ps, err := learnerProviders(ctx, tx, learner)
	if err != nil {
		return false, fmt.Errorf("survey response: check learner: %w", err)
	}
	return slices.Contains(ps, provider), nil
}

// ErrSurveyGroupLearners refuses a group for a round of staff or partners:
// a group is a class of learners.
var ErrSurveyGroupLearners = domain.Coded(domain.EINVALID, "surveys.group.learners")

// ErrSurveyGroupProvider refuses a group that is not one of the round's
// provider (or no group at all).
var ErrSurveyGroupProvider = domain.Coded(domain.EINVALID, "surveys.group.unknown")

// surveyGroupLearners returns how many learners are enrolled in group on
// day (their enrollment not ended before it), or ErrSurveyGroupProvider
// when group is no group of provider.
func (db *DB) surveyGroupLearners(ctx context.Context, provider, group string, day domain.Date) (int, error) {
	var of string
	err := db.read.GetContext(ctx, &of, db.read.Rebind(`SELECT m.provider FROM course_groups g JOIN modules m ON m.code = g.module
		WHERE g.code = ?`), group)
	if errors.Is(err, sql.ErrNoRows) || err == nil && of != provider {
		return 0, ErrSurveyGroupProvider
	}
	if err != nil {
		return 0, fmt.Errorf("survey round's group: %w", err)
	}
	var n int
	if err := db.read.GetContext(ctx, &n, db.read.Rebind(`SELECT COUNT(*) FROM enrollments
		WHERE group_code = ? AND (end_date IS NULL OR end_date >= ?)`), group, day.String()); err != nil {
		return 0, fmt.Errorf("survey round's group: %w", err)
	}
	return n, nil
}

// SurveyGroup is a group a survey round can be aimed at.
type SurveyGroup struct {
	Code     string `db:"code"`
	Provider string `db:"provider"`
	Module   string `db:"module"`
}

// SurveyGroups returns the groups running on day (started no later than a
// month after it, not ended before it), by code: the groups a round can be
// aimed at, in one read for every provider.
func (db *DB) SurveyGroups(ctx context.Context, day domain.Date) ([]SurveyGroup, error) {
	var out []SurveyGroup
	err := db.read.SelectContext(ctx, &out, db.read.Rebind(`SELECT g.code, m.provider, m.name AS module FROM course_groups g JOIN modules m ON m.code = g.module
		WHERE g.end_date >= ? AND g.start_date <= ? ORDER BY g.code`), day.String(), day.AddDays(31).String())
	if err != nil {
		return nil, fmt.Errorf("groups for a survey round: %w", err)
	}
	return out, nil
}

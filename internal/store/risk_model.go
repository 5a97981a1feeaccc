package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/risk"
)

// The early warning's stored models (schema/019_risk_models.sql): each
// training, by `traject risk train` or the scheduler's weekly run, is kept
// with its windows and its validation, so that every estimate can say
// which model made it and `traject risk --as-of` estimates without
// learning again.

// RiskModel is one stored training.
type RiskModel struct {
	ID        int64
	TrainedAt time.Time // when the training ran
	RunID     int64     // the run of the history that made it; 0: none
	risk.Trained
}

const riskModelCols = `id, trained_at, run_id, as_of, data_to, provider, train_from, train_to, test_from, test_to,
	early_leavers, model_json, validation_json, refused`

type riskModelRow struct {
	ID           int64          `db:"id"`
	TrainedAt    sql.NullString `db:"trained_at"`
	RunID        sql.NullInt64  `db:"run_id"`
	AsOf         string         `db:"as_of"`
	DataTo       string         `db:"data_to"`
	Provider     string         `db:"provider"`
	TrainFrom    string         `db:"train_from"`
	TrainTo      string         `db:"train_to"`
	TestFrom     string         `db:"test_from"`
	TestTo       string         `db:"test_to"`
	EarlyLeavers int            `db:"early_leavers"`
	Model        sql.NullString `db:"model_json"`
	Validation   string         `db:"validation_json"`
	Refused      string         `db:"refused"`
}

func (r riskModelRow) model() (RiskModel, error) {
	m := RiskModel{ID: r.ID, RunID: r.RunID.Int64}
	m.Provider, m.EarlyLeavers = r.Provider, r.EarlyLeavers
	var err error
	m.TrainedAt, err = parseTS(r.TrainedAt, "trained_at", err)
	for _, f := range []struct {
		s   string
		dst *domain.Date
	}{{r.AsOf, &m.AsOf}, {r.DataTo, &m.DataTo}, {r.TrainFrom, &m.Windows.TrainFrom}, {r.TrainTo, &m.Windows.TrainTo},
		{r.TestFrom, &m.Windows.TestFrom}, {r.TestTo, &m.Windows.TestTo}} {
		*f.dst, err = scanPeriodDate(f.s, err)
	}
	if err == nil {
		err = json.Unmarshal([]byte(r.Validation), &m.Validation)
	}
	if err == nil && r.Model.Valid {
		m.Model = &risk.Model{}
		err = json.Unmarshal([]byte(r.Model.String), m.Model)
	}
	if err != nil {
		return m, fmt.Errorf("risk model %d: %w", r.ID, err)
	}
	if err := m.Restore(r.Refused); err != nil {
		return m, fmt.Errorf("risk model %d: %w", r.ID, err)
	}
	if (m.Model == nil) != (r.Refused != "") {
		return m, fmt.Errorf("risk model %d: stored as refused %q with a fitted model %t", r.ID, r.Refused, m.Model != nil)
	}
	return m, nil
}

// SaveRiskModel stores a training made at m.TrainedAt (by run m.RunID, if
// any) and returns its id.
func (db *DB) SaveRiskModel(ctx context.Context, m RiskModel) (int64, error) {
	if m.Validation == nil || m.AsOf == 0 {
		return 0, domain.Errorf(domain.EINVALID, "a risk model is stored with its day and its validation")
	}
	if m.TrainedAt.IsZero() {
		return 0, domain.Errorf(domain.EINVALID, "a risk model is stored with the time it was trained")
	}
	refused := ""
	if m.Refused != nil {
		refused = m.Refused.Reason
	}
	if (m.Model == nil) != (refused != "") {
		return 0, domain.Errorf(domain.EINVALID, "a risk model has a fitted model exactly when it is not refused")
	}
	var model any
	if m.Model != nil {
		b, err := json.Marshal(m.Model)
		if err != nil {
			return 0, fmt.Errorf("store risk model: %w", err)
		}
		model = string(b)
	}
	v, err := json.Marshal(m.Validation)
	if err != nil {
		return 0, fmt.Errorf("store risk model: %w", err)
	}
	var runID any
	if m.RunID != 0 {
		runID = m.RunID
	}
	var id int64
	err = db.write.GetContext(ctx, &id, db.write.Rebind(`INSERT INTO risk_models
		(trained_at, run_id, as_of, data_to, provider, train_from, train_to, test_from, test_to, early_leavers, model_json, validation_json, refused)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		ts(m.TrainedAt), runID, m.AsOf.String(), m.DataTo.String(), m.Provider,
		m.Windows.TrainFrom.String(), m.Windows.TrainTo.String(), m.Windows.TestFrom.String(), m.Windows.TestTo.String(),
		m.EarlyLeavers, model, string(v), refused)
	if err != nil {
		return 0, fmt.Errorf("store risk model: %w", err)
	}
	return id, nil
}

// TrainRiskModel learns the model shown on asOf for provider ("" for the
// whole installation) from the database as it is now, reading only what is
// known on asOf, and stores it as trained at `at` by run runID (0: none).
func (db *DB) TrainRiskModel(ctx context.Context, asOf domain.Date, provider string, at time.Time, runID int64) (RiskModel, error) {
	in, err := db.LoadRiskInput(ctx)
	if err != nil {
		return RiskModel{}, err
	}
	t, err := risk.Train(in, asOf, provider)
	if err != nil {
		return RiskModel{}, err
	}
	m := RiskModel{TrainedAt: at, RunID: runID, Trained: *t}
	if m.ID, err = db.SaveRiskModel(ctx, m); err != nil {
		return RiskModel{}, err
	}
	m.TrainedAt = m.TrainedAt.UTC().Truncate(time.Second)
	return m, nil
}

// FindRiskModel returns the stored model with this id, or ENOTFOUND.
func (db *DB) FindRiskModel(ctx context.Context, id int64) (RiskModel, error) {
	var r riskModelRow
	err := db.read.GetContext(ctx, &r, db.read.Rebind(`SELECT `+riskModelCols+` FROM risk_models WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return RiskModel{}, notFound("risk model", fmt.Sprint(id))
	}
	if err != nil {
		return RiskModel{}, fmt.Errorf("find risk model %d: %w", id, err)
	}
	return r.model()
}

// LatestRiskModel returns the stored model of provider ("" for the whole
// installation) trained for the latest day on or before day (of those, the
// one stored last), or ENOTFOUND when there is none.
func (db *DB) LatestRiskModel(ctx context.Context, provider string, day domain.Date) (RiskModel, error) {
	var r riskModelRow
	err := db.read.GetContext(ctx, &r, db.read.Rebind(`SELECT `+riskModelCols+` FROM risk_models
		WHERE provider = ? AND as_of <= ? ORDER BY as_of DESC, id DESC LIMIT 1`), provider, day.String())
	if errors.Is(err, sql.ErrNoRows) {
		return RiskModel{}, domain.Errorf(domain.ENOTFOUND, "no risk model trained on or before %s", day)
	}
	if err != nil {
		return RiskModel{}, fmt.Errorf("find latest risk model: %w", err)
	}
	return r.model()
}

// ListRiskModels returns the stored models, newest first (by id); with
// provider set, only that provider's ("" lists every scope). limit <= 0:
// all.
func (db *DB) ListRiskModels(ctx context.Context, provider *string, limit int) ([]RiskModel, error) {
	q := `SELECT ` + riskModelCols + ` FROM risk_models`
	var args []any
	if provider != nil {
		q += ` WHERE provider = ?`
		args = append(args, *provider)
	}
	q += ` ORDER BY id DESC`
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	var rows []riskModelRow
	if err := db.read.SelectContext(ctx, &rows, db.read.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("list risk models: %w", err)
	}
	out := make([]RiskModel, 0, len(rows))
	for _, r := range rows {
		m, err := r.model()
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// LatestRiskModelID is the id of the model LatestRiskModel returns, without
// reading it (a stored model never changes, so a caller may keep the one
// it read by id), or ENOTFOUND when there is none.
func (db *DB) LatestRiskModelID(ctx context.Context, provider string, day domain.Date) (int64, error) {
	var id int64
	err := db.read.GetContext(ctx, &id, db.read.Rebind(`SELECT id FROM risk_models
		WHERE provider = ? AND as_of <= ? ORDER BY as_of DESC, id DESC LIMIT 1`), provider, day.String())
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.Errorf(domain.ENOTFOUND, "no risk model trained on or before %s", day)
	}
	if err != nil {
		return 0, fmt.Errorf("find latest risk model: %w", err)
	}
	return id, nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// ts formats t as fixed-width RFC 3339 UTC with whole seconds, so that stored
// timestamps compare correctly as text.
func ts(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// nullTS is ts, or NULL for the zero time.
func nullTS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

func parseTS(s sql.NullString, what string, err error) (time.Time, error) {
	if err != nil || !s.Valid || s.String == "" {
		return time.Time{}, err
	}
	t, perr := time.Parse(time.RFC3339, s.String)
	if perr != nil {
		return time.Time{}, fmt.Errorf("stored %s %q is not an RFC 3339 time: %w", what, s.String, perr)
	}
	return t.UTC(), nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const scheduleCols = `name, cron, period, provider, exact, out_dir, keep, paused, created_at, last_due_at`

type scheduleRow struct {
	Name      string         `db:"name"`
	Cron      string         `db:"cron"`
	Period    string         `db:"period"`
	Provider  sql.NullString `db:"provider"`
	Exact     int64          `db:"exact"`
	OutDir    string         `db:"out_dir"`
	Keep      int64          `db:"keep"`
	Paused    int64          `db:"paused"`
	CreatedAt sql.NullString `db:"created_at"`
	LastDueAt sql.NullString `db:"last_due_at"`
}

func (r scheduleRow) schedule() (domain.Schedule, error) {
	s := domain.Schedule{Name: r.Name, Cron: r.Cron, Period: r.Period, Provider: r.Provider.String,
		Exact: r.Exact != 0, OutDir: r.OutDir, Keep: int(r.Keep), Paused: r.Paused != 0}
	var err error
	s.CreatedAt, err = parseTS(r.CreatedAt, "created_at", err)
	s.LastDueAt, err = parseTS(r.LastDueAt, "last_due_at", err)
	if err != nil {
		return s, fmt.Errorf("schedule %q: %w", r.Name, err)
	}
	return s, nil
}

func checkSchedule(s domain.Schedule) error {
	switch {
	case strings.TrimSpace(s.Name) == "":
		return domain.Errorf(domain.EINVALID, "a schedule needs a name")
	case s.Keep < 0:
		return domain.Errorf(domain.EINVALID, "schedule %q: keep must be 0 (keep all) or more, not %d", s.Name, s.Keep)
	}
	return nil
}

// CreateSchedule stores a new schedule; a name already in use is ECONFLICT. A
// zero CreatedAt is set to the current time.
func (db *DB) CreateSchedule(ctx context.Context, s domain.Schedule) error {
	if err := checkSchedule(s); err != nil {
		return err
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = time.Now()
	}
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`INSERT INTO schedules (`+scheduleCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`),
		s.Name, s.Cron, s.Period, null(s.Provider), boolInt(s.Exact), s.OutDir, s.Keep, boolInt(s.Paused),
		ts(s.CreatedAt), nullTS(s.LastDueAt))
	if err != nil {
		return fmt.Errorf("create schedule %q: %w", s.Name, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("create schedule %q: %w", s.Name, err)
	} else if n == 0 {
		return domain.Errorf(domain.ECONFLICT, "a schedule named %q already exists", s.Name)
	}
	return nil
}

// UpdateSchedule rewrites the settings of an existing schedule (cron, period,
// provider, exact, output folder, keep, paused); it leaves created_at and
// last_due_at alone, which SetScheduleDue moves.
func (db *DB) UpdateSchedule(ctx context.Context, s domain.Schedule) error {
	if err := checkSchedule(s); err != nil {
		return err
	}
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`UPDATE schedules
		SET cron = ?, period = ?, provider = ?, exact = ?, out_dir = ?, keep = ?, paused = ?
		WHERE name = ?`),
		s.Cron, s.Period, null(s.Provider), boolInt(s.Exact), s.OutDir, s.Keep, boolInt(s.Paused), s.Name)
	return affectedOne(res, err, "update schedule", "schedule", s.Name)
}

// DeleteSchedule removes a schedule and, through ON DELETE CASCADE, its run
// history; the files its runs wrote stay where they are.
func (db *DB) DeleteSchedule(ctx context.Context, name string) error {
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`DELETE FROM schedules WHERE name = ?`), name)
	return affectedOne(res, err, "delete schedule", "schedule", name)
}

// FindSchedule returns the schedule with this name, or ENOTFOUND.
func (db *DB) FindSchedule(ctx context.Context, name string) (domain.Schedule, error) {
	var r scheduleRow
	err := db.read.GetContext(ctx, &r, db.read.Rebind(`SELECT `+scheduleCols+` FROM schedules WHERE name = ?`), name)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Schedule{}, notFound("schedule", name)
	}
	if err != nil {
		return domain.Schedule{}, fmt.Errorf("find schedule %q: %w", name, err)
	}
	return r.schedule()
}

// ListSchedules returns every schedule in name order.
func (db *DB) ListSchedules(ctx context.Context) ([]domain.Schedule, error) {
	var rows []scheduleRow
	if err := db.read.SelectContext(ctx, &rows, `SELECT `+scheduleCols+` FROM schedules ORDER BY name`); err != nil {
		return nil, fmt.Errorf("list schedules: %w", err)
	}
	out := make([]domain.Schedule, 0, len(rows))
	for _, r := range rows {
		s, err := r.schedule()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// SetScheduleDue records t as the latest due time the scheduler has handled
// for the schedule, so that it is not run again after a restart.
func (db *DB) SetScheduleDue(ctx context.Context, name string, t time.Time) error {
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`UPDATE schedules SET last_due_at = ? WHERE name = ?`), nullTS(t), name)
	return affectedOne(res, err, "set due time of schedule", "schedule", name)
}

// affectedOne turns a statement that should touch one row into nil, the
// statement's error, or ENOTFOUND.
func affectedOne(res sql.Result, err error, doing, what, key string) error {
	if err != nil {
		return fmt.Errorf("%s %q: %w", doing, key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s %q: %w", doing, key, err)
	}
	if n == 0 {
		return notFound(what, key)
	}
	return nil
}

// SchedulerLock is the lease on running schedules of one database.
type SchedulerLock struct {
	Holder      string
	AcquiredAt  time.Time
	HeartbeatAt time.Time
	ExpiresAt   time.Time
}

// AcquireSchedulerLock takes or renews the scheduler lease for holder until
// now+lease. It reports false, without error, while another holder's lease
// has not expired.
func (db *DB) AcquireSchedulerLock(ctx context.Context, holder string, now time.Time, lease time.Duration) (bool, error) {
	if holder == "" {
		return false, domain.Errorf(domain.EINVALID, "a scheduler lock needs a holder")
	}
	if lease <= 0 {
		return false, domain.Errorf(domain.EINVALID, "a scheduler lease must be positive, not %v", lease)
	}
	// One statement, so that taking the lease is atomic in SQLite and
	// PostgreSQL alike: the update applies only to our own or an expired lease.
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`INSERT INTO scheduler_lock (id, holder, acquired_at, heartbeat_at, expires_at)
		VALUES (1, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			acquired_at = CASE WHEN scheduler_lock.holder = excluded.holder THEN scheduler_lock.acquired_at ELSE excluded.acquired_at END,
			holder = excluded.holder,
			heartbeat_at = excluded.heartbeat_at,
			expires_at = excluded.expires_at
		WHERE scheduler_lock.holder = excluded.holder OR scheduler_lock.expires_at <= excluded.heartbeat_at`),
		holder, ts(now), ts(now), ts(now.Add(lease)))
	if err != nil {
		return false, fmt.Errorf("acquire scheduler lock: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("acquire scheduler lock: %w", err)
	}
	return n == 1, nil
}

// ReleaseSchedulerLock gives up holder's lease, if it still holds it.
func (db *DB) ReleaseSchedulerLock(ctx context.Context, holder string) error {
	if _, err := db.write.ExecContext(ctx, db.write.Rebind(`DELETE FROM scheduler_lock WHERE id = 1 AND holder = ?`), holder); err != nil {
		return fmt.Errorf("release scheduler lock: %w", err)
	}
	return nil
}

// FindSchedulerLock returns the current lease (possibly expired), or
// ENOTFOUND when no scheduler holds one.
func (db *DB) FindSchedulerLock(ctx context.Context) (SchedulerLock, error) {
	var r struct {
		Holder      string         `db:"holder"`
		AcquiredAt  sql.NullString `db:"acquired_at"`
		HeartbeatAt sql.NullString `db:"heartbeat_at"`
		ExpiresAt   sql.NullString `db:"expires_at"`
	}
	err := db.read.GetContext(ctx, &r, `SELECT holder, acquired_at, heartbeat_at, expires_at FROM scheduler_lock WHERE id = 1`)
	if errors.Is(err, sql.ErrNoRows) {
		return SchedulerLock{}, domain.Errorf(domain.ENOTFOUND, "no scheduler holds the lock")
	}
	if err != nil {
		return SchedulerLock{}, fmt.Errorf("read scheduler lock: %w", err)
	}
	l := SchedulerLock{Holder: r.Holder}
	l.AcquiredAt, err = parseTS(r.AcquiredAt, "acquired_at", err)
	l.HeartbeatAt, err = parseTS(r.HeartbeatAt, "heartbeat_at", err)
	l.ExpiresAt, err = parseTS(r.ExpiresAt, "expires_at", err)
	return l, err
}

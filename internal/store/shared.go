package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
)

// What several server processes on one database share (schema/007): the
// login limiter's buckets and the uploads waiting for their confirmation.
// Both are bookkeeping: they never move the data version.

// TakeLoginToken takes a token from the login bucket named by key under
// rate, as of now, and reports whether the attempt may go ahead. The read
// and the write are one transaction (on PostgreSQL with the row locked), so
// two processes counting the same bucket at once count both attempts.
func (db *DB) TakeLoginToken(ctx context.Context, key string, rate auth.Rate, now time.Time) (bool, error) {
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	allowed, err := tx.takeToken(ctx, key, rate, now)
	if err != nil {
		return false, err
	}
	return allowed, tx.Commit()
}

// takeToken takes a token from the bucket key under rate as of now. A
// bucket seen for the first time is first stored full, so that there is
// always a row to lock: on PostgreSQL, two transactions that both found no
// row used to both start from a full bucket, and a burst of posts at once
// went through many times over (the survey page's bound per network rests
// on this). The insert of the second waits for the first's commit.
func (tx *Tx) takeToken(ctx context.Context, key string, rate auth.Rate, now time.Time) (bool, error) {
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO login_buckets (bucket, tokens, at_ms) VALUES (?, ?, ?)
		ON CONFLICT (bucket) DO NOTHING`), key, float64(max(rate.Burst, 1)), now.UnixMilli()); err != nil {
		return false, fmt.Errorf("write login bucket: %w", err)
	}
	var row struct {
		Tokens float64 `db:"tokens"`
		AtMS   int64   `db:"at_ms"`
	}
	if err := tx.GetContext(ctx, &row, tx.Rebind(`SELECT tokens, at_ms FROM login_buckets WHERE bucket = ?`+tx.dialect.forUpdate()), key); err != nil {
		return false, fmt.Errorf("read login bucket: %w", err)
	}
	allowed, left := rate.Take(row.Tokens, time.UnixMilli(row.AtMS), now)
	if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE login_buckets SET tokens = ?, at_ms = ? WHERE bucket = ?`), left, now.UnixMilli(), key); err != nil {
		return false, fmt.Errorf("write login bucket: %w", err)
	}
	return allowed, nil
}

// ResetLoginBucket empties the record of attempts of key, so that the next
// attempt finds a full bucket (an admin lifting a slowdown).
func (db *DB) ResetLoginBucket(ctx context.Context, key string) error {
	if _, err := db.write.ExecContext(ctx, db.write.Rebind(`DELETE FROM login_buckets WHERE bucket = ?`), key); err != nil {
		return fmt.Errorf("reset login bucket: %w", err)
	}
	return nil
}

// LoginSlowed reports whether an attempt under key would be refused now
// under rate: the attempts of late have emptied its bucket.
func (db *DB) LoginSlowed(ctx context.Context, key string, rate auth.Rate, now time.Time) (bool, error) {
	var row struct {
		Tokens float64 `db:"tokens"`
		AtMS   int64   `db:"at_ms"`
	}
	err := db.read.GetContext(ctx, &row, db.read.Rebind(`SELECT tokens, at_ms FROM login_buckets WHERE bucket = ?`), key)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read login bucket: %w", err)
	}
	allowed, _ := rate.Take(row.Tokens, time.UnixMilli(row.AtMS), now)
	return !allowed, nil
}

// DeleteStaleLoginBuckets deletes buckets untouched since before: a bucket
// not used for longer than it takes to fill is full, as a missing one is.
func (db *DB) DeleteStaleLoginBuckets(ctx context.Context, before time.Time) (int, error) {
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`DELETE FROM login_buckets WHERE at_ms < ?`), before.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("delete stale login buckets: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// PendingUpload is an uploaded data set that passed its dry run and waits
// for its user to confirm it.
type PendingUpload struct {
	ID       string    `db:"id"`
	Username string    `db:"username"`
	Name     string    `db:"name"` // the file name the browser sent
	Data     []byte    `db:"data"` // the file as uploaded
	Created  time.Time `db:"-"`
	Expires  time.Time `db:"-"`
}

// PutPendingUpload keeps p, letting go of the user's earlier upload and of
// every expired one.
func (db *DB) PutPendingUpload(ctx context.Context, p PendingUpload) error {
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM pending_uploads WHERE username = ? OR expires_at <= ?`),
		p.Username, utcText(p.Created)); err != nil {
		return fmt.Errorf("replace pending upload: %w", err)
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO pending_uploads (id, username, name, data, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`), p.ID, p.Username, p.Name, p.Data, utcText(p.Created), utcText(p.Expires)); err != nil {
		return fmt.Errorf("keep pending upload: %w", err)
	}
	return tx.Commit()
}

// TakePendingUpload removes and returns the upload id of username: ENOTFOUND
// when there is none of theirs or it has expired by now. Taking it is what
// makes a confirmation happen once, whichever process it reaches.
func (db *DB) TakePendingUpload(ctx context.Context, id, username string, now time.Time) (*PendingUpload, error) {
	return db.pendingUpload(ctx, id, username, now, true)
}

// PeekPendingUpload returns the upload id of username and leaves it in
// place (the mapping assistant reads it on each step): ENOTFOUND when there
// is none of theirs or it has expired by now.
func (db *DB) PeekPendingUpload(ctx context.Context, id, username string, now time.Time) (*PendingUpload, error) {
	return db.pendingUpload(ctx, id, username, now, false)
}

func (db *DB) pendingUpload(ctx context.Context, id, username string, now time.Time, take bool) (*PendingUpload, error) {
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var row struct {
		PendingUpload
		CreatedAt string `db:"created_at"`
		ExpiresAt string `db:"expires_at"`
	}
	lock := ""
	if take {
		lock = tx.dialect.forUpdate()
	}
	err = tx.GetContext(ctx, &row, tx.Rebind(`SELECT id, username, name, data, created_at, expires_at FROM pending_uploads
		WHERE id = ? AND username = ?`+lock), id, username)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("pending upload", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read pending upload: %w", err)
	}
	if take {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM pending_uploads WHERE id = ?`), id); err != nil {
			return nil, fmt.Errorf("take pending upload: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	p := row.PendingUpload
	if p.Created, err = parseUTCText(row.CreatedAt); err != nil {
		return nil, err
	}
	if p.Expires, err = parseUTCText(row.ExpiresAt); err != nil {
		return nil, err
	}
	if !now.Before(p.Expires) {
		return nil, notFound("pending upload", id)
	}
	return &p, nil
}

// DeleteExpiredPendingUploads lets go of every upload expired by now.
func (db *DB) DeleteExpiredPendingUploads(ctx context.Context, now time.Time) (int, error) {
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`DELETE FROM pending_uploads WHERE expires_at <= ?`), utcText(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired uploads: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

// API tokens: bearer tokens for scripts, shown once at creation and stored
// as their SHA-256 only (auth.HashToken).

// APIToken is an API token as stored: never the token itself.
type APIToken struct {
	ID         int64
	Username   string
	Name       string
	CreatedAt  time.Time
	ExpiresAt  time.Time // zero: never expires
	RevokedAt  time.Time // zero: not revoked
	LastUsedAt time.Time // zero: never used
}

// Active reports whether the token is neither revoked nor expired at now.
func (t *APIToken) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

// tokenRecord is an API token as the audit trail shows it.
type tokenRecord struct {
	ID        int64  `json:"id"`
	Username  string `json:"username"`
	Name      string `json:"name"`
	ExpiresAt string `json:"expires_at,omitempty"`
	RevokedAt string `json:"revoked_at,omitempty"`
}

func recordOfToken(t *APIToken) tokenRecord {
	r := tokenRecord{ID: t.ID, Username: t.Username, Name: t.Name}
	if !t.ExpiresAt.IsZero() {
		r.ExpiresAt = utcText(t.ExpiresAt)
	}
	if !t.RevokedAt.IsZero() {
		r.RevokedAt = utcText(t.RevokedAt)
	}
	return r
}

// lastUsedEvery is how stale last_used_at must be before FindToken updates it.
const lastUsedEvery = time.Minute

// maxTokenName is the longest token name accepted, in characters.
const maxTokenName = 100

// CreateToken creates an API token for username at now, named name and
// expiring at expires (zero: never; see auth.ParseExpires), recording actor
// in the audit trail. It returns the token, to be shown once, and its
// record. An unknown user is ENOTFOUND; a disabled user, an expiry not after
// now or an overlong name EINVALID.
func (db *DB) CreateToken(ctx context.Context, actor, username, name string, expires, now time.Time) (string, *APIToken, error) {
	if utf8.RuneCountInString(name) > maxTokenName {
		return "", nil, domain.Errorf(domain.EINVALID, "token name is longer than %d characters", maxTokenName)
	}
	if !expires.IsZero() && !expires.After(now) {
		return "", nil, domain.Errorf(domain.EINVALID, "token expiry %s is not in the future", utcText(expires))
	}
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return "", nil, err
	}
	defer tx.Rollback()
	a, _, err := tx.findAccount(ctx, username)
	if err != nil {
		return "", nil, err
	}
	if a.Disabled {
		return "", nil, domain.Errorf(domain.EINVALID, "user %q is disabled", username)
	}
	token, hash := auth.NewAPIToken()
	t := &APIToken{Username: username, Name: name, CreatedAt: now.UTC().Truncate(time.Second)}
	if !expires.IsZero() {
		t.ExpiresAt = expires.UTC().Truncate(time.Second)
	}
	err = tx.GetContext(ctx, &t.ID, tx.Rebind(`INSERT INTO api_tokens (username, token_hash, name, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`), username, hash, name, utcText(now), utcTextOrNull(expires))
	if err != nil {
		return "", nil, fmt.Errorf("create token: %w", err)
	}
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditCreate, Entity: "api_tokens",
		Key: strconv.FormatInt(t.ID, 10), After: recordOfToken(t)}); err != nil {
		return "", nil, err
	}
	if err := tx.Commit(); err != nil {
		return "", nil, err
	}
	return token, t, nil
}

// FindToken returns the user an API token at now belongs to, and the token's
// record. A malformed or unknown token is ENOTFOUND; a revoked one
// auth.ErrTokenRevoked, an expired one auth.ErrTokenExpired and one of a
// disabled user auth.ErrUserDisabled (all three EUNAUTHORIZED). The server
// answers all of them 401.
func (db *DB) FindToken(ctx context.Context, token string, now time.Time) (*domain.User, *APIToken, error) {
	unknown := domain.Errorf(domain.ENOTFOUND, "unknown API token")
	if !auth.IsAPIToken(token) {
		return nil, nil, unknown
	}
	t := &APIToken{}
	var created, role string
	var expires, revoked, used sql.NullString
	var disabled int
	err := db.read.QueryRowContext(ctx, db.read.Rebind(`SELECT t.id, t.username, t.name, t.created_at, t.expires_at,
		t.revoked_at, t.last_used_at, u.role, u.disabled
		FROM api_tokens t JOIN users u ON u.username = t.username WHERE t.token_hash = ?`), auth.HashToken(token)).
		Scan(&t.ID, &t.Username, &t.Name, &created, &expires, &revoked, &used, &role, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, unknown
	} else if err != nil {
		return nil, nil, fmt.Errorf("find token: %w", err)
	}
	if err := t.parseTimes(created, expires, revoked, used); err != nil {
		return nil, nil, err
	}
	switch {
	case !t.RevokedAt.IsZero():
		return nil, nil, auth.ErrTokenRevoked
	case !t.Active(now):
		return nil, nil, auth.ErrTokenExpired
	case disabled != 0:
		return nil, nil, auth.ErrUserDisabled
	}
	u := &domain.User{Username: t.Username, Role: domain.Role(role)}
	if err := db.read.SelectContext(ctx, &u.Providers, db.read.Rebind(`SELECT provider FROM user_providers
		WHERE username = ? ORDER BY provider`), u.Username); err != nil {
		return nil, nil, fmt.Errorf("find token: %w", err)
	}
	if now.Sub(t.LastUsedAt) >= lastUsedEvery {
		t.LastUsedAt = now.UTC().Truncate(time.Second)
		if _, err := db.write.ExecContext(ctx, db.write.Rebind(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`),
			utcText(now), t.ID); err != nil {
			return nil, nil, fmt.Errorf("record token use: %w", err)
		}
	}
	return u, t, nil
}

// RevokeToken revokes API token id at now, recording actor in the audit
// trail. An unknown id is ENOTFOUND; revoking twice keeps the first time.
func (db *DB) RevokeToken(ctx context.Context, actor string, id int64, now time.Time) error {
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	t, err := scanToken(tx.QueryRowxContext(ctx, tx.Rebind(`SELECT `+tokenCols+` FROM api_tokens WHERE id = ?`), id).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("API token", strconv.FormatInt(id, 10))
	} else if err != nil {
		return err
	}
	if !t.RevokedAt.IsZero() {
		return nil
	}
	before := recordOfToken(t)
	t.RevokedAt = now.UTC().Truncate(time.Second)
	if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE api_tokens SET revoked_at = ? WHERE id = ?`), utcText(now), id); err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditUpdate, Entity: "api_tokens",
		Key: strconv.FormatInt(id, 10), Before: before, After: recordOfToken(t)}); err != nil {
		return err
	}
	return tx.Commit()
}

// ListTokens returns the API tokens of username ("" for everyone's), by id.
func (db *DB) ListTokens(ctx context.Context, username string) ([]APIToken, error) {
	rows, err := db.read.QueryContext(ctx, db.read.Rebind(`SELECT `+tokenCols+` FROM api_tokens
		WHERE ? = '' OR username = ? ORDER BY id`), username, username)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []APIToken{}
	for rows.Next() {
		t, err := scanToken(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

const tokenCols = `id, username, name, created_at, expires_at, revoked_at, last_used_at`

// scanToken scans tokenCols.
func scanToken(scan func(...any) error) (*APIToken, error) {
	t := &APIToken{}
	var created string
	var expires, revoked, used sql.NullString
	if err := scan(&t.ID, &t.Username, &t.Name, &created, &expires, &revoked, &used); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, fmt.Errorf("read token: %w", err)
	}
	return t, t.parseTimes(created, expires, revoked, used)
}

// parseTimes fills the timestamps of t from their columns.
func (t *APIToken) parseTimes(created string, expires, revoked, used sql.NullString) error {
	var err error
	if t.CreatedAt, err = parseUTCText(created); err != nil {
		return err
	}
	if t.ExpiresAt, err = parseNullUTCText(expires); err != nil {
		return err
	}
	if t.RevokedAt, err = parseNullUTCText(revoked); err != nil {
		return err
	}
	t.LastUsedAt, err = parseNullUTCText(used)
	return err
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

// Server-side browser sessions. The cookie carries a random token; the table
// keeps only its SHA-256 (auth.HashToken), so a copy of the database signs
// nobody in.

// Session is a signed-in browser session.
type Session struct {
	User       domain.User
	CSRFToken  string // put in every form; compare with auth.EqualTokens
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
}

// sessionSlideAfter is how stale last_seen_at must be before FindSession
// extends a session, so that a burst of requests costs one write, not many.
const sessionSlideAfter = time.Minute

// CreateSession signs username in at now for ttl of inactivity, returning the
// session token for the cookie and the session's CSRF token. An unknown user
// is ENOTFOUND, a disabled one auth.ErrUserDisabled.
func (db *DB) CreateSession(ctx context.Context, username string, ttl time.Duration, now time.Time) (token, csrf string, err error) {
	if ttl < time.Second {
		return "", "", domain.Errorf(domain.EINVALID, "session lifetime %s is too short", ttl)
	}
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return "", "", err
	}
	defer tx.Rollback()
	a, _, err := tx.findAccount(ctx, username)
	if err != nil {
		return "", "", err
	}
	if a.Disabled {
		return "", "", auth.ErrUserDisabled
	}
	token, hash := auth.NewToken()
	csrf, _ = auth.NewToken()
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO sessions
		(id_hash, username, csrf_token, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)`),
		hash, username, csrf, utcText(now), utcText(now.Add(ttl)), utcText(now)); err != nil {
		return "", "", fmt.Errorf("create session: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return "", "", err
	}
	return token, csrf, nil
}

// FindSession returns the session of token at now, extending it (sliding
// expiry: it ends after the same idle time it was created with). An unknown
// or expired token, or a disabled user, is ENOTFOUND: the server signs the
// browser out.
func (db *DB) FindSession(ctx context.Context, token string, now time.Time) (*Session, error) {
	none := domain.Errorf(domain.ENOTFOUND, "no session: please sign in")
	if token == "" {
		return nil, none
	}
	hash := auth.HashToken(token)
	// One statement, as every request of the application asks it: a row
	// per provider of the user (one row with none for a user without).
	rows, err := db.read.QueryContext(ctx, db.read.Rebind(`SELECT s.username, s.csrf_token, s.created_at, s.expires_at,
		s.last_seen_at, u.role, u.disabled, u.display_name, COALESCE(p.provider, '')
		FROM sessions s JOIN users u ON u.username = s.username LEFT JOIN user_providers p ON p.username = s.username
		WHERE s.id_hash = ? ORDER BY p.provider`), hash)
	if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	defer rows.Close()
	var s Session
	var created, expires, seen, role string
	var disabled int
	found := false
	for rows.Next() {
		var provider string
		if err := rows.Scan(&s.User.Username, &s.CSRFToken, &created, &expires, &seen, &role, &disabled, &s.User.DisplayName, &provider); err != nil {
			return nil, fmt.Errorf("find session: %w", err)
		}
		found = true
		if provider != "" {
			s.User.Providers = append(s.User.Providers, provider)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	if !found {
		return nil, none
	}
	s.User.Role, s.User.Disabled = domain.Role(role), disabled != 0
	for _, f := range []struct {
		dst *time.Time
		src string
	}{{&s.CreatedAt, created}, {&s.ExpiresAt, expires}, {&s.LastSeenAt, seen}} {
		if *f.dst, err = parseUTCText(f.src); err != nil {
			return nil, err
		}
	}
	if !now.Before(s.ExpiresAt) {
		return nil, domain.Errorf(domain.ENOTFOUND, "the session has expired: please sign in again")
	}
	if s.User.Disabled {
		return nil, none
	}
	if now.Sub(s.LastSeenAt) >= sessionSlideAfter {
		idle := s.ExpiresAt.Sub(s.LastSeenAt)
		s.LastSeenAt, s.ExpiresAt = now.UTC().Truncate(time.Second), now.Add(idle).UTC().Truncate(time.Second)
		if _, err := db.write.ExecContext(ctx, db.write.Rebind(`UPDATE sessions SET last_seen_at = ?, expires_at = ?
			WHERE id_hash = ?`), utcText(s.LastSeenAt), utcText(s.ExpiresAt), hash); err != nil {
			return nil, fmt.Errorf("extend session: %w", err)
		}
	}
	return &s, nil
}

// DeleteSession ends the session of token (logout); an unknown token is no error.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	if _, err := db.write.ExecContext(ctx, db.write.Rebind(`DELETE FROM sessions WHERE id_hash = ?`), auth.HashToken(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of username and returns how many
// there were. SetPassword and SetDisabled do this themselves.
func (db *DB) DeleteUserSessions(ctx context.Context, username string) (int, error) {
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`DELETE FROM sessions WHERE username = ?`), username)
	if err != nil {
		return 0, fmt.Errorf("delete sessions of %q: %w", username, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// DeleteExpiredSessions removes the sessions expired at now and returns how many.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`DELETE FROM sessions WHERE expires_at <= ?`), utcText(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// deleteUserSessions ends every session of username within tx.
func (tx *Tx) deleteUserSessions(ctx context.Context, username string) error {
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM sessions WHERE username = ?`), username); err != nil {
		return fmt.Errorf("delete sessions of %q: %w", username, err)
	}
	return nil
}

package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
)

// secretBytes is the length of a secret made by EnsureSecret.
const secretBytes = 32

// GetSetting returns the value stored under key (schema/005_settings.sql),
// or ENOTFOUND.
func (db *DB) GetSetting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.read.GetContext(ctx, &v, db.read.Rebind(`SELECT value FROM settings WHERE key = ?`), key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("setting", key)
	}
	if err != nil {
		return "", fmt.Errorf("read setting %q: %w", key, err)
	}
	return v, nil
}

// SetSetting stores value under key, replacing what was there.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	if strings.TrimSpace(key) == "" {
		return domain.Errorf(domain.EINVALID, "a setting needs a key")
	}
	_, err := db.write.ExecContext(ctx, db.write.Rebind(`INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`), key, value)
	if err != nil {
		return fmt.Errorf("store setting %q: %w", key, err)
	}
	return nil
}

// EnsureSecret returns the secret stored under key, first generating and
// storing 32 random bytes if there is none. It is safe to call from several
// processes at once: the first insert wins and everyone reads that one.
func (db *DB) EnsureSecret(ctx context.Context, key string) ([]byte, error) {
	if strings.TrimSpace(key) == "" {
		return nil, domain.Errorf(domain.EINVALID, "a secret needs a key")
	}
	if v, err := db.GetSetting(ctx, key); err == nil {
		return decodeSecret(key, v)
	} else if domain.ErrorCode(err) != domain.ENOTFOUND {
		return nil, err
	}
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("generate secret %q: %w", key, err)
	}
	if _, err := db.write.ExecContext(ctx, db.write.Rebind(`INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO NOTHING`), key, hex.EncodeToString(b)); err != nil {
		return nil, fmt.Errorf("store secret %q: %w", key, err)
	}
	v, err := db.GetSetting(ctx, key)
	if err != nil {
		return nil, err
	}
	return decodeSecret(key, v)
}

// decodeSecret reads a stored secret; a value that is not hex of at least 16
// bytes was not written by EnsureSecret and is refused rather than used.
func decodeSecret(key, v string) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimSpace(v))
	if err != nil || len(b) < 16 {
		return nil, domain.Errorf(domain.EINTERNAL, "setting %q does not hold a secret of at least 16 bytes in hex", key)
	}
	return b, nil
}

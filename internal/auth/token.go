package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// APITokenPrefix starts every API token, so that a token pasted into a
// chat or a repository is recognisable (and scannable) as Traject's.
const APITokenPrefix = "trj_"

// NewToken returns a fresh random token (32 bytes from crypto/rand,
// base64url without padding) and its HashToken, for session ids and CSRF
// tokens. Only the hash of a session id is stored.
func NewToken() (token, hash string) {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails: crypto/rand crashes the program instead
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, HashToken(token)
}

// NewAPIToken returns a fresh API token (APITokenPrefix and a NewToken) and
// its HashToken, the only form in which it is stored.
func NewAPIToken() (token, hash string) {
	t, _ := NewToken()
	token = APITokenPrefix + t
	return token, HashToken(token)
}

// HashToken returns the hex SHA-256 of token, the form in which session ids
// and API tokens are stored and looked up. A fast hash is enough: tokens are
// 256 random bits, not guessable passwords.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// IsAPIToken reports whether s has the shape of an API token.
func IsAPIToken(s string) bool {
	return strings.HasPrefix(s, APITokenPrefix) && len(s) == len(APITokenPrefix)+43
}

// EqualTokens compares two tokens (e.g. a form's CSRF token with the
// session's) in constant time; empty tokens never match.
func EqualTokens(a, b string) bool {
	return a != "" && b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// ParseExpires reads the --expires of an API token relative to now: "" or
// "never" for no expiry; a number of days ("90d"); a Go duration ("12h");
// a date ("2026-12-31", valid through that day, UTC); or an RFC 3339
// timestamp. The result must lie after now.
func ParseExpires(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	var t time.Time
	switch {
	case s == "" || strings.EqualFold(s, "never"):
		return time.Time{}, nil
	case strings.HasSuffix(s, "d"):
		n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		if err != nil {
			return time.Time{}, badExpires(s)
		}
		t = now.AddDate(0, 0, n)
	default:
		if d, err := time.ParseDuration(s); err == nil {
			t = now.Add(d)
		} else if d, err := time.Parse(time.DateOnly, s); err == nil {
			t = d.AddDate(0, 0, 1)
		} else if ts, err := time.Parse(time.RFC3339, s); err == nil {
			t = ts
		} else {
			return time.Time{}, badExpires(s)
		}
	}
	if !t.After(now) {
		return time.Time{}, domain.Errorf(domain.EINVALID, "expiry %q lies in the past", s)
	}
	return t.UTC(), nil
}

func badExpires(s string) error {
	return domain.Errorf(domain.EINVALID, "expiry %q: use a number of days (90d), a duration (12h), a date (2026-12-31) or never", s)
}

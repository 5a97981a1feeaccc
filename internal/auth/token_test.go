package auth

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok, hash := NewToken()
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(b) != 32 {
			t.Fatalf("token %q decodes to %d bytes, %v; want 32", tok, len(b), err)
		}
		if hash != HashToken(tok) || len(hash) != 64 || hash == tok {
			t.Fatalf("hash %q of %q is not its hex SHA-256", hash, tok)
		}
		if seen[tok] {
			t.Fatalf("token %q drawn twice", tok)
		}
		seen[tok] = true
	}
}

func TestHashTokenIsSHA256(t *testing.T) {
	const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got := HashToken("abc"); got != want {
		t.Fatalf("HashToken(abc) = %s, want %s", got, want)
	}
}

func TestNewAPIToken(t *testing.T) {
	tok, hash := NewAPIToken()
	if !strings.HasPrefix(tok, "trj_") || !IsAPIToken(tok) || hash != HashToken(tok) {
		t.Fatalf("NewAPIToken() = %q, %q; want a trj_ token and its hash", tok, hash)
	}
	s, _ := NewToken()
	for _, bad := range []string{"", "trj_", s, "trj_" + s[:10], "Bearer " + tok} {
		if IsAPIToken(bad) {
			t.Errorf("IsAPIToken(%q) = true", bad)
		}
	}
}

func TestEqualTokens(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{{"abc", "abc", true}, {"abc", "abd", false}, {"abc", "ab", false}, {"", "", false}, {"abc", "", false}}
	for _, tt := range tests {
		if got := EqualTokens(tt.a, tt.b); got != tt.want {
			t.Errorf("EqualTokens(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestParseExpires(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"", time.Time{}, true},
		{"never", time.Time{}, true},
		{"90d", now.AddDate(0, 0, 90), true},
		{"12h", now.Add(12 * time.Hour), true},
		{"2026-12-31", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"2026-04-01T08:00:00+02:00", time.Date(2026, 4, 1, 6, 0, 0, 0, time.UTC), true},
		{"2026-03-10", time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC), true}, // through today
		{"2026-03-09", time.Time{}, false},
		{"-1h", time.Time{}, false},
		{"0d", time.Time{}, false},
		{"xd", time.Time{}, false},
		{"soon", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := ParseExpires(tt.in, now)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseExpires(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("ParseExpires(%q) code = %s, want EINVALID", tt.in, domain.ErrorCode(err))
		}
	}
}

func TestSessionCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		c := SessionCookie("tok", secure)
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != secure || c.Path != "/" || c.Value != "tok" {
			t.Errorf("SessionCookie(secure=%v) = %+v", secure, c)
		}
		if strings.HasPrefix(c.Name, "__Host-") != secure || c.Name != SessionCookieName(secure) {
			t.Errorf("SessionCookie(secure=%v) name = %q", secure, c.Name)
		}
		if err := c.Valid(); err != nil {
			t.Errorf("SessionCookie(secure=%v) invalid: %v", secure, err)
		}
		if d := ClearSessionCookie(secure); d.MaxAge >= 0 || d.Value != "" || d.Name != c.Name {
			t.Errorf("ClearSessionCookie(secure=%v) = %+v, want an expired cookie of the same name", secure, d)
		}
	}
}

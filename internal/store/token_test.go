package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

func TestTokens(t *testing.T) {
	db := accountsDB(t)
	ctx := context.Background()
	addUser(t, db, domain.User{Username: "a1", Role: domain.RoleAdmin}, "tien tekens!")
	addUser(t, db, domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"P1", "P2"}}, "tien tekens!")

	forever, tok, err := db.CreateToken(ctx, "a1", "k1", "export script", time.Time{}, acctNow)
	if err != nil {
		t.Fatal(err)
	}
	if !auth.IsAPIToken(forever) || tok.ID == 0 || tok.Username != "k1" || tok.Name != "export script" ||
		!tok.CreatedAt.Equal(acctNow) || !tok.ExpiresAt.IsZero() || !tok.Active(acctNow.AddDate(10, 0, 0)) {
		t.Fatalf("CreateToken = %q, %+v", forever, tok)
	}
	expires := acctNow.Add(24 * time.Hour)
	daily, _, err := db.CreateToken(ctx, "a1", "k1", "", expires, acctNow)
	if err != nil {
		t.Fatal(err)
	}

	u, found, err := db.FindToken(ctx, forever, acctNow.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "k1" || u.Role != domain.RoleCoordinator || strings.Join(u.Providers, ",") != "P1,P2" || found.ID != tok.ID ||
		!found.LastUsedAt.Equal(acctNow.Add(time.Hour)) {
		t.Fatalf("FindToken = %+v, %+v", u, found)
	}
	if _, _, err := db.FindToken(ctx, daily, expires.Add(-time.Second)); err != nil {
		t.Fatalf("FindToken a second before expiry = %v", err)
	}
	if _, _, err := db.FindToken(ctx, daily, expires); !errors.Is(err, auth.ErrTokenExpired) {
		t.Fatalf("FindToken at expiry = %v, want ErrTokenExpired", err)
	}

	other, _ := auth.NewAPIToken()
	for _, unknown := range []string{other, "", "trj_", strings.TrimPrefix(forever, "trj_"), auth.HashToken(forever)} {
		_, _, err := db.FindToken(ctx, unknown, acctNow)
		expectCode(t, "FindToken("+unknown+")", err, domain.ENOTFOUND)
	}

	// Only hashes are stored, and the audit trail never sees a token.
	var n int
	if err := db.read.GetContext(ctx, &n, db.read.Rebind(`SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?`), auth.HashToken(forever)); err != nil || n != 1 {
		t.Fatalf("stored hashes of the token = %d, %v; want 1", n, err)
	}
	if err := db.read.GetContext(ctx, &n, db.read.Rebind(`SELECT COUNT(*) FROM api_tokens t, audit_log a
		WHERE t.token_hash LIKE ? OR a.after_json LIKE ? OR a.after_json LIKE '%'||t.token_hash||'%'`), "%"+forever+"%", "%trj_%"); err != nil || n != 0 {
		t.Fatalf("rows holding a token in the clear = %d, %v; want 0", n, err)
	}

	if err := db.RevokeToken(ctx, "a1", tok.ID, acctNow.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeToken(ctx, "a1", tok.ID, acctNow.Add(3*time.Hour)); err != nil {
		t.Fatalf("second revoke = %v, want nil", err)
	}
	if _, _, err := db.FindToken(ctx, forever, acctNow.Add(2*time.Hour)); !errors.Is(err, auth.ErrTokenRevoked) {
		t.Fatalf("FindToken after revoke = %v, want ErrTokenRevoked", err)
	}
	expectCode(t, "RevokeToken(404)", db.RevokeToken(ctx, "a1", 404, acctNow), domain.ENOTFOUND)

	list, err := db.ListTokens(ctx, "k1")
	if err != nil || len(list) != 2 || !list[0].RevokedAt.Equal(acctNow.Add(2*time.Hour)) || list[0].Active(acctNow) ||
		!list[1].ExpiresAt.Equal(expires) || !list[0].LastUsedAt.Equal(acctNow.Add(time.Hour)) {
		t.Fatalf("ListTokens(k1) = %+v, %v", list, err)
	}
	if list, err := db.ListTokens(ctx, "a1"); err != nil || len(list) != 0 {
		t.Fatalf("ListTokens(a1) = %+v, %v; want none", list, err)
	}
	if list, err := db.ListTokens(ctx, ""); err != nil || len(list) != 2 {
		t.Fatalf("ListTokens(all) = %d, %v; want 2", len(list), err)
	}

	var trail []string
	if err := db.read.SelectContext(ctx, &trail, `SELECT action || ' ' || COALESCE(before_json, '-') || ' ' || after_json
		FROM audit_log WHERE entity = 'api_tokens' ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	want := `update {"id":1,"username":"k1","name":"export script"} {"id":1,"username":"k1","name":"export script","revoked_at":"2026-03-10T11:00:00Z"}`
	if len(trail) != 3 || trail[2] != want {
		t.Fatalf("token audit trail = %q, want create, create, %s", trail, want)
	}

	// A disabled user's tokens stop working and they get no new ones.
	if err := db.SetDisabled(ctx, "a1", "k1", true, acctNow); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.FindToken(ctx, daily, acctNow); !errors.Is(err, auth.ErrUserDisabled) {
		t.Fatalf("FindToken of a disabled user = %v, want ErrUserDisabled", err)
	}
	if code := domain.ErrorCode(auth.ErrTokenExpired); code != auth.EUNAUTHORIZED {
		t.Fatalf("ErrTokenExpired code = %q, want %q", code, auth.EUNAUTHORIZED)
	}
	_, _, err = db.CreateToken(ctx, "a1", "k1", "", time.Time{}, acctNow)
	expectCode(t, "CreateToken(disabled user)", err, domain.EINVALID)
	_, _, err = db.CreateToken(ctx, "a1", "nobody", "", time.Time{}, acctNow)
	expectCode(t, "CreateToken(nobody)", err, domain.ENOTFOUND)
	_, _, err = db.CreateToken(ctx, "a1", "a1", "", acctNow, acctNow)
	expectCode(t, "CreateToken(expired)", err, domain.EINVALID)
	_, _, err = db.CreateToken(ctx, "a1", "a1", strings.Repeat("x", 101), time.Time{}, acctNow)
	expectCode(t, "CreateToken(long name)", err, domain.EINVALID)
}

package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

func TestSessions(t *testing.T) {
	db := accountsDB(t)
	ctx := context.Background()
	addUser(t, db, domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"P1"}}, "tien tekens!")
	const ttl = 30 * time.Minute

	token, csrf, err := db.CreateSession(ctx, "k1", ttl, acctNow)
	if err != nil {
		t.Fatal(err)
	}
	if token == "" || csrf == "" || token == csrf {
		t.Fatalf("CreateSession = %q, %q; want two distinct tokens", token, csrf)
	}
	var stored []string
	if err := db.read.SelectContext(ctx, &stored, `SELECT id_hash FROM sessions`); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(stored, []string{auth.HashToken(token)}) {
		t.Fatalf("sessions hold %v, want only the hash of the token", stored)
	}

	s, err := db.FindSession(ctx, token, acctNow.Add(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if s.User.Username != "k1" || s.User.Role != domain.RoleCoordinator || !slices.Equal(s.User.Providers, []string{"P1"}) ||
		s.CSRFToken != csrf || !s.CreatedAt.Equal(acctNow) || !s.ExpiresAt.Equal(acctNow.Add(ttl)) || !s.LastSeenAt.Equal(acctNow) {
		t.Fatalf("FindSession = %+v", s)
	}

	// Sliding expiry: activity after 20 minutes keeps the session 30 more.
	at := acctNow.Add(20 * time.Minute)
	if s, err = db.FindSession(ctx, token, at); err != nil || !s.ExpiresAt.Equal(at.Add(ttl)) {
		t.Fatalf("FindSession after 20 min = %+v, %v; want expiry %v", s, err, at.Add(ttl))
	}
	if s, err = db.FindSession(ctx, token, at.Add(ttl-time.Second)); err != nil {
		t.Fatalf("FindSession a second before the slid expiry = %v", err)
	}
	_, err = db.FindSession(ctx, token, s.ExpiresAt)
	expectCode(t, "FindSession at expiry", err, domain.ENOTFOUND)

	_, err = db.FindSession(ctx, "no such token", acctNow)
	expectCode(t, "FindSession(unknown)", err, domain.ENOTFOUND)
	_, err = db.FindSession(ctx, "", acctNow)
	expectCode(t, "FindSession(empty)", err, domain.ENOTFOUND)
	_, err = db.FindSession(ctx, auth.HashToken(token), acctNow)
	expectCode(t, "FindSession(stored hash)", err, domain.ENOTFOUND)

	_, _, err = db.CreateSession(ctx, "nobody", ttl, acctNow)
	expectCode(t, "CreateSession(nobody)", err, domain.ENOTFOUND)
	_, _, err = db.CreateSession(ctx, "k1", 0, acctNow)
	expectCode(t, "CreateSession(ttl 0)", err, domain.EINVALID)
}

func TestDeleteSessions(t *testing.T) {
	db := accountsDB(t)
	ctx := context.Background()
	addUser(t, db, domain.User{Username: "t1", Role: domain.RoleTeacher}, "tien tekens!")
	addUser(t, db, domain.User{Username: "t2", Role: domain.RoleTeacher}, "tien tekens!")
	a, _, _ := db.CreateSession(ctx, "t1", time.Hour, acctNow)
	b, _, _ := db.CreateSession(ctx, "t1", time.Hour, acctNow)
	c, _, _ := db.CreateSession(ctx, "t2", time.Minute, acctNow)
	d, _, _ := db.CreateSession(ctx, "t2", time.Hour, acctNow)

	if err := db.DeleteSession(ctx, a); err != nil {
		t.Fatal(err)
	}
	_, err := db.FindSession(ctx, a, acctNow)
	expectCode(t, "session after logout", err, domain.ENOTFOUND)
	if err := db.DeleteSession(ctx, a); err != nil {
		t.Fatalf("second logout = %v, want nil", err)
	}
	if _, err := db.FindSession(ctx, b, acctNow); err != nil {
		t.Fatalf("the other session of t1 went too: %v", err)
	}
	if n, err := db.DeleteUserSessions(ctx, "t1"); err != nil || n != 1 {
		t.Fatalf("DeleteUserSessions(t1) = %d, %v; want 1", n, err)
	}
	_, err = db.FindSession(ctx, b, acctNow)
	expectCode(t, "session after DeleteUserSessions", err, domain.ENOTFOUND)
	if n, err := db.DeleteExpiredSessions(ctx, acctNow.Add(time.Minute)); err != nil || n != 1 {
		t.Fatalf("DeleteExpiredSessions = %d, %v; want 1", n, err)
	}
	_, err = db.FindSession(ctx, c, acctNow)
	expectCode(t, "expired session after clean-up", err, domain.ENOTFOUND)
	if s, err := db.FindSession(ctx, d, acctNow); err != nil || s.User.Username != "t2" {
		t.Fatalf("a live session of t2 = %+v, %v", s, err)
	}
}

// TestSessionProviders checks that a session carries every provider of its
// user, in order, and none for a user without: the one statement of
// FindSession gives a row per provider.
func TestSessionProviders(t *testing.T) {
	db := accountsDB(t)
	ctx := context.Background()
	addUser(t, db, domain.User{Username: "k2", Role: domain.RoleCoordinator, Providers: []string{"P2", "P1"}}, "tien tekens!")
	addUser(t, db, domain.User{Username: "c1", Role: domain.RoleCounsellor}, "tien tekens!")
	for _, c := range []struct {
		user string
		want []string
	}{{"k2", []string{"P1", "P2"}}, {"c1", nil}} {
		token, _, err := db.CreateSession(ctx, c.user, time.Hour, acctNow)
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.FindSession(ctx, token, acctNow)
		if err != nil {
			t.Fatal(err)
		}
		if s.User.Username != c.user || !slices.Equal(s.User.Providers, c.want) {
			t.Errorf("FindSession of %s = %s with providers %q, want %q", c.user, s.User.Username, s.User.Providers, c.want)
		}
	}
}

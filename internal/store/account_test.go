package store

import (
	"context"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// TestUserProfile: an account's display name and e-mail address are
// stored trimmed, read back by every read of an account (the session's
// too), checked by domain.CheckAccountProfile, refused when another account
// has the address in any case, and each change is in the audit trail.
func TestUserProfile(t *testing.T) {
	t.Parallel()
	db := accountsDB(t)
	ctx := context.Background()
	addUser(t, db, domain.User{Username: "teacher003", Role: domain.RoleTeacher, DisplayName: "  Sarah   Peeters ", Email: " sarah.peeters@cvo.be"}, "pw")
	addUser(t, db, domain.User{Username: "t2", Role: domain.RoleTeacher}, "pw")
	a, err := db.FindUser(ctx, "teacher003")
	if err != nil || a.DisplayName != "Sarah Peeters" || a.Email != "sarah.peeters@cvo.be" || a.Shown() != "Sarah Peeters" {
		t.Fatalf("FindUser = %+v, %v", a, err)
	}
	token, _, err := db.CreateSession(ctx, "teacher003", 3600e9, acctNow)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := db.FindSession(ctx, token, acctNow); err != nil || s.User.DisplayName != "Sarah Peeters" {
		t.Fatalf("FindSession = %+v, %v", s, err)
	}
	if users, err := db.ListUsers(ctx); err != nil || len(users) != 2 || users[1].DisplayName != "Sarah Peeters" || users[0].Shown() != "t2" {
		t.Fatalf("ListUsers = %+v, %v", users, err)
	}
	if names, err := db.DisplayNames(ctx); err != nil || len(names) != 1 || names["teacher003"] != "Sarah Peeters" {
		t.Fatalf("DisplayNames = %v, %v", names, err)
	}

	for _, tc := range []struct{ name, email, code string }{
		{"Jan Janssens", "jan@", domain.EINVALID},
		{"Jan\x07Janssens", "", domain.EINVALID},
		{strings.Repeat("x", domain.MaxNameLength+1), "", domain.EINVALID},
		{"Jan Janssens", "SARAH.Peeters@cvo.be", domain.ECONFLICT},
	} {
		if err := db.SetUserProfile(ctx, "admin", "t2", tc.name, tc.email, acctNow); domain.ErrorCode(err) != tc.code {
			t.Errorf("SetUserProfile(%q, %q) = %v, want %s", tc.name, tc.email, err, tc.code)
		}
	}
	err = db.CreateUser(ctx, "cli", domain.User{Username: "t3", Role: domain.RoleTeacher, Email: "Sarah.Peeters@CVO.be"}, quickHash(t, "pw"), acctNow)
	if domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("CreateUser with a taken address = %v, want ECONFLICT", err)
	}
	if err := db.SetUserProfile(ctx, "admin", "t2", "Jan Janssens", "jan.janssens@cvo.be", acctNow); err != nil {
		t.Fatal(err)
	}
	if err := db.SetUserProfile(ctx, "admin", "t2", "Jan Janssens", "jan.janssens@cvo.be", acctNow); err != nil {
		t.Fatal(err)
	}
	// The owner may keep their own address in another case.
	if err := db.SetUserProfile(ctx, "admin", "teacher003", "Sarah Peeters", "Sarah.Peeters@cvo.be", acctNow); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindUser(ctx, "nobody"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatal(err)
	}
	if err := db.SetUserProfile(ctx, "admin", "nobody", "X", "", acctNow); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("SetUserProfile of nobody = %v", err)
	}
	trail, err := db.ListAuditOf(ctx, "users", 10)
	if err != nil {
		t.Fatal(err)
	}
	updates := 0
	for _, e := range trail {
		if e.Action == AuditUpdate && e.Username == "admin" {
			updates++
			if !strings.Contains(string(e.After), `"display_name":`) || !strings.Contains(string(e.After), `"email":`) {
				t.Errorf("audit after %s", e.After)
			}
		}
	}
	if updates != 2 {
		t.Errorf("%d profile updates in the audit trail, want 2 (an unchanged one records nothing)", updates)
	}
}

package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

// acctNow is the fixed "now" of the account tests.
// lockingPolicy is a throttle that locks, to test the store's locking (the
// server itself uses auth.NoLock and slows attempts down instead).
var lockingPolicy = auth.Throttle{Failures: 5, Lock: time.Minute, MaxLock: 15 * time.Minute}

var acctNow = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// quickHash is a bcrypt hash at the lowest cost: auth.HashPassword's cost 12
// takes seconds under the race detector, and the store only keeps the hash.
func quickHash(t *testing.T, pw string) string {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

// accountsDB returns a migrated database with providers P1 and P2.
func accountsDB(t *testing.T) *DB {
	t.Helper()
	db := openTest(t)
	ctx := context.Background()
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO providers (code, name, type) VALUES ('P1', 'CVO Een', 'cvo'), ('P2', 'CBE Twee', 'cbe')`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return db
}

// addUser creates u with password pw, failing the test on error.
func addUser(t *testing.T, db *DB, u domain.User, pw string) {
	t.Helper()
	if err := db.CreateUser(context.Background(), "cli", u, quickHash(t, pw), acctNow); err != nil {
		t.Fatalf("CreateUser(%+v) = %v", u, err)
	}
}

func expectCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("%s: err = %v (code %q), want code %q", what, err, got, code)
	}
}

func TestCreateAndFindUser(t *testing.T) {
	db := accountsDB(t)
	ctx := context.Background()
	addUser(t, db, domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"P2", " P1", "P2"}}, "tien tekens!")
	a, err := db.FindUser(ctx, "k1")
	if err != nil {
		t.Fatal(err)
	}
	want := Account{User: domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"P1", "P2"}}, CreatedAt: acctNow}
	if a.Username != want.Username || a.Role != want.Role || !slices.Equal(a.Providers, want.Providers) ||
		a.Disabled || !a.CreatedAt.Equal(acctNow) || a.FailedLogins != 0 || !a.LockedUntil.IsZero() {
		t.Fatalf("FindUser = %+v, want %+v", a, want)
	}

	a, err = db.FindUser(ctx, "nobody")
	expectCode(t, "FindUser(nobody)", err, domain.ENOTFOUND)
	if a != nil {
		t.Fatalf("FindUser(nobody) = %+v, want nil", a)
	}

	h := quickHash(t, "tien tekens!")
	tests := []struct {
		name string
		u    domain.User
		hash string
		code string
	}{
		{"duplicate", domain.User{Username: "k1", Role: domain.RoleTeacher}, h, domain.ECONFLICT},
		{"bad user name", domain.User{Username: "k 1", Role: domain.RoleTeacher}, h, domain.EINVALID},
		{"no user name", domain.User{Role: domain.RoleTeacher}, h, domain.EINVALID},
		{"unknown role", domain.User{Username: "r1", Role: "root"}, h, domain.EINVALID},
		{"plain password", domain.User{Username: "t1", Role: domain.RoleTeacher}, "tien tekens!", domain.EINVALID},
		{"unknown provider", domain.User{Username: "t1", Role: domain.RoleTeacher, Providers: []string{"P9"}}, h, domain.EINVALID},
		{"coordinator without provider", domain.User{Username: "k2", Role: domain.RoleCoordinator}, h, domain.EINVALID},
	}
	for _, tt := range tests {
		err := db.CreateUser(ctx, "cli", tt.u, tt.hash, acctNow)
		expectCode(t, "CreateUser "+tt.name, err, tt.code)
	}
	// An audit without actor fails the whole write.
	err = db.CreateUser(ctx, "", domain.User{Username: "t1", Role: domain.RoleTeacher}, h, acctNow)
	expectCode(t, "CreateUser without actor", err, domain.EINVALID)
	_, err = db.FindUser(ctx, "t1")
	expectCode(t, "FindUser after a refused create", err, domain.ENOTFOUND)
}

func TestListUsers(t *testing.T) {
	db := accountsDB(t)
	ctx := context.Background()
	users, err := db.ListUsers(ctx)
	if err != nil || users == nil || len(users) != 0 {
		t.Fatalf("ListUsers on no users = %v, %v; want empty", users, err)
	}
	addUser(t, db, domain.User{Username: "t1", Role: domain.RoleTeacher}, "tien tekens!")
	addUser(t, db, domain.User{Username: "a1", Role: domain.RoleAdmin}, "tien tekens!")
	addUser(t, db, domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"P1", "P2"}}, "tien tekens!")
	users, err = db.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range users {
		got = append(got, u.Username+":"+string(u.Role)+":"+strings.Join(u.Providers, ","))
	}
	want := []string{"a1:admin:", "k1:coordinator:P1,P2", "t1:teacher:"}
	if !slices.Equal(got, want) {
		t.Fatalf("ListUsers = %v, want %v", got, want)
	}
}

func TestSetPassword(t *testing.T) {
	db := accountsDB(t)
	ctx := context.Background()
	addUser(t, db, domain.User{Username: "t1", Role: domain.RoleTeacher}, "old password")
	token, _, err := db.CreateSession(ctx, "t1", time.Hour, acctNow)
	if err != nil {
		t.Fatal(err)
	}
	for range lockingPolicy.Failures {
		if _, err := db.RecordLoginFailure(ctx, "t1", lockingPolicy, acctNow); err != nil {
			t.Fatal(err)
		}
	}
	expectCode(t, "SetPassword(nobody)", db.SetPassword(ctx, "cli", "nobody", quickHash(t, "new password"), acctNow), domain.ENOTFOUND)
	expectCode(t, "SetPassword(plain)", db.SetPassword(ctx, "cli", "t1", "new password", acctNow), domain.EINVALID)
	if err := db.SetPassword(ctx, "cli", "t1", quickHash(t, "new password"), acctNow); err != nil {
		t.Fatal(err)
	}
	_, err = db.FindSession(ctx, token, acctNow)
	expectCode(t, "session after password reset", err, domain.ENOTFOUND)
	if _, err := db.Authenticate(ctx, "t1", "old password", lockingPolicy, acctNow); !errors.Is(err, auth.ErrBadCredentials) {
		t.Fatalf("login with old password = %v, want ErrBadCredentials", err)
	}
	// The reset lifted the lock that the five failures set.
	if u, err := db.Authenticate(ctx, "t1", "new password", lockingPolicy, acctNow); err != nil || u.Username != "t1" {
		t.Fatalf("login with new password = %+v, %v", u, err)
	}
	var after string
	if err := db.read.GetContext(ctx, &after, `SELECT after_json FROM audit_log WHERE entity = 'users' AND action = 'update'`); err != nil {
		t.Fatal(err)
	}
	if after != `{"password":"changed"}` {
		t.Fatalf("audit of a password change = %s, want no more than that it changed", after)
	}
}

func TestSetDisabled(t *testing.T) {
	db := accountsDB(t)
	ctx := context.Background()
	addUser(t, db, domain.User{Username: "a1", Role: domain.RoleAdmin}, "tien tekens!")
	addUser(t, db, domain.User{Username: "t1", Role: domain.RoleTeacher}, "tien tekens!")
	token, _, err := db.CreateSession(ctx, "t1", time.Hour, acctNow)
	if err != nil {
		t.Fatal(err)
	}
	expectCode(t, "SetDisabled(nobody)", db.SetDisabled(ctx, "a1", "nobody", true, acctNow), domain.ENOTFOUND)
	expectCode(t, "disable the last admin", db.SetDisabled(ctx, "a1", "a1", true, acctNow), domain.ECONFLICT)
	if err := db.SetDisabled(ctx, "a1", "t1", true, acctNow); err != nil {
		t.Fatal(err)
	}
	if a, err := db.FindUser(ctx, "t1"); err != nil || !a.Disabled {
		t.Fatalf("after disabling FindUser = %+v, %v", a, err)
	}
	_, err = db.FindSession(ctx, token, acctNow)
	expectCode(t, "session of a disabled user", err, domain.ENOTFOUND)
	// A disabled account answers as a wrong password does, after the same
	// comparison and with the same failure counted: the answer confirms no
	// password (issue 18).
	for _, pw := range []string{"tien tekens!", "wrong password"} {
		before, _ := db.FindUser(ctx, "t1")
		if _, err := db.Authenticate(ctx, "t1", pw, auth.NoLock, acctNow); err != auth.ErrBadCredentials {
			t.Fatalf("login of a disabled user with %q = %v, want ErrBadCredentials", pw, err)
		}
		if after, _ := db.FindUser(ctx, "t1"); after.FailedLogins != before.FailedLogins+1 {
			t.Errorf("login of a disabled user with %q: %d failed logins, was %d", pw, after.FailedLogins, before.FailedLogins)
		}
	}
	if _, _, err := db.CreateSession(ctx, "t1", time.Hour, acctNow); !errors.Is(err, auth.ErrUserDisabled) {
		t.Fatalf("session for a disabled user = %v, want ErrUserDisabled", err)
	}
	if err := db.SetDisabled(ctx, "a1", "t1", true, acctNow); err != nil { // again: no change, no audit
		t.Fatal(err)
	}
	if err := db.SetDisabled(ctx, "a1", "t1", false, acctNow.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(ctx, "t1", "tien tekens!", lockingPolicy, acctNow); err != nil {
		t.Fatalf("login after re-enabling = %v", err)
	}
	var trail []string
	if err := db.read.SelectContext(ctx, &trail, `SELECT username || ' ' || action || ' ' || COALESCE(before_json, '-') || ' ' || after_json
		FROM audit_log WHERE record_key = 't1' ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`cli create - {"username":"t1","role":"teacher","providers":[],"disabled":false}`,
		`a1 update {"username":"t1","role":"teacher","providers":[],"disabled":false} {"username":"t1","role":"teacher","providers":[],"disabled":true}`,
		`a1 update {"username":"t1","role":"teacher","providers":[],"disabled":true} {"username":"t1","role":"teacher","providers":[],"disabled":false}`,
	}
	if !slices.Equal(trail, want) {
		t.Fatalf("audit trail of t1:\n%s\nwant\n%s", strings.Join(trail, "\n"), strings.Join(want, "\n"))
	}
	if strings.Contains(strings.Join(trail, ""), "$2a$") {
		t.Fatal("the audit trail holds a password hash")
	}
}

func TestSetUserProviders(t *testing.T) {
	db := accountsDB(t)
	ctx := context.Background()
	addUser(t, db, domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"P1"}}, "tien tekens!")
	addUser(t, db, domain.User{Username: "t1", Role: domain.RoleTeacher}, "tien tekens!")
	expectCode(t, "SetUserProviders(nobody)", db.SetUserProviders(ctx, "cli", "nobody", []string{"P1"}, acctNow), domain.ENOTFOUND)
	expectCode(t, "unknown provider", db.SetUserProviders(ctx, "cli", "k1", []string{"P1", "P9"}, acctNow), domain.EINVALID)
	expectCode(t, "coordinator without providers", db.SetUserProviders(ctx, "cli", "k1", nil, acctNow), domain.EINVALID)
	if err := db.SetUserProviders(ctx, "cli", "k1", []string{"P2", "P1"}, acctNow); err != nil {
		t.Fatal(err)
	}
	if a, _ := db.FindUser(ctx, "k1"); !slices.Equal(a.Providers, []string{"P1", "P2"}) {
		t.Fatalf("providers = %v, want [P1 P2]", a.Providers)
	}
	if err := db.SetUserProviders(ctx, "cli", "t1", nil, acctNow); err != nil {
		t.Fatalf("a teacher without providers: %v", err)
	}
}

func TestLoginThrottling(t *testing.T) {
	db := accountsDB(t)
	ctx := context.Background()
	p := lockingPolicy
	addUser(t, db, domain.User{Username: "t1", Role: domain.RoleTeacher}, "tien tekens!")
	now := acctNow
	for i := 1; i < p.Failures; i++ {
		if _, err := db.Authenticate(ctx, "t1", "wrong password", p, now); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("failure %d = %v, want ErrBadCredentials", i, err)
		}
	}
	if a, _ := db.FindUser(ctx, "t1"); a.FailedLogins != p.Failures-1 || a.Locked(now) {
		t.Fatalf("after %d failures: %d counted, locked=%v", p.Failures-1, a.FailedLogins, a.Locked(now))
	}
	until, err := db.RecordLoginFailure(ctx, "t1", p, now)
	if err != nil || !until.Equal(now.Add(time.Minute)) {
		t.Fatalf("failure %d locks until %v, %v; want %v", p.Failures, until, err, now.Add(time.Minute))
	}
	// Locked: even the right password is refused, without a bcrypt comparison.
	if _, err := db.Authenticate(ctx, "t1", "tien tekens!", p, now.Add(59*time.Second)); !errors.Is(err, auth.ErrLocked) {
		t.Fatalf("login while locked = %v, want ErrLocked", err)
	}
	// After the lock a further failure locks twice as long.
	now = now.Add(time.Minute)
	if _, err := db.Authenticate(ctx, "t1", "wrong password", p, now); !errors.Is(err, auth.ErrBadCredentials) {
		t.Fatal(err)
	}
	if a, _ := db.FindUser(ctx, "t1"); !a.LockedUntil.Equal(now.Add(2 * time.Minute)) {
		t.Fatalf("after %d failures locked until %v, want %v", p.Failures+1, a.LockedUntil, now.Add(2*time.Minute))
	}
	now = now.Add(2 * time.Minute)
	if u, err := db.Authenticate(ctx, "t1", "tien tekens!", p, now); err != nil || u.Username != "t1" {
		t.Fatalf("login after the lock = %+v, %v", u, err)
	}
	if a, _ := db.FindUser(ctx, "t1"); a.FailedLogins != 0 || !a.LockedUntil.IsZero() {
		t.Fatalf("a successful login left %d failures, lock %v", a.FailedLogins, a.LockedUntil)
	}
	_, err = db.RecordLoginFailure(ctx, "nobody", p, now)
	expectCode(t, "RecordLoginFailure(nobody)", err, domain.ENOTFOUND)
	expectCode(t, "RecordLoginSuccess(nobody)", db.RecordLoginSuccess(ctx, "nobody"), domain.ENOTFOUND)
	// An unknown user gets the same answer as a wrong password.
	if _, err := db.Authenticate(ctx, "nobody", "tien tekens!", p, now); !errors.Is(err, auth.ErrBadCredentials) {
		t.Fatalf("login of an unknown user = %v, want ErrBadCredentials", err)
	}
	if code := domain.ErrorCode(auth.ErrBadCredentials); code != auth.EUNAUTHORIZED {
		t.Fatalf("ErrBadCredentials code = %q, want %q", code, auth.EUNAUTHORIZED)
	}
}

func TestLearnerAndGroupFactsNotFound(t *testing.T) {
	db := accountsDB(t)
	ctx := context.Background()
	f, err := db.FindLearnerFacts(ctx, "L404")
	expectCode(t, "FindLearnerFacts(L404)", err, domain.ENOTFOUND)
	g, err2 := db.FindGroupFacts(ctx, "G404")
	expectCode(t, "FindGroupFacts(G404)", err2, domain.ENOTFOUND)
	if f != nil || g != nil {
		t.Fatalf("not found returned %+v, %+v; want nil", f, g)
	}
	upsert(t, db, sample())
	f, err = db.FindLearnerFacts(ctx, "L1")
	if err != nil || f.Counsellor != "c1" || len(f.Groups) != 1 || f.Groups[0] != (auth.GroupFacts{Code: "G001", Provider: "CVO-A"}) ||
		!slices.Equal(f.Providers, []string{"CVO-A"}) {
		t.Fatalf("FindLearnerFacts(L1) = %+v, %v", f, err)
	}
}

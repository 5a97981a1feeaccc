package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

// Account is a user account as stored, without its password hash.
type Account struct {
	domain.User
	CreatedAt    time.Time
	FailedLogins int       // failed logins in a row
	LockedUntil  time.Time // zero when never locked
}

// Locked reports whether the account is locked against logging in at now.
func (a *Account) Locked(now time.Time) bool { return now.Before(a.LockedUntil) }

// userRecord is an account as the audit trail shows it: never a password hash.
type userRecord struct {
	Username    string   `json:"username"`
	Role        string   `json:"role"`
	Providers   []string `json:"providers"`
	Disabled    bool     `json:"disabled"`
	DisplayName string   `json:"display_name,omitempty"`
	Email       string   `json:"email,omitempty"`
}

func recordOfUser(u domain.User) userRecord {
	ps := u.Providers
	if ps == nil {
		ps = []string{} // so that no providers reads the same before and after
	}
	return userRecord{Username: u.Username, Role: string(u.Role), Providers: ps, Disabled: u.Disabled, DisplayName: u.DisplayName, Email: u.Email}
}

// CreateUser stores the new account u with a password hash from
// auth.HashPassword, recording actor in the audit trail. It refuses a
// duplicate user name (ECONFLICT), and an invalid user name or role, a plain
// password, an unknown provider, a coordinator without providers, or a
// display name or e-mail address domain.CheckAccountProfile refuses
// (EINVALID), and an e-mail address of another account (ECONFLICT).
func (db *DB) CreateUser(ctx context.Context, actor string, u domain.User, passwordHash string, now time.Time) error {
	if err := domain.ValidateUsername(u.Username); err != nil {
		return err
	}
	u.DisplayName, u.Email = domain.CleanAccountProfile(u.DisplayName, u.Email)
	if err := domain.Refuse("user "+u.Username, domain.CheckAccountProfile(u.DisplayName, u.Email)...); err != nil {
		return err
	}
	if !u.Role.Valid() {
		return domain.Errorf(domain.EINVALID, "unknown role %q: use teacher, counsellor, coordinator or admin", u.Role)
	}
	if !auth.IsPasswordHash(passwordHash) {
		return domain.Errorf(domain.EINVALID, "user %q: the password must be stored hashed (auth.HashPassword)", u.Username)
	}
	u.Providers = cleanProviders(u.Providers)
	if u.Role == domain.RoleCoordinator && len(u.Providers) == 0 {
		return domain.Errorf(domain.EINVALID, "coordinator %q needs at least one provider", u.Username)
	}
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, _, err := tx.findAccount(ctx, u.Username); err == nil {
		return domain.Errorf(domain.ECONFLICT, "user %q already exists", u.Username)
	} else if domain.ErrorCode(err) != domain.ENOTFOUND {
		return err
	}
	if err := tx.checkProviders(ctx, u.Providers); err != nil {
		return err
	}
	if err := tx.checkEmailFree(ctx, u.Username, u.Email); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO users
		(username, role, password_hash, disabled, created_at, failed_logins, locked_until, display_name, email)
		VALUES (?, ?, ?, ?, ?, 0, NULL, ?, ?)`),
		u.Username, string(u.Role), passwordHash, disabledFlag(u.Disabled), utcText(now), u.DisplayName, u.Email); err != nil {
		return fmt.Errorf("create user %q: %w", u.Username, err)
	}
	if err := tx.insertUserProviders(ctx, u.Username, u.Providers); err != nil {
		return err
	}
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditCreate, Entity: "users", Key: u.Username,
		After: recordOfUser(u)}); err != nil {
		return err
	}
	return tx.Commit()
}

// FindUser returns the account named username, or ENOTFOUND.
func (db *DB) FindUser(ctx context.Context, username string) (*Account, error) {
	a, _, err := findAccount(ctx, db.read, db.read.Rebind, username)
	return a, err
}

// ListUsers returns every account, by user name.
func (db *DB) ListUsers(ctx context.Context) ([]Account, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT username, role, disabled, created_at, failed_logins, locked_until, display_name, email
		FROM users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []Account{}
	for rows.Next() {
		a, err := scanAccount(rows.Scan, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	providers := map[string][]string{}
	prows, err := db.read.QueryContext(ctx, `SELECT username, provider FROM user_providers ORDER BY username, provider`)
	if err != nil {
		return nil, fmt.Errorf("list user providers: %w", err)
	}
	defer prows.Close()
	for prows.Next() {
		var u, p string
		if err := prows.Scan(&u, &p); err != nil {
			return nil, fmt.Errorf("list user providers: %w", err)
		}
		providers[u] = append(providers[u], p)
	}
	if err := prows.Err(); err != nil {
		return nil, fmt.Errorf("list user providers: %w", err)
	}
	for i := range out {
		out[i].Providers = providers[out[i].Username]
	}
	return out, nil
}

// SetPassword replaces the password hash of username (from
// auth.HashPassword), lifts any login lock and ends the user's sessions.
func (db *DB) SetPassword(ctx context.Context, actor, username, passwordHash string, now time.Time) error {
	if !auth.IsPasswordHash(passwordHash) {
		return domain.Errorf(domain.EINVALID, "user %q: the password must be stored hashed (auth.HashPassword)", username)
	}
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, _, err := tx.findAccount(ctx, username); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL
		WHERE username = ?`), passwordHash, username); err != nil {
		return fmt.Errorf("set password of %q: %w", username, err)
	}
	if err := tx.deleteUserSessions(ctx, username); err != nil {
		return err
	}
	// The trail says that the password changed, never what it is.
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditUpdate, Entity: "users", Key: username,
		After: map[string]string{"password": "changed"}}); err != nil {
		return err
	}
	return tx.Commit()
}

// SetDisabled disables (ending their sessions; their API tokens stop working)
// or re-enables the account username. It refuses to disable the last enabled
// admin (ECONFLICT), who would be needed to undo it.
func (db *DB) SetDisabled(ctx context.Context, actor, username string, disabled bool, now time.Time) error {
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	a, _, err := tx.findAccount(ctx, username)
	if err != nil {
		return err
	}
	if a.Disabled == disabled {
		return nil
	}
	if disabled && a.Role == domain.RoleAdmin {
		var others int
		if err := tx.GetContext(ctx, &others, tx.Rebind(`SELECT COUNT(*) FROM users
			WHERE role = 'admin' AND disabled = 0 AND username <> ?`), username); err != nil {
			return fmt.Errorf("count admins: %w", err)
		}
		if others == 0 {
			return domain.Errorf(domain.ECONFLICT, "%q is the last enabled admin: enable or create another admin first", username)
		}
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE users SET disabled = ? WHERE username = ?`), disabledFlag(disabled), username); err != nil {
		return fmt.Errorf("disable %q: %w", username, err)
	}
	if disabled {
		if err := tx.deleteUserSessions(ctx, username); err != nil {
			return err
		}
	}
	after := a.User
	after.Disabled = disabled
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditUpdate, Entity: "users", Key: username,
		Before: recordOfUser(a.User), After: recordOfUser(after)}); err != nil {
		return err
	}
	return tx.Commit()
}

// SetUserProviders replaces the providers of username. It refuses an unknown
// provider, and no providers for a coordinator (EINVALID).
func (db *DB) SetUserProviders(ctx context.Context, actor, username string, providers []string, now time.Time) error {
	providers = cleanProviders(providers)
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	a, _, err := tx.findAccount(ctx, username)
	if err != nil {
		return err
	}
	if a.Role == domain.RoleCoordinator && len(providers) == 0 {
		return domain.Errorf(domain.EINVALID, "coordinator %q needs at least one provider", username)
	}
	if err := tx.checkProviders(ctx, providers); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM user_providers WHERE username = ?`), username); err != nil {
		return fmt.Errorf("set providers of %q: %w", username, err)
	}
	if err := tx.insertUserProviders(ctx, username, providers); err != nil {
		return err
	}
	after := a.User
	after.Providers = providers
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditUpdate, Entity: "users", Key: username,
		Before: recordOfUser(a.User), After: recordOfUser(after)}); err != nil {
		return err
	}
	return tx.Commit()
}

// RecordLoginFailure counts a failed login of username at now and, when
// policy says so, locks the account; it returns the end of that lock (zero
// when none). An unknown user name is ENOTFOUND: the server's per-address
// limiter covers those.
func (db *DB) RecordLoginFailure(ctx context.Context, username string, policy auth.Throttle, now time.Time) (time.Time, error) {
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return time.Time{}, err
	}
	defer tx.Rollback()
	var failures int
	err = tx.GetContext(ctx, &failures, tx.Rebind(`UPDATE users SET failed_logins = failed_logins + 1
		WHERE username = ? RETURNING failed_logins`), username)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, notFound("user", username)
	} else if err != nil {
		return time.Time{}, fmt.Errorf("record login failure: %w", err)
	}
	until := policy.LockedUntil(failures, now)
	if !until.IsZero() {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE users SET locked_until = ? WHERE username = ?`),
			utcText(until), username); err != nil {
			return time.Time{}, fmt.Errorf("lock %q: %w", username, err)
		}
	}
	return until.UTC().Truncate(time.Second), tx.Commit()
}

// RecordLoginSuccess resets the failed-login count and lock of username.
func (db *DB) RecordLoginSuccess(ctx context.Context, username string) error {
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`UPDATE users SET failed_logins = 0, locked_until = NULL
		WHERE username = ?`), username)
	if err != nil {
		return fmt.Errorf("record login: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("user", username)
	}
	return nil
}

// Authenticate checks a login form at now: it returns the user, or
// auth.ErrBadCredentials for an unknown user name, a wrong password or a
// disabled account (each takes one bcrypt comparison), and auth.ErrLocked
// while the account is locked. Failures and successes are recorded under
// policy. A disabled account answers as a wrong password does, with the
// right password too, along the same path (the comparison, the failure
// recorded): an answer that differed would confirm the password to whoever
// tried it (issue 18).
func (db *DB) Authenticate(ctx context.Context, username, password string, policy auth.Throttle, now time.Time) (*domain.User, error) {
	a, hash, err := findAccount(ctx, db.read, db.read.Rebind, username)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		auth.CheckPassword(db.unknownUserHash, password) // "" compares against auth's dummy hash
		return nil, auth.ErrBadCredentials
	} else if err != nil {
		return nil, err
	}
	if a.Locked(now) {
		return nil, auth.ErrLocked
	}
	if !auth.CheckPassword(hash, password) || a.Disabled {
		if _, err := db.RecordLoginFailure(ctx, username, policy, now); err != nil {
			return nil, err
		}
		return nil, auth.ErrBadCredentials
	}
	if a.FailedLogins > 0 || !a.LockedUntil.IsZero() {
		if err := db.RecordLoginSuccess(ctx, username); err != nil {
			return nil, err
		}
	}
	return &a.User, nil
}

// FindLearnerFacts returns what the permission rules of auth need to know
// about learner id (its counsellor, groups and providers), or ENOTFOUND: the
// facts of the learner page (LearnerFile.Facts), so that the providers follow
// the one linking rule of domain.ProviderLinks. Production reads the learner
// page instead; internal/server's tests still call this.
func (db *DB) FindLearnerFacts(ctx context.Context, id string) (*auth.LearnerFacts, error) {
	tx, err := db.read.BeginTxx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		return nil, fmt.Errorf("learner facts: %w", err)
	}
	defer tx.Rollback()
	f, err := findLearnerFile(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	facts := f.Facts()
	return &facts, nil
}

// FindGroupFacts returns what the permission rules of auth need to know
// about group code (its teacher and provider), or ENOTFOUND.
func (db *DB) FindGroupFacts(ctx context.Context, code string) (*auth.GroupFacts, error) {
	g := &auth.GroupFacts{}
	err := db.read.QueryRowContext(ctx, db.read.Rebind(`SELECT g.code, g.teacher, m.provider
		FROM course_groups g JOIN modules m ON m.code = g.module WHERE g.code = ?`), code).
		Scan(&g.Code, &g.Teacher, &g.Provider)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("group", code)
	} else if err != nil {
		return nil, fmt.Errorf("group facts of %q: %w", code, err)
	}
	return g, nil
}

// findAccount reads the account username with its password hash through q,
// or returns ENOTFOUND.
func findAccount(ctx context.Context, q sqlx.QueryerContext, bind func(string) string, username string) (*Account, string, error) {
	var hash string
	a, err := scanAccount(q.QueryRowxContext(ctx, bind(`SELECT username, role, disabled, created_at, failed_logins, locked_until,
		display_name, email, password_hash
		FROM users WHERE username = ?`), username).Scan, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", notFound("user", username)
	} else if err != nil {
		return nil, "", err
	}
	err = sqlx.SelectContext(ctx, q, &a.Providers, bind(`SELECT provider FROM user_providers WHERE username = ? ORDER BY provider`), username)
	if err != nil {
		return nil, "", fmt.Errorf("providers of %q: %w", username, err)
	}
	return a, hash, nil
}

// findAccount is findAccount within the transaction.
func (tx *Tx) findAccount(ctx context.Context, username string) (*Account, string, error) {
	return findAccount(ctx, tx, tx.Rebind, username)
}

// scanAccount scans the columns username, role, disabled, created_at,
// failed_logins, locked_until, display_name, email and, when hash is not
// nil, password_hash.
func scanAccount(scan func(...any) error, hash *string) (*Account, error) {
	var a Account
	var role, created string
	var disabled int
	var locked sql.NullString
	dst := []any{&a.Username, &role, &disabled, &created, &a.FailedLogins, &locked, &a.DisplayName, &a.Email}
	if hash != nil {
		dst = append(dst, hash)
	}
	if err := scan(dst...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, fmt.Errorf("read user: %w", err)
	}
	a.Role, a.Disabled = domain.Role(role), disabled != 0
	var err error
	if a.CreatedAt, err = parseUTCText(created); err != nil {
		return nil, err
	}
	if a.LockedUntil, err = parseNullUTCText(locked); err != nil {
		return nil, err
	}
	return &a, nil
}

// checkProviders returns EINVALID naming the first of codes that is not a
// stored provider.
func (tx *Tx) checkProviders(ctx context.Context, codes []string) error {
	for _, p := range codes {
		var n int
		if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM providers WHERE code = ?`), p); err != nil {
			return fmt.Errorf("check provider %q: %w", p, err)
		}
		if n == 0 {
			return domain.Errorf(domain.EINVALID, "unknown provider %q", p)
		}
	}
	return nil
}

func (tx *Tx) insertUserProviders(ctx context.Context, username string, providers []string) error {
	for _, p := range providers {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO user_providers (username, provider) VALUES (?, ?)`), username, p); err != nil {
			return fmt.Errorf("add provider %q to %q: %w", p, username, err)
		}
	}
	return nil
}

// cleanProviders trims, sorts and deduplicates provider codes, dropping blanks.
func cleanProviders(ps []string) []string {
	out := []string{}
	for _, p := range ps {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// disabledFlag is users.disabled for b.
func disabledFlag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SetUserProfile sets the display name and e-mail address of username
// (either may be ""), as domain.CheckAccountProfile allows (EINVALID), an
// address no other account has (ECONFLICT), recording actor in the audit
// trail.
func (db *DB) SetUserProfile(ctx context.Context, actor, username, name, email string, now time.Time) error {
	name, email = domain.CleanAccountProfile(name, email)
	if err := domain.Refuse("user "+username, domain.CheckAccountProfile(name, email)...); err != nil {
		return err
	}
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	a, _, err := tx.findAccount(ctx, username)
	if err != nil {
		return err
	}
	if a.DisplayName == name && a.Email == email {
		return nil
	}
	if err := tx.checkEmailFree(ctx, username, email); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE users SET display_name = ?, email = ? WHERE username = ?`), name, email, username); err != nil {
		return fmt.Errorf("set name of %q: %w", username, err)
	}
	after := a.User
	after.DisplayName, after.Email = name, email
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditUpdate, Entity: "users", Key: username,
		Before: recordOfUser(a.User), After: recordOfUser(after)}); err != nil {
		return err
	}
	return tx.Commit()
}

// ErrEmailTaken is the ECONFLICT of an e-mail address another account has.
var ErrEmailTaken = domain.Coded(domain.ECONFLICT, "adm.v.email.taken")

// checkEmailFree refuses an e-mail address that an account other than
// username has, compared without case (the unique index users_email).
func (tx *Tx) checkEmailFree(ctx context.Context, username, email string) error {
	if email == "" {
		return nil
	}
	var n int
	if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM users WHERE lower(email) = lower(?) AND username <> ?`), email, username); err != nil {
		return fmt.Errorf("check e-mail address: %w", err)
	}
	if n > 0 {
		return ErrEmailTaken
	}
	return nil
}

// DisplayNames returns the display name of every account that has one, by
// user name: one read for a page that names many people (the audit trail,
// the groups' teachers).
func (db *DB) DisplayNames(ctx context.Context) (map[string]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT username, display_name FROM users WHERE display_name <> ''`)
	if err != nil {
		return nil, fmt.Errorf("display names: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var u, n string
		if err := rows.Scan(&u, &n); err != nil {
			return nil, fmt.Errorf("display names: %w", err)
		}
		out[u] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("display names: %w", err)
	}
	return out, nil
}

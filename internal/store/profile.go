package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/interchange"
)

// Mapping profiles kept in the database (import_profiles): per provider, or
// for every provider (Provider ""), each under a name unique to its owner.
// Names are per owner, not per installation (schema/016): providers that
// import the same agency's list each keep their own profile of it, and a
// coordinator learns nothing of another provider's profiles from a name
// (issue 18).

// StoredProfile is a profile with whose it is.
type StoredProfile struct {
	Profile   *interchange.Profile
	Provider  string // "": every provider's
	CreatedBy string
	UpdatedAt time.Time
}

// SaveProfile stores p under its name for provider ("" for everyone),
// replacing that owner's profile of the same name and no other owner's. The
// provider must exist.
func (db *DB) SaveProfile(ctx context.Context, actor, provider string, p *interchange.Profile, now time.Time) error {
	if problems := p.Check(); len(problems) > 0 {
		return domain.Invalid("profile.invalid", "profile", problems[0])
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	tx, err := db.beginBookkeeping(ctx) // no figure depends on a profile
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if provider != "" {
		if err := tx.checkProviders(ctx, []string{provider}); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO import_profiles (name, provider, profile, created_by, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (provider, name) DO UPDATE SET profile = excluded.profile,
			created_by = excluded.created_by, updated_at = excluded.updated_at`),
		p.Name, provider, string(b), actor, ts(now)); err != nil {
		return fmt.Errorf("save profile %s: %w", p.Name, err)
	}
	return tx.Commit()
}

// ProfileOwner names whose a profile is, as messages say it.
func ProfileOwner(provider string) string {
	if provider == "" {
		return "every provider"
	}
	return provider
}

type profileRow struct {
	Name      string `db:"name"`
	Provider  string `db:"provider"`
	Profile   string `db:"profile"`
	CreatedBy string `db:"created_by"`
	UpdatedAt string `db:"updated_at"`
}

func (r *profileRow) stored() (*StoredProfile, error) {
	p, err := interchange.ParseProfile([]byte(r.Profile), "profile "+r.Name)
	if err != nil {
		return nil, err
	}
	at, err := time.Parse(time.RFC3339, r.UpdatedAt)
	if err != nil {
		return nil, fmt.Errorf("profile %s: updated_at %q: %w", r.Name, r.UpdatedAt, err)
	}
	return &StoredProfile{Profile: p, Provider: r.Provider, CreatedBy: r.CreatedBy, UpdatedAt: at}, nil
}

// Profile returns provider's stored profile name (provider "": everyone's);
// ENOTFOUND when there is none.
func (db *DB) Profile(ctx context.Context, provider, name string) (*StoredProfile, error) {
	var r profileRow
	err := db.read.GetContext(ctx, &r, db.read.Rebind(`SELECT name, provider, profile, created_by, updated_at
		FROM import_profiles WHERE provider = ? AND name = ?`), provider, name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "no profile %q of %s", name, ProfileOwner(provider))
	}
	if err != nil {
		return nil, err
	}
	return r.stored()
}

// ProfileNamed returns the one stored profile called name, whoever's it is,
// for the command line, which sees every provider's. None is ENOTFOUND;
// several owners' is EINVALID, naming them.
func (db *DB) ProfileNamed(ctx context.Context, name string) (*StoredProfile, error) {
	var owners []string
	if err := db.read.SelectContext(ctx, &owners, db.read.Rebind(`SELECT provider FROM import_profiles WHERE name = ? ORDER BY provider`), name); err != nil {
		return nil, err
	}
	switch len(owners) {
	case 0:
		return nil, domain.Errorf(domain.ENOTFOUND, "no profile %q", name)
	case 1:
		return db.Profile(ctx, owners[0], name)
	}
	for i, o := range owners {
		owners[i] = ProfileOwner(o)
	}
	return nil, domain.Errorf(domain.EINVALID, "profile %q is kept for %s: say whose", name, strings.Join(owners, ", "))
}

// Profiles returns the stored profiles by name, then owner (everyone's first).
func (db *DB) Profiles(ctx context.Context) ([]StoredProfile, error) {
	var rows []profileRow
	if err := db.read.SelectContext(ctx, &rows, `SELECT name, provider, profile, created_by, updated_at FROM import_profiles ORDER BY name, provider`); err != nil {
		return nil, err
	}
	out := make([]StoredProfile, 0, len(rows))
	for i := range rows {
		sp, err := rows[i].stored()
		if err != nil {
			return nil, err
		}
		out = append(out, *sp)
	}
	return out, nil
}

// RemoveProfile removes provider's profile name; ENOTFOUND when there is none.
func (db *DB) RemoveProfile(ctx context.Context, provider, name string) error {
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`DELETE FROM import_profiles WHERE provider = ? AND name = ?`), provider, name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "no profile %q of %s", name, ProfileOwner(provider))
	}
	return nil
}

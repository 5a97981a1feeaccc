package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/msg"
)

// Mapping profiles kept in the database (import_profiles): per provider, or
// for every provider (Provider ""), under a unique name.

// StoredProfile is a profile with whose it is.
type StoredProfile struct {
	Profile   *interchange.Profile
	Provider  string // "": every provider's
	CreatedBy string
	UpdatedAt time.Time
}

// SaveProfile stores p under its name for provider ("" for everyone),
// replacing that owner's profile of the same name; the name of another
// owner's profile is ECONFLICT. The provider must exist.
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
	// Names are unique in the installation, so that --profile NAME and the
	// assistant's saved profiles name one profile. A save replaces only a
	// profile of the same owner (the WHERE of the update, so that two saves
	// at once cannot slip past it): a profile handed over by another
	// provider must not overwrite, or take over, that provider's own.
	res, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO import_profiles (name, provider, profile, created_by, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET profile = excluded.profile,
			created_by = excluded.created_by, updated_at = excluded.updated_at
		WHERE import_profiles.provider = excluded.provider`),
		p.Name, provider, string(b), actor, ts(now))
	if err != nil {
		return fmt.Errorf("save profile %s: %w", p.Name, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("save profile %s: %w", p.Name, err)
	} else if n == 0 {
		var owner string
		if err := tx.GetContext(ctx, &owner, tx.Rebind(`SELECT provider FROM import_profiles WHERE name = ?`), p.Name); err != nil {
			return fmt.Errorf("save profile %s: %w", p.Name, err)
		}
		return domain.Coded(domain.ECONFLICT, "profile.taken", p.Name, profileOwner(owner))
	}
	return tx.Commit()
}

// profileOwner names whose a profile is, as messages say it.
func profileOwner(provider string) msg.Text {
	if provider == "" {
		return msg.New("profile.owner.all")
	}
	return msg.New("profile.owner", provider)
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

// Profile returns the stored profile name; ENOTFOUND when there is none.
func (db *DB) Profile(ctx context.Context, name string) (*StoredProfile, error) {
	var r profileRow
	err := db.read.GetContext(ctx, &r, db.read.Rebind(`SELECT name, provider, profile, created_by, updated_at FROM import_profiles WHERE name = ?`), name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "no profile %q", name)
	}
	if err != nil {
		return nil, err
	}
	return r.stored()
}

// Profiles returns the stored profiles by name.
func (db *DB) Profiles(ctx context.Context) ([]StoredProfile, error) {
	var rows []profileRow
	if err := db.read.SelectContext(ctx, &rows, `SELECT name, provider, profile, created_by, updated_at FROM import_profiles ORDER BY name`); err != nil {
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

// RemoveProfile removes the profile name; ENOTFOUND when there is none.
func (db *DB) RemoveProfile(ctx context.Context, name string) error {
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`DELETE FROM import_profiles WHERE name = ?`), name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "no profile %q", name)
	}
	return nil
}

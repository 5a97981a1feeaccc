package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// The administrator's reference data: providers, modules with their goals,
// and groups with their teacher, each written one record at a time with its
// audit entry, and the role of an account. The rules of spec/domain.md are
// checked again here (the server checks them first, with a message per
// field), together with the integrity rules that tie a record to the ones
// already stored.

// ListProviders returns every provider by code.
func (db *DB) ListProviders(ctx context.Context) ([]domain.Provider, error) {
	ds := &domain.DataSet{}
	if err := selectInto(ctx, db.read, "providers", ds, "1 = 1", "code"); err != nil {
		return nil, err
	}
	return ds.Providers, nil
}

// FindProvider returns the provider with this code, or ENOTFOUND.
func (db *DB) FindProvider(ctx context.Context, code string) (domain.Provider, error) {
	ds := &domain.DataSet{}
	if err := selectInto(ctx, db.read, "providers", ds, "code = ?", "", code); err != nil {
		return domain.Provider{}, err
	}
	if len(ds.Providers) == 0 {
		return domain.Provider{}, notFound("provider", code)
	}
	return ds.Providers[0], nil
}

// ModuleSummary is a module as the administrator's list shows it.
type ModuleSummary struct {
	domain.Module
	Goals  int // goals of the module
	Groups int // groups of the module
}

// ModuleQuery selects a page of modules.
type ModuleQuery struct {
	Search   string // part of the code, name or programme; "" for all
	Provider string // "" for every provider
	Offset   int
	Limit    int // ≤ 0: DefaultPageSize
}

// ModulePage is one page of modules, and how many match.
type ModulePage struct {
	Modules []ModuleSummary
	Total   int
}

// FindModules returns the modules that match q, by provider and code.
func (db *DB) FindModules(ctx context.Context, q ModuleQuery) (*ModulePage, error) {
	if q.Limit <= 0 {
		q.Limit = DefaultPageSize
	}
	where, args := "1 = 1", []any{}
	if s := strings.TrimSpace(q.Search); s != "" {
		where += ` AND (code ` + db.dialect.like() + ` ? ESCAPE '\' OR name ` + db.dialect.like() + ` ? ESCAPE '\' OR programme ` + db.dialect.like() + ` ? ESCAPE '\')`
		p := likePattern(s)
		args = append(args, p, p, p)
	}
	if q.Provider != "" {
		where += ` AND provider = ?`
		args = append(args, q.Provider)
	}
	tx, err := db.read.BeginTxx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		return nil, fmt.Errorf("find modules: %w", err)
	}
	defer tx.Rollback()
	page := &ModulePage{Modules: []ModuleSummary{}}
	if err := tx.GetContext(ctx, &page.Total, tx.Rebind(`SELECT COUNT(*) FROM modules WHERE `+where), args...); err != nil {
		return nil, fmt.Errorf("count modules: %w", err)
	}
	ds := &domain.DataSet{}
	if err := selectInto(ctx, tx, "modules", ds, where+" ORDER BY provider, code LIMIT ? OFFSET ?", "",
		append(args, q.Limit, q.Offset)...); err != nil {
		return nil, err
	}
	for _, m := range ds.Modules {
		s := ModuleSummary{Module: m}
		if err := tx.GetContext(ctx, &s.Goals, tx.Rebind(`SELECT COUNT(*) FROM goals WHERE module = ?`), m.Code); err != nil {
			return nil, fmt.Errorf("count goals: %w", err)
		}
		if err := tx.GetContext(ctx, &s.Groups, tx.Rebind(`SELECT COUNT(*) FROM course_groups WHERE module = ?`), m.Code); err != nil {
			return nil, fmt.Errorf("count groups: %w", err)
		}
		page.Modules = append(page.Modules, s)
	}
	return page, nil
}

// FindModule returns the module with this code and its goals by code, or
// ENOTFOUND.
func (db *DB) FindModule(ctx context.Context, code string) (domain.Module, []domain.Goal, error) {
	ds := &domain.DataSet{}
	if err := selectInto(ctx, db.read, "modules", ds, "code = ?", "", code); err != nil {
		return domain.Module{}, nil, err
	}
	if len(ds.Modules) == 0 {
		return domain.Module{}, nil, notFound("module", code)
	}
	if err := selectInto(ctx, db.read, "goals", ds, "module = ?", "code", code); err != nil {
		return domain.Module{}, nil, err
	}
	return ds.Modules[0], ds.Goals, nil
}

// FindGoal returns the goal with this code, or ENOTFOUND.
func (db *DB) FindGoal(ctx context.Context, code string) (domain.Goal, error) {
	ds := &domain.DataSet{}
	if err := selectInto(ctx, db.read, "goals", ds, "code = ?", "", code); err != nil {
		return domain.Goal{}, err
	}
	if len(ds.Goals) == 0 {
		return domain.Goal{}, notFound("goal", code)
	}
	return ds.Goals[0], nil
}

// FindGroupRecord returns the group with this code as stored, without its
// roster (FindGroup has that), or ENOTFOUND.
func (db *DB) FindGroupRecord(ctx context.Context, code string) (domain.Group, error) {
	ds := &domain.DataSet{}
	if err := selectInto(ctx, db.read, "groups", ds, "code = ?", "", code); err != nil {
		return domain.Group{}, err
	}
	if len(ds.Groups) == 0 {
		return domain.Group{}, notFound("group", code)
	}
	return ds.Groups[0], nil
}

// ListTeachers returns the user names of the enabled teacher accounts, in
// order: the people a group can be given to.
func (db *DB) ListTeachers(ctx context.Context) ([]string, error) {
	out := []string{}
	if err := db.read.SelectContext(ctx, &out, `SELECT username FROM users WHERE role = 'teacher' AND disabled = 0
		ORDER BY username`); err != nil {
		return nil, fmt.Errorf("list teachers: %w", err)
	}
	return out, nil
}

// VisibleLearners returns the ids of every learner u may see
// (LearnerFilter), for pages that list records by learner.
func (db *DB) VisibleLearners(ctx context.Context, u *domain.User) (map[string]bool, error) {
	where, args := LearnerFilter(u)
	var ids []string
	if err := db.read.SelectContext(ctx, &ids, db.read.Rebind(`SELECT l.id FROM learners l WHERE `+where), args...); err != nil {
		return nil, fmt.Errorf("visible learners: %w", err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// SaveProvider stores provider p as actor at now: a new one (create; a code
// in use is ECONFLICT) or a change of an existing one (ENOTFOUND when there
// is none). A broken rule is EINVALID.
func (db *DB) SaveProvider(ctx context.Context, actor string, p domain.Provider, create bool, now time.Time) error {
	return db.saveReference(ctx, actor, "providers", &domain.DataSet{Providers: []domain.Provider{p}}, p.Validate(), create, now,
		nil)
}

// SaveModule stores module m as SaveProvider does a provider. Its provider
// must exist, and a change may not take away a skill that evaluations in the
// module's groups assess (spec/domain.md, "Integrity rules").
func (db *DB) SaveModule(ctx context.Context, actor string, m domain.Module, create bool, now time.Time) error {
	return db.saveReference(ctx, actor, "modules", &domain.DataSet{Modules: []domain.Module{m}}, m.Validate(), create, now,
		func(tx *Tx) error {
			if err := tx.checkProviders(ctx, []string{m.Provider}); err != nil {
				return err
			}
			if create {
				return nil
			}
			return tx.checkEvaluationSkills(ctx, m, "group_code IN (SELECT code FROM course_groups WHERE module = ?)", m.Code)
		})
}

// SaveGoal stores goal g as SaveProvider does a provider; its module, when
// it names one, must exist.
func (db *DB) SaveGoal(ctx context.Context, actor string, g domain.Goal, create bool, now time.Time) error {
	return db.saveReference(ctx, actor, "goals", &domain.DataSet{Goals: []domain.Goal{g}}, g.Validate(), create, now,
		func(tx *Tx) error {
			if g.Module == "" {
				return nil
			}
			var n int
			if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM modules WHERE code = ?`), g.Module); err != nil {
				return fmt.Errorf("check module: %w", err)
			}
			if n == 0 {
				return domain.Errorf(domain.EINVALID, "goal %q: no module %q", g.Code, g.Module)
			}
			return nil
		})
}

// SaveGroup stores group g as SaveProvider does a provider. Its module must
// exist; a change keeps every enrollment within the rules (an enrollment
// starts at most a few days before its group) and every evaluation in the
// group within the skills of its (possibly new) module.
func (db *DB) SaveGroup(ctx context.Context, actor string, g domain.Group, create bool, now time.Time) error {
	return db.saveReference(ctx, actor, "groups", &domain.DataSet{Groups: []domain.Group{g}}, g.Validate(), create, now,
		func(tx *Tx) error {
			ds := &domain.DataSet{}
			if err := selectInto(ctx, tx, "modules", ds, "code = ?", "", g.Module); err != nil {
				return err
			}
			if len(ds.Modules) == 0 {
				return domain.Errorf(domain.EINVALID, "group %q: no module %q", g.Code, g.Module)
			}
			if create {
				return nil
			}
			if err := selectInto(ctx, tx, "enrollments", ds, "group_code = ?", "learner", g.Code); err != nil {
				return err
			}
			bad := 0
			var first *domain.FieldError
			for i := range ds.Enrollments {
				if fe := domain.CheckEnrollmentStart(&ds.Enrollments[i], &g); fe != nil {
					if bad++; first == nil {
						first = fe
					}
				}
			}
			if bad > 0 {
				return domain.Errorf(domain.EINVALID, "group %q: %d enrollment(s) would start too early for the new start date, e.g. %s",
					g.Code, bad, first.Message)
			}
			return tx.checkEvaluationSkills(ctx, ds.Modules[0], "group_code = ?", g.Code)
		})
}

// checkEvaluationSkills refuses (EINVALID) when a stored evaluation that
// matches where assesses a skill module m does not evaluate.
func (tx *Tx) checkEvaluationSkills(ctx context.Context, m domain.Module, where string, args ...any) error {
	ds := &domain.DataSet{}
	if err := selectInto(ctx, tx, "evaluations", ds, where, "", args...); err != nil {
		return err
	}
	bad := 0
	var first domain.FieldError
	for i := range ds.Evaluations {
		if fes := domain.CheckEvaluationSkills(&ds.Evaluations[i], &m); len(fes) > 0 {
			if bad++; bad == 1 {
				first = fes[0]
			}
		}
	}
	if bad > 0 {
		return domain.Errorf(domain.EINVALID, "%d stored evaluation(s) assess a skill that module %s would not evaluate, e.g. %s",
			bad, m.Code, first.Message)
	}
	return nil
}

// saveReference inserts (create) or updates the one record of entity in ds
// on its natural key in one transaction, after check, with its audit entry.
func (db *DB) saveReference(ctx context.Context, actor, entity string, ds *domain.DataSet, errs []domain.FieldError,
	create bool, now time.Time, check func(tx *Tx) error) error {
	t := tableFor(entity)
	vals := make([]any, len(t.cols))
	t.values(ds, 0, vals)
	what := strings.TrimSuffix(entity, "s") + " " + keyText(t, vals)
	if len(errs) > 0 {
		return domain.Errorf(domain.EINVALID, "%s: %s", what, errs[0])
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var where []string
	var keyArgs []any
	for _, k := range t.key {
		where = append(where, t.cols[k]+" = ?")
		keyArgs = append(keyArgs, vals[k])
	}
	old := &domain.DataSet{}
	if err := selectInto(ctx, tx, entity, old, strings.Join(where, " AND "), "", keyArgs...); err != nil {
		return err
	}
	exists := t.count(old) > 0
	key := strings.Trim(strings.ReplaceAll(keyText(t, vals), ", ", "/"), "()")
	switch {
	case create && exists:
		return domain.Errorf(domain.ECONFLICT, "%s already exists", what)
	case !create && !exists:
		return notFound(strings.TrimSuffix(entity, "s"), key)
	}
	if check != nil {
		if err := check(tx); err != nil {
			return err
		}
	}
	after := recordValues(entity, ds)
	entry := AuditEntry{At: now, Username: actor, Entity: entity, Key: key, After: after}
	if create {
		if _, err := tx.ExecContext(ctx, tx.Rebind(insertSQL(t)), vals...); err != nil {
			return fmt.Errorf("save %s: %w", what, err)
		}
		entry.Action = AuditCreate
	} else {
		if _, err := tx.ExecContext(ctx, tx.Rebind(updateSQL(t)), updateArgs(nil, t, vals)...); err != nil {
			return fmt.Errorf("save %s: %w", what, err)
		}
		entry.Action, entry.Before = AuditUpdate, recordValues(entity, old)
	}
	if err := tx.Audit(ctx, entry); err != nil {
		return err
	}
	return tx.Commit()
}

// SetUserRole gives username role with providers, in one transaction with
// its audit entry. A coordinator needs at least one provider (EINVALID); the
// last enabled admin keeps their role (ECONFLICT), as SetDisabled keeps them
// enabled. The account's sessions pick the new role up at their next request.
func (db *DB) SetUserRole(ctx context.Context, actor, username string, role domain.Role, providers []string, now time.Time) error {
	if !role.Valid() {
		return domain.Errorf(domain.EINVALID, "unknown role %q: use teacher, counsellor, coordinator or admin", role)
	}
	providers = cleanProviders(providers)
	if role == domain.RoleCoordinator && len(providers) == 0 {
		return domain.Errorf(domain.EINVALID, "coordinator %q needs at least one provider", username)
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
	if a.Role == domain.RoleAdmin && role != domain.RoleAdmin && !a.Disabled {
		var others int
		if err := tx.GetContext(ctx, &others, tx.Rebind(`SELECT COUNT(*) FROM users
			WHERE role = 'admin' AND disabled = 0 AND username <> ?`), username); err != nil {
			return fmt.Errorf("count admins: %w", err)
		}
		if others == 0 {
			return domain.Errorf(domain.ECONFLICT, "%q is the last enabled admin: make another account admin first", username)
		}
	}
	if err := tx.checkProviders(ctx, providers); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE users SET role = ? WHERE username = ?`), string(role), username); err != nil {
		return fmt.Errorf("set role of %q: %w", username, err)
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM user_providers WHERE username = ?`), username); err != nil {
		return fmt.Errorf("set providers of %q: %w", username, err)
	}
	if err := tx.insertUserProviders(ctx, username, providers); err != nil {
		return err
	}
	after := a.User
	after.Role, after.Providers = role, providers
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditUpdate, Entity: "users", Key: username,
		Before: recordOfUser(a.User), After: recordOfUser(after)}); err != nil {
		return err
	}
	return tx.Commit()
}

// ListAuditOf returns the newest audit entries of entity ("" for every
// entity that belongs to no learner: users, reference data, imports), newest
// first, at most limit of them (DefaultAuditLimit when limit ≤ 0), for the
// administrator's history.
func (db *DB) ListAuditOf(ctx context.Context, entity string, limit int) ([]AuditRecord, error) {
	if limit <= 0 {
		limit = DefaultAuditLimit
	}
	where, args := "learner IS NULL", []any{}
	if entity != "" {
		where += " AND entity = ?"
		args = append(args, entity)
	}
	rows, err := db.read.QueryContext(ctx, db.read.Rebind(`SELECT id, at, username, action, entity, record_key,
		before_json, after_json FROM audit_log WHERE `+where+` ORDER BY at DESC, id DESC LIMIT ?`), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	out := []AuditRecord{}
	for rows.Next() {
		var r AuditRecord
		var at string
		var before, after sql.NullString
		if err := rows.Scan(&r.ID, &at, &r.Username, &r.Action, &r.Entity, &r.Key, &before, &after); err != nil {
			return nil, fmt.Errorf("list audit: %w", err)
		}
		if r.At, err = parseUTCText(at); err != nil {
			return nil, err
		}
		if before.Valid {
			r.Before = []byte(before.String)
		}
		if after.Valid {
			r.After = []byte(after.String)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	return out, nil
}

// RecordChange records e in the audit trail in a transaction of its own,
// for a write that a store method without a trail of its own has just made
// (schedules, imports). It is bookkeeping: an import moved the data version
// when its own transaction committed, and a schedule is no data.
func (db *DB) RecordChange(ctx context.Context, e AuditEntry) error {
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.Audit(ctx, e); err != nil {
		return err
	}
	return tx.Commit()
}

package importer

import (
	"slices"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/store"
)

// Run is rep as an entry of the import history (store.RecordImport): made
// at at by user ("" for the command line) through channel, from the files
// source, with profile (""), the first error written in lang.
func (rep *Report) Run(at time.Time, user, channel, source, profile, lang string) store.ImportRun {
	r := store.ImportRun{At: at, Username: user, Channel: channel, Source: source, Profile: profile,
		Providers: rep.Providers, Result: store.ImportOK, Errors: len(rep.Errors), Counts: rep.Counts}
	if len(rep.Errors) > 0 {
		e := rep.Errors[0]
		r.Result, r.Counts = store.ImportRefused, nil
		r.FirstError = e.Pos.String() + ": "
		if e.Column != "" {
			r.FirstError += e.Column + ": "
		}
		r.FirstError += e.In(lang)
	}
	return r
}

// batchProviders are the providers an import concerns, for the import
// history's list per provider: a coordinator's own; for an admin or the
// command line, those the data set names (providers, modules, referrals,
// outflows, survey responses), sorted.
func batchProviders(u *domain.User, b *interchange.Batch) []string {
	if u != nil && u.Role != domain.RoleAdmin {
		return slices.Clone(u.Providers)
	}
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range b.Providers {
		add(p.Code)
	}
	for _, m := range b.Modules {
		add(m.Provider)
	}
	for _, r := range b.Referrals {
		add(r.Provider)
	}
	for _, o := range b.Outflows {
		add(o.Provider)
	}
	for _, r := range b.SurveyResponses {
		add(r.Provider)
	}
	slices.Sort(out)
	return out
}

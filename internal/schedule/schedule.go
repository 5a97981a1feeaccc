// Package schedule runs scheduled exports: it reads cron expressions and
// period rules, runs a schedule's export once (Runner) or whenever it is due
// (Scheduler), records every run in the store, writes workbooks atomically and
// keeps only the newest files a schedule wrote. The Runner runs any Job the
// caller hands it; WorkbookJob is the indicator workbook's, and
// WorkbookData loads what that workbook is written from, for the scheduled
// runs, `traject export indicators` and the web's download alike.
package schedule

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
)

// Job writes the workbook of schedule s for the inclusive period [from, to]
// to tmpPath, a file that does not exist yet; the Runner renames it into
// place only after Job returns nil.
type Job func(ctx context.Context, s domain.Schedule, from, to domain.Date, tmpPath string) error

// nameRE keeps schedule names safe inside file names on every platform: a
// label, or a provider's code, a '.' and a label (ScopedName).
var nameRE = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9_.-]{0,63}\.)?[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

// Schedule names are unique in the installation: they name the schedule's
// page, its folder, its workbooks and its run history. So that a
// coordinator who picks a name learns nothing of other providers'
// schedules (issue 18), a schedule of one provider made on the web is
// named after it, "<provider>.<label>" (ScopedName): each provider has
// names of its own, and a name with a '.' belongs to the provider before
// its last '.' (Validate), so a name taken in a provider's names is taken by
// one of that provider's schedules. Names without a '.' (schedules of every
// provider, and those made before or on the command line) stay as they are.

// ScopedName is the name of the schedule labelled label for provider: the
// label for a schedule of every provider (""), else "<provider>.<label>".
func ScopedName(provider, label string) string {
	if provider == "" {
		return label
	}
	return provider + "." + label
}

// IsName reports whether s may name a schedule (see nameRE).
func IsName(s string) bool { return nameRE.MatchString(s) }

// Validate checks a schedule before it is stored and returns it normalised:
// name, cron expression and provider trimmed, the period rule in its
// canonical spelling and the output folder absolute (the scheduler may run
// from another working directory than `traject schedule add`).
func Validate(s domain.Schedule) (domain.Schedule, error) {
	s.Name = strings.TrimSpace(s.Name)
	if !nameRE.MatchString(s.Name) {
		return s, domain.Errorf(domain.EINVALID, "schedule name %q: use 1 to 64 letters, digits, '-' or '_', starting with a letter or digit (after a provider's code and a '.')", s.Name)
	}
	s.Provider = strings.TrimSpace(s.Provider)
	if i := strings.LastIndexByte(s.Name, '.'); i >= 0 && s.Name[:i] != s.Provider {
		return s, domain.Errorf(domain.EINVALID, "schedule name %q belongs to provider %s: only its schedules are named %s.…", s.Name, s.Name[:i], s.Name[:i])
	}
	if _, err := ParseCron(s.Cron); err != nil {
		return s, err
	}
	s.Cron = strings.Join(strings.Fields(s.Cron), " ")
	rule, err := ParseRule(s.Period)
	if err != nil {
		return s, err
	}
	s.Period = string(rule)
	if strings.TrimSpace(s.OutDir) == "" {
		return s, domain.Errorf(domain.EINVALID, "schedule %q needs an output folder", s.Name)
	}
	dir, err := filepath.Abs(s.OutDir)
	if err != nil {
		return s, domain.Errorf(domain.EINVALID, "output folder %q: %v", s.OutDir, err)
	}
	s.OutDir = dir
	if s.Keep < 0 {
		return s, domain.Errorf(domain.EINVALID, "keep must be 0 (keep every file) or more, not %d", s.Keep)
	}
	return s, nil
}

// Package schedule runs scheduled exports: it reads cron expressions and
// period rules, runs a schedule's export once (Runner) or whenever it is due
// (Scheduler), records every run in the store, writes workbooks atomically and
// keeps only the newest files a schedule wrote. It knows nothing of workbooks:
// the caller hands it a Job that writes one.
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

// nameRE keeps schedule names safe inside file names on every platform.
var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

// Validate checks a schedule before it is stored and returns it normalised:
// name, cron expression and provider trimmed, the period rule in its
// canonical spelling and the output folder absolute (the scheduler may run
// from another working directory than `traject schedule add`).
func Validate(s domain.Schedule) (domain.Schedule, error) {
	s.Name = strings.TrimSpace(s.Name)
	if !nameRE.MatchString(s.Name) {
		return s, domain.Errorf(domain.EINVALID, "schedule name %q: use 1 to 64 letters, digits, '-' or '_', starting with a letter or digit", s.Name)
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
	s.Provider = strings.TrimSpace(s.Provider)
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

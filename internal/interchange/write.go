package interchange

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
)

// WriteDir exports ds as a folder of CSV files (spec/interchange.md,
// "Export"): all seventeen files, each with its header and every column, ','
// as separator, UTF-8 without byte-order mark, "\n" line ends and RFC 4180
// quoting. Records are sorted by natural key and values written in canonical
// form (ladder codes, YYYY-MM-DD, shortest decimal numbers, text trimmed as
// an import trims it), so that export, import and export again give
// byte-identical files. Each file is written under a temporary name and
// renamed when all are complete; the files are readable by their owner only,
// as they hold personal data.
func WriteDir(dir string, ds *domain.DataSet) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var temps []string
	defer func() {
		for _, t := range temps {
			os.Remove(t) // after a successful rename there is nothing left to remove
		}
	}()
	for i := range Entities {
		tmp, err := writeTemp(dir, &Entities[i], ds)
		if tmp != "" {
			temps = append(temps, tmp)
		}
		if err != nil {
			return err
		}
	}
	for i, tmp := range temps {
		if err := os.Rename(tmp, filepath.Join(dir, Entities[i].File)); err != nil {
			return err
		}
	}
	return nil
}

func writeTemp(dir string, ent *Entity, ds *domain.DataSet) (string, error) {
	f, err := os.CreateTemp(dir, "."+ent.File+".*.tmp")
	if err != nil {
		return "", err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	w := csv.NewWriter(bw)
	err = w.Write(ent.Columns)
	if err == nil {
		err = writeRecords(w, ent, ds)
	}
	if err == nil {
		w.Flush()
		err = w.Error()
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return f.Name(), err
}

// writeRecords writes the records of one entity, sorted by natural key.
func writeRecords(w *csv.Writer, ent *Entity, ds *domain.DataSet) error {
	rec := make([]string, len(ent.Columns))
	switch ent {
	case entProviders:
		return writeSorted(w, rec, ds.Providers,
			func(a, b *domain.Provider) int { return strings.Compare(a.Code, b.Code) },
			func(x *domain.Provider) {
				rec[0], rec[1], rec[2] = text(x.Code), text(x.Name), x.Type
			})
	case entModules:
		return writeSorted(w, rec, ds.Modules,
			func(a, b *domain.Module) int { return strings.Compare(a.Code, b.Code) },
			func(x *domain.Module) {
				rec[0], rec[1], rec[2], rec[3] = text(x.Code), text(x.Provider), text(x.Name), text(x.Programme)
				rec[4], rec[5], rec[6], rec[7] = x.EntryLevel.String(), x.TargetLevel.String(), x.Skills.String(), strconv.Itoa(x.NominalHours)
			})
	case entGoals:
		return writeSorted(w, rec, ds.Goals,
			func(a, b *domain.Goal) int { return strings.Compare(a.Code, b.Code) },
			func(x *domain.Goal) {
				rec[0], rec[1], rec[2] = text(x.Code), text(x.Module), skillCode(x.Skill)
				rec[3], rec[4], rec[5] = x.Level.String(), text(x.Description), x.Source
			})
	case entLearners:
		return writeSorted(w, rec, ds.Learners,
			func(a, b *domain.Learner) int { return strings.Compare(a.ID, b.ID) },
			func(x *domain.Learner) {
				rec[0], rec[1], rec[2], rec[3] = text(x.ID), text(x.FirstName), text(x.LastName), formatDate(x.BirthDate)
				rec[4], rec[5], rec[6] = x.Gender, text(x.HomeLanguage), strings.ToUpper(text(x.CountryOfBirth))
				rec[7], rec[8], rec[9] = x.SchoolingLevel, optInt(x.SchoolingYears), x.Literacy
				rec[10], rec[11], rec[12], rec[13] = x.LearningRoute, x.CivicStatus, x.Perspective, text(x.Counsellor)
			})
	case entLearnerGoals:
		return writeSorted(w, rec, ds.LearnerGoals,
			func(a, b *domain.LearnerGoal) int {
				return cmp.Or(strings.Compare(a.Learner, b.Learner), cmp.Compare(a.Skill, b.Skill))
			},
			func(x *domain.LearnerGoal) {
				rec[0], rec[1], rec[2] = text(x.Learner), skillCode(x.Skill), x.TargetLevel.String()
				rec[3], rec[4] = formatDate(x.SetDate), formatDate(x.TargetDate)
			})
	case entReferrals:
		return writeSorted(w, rec, ds.Referrals,
			func(a, b *domain.Referral) int {
				return cmp.Or(strings.Compare(a.Learner, b.Learner), cmp.Compare(a.Date, b.Date))
			},
			func(x *domain.Referral) {
				rec[0], rec[1], rec[2], rec[3] = text(x.Learner), formatDate(x.Date), x.Source, text(x.Provider)
			})
	case entGroups:
		return writeSorted(w, rec, ds.Groups,
			func(a, b *domain.Group) int { return strings.Compare(a.Code, b.Code) },
			func(x *domain.Group) {
				rec[0], rec[1], rec[2], rec[3] = text(x.Code), text(x.Module), formatDate(x.StartDate), formatDate(x.EndDate)
				rec[4], rec[5], rec[6] = strconv.Itoa(x.PlannedHours), text(x.Teacher), x.Intensity
			})
	case entLessons:
		return writeSorted(w, rec, ds.Lessons,
			func(a, b *domain.Lesson) int {
				return cmp.Or(strings.Compare(a.Group, b.Group), cmp.Compare(a.Date, b.Date))
			},
			func(x *domain.Lesson) {
				rec[0], rec[1], rec[2] = text(x.Group), formatDate(x.Date), domain.FormatHours(x.Hours)
			})
	case entAttendance:
		return writeSorted(w, rec, ds.Attendance,
			func(a, b *domain.Attendance) int {
				return cmp.Or(strings.Compare(a.Learner, b.Learner), strings.Compare(a.Group, b.Group), cmp.Compare(a.Date, b.Date))
			},
			func(x *domain.Attendance) {
				rec[0], rec[1], rec[2], rec[3], rec[4] = text(x.Learner), text(x.Group), formatDate(x.Date), x.Status, ""
				if x.Hours != nil {
					rec[4] = domain.FormatHours(*x.Hours)
				}
			})
	case entPlacements:
		return writeSorted(w, rec, ds.Placements,
			func(a, b *domain.Placement) int {
				return cmp.Or(strings.Compare(a.Learner, b.Learner), cmp.Compare(a.Date, b.Date), strings.Compare(a.Module, b.Module))
			},
			func(x *domain.Placement) {
				rec[0], rec[1], rec[2], rec[3] = text(x.Learner), formatDate(x.Date), text(x.Module), x.Method
				levelFields(rec[4:9], x.Levels)
			})
	case entEnrollments:
		return writeSorted(w, rec, ds.Enrollments,
			func(a, b *domain.Enrollment) int {
				return cmp.Or(strings.Compare(a.Learner, b.Learner), strings.Compare(a.Group, b.Group))
			},
			func(x *domain.Enrollment) {
				rec[0], rec[1], rec[2], rec[3] = text(x.Learner), text(x.Group), formatDate(x.StartDate), formatDate(x.EndDate)
				rec[4], rec[5] = x.Status, strconv.FormatFloat(x.HoursAttended, 'f', -1, 64)
			})
	case entEvaluations:
		return writeSorted(w, rec, ds.Evaluations,
			func(a, b *domain.Evaluation) int {
				return cmp.Or(strings.Compare(a.Learner, b.Learner), strings.Compare(a.Group, b.Group),
					cmp.Compare(a.Date, b.Date), strings.Compare(a.Kind, b.Kind))
			},
			func(x *domain.Evaluation) {
				rec[0], rec[1], rec[2], rec[3] = text(x.Learner), text(x.Group), formatDate(x.Date), x.Kind
				levelFields(rec[4:9], x.Levels)
				rec[9], rec[10], rec[11] = x.Decision, text(x.Evaluator), text(x.Feedback)
			})
	case entCertificates:
		return writeSorted(w, rec, ds.Certificates,
			func(a, b *domain.Certificate) int {
				return cmp.Or(strings.Compare(a.Learner, b.Learner), strings.Compare(a.Kind, b.Kind),
					strings.Compare(a.Module, b.Module), cmp.Compare(a.Date, b.Date))
			},
			func(x *domain.Certificate) {
				rec[0], rec[1], rec[2], rec[3] = text(x.Learner), x.Kind, text(x.Module), formatDate(x.Date)
				rec[4], rec[5] = text(x.Number), x.Level.String()
			})
	case entOutflows:
		return writeSorted(w, rec, ds.Outflows,
			func(a, b *domain.Outflow) int {
				return cmp.Or(strings.Compare(a.Learner, b.Learner), cmp.Compare(a.Date, b.Date))
			},
			func(x *domain.Outflow) {
				rec[0], rec[1], rec[2] = text(x.Learner), formatDate(x.Date), x.Type
				rec[3], rec[4], rec[5] = x.Reason, x.Destination, text(x.Provider)
			})
	case entFollowUps:
		return writeSorted(w, rec, ds.FollowUps,
			func(a, b *domain.FollowUp) int {
				return cmp.Or(strings.Compare(a.Learner, b.Learner), cmp.Compare(a.Date, b.Date))
			},
			func(x *domain.FollowUp) {
				rec[0], rec[1], rec[2] = text(x.Learner), formatDate(x.Date), x.Status
			})
	case entObservations:
		return writeSorted(w, rec, ds.Observations,
			func(a, b *domain.Observation) int {
				return cmp.Or(strings.Compare(a.Learner, b.Learner), strings.Compare(a.Group, b.Group), cmp.Compare(a.Date, b.Date))
			},
			func(x *domain.Observation) {
				rec[0], rec[1], rec[2] = text(x.Learner), text(x.Group), formatDate(x.Date)
				rec[3], rec[4], rec[5], rec[6] = scoreText(x.Wellbeing), scoreText(x.Involvement), text(x.Observer), text(x.Note)
			})
	case entSurveys:
		return writeSorted(w, rec, ds.SurveyResponses,
			func(a, b *domain.SurveyResponse) int { return strings.Compare(a.ID, b.ID) },
			func(x *domain.SurveyResponse) {
				rec[0], rec[1], rec[2], rec[3] = text(x.ID), text(x.Provider), formatDate(x.Date), x.Respondent
				rec[4], rec[5], rec[6] = text(x.Learner), text(x.Group), x.PartnerType
				rec[7], rec[8], rec[9], rec[10] = scoreText(x.Wellbeing), scoreText(x.Involvement), scoreText(x.Satisfaction), text(x.Comment)
			})
	}
	panic("interchange: no writer for " + ent.Name)
}

// writeSorted writes recs in the order of compare without reordering the
// caller's slice; fill puts one record's values into the reused row.
func writeSorted[T any](w *csv.Writer, row []string, recs []T, compare func(a, b *T) int, fill func(x *T)) error {
	order := make([]int32, len(recs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return compare(&recs[a], &recs[b]) })
	for _, i := range order {
		fill(&recs[i])
		for j := range row {
			row[j] = neutralise(row[j]) // formula.go
		}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// scoreText is a score as written: blank for none.
func scoreText(s domain.Score) string {
	if s == 0 {
		return ""
	}
	return strconv.Itoa(int(s))
}

// text is a value as an import reads it back: without surrounding spaces, and
// with the CRLF line breaks inside it as LF.
func text(s string) string {
	s = strings.TrimSpace(s)
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	return s
}

func skillCode(k domain.Skill) string {
	if k < 0 || k >= domain.NumSkills {
		return ""
	}
	return domain.SkillCodes[k]
}

func levelFields(dst []string, ls domain.Levels) {
	for k, l := range ls {
		dst[k] = l.String()
	}
}

func optInt(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// formatDate is domain.Date.String without fmt, for exports of a million rows.
func formatDate(d domain.Date) string {
	if d == 0 {
		return ""
	}
	y, m, day := d.YMD()
	if y < 0 || y > 9999 {
		return d.String()
	}
	b := [10]byte{
		byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + int(m)/10), byte('0' + int(m)%10), '-',
		byte('0' + day/10), byte('0' + day%10),
	}
	return string(b[:])
}

package ui

import (
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/schedule"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// The administration's page on backups and the retention of personal data
// (issue 13; spec/domain.md, "Personal data: access, erasure and
// retention"): the backup schedule the scheduler runs, the last backup and
// a warning when none succeeded for two days, and the retention period,
// whose dry run (who would be erased, and why) is shown before it is saved.
// The backup folder is not typed here: a web user never chooses a path on
// the server. It is the one `traject backup schedule --dir` set, or a folder
// "backups" beside the database.

// backupHistory is how many backups the page lists.
const backupHistory = 10

// maxRetentionYears is the longest retention period (store.SetRetention).
const maxRetentionYears = 100

// adminBackupView is the page.
type adminBackupView struct {
	Postgres  bool
	Notice    string // translated
	Busy      string // translated: a backup is being made already
	Schedule  *backupScheduleItem
	Form      *adminForm // the backup schedule
	Warning   string     // translated; "" when a backup succeeded within two days
	Last      *runItem   // the latest successful backup
	Failed    *runItem   // the latest backup, when it failed
	History   []runItem
	Retention retentionView
	Dir       string // where "back-up now" writes: the schedule's folder, or the default
	DB        string // the database's path, for the restore command shown
}

// backupScheduleItem is the backup schedule in words.
type backupScheduleItem struct {
	Cron, When, Dir, Next string
	Keep                  int
}

// retentionView is the retention period with its form and, after the form
// was sent, the dry run to confirm.
type retentionView struct {
	Years   int // stored; 0: off
	Form    *adminForm
	Preview *retentionPreview
}

// retentionPreview is the dry run of a retention period not yet saved.
type retentionPreview struct {
	Years  int
	Cutoff string
	Rows   []retentionRow
}

// retentionRow is a learner the dry run would erase, with their latest record.
type retentionRow struct {
	Learner, URL, Entity, Date string
}

// adminBackupRoutes registers the page on the admin group.
func (s *Handler) adminBackupRoutes(ad *gin.RouterGroup) {
	ad.GET("/backup", s.adminBackup)
	ad.POST("/backup", s.CSRF, s.adminSaveBackup)
	ad.POST("/backup/off", s.CSRF, s.adminBackupOff)
	ad.POST("/backup/now", s.CSRF, s.adminBackupNow)
	ad.GET("/backup/:id/download", s.adminBackupDownload)
	ad.POST("/retention", s.CSRF, s.adminRetention)
}

// defaultBackupDir is where backups set on the web go when no folder was
// set from the command line: "backups" beside the database.
func (s *Handler) defaultBackupDir() string {
	dir := filepath.Join(filepath.Dir(s.DB.Path()), "backups")
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}

// newBackupView reads the schedule, the backups and the retention period.
func (w *Handler) newBackupView(c *gin.Context) (*adminBackupView, error) {
	ctx := c.Request.Context()
	lang := core.Lang(c)
	v := &adminBackupView{Postgres: w.DB.IsPostgres(), DB: w.DB.Path()}
	years, err := w.DB.Retention(ctx)
	if err != nil {
		return nil, err
	}
	v.Retention = retentionView{Years: years, Form: retentionForm(lang, years)}
	if v.Postgres {
		return v, nil
	}
	dir, cron, keep := w.defaultBackupDir(), "", "0"
	s, err := w.DB.FindBackupSchedule(ctx)
	switch domain.ErrorCode(err) {
	case "":
		p := describe(lang, s.Cron, w.localNow(), 1)
		v.Schedule = &backupScheduleItem{Cron: s.Cron, When: p.When, Dir: s.Dir, Keep: s.Keep}
		if len(p.Next) > 0 {
			v.Schedule.Next = p.Next[0]
		}
		dir, cron, keep = s.Dir, s.Cron, strconv.Itoa(s.Keep)
	case domain.ENOTFOUND:
	default:
		return nil, err
	}
	v.Dir = dir
	v.Form = &adminForm{ID: "backup-form", Action: "/admin/backup", Legend: locale.T(lang, "bak.form"), Submit: locale.T(lang, "ws.save"),
		Fields: []formField{
			{Name: "cron", ID: "b-cron", Label: locale.T(lang, "sch.cron"), Type: "text", Value: cron, Max: 100, Hint: locale.T(lang, "bak.cron.hint")},
			{Name: "keep", ID: "b-keep", Label: locale.T(lang, "bak.keep"), Type: "number", Value: keep, Hint: locale.T(lang, "bak.keep.hint")},
			{Name: "dir", ID: "b-dir", Label: locale.T(lang, "bak.dir"), Type: "static", Value: dir, Hint: locale.T(lang, "bak.dir.hint")},
		}}

	runs, err := w.DB.ListRuns(ctx, store.RunQuery{Kind: domain.RunBackup, Limit: backupHistory})
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		v.History = append(v.History, w.newBackupItem(c, r))
	}
	if len(runs) > 0 && runs[0].Status == domain.RunFailed {
		v.Failed = &v.History[0]
	}
	last, err := w.DB.LastRun(ctx, store.RunQuery{Kind: domain.RunBackup, Status: domain.RunOK})
	switch domain.ErrorCode(err) {
	case "":
		it := w.newBackupItem(c, last)
		v.Last = &it
	case domain.ENOTFOUND:
	default:
		return nil, err
	}
	// The rule is domain's; the clock is the server's (injected in tests).
	if domain.BackupOverdue(last.FinishedAt, w.Now()) {
		v.Warning = locale.T(lang, "bak.warn.never")
		if v.Last != nil {
			v.Warning = locale.T(lang, "bak.warn.old", v.Last.Started)
		}
	}
	return v, nil
}

// retentionForm is the form of the retention period.
func retentionForm(lang string, years int) *adminForm {
	value := ""
	if years > 0 {
		value = strconv.Itoa(years)
	}
	return &adminForm{ID: "retention-form", Action: "/admin/retention", Legend: locale.T(lang, "ret.form"), Submit: locale.T(lang, "ret.preview"),
		Fields: []formField{{Name: "years", ID: "r-years", Label: locale.T(lang, "ret.years"), Type: "number", Value: value,
			Optional: true, Hint: locale.T(lang, "ret.years.hint")}}}
}

// adminBackup shows the page.
func (s *Handler) adminBackup(c *gin.Context) {
	v, err := s.newBackupView(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	switch c.Query("saved") {
	case "backup":
		v.Notice = locale.T(core.Lang(c), "bak.saved")
	case "off":
		v.Notice = locale.T(core.Lang(c), "bak.stopped")
	case "retention":
		v.Notice = locale.T(core.Lang(c), "ret.saved")
	case "failed":
		v.Notice = "" // the page shows the failed backup
	case "now":
		if v.Last != nil {
			v.Notice = locale.T(core.Lang(c), "bak.now.done", v.Last.Started, v.Last.Size)
		}
	}
	s.Render(c, http.StatusOK, "admin_backup", "", v)
}

// adminSaveBackup sets the backup schedule: cron expression and number to
// keep, into the folder shown.
func (w *Handler) adminSaveBackup(c *gin.Context) {
	lang := core.Lang(c)
	v, err := w.newBackupView(c)
	if err != nil {
		w.Fail(c, err)
		return
	}
	if v.Postgres {
		w.Render(c, http.StatusConflict, "admin_backup", "", v) // the page says pg_dump
		return
	}
	errs := fieldErrors{}
	cron := strings.Join(strings.Fields(c.PostForm("cron")), " ")
	keepText := strings.TrimSpace(c.PostForm("keep"))
	v.Form.field("cron").Value, v.Form.field("keep").Value = cron, keepText
	if cron == "" {
		errs["cron"] = locale.T(lang, "v.required")
	} else if _, err := schedule.ParseCron(cron); err != nil {
		errs["cron"] = locale.T(lang, "sch.v.cron", err.Error())
	}
	keep := 0
	if keepText != "" {
		n, err := strconv.Atoi(keepText)
		switch {
		case err != nil:
			errs["keep"] = locale.T(lang, "ws.v.int", keepText)
		case n < 0 || n > maxKeep:
			errs["keep"] = locale.T(lang, "ws.v.range", 0, maxKeep)
		}
		keep = n
	}
	if len(errs) == 0 {
		s, err := schedule.ValidateBackup(domain.BackupSchedule{Cron: cron, Dir: v.Form.field("dir").Value, Keep: keep, CreatedAt: w.Now()})
		if err == nil {
			err = w.DB.SetBackupSchedule(c.Request.Context(), core.CurrentUser(c).Username, s)
		}
		switch domain.ErrorCode(err) {
		case "":
			c.Redirect(http.StatusSeeOther, "/admin/backup?saved=backup")
			return
		case domain.EINVALID:
			errs["form"] = locale.T(lang, "ws.v.store", err.Error())
		default:
			w.Fail(c, err)
			return
		}
	}
	v.Form.setErrors(errs)
	w.Render(c, http.StatusUnprocessableEntity, "admin_backup", "", v)
}

// adminBackupOff stops scheduled backups; the backups made stay.
func (s *Handler) adminBackupOff(c *gin.Context) {
	if _, err := s.DB.DeleteBackupSchedule(c.Request.Context(), core.CurrentUser(c).Username, s.Now()); err != nil {
		s.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/backup?saved=off")
}

// adminRetention handles the retention form. An empty or zero period turns
// retention off at once; a period of years is first shown as a dry run —
// who would be erased and why — and saved only when that is confirmed
// (confirm=1).
func (s *Handler) adminRetention(c *gin.Context) {
	lang := core.Lang(c)
	ctx := c.Request.Context()
	text := strings.TrimSpace(c.PostForm("years"))
	years, msg := 0, ""
	if text != "" {
		n, err := strconv.Atoi(text)
		switch {
		case err != nil:
			msg = locale.T(lang, "ws.v.int", text)
		case n < 0 || n > maxRetentionYears:
			msg = locale.T(lang, "ws.v.range", 0, maxRetentionYears)
		}
		years = n
	}
	if msg == "" && (years == 0 || c.PostForm("confirm") == "1") {
		if err := s.DB.SetRetention(ctx, core.CurrentUser(c).Username, years, s.Now()); err != nil {
			s.Fail(c, err)
			return
		}
		c.Redirect(http.StatusSeeOther, "/admin/backup?saved=retention#retention")
		return
	}
	v, err := s.newBackupView(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v.Retention.Form.field("years").Value = text
	if msg != "" {
		v.Retention.Form.setErrors(fieldErrors{"years": msg})
		s.Render(c, http.StatusUnprocessableEntity, "admin_backup", "", v)
		return
	}
	today := domain.DateOf(s.localNow())
	cands, err := s.DB.RetentionCandidates(ctx, years, today)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := &retentionPreview{Years: years, Cutoff: today.AddYears(-years).String()}
	for _, cd := range cands {
		p.Rows = append(p.Rows, retentionRow{Learner: cd.Learner, URL: "/learners/" + url.PathEscape(cd.Learner),
			Entity: locale.T(lang, "ret.entity."+cd.Entity), Date: cd.Date.String()})
	}
	v.Retention.Preview = p
	s.Render(c, http.StatusOK, "admin_backup", "", v)
}

// newBackupItem is a backup of the run history with its download, while
// the file is still there (retention has not let go of it).
func (w *Handler) newBackupItem(c *gin.Context, r domain.Run) runItem {
	it := w.newRunItem(c, r)
	if r.Kind == domain.RunBackup && r.Status == domain.RunOK && r.PrunedAt.IsZero() && r.File != "" {
		it.Download = "/admin/backup/" + strconv.FormatInt(r.ID, 10) + "/download"
	}
	return it
}

// adminBackupNow makes a backup now, as `traject backup --out` does, into
// the folder the page shows, and records it in the run history as a manual
// backup (schedule.Runner.RunManualBackup). One runs at a time in this
// process; a second press meanwhile is told so. A failed backup is
// recorded, and the page shows it as the latest.
func (w *Handler) adminBackupNow(c *gin.Context) {
	if w.DB.IsPostgres() {
		v, err := w.newBackupView(c)
		if err != nil {
			w.Fail(c, err)
			return
		}
		w.Render(c, http.StatusConflict, "admin_backup", "", v) // the page says pg_dump
		return
	}
	release, ok := w.backups.TryTake()
	if !ok {
		v, err := w.newBackupView(c)
		if err != nil {
			w.Fail(c, err)
			return
		}
		v.Notice = ""
		v.Busy = locale.T(core.Lang(c), "bak.now.busy")
		w.Render(c, http.StatusTooManyRequests, "admin_backup", "", v)
		return
	}
	defer release()
	v, err := w.newBackupView(c)
	if err != nil {
		w.Fail(c, err)
		return
	}
	run, err := w.runner.RunManualBackup(c.Request.Context(), v.Dir)
	if err != nil {
		w.Log.Error("backup now failed", "backup", run.ID, "err", err)
		if run.ID == 0 { // not even recorded
			w.Fail(c, err)
			return
		}
		c.Redirect(http.StatusSeeOther, "/admin/backup?saved=failed")
		return
	}
	user := core.CurrentUser(c).Username
	if err := w.DB.RecordChange(c.Request.Context(), store.AuditEntry{At: w.Now(), Username: user, Action: store.AuditCreate,
		Entity: "backups", Key: strconv.FormatInt(run.ID, 10), After: map[string]any{"file": filepath.Base(run.File), "size": run.Size}}); err != nil {
		w.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/backup?saved=now")
}

// backupMIME is the media type of a SQLite database file.
const backupMIME = "application/vnd.sqlite3"

// adminBackupDownload streams a recorded backup to an admin: only a file a
// backup run recorded, not let go of by retention, and only while it is
// unchanged (the size and SHA-256 the run recorded); anything else is "not
// found". The download is written to the audit trail first, as an export:
// the file holds every learner's personal data.
func (w *Handler) adminBackupDownload(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		w.Fail(c, core.ErrNotFound)
		return
	}
	ctx := c.Request.Context()
	run, err := w.DB.FindRun(ctx, id)
	if err != nil || run.Kind != domain.RunBackup || run.Status != domain.RunOK || !run.PrunedAt.IsZero() || run.File == "" || !filepath.IsAbs(run.File) {
		w.Fail(c, core.ErrNotFound)
		return
	}
	f, err := openRecorded(run)
	if err != nil {
		if !errors.Is(err, errChanged) && !errors.Is(err, fs.ErrNotExist) {
			w.Log.Error("open recorded backup", "backup", run.ID, "err", err)
		}
		w.Fail(c, core.ErrNotFound)
		return
	}
	defer f.Close()
	if err := w.DB.RecordChange(ctx, store.AuditEntry{At: w.Now(), Username: core.CurrentUser(c).Username, Action: store.AuditExport,
		Entity: "backups", Key: strconv.FormatInt(run.ID, 10)}); err != nil {
		w.Fail(c, err)
		return
	}
	c.DataFromReader(http.StatusOK, run.Size, backupMIME, f, map[string]string{
		"Content-Disposition": mime.FormatMediaType("attachment", map[string]string{"filename": filepath.Base(run.File)}),
		"Cache-Control":       "no-store"})
}

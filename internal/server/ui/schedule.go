package ui

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/report"
	"github.com/traject-nt2/traject/internal/schedule"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// The schedules page (Planning): scheduled indicator workbooks with their
// cron expression in words and their next runs, created, edited, paused and
// deleted here; each schedule's run history with a download of every
// workbook a run recorded, and "run now". A coordinator manages the
// schedules of their own providers, an admin every one. Schedules made here
// write under the export folder (Config.ExportDir), in a folder named after
// the schedule: a web user never chooses a path on the server.

// scheduleNameRE is the rule of schedule.Validate for the label a form
// names a schedule by, checked here first for a message in the form's
// language; a schedule of one provider is stored as schedule.ScopedName.
var scheduleNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

// maxKeep bounds the retention a form may ask for.
const maxKeep = 1000

// runHistory is how many runs a schedule's page lists.
const runHistory = 50

// schedulesView is the list of schedules.
type schedulesView struct {
	Schedules []scheduleItem
	Scheduler string // the scheduler's state, translated
	Running   bool   // a scheduler holds the lock
	Deleted   string // the name of a schedule just deleted
}

// scheduleItem is one schedule, ready to print.
type scheduleItem struct {
	Name       string
	URL        string
	Cron       string
	When       string   // the cron expression in words
	Next       []string // the next run times
	Due        bool     // a run time has passed that the scheduler has not handled yet
	Period     string   // the period rule in words
	NextPeriod string   // the period the next run reports on
	Provider   string
	Exact      bool
	Keep       int
	Paused     bool
	Last       *runItem
}

// runItem is one run of the history, a schedule's workbook or a backup,
// ready to print: the schedule page and the backup page both list runs
// with it (newRunItem).
type runItem struct {
	ID       int64
	Number   int    // among the schedule's runs, from 1
	Trigger  string // translated
	Started  string
	Seconds  string
	Period   string // a workbook's period; "" for a backup
	Status   string // ok, failed, running
	Size     string // in words, e.g. "12 kB"
	Bytes    string // the size in bytes
	SHA256   string
	File     string // the file's path on the server, for an admin only
	Error    string
	Download string // "" when there is no file to download (a backup never has one)
	Pruned   bool
}

// scheduleView is one schedule's page.
type scheduleView struct {
	Item    scheduleItem
	OutDir  string // shown to an admin only
	Runs    []runItem
	Ran     *runItem // the run just made with "run now"
	Saved   bool
	Created bool
}

// scheduleForm is the form that creates or edits a schedule.
type scheduleForm struct {
	New       bool
	Name      string
	Cron      string
	Period    string
	Provider  string
	Exact     bool
	Keep      string
	Rules     []option
	Providers []option
	AllowAll  bool
	Errors    fieldErrors
	Preview   cronPreview
}

// cronPreview says what a cron expression means, under its field.
type cronPreview struct {
	When    string
	Next    []string
	Error   string
	Warning string // the cron does not suit the period rule (schedule.Fit)
}

// scheduleRoutes registers the schedule pages.
func (s *Handler) scheduleRoutes(a *gin.RouterGroup) {
	need := s.Require(auth.ManageSchedules)
	// "_new" and "_cron" can never be schedule names, which start with a
	// letter or digit.
	a.GET("/schedules", need, s.schedules)
	a.GET("/schedules/_new", need, s.newSchedule)
	a.GET("/schedules/_cron", need, s.cronPreview)
	a.POST("/schedules", s.CSRF, need, s.createSchedule)
	a.GET("/schedules/:name", need, s.schedulePage)
	a.GET("/schedules/:name/edit", need, s.editSchedule)
	a.POST("/schedules/:name", s.CSRF, need, s.updateSchedule)
	a.POST("/schedules/:name/pause", s.CSRF, need, s.pauseSchedule(true))
	a.POST("/schedules/:name/resume", s.CSRF, need, s.pauseSchedule(false))
	a.GET("/schedules/:name/delete", need, s.deleteSchedulePage)
	a.POST("/schedules/:name/delete", s.CSRF, need, s.deleteSchedule)
	a.POST("/schedules/:name/run", s.CSRF, need, s.runSchedule)
	a.GET("/schedules/:name/runs/:id/download", need, s.downloadRun)
}

// scheduleURL is the address of schedule name's page.
func scheduleURL(name string) string { return "/schedules/" + url.PathEscape(name) }

// loadSchedule reads the schedule of the route and checks that the user may
// manage it.
func (w *Handler) loadSchedule(c *gin.Context) (domain.Schedule, error) {
	s, err := w.DB.FindSchedule(c.Request.Context(), c.Param("name"))
	if err != nil {
		return s, core.ForbiddenOrNotFound(c, err)
	}
	if !auth.MayUseProvider(core.CurrentUser(c), s.Provider) {
		return s, auth.Forbidden(auth.ManageSchedules)
	}
	return s, nil
}

// localNow is the server's clock in the time zone the scheduler runs in.
func (s *Handler) localNow() time.Time { return s.Now().In(domain.Zone) }

// providerNames maps every provider's code to its name.
func (s *Handler) providerNames(ctx context.Context) (map[string]string, []string, error) {
	providers, err := s.DB.ListProviders(ctx)
	if err != nil {
		return nil, nil, err
	}
	names, codes := map[string]string{}, []string{}
	for _, p := range providers {
		names[p.Code] = p.Name
		codes = append(codes, p.Code)
	}
	return names, codes, nil
}

// fit warns, in lang, when cron expression expr does not suit period rule
// period (schedule.Fit); "" when it does, or either cannot be read.
func fit(lang, expr, period string, now time.Time) string {
	cs, err := schedule.ParseCron(expr)
	if err != nil {
		return ""
	}
	rule, err := schedule.ParseRule(period)
	if err != nil {
		return ""
	}
	switch schedule.Fit(cs, rule, now.In(domain.Zone)) {
	case schedule.FitRepeats:
		return locale.T(lang, "sch.fit.repeats", locale.T(lang, "sch.rule."+string(rule)))
	case schedule.FitSkips:
		return locale.T(lang, "sch.fit.skips", locale.T(lang, "sch.rule."+string(rule)))
	}
	return ""
}

// describe puts a cron expression in words in lang, with its next n times.
func describe(lang, expr string, now time.Time, n int) cronPreview {
	d, err := schedule.Describe(expr, now.In(domain.Zone), n)
	if err != nil {
		return cronPreview{Error: locale.T(lang, "sch.v.cron", err.Error())}
	}
	p := cronPreview{When: d.Dutch}
	if lang == "en" {
		p.When = d.English
	}
	for _, t := range d.Next {
		p.Next = append(p.Next, formatTime(t))
	}
	return p
}

// ruleLabel is a period rule in words.
func ruleLabel(lang, rule string) string {
	if r, err := schedule.ParseRule(rule); err == nil {
		return locale.T(lang, "sch.rule."+string(r))
	}
	return rule
}

// newScheduleItem puts schedule s in words as of now.
func (w *Handler) newScheduleItem(lang string, s domain.Schedule, names map[string]string, now time.Time) scheduleItem {
	it := scheduleItem{Name: s.Name, URL: scheduleURL(s.Name), Cron: s.Cron, Period: ruleLabel(lang, s.Period),
		Provider: locale.T(lang, "exp.allproviders"), Exact: s.Exact, Keep: s.Keep, Paused: s.Paused}
	if s.Provider != "" {
		it.Provider = s.Provider
		if n := names[s.Provider]; n != "" {
			it.Provider = n + " (" + s.Provider + ")"
		}
	}
	p := describe(lang, s.Cron, now, 3)
	p.Warning = fit(lang, s.Cron, s.Period, now)
	it.When, it.Next = p.When, p.Next
	if p.Error != "" {
		it.When = p.Error
	}
	if cs, err := schedule.ParseCron(s.Cron); err == nil && !s.Paused {
		base := s.LastDueAt
		if base.IsZero() {
			base = s.CreatedAt
		}
		next := cs.Next(base.In(domain.Zone))
		if !next.IsZero() && !next.After(now) {
			it.Due = true
			next = now
		} else if len(p.Next) == 0 {
			next = time.Time{}
		}
		if rule, err := schedule.ParseRule(s.Period); err == nil && !next.IsZero() {
			from, to := rule.Period(domain.DateOf(next))
			it.NextPeriod = from.String() + " – " + to.String()
		}
	}
	return it
}

// newRunItem puts run r in words: the one listing of the run history.
func (s *Handler) newRunItem(c *gin.Context, r domain.Run) runItem {
	lang := core.Lang(c)
	admin := core.CurrentUser(c).Role == domain.RoleAdmin
	it := runItem{ID: r.ID, Number: r.Number, Trigger: locale.T(lang, "sch.trigger."+r.Trigger), Started: formatTime(r.StartedAt),
		Status: r.Status, Pruned: !r.PrunedAt.IsZero()}
	if r.From != 0 {
		it.Period = r.From.String() + " – " + r.To.String()
	}
	if !r.FinishedAt.IsZero() {
		it.Seconds = strconv.Itoa(int(r.FinishedAt.Sub(r.StartedAt).Seconds()))
	}
	switch r.Status {
	case domain.RunOK:
		it.Size, it.Bytes, it.SHA256 = formatSize(lang, r.Size), strconv.FormatInt(r.Size, 10), r.SHA256
		if admin {
			it.File = r.File
		}
		if r.Kind == domain.RunWorkbook && !it.Pruned && r.File != "" {
			it.Download = scheduleURL(r.Schedule) + "/runs/" + strconv.FormatInt(r.ID, 10) + "/download"
		}
	case domain.RunFailed:
		msg := r.Error
		if !admin {
			msg = strings.ReplaceAll(msg, s.exportDir, "…") // no server paths for coordinators
		}
		if len(msg) > 500 {
			msg = msg[:500] + "…"
		}
		it.Error = msg
	}
	return it
}

// schedulerState says whether a scheduler runs the schedules of this
// database (only one may: the lock of schedule.Scheduler).
func (s *Handler) schedulerState(ctx context.Context, lang string) (string, bool) {
	l, err := s.DB.FindSchedulerLock(ctx)
	running := err == nil && l.ExpiresAt.After(s.Now())
	switch {
	case running && s.opts.Scheduler:
		return locale.T(lang, "sch.state.here"), true
	case running:
		return locale.T(lang, "sch.state.other", l.Holder), true
	case s.opts.Scheduler:
		return locale.T(lang, "sch.state.starting"), false
	}
	return locale.T(lang, "sch.state.none"), false
}

// schedules lists the schedules the user manages.
func (w *Handler) schedules(c *gin.Context) {
	ctx := c.Request.Context()
	lang := core.Lang(c)
	u := core.CurrentUser(c)
	list, err := w.DB.ListSchedules(ctx)
	if err != nil {
		w.Fail(c, err)
		return
	}
	names, _, err := w.providerNames(ctx)
	if err != nil {
		w.Fail(c, err)
		return
	}
	v := &schedulesView{Deleted: c.Query("deleted")}
	if !schedule.IsName(v.Deleted) {
		v.Deleted = ""
	}
	v.Scheduler, v.Running = w.schedulerState(ctx, lang)
	now := w.localNow()
	for _, s := range list {
		if !auth.MayUseProvider(u, s.Provider) {
			continue
		}
		it := w.newScheduleItem(lang, s, names, now)
		runs, err := w.DB.ListRuns(ctx, store.RunQuery{Kind: domain.RunWorkbook, Schedule: s.Name, Limit: 1})
		if err != nil {
			w.Fail(c, err)
			return
		}
		if len(runs) == 1 {
			r := w.newRunItem(c, runs[0])
			it.Last = &r
		}
		v.Schedules = append(v.Schedules, it)
	}
	w.Render(c, http.StatusOK, "schedules", "", v)
}

// newScheduleView is the page of schedule s.
func (w *Handler) newScheduleView(c *gin.Context, s domain.Schedule) (*scheduleView, error) {
	ctx := c.Request.Context()
	names, _, err := w.providerNames(ctx)
	if err != nil {
		return nil, err
	}
	v := &scheduleView{Item: w.newScheduleItem(core.Lang(c), s, names, w.localNow())}
	if core.CurrentUser(c).Role == domain.RoleAdmin {
		v.OutDir = s.OutDir
	}
	runs, err := w.DB.ListRuns(ctx, store.RunQuery{Kind: domain.RunWorkbook, Schedule: s.Name, Limit: runHistory})
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		v.Runs = append(v.Runs, w.newRunItem(c, r))
	}
	return v, nil
}

// schedulePage shows a schedule with its run history.
func (w *Handler) schedulePage(c *gin.Context) {
	s, err := w.loadSchedule(c)
	if err != nil {
		w.Fail(c, err)
		return
	}
	v, err := w.newScheduleView(c, s)
	if err != nil {
		w.Fail(c, err)
		return
	}
	v.Saved, v.Created = c.Query("saved") == "1", c.Query("created") == "1"
	if id, err := strconv.ParseInt(c.Query("ran"), 10, 64); err == nil {
		for i := range v.Runs {
			if v.Runs[i].ID == id {
				v.Ran = &v.Runs[i]
			}
		}
	}
	w.Render(c, http.StatusOK, "schedule", "", v)
}

// newScheduleForm is the form with its choices, filled from s.
func (w *Handler) newScheduleForm(c *gin.Context, s domain.Schedule, isNew bool) (*scheduleForm, error) {
	lang := core.Lang(c)
	u := core.CurrentUser(c)
	f := &scheduleForm{New: isNew, Name: s.Name, Cron: s.Cron, Period: s.Period, Provider: s.Provider, Exact: s.Exact,
		Keep: strconv.Itoa(s.Keep), AllowAll: u.Role == domain.RoleAdmin, Errors: fieldErrors{}}
	for _, r := range schedule.Rules() {
		f.Rules = append(f.Rules, option{Value: string(r), Label: locale.T(lang, "sch.rule."+string(r))})
	}
	names, codes, err := w.providerNames(c.Request.Context())
	if err != nil {
		return nil, err
	}
	f.Providers = providerOptions(u, names, codes)
	if f.Cron != "" {
		f.Preview = describe(lang, f.Cron, w.localNow(), 3)
		f.Preview.Warning = fit(lang, f.Cron, f.Period, w.localNow())
	}
	return f, nil
}

// newSchedule shows the empty form, with a first-of-the-month example.
func (w *Handler) newSchedule(c *gin.Context) {
	s := domain.Schedule{Cron: "0 6 1 * *", Period: string(schedule.PreviousMonth)}
	if u := core.CurrentUser(c); u.Role != domain.RoleAdmin && len(u.Providers) > 0 {
		s.Provider = u.Providers[0]
	}
	f, err := w.newScheduleForm(c, s, true)
	if err != nil {
		w.Fail(c, err)
		return
	}
	w.Render(c, http.StatusOK, "schedule_form", "", f)
}

// cronPreview answers the form's cron field with its meaning (htmx), or the
// form with it (without script).
func (s *Handler) cronPreview(c *gin.Context) {
	lang := core.Lang(c)
	f := &scheduleForm{Cron: strings.TrimSpace(c.Query("cron"))}
	if len(f.Cron) > 200 {
		f.Cron = f.Cron[:200]
	}
	f.Preview = describe(lang, f.Cron, s.localNow(), 3)
	f.Preview.Warning = fit(lang, f.Cron, c.Query("period"), s.localNow())
	if core.IsHTMX(c) {
		s.Render(c, http.StatusOK, "schedule_form", "cron-preview", f)
		return
	}
	full, err := s.newScheduleForm(c, domain.Schedule{Cron: f.Cron, Period: string(schedule.PreviousMonth)}, true)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "schedule_form", "", full)
}

// editSchedule shows the form filled with a schedule.
func (w *Handler) editSchedule(c *gin.Context) {
	s, err := w.loadSchedule(c)
	if err != nil {
		w.Fail(c, err)
		return
	}
	f, err := w.newScheduleForm(c, s, false)
	if err != nil {
		w.Fail(c, err)
		return
	}
	w.Render(c, http.StatusOK, "schedule_form", "", f)
}

// parseScheduleForm reads and checks the posted form into s, with a
// message per wrong field in f.
func (w *Handler) parseScheduleForm(c *gin.Context, f *scheduleForm, s *domain.Schedule) {
	lang := core.Lang(c)
	u := core.CurrentUser(c)
	f.Cron = strings.Join(strings.Fields(c.PostForm("cron")), " ")
	f.Period, f.Provider = c.PostForm("period"), c.PostForm("provider")
	f.Exact, f.Keep = c.PostForm("exact") == "1", strings.TrimSpace(c.PostForm("keep"))
	if f.Cron == "" {
		f.Errors["cron"] = locale.T(lang, "v.required")
	} else if _, err := schedule.ParseCron(f.Cron); err != nil {
		f.Errors["cron"] = locale.T(lang, "sch.v.cron", err.Error())
	} else {
		f.Preview = describe(lang, f.Cron, w.localNow(), 3)
		f.Preview.Warning = fit(lang, f.Cron, f.Period, w.localNow())
	}
	rule, err := schedule.ParseRule(f.Period)
	if err != nil {
		f.Errors["period"] = locale.T(lang, "v.choose")
	}
	known := f.Provider == "" && f.AllowAll
	for _, o := range f.Providers {
		known = known || o.Value == f.Provider
	}
	if !known || !auth.MayUseProvider(u, f.Provider) {
		f.Errors["provider"] = locale.T(lang, "ws.v.provider")
	}
	keep := 0
	if f.Keep != "" {
		n, err := strconv.Atoi(f.Keep)
		switch {
		case err != nil:
			f.Errors["keep"] = locale.T(lang, "ws.v.int", f.Keep)
		case n < 0 || n > maxKeep:
			f.Errors["keep"] = locale.T(lang, "ws.v.range", 0, maxKeep)
		}
		keep = n
	}
	s.Cron, s.Period, s.Provider, s.Exact, s.Keep = f.Cron, string(rule), f.Provider, f.Exact, keep
}

// createSchedule stores a new schedule, writing under the export folder.
func (w *Handler) createSchedule(c *gin.Context) {
	lang := core.Lang(c)
	f, err := w.newScheduleForm(c, domain.Schedule{}, true)
	if err != nil {
		w.Fail(c, err)
		return
	}
	f.Name = strings.TrimSpace(c.PostForm("name"))
	s := domain.Schedule{Name: f.Name, CreatedAt: w.Now()}
	switch {
	case f.Name == "":
		f.Errors["name"] = locale.T(lang, "v.required")
	case !scheduleNameRE.MatchString(f.Name):
		f.Errors["name"] = locale.T(lang, "sch.v.name")
	}
	w.parseScheduleForm(c, f, &s)
	// Named in its provider's names, so that a name taken tells of that
	// provider's schedules only, which the user sees (issue 18).
	s.Name = schedule.ScopedName(s.Provider, f.Name)
	s.OutDir = filepath.Join(w.exportDir, s.Name)
	if len(f.Errors) == 0 {
		var err error
		if s, err = schedule.Validate(s); err != nil {
			f.Errors["form"] = locale.T(lang, "ws.v.store", err.Error())
		}
	}
	if len(f.Errors) == 0 {
		err := w.DB.CreateSchedule(c.Request.Context(), s)
		switch domain.ErrorCode(err) {
		case "":
		case domain.ECONFLICT:
			f.Errors["name"] = locale.T(lang, "sch.v.taken")
		default:
			w.Fail(c, err)
			return
		}
	}
	if len(f.Errors) > 0 {
		w.Render(c, http.StatusUnprocessableEntity, "schedule_form", "", f)
		return
	}
	w.recordSchedule(c, store.AuditCreate, nil, &s)
	c.Redirect(http.StatusSeeOther, scheduleURL(s.Name)+"?created=1")
}

// updateSchedule stores the changed settings of a schedule; its folder
// stays where it is.
func (w *Handler) updateSchedule(c *gin.Context) {
	old, err := w.loadSchedule(c)
	if err != nil {
		w.Fail(c, err)
		return
	}
	lang := core.Lang(c)
	f, err := w.newScheduleForm(c, old, false)
	if err != nil {
		w.Fail(c, err)
		return
	}
	s := old
	w.parseScheduleForm(c, f, &s)
	if len(f.Errors) == 0 {
		var err error
		if s, err = schedule.Validate(s); err != nil {
			f.Errors["form"] = locale.T(lang, "ws.v.store", err.Error())
		}
	}
	if len(f.Errors) > 0 {
		w.Render(c, http.StatusUnprocessableEntity, "schedule_form", "", f)
		return
	}
	if err := w.DB.UpdateSchedule(c.Request.Context(), s); err != nil {
		w.Fail(c, err)
		return
	}
	w.recordSchedule(c, store.AuditUpdate, &old, &s)
	c.Redirect(http.StatusSeeOther, scheduleURL(s.Name)+"?saved=1")
}

// pauseSchedule pauses or resumes a schedule. A schedule resumes from now:
// the run times it missed while paused are not caught up.
func (w *Handler) pauseSchedule(pause bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		old, err := w.loadSchedule(c)
		if err != nil {
			w.Fail(c, err)
			return
		}
		s := old
		s.Paused = pause
		if err := w.DB.UpdateSchedule(c.Request.Context(), s); err != nil {
			w.Fail(c, err)
			return
		}
		if !pause && old.Paused {
			if err := w.DB.SetScheduleDue(c.Request.Context(), s.Name, w.Now()); err != nil {
				w.Fail(c, err)
				return
			}
		}
		w.recordSchedule(c, store.AuditUpdate, &old, &s)
		c.Redirect(http.StatusSeeOther, scheduleURL(s.Name)+"?saved=1")
	}
}

// deleteSchedulePage asks whether to delete a schedule.
func (w *Handler) deleteSchedulePage(c *gin.Context) {
	s, err := w.loadSchedule(c)
	if err != nil {
		w.Fail(c, err)
		return
	}
	w.Render(c, http.StatusOK, "schedule_delete", "", scheduleItem{Name: s.Name, URL: scheduleURL(s.Name)})
}

// deleteSchedule deletes a schedule and its run history; its workbooks stay.
func (w *Handler) deleteSchedule(c *gin.Context) {
	s, err := w.loadSchedule(c)
	if err != nil {
		w.Fail(c, err)
		return
	}
	if err := w.DB.DeleteSchedule(c.Request.Context(), s.Name); err != nil {
		w.Fail(c, err)
		return
	}
	w.recordSchedule(c, store.AuditDelete, &s, nil)
	c.Redirect(http.StatusSeeOther, "/schedules?deleted="+url.QueryEscape(s.Name))
}

// recordSchedule records a change of a schedule in the audit trail.
func (s *Handler) recordSchedule(c *gin.Context, action string, before, after *domain.Schedule) {
	e := store.AuditEntry{At: s.Now(), Username: core.CurrentUser(c).Username, Action: action, Entity: "schedules"}
	if before != nil {
		e.Key, e.Before = before.Name, scheduleRecord(before)
	}
	if after != nil {
		e.Key, e.After = after.Name, scheduleRecord(after)
	}
	if err := s.DB.RecordChange(c.Request.Context(), e); err != nil {
		s.Log.Error("record schedule change in the audit trail", "err", err)
	}
}

// scheduleRecord is a schedule as the audit trail keeps it.
func scheduleRecord(s *domain.Schedule) map[string]any {
	return map[string]any{"name": s.Name, "cron": s.Cron, "period": s.Period, "provider": s.Provider,
		"exact": s.Exact, "out_dir": s.OutDir, "keep": s.Keep, "paused": s.Paused}
}

// runSchedule runs a schedule now, as `traject schedule run` does, and
// shows the run history with the new run.
func (w *Handler) runSchedule(c *gin.Context) {
	s, err := w.loadSchedule(c)
	if err != nil {
		w.Fail(c, err)
		return
	}
	release, err := w.acquireWorkbook()
	if err != nil {
		w.Fail(c, err)
		return
	}
	// A run that has started finishes and is recorded, even when the
	// browser stops waiting for it.
	run, err := w.runner.RunNow(context.WithoutCancel(c.Request.Context()), s.Name, domain.TriggerManual)
	release()
	if err != nil && run.ID == 0 {
		w.Fail(c, err)
		return
	}
	w.Log.Info("schedule run now", "user", core.CurrentUser(c).Username, "schedule", s.Name, "run", run.ID, "status", run.Status)
	if !core.IsHTMX(c) {
		c.Redirect(http.StatusSeeOther, scheduleURL(s.Name)+"?ran="+strconv.FormatInt(run.ID, 10)+"#runs")
		return
	}
	if s, err = w.DB.FindSchedule(c.Request.Context(), s.Name); err != nil {
		w.Fail(c, err)
		return
	}
	v, err := w.newScheduleView(c, s)
	if err != nil {
		w.Fail(c, err)
		return
	}
	for i := range v.Runs {
		if v.Runs[i].ID == run.ID {
			v.Ran = &v.Runs[i]
		}
	}
	w.Render(c, http.StatusOK, "schedule", "schedule-runs", v)
}

// downloadRun sends the workbook of a run: only the file the run recorded,
// and only while it is unchanged (the size and SHA-256 the run recorded, a
// regular file under the name the runner gives its workbooks). Anything
// else, retention's removal included, is "not found".
func (w *Handler) downloadRun(c *gin.Context) {
	s, err := w.loadSchedule(c)
	if err != nil {
		w.Fail(c, err)
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		w.Fail(c, core.ErrNotFound)
		return
	}
	run, err := w.DB.FindRun(c.Request.Context(), id)
	if err != nil || run.Kind != domain.RunWorkbook || run.Schedule != s.Name || run.Status != domain.RunOK || !run.PrunedAt.IsZero() || run.File == "" ||
		!filepath.IsAbs(run.File) || !strings.HasPrefix(filepath.Base(run.File), "traject-"+s.Name+"-") ||
		!strings.EqualFold(filepath.Ext(run.File), ".xlsx") {
		w.Fail(c, core.ErrNotFound)
		return
	}
	f, err := openRecorded(run)
	if err != nil {
		if !errors.Is(err, errChanged) && !errors.Is(err, fs.ErrNotExist) {
			w.Log.Error("open recorded workbook", "run", run.ID, "err", err)
		}
		w.Fail(c, core.ErrNotFound)
		return
	}
	defer f.Close()
	c.DataFromReader(http.StatusOK, run.Size, report.MIMEType, f, map[string]string{
		"Content-Disposition": mime.FormatMediaType("attachment", map[string]string{"filename": filepath.Base(run.File)})})
}

// errChanged is a recorded workbook that is no longer the file its run wrote.
var errChanged = errors.New("the file changed since its run recorded it")

// openRecorded opens the workbook of run, positioned at its start, if it is
// still the regular file of the size and SHA-256 the run recorded.
func openRecorded(run domain.Run) (*os.File, error) {
	fi, err := os.Lstat(run.File)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() != run.Size {
		return nil, errChanged
	}
	f, err := os.Open(run.File)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		f.Close()
		return nil, err
	}
	if hex.EncodeToString(h.Sum(nil)) != run.SHA256 {
		f.Close()
		return nil, errChanged
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

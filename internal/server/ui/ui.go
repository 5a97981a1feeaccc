// Package ui is the HTML application for signed-in users: the teacher's
// groups, the counsellor's learners, the coordinator's dashboard with its
// drill-downs, and the workspace (imports, exports, schedules, data quality,
// administration). Pages are rendered on the server from web/templates with
// htmx for in-page updates.
//
// Every route names the permission it needs (internal/auth), and every
// record a handler reads is read through the store's filters or checked
// with auth's rules, so that a page shows each person only what their role
// allows. Handlers translate between HTTP and the domain; the rules live in
// the packages that own them.
package ui

import (
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/cache"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/schedule"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/server/pagecache"
)

// Options are what the pages need beyond core.App.
type Options struct {
	ExportDir string       // the folder under which schedules made on the web write; "": exports beside the database
	Job       schedule.Job // the scheduled export that "run now" runs; nil: schedule.WorkbookJob
	Scheduler bool         // this process also runs the scheduler, shown on the schedules page
	Imports   *Slots       // the process's slots for reading data sets to import; nil: MaxImports of its own
}

// Handler serves the pages: the one handler type of ui, whose methods are
// the handlers of every page (the teacher's and counsellor's, the
// dashboard and its drill-downs, the workspace).
type Handler struct {
	*core.App
	cache *cache.Cache              // the dashboard's, shared with the API
	pages *pagecache.Cache[bodyKey] // the rendered bodies of the dashboard and its drill-downs
	opts  Options
	risk  riskModels // the early warning's stored models, read once (risk.go)

	// The workspace's state (setUpWorkspace).
	exportDir string          // absolute; schedules made on the web write under it
	runner    schedule.Runner // runs a schedule now, as `traject schedule run` does
	workbooks *Slots          // a slot per workbook being made
	imports   *Slots          // a slot per data set being read for an import
	backups   *Slots          // one slot: the admin's "back-up now" runs one at a time
}

// New returns the pages over app, reading indicators from c and keeping
// the bodies rendered from them with the snapshot they show.
func New(app *core.App, c *cache.Cache, opts Options) *Handler {
	s := &Handler{App: app, cache: c, pages: pagecache.New[bodyKey](c, app.Now), opts: opts}
	s.setUpWorkspace()
	return s
}

// Funcs are the template functions of the pages, for core.ParseTemplates.
var Funcs = template.FuncMap{
	"gridRows":       gridRows,
	"attendanceRows": attendanceRows,
	"obsRows":        observationRows,
	"options":        options,
	"timelineItems":  timelineItems,
	"levelRows":      levelRows,
	"evaluationRows": evaluationRows,
	"wsForm":         renderForm,
	"wsPair":         func(v *core.View, x any) viewPair { return viewPair{V: v, X: x} },
}

// Routes registers the pages on r; every route names the permission it needs.
func (s *Handler) Routes(r *gin.Engine) {
	r.GET("/login", s.Session(false), s.loginPage)
	r.POST("/login", s.login)

	a := r.Group("/", s.Session(true))
	a.GET("/", s.home)
	a.GET("/logout", s.logoutPage)
	a.POST("/logout", s.CSRF, s.logout)

	a.GET("/today", s.Require(auth.ViewGroup), s.today)
	a.GET("/groups", s.Require(auth.ViewGroup), s.groups)
	a.GET("/groups/:code", s.Require(auth.ViewGroup), s.group)
	a.GET("/groups/:code/print/:kind", s.Require(auth.ViewGroup), s.printGroup)
	a.POST("/groups/:code/attendance", s.CSRF, s.Require(auth.WriteAttendance), s.saveAttendance)
	a.POST("/groups/:code/evaluations", s.CSRF, s.Require(auth.WriteEvaluation), s.saveEvaluations)
	a.POST("/groups/:code/observations", s.CSRF, s.Require(auth.WriteObservation), s.saveObservations)
	a.GET("/groups/:code/register", s.Require(auth.ViewGroup), s.register)
	a.POST("/groups/:code/register/:date", s.CSRF, s.Require(auth.WriteAttendance), s.saveLesson)
	a.POST("/groups/:code/register/:date/row", s.CSRF, s.Require(auth.WriteAttendance), s.saveRegisterRow)
	a.GET("/groups/:code/lessons/preview", s.Require(auth.ViewGroup), s.planPreview)
	a.POST("/groups/:code/lessons", s.CSRF, s.Require(auth.WriteAttendance), s.planLessons)

	a.GET("/learners", s.Require(auth.ViewLearner), s.learners)
	a.GET("/learners/export.xlsx", s.Require(auth.ViewLearner), s.exportLearners)
	a.GET("/learners/:id", s.Require(auth.ViewLearner), s.learner)
	a.POST("/learners/:id/flags", s.CSRF, s.Require(auth.WriteFollowUp), s.handleFlag)
	a.POST("/learners/:id/goals", s.CSRF, s.Require(auth.WriteGoal), s.saveGoal)
	a.POST("/learners/:id/outflows", s.CSRF, s.Require(auth.WriteOutflow), s.saveOutflow)
	a.POST("/learners/:id/followups", s.CSRF, s.Require(auth.WriteFollowUp), s.saveFollowUp)
	a.POST("/learners/:id/warnings", s.CSRF, s.Require(auth.WriteFollowUp), s.saveWarningAction)
	a.GET("/learners/:id/export", s.Require(auth.ManagePersonalData), s.exportLearnerPage)
	a.GET("/learners/:id/export.json", s.Require(auth.ManagePersonalData), s.exportLearnerJSON)
	a.GET("/learners/:id/erase", s.Require(auth.ManagePersonalData), s.eraseLearnerPage)
	a.POST("/learners/:id/erase", s.CSRF, s.Require(auth.ManagePersonalData), s.eraseLearner)

	a.GET("/surveys", s.Require(auth.ManageSurveys), s.surveys)
	a.POST("/surveys", s.CSRF, s.Require(auth.ManageSurveys), s.openRound)
	a.GET("/surveys/:id", s.Require(auth.ManageSurveys), s.surveyRound)
	a.POST("/surveys/:id/close", s.CSRF, s.Require(auth.ManageSurveys), s.closeRound)
	a.GET("/surveys/:id/qr", s.Require(auth.ManageSurveys), s.roundQR)
	a.GET("/surveys/:id/print", s.Require(auth.ManageSurveys), s.roundPrint)

	a.GET("/risk", s.Require(auth.ViewIndicators), s.riskValidation)

	s.workspaceRoutes(a)
	s.indicatorRoutes(a)
}

// home sends each role to its first page.
func (s *Handler) home(c *gin.Context) {
	c.Redirect(http.StatusSeeOther, homeOf(core.CurrentUser(c)))
}

// homeOf is the first page of u's role.
func homeOf(u *domain.User) string {
	switch {
	case u.Role == domain.RoleTeacher:
		return "/today"
	case auth.Can(u, auth.ViewIndicators):
		return "/dashboard"
	default:
		return "/learners"
	}
}

package ui

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/report"
	"github.com/traject-nt2/traject/internal/schedule"
	"github.com/traject-nt2/traject/internal/server/core"
)

// The export page (Exporteren): the indicator workbook of a chosen period
// and provider, made now and downloaded: the same workbook as `traject
// export indicators` and the scheduled exports (report.Workbook).

// The period choices of the export form; the first three are the period
// rules of the schedules, as of today.
const (
	exportThisYear    = "this-year"
	exportLastYear    = "last-year"
	exportLastQuarter = "last-quarter"
	exportCustom      = "custom"
)

// exportChoices are the dashboard's quick choices behind the export's, so
// that "Dit schooljaar" is one period on both pages (core.PeriodOf: from 1
// September up to today).
var exportChoices = map[string]string{
	exportThisYear:    core.PeriodThisYear,
	exportLastYear:    core.PeriodLastYear,
	exportLastQuarter: core.PeriodLastQuarter,
}

// exportView is the export form.
type exportView struct {
	Period    string
	From, To  string
	Provider  string
	Exact     bool
	Periods   []exportPeriod
	Providers []option
	AllowAll  bool // an admin may export every provider at once
	Errors    fieldErrors
}

// exportPeriod is one choice of period with the dates it stands for today.
type exportPeriod struct {
	Value, Label, Range string
}

// exportRoutes registers the export page and its download.
func (s *Handler) exportRoutes(a *gin.RouterGroup) {
	a.GET("/exports", s.Require(auth.ViewIndicators), s.exportPage)
	a.GET("/exports/workbook", s.Require(auth.ViewIndicators), s.exportWorkbook)
}

// newExportView is the form with its choices for the current user.
func (s *Handler) newExportView(c *gin.Context) (*exportView, error) {
	u := core.CurrentUser(c)
	lang := core.Lang(c)
	v := &exportView{Period: exportThisYear, AllowAll: u.Role == domain.RoleAdmin, Errors: fieldErrors{}}
	today := domain.DateOf(s.Now())
	for _, p := range []string{exportThisYear, exportLastYear, exportLastQuarter} {
		from, to := core.PeriodOf(exportChoices[p], today)
		v.Periods = append(v.Periods, exportPeriod{Value: p, Label: locale.T(lang, "exp.period."+p), Range: from.String() + " – " + to.String()})
	}
	v.Periods = append(v.Periods, exportPeriod{Value: exportCustom, Label: locale.T(lang, "exp.period.custom")})
	providers, err := s.DB.ListProviders(c.Request.Context())
	if err != nil {
		return nil, err
	}
	names, codes := map[string]string{}, []string{}
	for _, p := range providers {
		names[p.Code] = p.Name
		codes = append(codes, p.Code)
	}
	v.Providers = providerOptions(u, names, codes)
	if !v.AllowAll && len(v.Providers) > 0 {
		v.Provider = v.Providers[0].Value
	}
	return v, nil
}

// exportPage shows the form.
func (s *Handler) exportPage(c *gin.Context) {
	v, err := s.newExportView(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "exports", "", v)
}

// exportWorkbook makes the workbook the form asks for and sends it as a
// download; a mistake in the form comes back with a message beside it.
func (s *Handler) exportWorkbook(c *gin.Context) {
	v, err := s.newExportView(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	u := core.CurrentUser(c)
	lang := core.Lang(c)
	v.Period, v.From, v.To = c.Query("period"), strings.TrimSpace(c.Query("from")), strings.TrimSpace(c.Query("to"))
	v.Provider, v.Exact = c.Query("provider"), c.Query("exact") == "1"
	var from, to domain.Date
	if choice, ok := exportChoices[v.Period]; ok {
		from, to = core.PeriodOf(choice, domain.DateOf(s.Now()))
	} else if v.Period == exportCustom {
		var msg string
		if from, msg = parseDateField(lang, v.From, false); msg != "" {
			v.Errors["from"] = msg
		}
		if to, msg = parseDateField(lang, v.To, false); msg != "" {
			v.Errors["to"] = msg
		}
		if len(v.Errors) == 0 && from > to {
			v.Errors["to"] = locale.T(lang, "v.date.before", from.String())
		}
	} else {
		v.Errors["period"] = locale.T(lang, "v.choose")
	}
	known := v.Provider == "" && v.AllowAll
	for _, o := range v.Providers {
		known = known || o.Value == v.Provider
	}
	if !known || !auth.MayUseProvider(u, v.Provider) {
		v.Errors["provider"] = locale.T(lang, "ws.v.provider")
	}
	p := indicator.DefaultParams(from, to)
	p.Provider = v.Provider
	if len(v.Errors) == 0 {
		if err := p.Validate(); err != nil {
			v.Errors["period"] = locale.T(lang, "ws.v.store", err.Error())
		}
	}
	if len(v.Errors) > 0 {
		s.Render(c, http.StatusUnprocessableEntity, "exports", "", v)
		return
	}
	release, err := s.acquireWorkbook()
	if err != nil {
		s.Fail(c, err)
		return
	}
	defer release()
	f, err := os.CreateTemp("", "traject-workbook-*.xlsx")
	if err != nil {
		s.Fail(c, err)
		return
	}
	defer func() {
		f.Close()
		os.Remove(f.Name())
	}()
	d, err := schedule.WorkbookData(c.Request.Context(), s.DB, p.Provider, v.Exact)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if _, err := report.Workbook(c.Request.Context(), d, p, v.Exact, s.Version, f); err != nil {
		s.Fail(c, err)
		return
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		s.Fail(c, err)
		return
	}
	s.Log.Info("export workbook", "user", u.Username, "provider", p.Provider, "from", from.String(), "to", to.String(),
		"exact", v.Exact, "bytes", size)
	name := workbookName(p.Provider, from, to, v.Exact)
	c.DataFromReader(http.StatusOK, size, report.MIMEType, f, map[string]string{
		"Content-Disposition": mime.FormatMediaType("attachment", map[string]string{"filename": name})})
}

// unsafeNameRE matches what a download's file name leaves out.
var unsafeNameRE = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// workbookName is the file name of a downloaded workbook, e.g.
// "traject-indicatoren-P1-2025-09-01_2026-03-14.xlsx".
func workbookName(provider string, from, to domain.Date, exact bool) string {
	who := "alle"
	if provider != "" {
		who = strings.Trim(unsafeNameRE.ReplaceAllString(provider, "-"), "-")
	}
	name := fmt.Sprintf("traject-indicatoren-%s-%s_%s", who, from, to)
	if exact {
		name += "-exact"
	}
	return name + ".xlsx"
}

package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// The reference data of the administration: providers, modules with their
// goals, and groups with their teacher (spec/domain.md). Each record has a
// page with its form; a new one is made from its list. The store checks the
// domain's rules and the integrity rules against what is stored, and writes
// each change with its audit entry in one transaction.

// maxCodeLength bounds the codes typed into the forms: the one limit of a
// code (domain.MaxCodeLength).
const maxCodeLength = domain.MaxCodeLength

// adminListView is a list of reference records with its search and pages.
type adminListView struct {
	Heading   string
	Search    string
	Provider  string
	Providers []option
	NewURL    string
	Rows      []adminRow
	Columns   []string // translated headings after the first column
	Pager     pager
	Form      *adminForm // a form to make a new record on the list page
	Count     string     // translated
}

// adminRow is one record of a list: its key with a link, and other cells.
type adminRow struct {
	Key, URL string
	Cells    []string
}

// adminRecordView is the page of one reference record (or a new one).
type adminRecordView struct {
	Heading  string
	ListURL  string
	ListName string
	Notice   string
	Form     *adminForm
	Goals    []adminRow // a module's goals
	GoalForm *adminForm // a new goal of the module
}

// adminDataRoutes registers the reference data's pages on the admin group.
func (s *Handler) adminDataRoutes(ad *gin.RouterGroup) {
	ad.GET("/providers", s.adminProviders)
	ad.POST("/providers", s.CSRF, s.adminSaveProvider(true))
	ad.GET("/providers/:code", s.adminProvider)
	ad.POST("/providers/:code", s.CSRF, s.adminSaveProvider(false))
	ad.GET("/modules", s.adminModules)
	ad.GET("/modules/_new", s.adminNewModule)
	ad.POST("/modules", s.CSRF, s.adminSaveModule(true))
	ad.GET("/modules/:code", s.adminModule)
	ad.POST("/modules/:code", s.CSRF, s.adminSaveModule(false))
	ad.POST("/goals", s.CSRF, s.adminSaveGoal(true))
	ad.GET("/goals/:code", s.adminGoal)
	ad.POST("/goals/:code", s.CSRF, s.adminSaveGoal(false))
	ad.GET("/groups", s.adminGroups)
	ad.GET("/groups/_new", s.adminNewGroup)
	ad.POST("/groups", s.CSRF, s.adminSaveGroup(true))
	ad.GET("/groups/:code", s.adminGroup)
	ad.POST("/groups/:code", s.CSRF, s.adminSaveGroup(false))
}

// codeListOptions are the codes of a domain code list with their labels.
func codeListOptions(lang string, l *domain.CodeList) []option {
	var out []option
	for _, code := range l.Codes {
		out = append(out, option{Value: code, Label: locale.Code(lang, l.Name, code)})
	}
	return out
}

// ladderOptions are the CEFR levels.
func ladderOptions() []option {
	var out []option
	for _, l := range domain.Ladder {
		out = append(out, option{Value: l, Label: l})
	}
	return out
}

// skillOptions are the five skills in lang.
func skillOptions(lang string) []option {
	var out []option
	for k := domain.Skill(0); k < domain.NumSkills; k++ {
		out = append(out, option{Value: domain.SkillCodes[k], Label: locale.Skill(lang, k)})
	}
	return out
}

// codeField is the code of a record: typed for a new one, shown for an
// existing one (a natural key does not change).
func codeField(lang, id, value string, isNew bool) formField {
	f := formField{Name: "code", ID: id, Label: locale.T(lang, "adm.code"), Type: "text", Value: value, Max: maxCodeLength}
	if !isNew {
		f.Type = "static"
	}
	return f
}

// readCode reads a typed code: trimmed, at most maxCodeLength characters,
// no spaces or control characters.
func readCode(c *gin.Context, lang string, errs fieldErrors) string {
	code := strings.TrimSpace(c.PostForm("code"))
	switch {
	case code == "":
		errs["code"] = locale.T(lang, "v.required")
	case len([]rune(code)) > maxCodeLength || strings.IndexFunc(code, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		errs["code"] = locale.T(lang, "adm.v.code", maxCodeLength)
	}
	return code
}

// requiredText reads a text field that must be filled in, at most max
// characters.
func requiredText(c *gin.Context, lang, name string, max int, errs fieldErrors) string {
	v := strings.TrimSpace(c.PostForm(name))
	switch {
	case v == "":
		errs[name] = locale.T(lang, "v.required")
	case len([]rune(v)) > max:
		errs[name] = locale.T(lang, "adm.v.long", max)
	}
	return v
}

// wholeNumber reads a whole number field from 1 to max.
func wholeNumber(c *gin.Context, lang, name string, max int, errs fieldErrors) int {
	raw := strings.TrimSpace(c.PostForm(name))
	n, err := strconv.Atoi(raw)
	switch {
	case raw == "":
		errs[name] = locale.T(lang, "v.required")
	case err != nil:
		errs[name] = locale.T(lang, "ws.v.int", raw)
	case n < 1 || n > max:
		errs[name] = locale.T(lang, "ws.v.range", 1, max)
	}
	return n
}

// listCode reads a choice of a domain code list.
func listCode(c *gin.Context, lang, name string, l *domain.CodeList, errs fieldErrors) string {
	v := c.PostForm(name)
	if !l.Has(v) {
		errs[name] = locale.T(lang, "v.choose")
	}
	return v
}

// levelChoice reads a CEFR level chosen from the ladder.
func levelChoice(c *gin.Context, lang, name string, errs fieldErrors) domain.Level {
	l, err := domain.ParseLevel(c.PostForm(name))
	if err != nil || !l.Valid() {
		errs[name] = locale.T(lang, "v.choose")
		return domain.NoLevel
	}
	return l
}

// saveOutcome sorts a store error into the form: a taken code beside the
// code, a broken rule above the form; anything else is returned.
func saveOutcome(lang string, err error, errs fieldErrors) error {
	switch domain.ErrorCode(err) {
	case "":
		return nil
	case domain.ECONFLICT:
		errs["code"] = locale.T(lang, "ws.v.exists")
		return nil
	case domain.EINVALID:
		errs["form"] = locale.T(lang, "ws.v.store", err.Error())
		return nil
	}
	return err
}

// recordURL is the address of a record's page under base.
func recordURL(base, code string) string { return base + "/" + url.PathEscape(code) }

// savedNotice is the notice of a record page after a write.
func savedNotice(c *gin.Context) string {
	switch {
	case c.Query("created") == "1":
		return locale.T(core.Lang(c), "ws.created")
	case c.Query("saved") == "1":
		return locale.T(core.Lang(c), "ws.saved")
	}
	return ""
}

// Providers.

// adminProviderForm is the form of provider p.
func adminProviderForm(lang string, p domain.Provider, isNew bool) *adminForm {
	f := &adminForm{ID: "provider-form", Action: "/admin/providers", Legend: locale.T(lang, "adm.provider.new"),
		Submit: locale.T(lang, "adm.create")}
	if !isNew {
		f.Action, f.Legend, f.Submit = recordURL("/admin/providers", p.Code), locale.T(lang, "adm.provider"), locale.T(lang, "ws.save")
	}
	f.Fields = []formField{codeField(lang, "pv-code", p.Code, isNew),
		{Name: "name", ID: "pv-name", Label: locale.T(lang, "f.name"), Type: "text", Value: p.Name, Max: domain.MaxNameLength},
		{Name: "type", ID: "pv-type", Label: locale.T(lang, "adm.type"), Type: "select", Value: p.Type,
			Options: codeListOptions(lang, domain.ProviderTypes)}}
	return f
}

// adminProviders lists the providers, with the form for a new one.
func (s *Handler) adminProviders(c *gin.Context) {
	s.renderProviders(c, http.StatusOK, adminProviderForm(core.Lang(c), domain.Provider{}, true))
}

func (s *Handler) renderProviders(c *gin.Context, status int, form *adminForm) {
	lang := core.Lang(c)
	providers, err := s.DB.ListProviders(c.Request.Context())
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := &adminListView{Heading: locale.T(lang, "adm.providers.nav"), Form: form,
		Columns: []string{locale.T(lang, "f.name"), locale.T(lang, "adm.type")},
		Count:   locale.T(lang, "adm.providers.text", len(providers))}
	for _, p := range providers {
		v.Rows = append(v.Rows, adminRow{Key: p.Code, URL: recordURL("/admin/providers", p.Code),
			Cells: []string{p.Name, locale.Code(lang, "provider type", p.Type)}})
	}
	s.Render(c, status, "admin_list", "", v)
}

// adminProvider shows a provider's form.
func (s *Handler) adminProvider(c *gin.Context) {
	lang := core.Lang(c)
	p, err := s.DB.FindProvider(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "admin_record", "", &adminRecordView{Heading: locale.T(lang, "adm.provider") + " " + p.Code,
		ListURL: "/admin/providers", ListName: locale.T(lang, "adm.providers.nav"), Notice: savedNotice(c),
		Form: adminProviderForm(lang, p, false)})
}

// adminSaveProvider makes or changes a provider.
func (s *Handler) adminSaveProvider(isNew bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		lang := core.Lang(c)
		errs := fieldErrors{}
		var p domain.Provider
		if isNew {
			p.Code = readCode(c, lang, errs)
		} else {
			old, err := s.DB.FindProvider(c.Request.Context(), c.Param("code"))
			if err != nil {
				s.Fail(c, err)
				return
			}
			p.Code = old.Code
		}
		p.Name = requiredText(c, lang, "name", domain.MaxNameLength, errs)
		p.Type = listCode(c, lang, "type", domain.ProviderTypes, errs)
		if len(errs) == 0 {
			domainErrors(lang, errs, p.Validate())
		}
		if len(errs) == 0 {
			err := s.DB.SaveProvider(c.Request.Context(), core.CurrentUser(c).Username, p, isNew, s.Now())
			if err = saveOutcome(lang, err, errs); err != nil {
				s.Fail(c, err)
				return
			}
		}
		if len(errs) > 0 {
			form := adminProviderForm(lang, p, isNew)
			form.setErrors(errs)
			if isNew {
				s.renderProviders(c, http.StatusUnprocessableEntity, form)
				return
			}
			s.Render(c, http.StatusUnprocessableEntity, "admin_record", "", &adminRecordView{Heading: locale.T(lang, "adm.provider") + " " + p.Code,
				ListURL: "/admin/providers", ListName: locale.T(lang, "adm.providers.nav"), Form: form})
			return
		}
		c.Redirect(http.StatusSeeOther, recordURL("/admin/providers", p.Code)+savedQuery(isNew))
	}
}

// savedQuery is the query that tells a record page what was just done.
func savedQuery(isNew bool) string {
	if isNew {
		return "?created=1"
	}
	return "?saved=1"
}

// Modules and goals.

// adminModuleForm is the form of module m.
func adminModuleForm(lang string, m domain.Module, isNew bool, providers []option) *adminForm {
	f := &adminForm{ID: "module-form", Action: "/admin/modules", Legend: locale.T(lang, "adm.module.new"), Submit: locale.T(lang, "adm.create")}
	if !isNew {
		f.Action, f.Legend, f.Submit = recordURL("/admin/modules", m.Code), locale.T(lang, "adm.module"), locale.T(lang, "ws.save")
	}
	skills := map[string]bool{}
	for k := domain.Skill(0); k < domain.NumSkills; k++ {
		if m.Skills.Has(k) {
			skills[domain.SkillCodes[k]] = true
		}
	}
	hours := ""
	if m.NominalHours > 0 {
		hours = strconv.Itoa(m.NominalHours)
	}
	f.Fields = []formField{codeField(lang, "md-code", m.Code, isNew),
		{Name: "provider", ID: "md-provider", Label: locale.T(lang, "f.provider"), Type: "select", Value: m.Provider, Options: providers},
		{Name: "name", ID: "md-name", Label: locale.T(lang, "f.name"), Type: "text", Value: m.Name, Max: domain.MaxNameLength},
		{Name: "programme", ID: "md-programme", Label: locale.T(lang, "adm.programme"), Type: "text", Value: m.Programme, Max: domain.MaxNameLength},
		{Name: "entry_level", ID: "md-entry", Label: locale.T(lang, "adm.entry_level"), Type: "select", Value: m.EntryLevel.String(), Options: ladderOptions()},
		{Name: "target_level", ID: "md-target", Label: locale.T(lang, "adm.target_level"), Type: "select", Value: m.TargetLevel.String(), Options: ladderOptions()},
		{Name: "skills", ID: "md-skills", Label: locale.T(lang, "adm.skills"), Type: "checks", Options: skillOptions(lang), Checked: skills},
		{Name: "nominal_hours", ID: "md-hours", Label: locale.T(lang, "adm.nominal_hours"), Type: "number", Value: hours}}
	return f
}

// adminModules lists the modules, 50 a page, with a search.
func (s *Handler) adminModules(c *gin.Context) {
	ctx := c.Request.Context()
	lang := core.Lang(c)
	page, err := pageParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	providers, err := s.allProviderOptions(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	q := store.ModuleQuery{Search: strings.TrimSpace(c.Query("q")), Provider: c.Query("provider"),
		Offset: (page - 1) * store.DefaultPageSize, Limit: store.DefaultPageSize}
	res, err := s.DB.FindModules(ctx, q)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := &adminListView{Heading: locale.T(lang, "adm.modules.nav"), Search: q.Search, Provider: q.Provider, Providers: providers,
		NewURL: "/admin/modules/_new", Pager: newPager(c, page, res.Total), Count: locale.T(lang, "adm.modules.text", res.Total),
		Columns: []string{locale.T(lang, "f.provider"), locale.T(lang, "f.name"), locale.T(lang, "f.levels"),
			locale.T(lang, "adm.goals"), locale.T(lang, "adm.groups")}}
	for _, m := range res.Modules {
		v.Rows = append(v.Rows, adminRow{Key: m.Code, URL: recordURL("/admin/modules", m.Code),
			Cells: []string{m.Provider, m.Name, m.EntryLevel.String() + " → " + m.TargetLevel.String(), strconv.Itoa(m.Goals), strconv.Itoa(m.Groups)}})
	}
	s.Render(c, http.StatusOK, "admin_list", "", v)
}

// adminNewModule shows the empty module form.
func (s *Handler) adminNewModule(c *gin.Context) {
	lang := core.Lang(c)
	providers, err := s.allProviderOptions(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	m := domain.Module{EntryLevel: domain.NoLevel, TargetLevel: domain.NoLevel, Skills: domain.AllSkills}
	s.Render(c, http.StatusOK, "admin_record", "", &adminRecordView{Heading: locale.T(lang, "adm.module.new"),
		ListURL: "/admin/modules", ListName: locale.T(lang, "adm.modules.nav"), Form: adminModuleForm(lang, m, true, providers)})
}

// adminGoalForm is the form of goal g.
func adminGoalForm(lang string, g domain.Goal, isNew bool) *adminForm {
	f := &adminForm{ID: "goal-form", Action: "/admin/goals", Legend: locale.T(lang, "adm.goal.new"), Submit: locale.T(lang, "adm.goal.create")}
	if !isNew {
		f.Action, f.Legend, f.Submit = recordURL("/admin/goals", g.Code), locale.T(lang, "adm.goal"), locale.T(lang, "ws.save")
	}
	skill := ""
	if g.Skill >= 0 && g.Skill < domain.NumSkills && !isNew {
		skill = domain.SkillCodes[g.Skill]
	}
	f.Fields = []formField{codeField(lang, "gl-code", g.Code, isNew),
		{Name: "module", ID: "gl-module", Label: locale.T(lang, "f.module"), Type: "text", Value: g.Module, Optional: true, Max: maxCodeLength,
			Hint: locale.T(lang, "adm.goal.module.hint")},
		{Name: "skill", ID: "gl-skill", Label: locale.T(lang, "f.skill"), Type: "select", Value: skill, Options: skillOptions(lang)},
		{Name: "level", ID: "gl-level", Label: locale.T(lang, "adm.level"), Type: "select", Value: g.Level.String(), Options: ladderOptions()},
		{Name: "description", ID: "gl-desc", Label: locale.T(lang, "adm.description"), Type: "textarea", Value: g.Description, Max: domain.MaxTextLength},
		{Name: "source", ID: "gl-source", Label: locale.T(lang, "adm.source"), Type: "select", Value: g.Source,
			Options: codeListOptions(lang, domain.GoalSources)}}
	return f
}

// moduleView is a module's page: its form, its goals and the form for a
// new goal.
func (s *Handler) moduleView(c *gin.Context, m domain.Module, goals []domain.Goal) (*adminRecordView, error) {
	lang := core.Lang(c)
	providers, err := s.allProviderOptions(c)
	if err != nil {
		return nil, err
	}
	v := &adminRecordView{Heading: locale.T(lang, "adm.module") + " " + m.Code, ListURL: "/admin/modules",
		ListName: locale.T(lang, "adm.modules.nav"), Form: adminModuleForm(lang, m, false, providers),
		GoalForm: adminGoalForm(lang, domain.Goal{Module: m.Code, Level: domain.NoLevel}, true)}
	for _, g := range goals {
		v.Goals = append(v.Goals, adminRow{Key: g.Code, URL: recordURL("/admin/goals", g.Code),
			Cells: []string{locale.Skill(lang, g.Skill), g.Level.String(), g.Description, locale.Code(lang, "goal source", g.Source)}})
	}
	return v, nil
}

// adminModule shows a module with its goals.
func (s *Handler) adminModule(c *gin.Context) {
	m, goals, err := s.DB.FindModule(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	v, err := s.moduleView(c, m, goals)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v.Notice = savedNotice(c)
	s.Render(c, http.StatusOK, "admin_record", "", v)
}

// adminSaveModule makes or changes a module.
func (w *Handler) adminSaveModule(isNew bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		lang := core.Lang(c)
		errs := fieldErrors{}
		var m domain.Module
		var goals []domain.Goal
		if isNew {
			m.Code = readCode(c, lang, errs)
		} else {
			old, gs, err := w.DB.FindModule(ctx, c.Param("code"))
			if err != nil {
				w.Fail(c, err)
				return
			}
			m.Code, goals = old.Code, gs
		}
		providers, err := w.allProviderOptions(c)
		if err != nil {
			w.Fail(c, err)
			return
		}
		m.Provider = c.PostForm("provider")
		if !slices.ContainsFunc(providers, func(o option) bool { return o.Value == m.Provider }) {
			errs["provider"] = locale.T(lang, "v.choose")
		}
		m.Name = requiredText(c, lang, "name", domain.MaxNameLength, errs)
		m.Programme = requiredText(c, lang, "programme", domain.MaxNameLength, errs)
		m.EntryLevel = levelChoice(c, lang, "entry_level", errs)
		m.TargetLevel = levelChoice(c, lang, "target_level", errs)
		if m.EntryLevel.Valid() && m.TargetLevel.Valid() && m.TargetLevel <= m.EntryLevel {
			errs["target_level"] = locale.T(lang, "adm.v.target", m.EntryLevel.String())
		}
		for _, s := range c.PostFormArray("skills") {
			k, err := domain.ParseSkill(s)
			if err != nil {
				errs["skills"] = locale.T(lang, "v.choose")
				continue
			}
			m.Skills |= 1 << k
		}
		if m.Skills == 0 && errs["skills"] == "" {
			errs["skills"] = locale.T(lang, "adm.v.skills")
		}
		m.NominalHours = wholeNumber(c, lang, "nominal_hours", 10000, errs)
		if len(errs) == 0 {
			domainErrors(lang, errs, m.Validate())
		}
		if len(errs) == 0 {
			err := w.DB.SaveModule(ctx, core.CurrentUser(c).Username, m, isNew, w.Now())
			if err = saveOutcome(lang, err, errs); err != nil {
				w.Fail(c, err)
				return
			}
		}
		if len(errs) > 0 {
			v := &adminRecordView{Heading: locale.T(lang, "adm.module.new"), ListURL: "/admin/modules",
				ListName: locale.T(lang, "adm.modules.nav"), Form: adminModuleForm(lang, m, true, providers)}
			if !isNew {
				if v, err = w.moduleView(c, m, goals); err != nil {
					w.Fail(c, err)
					return
				}
			}
			v.Form.setErrors(errs)
			w.Render(c, http.StatusUnprocessableEntity, "admin_record", "", v)
			return
		}
		c.Redirect(http.StatusSeeOther, recordURL("/admin/modules", m.Code)+savedQuery(isNew))
	}
}

// adminGoal shows a goal's form.
func (s *Handler) adminGoal(c *gin.Context) {
	lang := core.Lang(c)
	g, err := s.DB.FindGoal(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "admin_record", "", s.goalView(lang, g, false))
}

// goalView is a goal's page, back to its module.
func (s *Handler) goalView(lang string, g domain.Goal, isNew bool) *adminRecordView {
	v := &adminRecordView{Heading: locale.T(lang, "adm.goal") + " " + g.Code, ListURL: "/admin/modules",
		ListName: locale.T(lang, "adm.modules.nav"), Form: adminGoalForm(lang, g, isNew)}
	if isNew {
		v.Heading = locale.T(lang, "adm.goal.new")
	}
	if g.Module != "" {
		v.ListURL, v.ListName = recordURL("/admin/modules", g.Module), locale.T(lang, "adm.module")+" "+g.Module
	}
	return v
}

// adminSaveGoal makes or changes a goal.
func (s *Handler) adminSaveGoal(isNew bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		lang := core.Lang(c)
		errs := fieldErrors{}
		var g domain.Goal
		if isNew {
			g.Code = readCode(c, lang, errs)
		} else {
			old, err := s.DB.FindGoal(ctx, c.Param("code"))
			if err != nil {
				s.Fail(c, err)
				return
			}
			g.Code = old.Code
		}
		g.Module = strings.TrimSpace(c.PostForm("module"))
		if g.Module != "" {
			if _, _, err := s.DB.FindModule(ctx, g.Module); domain.ErrorCode(err) == domain.ENOTFOUND {
				errs["module"] = locale.T(lang, "adm.v.module", g.Module)
			} else if err != nil {
				s.Fail(c, err)
				return
			}
		}
		if k, err := domain.ParseSkill(c.PostForm("skill")); err != nil {
			errs["skill"] = locale.T(lang, "v.choose")
		} else {
			g.Skill = k
		}
		g.Level = levelChoice(c, lang, "level", errs)
		g.Description = requiredText(c, lang, "description", domain.MaxTextLength, errs)
		g.Source = listCode(c, lang, "source", domain.GoalSources, errs)
		if len(errs) == 0 {
			domainErrors(lang, errs, g.Validate())
		}
		if len(errs) == 0 {
			err := s.DB.SaveGoal(ctx, core.CurrentUser(c).Username, g, isNew, s.Now())
			if err = saveOutcome(lang, err, errs); err != nil {
				s.Fail(c, err)
				return
			}
		}
		if len(errs) > 0 {
			v := s.goalView(lang, g, isNew)
			v.Form.setErrors(errs)
			s.Render(c, http.StatusUnprocessableEntity, "admin_record", "", v)
			return
		}
		if isNew && g.Module != "" {
			c.Redirect(http.StatusSeeOther, recordURL("/admin/modules", g.Module)+"?saved=1#goals")
			return
		}
		c.Redirect(http.StatusSeeOther, recordURL("/admin/goals", g.Code)+savedQuery(isNew))
	}
}

// Groups.

// adminGroupForm is the form of group g; teachers are the teacher accounts,
// each shown by person (its display name and user name).
func adminGroupForm(lang string, g domain.Group, isNew bool, teachers []string, person func(string) string) *adminForm {
	f := &adminForm{ID: "group-form", Action: "/admin/groups", Legend: locale.T(lang, "adm.group.new"), Submit: locale.T(lang, "adm.create")}
	if !isNew {
		f.Action, f.Legend, f.Submit = recordURL("/admin/groups", g.Code), locale.T(lang, "adm.group"), locale.T(lang, "ws.save")
	}
	teacherOpts := []option{{Value: "", Label: locale.T(lang, "adm.noteacher")}}
	for _, t := range teachers {
		label := t
		if n := person(t); n != t {
			label = n + " (" + t + ")"
		}
		teacherOpts = append(teacherOpts, option{Value: t, Label: label})
	}
	if g.Teacher != "" && !slices.Contains(teachers, g.Teacher) {
		teacherOpts = append(teacherOpts, option{Value: g.Teacher, Label: g.Teacher + " " + locale.T(lang, "adm.noaccount")})
	}
	hours, start, end := "", "", ""
	if g.PlannedHours > 0 {
		hours = strconv.Itoa(g.PlannedHours)
	}
	if g.StartDate != 0 {
		start = g.StartDate.String()
	}
	if g.EndDate != 0 {
		end = g.EndDate.String()
	}
	f.Fields = []formField{codeField(lang, "gr-code", g.Code, isNew),
		{Name: "module", ID: "gr-module", Label: locale.T(lang, "f.module"), Type: "text", Value: g.Module, Max: maxCodeLength,
			Hint: locale.T(lang, "adm.group.module.hint")},
		{Name: "start_date", ID: "gr-start", Label: locale.T(lang, "f.start"), Type: "date", Value: start},
		{Name: "end_date", ID: "gr-end", Label: locale.T(lang, "f.end"), Type: "date", Value: end},
		{Name: "planned_hours", ID: "gr-hours", Label: locale.T(lang, "f.planned_hours"), Type: "number", Value: hours},
		{Name: "teacher", ID: "gr-teacher", Label: locale.T(lang, "f.teacher"), Type: "select", Value: g.Teacher, Options: teacherOpts},
		{Name: "intensity", ID: "gr-intensity", Label: locale.T(lang, "f.intensity"), Type: "select", Value: g.Intensity,
			Options: codeListOptions(lang, domain.Intensities)}}
	return f
}

// adminGroups lists the groups, 50 a page, with a search.
func (s *Handler) adminGroups(c *gin.Context) {
	lang := core.Lang(c)
	page, err := pageParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	q := store.GroupQuery{Search: strings.TrimSpace(c.Query("q")), Offset: (page - 1) * store.DefaultPageSize, Limit: store.DefaultPageSize}
	res, err := s.DB.FindGroups(c.Request.Context(), core.CurrentUser(c), q)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := &adminListView{Heading: locale.T(lang, "adm.groups.nav"), Search: q.Search, NewURL: "/admin/groups/_new",
		Pager: newPager(c, page, res.Total), Count: locale.T(lang, "adm.groups.text", res.Total),
		Columns: []string{locale.T(lang, "f.module"), locale.T(lang, "f.period"), locale.T(lang, "f.teacher"), locale.T(lang, "groups.learners")}}
	for _, g := range res.Groups {
		v.Rows = append(v.Rows, adminRow{Key: g.Code, URL: recordURL("/admin/groups", g.Code),
			Cells: []string{g.Module + " · " + g.ModuleName, g.StartDate.String() + " – " + g.EndDate.String(), s.DisplayName(c.Request.Context(), g.Teacher), strconv.Itoa(g.Learners)}})
	}
	s.Render(c, http.StatusOK, "admin_list", "", v)
}

// adminNewGroup shows the empty group form.
func (s *Handler) adminNewGroup(c *gin.Context) {
	lang := core.Lang(c)
	teachers, err := s.DB.ListTeachers(c.Request.Context())
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "admin_record", "", &adminRecordView{Heading: locale.T(lang, "adm.group.new"),
		ListURL: "/admin/groups", ListName: locale.T(lang, "adm.groups.nav"),
		Form: adminGroupForm(lang, domain.Group{Intensity: "standard"}, true, teachers, s.person(c))})
}

// adminGroup shows a group's form.
func (s *Handler) adminGroup(c *gin.Context) {
	lang := core.Lang(c)
	g, err := s.DB.FindGroupRecord(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	teachers, err := s.DB.ListTeachers(c.Request.Context())
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "admin_record", "", &adminRecordView{Heading: locale.T(lang, "adm.group") + " " + g.Code,
		ListURL: "/admin/groups", ListName: locale.T(lang, "adm.groups.nav"), Notice: savedNotice(c),
		Form: adminGroupForm(lang, g, false, teachers, s.person(c))})
}

// adminSaveGroup makes or changes a group, its teacher among them.
func (s *Handler) adminSaveGroup(isNew bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		lang := core.Lang(c)
		errs := fieldErrors{}
		var g domain.Group
		var old domain.Group
		if isNew {
			g.Code = readCode(c, lang, errs)
		} else {
			var err error
			if old, err = s.DB.FindGroupRecord(ctx, c.Param("code")); err != nil {
				s.Fail(c, err)
				return
			}
			g.Code = old.Code
		}
		teachers, err := s.DB.ListTeachers(ctx)
		if err != nil {
			s.Fail(c, err)
			return
		}
		g.Module = strings.TrimSpace(c.PostForm("module"))
		if g.Module == "" {
			errs["module"] = locale.T(lang, "v.required")
		} else if _, _, err := s.DB.FindModule(ctx, g.Module); domain.ErrorCode(err) == domain.ENOTFOUND {
			errs["module"] = locale.T(lang, "adm.v.module", g.Module)
		} else if err != nil {
			s.Fail(c, err)
			return
		}
		var msg string
		if g.StartDate, msg = parseDateField(lang, strings.TrimSpace(c.PostForm("start_date")), false); msg != "" {
			errs["start_date"] = msg
		}
		if g.EndDate, msg = parseDateField(lang, strings.TrimSpace(c.PostForm("end_date")), false); msg != "" {
			errs["end_date"] = msg
		}
		if g.StartDate != 0 && g.EndDate != 0 && g.EndDate < g.StartDate {
			errs["end_date"] = locale.T(lang, "v.date.before", g.StartDate.String())
		}
		g.PlannedHours = wholeNumber(c, lang, "planned_hours", 10000, errs)
		g.Teacher = c.PostForm("teacher")
		// A teacher is a teacher account; a name from an import without an
		// account may stay, but is not chosen anew.
		if g.Teacher != "" && !slices.Contains(teachers, g.Teacher) && (isNew || g.Teacher != old.Teacher) {
			errs["teacher"] = locale.T(lang, "v.choose")
		}
		g.Intensity = listCode(c, lang, "intensity", domain.Intensities, errs)
		if len(errs) == 0 {
			domainErrors(lang, errs, g.Validate())
		}
		if len(errs) == 0 {
			err := s.DB.SaveGroup(ctx, core.CurrentUser(c).Username, g, isNew, s.Now())
			if err = saveOutcome(lang, err, errs); err != nil {
				s.Fail(c, err)
				return
			}
		}
		if len(errs) > 0 {
			heading := locale.T(lang, "adm.group.new")
			if !isNew {
				heading = locale.T(lang, "adm.group") + " " + g.Code
			}
			form := adminGroupForm(lang, g, isNew, teachers, s.person(c))
			form.setErrors(errs)
			s.Render(c, http.StatusUnprocessableEntity, "admin_record", "", &adminRecordView{Heading: heading,
				ListURL: "/admin/groups", ListName: locale.T(lang, "adm.groups.nav"), Form: form})
			return
		}
		c.Redirect(http.StatusSeeOther, recordURL("/admin/groups", g.Code)+savedQuery(isNew))
	}
}

// person names accounts for the request's page (core.App.DisplayName).
func (s *Handler) person(c *gin.Context) func(string) string {
	ctx := c.Request.Context()
	return func(username string) string { return s.DisplayName(ctx, username) }
}

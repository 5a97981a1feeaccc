package core

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/signal"
	"github.com/traject-nt2/traject/web"
)

// Templates holds one template set per page and language: the layout with
// the page's own blocks, so that pages can define blocks of the same name
// ("content"), and with the texts that never change already in the
// language (see translateStatic).
type Templates struct {
	pages map[string]map[string]*template.Template // page → language → set
}

// funcs are the template functions every page may use; per-request ones
// (translation) are methods of View, and an audience adds its own to
// ParseTemplates.
var funcs = template.FuncMap{
	"pathEscape": url.PathEscape,
	"ladder":     func() []string { return domain.Ladder[:] },
	// dict passes several values to a shared template: dict "K1" v1 "K2" v2.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: %d arguments, want key-value pairs", len(kv))
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	"languages": languages,
	// fmtHours writes hours for an attribute (a meter's value): with a point.
	"fmtHours": func(h float64) string { return locale.Plain("en", h) },
}

// Language is a choice of the language selector: a code and the language's
// name in itself.
type Language struct{ Code, Name string }

// languages are the choices of the language selector: the complete
// languages of the catalogue, each named in itself.
func languages() []Language {
	out := make([]Language, len(locale.Interface))
	for i, l := range locale.Interface {
		out[i] = Language{l, locale.T(l, "language.name")}
	}
	return out
}

// ParseTemplates parses templates/layout.html with each other file of
// templates/ into its own set, named after the file, once for each
// language of the interface, with funcs and the audience's own template
// functions extra.
func ParseTemplates(extra template.FuncMap) (*Templates, error) {
	names, err := fs.Glob(web.FS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	t := &Templates{pages: map[string]map[string]*template.Template{}}
	for _, lang := range locale.Interface {
		src, err := fs.ReadFile(web.FS, "templates/layout.html")
		if err != nil {
			return nil, err
		}
		base, err := template.New("layout.html").Funcs(funcs).Funcs(extra).Parse(translateStatic(string(src), lang))
		if err != nil {
			return nil, fmt.Errorf("templates/layout.html: %w", err)
		}
		for _, n := range names {
			name := strings.TrimSuffix(path.Base(n), ".html")
			if name == "layout" {
				continue
			}
			src, err := fs.ReadFile(web.FS, n)
			if err != nil {
				return nil, err
			}
			set, err := template.Must(base.Clone()).New(path.Base(n)).Parse(translateStatic(string(src), lang))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", n, err)
			}
			if set.Lookup("content") == nil {
				return nil, fmt.Errorf("%s: defines no \"content\" block", n)
			}
			if t.pages[name] == nil {
				t.pages[name] = map[string]*template.Template{}
			}
			t.pages[name][lang] = set
		}
	}
	return t, nil
}

// staticT matches an action that only translates a fixed key, {{.T "key"}}
// or {{$.T "key"}}, with or without trim markers.
var staticT = regexp.MustCompile(`\{\{(-? *)\$?\.T "([^"\\]+)"( *-?)\}\}`)

// translateStatic replaces, in a template's source, each staticT action by
// the key's text in lang as a string constant. html/template escapes the
// constant for where it stands exactly as it escaped what T returned, and a
// page no longer calls T through reflection for each of its fixed texts on
// every request (over a hundred on the learner page). Only View has a T
// method, and every page is executed with a View in the set's language.
func translateStatic(src, lang string) string {
	return staticT.ReplaceAllStringFunc(src, func(m string) string {
		g := staticT.FindStringSubmatch(m)
		return "{{" + g[1] + strconv.Quote(locale.T(lang, g[2])) + g[3] + "}}"
	})
}

// set returns the template set of page in lang (the default language's for
// a language the interface does not have), or nil.
func (t *Templates) set(page, lang string) *template.Template {
	sets := t.pages[page]
	if s := sets[lang]; s != nil {
		return s
	}
	return sets[locale.Default]
}

// View is what every template gets: the page's own data in Data, and what
// the layout needs.
type View struct {
	Lang  string
	User  *domain.User
	CSRF  string
	Path  string // the current request URI, for the language selector
	Nav   []NavItem
	Title string // catalogue key of the page title
	// Installation is the installation's name (App.Name), "" for none.
	Installation string
	Data         any
	// OwnLanguage is set by a page with a language choice of its own (the
	// survey): the header then shows no language selector of its own.
	OwnLanguage bool

	person func(username string) string // App.DisplayName for this request
}

// NavItem is one link of the navigation.
type NavItem struct {
	Path   string
	Label  string // catalogue key
	Active bool
}

// FormatHours writes a number of hours as lang writes decimals, to at most
// two: "8,5" in Dutch, "8.5" in English, "12" for whole hours.
func FormatHours(lang string, h float64) string { return locale.Decimal(h).In(lang) }

// Hours writes a number of hours in the page's language (FormatHours).
func (v *View) Hours(h float64) string { return FormatHours(v.Lang, h) }

// Num writes a count (any integer) or a number (float64) in the page's
// language, the thousands grouped: "22.186,5", "29.993" (locale.Float).
func (v *View) Num(x any) string {
	switch n := x.(type) {
	case int:
		return locale.Number(n).In(v.Lang)
	case int64:
		return locale.Number(n).In(v.Lang)
	case float64:
		return locale.Decimal(n).In(v.Lang)
	}
	return fmt.Sprint(x)
}

// T translates a catalogue key into the page's language.
func (v *View) T(key string, args ...any) string { return locale.T(v.Lang, key, args...) }

// L returns the label of a code of one of domain's code lists (named by the
// list's Name, e.g. "decision"), in the page's language.
func (v *View) L(list, code string) string { return locale.Code(v.Lang, list, code) }

// Skill returns the name of skill k (an int or a domain.Skill) in the page's language.
func (v *View) Skill(k any) string {
	switch x := k.(type) {
	case int:
		return locale.Skill(v.Lang, domain.Skill(x))
	case domain.Skill:
		return locale.Skill(v.Lang, x)
	}
	return ""
}

// Role returns the name of the user's role in the page's language.
func (v *View) Role() string {
	if v.User == nil {
		return ""
	}
	return locale.T(v.Lang, "role."+string(v.User.Role))
}

// CanViewGroups reports whether the user may open group pages at all.
func (v *View) CanViewGroups() bool { return auth.Can(v.User, auth.ViewGroup) }

// Flag describes a flag of a learner in the page's language.
func (v *View) Flag(f signal.Flag) string {
	switch f.Kind {
	case signal.Overdue, signal.DeadlineSoon:
		return locale.T(v.Lang, "flag."+f.Kind+".days", f.Days)
	}
	return locale.T(v.Lang, "flag."+f.Kind)
}

// workspaceMenu are the coordinator's and admin's entries of the menu, in
// menu order, each behind the permission of its route.
var workspaceMenu = []struct {
	path   string
	action auth.Action
	nav    string // catalogue key of the menu label
}{
	{"/imports", auth.Import, "nav.imports"},
	{"/exports", auth.ViewIndicators, "nav.exports"},
	{"/schedules", auth.ManageSchedules, "nav.schedules"},
	{"/quality", auth.ViewIndicators, "nav.quality"},
	{"/risk", auth.ViewIndicators, "nav.risk"},
	{"/surveys", auth.ManageSurveys, "nav.surveys"},
	{"/admin", auth.Admin, "nav.admin"},
}

// NavFor lists the pages u may open, in menu order.
func NavFor(u *domain.User, current string) []NavItem {
	if u == nil {
		return nil
	}
	var out []NavItem
	add := func(path, label string, ok bool) {
		if ok {
			out = append(out, NavItem{Path: path, Label: label, Active: current == path || strings.HasPrefix(current, path+"/")})
		}
	}
	add("/dashboard", "nav.dashboard", auth.Can(u, auth.ViewIndicators))
	groups, learners := "nav.groups", "nav.learners"
	if u.Role == domain.RoleTeacher {
		groups = "nav.mygroups"
	}
	if u.Role == domain.RoleCounsellor {
		learners = "nav.mylearners"
	}
	add("/today", "nav.today", u.Role == domain.RoleTeacher)
	add("/groups", groups, auth.Can(u, auth.ViewGroup))
	add("/learners", learners, auth.Can(u, auth.ViewLearner))
	for _, p := range workspaceMenu {
		add(p.path, p.nav, auth.Can(u, p.action))
	}
	return out
}

// Render writes page with data: the whole page, or for htmx requests only
// the named fragment ("" for the page's content block).
func (s *App) Render(c *gin.Context, status int, page, fragment string, data any) {
	u := CurrentUser(c)
	v := &View{Lang: Lang(c), User: u, Path: c.Request.URL.RequestURI(), Nav: NavFor(u, c.Request.URL.Path),
		Title: "title." + page, Installation: s.Name, Data: data}
	if v.Lang == "" {
		v.Lang = "nl"
	}
	_, v.OwnLanguage = c.Get(KeyOwnLanguage)
	ctx := c.Request.Context()
	v.person = func(username string) string { return s.DisplayName(ctx, username) }
	if status >= 400 && status != http.StatusUnprocessableEntity {
		v.Path = "/" // an error page does not echo the address asked for
	}
	if sess := CurrentSession(c); sess != nil {
		v.CSRF = sess.CSRFToken
	} else if tok, ok := c.Get(KeyLoginCSRF); ok {
		v.CSRF = tok.(string)
	}
	name := "layout"
	if IsHTMX(c) {
		name = "content"
		if fragment != "" {
			name = fragment
		}
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	buf.Reset()
	if err := s.Pages.set(page, v.Lang).ExecuteTemplate(buf, name, v); err != nil {
		s.Log.Error("internal error", "method", c.Request.Method, "route", RouteOf(c), "err", fmt.Errorf("render %s/%s: %w", page, name, err))
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte(locale.T(v.Lang, "err.internal")+"\n"))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// renderBuffers recycles the buffers pages are rendered into: a group page
// is some 200 kB, and growing a new buffer to that size for every request
// was the largest part of what a page allocated.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putRenderBuffer returns buf to the pool, unless an unusually large page
// grew it (a pool keeps what it is given).
func putRenderBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 1<<20 {
		renderBuffers.Put(buf)
	}
}

// Execute runs the template name of page (a block such as "content", or
// "layout") with data, a *View, in its language.
func (t *Templates) Execute(w io.Writer, page, name string, data *View) error {
	set := t.set(page, data.Lang)
	if set == nil {
		return fmt.Errorf("no page %q", page)
	}
	return set.ExecuteTemplate(w, name, data)
}

// Has reports whether page was parsed, in every language.
func (t *Templates) Has(page string) bool {
	for _, lang := range locale.Interface {
		if t.pages[page][lang] == nil {
			return false
		}
	}
	return true
}

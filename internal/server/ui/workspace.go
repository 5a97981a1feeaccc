package ui

import (
	"fmt"
	"html/template"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/schedule"
	"github.com/traject-nt2/traject/internal/server/core"
)

// The coordinator's and administrator's workspace: imports (import.go),
// workbook exports (export.go), scheduled exports (schedule.go), data
// quality (quality.go) and administration (admin.go, admin_data.go). Its
// handlers are methods of workspace, which holds what they share.

// maxWorkbooks bounds the indicator workbooks the web application makes at
// once (downloads and "run now"): each holds the data set in memory.
const maxWorkbooks = 2

// MaxImports bounds the data sets a server process reads for imports at
// once (dry runs and confirmations, from the import page and the mapping
// assistant), as maxWorkbooks bounds the workbooks: each may hold a
// region's year in memory.
const MaxImports = 2

// setUpWorkspace sets the workspace's state up from s's Options: the
// export folder beside the database unless configured, and
// schedule.WorkbookJob unless a Job is given.
func (s *Handler) setUpWorkspace() {
	dir := s.opts.ExportDir
	if dir == "" {
		dir = filepath.Join(filepath.Dir(s.DB.Path()), "exports")
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	job := s.opts.Job
	if job == nil {
		job = schedule.WorkbookJob(s.DB, s.Version)
	}
	imports := s.opts.Imports
	if imports == nil {
		imports = NewSlots(MaxImports)
	}
	s.exportDir, s.workbooks, s.imports = dir, NewSlots(maxWorkbooks), imports
	s.backups = NewSlots(1)
	s.runner = schedule.Runner{DB: s.DB, Job: job, Now: s.Now, Log: s.Log}
}

// workspaceRoutes registers the workspace's pages on the signed-in group a;
// every route names the permission it needs.
func (s *Handler) workspaceRoutes(a *gin.RouterGroup) {
	s.importRoutes(a)
	s.assistantRoutes(a)
	s.exportRoutes(a)
	s.scheduleRoutes(a)
	s.qualityRoutes(a)
	s.adminRoutes(a)
}

// acquireWorkbook takes a slot to make a workbook, or refuses with
// "too many requests" while maxWorkbooks are being made; release gives the
// slot back.
func (s *Handler) acquireWorkbook() (release func(), err error) {
	release, ok := s.workbooks.TryTake()
	if !ok {
		return nil, domain.Errorf(core.ETooMany, "workbooks are being made; try again shortly")
	}
	return release, nil
}

// fieldErrors maps a form field to its message, already translated.
type fieldErrors map[string]string

// formatSize is a number of bytes for people: "812 B", "45,3 kB", "2,1 MB".
func formatSize(lang string, n int64) string {
	var s string
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1000*1000:
		s = fmt.Sprintf("%.1f kB", float64(n)/1000)
	default:
		s = fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	if lang != "en" {
		for i := range s {
			if s[i] == '.' {
				s = s[:i] + "," + s[i+1:]
				break
			}
		}
	}
	return s
}

// formatTime is a moment in Brussels (domain.Zone), to the minute.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.Zone).Format("2006-01-02 15:04")
}

// providerOptions are the providers u may choose in a form (a coordinator's
// own, an admin's every one), with their names from names.
func providerOptions(u *domain.User, names map[string]string, codes []string) []option {
	var out []option
	for _, code := range codes {
		if u.Role == domain.RoleAdmin || u.HasProvider(code) {
			label := code
			if n := names[code]; n != "" {
				label = n + " (" + code + ")"
			}
			out = append(out, option{Value: code, Label: label})
		}
	}
	return out
}

// formTemplate prints an adminForm: every administration form looks and
// behaves the same (labels, hints, messages beside their fields, CSRF).
var formTemplate = template.Must(template.New("form").Parse(`<form method="post" action="{{.F.Action}}" id="{{.F.ID}}" class="admin-form" novalidate>
<input type="hidden" name="csrf" value="{{.CSRF}}">
<fieldset><legend>{{.F.Legend}}</legend>
{{if .F.Error}}<p class="form-error" role="alert">{{.F.Error}}</p>{{end}}
{{range .F.Fields}}{{$f := .}}
{{if eq .Type "checks"}}<fieldset class="checks"{{if .Err}} aria-describedby="{{.ID}}-err"{{end}}><legend>{{.Label}}</legend>
  {{range $i, $o := .Options}}<label class="check" for="{{$f.ID}}-{{$i}}"><input type="checkbox" name="{{$f.Name}}" value="{{$o.Value}}" id="{{$f.ID}}-{{$i}}"{{if index $f.Checked $o.Value}} checked{{end}}> {{$o.Label}}</label>
  {{end}}{{if .Hint}}<span class="hint">{{.Hint}}</span>{{end}}{{if .Err}}<span class="err" id="{{.ID}}-err">{{.Err}}</span>{{end}}
</fieldset>
{{else}}<div class="field"><label for="{{.ID}}">{{.Label}}{{if .Optional}} <span class="opt">({{$.Optional}})</span>{{end}}</label>
{{if eq .Type "static"}}<output id="{{.ID}}"><code>{{.Value}}</code></output>
{{else if eq .Type "select"}}<select id="{{.ID}}" name="{{.Name}}"{{if .Err}} aria-invalid="true" aria-describedby="{{.ID}}-err"{{end}}>
  {{if not (index $.Blank .Name)}}<option value="">–</option>{{end}}{{range .Options}}<option value="{{.Value}}"{{if eq .Value $f.Value}} selected{{end}}>{{.Label}}</option>{{end}}
</select>
{{else if eq .Type "textarea"}}<textarea id="{{.ID}}" name="{{.Name}}" rows="3"{{if .Max}} maxlength="{{.Max}}"{{end}}{{if .Err}} aria-invalid="true" aria-describedby="{{.ID}}-err"{{end}}>{{.Value}}</textarea>
{{else}}<input id="{{.ID}}" name="{{.Name}}" type="{{.Type}}" value="{{if ne .Type "password"}}{{.Value}}{{end}}"{{if .Max}} maxlength="{{.Max}}"{{end}}{{if eq .Type "password"}} autocomplete="new-password"{{end}}{{if .Hint}} aria-describedby="{{.ID}}-hint{{if .Err}} {{.ID}}-err{{end}}"{{else if .Err}} aria-describedby="{{.ID}}-err"{{end}}{{if .Err}} aria-invalid="true"{{end}}>
{{end}}{{if and .Hint (ne .Type "checks")}}<span class="hint" id="{{.ID}}-hint">{{.Hint}}</span>{{end}}{{if .Err}}<span class="err" id="{{.ID}}-err">{{.Err}}</span>{{end}}
</div>
{{end}}{{end}}
<button type="submit"{{if .F.Danger}} class="danger"{{end}}>{{.F.Submit}}</button>
</fieldset>
</form>`))

// renderForm prints f for the page v.
func renderForm(v *core.View, f *adminForm) (template.HTML, error) {
	if f == nil {
		return "", nil
	}
	blank := map[string]bool{} // selects that offer "" themselves
	for _, fl := range f.Fields {
		for _, o := range fl.Options {
			if o.Value == "" {
				blank[fl.Name] = true
			}
		}
	}
	var b strings.Builder
	err := formTemplate.Execute(&b, struct {
		CSRF, Optional string
		F              *adminForm
		Blank          map[string]bool
	}{v.CSRF, v.T("optional"), f, blank})
	return template.HTML(b.String()), err
}

// viewPair hands a template block the page and one item of it.
type viewPair struct {
	V *core.View
	X any
}

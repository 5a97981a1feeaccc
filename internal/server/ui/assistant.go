package ui

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/importer"
	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// The mapping assistant (Importeren › Bestand uit een ander systeem): a
// coordinator uploads one file that is not in the interchange format;
// Traject proposes an entity and a mapping for every column
// (interchange.Propose), the coordinator corrects it in one form, sees the
// first twenty records as they would be imported and every error of the
// dry run, saves the mapping as a named profile and imports. Next month
// the same export is recognised by a saved profile, and imported with it
// in two clicks. The upload waits as a store.PendingUpload between steps.

// assistPreviewRows is how many records the form shows as they would be imported.
const assistPreviewRows = 20

// Special values of a field's column choice and of a value mapping.
const (
	assistConstant = "=" // the field takes one value for every row
	assistBlank    = "∅" // map the file's value to a blank field
)

// assistantView is the assistant's page.
type assistantView struct {
	ID, Name     string
	Sheet        string // the sheet read, for a workbook
	Recognised   []recognisedProfile
	Examples     []exampleEntry // shipped profiles whose entry fits the file, as a starting point
	FromExample  string         // the example the form starts from
	Entities     []option
	Entity       string
	Match        string // the file names the profile reads
	SkipRows     int
	DateFormat   string
	DateFormats  []string
	Header       []string
	Fields       []assistField
	ProfileName  string
	Description  string
	Problems     []string // what makes the mapping no valid profile
	Checked      bool     // a dry run ran
	PreviewHead  []string
	PreviewRows  [][]string
	Report       *importReport
	ErrorMessage string
	LinkChoices  []string // a coordinator of several providers: whose the new learners become
	LinkProvider string
}

// recognisedProfile is a stored profile that reads the upload.
type recognisedProfile struct {
	Name, Description, Provider string
}

// exampleEntry is one entry of a shipped profile that fits the upload.
type exampleEntry struct {
	Profile, Entity string
	Entry           int
}

// assistField is one field of the entity in the form.
type assistField struct {
	Name, Label string
	Required    bool
	Column      string // the file's column; assistConstant; "" for none
	Constant    string
	Codes       []option // the field's codes, for a value table and a constant
	Values      []assistValue
}

// assistValue is one distinct value of the file and the code it becomes.
type assistValue struct {
	From, To string // To: a code, assistBlank, or "" to read the value as it is
}

func (s *Handler) assistantRoutes(a *gin.RouterGroup) {
	a.POST("/imports/assistant", s.Require(auth.Import), s.uploadLimit, s.CSRF, s.assistantUpload)
	a.GET("/imports/assistant/:id", s.Require(auth.Import), s.assistantPage)
	a.POST("/imports/assistant/:id", s.CSRF, s.Require(auth.Import), s.assistantSubmit)
	a.POST("/imports/assistant/:id/profile", s.CSRF, s.Require(auth.Import), s.assistantImportProfile)
}

// assistantUpload keeps the uploaded file and opens the assistant on it,
// once its start reads within the limits (interchange.SampleFile): a file
// that breaks one is refused here, and never kept.
func (w *Handler) assistantUpload(c *gin.Context) {
	if c.Request.MultipartForm != nil {
		defer c.Request.MultipartForm.RemoveAll()
	}
	v := w.newImportView(c)
	refuse := func(status int, key string, args ...any) {
		v.Error = locale.T(core.Lang(c), key, args...)
		w.Render(c, status, "imports", "", v)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		refuse(http.StatusUnprocessableEntity, "imp.nofile")
		return
	}
	name := uploadName(fh.Filename)
	if ext := strings.ToLower(filepath.Ext(name)); ext != ".csv" && ext != ".xlsx" {
		refuse(http.StatusUnprocessableEntity, "asst.ext", name)
		return
	}
	if fh.Size > limits.FileBytes {
		refuse(http.StatusRequestEntityTooLarge, "imp.toobig", limits.FileBytes>>20)
		return
	}
	f, err := fh.Open()
	if err != nil {
		w.Fail(c, err)
		return
	}
	var buf bytes.Buffer
	buf.Grow(int(fh.Size) + 1) // once: ReadAll would grow it a few times over
	_, err = buf.ReadFrom(io.LimitReader(f, limits.FileBytes+1))
	data := buf.Bytes()
	f.Close()
	if err != nil {
		w.Fail(c, err)
		return
	}
	p := &store.PendingUpload{ID: newImportID(), Username: core.CurrentUser(c).Username, Name: name, Data: data,
		Created: w.Now(), Expires: w.Now().Add(PendingTTL)}
	u, err := newAssistUpload(p)
	if err != nil {
		w.Fail(c, err)
		return
	}
	defer u.close()
	s, ok := w.sample(c, u)
	if !ok || !w.headerWithin(c, u, s, s.HeaderRow()) {
		return
	}
	if err := w.DB.PutPendingUpload(c.Request.Context(), *p); err != nil {
		w.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/imports/assistant/"+p.ID)
}

// assistUpload is an upload written to a temporary folder under its own
// name, for the readers.
type assistUpload struct {
	*store.PendingUpload
	dir, path string
}

// newAssistUpload writes p to a temporary folder of its own.
func newAssistUpload(p *store.PendingUpload) (*assistUpload, error) {
	dir, err := os.MkdirTemp("", "traject-assistant-")
	if err != nil {
		return nil, err
	}
	u := &assistUpload{PendingUpload: p, dir: dir, path: filepath.Join(dir, uploadName(p.Name))}
	if err := os.WriteFile(u.path, p.Data, 0o600); err != nil {
		u.close()
		return nil, err
	}
	return u, nil
}

func (u *assistUpload) close() { os.RemoveAll(u.dir) }

// loadUpload reads the route's upload of the user; on false it has answered.
func (s *Handler) loadUpload(c *gin.Context, take bool) (*assistUpload, bool) {
	get := s.DB.PeekPendingUpload
	if take {
		get = s.DB.TakePendingUpload
	}
	p, err := get(c.Request.Context(), c.Param("id"), core.CurrentUser(c).Username, s.Now())
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		v := s.newImportView(c)
		v.Expired = true
		s.Render(c, http.StatusGone, "imports", "", v)
		return nil, false
	}
	if err != nil {
		s.Fail(c, err)
		return nil, false
	}
	u, err := newAssistUpload(p)
	if err != nil {
		s.Fail(c, err)
		return nil, false
	}
	return u, true
}

// visibleProfiles are the stored profiles u may use: everyone's and those
// of u's providers (an admin: all).
func (s *Handler) visibleProfiles(c *gin.Context) ([]store.StoredProfile, error) {
	all, err := s.DB.Profiles(c.Request.Context())
	if err != nil {
		return nil, err
	}
	u := core.CurrentUser(c)
	return slices.DeleteFunc(all, func(sp store.StoredProfile) bool {
		return sp.Provider != "" && u.Role != domain.RoleAdmin && !u.HasProvider(sp.Provider)
	}), nil
}

// assistantPage proposes a mapping for the upload (for the entity asked
// for, or the one its headers name best) and names the saved profiles that
// recognise it.
func (w *Handler) assistantPage(c *gin.Context) {
	u, s, v, ok := w.openAssistant(c)
	if !ok {
		return
	}
	defer u.close()
	if !w.headerWithin(c, u, s, s.HeaderRow()) {
		return
	}
	profiles, err := w.visibleProfiles(c)
	if err != nil {
		w.Fail(c, err)
		return
	}
	for _, sp := range profiles {
		for i := range sp.Profile.Files {
			if len(sp.Profile.Files) == 1 && s.Recognises(&sp.Profile.Files[i]) {
				v.Recognised = append(v.Recognised, recognisedProfile{Name: sp.Profile.Name,
					Description: sp.Profile.Description, Provider: sp.Provider})
			}
		}
	}
	p := interchange.Propose(s, c.Query("entity"))
	entry := &p.Entry
	for _, ex := range interchange.Examples() {
		for i := range ex.Files {
			if !s.Fits(&ex.Files[i]) {
				continue
			}
			v.Examples = append(v.Examples, exampleEntry{Profile: ex.Name, Entity: ex.Files[i].Entity, Entry: i})
			if c.Query("example") == ex.Name && c.Query("entry") == strconv.Itoa(i) {
				e := ex.Files[i] // the example's reading, under the upload's own file pattern
				e.Match = p.Entry.Match
				entry, v.FromExample = &e, ex.Name
			}
		}
	}
	if !w.headerWithin(c, u, s, entry.SkipRows) {
		return
	}
	w.fillAssistant(c, v, s, entry, interchange.DistinctValues(s, entry))
	w.Render(c, http.StatusOK, "imports_assistant", "", v)
}

// openAssistant reads the route's upload, its start and the page's frame;
// on false it has answered. The caller closes the upload.
func (w *Handler) openAssistant(c *gin.Context) (*assistUpload, *interchange.Sample, *assistantView, bool) {
	u, ok := w.loadUpload(c, false)
	if !ok {
		return nil, nil, nil, false
	}
	s, ok := w.sample(c, u)
	if !ok {
		u.close()
		return nil, nil, nil, false
	}
	return u, s, w.newAssistantView(c, u, s), true
}

// sample reads the start of the upload; on false it has answered.
func (w *Handler) sample(c *gin.Context, u *assistUpload) (*interchange.Sample, bool) {
	s, err := interchange.SampleFile(u.path, u.Name)
	if err == nil && len(s.Rows) == 0 {
		err = domain.Errorf(domain.EINVALID, "%s is empty", u.Name)
	}
	if err != nil {
		w.unreadable(c, u, err)
		return nil, false
	}
	return s, true
}

// unreadable answers that the upload cannot be read, and why (err), on the
// import page.
func (s *Handler) unreadable(c *gin.Context, u *assistUpload, err error) {
	v := s.newImportView(c)
	v.Name = u.Name
	v.Error = locale.T(core.Lang(c), "imp.unreadable.data", u.Name, strings.ReplaceAll(domain.MessageIn(err, core.Lang(c)), u.path, u.Name))
	s.Render(c, http.StatusUnprocessableEntity, "imports", "", v)
}

// headerWithin checks the sample's header under skip rows against the
// limits before anything matches or shows its names; on false it has
// answered as sample does.
func (w *Handler) headerWithin(c *gin.Context, u *assistUpload, s *interchange.Sample, skip int) bool {
	if err := s.CheckHeader(skip); err != nil {
		w.unreadable(c, u, err)
		return false
	}
	return true
}

func (w *Handler) newAssistantView(c *gin.Context, u *assistUpload, s *interchange.Sample) *assistantView {
	lang := core.Lang(c)
	v := &assistantView{ID: u.ID, Name: u.Name, DateFormats: interchange.DateFormats}
	v.LinkChoices, v.LinkProvider = linkChoices(c)
	if s.Sheet {
		v.Sheet = s.Name
	}
	for _, e := range interchange.Entities {
		v.Entities = append(v.Entities, option{e.Name, locale.T(lang, "imp.ent."+e.Name)})
	}
	return v
}

// fillAssistant puts a profile entry in the form, with the distinct values
// of each code field.
func (w *Handler) fillAssistant(c *gin.Context, v *assistantView, s *interchange.Sample, e *interchange.ProfileFile, distinct map[string][]string) {
	lang := core.Lang(c)
	v.Entity, v.Match, v.SkipRows, v.DateFormat = e.Entity, e.Match, e.SkipRows, e.DateFormat
	v.Header, _ = s.Header(e.SkipRows)
	ent := interchange.EntityNamed(e.Entity)
	for _, f := range ent.Columns {
		af := assistField{Name: f, Label: f, Required: !ent.Optional[f], Column: e.Columns[f]}
		if locale.Has("f." + f) {
			af.Label = locale.T(lang, "f."+f) + " (" + f + ")"
		}
		if k, ok := e.Constants[f]; ok {
			af.Column, af.Constant = assistConstant, k
		}
		if list := interchange.CodeList(e.Entity, f); list != nil {
			for _, code := range list.Codes {
				af.Codes = append(af.Codes, option{code, code + " – " + locale.Code(lang, list.Name, code)})
			}
		} else if interchange.LevelField(f) {
			for _, code := range domain.Ladder {
				af.Codes = append(af.Codes, option{code, code})
			}
		}
		for _, from := range distinct[f] {
			to, ok := e.Values[f][from]
			switch {
			case ok && to == "":
				to = assistBlank
			case !ok:
				to = ""
			}
			af.Values = append(af.Values, assistValue{From: from, To: to})
		}
		v.Fields = append(v.Fields, af)
	}
}

// entryFromForm reads the form into a profile entry for file name.
func entryFromForm(c *gin.Context, name string) interchange.ProfileFile {
	e := interchange.ProfileFile{Entity: c.PostForm("entity"), DateFormat: c.PostForm("date_format"),
		Columns: map[string]string{}, Constants: map[string]string{}, Values: map[string]map[string]string{}}
	e.SkipRows, _ = strconv.Atoi(c.PostForm("skip_rows"))
	e.Match = c.PostForm("match")
	if e.Match == "" {
		e.Match = name
	}
	ent := interchange.EntityNamed(e.Entity)
	if ent == nil {
		return e
	}
	for _, f := range ent.Columns {
		switch col := c.PostForm("col." + f); col {
		case "":
		case assistConstant:
			e.Constants[f] = strings.TrimSpace(c.PostForm("const." + f))
		default:
			e.Columns[f] = col
		}
		for i := 0; ; i++ {
			from, ok := c.GetPostForm("from." + f + "." + strconv.Itoa(i))
			if !ok {
				break
			}
			switch to := c.PostForm("to." + f + "." + strconv.Itoa(i)); to {
			case "":
			case assistBlank:
				mapValue(&e, f, from, "")
			default:
				mapValue(&e, f, from, to)
			}
		}
	}
	return e
}

func mapValue(e *interchange.ProfileFile, field, from, to string) {
	if e.Values[field] == nil {
		e.Values[field] = map[string]string{}
	}
	e.Values[field][from] = to
}

// assistantSubmit checks the corrected mapping with a dry run (action
// check), or saves it as a profile and imports the file with it (action
// save): nothing is saved or stored while the dry run finds an error.
func (w *Handler) assistantSubmit(c *gin.Context) {
	u, s, v, ok := w.openAssistant(c)
	if !ok {
		return
	}
	defer u.close()
	e := entryFromForm(c, s.Name)
	if interchange.EntityNamed(e.Entity) == nil {
		w.Fail(c, core.BadRequest("unknown entity"))
		return
	}
	if !w.headerWithin(c, u, s, e.SkipRows) {
		return
	}
	save := c.PostForm("action") == "save"
	v.ProfileName, v.Description = strings.TrimSpace(c.PostForm("name")), strings.TrimSpace(c.PostForm("description"))
	name := v.ProfileName
	if name == "" && !save {
		name = "concept"
	}
	p := &interchange.Profile{Name: name, Description: v.Description, Files: []interchange.ProfileFile{e}}
	distinct := interchange.DistinctValues(s, &e)
	w.fillAssistant(c, v, s, &e, distinct)
	if problems := p.Check(); len(problems) > 0 {
		for _, t := range problems {
			v.Problems = append(v.Problems, t.In(core.Lang(c)))
		}
		w.Render(c, http.StatusUnprocessableEntity, "imports_assistant", "", v)
		return
	}
	release, ok := w.imports.TryTake()
	if !ok { // the form stays as it was, to check again in a moment
		v.ErrorMessage = locale.T(core.Lang(c), "imp.busy", w.imports.Size())
		retryLater(c)
		w.Render(c, http.StatusServiceUnavailable, "imports_assistant", "", v)
		return
	}
	defer release()
	opt := w.importOptions(c, true)
	opt.Profile = p
	batch, rowErrs, err := interchange.ReadProfile(u.path, p, nil)
	if err != nil {
		v.ErrorMessage = strings.ReplaceAll(domain.MessageIn(err, core.Lang(c)), u.dir+string(filepath.Separator), "")
		w.Render(c, http.StatusUnprocessableEntity, "imports_assistant", "", v)
		return
	}
	rep, err := importer.Batch(c.Request.Context(), w.DB, batch, rowErrs, opt)
	if err != nil {
		w.Fail(c, err)
		return
	}
	v.Checked, v.Report = true, newImportReport(core.Lang(c), rep, batch, u.Name)
	if v.PreviewHead, v.PreviewRows, err = interchange.Preview(&batch.DataSet, e.Entity, assistPreviewRows); err != nil {
		w.Fail(c, err)
		return
	}
	if !rep.OK() || !save {
		status := http.StatusOK
		if !rep.OK() {
			status = http.StatusUnprocessableEntity
		}
		w.Render(c, status, "imports_assistant", "", v)
		return
	}
	if err := w.DB.SaveProfile(c.Request.Context(), core.CurrentUser(c).Username, profileProvider(core.CurrentUser(c)), p, w.Now()); err != nil {
		if code := domain.ErrorCode(err); code == domain.EINVALID || code == domain.ECONFLICT {
			v.Problems = []string{domain.MessageIn(err, core.Lang(c))}
			w.Render(c, http.StatusUnprocessableEntity, "imports_assistant", "", v)
			return
		}
		w.Fail(c, err)
		return
	}
	w.importWithProfile(c, u, p)
}

// profileProvider is the provider a profile saved by u is for: a
// coordinator's (first) provider; an admin's profiles are everyone's.
func profileProvider(u *domain.User) string {
	if u.Role == domain.RoleAdmin || len(u.Providers) == 0 {
		return ""
	}
	return u.Providers[0]
}

// assistantImportProfile imports the upload with a saved profile that
// recognised it: the second click of next month's import.
func (s *Handler) assistantImportProfile(c *gin.Context) {
	profiles, err := s.visibleProfiles(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	i := slices.IndexFunc(profiles, func(sp store.StoredProfile) bool { // names are per owner
		return sp.Profile.Name == c.PostForm("profile") && sp.Provider == c.PostForm("provider")
	})
	if i < 0 {
		s.Fail(c, domain.Errorf(domain.ENOTFOUND, "no profile %q", c.PostForm("profile")))
		return
	}
	v := s.newImportView(c)
	v.Assistant = "/imports/assistant/" + c.Param("id")
	release, ok := s.takeImport(c, v)
	if !ok {
		return
	}
	defer release()
	u, ok := s.loadUpload(c, false)
	if !ok {
		return
	}
	defer u.close()
	s.importWithProfile(c, u, profiles[i].Profile)
}

// importWithProfile imports the upload with p in one transaction and shows
// the result on the import page; the upload is let go of once stored. The
// caller holds one of the import slots (takeImport).
func (s *Handler) importWithProfile(c *gin.Context, u *assistUpload, p *interchange.Profile) {
	user := core.CurrentUser(c)
	v := s.newImportView(c)
	v.Name = u.Name
	opt := s.importOptions(c, false)
	opt.Profile = p
	rep, err := importer.Path(c.Request.Context(), s.DB, u.path, opt)
	if err != nil {
		if domain.ErrorCode(err) == domain.EINVALID {
			v.Error = locale.T(core.Lang(c), "imp.unreadable.data", u.Name, strings.ReplaceAll(domain.MessageIn(err, core.Lang(c)), u.dir+string(filepath.Separator), ""))
			s.Render(c, http.StatusUnprocessableEntity, "imports", "", v)
			return
		}
		s.Fail(c, err)
		return
	}
	v.Report = newImportReport(core.Lang(c), rep, nil, u.Name)
	s.recordImport(c, rep, store.ImportAssistant, u.Name, p.Name)
	if !rep.OK() {
		s.Render(c, http.StatusUnprocessableEntity, "imports", "", v)
		return
	}
	if _, err := s.DB.TakePendingUpload(c.Request.Context(), u.ID, user.Username, s.Now()); err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		s.Log.Error("let go of an imported upload", "err", err)
	}
	v.Done = true
	s.Render(c, http.StatusOK, "imports", "", v)
}

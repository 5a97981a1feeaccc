package ui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/importer"
	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// The import page (Importeren): a coordinator uploads a data set, a .zip of
// CSV files or an .xlsx workbook (spec/interchange.md); Traject checks it
// with a dry run and shows every error with its file, row and column, or
// what would be inserted and updated per table. The upload waits in the
// database (store.PendingUpload), bound to its user, until they confirm it
// (the real import, one transaction) on whichever server process, cancel
// it, upload another or PendingTTL passes.

// PendingTTL is how long a checked upload waits for its confirmation.
const PendingTTL = 30 * time.Minute

// maxShownErrors bounds the rows of the error table; the count says how
// many more there are.
const maxShownErrors = 2000

// importView is the import page.
type importView struct {
	Error     string // why the file itself was refused (translated)
	Name      string // the uploaded file's name
	Report    *importReport
	Token     string // the upload to confirm; "" when there is nothing to confirm
	Expires   string // until when it may be confirmed
	Done      bool   // the import was stored
	Expired   bool   // the upload to confirm had expired or was gone
	Cancelled bool
	Scope     string // the coordinator's providers; "" for an admin
	Limits    string // what an upload may be, for the page (limitsText)
	Retry     string // the upload whose confirmation found Traject busy, to confirm again
	Assistant string // the assistant's page of an upload that found Traject busy, to go back to
	// LinkChoices are the providers of a coordinator of several, one of
	// which the new learners of the import are linked to (importer/scope.go);
	// LinkProvider is the one chosen.
	LinkChoices  []string
	LinkProvider string
}

// importReport is what a dry run or an import found, ready to print.
type importReport struct {
	Errors    []importError
	More      int // errors beyond those shown
	Total     int // errors in all
	Counts    []importCount
	Inserted  int
	Updated   int
	Unchanged int
	Ignored   string // the files or sheets that are no table of the format
}

// importError is one line of the error table.
type importError struct {
	File, Row, Column, Message string
	Label                      string // the column's field in the reader's language, when it names one
}

// importCount is what the import does to one table.
type importCount struct {
	Entity                       string // catalogue key of the table's name
	File                         string
	Inserted, Updated, Unchanged int
}

// importRoutes registers the import pages.
func (s *Handler) importRoutes(a *gin.RouterGroup) {
	a.GET("/imports", s.Require(auth.Import), s.importPage)
	a.GET("/imports/history", s.Require(auth.Import), s.importHistory)
	a.POST("/imports", s.Require(auth.Import), s.uploadLimit, s.CSRF, s.upload)
	a.POST("/imports/:id/confirm", s.CSRF, s.Require(auth.Import), s.confirmImport)
	a.POST("/imports/:id/cancel", s.CSRF, s.Require(auth.Import), s.cancelImport)
}

// newImportView is the page's frame for the current user.
func (s *Handler) newImportView(c *gin.Context) *importView {
	v := &importView{Limits: limitsText(core.Lang(c))}
	if u := core.CurrentUser(c); u.Role != domain.RoleAdmin {
		v.Scope = strings.Join(u.Providers, ", ")
	}
	v.LinkChoices, v.LinkProvider = linkChoices(c)
	return v
}

// linkChoices are, for a coordinator of several providers, their providers
// (one of which an import's new learners are linked to) and the one the
// form chose; nothing for anyone else.
func linkChoices(c *gin.Context) ([]string, string) {
	u := core.CurrentUser(c)
	if u.Role != domain.RoleCoordinator || len(u.Providers) < 2 {
		return nil, ""
	}
	return u.Providers, strings.TrimSpace(c.PostForm("link_provider"))
}

// limitsText says in lang what an upload may be (interchange.UploadLimits).
func limitsText(lang string) string {
	n := func(v int64) string { return locale.Number(v).In(lang) }
	return locale.T(lang, "imp.limits", n(limits.FileBytes>>20), n(limits.UnpackedBytes>>20), n(int64(limits.ZipFiles)),
		n(int64(limits.Columns)), n(int64(limits.Rows)), n(int64(limits.CellChars)))
}

// importPage shows the upload form.
func (s *Handler) importPage(c *gin.Context) {
	v := s.newImportView(c)
	v.Cancelled = c.Query("cancelled") == "1"
	s.Render(c, http.StatusOK, "imports", "", v)
}

// uploadLimit refuses an upload over limits.FileBytes with a page that says
// so, before anything else reads the request; it parses the form within
// that limit for the handlers after it.
func (s *Handler) uploadLimit(c *gin.Context) {
	const formRoom = 1 << 20 // the form's other fields and multipart framing
	tooBig := func() {
		v := s.newImportView(c)
		v.Error = locale.T(core.Lang(c), "imp.toobig", limits.FileBytes>>20)
		s.Render(c, http.StatusRequestEntityTooLarge, "imports", "", v)
		c.Abort()
	}
	if c.Request.ContentLength > limits.FileBytes+formRoom {
		tooBig()
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limits.FileBytes+formRoom)
	if err := c.Request.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) || strings.Contains(err.Error(), "request body too large") {
			tooBig()
			return
		}
		s.Fail(c, core.BadRequest("unreadable upload"))
		return
	}
	c.Next()
}

// upload checks an uploaded data set with a dry run and shows the result.
func (s *Handler) upload(c *gin.Context) {
	if c.Request.MultipartForm != nil {
		defer c.Request.MultipartForm.RemoveAll()
	}
	lang := core.Lang(c)
	v := s.newImportView(c)
	refuse := func(status int, key string, args ...any) {
		v.Error = locale.T(lang, key, args...)
		s.Render(c, status, "imports", "", v)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		refuse(http.StatusUnprocessableEntity, "imp.nofile")
		return
	}
	v.Name = uploadName(fh.Filename)
	ext := strings.ToLower(filepath.Ext(v.Name))
	if ext != ".zip" && ext != ".xlsx" {
		refuse(http.StatusUnprocessableEntity, "imp.ext", v.Name)
		return
	}
	if fh.Size > limits.FileBytes {
		refuse(http.StatusRequestEntityTooLarge, "imp.toobig", limits.FileBytes>>20)
		return
	}
	dir, err := os.MkdirTemp("", "traject-import-")
	if err != nil {
		s.Fail(c, err)
		return
	}
	defer os.RemoveAll(dir)
	src, err := fh.Open()
	if err != nil {
		s.Fail(c, err)
		return
	}
	file := filepath.Join(dir, "upload"+ext)
	err = saveUpload(src, file)
	src.Close()
	var up *uploadProblem
	if errors.As(err, &up) {
		refuse(http.StatusRequestEntityTooLarge, up.key, up.args...)
		return
	} else if err != nil {
		s.Fail(c, err)
		return
	}
	path, up := prepare(file, dir)
	if up != nil {
		v.Error = up.in(lang, v.Name)
		s.Render(c, http.StatusUnprocessableEntity, "imports", "", v)
		return
	}
	release, ok := s.takeImport(c, v)
	if !ok {
		return
	}
	defer release()
	rep, batch, err := s.runImport(c.Request.Context(), c, path, true)
	if err != nil {
		s.importFailed(c, v, err, path)
		return
	}
	v.Report = newImportReport(core.Lang(c), rep, batch, "")
	if !rep.OK() {
		s.recordImport(c, rep, store.ImportWeb, v.Name, "")
		s.Render(c, http.StatusUnprocessableEntity, "imports", "", v)
		return
	}
	// The upload waits in the database, so that its confirmation may reach
	// any server process of the installation.
	data, err := os.ReadFile(file)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := store.PendingUpload{ID: newImportID(), Username: core.CurrentUser(c).Username, Name: v.Name, Data: data,
		Created: s.Now(), Expires: s.Now().Add(PendingTTL)}
	if err := s.DB.PutPendingUpload(c.Request.Context(), p); err != nil {
		s.Fail(c, err)
		return
	}
	v.Token, v.Expires = p.ID, formatTime(p.Expires)
	s.Render(c, http.StatusOK, "imports", "", v)
}

// takeImport takes one of the process's slots to read a data set for an
// import; while every slot is taken it answers 503 with the import page v,
// saying that Traject is busy and to try again in a moment, and reports
// false. The caller calls release when the data set is read and stored.
func (s *Handler) takeImport(c *gin.Context, v *importView) (release func(), ok bool) {
	release, ok = s.imports.TryTake()
	if !ok {
		v.Error = locale.T(core.Lang(c), "imp.busy", s.imports.Size())
		retryLater(c)
		s.Render(c, http.StatusServiceUnavailable, "imports", "", v)
	}
	return release, ok
}

// busyRetry is how many seconds a busy answer asks a client to wait.
const busyRetry = 30

// retryLater asks the client of a busy answer (503) to wait busyRetry seconds.
func retryLater(c *gin.Context) {
	c.Header("Retry-After", strconv.Itoa(busyRetry))
}

// importFailed shows why a data set could not be read at all (no table in
// it, a damaged workbook …), with the server's temporary path replaced by
// the file's name; a database failure is an internal error.
func (s *Handler) importFailed(c *gin.Context, v *importView, err error, path string) {
	var ue *userError
	if !errors.As(err, &ue) {
		s.Fail(c, err)
		return
	}
	msg := strings.ReplaceAll(domain.MessageIn(ue.err, core.Lang(c)), path, v.Name)
	v.Error = locale.T(core.Lang(c), "imp.unreadable.data", v.Name, msg)
	s.Render(c, http.StatusUnprocessableEntity, "imports", "", v)
}

// userError is an error of reading an uploaded data set: the file's fault,
// shown to the person who uploaded it.
type userError struct{ err error }

func (e *userError) Error() string { return e.err.Error() }

// runImport reads the data set at path, checks the rows against the user's
// scope (importer/scope.go) and runs the importer: a dry run, or the import.
// An error reading the file is a *userError.
func (s *Handler) runImport(ctx context.Context, c *gin.Context, path string, dryRun bool) (*importer.Report, *interchange.Batch, error) {
	batch, rowErrs, err := interchange.Read(path, nil)
	if err != nil {
		return nil, nil, &userError{err}
	}
	rep, err := importer.Batch(ctx, s.DB, batch, rowErrs, s.importOptions(c, dryRun))
	return rep, batch, err
}

// importOptions are the options of an import by the signed-in user: in their
// language, dated today (the links of new learners, importer/scope.go), with
// the provider they chose for new learners (the form's link_provider).
func (s *Handler) importOptions(c *gin.Context, dryRun bool) importer.Options {
	return importer.Options{DryRun: dryRun, User: core.CurrentUser(c), Lang: core.Lang(c),
		Today: domain.DateOf(s.Now().In(domain.Zone)), LinkProvider: strings.TrimSpace(c.PostForm("link_provider"))}
}

// confirmImport runs the import of a checked upload: the whole data set in
// one transaction, checked once more against the database as it is now.
func (s *Handler) confirmImport(c *gin.Context) {
	u := core.CurrentUser(c)
	v := s.newImportView(c)
	v.Retry = c.Param("id")
	release, ok := s.takeImport(c, v) // before the upload is taken: while busy, it waits on
	if !ok {
		return
	}
	defer release()
	v.Retry = ""
	p, err := s.DB.TakePendingUpload(c.Request.Context(), c.Param("id"), u.Username, s.Now())
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		v.Expired = true
		s.Render(c, http.StatusGone, "imports", "", v)
		return
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	v.Name = p.Name
	dir, err := os.MkdirTemp("", "traject-import-")
	if err != nil {
		s.Fail(c, err)
		return
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "upload"+strings.ToLower(filepath.Ext(p.Name)))
	if err := os.WriteFile(file, p.Data, 0o600); err != nil {
		s.Fail(c, err)
		return
	}
	path, up := prepare(file, dir)
	if up != nil { // it passed before; a change of the rules since is the only way here
		v.Error = up.in(core.Lang(c), v.Name)
		s.Render(c, http.StatusUnprocessableEntity, "imports", "", v)
		return
	}
	rep, batch, err := s.runImport(c.Request.Context(), c, path, false)
	if err != nil {
		s.importFailed(c, v, err, path)
		return
	}
	v.Report = newImportReport(core.Lang(c), rep, batch, "")
	s.recordImport(c, rep, store.ImportWeb, p.Name, "")
	if !rep.OK() {
		s.Render(c, http.StatusUnprocessableEntity, "imports", "", v)
		return
	}
	s.Log.Info("import", "user", u.Username, "inserted", v.Report.Inserted, "updated", v.Report.Updated,
		"unchanged", v.Report.Unchanged)
	v.Done = true
	s.Render(c, http.StatusOK, "imports", "", v)
}

// recordImport keeps an import of the signed-in user in the import history
// (and a stored one in the audit trail): a stored one, or one refused at its
// check or its confirmation. A failure to record is logged; the import
// stands.
func (s *Handler) recordImport(c *gin.Context, rep *importer.Report, channel, source, profile string) {
	run := rep.Run(s.Now(), core.CurrentUser(c).Username, channel, source, profile, core.Lang(c))
	if err := s.DB.RecordImport(c.Request.Context(), run); err != nil {
		s.Log.Error("record the import in its history", "err", err)
	}
}

// cancelImport lets go of a checked upload.
func (s *Handler) cancelImport(c *gin.Context) {
	if _, err := s.DB.TakePendingUpload(c.Request.Context(), c.Param("id"), core.CurrentUser(c).Username, s.Now()); err != nil &&
		domain.ErrorCode(err) != domain.ENOTFOUND {
		s.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/imports?cancelled=1")
}

// newImportID is a random id for a pending upload.
func newImportID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// newImportReport puts a report in the page's terms, its messages in lang.
// Each table's file is the one it was read from (b's positions: a file of
// the .zip, a sheet of the workbook); upload, when not "", is the one file
// every table came from (the mapping assistant's upload).
func newImportReport(lang string, rep *importer.Report, b *interchange.Batch, upload string) *importReport {
	r := &importReport{Total: len(rep.Errors)}
	for i, e := range rep.Errors {
		if i == maxShownErrors {
			r.More = len(rep.Errors) - i
			break
		}
		file := e.Pos.File
		if e.Pos.Sheet {
			file = locale.T(lang, "imp.sheet", file)
		}
		ie := importError{File: file, Row: rowText(e.Pos.Row), Column: e.Column, Message: e.In(lang)}
		if key := domain.FieldKey(e.Column); locale.Defined(locale.Default, key) {
			ie.Label = locale.T(lang, key)
		}
		r.Errors = append(r.Errors, ie)
	}
	for _, n := range rep.Counts {
		file := n.Entity
		if ent := interchange.EntityNamed(n.Entity); ent != nil {
			file = ent.File
		}
		switch ps := b.PosOf(n.Entity); {
		case upload != "":
			file = upload
		case len(ps) > 0 && ps[0].Sheet:
			file = locale.T(lang, "imp.sheet", ps[0].File)
		case len(ps) > 0:
			file = ps[0].File
		case n.Entity == "learner_links":
			file = ""
		}
		r.Counts = append(r.Counts, importCount{Entity: "imp.ent." + n.Entity, File: file,
			Inserted: n.Inserted, Updated: n.Updated, Unchanged: n.Unchanged})
		r.Inserted += n.Inserted
		r.Updated += n.Updated
		r.Unchanged += n.Unchanged
	}
	if b != nil {
		r.Ignored = strings.Join(b.Ignored, ", ")
	}
	return r
}

// rowText is a row number for the error table; 0 (no row) is blank.
func rowText(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

package server

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
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/importer"
	"github.com/traject-nt2/traject/internal/interchange"
)

// The import page (Importeren): a coordinator uploads a data set, a .zip of
// CSV files or an .xlsx workbook (spec/interchange.md); Traject checks it
// with a dry run and shows every error with its file, row and column, or
// what would be inserted and updated per table. The upload waits on the
// server, bound to its user, until they confirm it (the real import, one
// transaction), cancel it, upload another or pendingTTL passes.

// pendingTTL is how long a checked upload waits for its confirmation.
const pendingTTL = 30 * time.Minute

// maxShownErrors bounds the rows of the error table; the count says how
// many more there are.
const maxShownErrors = 2000

// pendingImport is a checked upload waiting for its confirmation.
type pendingImport struct {
	id      string
	user    string
	name    string // the file name the browser sent
	dir     string // the upload's own temporary folder, removed with it
	path    string // what the importer reads: the unpacked folder or the workbook
	expires time.Time
}

// pendingImports holds the uploads waiting for confirmation, at most one per
// user.
type pendingImports struct {
	mu sync.Mutex
	m  map[string]*pendingImport
}

func newPendingImports() *pendingImports { return &pendingImports{m: map[string]*pendingImport{}} }

// put keeps p, letting go of an earlier upload of the same user and of
// every expired one.
func (ps *pendingImports) put(p *pendingImport, now time.Time) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for id, q := range ps.m {
		if q.user == p.user || !now.Before(q.expires) {
			delete(ps.m, id)
			os.RemoveAll(q.dir)
		}
	}
	ps.m[p.id] = p
}

// take removes and returns the upload id of user, or nil when there is none
// of theirs or it has expired.
func (ps *pendingImports) take(id, user string, now time.Time) *pendingImport {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p := ps.m[id]
	if p == nil || p.user != user {
		return nil
	}
	delete(ps.m, id)
	if !now.Before(p.expires) {
		os.RemoveAll(p.dir)
		return nil
	}
	return p
}

// sweep lets go of every expired upload.
func (ps *pendingImports) sweep(now time.Time) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for id, q := range ps.m {
		if !now.Before(q.expires) {
			delete(ps.m, id)
			os.RemoveAll(q.dir)
		}
	}
}

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
	MaxUpload int    // MB
	MaxFiles  int
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
}

// importCount is what the import does to one table.
type importCount struct {
	Entity                       string // catalogue key of the table's name
	File                         string
	Inserted, Updated, Unchanged int
}

// importRoutes registers the import pages.
func (w *workspace) importRoutes(a *gin.RouterGroup) {
	a.GET("/imports", w.require(auth.Import), w.importPage)
	a.POST("/imports", w.require(auth.Import), w.uploadLimit, w.csrf, w.upload)
	a.POST("/imports/:id/confirm", w.csrf, w.require(auth.Import), w.confirmImport)
	a.POST("/imports/:id/cancel", w.csrf, w.require(auth.Import), w.cancelImport)
}

// newImportView is the page's frame for the current user.
func (w *workspace) newImportView(c *gin.Context) *importView {
	v := &importView{MaxUpload: maxUploadBytes >> 20, MaxFiles: maxZipFiles}
	if u := currentUser(c); u.Role != auth.RoleAdmin {
		v.Scope = strings.Join(u.Providers, ", ")
	}
	return v
}

// importPage shows the upload form.
func (w *workspace) importPage(c *gin.Context) {
	w.pending.sweep(w.now())
	v := w.newImportView(c)
	v.Cancelled = c.Query("cancelled") == "1"
	w.render(c, http.StatusOK, "imports", "", v)
}

// uploadLimit refuses an upload over maxUploadBytes with a page that says
// so, before anything else reads the request; it parses the form within
// that limit for the handlers after it.
func (w *workspace) uploadLimit(c *gin.Context) {
	const formRoom = 1 << 20 // the form's other fields and multipart framing
	tooBig := func() {
		v := w.newImportView(c)
		v.Error = translate(c.GetString(keyLang), "imp.toobig", maxUploadBytes>>20)
		w.render(c, http.StatusRequestEntityTooLarge, "imports", "", v)
		c.Abort()
	}
	if c.Request.ContentLength > maxUploadBytes+formRoom {
		tooBig()
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxUploadBytes+formRoom)
	if err := c.Request.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) || strings.Contains(err.Error(), "request body too large") {
			tooBig()
			return
		}
		w.fail(c, badRequest("unreadable upload"))
		return
	}
	c.Next()
}

// upload checks an uploaded data set with a dry run and shows the result.
func (w *workspace) upload(c *gin.Context) {
	if c.Request.MultipartForm != nil {
		defer c.Request.MultipartForm.RemoveAll()
	}
	lang := c.GetString(keyLang)
	v := w.newImportView(c)
	refuse := func(status int, key string, args ...any) {
		v.Error = translate(lang, key, args...)
		w.render(c, status, "imports", "", v)
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
	if fh.Size > maxUploadBytes {
		refuse(http.StatusRequestEntityTooLarge, "imp.toobig", maxUploadBytes>>20)
		return
	}
	dir, err := os.MkdirTemp("", "traject-import-")
	if err != nil {
		w.fail(c, err)
		return
	}
	keep := false
	defer func() {
		if !keep {
			os.RemoveAll(dir)
		}
	}()
	src, err := fh.Open()
	if err != nil {
		w.fail(c, err)
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
		w.fail(c, err)
		return
	}
	var path string
	if ext == ".xlsx" {
		path, up = prepareWorkbook(file)
	} else {
		path, up = prepareCSVZip(file, filepath.Join(dir, "data"))
	}
	if up != nil {
		refuse(http.StatusUnprocessableEntity, up.key, append([]any{v.Name}, up.args...)...)
		return
	}
	rep, batch, err := w.runImport(c.Request.Context(), c, path, true)
	if err != nil {
		w.importFailed(c, v, err, path)
		return
	}
	v.Report = newImportReport(rep, batch)
	if !rep.OK() {
		w.render(c, http.StatusUnprocessableEntity, "imports", "", v)
		return
	}
	p := &pendingImport{id: newImportID(), user: currentUser(c).Username, name: v.Name, dir: dir, path: path,
		expires: w.now().Add(pendingTTL)}
	w.pending.put(p, w.now())
	keep = true
	v.Token, v.Expires = p.id, formatTime(p.expires)
	w.render(c, http.StatusOK, "imports", "", v)
}

// importFailed shows why a data set could not be read at all (no table in
// it, a damaged workbook …), with the server's temporary path replaced by
// the file's name; a database failure is an internal error.
func (w *workspace) importFailed(c *gin.Context, v *importView, err error, path string) {
	var ue *userError
	if !errors.As(err, &ue) {
		w.fail(c, err)
		return
	}
	msg := strings.ReplaceAll(ue.err.Error(), path, v.Name)
	v.Error = translate(c.GetString(keyLang), "imp.unreadable.data", v.Name, msg)
	w.render(c, http.StatusUnprocessableEntity, "imports", "", v)
}

// userError is an error of reading an uploaded data set: the file's fault,
// shown to the person who uploaded it.
type userError struct{ err error }

func (e *userError) Error() string { return e.err.Error() }

// runImport reads the data set at path, checks the rows against the user's
// scope (import_scope.go) and runs the importer: a dry run, or the import.
// An error reading the file is a *userError.
func (w *workspace) runImport(ctx context.Context, c *gin.Context, path string, dryRun bool) (*importer.Report, *interchange.Batch, error) {
	batch, rowErrs, err := interchange.Read(path, nil)
	if err != nil {
		return nil, nil, &userError{err}
	}
	scope, err := scopeErrors(ctx, w.db, c.GetString(keyLang), currentUser(c), batch, rowErrs)
	if err != nil {
		return nil, nil, err
	}
	rep, err := importer.Batch(ctx, w.db, batch, append(rowErrs, scope...), importer.Options{DryRun: dryRun})
	return rep, batch, err
}

// confirmImport runs the import of a checked upload: the whole data set in
// one transaction, checked once more against the database as it is now.
func (w *workspace) confirmImport(c *gin.Context) {
	u := currentUser(c)
	v := w.newImportView(c)
	p := w.pending.take(c.Param("id"), u.Username, w.now())
	if p == nil {
		v.Expired = true
		w.render(c, http.StatusGone, "imports", "", v)
		return
	}
	defer os.RemoveAll(p.dir)
	v.Name = p.name
	rep, batch, err := w.runImport(c.Request.Context(), c, p.path, false)
	if err != nil {
		w.importFailed(c, v, err, p.path)
		return
	}
	v.Report = newImportReport(rep, batch)
	if !rep.OK() {
		w.render(c, http.StatusUnprocessableEntity, "imports", "", v)
		return
	}
	if err := w.db.RecordImport(c.Request.Context(), u.Username, p.name, rep.Counts, w.now()); err != nil {
		w.log.Error("record import in the audit trail", "err", err)
	}
	w.log.Info("import", "user", u.Username, "inserted", v.Report.Inserted, "updated", v.Report.Updated,
		"unchanged", v.Report.Unchanged)
	v.Done = true
	w.render(c, http.StatusOK, "imports", "", v)
}

// cancelImport lets go of a checked upload.
func (w *workspace) cancelImport(c *gin.Context) {
	if p := w.pending.take(c.Param("id"), currentUser(c).Username, w.now()); p != nil {
		os.RemoveAll(p.dir)
	}
	c.Redirect(http.StatusSeeOther, "/imports?cancelled=1")
}

// newImportID is a random id for a pending upload.
func newImportID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// newImportReport puts a report in the page's terms.
func newImportReport(rep *importer.Report, b *interchange.Batch) *importReport {
	r := &importReport{Total: len(rep.Errors)}
	for i, e := range rep.Errors {
		if i == maxShownErrors {
			r.More = len(rep.Errors) - i
			break
		}
		file := e.Pos.File
		if e.Pos.Sheet {
			file += " (blad)"
		}
		r.Errors = append(r.Errors, importError{File: file, Row: rowText(e.Pos.Row), Column: e.Column, Message: e.Message})
	}
	for _, n := range rep.Counts {
		ent := interchange.EntityNamed(n.Entity)
		file := n.Entity
		if ent != nil {
			file = ent.File
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

func init() {
	addMessages(map[string][2]string{
		"title.imports": {"Importeren", "Imports"},
		"imp.intro": {"Laad een dataset op in het uitwisselingsformaat: een .zip met een map CSV-bestanden (learners.csv, groups.csv, …) of een Excel-werkboek (.xlsx) met één blad per tabel. Traject controleert eerst alles zonder iets op te slaan; daarna bevestig je de import.",
			"Upload a data set in the interchange format: a .zip with a folder of CSV files (learners.csv, groups.csv, …) or an Excel workbook (.xlsx) with one sheet per table. Traject first checks everything without storing anything; then you confirm the import."},
		"imp.limits": {"Hoogstens %d MB; een zip met hoogstens %d bestanden.", "At most %d MB; a zip with at most %d files."},
		"imp.scope": {"Je importeert alleen gegevens van jouw aanbieder(s): %s. Rijen over modules, groepen, aanmeldingen, uitstroom of lerenden van andere aanbieders worden geweigerd, elk met een melding.",
			"You import data of your own provider(s) only: %s. Rows about modules, groups, referrals, outflows or learners of other providers are refused, each with a message."},
		"imp.file":         {"Bestand (.zip of .xlsx)", "File (.zip or .xlsx)"},
		"imp.check":        {"Controleren", "Check"},
		"imp.upload":       {"Bestand opladen", "Upload a file"},
		"imp.upload.again": {"Verbeterd bestand opladen", "Upload a corrected file"},
		"imp.cancelled":    {"De upload is geannuleerd: er is niets opgeslagen.", "The upload was cancelled: nothing was stored."},
		"imp.expired": {"Deze upload is verlopen of al geïmporteerd. Laad het bestand opnieuw op.",
			"This upload has expired or was imported already. Upload the file again."},
		"imp.errors.title": {"%d fout(en) in %s: er is niets opgeslagen", "%d error(s) in %s: nothing was stored"},
		"imp.errors.text": {"Elke fout staat hieronder met het bestand (of blad), de rij zoals een rekenblad ze nummert (de kopregel is rij 1) en de kolom. De meldingen van de controle van het formaat zijn in het Engels, zoals ‘traject import’ ze geeft; ze noemen de regel die de rij breekt. Verbeter het bestand en laad het opnieuw op: een import slaat alles op of niets.",
			"Each error is listed below with its file (or sheet), the row as a spreadsheet numbers it (the header is row 1) and the column, with the rule the row breaks. Correct the file and upload it again: an import stores everything or nothing."},
		"imp.errors.caption": {"Fouten in %s", "Errors in %s"},
		"imp.errors.more":    {"En nog %d fouten die hier niet getoond worden.", "And %d more errors not shown here."},
		"imp.col.file":       {"Bestand", "File"},
		"imp.col.row":        {"Rij", "Row"},
		"imp.col.column":     {"Kolom", "Column"},
		"imp.col.message":    {"Melding", "Message"},
		"imp.col.table":      {"Tabel", "Table"},
		"imp.col.inserted":   {"Nieuw", "New"},
		"imp.col.updated":    {"Gewijzigd", "Changed"},
		"imp.col.unchanged":  {"Ongewijzigd", "Unchanged"},
		"imp.col.total":      {"Totaal", "Total"},
		"imp.ok.title":       {"%s is in orde", "%s is valid"},
		"imp.ok.text": {"De controle vond geen fouten. Zo zou de import de gegevens wijzigen; er is nog niets opgeslagen. Bevestig tegen %s.",
			"The check found no errors. This is how the import would change the data; nothing has been stored yet. Confirm by %s."},
		"imp.ok.caption":   {"Wat de import zou doen, per tabel", "What the import would do, per table"},
		"imp.done.title":   {"%s is geïmporteerd", "%s was imported"},
		"imp.done.caption": {"Wat de import gedaan heeft, per tabel", "What the import did, per table"},
		"imp.ignored":      {"Genegeerd (geen tabel van het formaat): %s", "Ignored (not a table of the format): %s"},
		"imp.confirm":      {"Bevestigen", "Confirm"},
		"imp.cancel":       {"Annuleren", "Cancel"},
		"imp.nofile":       {"Kies een bestand om op te laden.", "Choose a file to upload."},
		"imp.ext": {"%q is geen .zip of .xlsx: laad een zip met CSV-bestanden of een Excel-werkboek op.",
			"%q is no .zip or .xlsx: upload a zip of CSV files or an Excel workbook."},
		"imp.toobig": {"Het bestand is te groot: hoogstens %d MB.", "The file is too large: at most %d MB."},
		"imp.not.xlsx": {"%q is geen Excel-werkboek: de inhoud is van het type %s. Sla het bestand in Excel op als ‘Excel-werkmap (.xlsx)’.",
			"%q is no Excel workbook: its content is of type %s. Save the file in Excel as an ‘Excel Workbook (.xlsx)’."},
		"imp.not.zip": {"%q is geen zip-bestand: de inhoud is van het type %s.", "%q is no zip file: its content is of type %s."},
		"imp.damaged.xlsx": {"%q lijkt een werkboek, maar is beschadigd en kan niet gelezen worden.",
			"%q looks like a workbook but is damaged and cannot be read."},
		"imp.damaged.zip": {"%q is een beschadigd zip-bestand en kan niet uitgepakt worden.", "%q is a damaged zip file and cannot be unpacked."},
		"imp.notworkbook": {"%q is een zip-archief, maar geen Excel-werkboek. Bevat het CSV-bestanden, geef het dan de extensie .zip.",
			"%q is a zip archive but no Excel workbook. If it holds CSV files, give it the extension .zip."},
		"imp.zipisworkbook": {"%q is een Excel-werkboek met de extensie .zip: geef het de extensie .xlsx.",
			"%q is an Excel workbook named .zip: give it the extension .xlsx."},
		"imp.entries.zip": {"%q bevat %d bestanden; een import bevat er hoogstens %d.", "%q holds %d files; an import holds at most %d."},
		"imp.entries.xlsx": {"%q bevat %d onderdelen; een werkboek voor de import bevat er hoogstens %d.",
			"%q holds %d parts; a workbook for import holds at most %d."},
		"imp.unpacked": {"%q is uitgepakt groter dan %d MB: te groot voor een import.", "%q unpacks to more than %d MB: too large for an import."},
		"imp.unsafe": {"%q bevat bestandsnamen die buiten de map wijzen (zoals ../ of een absoluut pad) of koppelingen: het wordt niet uitgepakt.",
			"%q holds file names that point outside its folder (such as ../ or an absolute path) or links: it is not unpacked."},
		"imp.nocsv": {"%q bevat geen CSV-bestand van het uitwisselingsformaat (providers.csv, learners.csv, groups.csv, …).",
			"%q holds no CSV file of the interchange format (providers.csv, learners.csv, groups.csv, …)."},
		"imp.folders": {"%q bevat CSV-bestanden van het formaat in %d verschillende mappen: zet ze samen in één map.",
			"%q holds CSV files of the format in %d different folders: put them together in one folder."},
		"imp.twice":           {"%q bevat %s twee keer.", "%q holds %s twice."},
		"imp.unreadable":      {"%q kan niet gelezen worden.", "%q cannot be read."},
		"imp.unreadable.data": {"%q kan niet geïmporteerd worden: %s", "%q cannot be imported: %s"},

		"imp.scope.provider":       {"aanbieder %q is niet een van jouw aanbieders (%s)", "provider %q is not one of your providers (%s)"},
		"imp.scope.provider.blank": {"vul een van jouw aanbieders in (%s)", "fill in one of your providers (%s)"},
		"imp.scope.module":         {"module %q is van een andere aanbieder", "module %q belongs to another provider"},
		"imp.scope.module.other":   {"module %q bestaat al bij een andere aanbieder", "module %q exists already at another provider"},
		"imp.scope.goal.shared":    {"een doel zonder module geldt voor alle aanbieders: alleen een beheerder importeert het", "a goal without a module is shared by every provider: only an administrator imports it"},
		"imp.scope.goal.other":     {"doel %q hoort bij een module van een andere aanbieder", "goal %q belongs to a module of another provider"},
		"imp.scope.group":          {"groep %q is van een andere aanbieder", "group %q belongs to another provider"},
		"imp.scope.group.other":    {"groep %q bestaat al bij een andere aanbieder", "group %q exists already at another provider"},
		"imp.scope.learner": {"lerende %q is niet gekoppeld aan jouw aanbieders: voeg een aanmelding, niveaubepaling, inschrijving of uitstroom bij jouw aanbieder toe",
			"learner %q is not linked to your providers: add a referral, placement, enrollment or outflow at your provider"},

		"imp.ent.providers":     {"Aanbieders", "Providers"},
		"imp.ent.modules":       {"Modules", "Modules"},
		"imp.ent.goals":         {"Doelen", "Goals"},
		"imp.ent.learners":      {"Lerenden", "Learners"},
		"imp.ent.learner_goals": {"Individuele doelen", "Learner goals"},
		"imp.ent.referrals":     {"Aanmeldingen", "Referrals"},
		"imp.ent.groups":        {"Groepen", "Groups"},
		"imp.ent.placements":    {"Niveaubepalingen", "Placements"},
		"imp.ent.enrollments":   {"Inschrijvingen", "Enrollments"},
		"imp.ent.evaluations":   {"Evaluaties", "Evaluations"},
		"imp.ent.certificates":  {"Certificaten", "Certificates"},
		"imp.ent.outflows":      {"Uitstroom", "Outflows"},
		"imp.ent.followups":     {"Opvolging", "Follow-ups"},
	})
}

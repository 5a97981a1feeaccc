package ui_test

import (
	"context"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testdb"
)

// TestAdminBackupNowAndDownload: "Nu een back-up maken" is an admin's,
// with the session's CSRF token; it writes a checked copy into the folder
// the page shows and records it in the one run history as a manual backup;
// the latest backup downloads as an attachment holding exactly the
// recorded file; both are in the audit trail; a changed file no longer
// downloads; the page says restore is `traject restore` on the server.
func TestAdminBackupNowAndDownload(t *testing.T) {
	t.Parallel()
	if testdb.Postgres() {
		t.Skip("PostgreSQL: TestAdminBackupNowOnPostgres")
	}
	a := servertest.New(t)
	ctx := context.Background()
	for _, role := range []string{"teacher", "counsellor", "coordinator"} {
		c := a.As(role)
		servertest.WantStatus(t, role+" POST now", c.Post("/admin/backup/now", nil), http.StatusForbidden)
	}
	root := a.As("admin")
	for _, token := range []string{"", "forged"} {
		servertest.WantStatus(t, "CSRF "+token, root.Post("/admin/backup/now", url.Values{"csrf": {token}}), http.StatusForbidden)
	}
	if runs, _ := a.DB.ListRuns(ctx, store.RunQuery{Kind: domain.RunBackup}); len(runs) != 0 {
		t.Fatalf("a refused request made %d backups", len(runs))
	}
	page := root.Get("/admin/backup")
	dir := filepath.Join(filepath.Dir(a.DB.Path()), "backups")
	servertest.WantBody(t, "page", page, `action="/admin/backup/now"`, "Nu een back-up maken", dir,
		"traject restore BESTAND --db "+a.DB.Path()+" --replace")

	r := root.Post("/admin/backup/now", nil)
	servertest.WantStatus(t, "now", r, http.StatusSeeOther)
	runs, err := a.DB.ListRuns(ctx, store.RunQuery{Kind: domain.RunBackup})
	if err != nil || len(runs) != 1 {
		t.Fatalf("%d backups recorded (%v), want 1", len(runs), err)
	}
	run := runs[0]
	if run.Status != domain.RunOK || run.Trigger != domain.TriggerManual || filepath.Dir(run.File) != dir ||
		filepath.Base(run.File) != "traject-"+servertest.Now.In(domain.Zone).Format("20060102-150405")+".db" || !run.StartedAt.Equal(servertest.Now) {
		t.Fatalf("recorded %+v; want an ok manual backup in %s named by the server's clock", run, dir)
	}
	if info, err := store.CheckBackup(ctx, run.File); err != nil || info.SHA256 != run.SHA256 || info.Size != run.Size {
		t.Fatalf("the backup file: %+v, %v; recorded %d bytes, %s", info, err, run.Size, run.SHA256)
	}
	download := "/admin/backup/" + strconv.FormatInt(run.ID, 10) + "/download"
	servertest.WantBody(t, "done", root.Get(r.Header().Get("Location")), "Back-up gemaakt", `id="backup-download" href="`+download+`"`)

	for _, role := range []string{"teacher", "coordinator"} {
		servertest.WantStatus(t, role+" download", a.As(role).Get(download), http.StatusForbidden)
	}
	d := root.Get(download)
	servertest.WantStatus(t, "download", d, http.StatusOK)
	_, params, err := mime.ParseMediaType(d.Header().Get("Content-Disposition"))
	if err != nil || !strings.HasPrefix(d.Header().Get("Content-Disposition"), "attachment") || params["filename"] != filepath.Base(run.File) {
		t.Errorf("Content-Disposition %q, want an attachment named %s", d.Header().Get("Content-Disposition"), filepath.Base(run.File))
	}
	if ct := d.Header().Get("Content-Type"); ct != "application/vnd.sqlite3" {
		t.Errorf("Content-Type %q", ct)
	}
	want, err := os.ReadFile(run.File)
	if err != nil {
		t.Fatal(err)
	}
	if d.Body.String() != string(want) {
		t.Errorf("downloaded %d bytes, not the %d of the backup", d.Body.Len(), len(want))
	}

	trail, err := a.DB.ListAuditOf(ctx, "backups", 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range trail {
		if e.Username != servertest.Users["admin"].Username || e.Key != strconv.FormatInt(run.ID, 10) {
			t.Errorf("audit entry %+v", e)
		}
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "export,create" {
		t.Errorf("audit of backups: %q, want the download (export) after the backup (create)", actions)
	}

	// Unknown, not a backup, or changed since: not found, and no audit entry.
	servertest.WantStatus(t, "unknown", root.Get("/admin/backup/999999/download"), http.StatusNotFound)
	servertest.WantStatus(t, "not a number", root.Get("/admin/backup/x/download"), http.StatusNotFound)
	if err := os.WriteFile(run.File, append(want, 0), 0o600); err != nil {
		t.Fatal(err)
	}
	servertest.WantStatus(t, "changed", root.Get(download), http.StatusNotFound)
	if trail, _ := a.DB.ListAuditOf(ctx, "backups", 10); len(trail) != 2 {
		t.Errorf("%d audit entries after refused downloads, want 2", len(trail))
	}
}

// TestAdminBackupNowOnPostgres: on PostgreSQL there is no button, and a
// post is refused with the page that names pg_dump.
func TestAdminBackupNowOnPostgres(t *testing.T) {
	t.Parallel()
	if !testdb.Postgres() {
		t.Skip("PostgreSQL only")
	}
	a := servertest.New(t)
	root := a.As("admin")
	if strings.Contains(root.Get("/admin/backup").Body.String(), `id="backup-now"`) {
		t.Error("a backup button on PostgreSQL")
	}
	r := root.Post("/admin/backup/now", nil)
	servertest.WantStatus(t, "now", r, http.StatusConflict)
	servertest.WantBody(t, "now", r, "pg_dump")
}

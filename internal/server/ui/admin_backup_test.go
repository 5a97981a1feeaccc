package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/testdb"
)

// TestAdminBackupPermissions: the page and its forms are for admins only,
// and every form needs the session's CSRF token.
func TestAdminBackupPermissions(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	ctx := context.Background()
	posts := map[string]url.Values{
		"/admin/backup":     {"cron": {"0 2 * * *"}, "keep": {"7"}},
		"/admin/backup/off": {},
		"/admin/retention":  {"years": {"3"}, "confirm": {"1"}},
	}
	for _, role := range []string{"teacher", "counsellor", "coordinator"} {
		c := a.As(role)
		servertest.WantStatus(t, role+" GET /admin/backup", c.Get("/admin/backup"), http.StatusForbidden)
		for _, p := range []string{"/admin/backup", "/admin/backup/off", "/admin/retention"} {
			servertest.WantStatus(t, role+" POST "+p, c.Post(p, posts[p]), http.StatusForbidden)
		}
	}
	if r := a.Anonymous().Get("/admin/backup"); r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header().Get("Location"), "/login") {
		t.Errorf("anonymous GET /admin/backup: %d to %q, want a redirect to /login", r.Code, r.Header().Get("Location"))
	}
	root := a.As("admin")
	for _, p := range []string{"/admin/backup", "/admin/backup/off", "/admin/retention"} {
		for _, token := range []string{"", "forged"} {
			form := url.Values{"csrf": {token}}
			for k, v := range posts[p] {
				form[k] = v
			}
			servertest.WantStatus(t, "admin POST "+p+" with CSRF token "+token, root.Post(p, form), http.StatusForbidden)
		}
	}
	if _, err := a.DB.FindBackupSchedule(ctx); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a refused request stored a backup schedule: %v", err)
	}
	if years, err := a.DB.Retention(ctx); err != nil || years != 0 {
		t.Errorf("a refused request set retention to %d (%v)", years, err)
	}
	servertest.WantStatus(t, "admin GET", root.Get("/admin/backup"), http.StatusOK)
	servertest.WantBody(t, "admin home", root.Get("/admin"), `href="/admin/backup"`, "Back-ups en bewaartermijn")
}

// TestAdminBackupWarning: the page warns when no backup succeeded for two
// days, by the server's clock, and not before; it shows the last backup.
func TestAdminBackupWarning(t *testing.T) {
	t.Parallel()
	if testdb.Postgres() {
		t.Skip("PostgreSQL: TestAdminBackupOnPostgres")
	}
	a := servertest.New(t)
	ctx := context.Background()
	root := a.As("admin")
	r := root.Get("/admin/backup")
	servertest.WantStatus(t, "never", r, http.StatusOK)
	servertest.WantBody(t, "never", r, `id="backup-warning"`, "Let op: er is nog nooit een back-up van deze databank gemaakt.")

	record := func(at time.Time, status, file string) {
		t.Helper()
		b := domain.Run{Kind: domain.RunBackup, Trigger: domain.TriggerCron, StartedAt: at, FinishedAt: at, Status: status}
		if status == domain.RunOK {
			b.File, b.Size, b.SHA256 = file, 4096, strings.Repeat("ab", 32)
		} else {
			b.Error = "disk full"
		}
		if _, err := a.DB.RecordRun(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	twoDays := servertest.Now.Add(-48 * time.Hour)
	record(twoDays, domain.RunOK, "/srv/backups/traject-20260313-120000.db")
	r = root.Get("/admin/backup")
	servertest.WantBody(t, "two days exactly", r, `id="last-backup"`, "/srv/backups/traject-20260313-120000.db", "4,1 kB", `title="4096 bytes"`, strings.Repeat("ab", 32))
	if strings.Contains(r.Body.String(), `id="backup-warning"`) {
		t.Errorf("a warning two days after the last backup, not more:\n%s", servertest.Excerpt(r.Body.String()))
	}

	// A new database: the last backup a minute older.
	a = servertest.New(t)
	root = a.As("admin")
	record(twoDays.Add(-time.Minute), domain.RunOK, "/srv/backups/traject-20260313-115900.db")
	record(servertest.Now.Add(-time.Hour), domain.RunFailed, "")
	r = root.Get("/admin/backup")
	servertest.WantBody(t, "two days and a minute", r, `id="backup-warning"`, "Let op: er is al meer dan twee dagen geen geslaagde back-up gemaakt",
		"De laatste back-up (", "is mislukt: disk full")
	root.Lang = "en"
	servertest.WantBody(t, "in English", root.Get("/admin/backup"), "Warning: there has been no successful backup for more than two days")
}

// TestAdminBackupSchedule: the form sets the schedule into the folder
// beside the database (a web user never chooses a path), refuses a wrong
// cron expression, and the schedule can be stopped.
func TestAdminBackupSchedule(t *testing.T) {
	t.Parallel()
	if testdb.Postgres() {
		t.Skip("PostgreSQL: TestAdminBackupOnPostgres")
	}
	a := servertest.New(t)
	ctx := context.Background()
	root := a.As("admin")
	servertest.WantBody(t, "none", root.Get("/admin/backup"), "Er zijn geen geplande back-ups.")

	r := root.Post("/admin/backup", url.Values{"cron": {"0 2 * * *"}, "keep": {"14"}, "dir": {"/etc"}})
	servertest.WantStatus(t, "save", r, http.StatusSeeOther)
	s, err := a.DB.FindBackupSchedule(ctx)
	want := filepath.Join(filepath.Dir(a.DB.Path()), "backups")
	if err != nil || s.Cron != "0 2 * * *" || s.Keep != 14 || s.Dir != want || !s.CreatedAt.Equal(servertest.Now) {
		t.Fatalf("stored %+v, %v; want 0 2 * * *, keep 14, into %s, set at %v", s, err, want, servertest.Now)
	}
	servertest.WantBody(t, "saved", root.Get(r.Header().Get("Location")), "De planning van de back-ups is opgeslagen.", `id="backup-schedule"`,
		"(0 2 * * *)", "De nieuwste 14 back-ups blijven bewaard", want)

	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"cron": {"0 25 * * *"}, "keep": {"14"}}, "Deze cron-uitdrukking klopt niet"},
		{url.Values{"cron": {""}, "keep": {"14"}}, "Vul dit veld in."},
		{url.Values{"cron": {"@daily"}, "keep": {"veel"}}, "is geen geheel getal"},
		{url.Values{"cron": {"@daily"}, "keep": {"-1"}}, "Geef een getal van 0 tot 1000."},
	} {
		r := root.Post("/admin/backup", tc.form)
		servertest.WantStatus(t, tc.want, r, http.StatusUnprocessableEntity)
		servertest.WantBody(t, tc.want, r, tc.want)
	}
	if s2, _ := a.DB.FindBackupSchedule(ctx); s2 != s {
		t.Fatalf("a refused form changed the schedule: %+v, want %+v", s2, s)
	}

	r = root.Post("/admin/backup/off", nil)
	servertest.WantStatus(t, "off", r, http.StatusSeeOther)
	if _, err := a.DB.FindBackupSchedule(ctx); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("after stopping: %v, want no schedule", err)
	}
	servertest.WantBody(t, "stopped", root.Get(r.Header().Get("Location")), "Geplande back-ups zijn gestopt")
}

// TestAdminBackupOnPostgres: the page explains that pg_dump is the backup,
// warns about nothing it cannot know, and refuses a schedule.
func TestAdminBackupOnPostgres(t *testing.T) {
	t.Parallel()
	if !testdb.Postgres() {
		t.Skip("PostgreSQL only")
	}
	a := servertest.New(t)
	root := a.As("admin")
	r := root.Get("/admin/backup")
	servertest.WantStatus(t, "page", r, http.StatusOK)
	servertest.WantBody(t, "page", r, "pg_dump", `id="retention-form"`)
	if strings.Contains(r.Body.String(), `id="backup-warning"`) || strings.Contains(r.Body.String(), `id="backup-form"`) {
		t.Errorf("a backup warning or form on PostgreSQL:\n%s", servertest.Excerpt(r.Body.String()))
	}
	servertest.WantStatus(t, "save", root.Post("/admin/backup", url.Values{"cron": {"0 2 * * *"}}), http.StatusConflict)
	if _, err := a.DB.FindBackupSchedule(context.Background()); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("a schedule was stored on PostgreSQL: %v", err)
	}
}

// TestAdminRetentionDryRunThenSave: the retention form first shows who
// would be erased and why (their latest record and its date), saving
// nothing; the confirmation saves it; empty turns it off.
func TestAdminRetentionDryRunThenSave(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	ctx := context.Background()
	tx, err := a.DB.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	old := domain.Learner{ID: "L-OUD", FirstName: "Otto", LastName: "Oud", BirthDate: domain.MustDate("1970-01-01"), Gender: "m",
		SchoolingLevel: "primary", Literacy: "literate_latin", LearningRoute: "standard", CivicStatus: "obliged", Perspective: "work"}
	if _, err := tx.Upsert(ctx, &domain.DataSet{Learners: []domain.Learner{old},
		Referrals: []domain.Referral{{Learner: "L-OUD", Date: domain.MustDate("2019-05-01"), Source: "vdab", Provider: "P1"}}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	root := a.As("admin")
	servertest.WantBody(t, "off", root.Get("/admin/backup"), `id="retention-setting"`, "Er is geen bewaartermijn")

	r := root.Post("/admin/retention", url.Values{"years": {"5"}})
	servertest.WantStatus(t, "dry run", r, http.StatusOK)
	servertest.WantBody(t, "dry run", r, `id="retention-preview"`, "Proefrun voor een bewaartermijn van 5 jaar",
		"1 lerenden hebben geen gegeven op of na 2021-03-15", `<a href="/learners/L-OUD">L-OUD</a></th><td>aanmelding</td><td>2019-05-01</td>`,
		`id="retention-confirm"`, `name="years" value="5"`, "Bewaartermijn van 5 jaar opslaan")
	if years, _ := a.DB.Retention(ctx); years != 0 {
		t.Fatalf("the dry run saved retention %d", years)
	}
	if _, err := a.DB.ExportLearner(ctx, "L-OUD"); err != nil {
		t.Fatalf("the dry run erased L-OUD: %v", err)
	}
	servertest.WantBody(t, "nobody", root.Post("/admin/retention", url.Values{"years": {"10"}}), "Niemand wordt nu geanonimiseerd: iedereen heeft een gegeven op of na 2016-03-15.")

	r = root.Post("/admin/retention", url.Values{"years": {"5"}, "confirm": {"1"}})
	servertest.WantStatus(t, "confirm", r, http.StatusSeeOther)
	if years, err := a.DB.Retention(ctx); err != nil || years != 5 {
		t.Fatalf("retention after confirming: %d %v, want 5", years, err)
	}
	servertest.WantBody(t, "saved", root.Get(r.Header().Get("Location")), "De bewaartermijn is opgeslagen.", "De bewaartermijn is 5 jaar.")

	for _, tc := range []struct{ years, want string }{{"veel", "is geen geheel getal"}, {"101", "Geef een getal van 0 tot 100."}, {"-2", "Geef een getal van 0 tot 100."}} {
		r := root.Post("/admin/retention", url.Values{"years": {tc.years}, "confirm": {"1"}})
		servertest.WantStatus(t, tc.years, r, http.StatusUnprocessableEntity)
		servertest.WantBody(t, tc.years, r, tc.want)
	}
	servertest.WantStatus(t, "off", root.Post("/admin/retention", url.Values{"years": {""}}), http.StatusSeeOther)
	if years, err := a.DB.Retention(ctx); err != nil || years != 0 {
		t.Fatalf("retention after emptying: %d %v, want off", years, err)
	}
}

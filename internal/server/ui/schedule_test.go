package ui_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
)

// scheduleFormFor is a valid form for a schedule of provider.
func scheduleFormFor(name, provider string) url.Values {
	return url.Values{"name": {name}, "cron": {"0 6 1 * *"}, "period": {"previous-month"}, "provider": {provider}, "keep": {"2"}}
}

func TestScheduleLifecycle(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	k1 := a.As("coordinator")
	ctx := context.Background()

	r := k1.Get("/schedules/_new")
	servertest.WantStatus(t, "new form", r, http.StatusOK)
	servertest.WantBody(t, "new form", r, "elke maand op dag 1 om 06:00", `<option value="P1" selected>`)

	r = k1.Post("/schedules", scheduleFormFor("maand-p1", "P1"))
	servertest.WantStatus(t, "create", r, http.StatusSeeOther)
	if loc := r.Header().Get("Location"); loc != "/schedules/P1.maand-p1?created=1" {
		t.Fatalf("after creating: Location %q", loc)
	}
	s, err := a.DB.FindSchedule(ctx, "P1.maand-p1")
	if err != nil {
		t.Fatal(err)
	}
	root := a.Srv.Config().ExportDir
	if s.OutDir != filepath.Join(root, "P1.maand-p1") || s.Provider != "P1" || s.Keep != 2 || s.Exact {
		t.Fatalf("stored %+v; want out_dir %s under the export root", s, filepath.Join(root, "P1.maand-p1"))
	}

	r = k1.Get("/schedules")
	servertest.WantStatus(t, "list", r, http.StatusOK)
	servertest.WantBody(t, "list", r, "P1.maand-p1", "elke maand op dag 1 om 06:00", "vorige maand", "2026-04-01 06:00", "CVO Een (P1)",
		"volgende run: 2026-03-01 – 2026-03-31", "Er draait geen planner")
	r = k1.Get("/schedules/P1.maand-p1?created=1")
	servertest.WantBody(t, "page", r, "De geplande export is aangemaakt", "2026-04-01 06:00", "2026-05-01 06:00", "2026-06-01 06:00",
		"Nog geen runs", "laatste 2")
	if strings.Contains(r.Body.String(), root) {
		t.Error("a coordinator is shown the server's folder")
	}
	servertest.WantBody(t, "admin page", a.As("admin").Get("/schedules/P1.maand-p1"), html.EscapeString(filepath.Join(root, "P1.maand-p1")))

	// Another coordinator neither sees nor reaches it.
	k2 := a.As("coordinator2")
	if strings.Contains(k2.Get("/schedules").Body.String(), "P1.maand-p1") {
		t.Error("another provider's coordinator sees the schedule")
	}
	for _, p := range []string{"/schedules/P1.maand-p1", "/schedules/P1.maand-p1/edit", "/schedules/P1.maand-p1/delete"} {
		servertest.WantStatus(t, "k2 "+p, k2.Get(p), http.StatusForbidden)
	}
	servertest.WantStatus(t, "k2 run", k2.Post("/schedules/P1.maand-p1/run", nil), http.StatusForbidden)

	// Edit: another time and no retention.
	form := scheduleFormFor("", "P1")
	form.Set("cron", "30 7 * * 1")
	form.Set("keep", "0")
	form.Set("exact", "1")
	r = k1.Post("/schedules/P1.maand-p1", form)
	servertest.WantStatus(t, "edit", r, http.StatusSeeOther)
	s = mustFindSchedule(t, a, "P1.maand-p1")
	if s.Cron != "30 7 * * 1" || s.Keep != 0 || !s.Exact || s.OutDir != filepath.Join(root, "P1.maand-p1") {
		t.Fatalf("after editing: %+v", s)
	}
	servertest.WantBody(t, "edited", k1.Get("/schedules/P1.maand-p1?saved=1"), "elke maandag om 07:30", "De wijzigingen zijn opgeslagen")

	// Pause, then resume from now.
	servertest.WantStatus(t, "pause", k1.Post("/schedules/P1.maand-p1/pause", nil), http.StatusSeeOther)
	if s = mustFindSchedule(t, a, "P1.maand-p1"); !s.Paused {
		t.Fatal("not paused")
	}
	servertest.WantBody(t, "paused", k1.Get("/schedules/P1.maand-p1"), "gepauzeerd", "Hervatten")
	servertest.WantStatus(t, "resume", k1.Post("/schedules/P1.maand-p1/resume", nil), http.StatusSeeOther)
	if s = mustFindSchedule(t, a, "P1.maand-p1"); s.Paused || !s.LastDueAt.Equal(servertest.Now) {
		t.Fatalf("after resuming: paused %v, last due %v; want resumed from now", s.Paused, s.LastDueAt)
	}

	// Delete, after asking.
	r = k1.Get("/schedules/P1.maand-p1/delete")
	servertest.WantBody(t, "ask", r, "Wil je de geplande export P1.maand-p1 verwijderen?")
	r = k1.Post("/schedules/P1.maand-p1/delete", nil)
	servertest.WantStatus(t, "delete", r, http.StatusSeeOther)
	if _, err := a.DB.FindSchedule(ctx, "P1.maand-p1"); err == nil {
		t.Fatal("the schedule is still there")
	}
	servertest.WantBody(t, "deleted", k1.Get(r.Header().Get("Location")), "P1.maand-p1 is verwijderd")

	trail, err := a.DB.ListAuditOf(ctx, "schedules", 10)
	if err != nil || len(trail) != 5 { // create, edit, pause, resume, delete
		t.Fatalf("audit of the schedule: %v, %d entries", err, len(trail))
	}
}

func TestScheduleFormMistakes(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	k1 := a.As("coordinator")
	if r := k1.Post("/schedules", scheduleFormFor("dubbel", "P1")); r.Code != http.StatusSeeOther {
		t.Fatalf("create: %d", r.Code)
	}
	for _, tc := range []struct {
		name  string
		set   url.Values
		field string
		want  string
	}{
		{"cron with 6 fields", url.Values{"cron": {"0 0 6 1 * *"}}, "sch-cron", "Deze cron-uitdrukking klopt niet: cron expression must have 5 fields"},
		{"minute 61", url.Values{"cron": {"61 6 * * *"}}, "sch-cron", `minute field "61"`},
		{"30 February", url.Values{"cron": {"0 6 30 2 *"}}, "sch-cron", "never runs"},
		{"no cron", url.Values{"cron": {""}}, "sch-cron", "Vul dit veld in"},
		{"bad name", url.Values{"name": {"../etc"}}, "sch-name", "Gebruik 1 tot 64 letters"},
		{"no name", url.Values{"name": {""}}, "sch-name", "Vul dit veld in"},
		{"taken name", url.Values{"name": {"dubbel"}}, "sch-name", "Er bestaat al een geplande export met deze naam"},
		{"unknown period", url.Values{"period": {"last-week"}}, "sch-period", "Kies een waarde uit de lijst"},
		{"another provider", url.Values{"provider": {"P2"}}, "sch-provider", "Kies een van jouw aanbieders"},
		{"all providers", url.Values{"provider": {""}}, "sch-provider", "Kies een van jouw aanbieders"},
		{"negative keep", url.Values{"keep": {"-1"}}, "sch-keep", "Geef een getal van 0 tot 1000"},
		{"keep no number", url.Values{"keep": {"veel"}}, "sch-keep", `"veel" is geen geheel getal`},
	} {
		form := scheduleFormFor("nieuw", "P1")
		for k, v := range tc.set {
			form[k] = v
		}
		r := k1.Post("/schedules", form)
		servertest.WantStatus(t, tc.name, r, http.StatusUnprocessableEntity)
		body := html.UnescapeString(r.Body.String())
		if !strings.Contains(body, tc.want) {
			t.Errorf("%s: the form lacks %q", tc.name, tc.want)
		}
		if !strings.Contains(body, `id="`+tc.field+`" `) || !regexp.MustCompile(`id="`+tc.field+`"[^>]*aria-invalid="true"`).MatchString(body) {
			t.Errorf("%s: %s is not marked invalid", tc.name, tc.field)
		}
	}
	if list, err := a.DB.ListSchedules(context.Background()); err != nil || len(list) != 1 {
		t.Fatalf("wrong forms stored schedules: %d (%v)", len(list), err)
	}
	// An admin may schedule every provider at once.
	servertest.WantStatus(t, "admin, all providers", a.As("admin").Post("/schedules", scheduleFormFor("alles", "")), http.StatusSeeOther)
}

func TestCronPreview(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("coordinator")
	c.HTMX = true
	r := c.Get("/schedules/_cron?cron=" + url.QueryEscape("0 6 * * 1-5"))
	servertest.WantStatus(t, "preview", r, http.StatusOK)
	servertest.WantBody(t, "preview", r, `id="cron-preview"`, "elke werkdag (maandag tot en met vrijdag) om 06:00", "2026-03-16 06:00")
	if strings.Contains(r.Body.String(), "<html") {
		t.Error("the preview is a whole page")
	}
	r = c.Get("/schedules/_cron?cron=" + url.QueryEscape("0 6 * *"))
	servertest.WantBody(t, "wrong", r, "Deze cron-uitdrukking klopt niet")
	c.Lang = "en"
	servertest.WantBody(t, "English", c.Get("/schedules/_cron?cron=%40daily"), "every day at 00:00")
}

// Run now writes the workbook under the export root and lists the run with
// its size, SHA-256 and a download of exactly that file.
func TestScheduleRunNowAndDownload(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	k1 := a.As("coordinator")
	ctx := context.Background()
	if r := k1.Post("/schedules", scheduleFormFor("kwartaal", "P1")); r.Code != http.StatusSeeOther {
		t.Fatalf("create: %d", r.Code)
	}
	k1.HTMX = true
	r := k1.Post("/schedules/P1.kwartaal/run", nil)
	servertest.WantStatus(t, "run now", r, http.StatusOK)
	servertest.WantBody(t, "run now", r, `id="runs"`, "Run 1 is klaar", "met de hand", "gelukt", "2026-02-01 – 2026-02-28", "Downloaden")
	if strings.Contains(r.Body.String(), "<html") {
		t.Error("run now answers htmx with a whole page")
	}
	runs, err := a.DB.ListRuns(ctx, store.RunQuery{Kind: domain.RunWorkbook, Schedule: "P1.kwartaal", Limit: 0})
	if err != nil || len(runs) != 1 || runs[0].Status != domain.RunOK {
		t.Fatalf("runs: %v %+v", err, runs)
	}
	run := runs[0]
	root := a.Srv.Config().ExportDir
	if filepath.Dir(run.File) != filepath.Join(root, "P1.kwartaal") {
		t.Fatalf("the workbook went to %s, want under %s", run.File, root)
	}
	servertest.WantBody(t, "size and hash", r, "<summary>SHA-256</summary><code>"+run.SHA256+"</code>", " kB")
	k1.HTMX = false
	dl := k1.Get("/schedules/P1.kwartaal/runs/1/download")
	wantWorkbook(t, "download", dl, filepath.Base(run.File))
	data, err := os.ReadFile(run.File)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(k1.Get("/schedules/P1.kwartaal/runs/1/download").Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 || string(got) != string(data) {
		t.Fatal("the download is not the recorded file")
	}

	// Without htmx, run now goes back to the page at the new run.
	r = k1.Post("/schedules/P1.kwartaal/run", nil)
	servertest.WantStatus(t, "run without htmx", r, http.StatusSeeOther)
	if loc := r.Header().Get("Location"); loc != "/schedules/P1.kwartaal?ran=2#runs" {
		t.Errorf("Location %q", loc)
	}
	servertest.WantBody(t, "after run", k1.Get("/schedules/P1.kwartaal?ran=2"), "Run 2 is klaar")

	// A changed file is not served; neither is another schedule's run.
	if err := os.WriteFile(run.File, append(data, 'x'), 0o640); err != nil {
		t.Fatal(err)
	}
	servertest.WantStatus(t, "changed file", k1.Get("/schedules/P1.kwartaal/runs/1/download"), http.StatusNotFound)
	if r := k1.Post("/schedules", scheduleFormFor("ander", "P1")); r.Code != http.StatusSeeOther {
		t.Fatalf("create: %d", r.Code)
	}
	servertest.WantStatus(t, "run of another schedule", k1.Get("/schedules/P1.ander/runs/2/download"), http.StatusNotFound)
	servertest.WantStatus(t, "no such run", k1.Get("/schedules/P1.kwartaal/runs/99/download"), http.StatusNotFound)
	servertest.WantStatus(t, "not a number", k1.Get("/schedules/P1.kwartaal/runs/x/download"), http.StatusNotFound)
	servertest.WantStatus(t, "another provider's coordinator", a.As("coordinator2").Get("/schedules/P1.kwartaal/runs/2/download"), http.StatusForbidden)
}

// A run record that names a file the runner did not write there (a path
// outside, another name, a link) is never served.
func TestScheduleDownloadServesOnlyRecordedWorkbooks(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	ctx := context.Background()
	k1 := a.As("coordinator")
	if r := k1.Post("/schedules", scheduleFormFor("maand", "P1")); r.Code != http.StatusSeeOther {
		t.Fatalf("create: %d", r.Code)
	}
	secret := filepath.Join(t.TempDir(), "geheim.txt")
	os.WriteFile(secret, []byte("geheim"), 0o600)
	dir := filepath.Join(t.TempDir(), "x")
	os.MkdirAll(dir, 0o755)
	link := filepath.Join(dir, "traject-P1.maand-2026-02-01_2026-02-28-x.xlsx")
	os.Symlink(secret, link)
	for _, file := range []string{secret, "/etc/passwd", link, "relative/traject-P1.maand-a.xlsx"} {
		id, err := a.DB.StartRun(ctx, domain.Run{Kind: domain.RunWorkbook, Schedule: "P1.maand", Trigger: domain.TriggerManual, StartedAt: servertest.Now})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.DB.FinishRun(ctx, domain.Run{ID: id, Status: domain.RunOK, FinishedAt: servertest.Now, File: file, Size: 6,
			SHA256: "8f2ba1d8a0d29e4ff8a0baaef86dec2b4e1e92ac36f40d68b5a47e5c9c4d9c2e"}); err != nil {
			t.Fatal(err)
		}
		r := k1.Get("/schedules/P1.maand/runs/" + strconv.FormatInt(id, 10) + "/download")
		servertest.WantStatus(t, file, r, http.StatusNotFound)
		if strings.Contains(r.Body.String(), "geheim") || strings.Contains(r.Body.String(), "root:") {
			t.Fatalf("%s: the answer holds the file", file)
		}
	}
}

// mustFindSchedule reads a stored schedule, failing the test when it cannot.
func mustFindSchedule(t *testing.T, a *servertest.App, name string) domain.Schedule {
	t.Helper()
	s, err := a.DB.FindSchedule(context.Background(), name)
	if err != nil {
		t.Fatalf("find schedule %s: %v", name, err)
	}
	return s
}

// TestScheduleNamesTellNothingOfOtherProviders: a coordinator who names a
// schedule as another provider's, or as an admin's schedule of every
// provider, is not told that the name is taken (issue 18): a schedule of
// one provider is named after it, so each provider has names of its own.
// Neither schedule touches the other, nor the other's folder.
func TestScheduleNamesTellNothingOfOtherProviders(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	k1, k2, admin := a.As("coordinator"), a.As("coordinator2"), a.As("admin")
	servertest.WantStatus(t, "k1's maand", k1.Post("/schedules", scheduleFormFor("maand", "P1")), http.StatusSeeOther)
	servertest.WantStatus(t, "the admin's kwartaal", admin.Post("/schedules", scheduleFormFor("kwartaal", "")), http.StatusSeeOther)
	for _, name := range []string{"maand", "kwartaal"} {
		r := k2.Post("/schedules", scheduleFormFor(name, "P2"))
		servertest.WantStatus(t, "k2's "+name, r, http.StatusSeeOther)
		if loc := r.Header().Get("Location"); loc != "/schedules/P2."+name+"?created=1" {
			t.Errorf("k2's %s: Location %q", name, loc)
		}
	}
	root := a.Srv.Config().ExportDir
	for name, provider := range map[string]string{"P1.maand": "P1", "kwartaal": "", "P2.maand": "P2", "P2.kwartaal": "P2"} {
		s := mustFindSchedule(t, a, name)
		if s.Provider != provider || s.OutDir != filepath.Join(root, name) {
			t.Errorf("%s: provider %q, folder %s; want %q under the export root", name, s.Provider, s.OutDir, provider)
		}
	}
	// A name of one's own provider is taken, as before.
	r := k2.Post("/schedules", scheduleFormFor("maand", "P2"))
	servertest.WantStatus(t, "k2's maand again", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "k2's maand again", r, "Er bestaat al een geplande export met deze naam")
	servertest.WantBody(t, "k2's list", k2.Get("/schedules"), "P2.maand", "P2.kwartaal")
	if strings.Contains(k2.Get("/schedules").Body.String(), "P1.maand") {
		t.Error("k2 sees P1's schedule")
	}
}

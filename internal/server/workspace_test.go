package server

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/testkit"
)

// The forms the permission matrix posts to the workspace's routes
// (permission_test.go): each one gives the same answer whatever was posted
// before it, as the matrix asks every role in turn on one database.
func init() {
	groups := map[string]url.Values{
		"G1": {"module": {"M1"}, "start_date": {"2026-01-05"}, "end_date": {"2026-06-26"}, "planned_hours": {"120"},
			"teacher": {"t1"}, "intensity": {"standard"}},
		"G2": {"module": {"M2"}, "start_date": {"2026-01-05"}, "end_date": {"2026-06-26"}, "planned_hours": {"240"},
			"teacher": {"t2"}, "intensity": {"intensive"}},
	}
	for name, form := range map[string]func(g, l string) url.Values{
		"ws-empty": func(g, l string) url.Values { return url.Values{} },
		"ws-schedule-bad": func(g, l string) url.Values {
			return url.Values{"name": {"x"}, "cron": {"61 * * * *"}, "period": {"previous-month"}}
		},
		"ws-user-bad":      func(g, l string) url.Values { return url.Values{"username": {"-no good"}, "role": {"teacher"}} },
		"ws-code-bad":      func(g, l string) url.Values { return url.Values{"code": {""}} },
		"ws-provider-same": func(g, l string) url.Values { return url.Values{"name": {"CVO Een"}, "type": {"cvo"}} },
		"ws-group-same":    func(g, l string) url.Values { return maps.Clone(groups[g]) },
	} {
		matrixForms[name] = form
	}
}

// upload posts a file as the import form does (multipart, with the
// session's CSRF token).
func (c *client) upload(path, name string, data []byte) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.csrf)
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			c.a.t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// zipOf packs files (name → content) into a zip archive, in name order.
func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(files[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipDir packs the files of a testdata folder into a zip, under prefix
// ("" for the top of the archive, "data/" for a zipped folder).
func zipDir(t *testing.T, dir, prefix string) []byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		files[prefix+d.Name()] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return zipOf(t, files)
}

// withClock is the app's database served with a clock the test moves.
func (a *app) withClock(now *time.Time) *app {
	srv := New(Config{HashPassword: quickHash, DB: a.db, ExportDir: a.srv.cfg.ExportDir, Now: func() time.Time { return *now },
		Log: a.srv.cfg.Log})
	srv.cache.PollEvery = 0
	return &app{t: a.t, dsn: a.dsn, db: a.db, logs: a.logs, srv: srv}
}

// tokenOf finds the upload to confirm in an import page.
func tokenOf(t *testing.T, body string) string {
	t.Helper()
	const start = `action="/imports/`
	i := strings.Index(body, start)
	if i < 0 {
		t.Fatalf("the page has no form to confirm an upload:\n%s", excerpt(body))
	}
	rest := body[i+len(start):]
	return rest[:strings.Index(rest, "/")]
}

// excerpt is the main part of a page, for failure messages.
func excerpt(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	if len(body) > 3000 {
		body = body[:3000] + "…"
	}
	return body
}

// workspaceKeyRE matches a catalogue key of the workspace left untranslated
// in a page.
var workspaceKeyRE = regexp.MustCompile(`\b(?:imp|exp|sch|qual|adm|ws)\.[a-z_]+(?:[.-][a-z_]+)*\b`)

// Every page of the workspace, in Dutch and in English, shows text, not
// catalogue keys (internal/locale's test checks the catalogue itself).
func TestWorkspaceMessages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	if r := a.as("admin").post("/schedules", url.Values{"name": {"maand"}, "cron": {"@monthly"}, "period": {"previous-month"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("create a schedule: %d", r.Code)
	}
	for _, lang := range []string{"nl", "en"} {
		c := a.as("admin")
		c.lang = lang
		for _, p := range []string{"/imports", "/exports", "/schedules", "/schedules/_new", "/schedules/maand", "/schedules/maand/edit",
			"/schedules/maand/delete", "/quality", "/admin", "/admin/users", "/admin/users/k1", "/admin/providers", "/admin/providers/P1",
			"/admin/modules", "/admin/modules/_new", "/admin/modules/M1", "/admin/goals/M1-L1", "/admin/groups", "/admin/groups/_new",
			"/admin/groups/G1"} {
			r := c.get(p)
			wantStatus(t, lang+" "+p, r, http.StatusOK)
			if k := workspaceKeyRE.FindString(r.Body.String()); k != "" {
				t.Errorf("%s %s shows the key %s", lang, p, k)
			}
		}
	}
}

// quickHash is the servers' password hash in the tests (testkit.QuickHash).
var quickHash = testkit.QuickHash

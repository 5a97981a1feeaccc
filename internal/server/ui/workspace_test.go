package ui_test

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/traject-nt2/traject/internal/server/servertest"
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

// workspaceKeyRE matches a catalogue key of the workspace left untranslated
// in a page.
var workspaceKeyRE = regexp.MustCompile(`\b(?:imp|exp|sch|qual|adm|ws)\.[a-z_]+(?:[.-][a-z_]+)*\b`)

// Every page of the workspace, in Dutch and in English, shows text, not
// catalogue keys (internal/locale's test checks the catalogue itself).
func TestWorkspaceMessages(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	if r := a.As("admin").Post("/schedules", url.Values{"name": {"maand"}, "cron": {"@monthly"}, "period": {"previous-month"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("create a schedule: %d", r.Code)
	}
	for _, lang := range []string{"nl", "en"} {
		c := a.As("admin")
		c.Lang = lang
		for _, p := range []string{"/imports", "/exports", "/schedules", "/schedules/_new", "/schedules/maand", "/schedules/maand/edit",
			"/schedules/maand/delete", "/quality", "/admin", "/admin/users", "/admin/users/k1", "/admin/providers", "/admin/providers/P1",
			"/admin/modules", "/admin/modules/_new", "/admin/modules/M1", "/admin/goals/M1-L1", "/admin/groups", "/admin/groups/_new",
			"/admin/groups/G1"} {
			r := c.Get(p)
			servertest.WantStatus(t, lang+" "+p, r, http.StatusOK)
			if k := workspaceKeyRE.FindString(r.Body.String()); k != "" {
				t.Errorf("%s %s shows the key %s", lang, p, k)
			}
		}
	}
}

package ui_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
)

// A coordinator uploads a workbook, sees its errors, uploads the corrected
// one and confirms the import.
func TestBrowserCoordinatorImportsWorkbook(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	b := newBrowser(t, a)
	dir := t.TempDir()
	bad := filepath.Join(dir, "lerenden.xlsx")
	good := filepath.Join(dir, "lerenden-verbeterd.xlsx")
	// Two mistakes: a date that does not exist, and another provider.
	if err := os.WriteFile(bad, servertest.NewLearnerWorkbook(t, "P2", "31/02/1991"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, servertest.NewLearnerWorkbook(t, "P1", "1991-05-05"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.login("k1")
	b.run("upload the workbook with mistakes",
		chromedp.Click(chromedp.CSS(`header nav a[href="/imports"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#file`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{bad}),
		click(`#upload-form button[type=submit]`),
		waitLoaded(`document.querySelector("#import-errors")`),
	)
	errs := get(b, "errors", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("table.import-errors tbody tr")).map(r => Array.from(r.cells).map(c => c.textContent.trim()).join(" | "))`))
	// The new learner would be P1's by the import's link (issue 20); their
	// referral to P2 is refused.
	want := []string{
		`learners (blad) | 2 | geboortedatum (birth_date) | "31/02/1991" is geen geldige datum (JJJJ-MM-DD of DD/MM/JJJJ)`,
		`referrals (blad) | 2 | aanbieder (provider) | aanbieder "P2" is niet een van jouw aanbieders (P1)`,
	}
	if len(errs) != len(want) {
		t.Errorf("the error table holds %q, want %d rows", errs, len(want))
	}
	for i := range min(len(errs), len(want)) {
		if !strings.HasPrefix(errs[i], want[i]) {
			t.Errorf("error row %d is %q, want %q", i+1, errs[i], want[i])
		}
	}
	if get(b, "confirm button", chromedp.Evaluate[bool](`!!document.querySelector("#import-confirm")`)) {
		t.Error("a workbook with errors can be confirmed")
	}
	b.screenshot("import-errors")

	b.run("upload the corrected workbook",
		chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{good}),
		click(`#upload-form button[type=submit]`),
		waitLoaded(`document.querySelector("#import-confirm")`),
	)
	counts := get(b, "counts", chromedp.Evaluate[string](`Array.from(document.querySelector("table.import-counts tfoot tr").cells).map(c => c.textContent.trim()).join(" ")`))
	if counts != "Totaal  2 0 0" {
		t.Errorf("the dry run counts %q, want 2 new rows", counts)
	}
	if _, err := a.DB.FindLearnerFacts(context.Background(), "L-NIEUW"); err == nil {
		t.Fatal("the dry run stored the learner")
	}
	b.screenshot("import-check")

	b.run("confirm",
		click(`#import-confirm button[type=submit]`),
		waitLoaded(`document.querySelector("#import-done")`),
	)
	b.screenshot("import-done")
	b.noProblems()
	if _, err := a.DB.FindLearnerFacts(context.Background(), "L-NIEUW"); err != nil {
		t.Fatalf("the confirmed import is not stored: %v", err)
	}
	// The learner is the coordinator's now.
	b.run("open the learner", chromedp.Navigate(b.base+"/learners/L-NIEUW"), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if h := get(b, "heading", chromedp.Text(chromedp.CSS(`h1`))); !strings.Contains(h, "Nieuwland") {
		t.Errorf("the imported learner's page says %q", h)
	}
}

// A coordinator creates a schedule, runs it and downloads the workbook.
func TestBrowserCoordinatorSchedulesAndDownloads(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	b := newBrowser(t, a)
	b.login("k1")
	b.run("the new schedule form",
		chromedp.Click(chromedp.CSS(`header nav a[href="/schedules"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#new-schedule`)),
		click(`#new-schedule`),
		chromedp.WaitVisible(chromedp.CSS(`#sch-name`)),
		chromedp.SendKeys(chromedp.CSS(`#sch-name`), "kwartaalrapport"),
		setValue(`#sch-cron`, ""),
		chromedp.SendKeys(chromedp.CSS(`#sch-cron`), "0 7 * * 1"),
		waitLoaded(`document.querySelector("#cron-preview").textContent.includes("elke maandag om 07:00")`),
		setValue(`#sch-period`, "previous-quarter"),
	)
	b.screenshot("schedule-form")
	b.run("create it",
		click(`#schedule-form button[type=submit]`),
		waitLoaded(`document.querySelector("#run-now")`),
	)
	b.screenshot("schedule")
	before := get(b, "location", chromedp.Location())
	b.run("run it now",
		click(`#run-now`),
		waitLoaded(`document.querySelector("#ran.ok") && document.querySelector("a.download")`),
	)
	if after := get(b, "location", chromedp.Location()); after != before {
		t.Errorf("run now loaded another page (%s), want htmx", after)
	}
	b.screenshot("schedule-run")
	download := get(b, "download", chromedp.Evaluate[string](`fetch(document.querySelector("a.download").href).then(async r => {
		const b = new Uint8Array(await r.arrayBuffer());
		return [r.status, r.headers.get("content-type"), r.headers.get("content-disposition"), b.length, String.fromCharCode(b[0], b[1])].join("|");
	})`, chromedp.EvalAwaitPromise))
	parts := strings.Split(download, "|")
	runs, err := a.DB.ListRuns(context.Background(), store.RunQuery{Kind: domain.RunWorkbook, Schedule: "P1.kwartaalrapport", Limit: 0})
	if err != nil || len(runs) != 1 || runs[0].Status != domain.RunOK {
		t.Fatalf("runs: %v %+v", err, runs)
	}
	if len(parts) != 5 || parts[0] != "200" || parts[1] != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		!strings.Contains(parts[2], filepath.Base(runs[0].File)) || parts[3] != itoa(int(runs[0].Size)) || parts[4] != "PK" {
		t.Errorf("the download answered %q; want the %d bytes of %s", download, runs[0].Size, runs[0].File)
	}
	b.run("the list", chromedp.Navigate(b.base+"/schedules"), chromedp.WaitVisible(chromedp.CSS(`table.schedules`)))
	b.screenshot("schedules")
	b.noProblems()
}

func itoa(n int) string { return strconv.Itoa(n) }

// waitLoaded waits until the page has loaded and the expression is true: a
// form posted without htmx loads a new page, which must be laid out before
// a screenshot.
func waitLoaded(expression string) chromedp.Action[chromedp.Void] {
	return waitFor(`document.readyState === "complete" && (` + expression + `)`)
}

// The other pages of the workspace, as an admin sees them: they load
// without script errors or CSP violations, and an account can be made.
func TestBrowserWorkspacePages(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	b := newBrowser(t, a)
	b.login("root")
	for _, p := range []struct{ path, ready, shot string }{
		{"/exports", "#export-form", "exports"},
		{"/quality", "table.quality-summary", "quality"},
		{"/admin", "ul.admin-tiles", "admin"},
		{"/admin/modules/M1", "#goal-form", "admin-module"},
		{"/admin/groups/G1", "#group-form", "admin-group"},
	} {
		b.run(p.path, chromedp.Navigate(b.base+p.path), waitLoaded(`document.querySelector("`+p.ready+`")`))
		b.screenshot(p.shot)
	}
	b.run("make an account",
		chromedp.Navigate(b.base+"/admin/users"),
		waitLoaded(`document.querySelector("#user-form")`),
		chromedp.SendKeys(chromedp.CSS(`#u-name`), "nieuwe.lesgever"),
		setValue(`#u-role`, "teacher"),
		click(`#user-form button[type=submit]`),
		waitLoaded(`document.querySelector("#one-time-password")`),
	)
	b.screenshot("admin-users")
	b.noProblems()
	if u, err := a.DB.FindUser(context.Background(), "nieuwe.lesgever"); err != nil || u.Role != "teacher" {
		t.Fatalf("the account: %+v, %v", u, err)
	}
}

package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

// A coordinator opens an agency's list in the mapping assistant, corrects
// one column and one value, keeps the profile and imports; next month's
// list is recognised and imported with the profile.
func TestBrowserCoordinatorUsesTheMappingAssistant(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	b := newBrowser(t, a)
	dir := t.TempDir()
	march, april := filepath.Join(dir, "Aanmeldingen-2026-03.csv"), filepath.Join(dir, "Aanmeldingen-2026-04.csv")
	if err := os.WriteFile(march, agencyList("03"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(april, agencyList("04"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.login("k1")
	b.run("open the list in the assistant",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(b.base+"/imports"),
		chromedp.WaitVisible(chromedp.CSS(`#foreign-file`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#foreign-file`), []string{march}),
		click(`#assistant-upload button[type=submit]`),
		waitLoaded(`document.querySelector("#assistant-form")`),
	)
	if got := get(b, "proposed source column", chromedp.Evaluate[string](`document.querySelector("#col-source").value`)); got != "Doorverwezen door" {
		t.Errorf("source is proposed from %q", got)
	}
	b.run("correct the provider column and the value AgII",
		chromedp.SetValue(chromedp.CSS(`#col-provider`), "="),
		chromedp.SetValue(chromedp.CSS(`[name="const.provider"]`), "P1"),
		chromedp.SetValue(chromedp.CSS(`#to-source-0`), "agentschap"),
		chromedp.SendKeys(chromedp.CSS(`#profile-name`), "agentschap-maand"),
		click(`#assistant-check`),
		waitLoaded(`document.querySelector("#assistant-ok")`),
	)
	b.screenshot("import-assistant")
	rows := get(b, "preview", chromedp.Evaluate[int](`document.querySelectorAll("#assistant-preview tbody tr").length`))
	if rows != 2 {
		t.Errorf("the preview shows %d records, want 2", rows)
	}
	b.run("keep the profile and import",
		click(`#assistant-save`),
		waitLoaded(`document.querySelector("#import-done")`),
	)
	b.run("next month's list",
		chromedp.Navigate(b.base+"/imports"),
		chromedp.WaitVisible(chromedp.CSS(`#foreign-file`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#foreign-file`), []string{april}),
		click(`#assistant-upload button[type=submit]`),
		waitLoaded(`document.querySelector("#assistant-recognised")`),
	)
	b.screenshot("import-assistant-recognised")
	b.run("import it with the profile",
		click(`#assistant-recognised button[type=submit]`),
		waitLoaded(`document.querySelector("#import-done")`),
	)
	b.noProblems()
	if refs := referralsOf(t, a, "L-DEWULF"); !strings.Contains(refs, "2026-03-09 self P1") || !strings.Contains(refs, "2026-04-09 self P1") {
		t.Errorf("L-DEWULF's referrals: %s", refs)
	}
}

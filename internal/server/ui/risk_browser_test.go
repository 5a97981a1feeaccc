package ui_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCounsellorListSortedByRisk: at 1366 pixels, the counsellor
// sorts Mijn lerenden by risk; the first learner is a warning with its
// estimate and its reasons in Dutch, on screen beside the flags; their page
// shows the eight Mondays.
func TestBrowserCounsellorListSortedByRisk(t *testing.T) {
	t.Parallel()
	a, counsellor := riskDemo(t)
	b := newBrowser(t, a)
	b.login(counsellor)
	b.run("sort by risk",
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(b.base+"/learners"),
		chromedp.WaitVisible(chromedp.CSS(`#sort`)),
		chromedp.SetValue(chromedp.CSS(`#sort`), "risk"),
		click(`form.search button[type=submit]`),
		waitLoaded(`location.search.includes("sort=risk") && document.querySelector("td.risk-cell")`),
	)
	first := get(b, "first row", chromedp.Evaluate[[]string](`(() => {
		const td = document.querySelector("table.list tbody tr td.risk-cell");
		const r = td.getBoundingClientRect();
		return [td.querySelector(".risk").textContent.trim(),
			Array.from(td.querySelectorAll(".risk-reasons li")).map(li => li.textContent.trim()).join("; "),
			String(r.right <= window.innerWidth && r.width > 0)];
	})()`))
	if !strings.HasPrefix(first[0], "hoog · ") || !strings.HasSuffix(first[0], " %") {
		t.Errorf("the first estimate reads %q, want hoog · N %%", first[0])
	}
	if first[1] == "" {
		t.Error("the first learner shows no reasons")
	}
	if first[2] != "true" {
		t.Error("the risk column does not fit at 1366 pixels")
	}
	t.Logf("first row: %q, reasons %q", first[0], first[1])
	b.screenshot("learners-risk")
	b.run("open the first learner",
		click(`table.list tbody tr th a`),
		waitLoaded(`document.querySelector("#warning .risk-weeks")`),
	)
	b.screenshot("learner-risk")
	b.noProblems()
}

// TestBrowserValidationPage: the coordinator's validation page draws its
// calibration chart (an SVG, no script, nothing the page's CSP refuses).
func TestBrowserValidationPage(t *testing.T) {
	t.Parallel()
	a, _ := riskDemo(t)
	b := newBrowser(t, a)
	b.login("coord")
	b.run("open the validation page",
		click(`header nav a[href="/risk"]`),
		waitLoaded(`document.querySelector("svg.calibration rect.observed")`),
	)
	if n := get(b, "bars", chromedp.Evaluate[int](`document.querySelectorAll("svg.calibration rect").length`)); n != 20 {
		t.Errorf("the calibration chart has %d bars, want 20 (two per decile)", n)
	}
	b.screenshot("risk-validation")
	b.noProblems()
}

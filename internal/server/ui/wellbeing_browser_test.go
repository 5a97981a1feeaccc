package ui_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
)

// noSideScroll is true when the page is no wider than the window.
const noSideScroll = `document.documentElement.scrollWidth <= window.innerWidth`

// A teacher records wellbeing and involvement of the group on a tablet
// (768 px), with the mouse and with the arrow keys.
func TestBrowserTeacherRecordsObservations(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	b := newBrowser(t, a)
	b.login("t1")
	b.run("open the group on a tablet",
		chromedp.EmulateViewport(768, 1024),
		chromedp.Navigate(b.base+"/groups/G1"),
		waitLoaded(`document.querySelector("#o0-wellbeing-4")`),
	)
	if !get(b, "width", chromedp.Evaluate[bool](noSideScroll)) {
		w := get(b, "scroll width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		t.Errorf("the group page is %d px wide on a 768 px tablet", w)
	}
	b.run("score two learners",
		click(`label[for="o0-wellbeing-4"]`),
		click(`label[for="o0-involvement-5"]`),
		click(`label[for="o1-wellbeing-2"]`),
		// The keyboard: from 3, the right arrow chooses 4.
		click(`label[for="o1-involvement-3"]`),
		chromedp.Focus(chromedp.CSS(`#o1-involvement-3`)),
		chromedp.KeyEvent(kb.ArrowRight),
		waitFor(`document.querySelector("#o1-involvement-4").checked`),
	)
	b.screenshot("group-observations-tablet")
	b.run("save",
		click(`.obs-form button[type=submit]`),
		waitFor(`document.querySelector("#observations .ok")`),
	)
	msg := get(b, "message", chromedp.Evaluate[string](`document.querySelector("#observations .ok").textContent`))
	if !strings.Contains(msg, "Opgeslagen: 2") {
		t.Errorf("message after saving: %q", msg)
	}
	b.screenshot("group-observations")
	b.noProblems()
	got := storedObservations(t, a)
	if got["L-AERTS 2026-03-15"] != "4/5" || got["L-DEWULF 2026-03-15"] != "2/4" {
		t.Errorf("stored %v, want L-AERTS 4/5 and L-DEWULF 2/4 on 2026-03-15", got)
	}
}

// A learner fills in the survey on a phone 390 px wide.
func TestBrowserLearnerFillsSurvey(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	r, err := a.DB.OpenSurveyRound(context.Background(), "k1", store.SurveyRound{Provider: "P1", Respondent: "learner",
		AskLearner: true, Closes: domain.MustDate("2026-03-31")}, servertest.Now)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a)
	b.run("open the link on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(b.base+"/s/"+r.Token),
		waitLoaded(`document.querySelector("label.face")`),
	)
	if !get(b, "width", chromedp.Evaluate[bool](noSideScroll)) {
		t.Errorf("the survey page scrolls sideways at 390 px")
	}
	small := get(b, "targets", chromedp.Evaluate[int](`Array.from(document.querySelectorAll("label.face, button.survey-send")).filter(e => {
		const r = e.getBoundingClientRect(); return r.width < 48 || r.height < 48 }).length`))
	if small != 0 {
		t.Errorf("%d touch targets smaller than 48 px", small)
	}
	b.screenshot("survey-phone")
	b.run("Arabic",
		click(`.survey-langs a[lang="ar"]`),
		waitLoaded(`document.querySelector(".survey[dir=rtl]")`),
	)
	if !get(b, "width", chromedp.Evaluate[bool](noSideScroll)) {
		t.Errorf("the Arabic survey page scrolls sideways at 390 px")
	}
	b.screenshot("survey-phone-ar")
	b.run("answer and send",
		click(`label[for="wellbeing-5"]`),
		click(`label[for="involvement-4"]`),
		click(`label[for="satisfaction-4"]`),
		chromedp.SendKeys(chromedp.CSS(`#comment`), "شكرا"),
		click(`button.survey-send`),
		waitLoaded(`document.querySelector("h1") && document.querySelector("h1").textContent.includes("شكرًا")`),
	)
	b.screenshot("survey-phone-done")
	b.noProblems()
	rs, err := a.DB.LoadDataSet(context.Background(), "survey_responses")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.SurveyResponses) != 1 || rs.SurveyResponses[0].Wellbeing != 5 || rs.SurveyResponses[0].Comment != "شكرا" {
		t.Errorf("stored %+v, want one answer with wellbeing 5", rs.SurveyResponses)
	}
}

// A coordinator sees the wellbeing tile and its chart change after a
// teacher scores the group: the dashboard is not stuck on a cached result.
func TestBrowserCoordinatorSeesWellbeingTileChange(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	b := newBrowser(t, a)
	b.login("k1")
	const page = "/dashboard?from=2025-09-01&to=2026-08-31&exact=1"
	tile := `document.querySelector("#tile-wellbeing .tile-value")`
	b.run("open the dashboard",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(b.base+page),
		waitLoaded(tile),
	)
	before := get(b, "tile before", chromedp.Evaluate[string](tile+`.textContent.trim()`))
	if get(b, "chart before", chromedp.Evaluate[bool](`!!document.querySelector("#chart-wellbeing")`)) {
		t.Errorf("a wellbeing chart before any observation")
	}
	obs := []domain.Observation{
		{Learner: "L-AERTS", Date: domain.MustDate("2026-03-10"), Wellbeing: 5, Involvement: 4},
		{Learner: "L-DEWULF", Date: domain.MustDate("2026-03-10"), Wellbeing: 2, Involvement: 3},
	}
	if n, err := a.DB.SaveObservations(context.Background(), "t1", "G1", obs, servertest.Now); err != nil || n != 2 {
		t.Fatalf("SaveObservations: %d, %v", n, err)
	}
	b.run("reload",
		chromedp.Navigate(b.base+page),
		waitLoaded(`document.querySelector("#chart-wellbeing") && window.Chart && window.Chart.getChart(document.querySelector("#chart-wellbeing"))`),
	)
	after := get(b, "tile after", chromedp.Evaluate[string](tile+`.textContent.trim()`))
	if after == before || !strings.Contains(after, "50,0") {
		t.Errorf("the wellbeing tile shows %q, then %q; want 50,0%% (one of two learners high)", before, after)
	}
	b.screenshot("dashboard-wellbeing")
	b.noProblems()
}

package ui_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/traject-nt2/traject/internal/server/servertest"
)

// openRegister opens G1's register of today (Monday 16 March) on a tablet
// 768 px wide, touch or not, and checks the page's size and targets.
func openRegister(t *testing.T, b *browser, touch bool) {
	t.Helper()
	view := chromedp.EmulateViewport(768, 1024)
	if touch {
		view = chromedp.EmulateViewport(768, 1024, chromedp.EmulateTouch)
	}
	b.run("open the register on a tablet",
		view,
		chromedp.Navigate(b.base+"/groups/G1/register"),
		waitLoaded(`document.querySelector("#r1-present")`),
	)
	if !get(b, "width", chromedp.Evaluate[bool](noSideScroll)) {
		w := get(b, "scroll width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		t.Errorf("the register is %d px wide on a 768 px tablet", w)
	}
	small := get(b, "targets", chromedp.Evaluate[int](`Array.from(document.querySelectorAll("label.mark, .register-form button")).filter(e => {
		const r = e.getBoundingClientRect(); return r.width < 44 || r.height < 44 }).length`))
	if small != 0 {
		t.Errorf("%d touch targets smaller than 44 px", small)
	}
}

// htmxIdle waits until htmx has no request, swap or settle under way: the
// page then has its focus where it will stay.
var htmxIdle = waitFor(`!document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")`)

// wantStored fails the test unless G1's records are want.
func wantStored(t *testing.T, a *servertest.App, what string, want map[string]string) {
	t.Helper()
	if got := attendanceOf(t, a); !sameMap(got, want) {
		t.Errorf("%s: stored %v, want %v", what, got, want)
	}
}

// A teacher registers today's lesson with the keyboard alone: arrow keys
// between the statuses, Tab to the next learner (past the link to their
// page) and to the hours of a late
// one, Enter to save; then changes a row, which saves at once.
func TestBrowserRegisterWithKeyboard(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	planG1(t, a)
	b := newBrowserAt(t, a, monday)
	b.login("t1")
	openRegister(t, b, false)
	b.screenshot("register-tablet")
	b.run("mark with the keyboard",
		chromedp.Focus(chromedp.CSS(`#r0-present`)),
		chromedp.KeyEvent(kb.ArrowRight), // Amina: absent
		waitFor(`document.querySelector("#r0-absent").checked`),
		chromedp.KeyEvent(kb.Tab), // to Dina's name, a link to her page
		waitFor(`document.activeElement.closest("#r1") && document.activeElement.tagName === "A"`),
		chromedp.KeyEvent(kb.Tab), // to her statuses
		waitFor(`document.activeElement.id === "r1-present"`),
		chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight), // late
		waitFor(`document.querySelector("#r1-late").checked`),
		chromedp.KeyEvent(kb.Tab), // the hours late asks for
		waitFor(`document.activeElement.id === "r1-hours"`),
		chromedp.KeyEvent("1,5"),
	)
	wantStored(t, a, "before saving", map[string]string{})
	b.run("save with Enter",
		chromedp.KeyEvent(kb.Enter),
		waitFor(`document.querySelector("#register .ok")`),
		htmxIdle,
	)
	wantStored(t, a, "saved", map[string]string{"L-AERTS 2026-03-16": "absent -", "L-DEWULF 2026-03-16": "late 1.5"})
	if h := hoursOf(t, a); h["L-AERTS"] != 0 || h["L-DEWULF"] != 1.5 {
		t.Errorf("hours after saving %v, want L-AERTS 0, L-DEWULF 1.5", h)
	}
	// Registered: each change saves its row at once, focus stays put.
	b.run("excuse Dina",
		chromedp.Focus(chromedp.CSS(`#r1-late`)),
		waitFor(`document.activeElement.id === "r1-late"`),
		chromedp.KeyEvent(kb.ArrowLeft),
		waitFor(`document.querySelector("#r1 .saved-mark") && document.querySelector("#r1-excused").checked`),
		htmxIdle,
		waitFor(`document.activeElement.id === "r1-excused"`),
	)
	wantStored(t, a, "excused", map[string]string{"L-AERTS 2026-03-16": "absent -", "L-DEWULF 2026-03-16": "excused -"})
	b.run("Dina was late after all: the hours are asked",
		chromedp.KeyEvent(kb.ArrowRight),
		waitFor(`document.querySelector("#r1-hours-err")`),
		htmxIdle,
		waitFor(`document.activeElement.id === "r1-hours"`),
		chromedp.KeyEvent("2"),
		chromedp.KeyEvent(kb.Enter),
		waitFor(`document.querySelector("#r1 .saved-mark") && !document.querySelector("#r1-hours-err")`),
		htmxIdle,
	)
	wantStored(t, a, "late", map[string]string{"L-AERTS 2026-03-16": "absent -", "L-DEWULF 2026-03-16": "late 2"})
	total := get(b, "total", chromedp.Evaluate[string](`document.querySelector("#r1 .total").textContent`))
	if total != "2 uur in totaal" {
		t.Errorf("Dina's row shows %q, want 2 uur in totaal", total)
	}
	b.screenshot("register-saved")
	b.noProblems()
}

// A teacher registers today's lesson by touch: one tap per learner who is
// not simply present, the hours of a late one, one tap to save, and a tap
// on a registered row saves it at once.
func TestBrowserRegisterByTouch(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	planG1(t, a)
	b := newBrowserAt(t, a, monday)
	b.login("t1")
	openRegister(t, b, true)
	b.run("tap",
		chromedp.Tap(chromedp.CSS(`label[for="r0-late"]`)),
		waitFor(`document.querySelector("#r0-late").checked`),
		chromedp.Tap(chromedp.CSS(`#r0-hours`)),
		chromedp.SendKeys(chromedp.CSS(`#r0-hours`), "2,5"),
		chromedp.Tap(chromedp.CSS(`label[for="r1-excused"]`)),
		waitFor(`document.querySelector("#r1-excused").checked`),
	)
	b.screenshot("register-touch")
	b.run("save",
		chromedp.Tap(chromedp.CSS(`.register-form button[type=submit]`)),
		waitFor(`document.querySelector("#register .ok")`),
		htmxIdle,
	)
	wantStored(t, a, "saved", map[string]string{"L-AERTS 2026-03-16": "late 2.5", "L-DEWULF 2026-03-16": "excused -"})
	b.run("Dina came after all",
		chromedp.Tap(chromedp.CSS(`label[for="r1-present"]`)),
		waitFor(`document.querySelector("#r1 .saved-mark") && document.querySelector("#r1-present").checked`),
		htmxIdle,
	)
	wantStored(t, a, "present", map[string]string{"L-AERTS 2026-03-16": "late 2.5", "L-DEWULF 2026-03-16": "present -"})
	if h := hoursOf(t, a); h["L-AERTS"] != 2.5 || h["L-DEWULF"] != 3 {
		t.Errorf("hours %v, want L-AERTS 2.5, L-DEWULF 3", h)
	}
	b.noProblems()
}

package ui_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/traject-nt2/traject/internal/server/servertest"
)

// breakdownOverflow lists, for every open breakdown table of the
// dashboard, whether it runs out of its box or off the page: a table
// wider than its scroll box is fine (it scrolls inside it), a box wider
// than the page or the page wider than the window is not.
const breakdownOverflow = `(() => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > vw + 1) out.push("page " + document.documentElement.scrollWidth + " > " + vw);
  document.querySelectorAll("details.breakdown").forEach(d => d.open = true);
  document.querySelectorAll("details.breakdown .table-scroll").forEach(box => {
    const r = box.getBoundingClientRect();
    if (r.right > vw + 1) out.push(box.parentElement.id + " box ends at " + Math.round(r.right) + " > " + vw);
    if (box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "auto") out.push(box.parentElement.id + " cut off");
  });
  if (document.documentElement.scrollWidth > vw + 1) out.push("page with breakdowns open " + document.documentElement.scrollWidth + " > " + vw);
  return out.join("; ");
})()`

// TestBrowserBreakdownsFit: the dashboard's breakdown tables are not cut
// off at 1366 and at 768 px (issue 20): they wrap their headers and scroll
// inside their own box, and the page never scrolls sideways.
func TestBrowserBreakdownsFit(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	b := newBrowser(t, a)
	b.login("kA")
	for _, w := range []int64{1366, 768} {
		b.run(fmt.Sprint("dashboard at ", w),
			chromedp.EmulateViewport(w, 900),
			chromedp.Navigate(b.base+"/dashboard?from=2024-09-01&to=2025-08-31&exact=1"),
			chromedp.WaitVisible(chromedp.CSS(`details.breakdown`)),
		)
		if got := get(b, "overflow", chromedp.Evaluate[string](breakdownOverflow)); got != "" {
			t.Errorf("at %d px: %s", w, got)
		}
		b.screenshot(fmt.Sprint("dashboard-breakdowns-", w))
	}
}

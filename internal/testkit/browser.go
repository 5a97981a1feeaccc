package testkit

import (
	"context"
	"os/exec"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is the first headless-capable Chromium on PATH, or "".
func ChromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is the one Chromium of a test binary: started by the first
// test that asks for a tab, stopped by StopBrowser (testkit.Main) or, at
// the latest, with the process (chromedp's allocator kills its child when
// the parent dies).
var browser struct {
	mu     sync.Mutex
	ctx    context.Context // the browser's first tab: its life is the browser's
	cancel func()
	err    error
}

// Tab returns a chromedp context for t on the binary's one Chromium, in a
// browser context of its own (its cookies, storage and cache apart from
// every other test's tab), closed when t ends. exe is the Chromium to start
// the first time; lang its interface language.
func Tab(t testing.TB, exe, lang string) context.Context {
	t.Helper()
	browser.mu.Lock()
	if browser.ctx == nil && browser.err == nil {
		opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
			chromedp.DisableGPU, chromedp.WindowSize(1366, 900), chromedp.Flag("lang", lang))
		actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelC := chromedp.NewContext(actx)
		if err := chromedp.Do(ctx); err != nil { // starts the browser
			cancelC()
			cancelA()
			browser.err = err
		} else {
			browser.ctx, browser.cancel = ctx, func() { cancelC(); cancelA() }
		}
	}
	root, err := browser.ctx, browser.err
	browser.mu.Unlock()
	if err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	return ctx
}

// StopBrowser stops the binary's Chromium, if one was started.
func StopBrowser() {
	browser.mu.Lock()
	defer browser.mu.Unlock()
	if browser.cancel != nil {
		browser.cancel()
	}
	browser.ctx, browser.cancel, browser.err = nil, nil, nil
}

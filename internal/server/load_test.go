//go:build loadtest

package server_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/signal"
)

// TestLoad is a load generator, not a unit test: it is built only with the
// loadtest tag (make load does all of it) and runs only when
// TRAJECT_LOAD_URL names a running server (e.g. `traject serve` on a
// 100,000-learner demo database), signs in with the demo accounts and
// measures, with 16 concurrent clients (TRAJECT_LOAD_CLIENTS), the group
// pages of the teacher, the learner pages of the counsellor and of the
// admin, the learner list filtered by each flag (the counsellor's and the
// admin's), then the saving of a grid of 15 evaluations (each save changes
// all 15). It prints p50, p90, p99 and max per kind of page. Reproduce with:
//
//	traject migrate --db /tmp/big.db && traject demo --learners 100000 --db /tmp/big.db
//	# the demo accounts (ensureDemoAccounts, as `make run` creates them), then
//	traject serve --db /tmp/big.db --addr 127.0.0.1:8090 &
//	TRAJECT_LOAD_URL=http://127.0.0.1:8090 \
//	TRAJECT_LOAD_TEACHER=teacher0002:demo-lesgever-2026 TRAJECT_LOAD_COUNSELLOR=counsellor320:demo-begeleider-2026 \
//	TRAJECT_LOAD_ADMIN=admin:demo-beheerder-2026 go test -tags loadtest -run TestLoad -v -count=1 ./internal/server/
//
// (teacher0002 and counsellor320 are the busiest of the 100,000-learner demo
// data of seed 1, which ensureDemoAccounts picks.)
func TestLoad(t *testing.T) {
	base := os.Getenv("TRAJECT_LOAD_URL")
	if base == "" {
		t.Skip("load generator (build tag loadtest): set the env TRAJECT_LOAD_URL (and TRAJECT_LOAD_TEACHER, _COUNSELLOR, _ADMIN as user:password) to run the load test")
	}
	clients, _ := strconv.Atoi(os.Getenv("TRAJECT_LOAD_CLIENTS"))
	if clients <= 0 {
		clients = 16
	}
	requests, _ := strconv.Atoi(os.Getenv("TRAJECT_LOAD_REQUESTS"))
	if requests <= 0 {
		requests = 4000
	}
	// More servers on the same database (TRAJECT_LOAD_MORE_URLS, comma
	// separated): the clients are spread over all of them, each using the
	// sessions made on the first.
	bases := []string{base}
	if more := os.Getenv("TRAJECT_LOAD_MORE_URLS"); more != "" {
		bases = append(bases, strings.Split(more, ",")...)
	}
	// Each signs in straight to the pages measured here: the admin's home,
	// the dashboard, would load the indicator data (seconds of CPU) while
	// the group pages are measured. TestDashboardLoad measures that.
	teacher := loadLogin(t, base, os.Getenv("TRAJECT_LOAD_TEACHER"), "/groups")
	counsellor := loadLogin(t, base, os.Getenv("TRAJECT_LOAD_COUNSELLOR"), "/learners")
	admin := loadLogin(t, base, os.Getenv("TRAJECT_LOAD_ADMIN"), "/learners")

	// The pages to ask for: the teacher's groups and the counsellor's learners.
	groups := loadLinks(t, teacher, base+"/groups", `href="(/groups/[^"?#]+)"`)
	var learners []string
	for p := 1; p <= 3; p++ {
		learners = append(learners, loadLinks(t, counsellor, fmt.Sprintf("%s/learners?page=%d", base, p), `href="(/learners/[^"?#]+)"`)...)
	}
	slices.Sort(learners)
	learners = slices.Compact(learners)
	t.Logf("%d groups of the teacher, %d learners of the counsellor, %d clients over %d servers, %d requests per page kind",
		len(groups), len(learners), clients, len(bases), requests)

	report := func(what string, d []time.Duration, wall time.Duration) {
		slices.Sort(d)
		q := func(p float64) time.Duration { return d[min(len(d)-1, int(p*float64(len(d))))] }
		t.Logf("%-28s n=%d  %.0f req/s  p50=%v  p90=%v  p99=%v  max=%v", what, len(d), float64(len(d))/wall.Seconds(),
			q(0.50).Round(10*time.Microsecond), q(0.90).Round(10*time.Microsecond), q(0.99).Round(10*time.Microsecond), d[len(d)-1].Round(10*time.Microsecond))
	}
	hammerN := func(what string, c *http.Client, urls []string, requests int) {
		var mu sync.Mutex
		var all []time.Duration
		var wg sync.WaitGroup
		start := time.Now()
		for w := 0; w < clients; w++ {
			wg.Go(func() {
				var mine []time.Duration
				for i := 0; i < requests/clients; i++ {
					u := bases[w%len(bases)] + urls[rand.IntN(len(urls))]
					t0 := time.Now()
					res, err := c.Get(u)
					if err != nil {
						t.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						t.Errorf("GET %s: %d", u, res.StatusCode)
						return
					}
					mine = append(mine, time.Since(t0))
				}
				mu.Lock()
				all = append(all, mine...)
				mu.Unlock()
			})
		}
		wg.Wait()
		if len(all) > 0 {
			report(what, all, time.Since(start))
		}
	}
	hammer := func(what string, c *http.Client, urls []string) { hammerN(what, c, urls, requests) }
	hammer("group page (teacher)", teacher, groups)
	hammer("learner page (counsellor)", counsellor, learners)
	adminLearners := loadLinks(t, admin, base+"/learners?page=700", `href="(/learners/[^"?#]+)"`)
	hammer("learner page (admin)", admin, adminLearners)
	// The learner list filtered by each flag, its first page: the
	// counsellor's learners, and an admin's (every learner; a tenth of the
	// requests, each judges the flag over the whole region).
	var byFlag []string
	for _, kind := range signal.Kinds {
		byFlag = append(byFlag, "/learners?flag="+kind)
	}
	hammer("learner list by flag (counsellor)", counsellor, byFlag)
	hammerN("learner list by flag (admin)", admin, byFlag, max(requests/10, clients))

	// Saving a grid of 15 evaluations: a group with at least 15 learners,
	// every row changed on each save (A1 and A2 in turn).
	var page, group string
	for _, g := range groups {
		body := loadGet(t, admin, base+g)
		if strings.Count(body, `.learner" value=`) >= 15*2 { // grid and attendance forms
			page, group = body, g
			break
		}
	}
	if group == "" {
		t.Fatal("no group of the teacher has 15 learners")
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	rows := regexp.MustCompile(`name="r(\d+)\.learner" value="([^"]+)"`).FindAllStringSubmatch(page, -1)[:15]
	dates := regexp.MustCompile(`name="r(\d+)\.date" id="[^"]+" value="([^"]+)"`).FindAllStringSubmatch(page, -1)
	var saves []time.Duration
	start := time.Now()
	for i := 0; i < 40; i++ {
		form := url.Values{"csrf": {csrf}, "kind": {"formative"}}
		level := []string{"A1", "A2"}[i%2]
		for j, r := range rows {
			p := "r" + strconv.Itoa(j) + "."
			form.Set(p+"learner", r[2])
			form.Set(p+"listening", level)
			form.Set(p+"decision", "none")
			form.Set(p+"date", dates[j][2])
			form.Set(p+"feedback", "Belasting "+strconv.Itoa(i))
		}
		// The stored evaluation of the previous save is edited, not added to.
		if i > 0 {
			for j := range rows {
				form.Set("r"+strconv.Itoa(j)+".orig", dates[j][2])
			}
		}
		req, _ := http.NewRequest(http.MethodPost, base+group+"/evaluations", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		t0 := time.Now()
		res, err := admin.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		saves = append(saves, time.Since(t0))
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "Opgeslagen: 15") {
			t.Fatalf("save %d: %d\n%.2000s", i, res.StatusCode, body)
		}
	}
	report("grid of 15 evaluations", saves, time.Since(start))
}

// loadLogin signs in with "user:password" and returns a client with the session.
// loadLogin signs in with cred (user:password) and lands on next, "" for
// the user's home page.
func loadLogin(t *testing.T, base, cred, next string) *http.Client {
	t.Helper()
	user, pw, ok := strings.Cut(cred, ":")
	if !ok {
		t.Fatalf("give the account as user:password, not %q", cred)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	page := loadGet(t, c, base+"/login")
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	res, err := c.PostForm(base+"/login", url.Values{"username": {user}, "password": {pw}, "csrf": {csrf}, "next": {next}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path == "/login" {
		t.Fatalf("login as %s failed", user)
	}
	return c
}

func loadGet(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, res.StatusCode)
	}
	return string(b)
}

func loadLinks(t *testing.T, c *http.Client, u, pattern string) []string {
	t.Helper()
	var out []string
	for _, m := range regexp.MustCompile(pattern).FindAllStringSubmatch(loadGet(t, c, u), -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		t.Fatalf("no links on %s", u)
	}
	return out
}

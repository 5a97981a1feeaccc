package public_test

import (
	"context"
	"encoding/base64"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
)

// What keeps a round's link from being stuffed (issue 18, finding 7): one
// answer per learner number, a bound per client network and per round, a
// form token that only works in the browser it was served to, and a link
// built from the configured public address.

// advance moves the clock now on by d.
func advance(now *time.Time, d time.Duration) { *now = now.Add(d) }

// roundPage is the round's page as its coordinator sees it at now.
func roundPage(t *testing.T, a *servertest.App, r *store.SurveyRound, now time.Time) string {
	t.Helper()
	token, csrf, err := a.DB.CreateSession(context.Background(), servertest.Users["coordinator"].Username, time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	rec := (&servertest.Client{A: a, Cookie: token, CSRF: csrf}).Get("/surveys/" + r.ID)
	servertest.WantStatus(t, "round page", rec, http.StatusOK)
	return rec.Body.String()
}

// openRoundOnPage opens a learner round of P1 on the coordinator's form,
// with form's fields, and returns it.
func openRoundOnPage(t *testing.T, a *servertest.App, form url.Values) *store.SurveyRound {
	t.Helper()
	f := url.Values{"provider": {"P1"}, "respondent": {"learner"}, "closes": {"2026-03-31"}}
	for k, v := range form {
		f[k] = v
	}
	rec := a.As("coordinator").Post("/surveys", f)
	servertest.WantStatus(t, "open round", rec, http.StatusSeeOther)
	r, err := a.DB.FindSurveyRound(context.Background(), strings.TrimPrefix(rec.Header().Get("Location"), "/surveys/"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A learner who answers twice in one round is counted once, with the later
// answer; the round's page says how many answers were replaced.
func TestSurveyOneAnswerPerLearner(t *testing.T) {
	t.Parallel()
	now := servertest.Now
	a := servertest.New(t).WithClock(&now)
	r := servertest.OpenRound(t, a, "2026-03-31", servertest.Now)
	p := a.PhoneAt("192.0.2.10")
	servertest.WantStatus(t, "first", p.Answer(t, r, url.Values{"learner": {"L-AERTS"}, "wellbeing": {"2"}, "comment": {"eerste"}}), http.StatusOK)
	advance(&now, 24*time.Hour)
	// The second answer comes from another phone, a day later.
	q := a.PhoneAt("192.0.2.11")
	servertest.WantStatus(t, "second", q.Answer(t, r, url.Values{"learner": {"L-AERTS"}, "wellbeing": {"5"}, "comment": {"tweede"}}), http.StatusOK)
	// Anonymous answers and numbers that name no learner of P1 replace
	// nothing: each counts.
	servertest.WantStatus(t, "anonymous", p.Answer(t, r, url.Values{"wellbeing": {"3"}}), http.StatusOK)
	servertest.WantStatus(t, "anonymous again", p.Answer(t, r, url.Values{"wellbeing": {"3"}}), http.StatusOK)
	servertest.WantStatus(t, "of P2", p.Answer(t, r, url.Values{"learner": {"L-ZEGERS"}, "wellbeing": {"4"}}), http.StatusOK)
	servertest.WantStatus(t, "of P2 again", p.Answer(t, r, url.Values{"learner": {"L-ZEGERS"}, "wellbeing": {"4"}}), http.StatusOK)
	servertest.WantStatus(t, "another learner", p.Answer(t, r, url.Values{"learner": {"L-DEWULF"}, "wellbeing": {"1"}}), http.StatusOK)

	got := servertest.Responses(t, a)
	named := map[string][]domain.SurveyResponse{}
	for _, x := range got {
		named[x.Learner] = append(named[x.Learner], x)
	}
	if len(got) != 6 {
		t.Errorf("%d responses stored, want 6 (L-AERTS once, L-DEWULF, four anonymous)", len(got))
	}
	if xs := named["L-AERTS"]; len(xs) != 1 || xs[0].Wellbeing != 5 || xs[0].Comment != "tweede" || xs[0].Date != domain.MustDate("2026-03-16") {
		t.Errorf("L-AERTS's answers: %+v, want the later one only", xs)
	}
	if n := len(named[""]); n != 4 {
		t.Errorf("%d anonymous answers, want 4 (two without a number, two with a number of P2)", n)
	}
	page := roundPage(t, a, r, now)
	wantBodyString(t, "round page", page,
		`<dt>Antwoorden</dt><dd>6</dd>`,
		"1 antwoord vervangen door een later antwoord van dezelfde lerende",
		"2 antwoorden met een cursistennummer dat geen lerende van deze aanbieder is")
	if rounds, _ := a.DB.FindSurveyRounds(context.Background(), []string{"P1"}); len(rounds) != 1 || rounds[0].Responses != 6 {
		t.Errorf("the round counts %+v, want 6 answers", rounds)
	}
}

func wantBodyString(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: body lacks %q", what, w)
		}
	}
}

// Whatever number a stranger types, the page answers the same: a learner of
// the round's provider, one of another provider, a number of nobody, and a
// learner who answered before.
func TestSurveySameAnswerForAnyNumber(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	r := servertest.OpenRound(t, a, "2026-03-31", servertest.Now)
	var first *httptest.ResponseRecorder
	for i, number := range []string{"L-AERTS", "L-ZEGERS", "L-NOBODY", "L-AERTS", ""} {
		rec := a.PhoneAt("192.0.2.20").Answer(t, r, url.Values{"learner": {number}, "wellbeing": {"4"}})
		if i == 0 {
			first = rec
			servertest.WantStatus(t, number, rec, http.StatusOK)
			continue
		}
		if rec.Code != first.Code || rec.Body.String() != first.Body.String() {
			t.Errorf("the answer to %q (%d) differs from the answer to L-AERTS (%d)", number, rec.Code, first.Code)
		}
	}
}

// The answers from one network to one round are bounded: a class behind
// one NAT address answers within minutes, a script posting hundreds is
// slowed down to a trickle; another network, or another round, is not
// affected. A refused answer keeps its form, and is noted on the round's
// page.
func TestSurveyBoundPerNetwork(t *testing.T) {
	t.Parallel()
	now := servertest.Now
	a := servertest.New(t).WithClock(&now)
	r := servertest.OpenRound(t, a, "2026-03-31", servertest.Now)
	if _, err := a.DB.FindSurveyRound(context.Background(), r.ID); err != nil {
		t.Fatal(err)
	}
	// A round big enough that its own cap does not interfere.
	big := openRoundOnPage(t, a, url.Values{"expected": {"500"}})
	school := a.PhoneAt("203.0.113.7")
	accepted := 0
	for i := 0; i < 40; i++ {
		if rec := school.Answer(t, big, url.Values{"wellbeing": {"4"}}); rec.Code == http.StatusOK {
			accepted++
		}
	}
	if accepted != 40 {
		t.Fatalf("%d of a class of 40 accepted at once from one address, want all", accepted)
	}
	rec := school.Answer(t, big, url.Values{"wellbeing": {"2"}, "comment": {"nog eentje"}})
	servertest.WantStatus(t, "41st at once", rec, http.StatusTooManyRequests)
	servertest.WantBody(t, "41st at once", rec, "Wacht een minuut", "nog eentje", `name="ft"`)
	// The same form, sent again once the bucket has refilled a little.
	ft := formTokenRE.FindStringSubmatch(rec.Body.String())[1]
	advance(&now, 15*time.Second)
	resend := url.Values{"ft": {ft}, "wellbeing": {"2"}, "comment": {"nog eentje"}}
	servertest.WantStatus(t, "resent after 15 s", school.Post("/s/"+big.Token, resend), http.StatusOK)
	servertest.WantStatus(t, "and at once again", school.Answer(t, big, url.Values{"wellbeing": {"2"}}), http.StatusTooManyRequests)
	// An IPv6 client counts under its /64: a script cannot hop addresses.
	for i := 0; i < 40; i++ {
		school6 := a.PhoneAt("2001:db8:1:2::" + strconv.FormatInt(int64(i+1), 16))
		servertest.WantStatus(t, "IPv6 class", school6.Answer(t, big, url.Values{"wellbeing": {"3"}}), http.StatusOK)
	}
	servertest.WantStatus(t, "IPv6 hop", a.PhoneAt("2001:db8:1:2::ffff").Answer(t, big, url.Values{"wellbeing": {"3"}}), http.StatusTooManyRequests)
	// Another network, and another round from the same network, still answer.
	servertest.WantStatus(t, "other network", a.PhoneAt("198.51.100.9").Answer(t, big, url.Values{"wellbeing": {"5"}}), http.StatusOK)
	servertest.WantStatus(t, "other round", school.Answer(t, r, url.Values{"wellbeing": {"5"}}), http.StatusOK)
	// A script posting 200 more within the minute gets at most a few in.
	advance(&now, time.Minute)
	more := 0
	for i := 0; i < 200; i++ {
		if school.Answer(t, big, url.Values{"wellbeing": {"1"}}).Code == http.StatusOK {
			more++
		}
	}
	if more > 4 {
		t.Errorf("%d of 200 posts accepted a minute later, want at most 4", more)
	}
	got, err := a.DB.FindSurveyRound(context.Background(), big.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := 40 + 1 + 40 + 1 + more; got.Responses != want {
		t.Errorf("the round counts %d answers, want %d", got.Responses, want)
	}
	wantBodyString(t, "round page", roundPage(t, a, big, now), strconv.Itoa(2+1+200-more)+" keer geweigerd omdat er te veel antwoorden kort na elkaar van hetzelfde netwerk kwamen")
}

// A round takes at most half again its expected number of answers, and
// five more; then its link refuses every answer, a learner's second one
// included (else a refusal would tell which numbers answered before).
func TestSurveyBoundPerRound(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	r := openRoundOnPage(t, a, url.Values{"expected": {"4"}, "ask_learner": {"1"}})
	// 4 expected: at most 4 + 2 + 5 = 11. Two phones open the form early and
	// send it once the round is full.
	late, later := a.PhoneAt("192.0.2.12"), a.PhoneAt("192.0.2.13")
	lateFT, laterFT := servertest.SurveyForm(t, late, r), servertest.SurveyForm(t, later, r)
	servertest.WantStatus(t, "named", a.PhoneAt("192.0.2.1").Answer(t, r, url.Values{"learner": {"L-AERTS"}, "wellbeing": {"4"}}), http.StatusOK)
	for i := 2; i <= 11; i++ {
		rec := a.PhoneAt("192.0.2."+strconv.Itoa(i)).Answer(t, r, url.Values{"wellbeing": {"4"}})
		servertest.WantStatus(t, "answer "+strconv.Itoa(i), rec, http.StatusOK)
	}
	rec := late.Post("/s/"+r.Token, url.Values{"ft": {lateFT}, "wellbeing": {"4"}})
	servertest.WantStatus(t, "12th", rec, http.StatusConflict)
	servertest.WantBody(t, "12th", rec, "Deze bevraging heeft al alle antwoorden die ze kan ontvangen.")
	again := later.Post("/s/"+r.Token, url.Values{"ft": {laterFT}, "learner": {"L-AERTS"}, "wellbeing": {"1"}})
	if again.Code != rec.Code || again.Body.String() != rec.Body.String() {
		t.Errorf("a full round answers a learner's second answer with %d, a new one with %d", again.Code, rec.Code)
	}
	if n := len(servertest.Responses(t, a)); n != 11 {
		t.Errorf("%d responses stored, want 11", n)
	}
	// The link of a full round says so before anyone fills in the form.
	page := a.PhoneAt("192.0.2.14").Get("/s/" + r.Token)
	servertest.WantStatus(t, "full round's page", page, http.StatusConflict)
	servertest.WantBody(t, "full round's page", page, "Deze bevraging heeft al alle antwoorden die ze kan ontvangen.")
	wantBodyString(t, "round page", roundPage(t, a, r, servertest.Now), `<dd>4</dd>`, `<dd>11</dd>`,
		"2 antwoorden geweigerd omdat de ronde vol was")
	// The coordinator's form checks the number.
	k := a.As("coordinator")
	for _, bad := range []string{"0", "-3", "veel", "100000"} {
		rec := k.Post("/surveys", url.Values{"provider": {"P1"}, "respondent": {"learner"}, "closes": {"2026-03-31"}, "expected": {bad}})
		servertest.WantStatus(t, "expected "+bad, rec, http.StatusUnprocessableEntity)
		servertest.WantBody(t, "expected "+bad, rec, "Geef een aantal van 1 tot 5000.")
	}
}

// A form token works only in the browser that was served the form: tokens
// fetched in bulk by one client cannot be handed to others to post.
func TestSurveyFormTokenStaysInItsBrowser(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	r := servertest.OpenRound(t, a, "2026-03-31", servertest.Now)
	harvester := a.PhoneAt("192.0.2.30")
	ft := servertest.SurveyForm(t, harvester, r)
	for name, other := range map[string]*servertest.Phone{"no cookie": a.PhoneAt("192.0.2.31"), "another browser's cookie": func() *servertest.Phone {
		p := a.PhoneAt("192.0.2.32")
		servertest.SurveyForm(t, p, r)
		return p
	}()} {
		rec := other.Post("/s/"+r.Token, url.Values{"ft": {ft}, "wellbeing": {"4"}})
		servertest.WantStatus(t, name, rec, http.StatusForbidden)
	}
	if n := len(servertest.Responses(t, a)); n != 0 {
		t.Errorf("%d responses stored, want none", n)
	}
	servertest.WantStatus(t, "its own browser", harvester.Post("/s/"+r.Token, url.Values{"ft": {ft}, "wellbeing": {"4"}}), http.StatusOK)
}

var formTokenRE = regexp.MustCompile(`name="ft" value="([^"]+)"`)

var qrSrcRE = regexp.MustCompile(`<img src="(data:image/png;base64,[^"]+)"`)

// The link and QR code of a round are built from the configured public
// address, whatever Host the request names; without one, the page shows
// neither and says what to configure.
func TestSurveyLinkUsesPublicURL(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	r := servertest.OpenRound(t, a, "2026-03-31", servertest.Now)
	get := func() string {
		k := a.As("coordinator")
		req := httptest.NewRequest(http.MethodGet, "/surveys/"+r.ID, nil)
		req.Host = "evil.example"
		rec := k.Do(req)
		servertest.WantStatus(t, "round page", rec, http.StatusOK)
		return rec.Body.String()
	}
	page := get()
	if strings.Contains(page, "evil.example") || strings.Contains(page, "data:image/png") {
		t.Errorf("without a public address the page shows a link or QR code from the Host header")
	}
	wantBodyString(t, "no public address", page, "--public-url")

	a.ServeWith(func(cfg *server.Config) { cfg.PublicURL = "https://traject.example.org" })
	page = get()
	link := "https://traject.example.org/s/" + r.Token
	png, err := qrcode.Encode(link, qrcode.Medium, 320)
	if err != nil {
		t.Fatal(err)
	}
	wantBodyString(t, "public address", page, `href="`+link+`"`)
	m := qrSrcRE.FindStringSubmatch(page)
	if want := "data:image/png;base64," + base64.StdEncoding.EncodeToString(png); m == nil || html.UnescapeString(m[1]) != want {
		t.Errorf("the QR code does not encode %s", link)
	}
	if strings.Contains(page, "evil.example") {
		t.Errorf("the page names the request's Host")
	}
}

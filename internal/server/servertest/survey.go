package servertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
)

// OpenRound opens a round of P1 for learners, asking for the learner
// number, closing on closes, as the store would at opened.
func OpenRound(t *testing.T, a *App, closes string, opened time.Time) *store.SurveyRound {
	t.Helper()
	r, err := a.DB.OpenSurveyRound(context.Background(), "k1", store.SurveyRound{Provider: "P1", Respondent: "learner",
		AskLearner: true, Closes: domain.MustDate(closes)}, opened)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var formTokenRE = regexp.MustCompile(`name="ft" value="([^"]+)"`)

// SurveyForm fetches the questionnaire of r in browser p and returns its
// form token.
func SurveyForm(t *testing.T, p *Phone, r *store.SurveyRound) string {
	t.Helper()
	rec := p.Get("/s/" + r.Token)
	WantStatus(t, "survey page", rec, http.StatusOK)
	m := formTokenRE.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatal("survey page has no form token")
	}
	return m[1]
}

// Responses are the stored survey responses.
func Responses(t *testing.T, a *App) []domain.SurveyResponse {
	t.Helper()
	ds, err := a.DB.LoadDataSet(context.Background(), "survey_responses")
	if err != nil {
		t.Fatal(err)
	}
	return ds.SurveyResponses
}

// Phone is a browser that opens a round's link: no account, a client
// address of its own, and the cookies the survey page sets.
type Phone struct {
	A       *App
	Addr    string // the peer address, host:port
	Cookies map[string]*http.Cookie
}

// PhoneAt is a new browser at client address ip.
func (a *App) PhoneAt(ip string) *Phone {
	return &Phone{A: a, Addr: NetJoin(ip), Cookies: map[string]*http.Cookie{}}
}

// NetJoin is ip with a port, as a peer address.
func NetJoin(ip string) string {
	if strings.Contains(ip, ":") {
		return "[" + ip + "]:40000"
	}
	return ip + ":40000"
}

// Do sends req from the phone's address with its cookies, and keeps the
// cookies the answer sets.
func (p *Phone) Do(req *http.Request) *httptest.ResponseRecorder {
	req.RemoteAddr = p.Addr
	for _, c := range p.Cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	p.A.Srv.Handler().ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(p.Cookies, c.Name)
		} else {
			p.Cookies[c.Name] = &http.Cookie{Name: c.Name, Value: c.Value}
		}
	}
	return rec
}

// Get asks for path.
func (p *Phone) Get(path string) *httptest.ResponseRecorder {
	return p.Do(httptest.NewRequest(http.MethodGet, path, nil))
}

// Post sends form as it is (the survey form carries its own token).
func (p *Phone) Post(path string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return p.Do(req)
}

// Answer opens r's questionnaire and sends it with values.
func (p *Phone) Answer(t *testing.T, r *store.SurveyRound, values url.Values) *httptest.ResponseRecorder {
	t.Helper()
	form := url.Values{"ft": {SurveyForm(t, p, r)}}
	for k, v := range values {
		form[k] = v
	}
	return p.Post("/s/"+r.Token, form)
}

package ui

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// The coordinator's survey rounds (/surveys): open a round for a provider
// and a kind of respondent, show its link and QR code in class, see how many
// answered, close it. The questionnaire itself is public (package public).

// surveysView is the list of rounds with the form to open one.
type surveysView struct {
	Rounds      []store.SurveyRound
	Today       string
	Providers   []domain.Provider // those the user may open a round for
	Respondents []string
	Groups      []store.SurveyGroup // the running groups of Providers, for the form's list
	Form        roundForm
	Errors      map[string]string
}

// roundForm is the form that opens a round, as typed.
type roundForm struct {
	Provider, Respondent, Group, Closes, Expected string
	AskLearner                                    bool
}

// surveyRoundView is one round's page.
type surveyRoundView struct {
	Round  store.SurveyRound
	Link   string       // the public link; "" when no public address is configured
	QR     template.URL // a data: URL of the link's QR code (PNG)
	IsOpen bool
	Notes  []string // what was replaced or refused, in the page's language
	// Languages are the languages of the questions, each named in itself,
	// for the printed instructions.
	Languages string
	// Unconfirmed: "close" was sent without its confirmation ticked.
	Unconfirmed bool
}

// manageableProviders are the providers u may open rounds for: an admin's
// all, a coordinator's own.
func (s *Handler) manageableProviders(c *gin.Context, u *domain.User) ([]domain.Provider, error) {
	all, err := s.DB.ListProviders(c.Request.Context())
	if err != nil {
		return nil, err
	}
	var out []domain.Provider
	for _, p := range all {
		if auth.CanManageSurveys(u, p.Code) {
			out = append(out, p)
		}
	}
	return out, nil
}

// surveys lists the rounds of the user's providers.
func (s *Handler) surveys(c *gin.Context) {
	v, err := s.newSurveysView(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "surveys", "", v)
}

func (s *Handler) newSurveysView(c *gin.Context) (*surveysView, error) {
	u := core.CurrentUser(c)
	var scope []string // nil: every provider
	if u.Role != domain.RoleAdmin {
		scope = append([]string{}, u.Providers...)
	}
	rounds, err := s.DB.FindSurveyRounds(c.Request.Context(), scope)
	if err != nil {
		return nil, err
	}
	providers, err := s.manageableProviders(c, u)
	if err != nil {
		return nil, err
	}
	today := domain.DateOf(s.Now())
	v := &surveysView{Rounds: rounds, Today: today.String(), Providers: providers, Respondents: domain.RespondentKinds.Codes,
		Form:   roundForm{Respondent: "learner", Closes: today.AddDays(14).String()},
		Errors: map[string]string{}}
	groups, err := s.DB.SurveyGroups(c.Request.Context(), today)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if slices.ContainsFunc(providers, func(p domain.Provider) bool { return p.Code == g.Provider }) {
			v.Groups = append(v.Groups, g)
		}
	}
	if len(providers) == 1 {
		v.Form.Provider = providers[0].Code
	}
	return v, nil
}

// openRound opens a round from the form and shows it.
func (s *Handler) openRound(c *gin.Context) {
	u := core.CurrentUser(c)
	lang := core.Lang(c)
	f := roundForm{Provider: c.PostForm("provider"), Respondent: c.PostForm("respondent"), Closes: c.PostForm("closes"),
		Group: strings.TrimSpace(c.PostForm("group")), Expected: strings.TrimSpace(c.PostForm("expected")), AskLearner: c.PostForm("ask_learner") != ""}
	if !auth.CanManageSurveys(u, f.Provider) && f.Provider != "" {
		s.Fail(c, auth.Forbidden(auth.ManageSurveys))
		return
	}
	errs := map[string]string{}
	if f.Provider == "" {
		errs["provider"] = locale.T(lang, "v.required")
	}
	if !domain.RespondentKinds.Has(f.Respondent) {
		errs["respondent"] = locale.T(lang, "v.required")
	}
	closes, err := domain.ParseDate(f.Closes)
	switch {
	case f.Closes == "":
		errs["closes"] = locale.T(lang, "v.required")
	case err != nil:
		errs["closes"] = locale.T(lang, "v.date", f.Closes)
	case closes < domain.DateOf(s.Now()):
		errs["closes"] = locale.T(lang, "surveys.closes.past")
	}
	if f.AskLearner && f.Respondent != "learner" {
		errs["ask_learner"] = locale.T(lang, "surveys.ask.learners")
	}
	if f.Group != "" && f.Respondent != "learner" {
		errs["group"] = locale.T(lang, "surveys.group.learners")
	}
	expected, ok := parseExpected(f.Expected)
	if !ok {
		errs["expected"] = locale.T(lang, "surveys.expected.invalid", store.MaxSurveyExpected)
	}
	if len(errs) == 0 {
		r, err := s.DB.OpenSurveyRound(c.Request.Context(), u.Username, store.SurveyRound{Provider: f.Provider,
			Respondent: f.Respondent, Group: f.Group, Closes: closes, AskLearner: f.AskLearner, Expected: expected}, s.Now())
		switch {
		case err == nil:
			c.Redirect(http.StatusSeeOther, "/surveys/"+url.PathEscape(r.ID))
			return
		case errors.Is(err, store.ErrSurveyGroupProvider), errors.Is(err, store.ErrSurveyGroupLearners):
			errs["group"] = domain.MessageIn(err, lang)
		case domain.ErrorCode(err) == domain.EINVALID:
			errs["provider"] = err.Error()
		default:
			s.Fail(c, err)
			return
		}
	}
	v, err := s.newSurveysView(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v.Form, v.Errors = f, errs
	s.Render(c, http.StatusUnprocessableEntity, "surveys", "", v)
}

// parseExpected reads the expected number of answers as typed: blank is
// 0, the store's default (the group's learners, else
// store.DefaultSurveyExpected), else a whole number from 1 to
// store.MaxSurveyExpected.
func parseExpected(v string) (int, bool) {
	if v == "" {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > store.MaxSurveyExpected {
		return 0, false
	}
	return n, true
}

// loadRound reads the round of the route and checks that the user may
// manage it.
func (s *Handler) loadRound(c *gin.Context) (*store.SurveyRound, error) {
	r, err := s.DB.FindSurveyRound(c.Request.Context(), c.Param("id"))
	if err != nil {
		return nil, core.ForbiddenOrNotFound(c, err)
	}
	if !auth.CanManageSurveys(core.CurrentUser(c), r.Provider) {
		return nil, auth.Forbidden(auth.ManageSurveys)
	}
	return r, nil
}

// surveyRound shows a round: its link, the QR code of the link, the count
// of answers with what was replaced or refused, and the button that closes
// it.
func (s *Handler) surveyRound(c *gin.Context) {
	r, err := s.loadRound(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v, err := s.newRoundView(c, r, 320)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "survey_round", "", v)
}

// newRoundView is the view of round r with its link and a QR code of px
// pixels. The link is built from the configured public address only: the
// request's Host is the client's to choose, and a QR code on a projector
// must not send a class elsewhere (issue 18). Without one, the page says
// what to configure rather than guess.
func (s *Handler) newRoundView(c *gin.Context, r *store.SurveyRound, px int) (*surveyRoundView, error) {
	v := &surveyRoundView{Round: *r, IsOpen: r.Open(domain.DateOf(s.Now())), Notes: roundNotes(core.Lang(c), r),
		Unconfirmed: c.Query("close") == "unconfirmed"}
	var names []string
	for _, l := range locale.Languages {
		if l != locale.Default && locale.Defined(l, "survey.title") {
			names = append(names, locale.T(l, "language.name"))
		}
	}
	v.Languages = strings.Join(names, ", ")
	if s.PublicURL != "" {
		v.Link = s.PublicURL + "/s/" + r.Token
		png, err := qrcode.Encode(v.Link, qrcode.Medium, px)
		if err != nil {
			return nil, err
		}
		v.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	}
	return v, nil
}

// roundQR is the round's code for a projector: the page holds the code as
// large as the screen allows, the link beneath it, and nothing else.
func (s *Handler) roundQR(c *gin.Context) {
	s.roundSheet(c, "survey_qr", 720)
}

// roundPrint is the round's code on an A4 sheet for the classroom wall or
// the learners' tables: the code, the link, and in plain Dutch how to
// answer.
func (s *Handler) roundPrint(c *gin.Context) {
	s.roundSheet(c, "survey_print", 600)
}

// roundSheet renders page with round's code of px pixels; a closed round
// has no code to show, and says so.
func (s *Handler) roundSheet(c *gin.Context, page string, px int) {
	r, err := s.loadRound(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v, err := s.newRoundView(c, r, px)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, page, "", v)
}

// roundNotes are the lines of the round's page on answers replaced, kept
// anonymous and refused, each shown only when there are any.
func roundNotes(lang string, r *store.SurveyRound) []string {
	var out []string
	for _, n := range []struct {
		key   string
		count int
		args  []any
	}{
		{"surveys.note.replaced", r.Replaced, nil},
		{"surveys.note.unknown", r.Unknown, nil},
		{"surveys.note.full", r.RefusedFull, []any{r.Limit()}},
		{"surveys.note.busy", r.RefusedBusy, nil},
	} {
		if n.count == 0 {
			continue
		}
		out = append(out, locale.T(lang, n.key, append([]any{n.count}, n.args...)...)) // a plural: the count picks the form
	}
	return out
}

// closeRound closes a round once the form's confirmation is ticked: its
// link then answers that the survey is closed, for good. Without it the
// page asks again.
func (s *Handler) closeRound(c *gin.Context) {
	r, err := s.loadRound(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if c.PostForm("confirm") != "1" {
		c.Redirect(http.StatusSeeOther, "/surveys/"+url.PathEscape(r.ID)+"?close=unconfirmed#close")
		return
	}
	if err := s.DB.CloseSurveyRound(c.Request.Context(), core.CurrentUser(c).Username, r.ID, s.Now()); err != nil {
		s.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/surveys/"+url.PathEscape(r.ID))
}

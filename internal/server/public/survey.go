package public

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// The survey page (bevraging): anyone with a round's link answers a short
// questionnaire, without an account. What protects it:
//
//   - the link's token is 24 random bytes: a round cannot be guessed;
//   - the form carries a token of its own, an HMAC under a server secret
//     (settings) of the round, the browser's survey cookie, the time the
//     page was served and a random nonce: a post without a page of this
//     round is refused (forgery), a page older than formTTL too, a token
//     sent from another browser than the one it was served to too (tokens
//     fetched in bulk cannot be handed to other browsers or other
//     addresses to post), and each nonce is spent once, in the transaction
//     that stores the answer (replay);
//   - answers are bounded per client network and round
//     (auth.SurveyRatePerNetwork, in the database-backed buckets of the
//     login limiter, so that several processes count together), per round
//     (store.SurveyRound.Limit) and in size (http.MaxBytesReader); a
//     learner's later answer replaces the earlier (store);
//   - whatever learner number is typed, the page answers the same;
//   - the page shows the provider's name and nothing else of its data.

// surveySecretKey names the secret of the form tokens in settings.
const surveySecretKey = "survey_form_secret"

// formTTL is how long a served questionnaire may be sent.
const formTTL = 4 * time.Hour

// maxSurveyBody bounds a posted questionnaire, in bytes: the comment
// (domain.MaxSurveyPageCommentLength characters) in the widest script (4
// bytes a character, percent-encoded) and the rest.
const maxSurveyBody = 16 << 10

// surveyCookie names the cookie that binds a browser's form tokens to it:
// HttpOnly, SameSite=Strict, sent to the survey pages only. It holds a
// random value and nothing about who answers.
const surveyCookie = "traject_survey"

// surveyView is the survey page.
type surveyView struct {
	Provider   string
	Group      string // the group the round is for, "" for the whole provider
	Respondent string
	Token      string // the link's token, for the form's action
	Lang       string // the language of the questions
	Dir        string // the language file's language.dir: "rtl" for Arabic
	Langs      []langLink
	Text       map[string]string // the questions' texts in Lang
	Questions  []question
	AskLearner bool
	Partner    bool
	Partners   []partnerOption
	FormToken  string
	MaxComment int // the longest comment (domain.MaxSurveyPageCommentLength)
	MaxLearner int // the longest learner number (domain.MaxLength)

	Values map[string]string
	Errors map[string]string
	Error  string // a message for the whole form

	State string // "form", "done", "closed", "used", "full"
}

type langLink struct {
	Code, Label string
	Current     bool
}

type partnerOption struct {
	Code, Label string
	Selected    bool
}

// question is one five-face question of the form.
type question struct {
	Name   string // wellbeing, involvement, satisfaction
	Text   string
	Icon   string // which inline SVG
	Faces  []face
	Errors string
}

// face is one point of the five-face scale.
type face struct {
	Value   int
	Label   string
	Checked bool
}

// formToken makes the form token of round for the browser whose survey
// cookie holds client, issued at now: nonce, issue time, round and client
// under the HMAC of secret.
func formToken(secret []byte, round, client string, now time.Time) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	body := base64.RawURLEncoding.EncodeToString(b) + "." + strconv.FormatInt(now.Unix(), 10)
	return body + "." + tokenMAC(secret, round, client, body), nil
}

func tokenMAC(secret []byte, round, client, body string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(round + "\x00" + client + "\x00" + body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkFormToken returns the nonce of a form token of round, served to the
// browser whose survey cookie holds client, that is authentic and not older
// than formTTL at now; ok is false otherwise.
func checkFormToken(secret []byte, round, client, token string, now time.Time) (nonce string, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || client == "" {
		return "", false
	}
	body := parts[0] + "." + parts[1]
	if !hmac.Equal([]byte(parts[2]), []byte(tokenMAC(secret, round, client, body))) {
		return "", false
	}
	issued, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return "", false
	}
	at := time.Unix(issued, 0)
	if at.After(now.Add(time.Minute)) || now.Sub(at) > formTTL {
		return "", false
	}
	return parts[0], true
}

// surveyPage shows a round's questionnaire, or that the round is closed or
// full (then nobody fills in a form that will be refused).
func (h *Handler) surveyPage(c *gin.Context) {
	r, ok := h.findRound(c)
	if !ok {
		return
	}
	v, err := h.newSurveyView(c, r)
	if err != nil {
		h.Fail(c, err)
		return
	}
	if r.Responses >= r.Limit() {
		h.renderSurvey(c, http.StatusConflict, &surveyView{State: "full", Provider: r.ProviderName, Lang: v.Lang, Dir: v.Dir, Text: v.Text})
		return
	}
	h.renderSurvey(c, http.StatusOK, v)
}

// findRound reads the round of the link, answering 404 for an unknown link
// and 410 for a closed round; ok is false when it answered.
func (h *Handler) findRound(c *gin.Context) (*store.SurveyRound, bool) {
	r, err := h.DB.FindSurveyRoundByToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.Fail(c, err)
		return nil, false
	}
	if !r.Open(domain.DateOf(h.Now())) {
		lang := c.Query("taal")
		if !contains(surveyLangs, lang) {
			lang = core.Lang(c)
		}
		v := &surveyView{State: "closed", Provider: r.ProviderName, Lang: lang, Dir: surveyDir(lang), Text: surveyTexts(lang)}
		h.renderSurvey(c, http.StatusGone, v)
		return nil, false
	}
	return r, true
}

// surveyClient returns the value of the browser's survey cookie, first
// setting a new one when the request has none that could be ours.
func (h *Handler) surveyClient(c *gin.Context) string {
	if v, err := c.Cookie(surveyCookie); err == nil && len(v) == 43 {
		return v
	}
	v, _ := auth.NewToken()
	http.SetCookie(c.Writer, &http.Cookie{Name: surveyCookie, Value: v, Path: "/s/", MaxAge: int(formTTL / time.Second),
		HttpOnly: true, Secure: h.Secure, SameSite: http.SameSiteStrictMode})
	return v
}

// newSurveyView builds an empty questionnaire of r with a fresh form token
// for the request's browser.
func (h *Handler) newSurveyView(c *gin.Context, r *store.SurveyRound) (*surveyView, error) {
	secret, err := h.DB.EnsureSecret(c.Request.Context(), surveySecretKey)
	if err != nil {
		return nil, err
	}
	tok, err := formToken(secret, r.ID, h.surveyClient(c), h.Now())
	if err != nil {
		return nil, err
	}
	lang := c.Query("taal")
	if !contains(surveyLangs, lang) {
		lang = core.Lang(c)
	}
	v := &surveyView{Provider: r.ProviderName, Group: r.Group, Respondent: r.Respondent, Token: r.Token, Lang: lang, Dir: surveyDir(lang),
		AskLearner: r.AskLearner && r.Respondent == "learner", Partner: r.Respondent == "partner", FormToken: tok,
		MaxComment: domain.MaxSurveyPageCommentLength, MaxLearner: domain.MaxLength("learner"), Values: map[string]string{}, Errors: map[string]string{}, State: "form"}
	v.Text = surveyTexts(lang)
	for _, l := range surveyLangs {
		v.Langs = append(v.Langs, langLink{Code: l, Label: locale.T(l, "language.name"), Current: l == lang})
	}
	for _, name := range domain.SurveyScores[r.Respondent] {
		q := question{Name: name, Text: v.Text["q."+r.Respondent+"."+name], Icon: name}
		for k := 1; k <= int(domain.MaxScore); k++ {
			q.Faces = append(q.Faces, face{Value: k, Label: locale.T(lang, answerKey(r.Respondent, name, k))})
		}
		v.Questions = append(v.Questions, q)
	}
	if v.Partner {
		for _, code := range domain.PartnerTypes.Codes {
			v.Partners = append(v.Partners, partnerOption{Code: code, Label: locale.Code(lang, domain.PartnerTypes.Name, code)})
		}
	}
	return v, nil
}

// submitSurvey stores one answer of a round's questionnaire.
func (h *Handler) submitSurvey(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxSurveyBody)
	if err := c.Request.ParseForm(); err != nil {
		h.Render(c, http.StatusRequestEntityTooLarge, "error", "", errorView(http.StatusRequestEntityTooLarge, "surveyerr.toolarge"))
		return
	}
	if err := core.FormText(c.Request); err != nil {
		h.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	r, found := h.findRound(c)
	if !found {
		return
	}
	secret, err := h.DB.EnsureSecret(ctx, surveySecretKey)
	if err != nil {
		h.Fail(c, err)
		return
	}
	client, _ := c.Cookie(surveyCookie)
	nonce, valid := checkFormToken(secret, r.ID, client, c.PostForm("ft"), h.Now())
	if !valid {
		h.Render(c, http.StatusForbidden, "error", "", errorView(http.StatusForbidden, "surveyerr.forged"))
		return
	}
	v, err := h.newSurveyView(c, r)
	if err != nil {
		h.Fail(c, err)
		return
	}
	resp := v.read(c)
	v.check(resp, r, domain.DateOf(h.Now()))
	// Only a post with a valid token of this round's page takes from the
	// network's bucket; a refused one keeps its form and its token, to be
	// sent again in a minute.
	ok, err := h.DB.TakeSurveyToken(ctx, r.ID, auth.Network(c.ClientIP()), auth.SurveyRatePerNetwork, h.Now())
	if err != nil {
		h.Fail(c, err)
		return
	}
	if !ok {
		v.FormToken, v.Error = c.PostForm("ft"), v.Text["busy"]
		h.renderSurvey(c, http.StatusTooManyRequests, v)
		return
	}
	if v.invalid() {
		h.renderSurvey(c, http.StatusUnprocessableEntity, v)
		return
	}
	_, err = h.DB.SubmitSurveyResponse(ctx, r.ID, nonce, resp, h.Now())
	end := func(status int, state string) {
		h.renderSurvey(c, status, &surveyView{State: state, Provider: r.ProviderName, Lang: v.Lang, Dir: v.Dir, Text: v.Text})
	}
	switch {
	case err == nil:
		end(http.StatusOK, "done")
	case errors.Is(err, store.ErrSurveyRoundFull):
		end(http.StatusConflict, "full")
	case domain.ErrorCode(err) == domain.ECONFLICT:
		// Closed meanwhile, or this form was sent before.
		if now, err := h.DB.FindSurveyRound(ctx, r.ID); err == nil && !now.Open(domain.DateOf(h.Now())) {
			end(http.StatusGone, "closed")
			return
		}
		end(http.StatusConflict, "used")
	default:
		h.Fail(c, err)
	}
}

// read fills v from the posted form, in the language it was filled in,
// with a message at each field that needs one, and returns the answer.
func (v *surveyView) read(c *gin.Context) domain.SurveyResponse {
	if l := c.PostForm("taal"); contains(surveyLangs, l) {
		v.Lang, v.Text, v.Dir = l, surveyTexts(l), surveyDir(l)
	}
	resp := domain.SurveyResponse{}
	for i := range v.Questions {
		q := &v.Questions[i]
		raw := strings.TrimSpace(c.PostForm(q.Name))
		v.Values[q.Name] = raw
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			q.Errors = v.Text["v.face"]
			continue
		}
		for j := range q.Faces {
			q.Faces[j].Checked = q.Faces[j].Value == n
		}
		switch q.Name {
		case "wellbeing":
			resp.Wellbeing = domain.Score(n)
		case "involvement":
			resp.Involvement = domain.Score(n)
		case "satisfaction":
			resp.Satisfaction = domain.Score(n)
		}
	}
	resp.Comment = strings.TrimSpace(c.PostForm("comment"))
	v.Values["comment"] = resp.Comment
	if v.AskLearner {
		resp.Learner = strings.TrimSpace(c.PostForm("learner"))
		v.Values["learner"] = resp.Learner
	}
	if v.Partner {
		resp.PartnerType = c.PostForm("partner_type")
		for i := range v.Partners {
			v.Partners[i].Selected = v.Partners[i].Code == resp.PartnerType
		}
	}
	return resp
}

// check asks domain's check of resp as the store will keep it, an answer
// to round r on day today (domain.CheckSurveyPageAnswer, which the store
// asks again), and puts each broken rule beside its question or field.
// The page speaks languages the catalogue does not, so each field has its
// one text in the page's language (survey_text.go), chosen by the rule's
// field; what no field of the page holds (the round's provider and kind)
// the store refuses.
func (v *surveyView) check(resp domain.SurveyResponse, r *store.SurveyRound, today domain.Date) {
	resp.ID, resp.Provider, resp.Respondent, resp.Date = "WEB", r.Provider, r.Respondent, today
	for _, fe := range domain.CheckSurveyPageAnswer(&resp) {
		switch fe.Field {
		case "comment":
			v.Errors["comment"] = locale.T(v.Lang, "survey.v.comment", v.MaxComment)
		case "learner":
			v.Errors["learner"] = v.Text["v.learner"]
		case "partner_type":
			v.Errors["partner_type"] = v.Text["v.partner"]
		case "wellbeing", "involvement", "satisfaction":
			if fe.Text.Key == "rule.onescore" {
				v.Error = v.Text["v.noscore"]
				continue
			}
			for i := range v.Questions {
				if v.Questions[i].Name == fe.Field && v.Questions[i].Errors == "" {
					v.Questions[i].Errors = v.Text["v.face"]
				}
			}
		}
	}
}

// invalid reports whether read found anything to correct.
func (v *surveyView) invalid() bool {
	bad := v.Error != "" || len(v.Errors) > 0
	for _, q := range v.Questions {
		bad = bad || q.Errors != ""
	}
	return bad
}

// errorPage is the data of the shared error page (templates/error.html).
type errorPage struct {
	Status           int
	Heading, Message string
}

func errorView(status int, message string) errorPage {
	return errorPage{Status: status, Heading: "surveyerr.refused", Message: message}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// For is the line that names the provider (and the group), in the page's
// language.
func (v *surveyView) For() string {
	if v.Group != "" {
		return locale.T(v.Lang, "survey.for.group", v.Provider, v.Group)
	}
	return locale.T(v.Lang, "survey.for", v.Provider)
}

// LearnerWhy says in plain words what giving the learner number means:
// who can then see the answer, and what happens without it. It says what
// the code does: a named answer is in the learner's file, where only the
// provider's coordinators and the administrators see it (auth.CanSeeResponse:
// the learner's teacher and counsellor do not), its comment in none of the
// pages but only in the learner's own copy of their data; a later answer
// under the same number replaces the earlier (store.SubmitSurveyResponse);
// without a number, or with one of no learner of the provider, the answer
// is anonymous.
func (v *surveyView) LearnerWhy() string { return locale.T(v.Lang, "survey.learner.why", v.Provider) }

// CommentHint says how long the comment may be.
func (v *surveyView) CommentHint() string {
	return locale.T(v.Lang, "survey.comment.hint", v.MaxComment)
}

// Mouth is the SVG path of the face's mouth: from a frown (1) to a wide
// smile (5).
func (f face) Mouth() string {
	return [...]string{"", "M8 17.5 Q12 12.5 16 17.5", "M8.5 16.5 Q12 14.5 15.5 16.5", "M8.5 15.5 L15.5 15.5",
		"M8.5 14.5 Q12 17 15.5 14.5", "M7.5 14 Q12 20 16.5 14"}[f.Value]
}

// renderSurvey renders the survey page v: its language links are the
// page's one language choice (core.SetPageLanguage), so the header shows no
// selector of its own, and the page's frame follows v's language where the
// interface has it.
func (h *Handler) renderSurvey(c *gin.Context, status int, v *surveyView) {
	core.SetPageLanguage(c, v.Lang)
	h.Render(c, status, "survey", "", v)
}

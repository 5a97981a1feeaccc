package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// The observation form of the group page: wellbeing and involvement of the
// whole group on one date (spec/domain.md, "observation"; the framework's
// welbevinden en betrokkenheid), two five-point scales per learner.

// observationScales are the two scales of the form, in column order; each
// is the field suffix and the catalogue prefix of its descriptions.
var observationScales = []string{"wellbeing", "involvement"}

// observationView is the observation form.
type observationView struct {
	Date    string
	Today   string
	Rows    []obsRow
	Saved   int
	Done    bool
	Invalid int
	DateErr string // a message on the date field
	Error   string // a message on the whole form (already translated)

	Disabled bool // the user may see but not write the form
	Key      []obsKey
}

// obsRow is one learner's row of the observation form.
type obsRow struct {
	Index       int
	Learner     string
	Name        string
	Status      string
	Scores      [2]string // as typed, per observationScales: "" or "1" … "5"
	Errors      map[string]string
	LearnerURL  string // worked out by prepare
	StatusLabel string
	LastText    string
	LastTitle   string
}

// obsKey is one point of the scales as the form's key prints it.
type obsKey struct {
	Score                  int
	Label                  string // "zeer laag"
	Wellbeing, Involvement string // the descriptions
}

// storedObservations is the form dated date, a row per learner on the
// roster with the scores stored for that date in the group (none yet: an
// empty row), so that after saving the form shows what was saved.
func (s *Handler) storedObservations(gf *store.GroupFile, obs []domain.Observation, date domain.Date) observationView {
	ov := observationView{Date: date.String(), Today: domain.DateOf(s.Now().In(domain.Zone)).String()}
	on := map[string]domain.Observation{}
	for _, o := range obs {
		if o.Date == date && o.Group == gf.Group.Code {
			on[o.Learner] = o
		}
	}
	score := func(s domain.Score) string {
		if s == 0 {
			return ""
		}
		return strconv.Itoa(int(s))
	}
	for i, r := range gf.Roster {
		row := obsRow{Index: i, Learner: r.Enrollment.Learner, Name: r.FirstName + " " + r.LastName, Status: r.Enrollment.Status}
		if o, ok := on[row.Learner]; ok {
			row.Scores = [2]string{score(o.Wellbeing), score(o.Involvement)}
		}
		ov.Rows = append(ov.Rows, row)
	}
	return ov
}

// prepare works out the labels the form prints.
func (ov *observationView) prepare(lang string, v *groupView) {
	ov.Disabled = !v.CanObserve
	ov.Key = ov.Key[:0]
	for k := 1; k <= int(domain.MaxScore); k++ {
		n := strconv.Itoa(k)
		ov.Key = append(ov.Key, obsKey{Score: k, Label: locale.T(lang, "score."+n),
			Wellbeing: locale.T(lang, "obs.wellbeing."+n), Involvement: locale.T(lang, "obs.involvement."+n)})
	}
	for i := range ov.Rows {
		r := &ov.Rows[i]
		r.LearnerURL = "/learners/" + url.PathEscape(r.Learner)
		r.StatusLabel = locale.Code(lang, "enrollment status", r.Status)
		r.LastText, r.LastTitle = lastObservation(lang, v.Last, r.Learner)
	}
}

// lastObservation describes a learner's latest observation: a short text
// and a longer title.
func lastObservation(lang string, last map[string]domain.Observation, learner string) (string, string) {
	o, ok := last[learner]
	if !ok {
		return locale.T(lang, "obs.never"), ""
	}
	score := func(s domain.Score) string {
		if s == 0 {
			return "–"
		}
		return strconv.Itoa(int(s))
	}
	label := func(s domain.Score) string {
		if s == 0 {
			return locale.T(lang, "obs.none")
		}
		return locale.T(lang, "score."+strconv.Itoa(int(s)))
	}
	return locale.T(lang, "obs.last", score(o.Wellbeing), score(o.Involvement), o.Date.String()),
		locale.T(lang, "obs.last.title", o.Date.String(), label(o.Wellbeing), label(o.Involvement))
}

// saveObservations checks the observation form and stores every scored row
// in one transaction, or none: on any error the form comes back with the
// user's input and a message beside each wrong field.
func (s *Handler) saveObservations(c *gin.Context) {
	gf, err := s.loadGroup(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v, err := s.newGroupView(c, gf, "module_end")
	if err != nil {
		s.Fail(c, err)
		return
	}
	if !v.CanObserve {
		s.Fail(c, auth.Forbidden(auth.WriteObservation))
		return
	}
	form, obs := s.parseObservations(c, gf)
	if form.Invalid > 0 || form.DateErr != "" || form.Error != "" {
		v.Obs = form
		s.renderGroup(c, http.StatusUnprocessableEntity, "observations", v)
		return
	}
	n, err := s.DB.SaveObservations(c.Request.Context(), core.CurrentUser(c).Username, gf.Group.Code, obs, s.Now())
	if code := domain.ErrorCode(err); code == domain.EINVALID {
		// The rules were checked above; what is left is a change of the
		// roster meanwhile. Keep the input and say so.
		form.Error = locale.T(core.Lang(c), "obs.conflict")
		v.Obs = form
		s.renderGroup(c, http.StatusUnprocessableEntity, "observations", v)
		return
	} else if err != nil {
		s.Fail(c, err)
		return
	}
	date := form.Date
	s.groupSaved(c, gf.Group.Code, url.Values{"what": {"observations"}, "date": {date}}, "observations", "module_end", func(v *groupView) {
		if d, ok := domain.ParseISO(date); ok {
			v.Obs = s.storedObservations(gf, v.obs, d)
		}
		v.Obs.Done, v.Obs.Saved = true, n
	}, n)
}

// parseObservations reads the posted form and asks domain's check of each
// scored row (domain.CheckObservationEntry, which the store asks again),
// putting each broken rule beside its field in the user's language: the
// rules of the form's one date beside the date, the others in the row.
// Rows without a score are skipped (a learner who was absent).
func (s *Handler) parseObservations(c *gin.Context, gf *store.GroupFile) (observationView, []domain.Observation) {
	lang := core.Lang(c)
	today := domain.DateOf(s.Now().In(domain.Zone))
	ov := observationView{Date: strings.TrimSpace(c.PostForm("date")), Today: today.String()}
	date, msg := readDate(lang, ov.Date)
	if msg != "" {
		ov.DateErr = msg
	} else if date != 0 {
		ov.Date = date.String()
	}
	dateErrs := map[string]string{}
	// The date's own rules, for a form whose rows are all empty too.
	placeErrors(lang, dateErrs, domain.Collect(domain.CheckDate("date", date, false), domain.CheckNotFuture("date", date, today)), nil)
	if ov.DateErr == "" {
		ov.DateErr = dateErrs["date"]
	}
	var out []domain.Observation
	var strangers []string
	for i := 0; i < maxGridRows; i++ {
		p := "o" + strconv.Itoa(i) + "."
		learner, ok := c.GetPostForm(p + "learner")
		if !ok {
			break
		}
		r := gf.Enrollment(learner)
		if r == nil {
			strangers = append(strangers, learner)
			continue
		}
		row := obsRow{Index: i, Learner: learner, Name: r.FirstName + " " + r.LastName, Status: r.Enrollment.Status,
			Errors: map[string]string{}}
		o := domain.Observation{Learner: learner, Group: gf.Group.Code, Date: date, Observer: core.CurrentUser(c).Username}
		for k, scale := range observationScales {
			raw := strings.TrimSpace(c.PostForm(p + scale))
			row.Scores[k] = raw
			if raw == "" {
				continue
			}
			n, err := strconv.Atoi(raw)
			if err != nil {
				// As an import reads a score that is no whole number.
				row.Errors[scale] = msgText(lang, "read.wholenumber", raw)
				continue
			}
			if k == 0 {
				o.Wellbeing = domain.Score(n)
			} else {
				o.Involvement = domain.Score(n)
			}
		}
		scored := row.Scores[0] != "" || row.Scores[1] != ""
		if scored && ov.DateErr == "" && len(row.Errors) == 0 {
			placeErrors(lang, row.Errors, domain.CheckObservationEntry(&o, &r.Enrollment, today), obsField)
		}
		if len(row.Errors) > 0 {
			ov.Invalid++
		} else if scored {
			out = append(out, o)
		}
		ov.Rows = append(ov.Rows, row)
	}
	if len(strangers) > 0 {
		ov.Error = locale.T(lang, "v.obs.stranger", strings.Join(strangers, ", "))
	}
	return ov, out
}

// obsField is the field of an observation row that shows a broken rule:
// a score beside its scale, anything else (the enrollment's dates) in the
// row; the form's date has its own message already.
func obsField(fe domain.FieldError) string {
	if slices.Contains(observationScales, fe.Field) {
		return fe.Field
	}
	return "row"
}

package ui

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/quality"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// The data-quality page (Datakwaliteit): the findings of `traject check`
// (internal/quality) per kind, in the order of quality.Kinds, each linked
// to the learner whose record needs fixing. A coordinator sees the findings
// of their own providers, an admin every one.

// qualityPreview is how many findings of a kind the overview shows.
const qualityPreview = 10

// qualityView is the data-quality page.
type qualityView struct {
	AsOf     string
	AsOfErr  string
	Total    int
	Kinds    []qualityKind
	Kind     *qualityKind // the one kind shown in full, with ?kind=
	Hidden   int          // findings about learners the user may not open
	Scope    string       // the coordinator's providers
	Pager    pager
	KindCode string
}

// qualityKind is one kind of finding with its findings on the page.
type qualityKind struct {
	Code, Title, Explanation string
	Count                    int
	Findings                 []qualityFinding
	More                     int // findings beyond the preview
	URL                      string
}

// qualityFinding is one finding, ready to print.
type qualityFinding struct {
	Learner, LearnerURL, Date, Ref, RefURL, Message string
}

// qualityRoutes registers the data-quality page.
func (s *Handler) qualityRoutes(a *gin.RouterGroup) {
	a.GET("/quality", s.Require(auth.ViewIndicators), s.quality)
}

// quality shows the findings as of today (or ?as_of=), per kind.
func (s *Handler) quality(c *gin.Context) {
	ctx := c.Request.Context()
	lang := core.Lang(c)
	u := core.CurrentUser(c)
	v := &qualityView{KindCode: c.Query("kind")}
	asOf := domain.DateOf(s.Now())
	if raw := strings.TrimSpace(c.Query("as_of")); raw != "" {
		d, msg := parseDateField(lang, raw, false)
		if msg != "" {
			v.AsOfErr = msg
		} else {
			asOf = d
		}
	}
	v.AsOf = asOf.String()
	if v.KindCode != "" && quality.KindByCode(v.KindCode) == nil {
		s.Fail(c, core.BadRequest("unknown kind"))
		return
	}
	page, err := pageParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	findings, err := s.findings(c, u, asOf)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if u.Role != domain.RoleAdmin {
		v.Scope = strings.Join(u.Providers, ", ")
		// Every finding of a provider is about a learner linked to it; this
		// only guards the rare one that is not (an evaluation in a group
		// without an enrollment there), whose learner the coordinator may
		// not open.
		visible, err := s.DB.VisibleLearners(ctx, u)
		if err != nil {
			s.Fail(c, err)
			return
		}
		kept := findings[:0]
		for _, f := range findings {
			if visible[f.Learner] {
				kept = append(kept, f)
			} else {
				v.Hidden++
			}
		}
		findings = kept
	}
	v.Total = len(findings)
	byKind := map[string][]quality.Finding{}
	for _, f := range findings {
		byKind[f.Kind] = append(byKind[f.Kind], f)
	}
	canGroups := auth.Can(u, auth.ViewGroup)
	for _, k := range quality.Kinds {
		qk := qualityKind{Code: k.Code, Count: len(byKind[k.Code]),
			URL: "/quality?" + url.Values{"kind": {k.Code}, "as_of": {v.AsOf}}.Encode()}
		qk.Title, qk.Explanation = locale.T(lang, k.TitleKey()), locale.T(lang, k.TextKey())
		fs := byKind[k.Code]
		if v.KindCode == k.Code {
			v.Pager = newPager(c, page, len(fs))
			lo := min((page-1)*store.DefaultPageSize, len(fs))
			fs = fs[lo:min(lo+store.DefaultPageSize, len(fs))]
		} else if len(fs) > qualityPreview {
			qk.More = len(fs) - qualityPreview
			fs = fs[:qualityPreview]
		}
		for _, f := range fs {
			qf := qualityFinding{Learner: f.Learner, LearnerURL: learnerURL(f.Learner, nil), Date: f.Date.String(),
				Ref: f.Ref, Message: f.Message.In(lang)}
			if f.Ref != "" && canGroups {
				qf.RefURL = groupURL(f.Ref, nil)
			}
			qk.Findings = append(qk.Findings, qf)
		}
		v.Kinds = append(v.Kinds, qk)
		if v.KindCode == k.Code {
			v.Kind = &v.Kinds[len(v.Kinds)-1]
		}
	}
	status := http.StatusOK
	if v.AsOfErr != "" {
		status = http.StatusUnprocessableEntity
	}
	s.Render(c, status, "quality", "", v)
}

// findings runs the checks as of asOf for the user's providers (every
// provider for an admin), merging a coordinator's providers into one list
// in the order of quality.Check.
func (s *Handler) findings(c *gin.Context, u *domain.User, asOf domain.Date) ([]quality.Finding, error) {
	// The dashboard's cached data set: the same entities, dropped on any write.
	e, err := s.cache.Snapshot(c.Request.Context(), nil)
	if err != nil {
		return nil, err
	}
	ds := e.DataSet()
	p := quality.DefaultParams(asOf)
	if u.Role == domain.RoleAdmin {
		return quality.Check(ds, p), nil
	}
	var out []quality.Finding
	type findingKey struct{ kind, learner, ref, message string }
	seen := map[findingKey]bool{}
	for _, code := range u.Providers {
		p.Provider = code
		for _, f := range quality.Check(ds, p) {
			k := findingKey{f.Kind + "\x00" + f.Date.String(), f.Learner, f.Ref, f.Message.In(locale.Default)}
			if !seen[k] {
				seen[k] = true
				out = append(out, f)
			}
		}
	}
	order := map[string]int{}
	for i, k := range quality.Kinds {
		order[k.Code] = i
	}
	slices.SortStableFunc(out, func(a, b quality.Finding) int {
		return cmp.Or(cmp.Compare(order[a.Kind], order[b.Kind]), cmp.Compare(a.Learner, b.Learner),
			cmp.Compare(a.Date, b.Date), cmp.Compare(a.Ref, b.Ref))
	})
	return out, nil
}

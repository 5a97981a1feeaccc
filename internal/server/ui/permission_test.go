package ui_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
)

// own and other are, per account, a group and a learner of their own and
// of someone else's. An admin has no "other": both are theirs.
var matrixRecords = map[string]struct{ ownGroup, otherGroup, ownLearner, otherLearner string }{
	"teacher":     {"G1", "G2", "L-AERTS", "L-ZEGERS"},
	"counsellor":  {"G1", "G2", "L-AERTS", "L-ZEGERS"},
	"coordinator": {"G1", "G2", "L-AERTS", "L-ZEGERS"},
	"admin":       {"G1", "G2", "L-AERTS", "L-ZEGERS"},
}

// The forms the matrix posts: valid, and changing nothing that matters.
var matrixForms = map[string]func(group, learner string) url.Values{
	"attendance": func(g, l string) url.Values {
		hours := map[string]string{"G1": "30", "G2": "40"}[g]
		return url.Values{"a0.learner": {map[string]string{"G1": "L-AERTS", "G2": "L-ZEGERS"}[g]}, "a0.hours": {hours}}
	},
	"evaluations": func(g, l string) url.Values {
		return url.Values{"kind": {"module_end"}, "r0.learner": {map[string]string{"G1": "L-AERTS", "G2": "L-ZEGERS"}[g]}}
	},
	"observations": func(g, l string) url.Values {
		return url.Values{"date": {"2026-03-13"}, "o0.learner": {map[string]string{"G1": "L-AERTS", "G2": "L-ZEGERS"}[g]}, "o0.wellbeing": {"3"}}
	},
	"survey-open": func(g, l string) url.Values {
		return url.Values{"provider": {map[string]string{"G1": "P1", "G2": "P2"}[g]}, "respondent": {"learner"}, "closes": {"2026-04-01"}}
	},
	"survey-close": func(g, l string) url.Values { return url.Values{"confirm": {"1"}} },
	"goals": func(g, l string) url.Values {
		return url.Values{"skill": {"reading"}, "target_level": {"A2"}, "set_date": {"2026-03-01"}}
	},
	"outflows":          func(g, l string) url.Values { return url.Values{"date": {"2026-03-01"}, "type": {"qualified"}} },
	"erase-unconfirmed": func(g, l string) url.Values { return url.Values{"confirm": {"not " + l}} },
	"followups":         func(g, l string) url.Values { return url.Values{"date": {"2026-03-02"}, "status": {"work"}} },
}

// TestPermissionMatrix asks every route as every role, for a record of
// their own and of someone else's, and checks the status and that no page
// names a learner the role may not see.
func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	const (
		ok  = http.StatusOK
		see = http.StatusSeeOther
		no  = http.StatusForbidden
		nf  = http.StatusNotFound
	)
	type want struct{ own, other int }
	cases := []struct {
		method, path, form string
		want               map[string]want
	}{
		{"GET", "/", "", map[string]want{"teacher": {see, see}, "counsellor": {see, see}, "coordinator": {see, see}, "admin": {see, see}}},
		{"GET", "/groups", "", map[string]want{"teacher": {ok, ok}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"GET", "/groups?q=G&page=1", "", map[string]want{"teacher": {ok, ok}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"GET", "/groups/{g}", "", map[string]want{"teacher": {ok, no}, "counsellor": {no, no}, "coordinator": {ok, no}, "admin": {ok, ok}}},
		{"GET", "/groups/{g}?kind=formative", "", map[string]want{"teacher": {ok, no}, "counsellor": {no, no}, "coordinator": {ok, no}, "admin": {ok, ok}}},
		{"POST", "/groups/{g}/attendance", "attendance", map[string]want{"teacher": {see, no}, "counsellor": {no, no}, "coordinator": {see, no}, "admin": {see, see}}},
		{"POST", "/groups/{g}/evaluations", "evaluations", map[string]want{"teacher": {see, no}, "counsellor": {no, no}, "coordinator": {see, no}, "admin": {see, see}}},
		{"POST", "/groups/{g}/observations", "observations", map[string]want{"teacher": {see, no}, "counsellor": {no, no}, "coordinator": {see, no}, "admin": {see, see}}},
		{"GET", "/learners", "", map[string]want{"teacher": {ok, ok}, "counsellor": {ok, ok}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		// Survey rounds: {r} is a round of the own group's provider (P1) or
		// of the other's (P2).
		{"GET", "/surveys", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"POST", "/surveys", "survey-open", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {see, no}, "admin": {see, see}}},
		{"GET", "/surveys/{r}", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, no}, "admin": {ok, ok}}},
		{"POST", "/surveys/{r}/close", "survey-close", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {see, no}, "admin": {see, see}}},
		{"GET", "/surveys/NOPE", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"GET", "/learners?q=e&flag=overdue", "", map[string]want{"teacher": {ok, ok}, "counsellor": {ok, ok}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"GET", "/learners/{l}", "", map[string]want{"teacher": {ok, no}, "counsellor": {ok, no}, "coordinator": {ok, no}, "admin": {ok, ok}}},
		{"POST", "/learners/{l}/goals", "goals", map[string]want{"teacher": {no, no}, "counsellor": {see, no}, "coordinator": {see, no}, "admin": {see, see}}},
		{"POST", "/learners/{l}/outflows", "outflows", map[string]want{"teacher": {no, no}, "counsellor": {see, no}, "coordinator": {see, no}, "admin": {see, see}}},
		{"POST", "/learners/{l}/followups", "followups", map[string]want{"teacher": {no, no}, "counsellor": {see, no}, "coordinator": {see, no}, "admin": {see, see}}},
		// A learner's personal data: admins and the coordinators of their
		// providers; the matrix does not confirm an erasure.
		{"GET", "/learners/{l}/export", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, no}, "admin": {ok, ok}}},
		{"GET", "/learners/{l}/export.json", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, no}, "admin": {ok, ok}}},
		{"GET", "/learners/{l}/erase", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, no}, "admin": {ok, ok}}},
		{"POST", "/learners/{l}/erase", "erase-unconfirmed", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {http.StatusUnprocessableEntity, no}, "admin": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}}},
		{"GET", "/learners/NOPE/export.json", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"GET", "/dashboard", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"GET", "/imports", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"GET", "/exports", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"GET", "/schedules", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"GET", "/quality", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"GET", "/admin", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"GET", "/logout", "", map[string]want{"teacher": {ok, ok}, "counsellor": {ok, ok}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		// The dashboard and its drill-downs (fixture: P1 has two referrals in
		// this school year, a small cell; exact numbers are for P1's own).
		{"GET", "/dashboard?period=last_year", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"GET", "/dashboard?provider=P1&exact=1", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"GET", "/dashboard?provider=P2", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"GET", "/dashboard?provider=P2&exact=1", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"GET", "/dashboard/cases?from=2025-09-01&to=2026-08-31&provider=P1&indicator=access&class=cohort&exact=1", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"GET", "/dashboard/cases?from=2025-09-01&to=2026-08-31&indicator=access&class=cohort&exact=1", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"GET", "/dashboard/cases?from=2025-09-01&to=2026-08-31&provider=P1&indicator=access&class=cohort", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {no, no}}},
		{"GET", "/dashboard/cases?from=2025-09-01&to=2026-08-31&provider=P2&indicator=access&class=cohort&exact=1", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"GET", "/dashboard/cases?from=2025-09-01&to=2026-08-31&provider=P1&indicator=nope", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {http.StatusBadRequest, http.StatusBadRequest}, "admin": {http.StatusBadRequest, http.StatusBadRequest}}},
		// The API takes bearer tokens only: a browser session is not signed in there.
		{"GET", "/api/v1/indicators?from=2025-09-01&to=2026-08-31&provider=P1", "", map[string]want{"teacher": {http.StatusUnauthorized, http.StatusUnauthorized}, "counsellor": {http.StatusUnauthorized, http.StatusUnauthorized}, "coordinator": {http.StatusUnauthorized, http.StatusUnauthorized}, "admin": {http.StatusUnauthorized, http.StatusUnauthorized}}},
		{"GET", "/api/v1/indicators/explain?from=2025-09-01&to=2026-08-31&provider=P1&indicator=access", "", map[string]want{"teacher": {http.StatusUnauthorized, http.StatusUnauthorized}, "counsellor": {http.StatusUnauthorized, http.StatusUnauthorized}, "coordinator": {http.StatusUnauthorized, http.StatusUnauthorized}, "admin": {http.StatusUnauthorized, http.StatusUnauthorized}}},
		{"GET", "/api/v1/learners", "", map[string]want{"teacher": {http.StatusUnauthorized, http.StatusUnauthorized}, "counsellor": {http.StatusUnauthorized, http.StatusUnauthorized}, "coordinator": {http.StatusUnauthorized, http.StatusUnauthorized}, "admin": {http.StatusUnauthorized, http.StatusUnauthorized}}},
		{"GET", "/api/v1/learners/{l}", "", map[string]want{"teacher": {http.StatusUnauthorized, http.StatusUnauthorized}, "counsellor": {http.StatusUnauthorized, http.StatusUnauthorized}, "coordinator": {http.StatusUnauthorized, http.StatusUnauthorized}, "admin": {http.StatusUnauthorized, http.StatusUnauthorized}}},
		{"GET", "/api/v1/openapi.json", "", map[string]want{"teacher": {ok, ok}, "counsellor": {ok, ok}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		// A record that does not exist looks like one that is not yours,
		// except to an admin, who may see every record.
		{"GET", "/groups/NOPE", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"GET", "/learners/NOPE", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"GET", "/nowhere", "", map[string]want{"teacher": {nf, nf}, "counsellor": {nf, nf}, "coordinator": {nf, nf}, "admin": {nf, nf}}},
		// The workspace: imports, exports, schedules, data quality and the
		// administration (forms in workspace_test.go). A schedule, upload or
		// account that does not exist is the coordinator's 403, the admin's 404.
		{"POST", "/imports", "ws-empty", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}, "admin": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}}},
		{"POST", "/imports/NOPE/confirm", "ws-empty", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {http.StatusGone, http.StatusGone}, "admin": {http.StatusGone, http.StatusGone}}},
		{"POST", "/imports/assistant", "ws-empty", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}, "admin": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}}},
		{"GET", "/imports/assistant/NOPE", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {http.StatusGone, http.StatusGone}, "admin": {http.StatusGone, http.StatusGone}}},
		{"POST", "/imports/assistant/NOPE", "ws-empty", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {http.StatusGone, http.StatusGone}, "admin": {http.StatusGone, http.StatusGone}}},
		{"POST", "/imports/assistant/NOPE/profile", "ws-empty", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {nf, nf}, "admin": {nf, nf}}},
		{"POST", "/imports/NOPE/cancel", "ws-empty", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {see, see}, "admin": {see, see}}},
		{"GET", "/exports/workbook?period=nope", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}, "admin": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}}},
		{"GET", "/exports/workbook?period=last-year&provider=P2", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}, "admin": {ok, ok}}},
		{"GET", "/schedules/_new", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"GET", "/schedules/_cron?cron=@daily", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"POST", "/schedules", "ws-schedule-bad", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}, "admin": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}}},
		{"GET", "/schedules/NOPE", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"GET", "/schedules/NOPE/edit", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"GET", "/schedules/NOPE/delete", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"GET", "/schedules/NOPE/runs/1/download", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"POST", "/schedules/NOPE", "ws-schedule-bad", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"POST", "/schedules/NOPE/pause", "ws-empty", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"POST", "/schedules/NOPE/resume", "ws-empty", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"POST", "/schedules/NOPE/delete", "ws-empty", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"POST", "/schedules/NOPE/run", "ws-empty", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"GET", "/quality?kind=enrollment_without_placement", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {ok, ok}, "admin": {ok, ok}}},
		{"GET", "/admin/users", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"POST", "/admin/users", "ws-user-bad", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}}},
		{"GET", "/admin/users/k1", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"GET", "/admin/users/NOPE", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"POST", "/admin/users/NOPE", "ws-empty", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"POST", "/admin/users/NOPE/disable", "ws-empty", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"POST", "/admin/users/NOPE/enable", "ws-empty", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"POST", "/admin/users/NOPE/password", "ws-empty", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {nf, nf}}},
		{"GET", "/admin/providers", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"POST", "/admin/providers", "ws-code-bad", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}}},
		{"GET", "/admin/providers/P1", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"POST", "/admin/providers/P1", "ws-provider-same", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {see, see}}},
		{"GET", "/admin/modules?q=M&page=1", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"GET", "/admin/modules/_new", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"POST", "/admin/modules", "ws-code-bad", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}}},
		{"GET", "/admin/modules/M1", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"POST", "/admin/modules/M1", "ws-code-bad", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}}},
		{"POST", "/admin/goals", "ws-code-bad", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}}},
		{"GET", "/admin/goals/M1-L1", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"POST", "/admin/goals/M1-L1", "ws-code-bad", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}}},
		{"GET", "/admin/groups", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"GET", "/admin/groups/_new", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"POST", "/admin/groups", "ws-code-bad", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}}},
		{"GET", "/admin/groups/{g}", "", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {ok, ok}}},
		{"POST", "/admin/groups/{g}", "ws-group-same", map[string]want{"teacher": {no, no}, "counsellor": {no, no}, "coordinator": {no, no}, "admin": {see, see}}},
	}
	a := servertest.New(t)
	rounds := map[string]string{}
	for whose, p := range map[string]string{"own": "P1", "other": "P2"} {
		r, err := a.DB.OpenSurveyRound(context.Background(), "root", store.SurveyRound{Provider: p, Respondent: "learner",
			Closes: domain.MustDate("2026-04-01")}, servertest.Now)
		if err != nil {
			t.Fatal(err)
		}
		rounds[whose] = r.ID
	}
	for _, role := range slices.Sorted(maps.Keys(matrixRecords)) { // a fixed order: the posts share one database
		rec := matrixRecords[role]
		c := a.As(role)
		for _, tc := range cases {
			for i, whose := range []string{"own", "other"} {
				g, l := rec.ownGroup, rec.ownLearner
				if whose == "other" {
					g, l = rec.otherGroup, rec.otherLearner
				}
				path := strings.NewReplacer("{g}", g, "{l}", l, "{r}", rounds[whose]).Replace(tc.path)
				var got int
				var body string
				if tc.method == "GET" {
					r := c.Get(path)
					got, body = r.Code, r.Body.String()
				} else {
					r := c.Post(path, matrixForms[tc.form](g, l))
					got, body = r.Code, r.Body.String()
				}
				want := tc.want[role].own
				if i == 1 {
					want = tc.want[role].other
				}
				if got != want {
					t.Errorf("%s %s %s (%s): status %d, want %d", role, tc.method, path, whose, got, want)
				}
				for _, h := range servertest.Hidden[role] {
					if strings.Contains(body, h) {
						t.Errorf("%s %s %s (%s): body names %q, whom a %s may not see", role, tc.method, path, whose, h, role)
					}
				}
			}
		}
	}
}

// TestListsShowOnlyOwnRecords checks what each list holds, beyond what it
// must not: a teacher's groups, a counsellor's learners, a coordinator's
// provider.
func TestListsShowOnlyOwnRecords(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	tests := []struct {
		role, path string
		want       []string
	}{
		{"teacher", "/groups", []string{"/groups/G1", "1 groep"}},
		{"teacher", "/learners", []string{"Aerts", "Dewulf", "Engels", "3 lerenden"}},
		{"counsellor", "/learners", []string{"Aerts", "Dewulf", "Bosmans", "3 lerenden"}},
		{"coordinator", "/learners", []string{"Aerts", "Dewulf", "Bosmans", "Engels", "4 lerenden"}},
		{"coordinator2", "/learners", []string{"Zegers", "Xhonneux", "2 lerenden"}},
		{"coordinator2", "/groups", []string{"/groups/G2", "1 groep"}},
		{"admin", "/learners", []string{"6 lerenden"}},
		{"counsellor", "/learners?flag=overdue", []string{"Bosmans", "1 lerende", "42 dagen over de termijn"}},
		{"counsellor", "/learners?flag=no_placement", []string{"Dewulf", "1 lerende"}},
		{"counsellor", "/learners?q=dewulf", []string{"Dewulf", "1 lerende"}},
		{"counsellor2", "/learners?q=aerts", []string{"Geen lerenden gevonden"}},
	}
	for _, tt := range tests {
		r := a.As(tt.role).Get(tt.path)
		servertest.WantStatus(t, tt.role+" "+tt.path, r, http.StatusOK)
		servertest.WantBody(t, tt.role+" "+tt.path, r, tt.want...)
	}
}

// TestAnonymous sends everyone without a session to the login page, and
// refuses their writes with 401.
func TestAnonymous(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.Anonymous()
	for _, p := range []string{"/", "/groups", "/groups/G1", "/learners", "/learners/L-AERTS", "/dashboard", "/admin", "/logout"} {
		r := c.Get(p)
		servertest.WantStatus(t, "GET "+p, r, http.StatusSeeOther)
		if loc := r.Header().Get("Location"); loc != "/login?next="+url.QueryEscape(p) {
			t.Errorf("GET %s: Location %q", p, loc)
		}
	}
	for _, p := range []string{"/groups/G1/evaluations", "/groups/G1/attendance", "/learners/L-AERTS/goals", "/learners/L-AERTS/outflows", "/learners/L-AERTS/followups", "/logout"} {
		r := c.Post(p, url.Values{"csrf": {"x"}})
		servertest.WantStatus(t, "POST "+p, r, http.StatusUnauthorized)
		if strings.Contains(r.Body.String(), "Aerts") {
			t.Errorf("POST %s without a session names a learner", p)
		}
	}
	c.HTMX = true
	r := c.Post("/groups/G1/evaluations", url.Values{"csrf": {"x"}})
	if r.Code != http.StatusUnauthorized || r.Header().Get("HX-Redirect") != "/login" {
		t.Errorf("htmx POST without session: %d, HX-Redirect %q", r.Code, r.Header().Get("HX-Redirect"))
	}
	servertest.WantStatus(t, "healthz", c.Get("/healthz"), http.StatusOK)
	servertest.WantStatus(t, "login page", c.Get("/login"), http.StatusOK)
	servertest.WantStatus(t, "static", c.Get("/static/app.css"), http.StatusOK)
	servertest.WantStatus(t, "static vendor", c.Get("/static/vendor/htmx.min.js"), http.StatusOK)
	servertest.WantStatus(t, "static missing", c.Get("/static/nope.js"), http.StatusNotFound)
	servertest.WantStatus(t, "static dir", c.Get("/static/vendor/"), http.StatusNotFound)
}

// The other provider's writes (issue 18): every write route of the server,
// tried by a teacher, a counsellor and a coordinator of P2 (t2, c2, k2)
// against P1's records, must be refused with nothing stored. The routes
// are read from the router, so that a write route missing here fails the
// test.

// otherWrite is one write tried against a record of P1. The path's
// placeholders name P1's records that the fixture makes: {round} a survey
// round, {schedule} a schedule, {upload} a checked upload of k1's.
type otherWrite struct {
	path string
	form url.Values
	file string // a data set to upload as the import form does, instead of form
	// want is, per attacker, the statuses that refuse the write when they
	// are not 403 or 404: a form sent back with its errors (422), an upload
	// of someone else's that answers as an unknown one (410, or the
	// cancellation's redirect).
	want map[string]int
}

// otherProviderWrites lists, per write route (method and router pattern),
// the writes tried; exempt says why a route writes no record of a provider.
var otherProviderWrites = map[string]struct {
	exempt string
	tries  []otherWrite
}{
	"POST /login":    {exempt: "signing in writes the account's own session"},
	"POST /logout":   {exempt: "signing out ends the caller's own session"},
	"POST /s/:token": {exempt: "the public survey: answering needs the round's link, not an account (its limits are the public page's)"},

	"POST /groups/:code/attendance": {tries: []otherWrite{
		{path: "/groups/G1/attendance", form: url.Values{"a0.learner": {"L-AERTS"}, "a0.hours": {"99"}}},
		{path: "/groups/G2/attendance", form: url.Values{"a0.learner": {"L-AERTS"}, "a0.hours": {"99"}}},
	}},
	"POST /groups/:code/evaluations": {tries: []otherWrite{
		{path: "/groups/G1/evaluations", form: url.Values{"kind": {"module_end"}, "r0.learner": {"L-AERTS"}, "r0.listening": {"A1"},
			"r0.decision": {"pass"}, "r0.date": {"2026-03-13"}}},
		{path: "/groups/G2/evaluations", form: url.Values{"kind": {"module_end"}, "r0.learner": {"L-AERTS"}, "r0.listening": {"A1"},
			"r0.decision": {"pass"}, "r0.date": {"2026-03-13"}}},
	}},
	"POST /groups/:code/observations": {tries: []otherWrite{
		{path: "/groups/G1/observations", form: url.Values{"date": {"2026-03-13"}, "o0.learner": {"L-AERTS"}, "o0.wellbeing": {"1"}}},
		// P2's own group, naming P1's learner: the form comes back saying
		// that the learner is not in the group, as for any number
		// (observation_test.go), and stores nothing.
		{path: "/groups/G2/observations", form: url.Values{"date": {"2026-03-13"}, "o0.learner": {"L-AERTS"}, "o0.wellbeing": {"1"}},
			want: map[string]int{"teacher2": http.StatusUnprocessableEntity, "coordinator2": http.StatusUnprocessableEntity}},
	}},
	"POST /groups/:code/register/:date": {tries: []otherWrite{
		{path: "/groups/G1/register/2026-03-13", form: url.Values{"r0.learner": {"L-AERTS"}, "r0.status": {"absent"}}},
		{path: "/groups/G2/register/2026-03-13", form: url.Values{"r0.learner": {"L-AERTS"}, "r0.status": {"absent"}}},
	}},
	"POST /groups/:code/register/:date/row": {tries: []otherWrite{
		{path: "/groups/G1/register/2026-03-13/row?learner=L-AERTS", form: url.Values{"r0.learner": {"L-AERTS"}, "r0.status": {"absent"}}},
		{path: "/groups/G2/register/2026-03-13/row?learner=L-AERTS", form: url.Values{"r0.learner": {"L-AERTS"}, "r0.status": {"absent"}}},
	}},
	// Planning P2's own group is P2's to do: only P1's is tried.
	"POST /groups/:code/lessons": {tries: []otherWrite{
		{path: "/groups/G1/lessons", form: url.Values{"weekday": {"1"}, "hours": {"3"}, "from": {"2026-03-02"}, "to": {"2026-03-20"}}},
	}},
	"POST /learners/:id/flags": {tries: []otherWrite{
		{path: "/learners/L-AERTS/flags", form: url.Values{"kind": {"no_placement"}, "since": {"2026-01-05"}, "action": {"handle"}}},
	}},
	"POST /learners/:id/goals": {tries: []otherWrite{
		{path: "/learners/L-AERTS/goals", form: url.Values{"skill": {"reading"}, "target_level": {"C2"}, "set_date": {"2026-03-01"}}},
	}},
	"POST /learners/:id/outflows": {tries: []otherWrite{
		{path: "/learners/L-AERTS/outflows", form: url.Values{"date": {"2026-03-01"}, "type": {"early_leaver"}, "reason": {"work"}, "provider": {"P2"}}},
		{path: "/learners/L-AERTS/outflows", form: url.Values{"date": {"2026-03-01"}, "type": {"early_leaver"}, "reason": {"work"}, "provider": {"P1"}}},
		// c2 counsels L-ENGELS, a learner of P1 only: their outflow may not
		// name P2 (finding 3).
		{path: "/learners/L-ENGELS/outflows", form: url.Values{"date": {"2026-03-01"}, "type": {"early_leaver"}, "reason": {"work"}, "provider": {"P2"}},
			want: map[string]int{"counsellor2": http.StatusBadRequest}},
	}},
	"POST /learners/:id/followups": {tries: []otherWrite{
		{path: "/learners/L-AERTS/followups", form: url.Values{"date": {"2026-03-02"}, "status": {"none"}}},
	}},
	"POST /learners/:id/warnings": {tries: []otherWrite{
		{path: "/learners/L-AERTS/warnings", form: url.Values{"group": {"G1"}, "action": {"unjustified"}, "date": {"2026-03-15"}}},
	}},
	"POST /learners/:id/erase": {tries: []otherWrite{
		{path: "/learners/L-AERTS/erase", form: url.Values{"confirm": {"L-AERTS"}}},
	}},
	"POST /surveys": {tries: []otherWrite{
		{path: "/surveys", form: url.Values{"provider": {"P1"}, "respondent": {"learner"}, "closes": {"2026-04-01"}}},
	}},
	"POST /surveys/:id/close": {tries: []otherWrite{{path: "/surveys/{round}/close", form: url.Values{"confirm": {"1"}}}}},

	"POST /imports": {tries: []otherWrite{
		{path: "/imports", file: "learners.csv", want: map[string]int{"coordinator2": http.StatusUnprocessableEntity}},
	}},
	"POST /imports/:id/confirm": {tries: []otherWrite{{path: "/imports/{upload}/confirm", want: map[string]int{"coordinator2": http.StatusGone}}}},
	"POST /imports/:id/cancel":  {tries: []otherWrite{{path: "/imports/{upload}/cancel", want: map[string]int{"coordinator2": http.StatusSeeOther}}}},
	"POST /imports/assistant": {tries: []otherWrite{
		{path: "/imports/assistant", want: map[string]int{"coordinator2": http.StatusUnprocessableEntity}}, // no file: an upload is the caller's own
	}},
	"POST /imports/assistant/:id":         {tries: []otherWrite{{path: "/imports/assistant/{upload}", want: map[string]int{"coordinator2": http.StatusGone}}}},
	"POST /imports/assistant/:id/profile": {tries: []otherWrite{{path: "/imports/assistant/{upload}/profile", form: url.Values{"profile": {"centrumsoftware"}}}}},

	"POST /schedules": {tries: []otherWrite{
		{path: "/schedules", form: scheduleFormFor("van-p2", "P1"), want: map[string]int{"coordinator2": http.StatusUnprocessableEntity}},
	}},
	"POST /schedules/:name":        {tries: []otherWrite{{path: "/schedules/{schedule}", form: scheduleFormFor("{schedule}", "P2")}}},
	"POST /schedules/:name/pause":  {tries: []otherWrite{{path: "/schedules/{schedule}/pause"}}},
	"POST /schedules/:name/resume": {tries: []otherWrite{{path: "/schedules/{schedule}/resume"}}},
	"POST /schedules/:name/delete": {tries: []otherWrite{{path: "/schedules/{schedule}/delete"}}},
	"POST /schedules/:name/run":    {tries: []otherWrite{{path: "/schedules/{schedule}/run"}}},

	// The administration is the admin's alone.
	"POST /admin/users": {tries: []otherWrite{{path: "/admin/users", form: url.Values{"username": {"k3"}, "role": {"coordinator"},
		"providers": {"P1"}, "password": {servertest.Password}}}}},
	"POST /admin/users/:name":          {tries: []otherWrite{{path: "/admin/users/k1", form: url.Values{"role": {"coordinator"}, "providers": {"P2"}}}}},
	"POST /admin/users/:name/disable":  {tries: []otherWrite{{path: "/admin/users/k1/disable"}}},
	"POST /admin/users/:name/enable":   {tries: []otherWrite{{path: "/admin/users/k1/enable"}}},
	"POST /admin/users/:name/password": {tries: []otherWrite{{path: "/admin/users/k1/password", form: url.Values{"password": {"another horse battery"}}}}},
	"POST /admin/users/:name/unlock":   {tries: []otherWrite{{path: "/admin/users/k1/unlock"}}},
	"POST /admin/users/:name/profile":  {tries: []otherWrite{{path: "/admin/users/k1/profile", form: url.Values{"display_name": {"Overgenomen"}, "email": {"x@example.org"}}}}},
	"POST /admin/providers":            {tries: []otherWrite{{path: "/admin/providers", form: url.Values{"code": {"P9"}, "name": {"Negen"}, "type": {"cvo"}}}}},
	"POST /admin/providers/:code":      {tries: []otherWrite{{path: "/admin/providers/P1", form: url.Values{"name": {"Overgenomen"}, "type": {"cvo"}}}}},
	"POST /admin/modules":              {tries: []otherWrite{{path: "/admin/modules", form: url.Values{"code": {"M9"}, "provider": {"P1"}}}}},
	"POST /admin/modules/:code":        {tries: []otherWrite{{path: "/admin/modules/M1", form: url.Values{"provider": {"P2"}}}}},
	"POST /admin/goals":                {tries: []otherWrite{{path: "/admin/goals", form: url.Values{"code": {"M1-X"}, "module": {"M1"}}}}},
	"POST /admin/goals/:code":          {tries: []otherWrite{{path: "/admin/goals/M1-L1", form: url.Values{"module": {"M1"}, "description": {"x"}}}}},
	"POST /admin/groups":               {tries: []otherWrite{{path: "/admin/groups", form: url.Values{"code": {"G9"}, "module": {"M1"}}}}},
	"POST /admin/groups/:code":         {tries: []otherWrite{{path: "/admin/groups/G1", form: url.Values{"module": {"M2"}}}}},
	"POST /admin/backup":               {tries: []otherWrite{{path: "/admin/backup", form: url.Values{"cron": {"* * * * *"}}}}},
	"POST /admin/backup/off":           {tries: []otherWrite{{path: "/admin/backup/off"}}},
	"POST /admin/backup/now":           {tries: []otherWrite{{path: "/admin/backup/now"}}},
	"POST /admin/retention":            {tries: []otherWrite{{path: "/admin/retention", form: url.Values{"years": {"1"}, "confirm": {"1"}}}}},
}

// storedState reads every table a write could change (not the sessions
// and the login limiter's buckets, which every request touches), as text
// that compares equal when nothing was stored.
func storedState(t *testing.T, a *servertest.App) string {
	t.Helper()
	ctx := context.Background()
	tables, err := a.DB.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := a.DB.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var b strings.Builder
	for _, table := range tables {
		if table == "sessions" || table == "login_buckets" {
			continue
		}
		rows, err := tx.QueryxContext(ctx, "SELECT * FROM "+table)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for rows.Next() {
			vals, err := rows.SliceScan()
			if err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%q", vals))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(lines)
		b.WriteString(table + "\n" + strings.Join(lines, "\n") + "\n")
	}
	return b.String()
}

// TestPermissionMatrixOtherProvider tries every write route of the server
// as P2's teacher, counsellor and coordinator against P1's records.
func TestPermissionMatrixOtherProvider(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	ctx := context.Background()
	round, err := a.DB.OpenSurveyRound(ctx, "k1", store.SurveyRound{Provider: "P1", Respondent: "learner", Closes: domain.MustDate("2026-04-01")}, servertest.Now)
	if err != nil {
		t.Fatal(err)
	}
	servertest.WantStatus(t, "P1's schedule", a.As("coordinator").Post("/schedules", scheduleFormFor("maand-p1", "P1")), http.StatusSeeOther)
	if err := a.DB.PutPendingUpload(ctx, store.PendingUpload{ID: "K1UPLOAD", Username: "k1", Name: "learners.csv",
		Data: []byte("id,first_name,last_name\nL-AERTS,Amina,Aerts\n"), Created: servertest.Now, Expires: servertest.Now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../../testdata/profiles/centrum/profile.json")
	if err != nil {
		t.Fatal(err)
	}
	profile, err := interchange.ParseProfile(data, "profile.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.DB.SaveProfile(ctx, "k1", "P1", profile, servertest.Now); err != nil {
		t.Fatal(err)
	}
	places := strings.NewReplacer("{round}", round.ID, "{schedule}", "maand-p1", "{upload}", "K1UPLOAD")
	learnersCSV := "id,first_name,last_name,birth_date,gender,home_language,country_of_birth,schooling_level,schooling_years,literacy,learning_route,civic_status,perspective,counsellor\n" +
		"L-AERTS,Amina,Overgenomen,1988-04-04,x,,,primary,,literate_other_script,standard,obliged,work,c2\n"

	var routes []string
	for _, r := range a.Srv.Routes() {
		switch r.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
			routes = append(routes, r.Method+" "+r.Path)
		}
	}
	slices.Sort(routes)
	for _, route := range routes {
		if _, ok := otherProviderWrites[route]; !ok {
			t.Errorf("write route %s is not in otherProviderWrites: add what a user of another provider would try", route)
		}
	}
	for _, route := range slices.Sorted(maps.Keys(otherProviderWrites)) {
		if !slices.Contains(routes, route) {
			t.Errorf("otherProviderWrites names %s, which the router does not have", route)
		}
	}

	for _, route := range routes {
		w := otherProviderWrites[route]
		for _, try := range w.tries {
			for _, role := range []string{"teacher2", "counsellor2", "coordinator2"} {
				what := fmt.Sprintf("%s %s %s", role, route, places.Replace(try.path))
				before := storedState(t, a)
				c := a.As(role)
				var r *httptest.ResponseRecorder
				if try.file != "" {
					r = c.Upload(places.Replace(try.path), try.file, []byte(learnersCSV))
				} else {
					form := url.Values{}
					for k, vs := range try.form {
						for _, v := range vs {
							form.Add(k, places.Replace(v))
						}
					}
					r = c.Post(places.Replace(try.path), form)
				}
				if want, ok := try.want[role]; ok {
					if r.Code != want {
						t.Errorf("%s: status %d, want %d", what, r.Code, want)
					}
				} else if r.Code != http.StatusForbidden && r.Code != http.StatusNotFound {
					t.Errorf("%s: status %d, want 403 or 404", what, r.Code)
				}
				if after := storedState(t, a); after != before {
					t.Errorf("%s stored something:\n%s", what, firstDifference(before, after))
				}
			}
		}
	}
}

// firstDifference shows the first line where two stored states differ.
func firstDifference(before, after string) string {
	b, a := strings.Split(before, "\n"), strings.Split(after, "\n")
	for i := 0; i < len(b) && i < len(a); i++ {
		if b[i] != a[i] {
			return "before: " + b[i] + "\nafter:  " + a[i]
		}
	}
	return fmt.Sprintf("%d lines before, %d after", len(b), len(a))
}

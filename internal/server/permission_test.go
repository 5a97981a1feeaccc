package server

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
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
	"survey-close": func(g, l string) url.Values { return url.Values{} },
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
	a := newApp(t)
	rounds := map[string]string{}
	for whose, p := range map[string]string{"own": "P1", "other": "P2"} {
		r, err := a.db.OpenSurveyRound(context.Background(), "root", store.SurveyRound{Provider: p, Respondent: "learner",
			Closes: domain.MustDate("2026-04-01")}, testNow)
		if err != nil {
			t.Fatal(err)
		}
		rounds[whose] = r.ID
	}
	for _, role := range slices.Sorted(maps.Keys(matrixRecords)) { // a fixed order: the posts share one database
		rec := matrixRecords[role]
		c := a.as(role)
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
					r := c.get(path)
					got, body = r.Code, r.Body.String()
				} else {
					r := c.post(path, matrixForms[tc.form](g, l))
					got, body = r.Code, r.Body.String()
				}
				want := tc.want[role].own
				if i == 1 {
					want = tc.want[role].other
				}
				if got != want {
					t.Errorf("%s %s %s (%s): status %d, want %d", role, tc.method, path, whose, got, want)
				}
				for _, h := range hidden[role] {
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
	a := newApp(t)
	tests := []struct {
		role, path string
		want       []string
	}{
		{"teacher", "/groups", []string{"/groups/G1", "1 groepen"}},
		{"teacher", "/learners", []string{"Aerts", "Dewulf", "Engels", "3 lerenden"}},
		{"counsellor", "/learners", []string{"Aerts", "Dewulf", "Bosmans", "3 lerenden"}},
		{"coordinator", "/learners", []string{"Aerts", "Dewulf", "Bosmans", "Engels", "4 lerenden"}},
		{"coordinator2", "/learners", []string{"Zegers", "Xhonneux", "2 lerenden"}},
		{"coordinator2", "/groups", []string{"/groups/G2", "1 groepen"}},
		{"admin", "/learners", []string{"6 lerenden"}},
		{"counsellor", "/learners?flag=overdue", []string{"Bosmans", "1 lerenden", "42 dagen over de termijn"}},
		{"counsellor", "/learners?flag=no_placement", []string{"Dewulf", "1 lerenden"}},
		{"counsellor", "/learners?q=dewulf", []string{"Dewulf", "1 lerenden"}},
		{"counsellor2", "/learners?q=aerts", []string{"Geen lerenden gevonden"}},
	}
	for _, tt := range tests {
		r := a.as(tt.role).get(tt.path)
		wantStatus(t, tt.role+" "+tt.path, r, http.StatusOK)
		wantBody(t, tt.role+" "+tt.path, r, tt.want...)
	}
}

// TestAnonymous sends everyone without a session to the login page, and
// refuses their writes with 401.
func TestAnonymous(t *testing.T) {
	a := newApp(t)
	c := a.anonymous()
	for _, p := range []string{"/", "/groups", "/groups/G1", "/learners", "/learners/L-AERTS", "/dashboard", "/admin", "/logout"} {
		r := c.get(p)
		wantStatus(t, "GET "+p, r, http.StatusSeeOther)
		if loc := r.Header().Get("Location"); loc != "/login?next="+url.QueryEscape(p) {
			t.Errorf("GET %s: Location %q", p, loc)
		}
	}
	for _, p := range []string{"/groups/G1/evaluations", "/groups/G1/attendance", "/learners/L-AERTS/goals", "/learners/L-AERTS/outflows", "/learners/L-AERTS/followups", "/logout"} {
		r := c.post(p, url.Values{"csrf": {"x"}})
		wantStatus(t, "POST "+p, r, http.StatusUnauthorized)
		if strings.Contains(r.Body.String(), "Aerts") {
			t.Errorf("POST %s without a session names a learner", p)
		}
	}
	c.htmx = true
	r := c.post("/groups/G1/evaluations", url.Values{"csrf": {"x"}})
	if r.Code != http.StatusUnauthorized || r.Header().Get("HX-Redirect") != "/login" {
		t.Errorf("htmx POST without session: %d, HX-Redirect %q", r.Code, r.Header().Get("HX-Redirect"))
	}
	wantStatus(t, "healthz", c.get("/healthz"), http.StatusOK)
	wantStatus(t, "login page", c.get("/login"), http.StatusOK)
	wantStatus(t, "static", c.get("/static/app.css"), http.StatusOK)
	wantStatus(t, "static vendor", c.get("/static/vendor/htmx.min.js"), http.StatusOK)
	wantStatus(t, "static missing", c.get("/static/nope.js"), http.StatusNotFound)
	wantStatus(t, "static dir", c.get("/static/vendor/"), http.StatusNotFound)
}

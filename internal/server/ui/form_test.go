package ui_test

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/testkit"
)

// nl is the catalogue's message key with args in Dutch, as a page writes
// it: the one message of a rule (internal/msg), on the web as in an import.
func nl(key string, args ...any) string {
	return template.HTMLEscapeString(locale.New(key, args...).In("nl"))
}

// gridForm is a posted grid of G1: L-AERTS in row 0, L-DEWULF in row 1,
// with fields given as "r0.listening" → "A1".
func gridForm(fields map[string]string) url.Values {
	f := url.Values{"kind": {"module_end"}, "r0.learner": {"L-AERTS"}, "r1.learner": {"L-DEWULF"}}
	for k, v := range fields {
		if strings.HasSuffix(k, ".goal") {
			f[k] = append(f[k], strings.Split(v, ",")...)
		} else {
			f.Set(k, v)
		}
	}
	return f
}

// moduleEnds returns the module-end evaluations stored in G1.
func moduleEnds(t *testing.T, a *servertest.App) map[string]string {
	t.Helper()
	gf, err := a.DB.FindGroup(context.Background(), "G1")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, ev := range gf.Evaluations {
		if ev.Kind == "module_end" {
			out[ev.Learner] = ev.Date.String() + " " + ev.Levels[0].String() + " " + ev.Decision + " " + strings.Join(ev.Goals, ",")
		}
	}
	return out
}

// TestEvaluationGridBadInput posts the grid as its page does, with one
// date for its new rows (the field "date"), and checks every broken rule.
func TestEvaluationGridBadInput(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("teacher")
	good := map[string]string{"r0.listening": "A1", "r0.decision": "pass", "date": "2026-03-13"}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range good {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name   string
		fields map[string]string
		want   string // the message beside the field
	}{
		{"unknown level", with(map[string]string{"r0.listening": "B3"}), "“B3” is geen ERK-niveau"},
		{"unknown level, lower case", with(map[string]string{"r0.reading": "z9"}), "“z9” is geen ERK-niveau"},
		{"a skill the module does not evaluate", with(map[string]string{"r0.writing": "A1"}), "module M1 evalueert schrijven niet (wel luisteren, lezen, gesprekken voeren, spreken)"},
		{"a date before the enrollment", with(map[string]string{"date": "2025-12-01"}), nl("rule.evaluationwindow", domain.MustDate("2025-12-01"), "G1", domain.DefaultGraceDays, domain.MustDate("2026-01-05"), domain.MustDate("2026-07-26"))},
		{"a date after a dropped enrollment", map[string]string{"r1.learner": "L-DEWULF", "r0.learner": "L-AERTS"}, ""},
		{"a date in the future", with(map[string]string{"date": "2026-04-01"}), nl("rule.future", domain.MustDate("2026-04-01"))},
		{"not a date", with(map[string]string{"date": "13/13/2026"}), nl("parse.date", "13/13/2026")},
		{"no date", with(map[string]string{"date": ""}), nl("rule.required")},
		{"no decision", with(map[string]string{"r0.decision": ""}), nl("rule.requiredof", strings.Join(domain.Decisions.Codes, ", "))},
		{"unknown decision", with(map[string]string{"r0.decision": "maybe"}), nl("rule.notcode", "maybe", locale.New("list.decision"), strings.Join(domain.Decisions.Codes, ", "))},
		{"a pass without a level", map[string]string{"r0.decision": "pass", "date": "2026-03-13", "r0.feedback": "x"}, nl("rule.passneedsskill")},
		{"a goal of another module", with(map[string]string{"r0.goal": "M2-L1"}), nl("rule.notgoal", "M2-L1", "M1")},
		{"feedback too long", with(map[string]string{"r0.feedback": strings.Repeat("x", domain.MaxTextLength+1)}), nl("rule.toolong", domain.MaxTextLength+1, domain.MaxTextLength)},
		{"a good row beside a bad one", with(map[string]string{"r1.listening": "A9", "r1.decision": "fail"}), "“A9” is geen ERK-niveau"},
	}
	for _, tt := range tests {
		if tt.want == "" {
			continue
		}
		r := c.Post("/groups/G1/evaluations", gridForm(tt.fields))
		servertest.WantStatus(t, tt.name, r, http.StatusUnprocessableEntity)
		servertest.WantBody(t, tt.name, r, strings.ReplaceAll(strings.ReplaceAll(tt.want, "“", "&#34;"), "”", "&#34;"), `class="err"`, "niets is opgeslagen")
		// The user's input comes back as typed.
		for k, v := range tt.fields {
			if (strings.HasPrefix(k, "r0.") || k == "date") && !strings.HasSuffix(k, "goal") && !strings.HasSuffix(k, "decision") && k != "r0.writing" && len(v) < 100 && v != "" {
				kept := "value=\"" + v + "\""
				if k == "date" {
					kept = `id="grid-date" name="date" value="` + v + `"`
				}
				if k == "r0.feedback" {
					kept = ">" + v + "</textarea>"
				}
				servertest.WantBody(t, tt.name+" keeps "+k, r, kept)
			}
		}
		if got := moduleEnds(t, a); len(got) != 0 {
			t.Errorf("%s: stored %v, want nothing", tt.name, got)
		}
	}
	// A dropped enrollment ends on 2026-02-01: thirty days' grace, no more.
	f := gridForm(map[string]string{"r0.learner": "L-ENGELS", "r0.listening": "A1", "r0.decision": "fail", "date": "2026-03-10"})
	f.Del("r1.learner")
	servertest.WantBody(t, "after a dropped enrollment", c.Post("/groups/G1/evaluations", f), "(2026-01-05 – 2026-03-03)")

	// Forms no page of ours sends.
	servertest.WantStatus(t, "unknown kind", c.Post("/groups/G1/evaluations", url.Values{"kind": {"exam"}}), http.StatusBadRequest)
	servertest.WantStatus(t, "external test kind", c.Post("/groups/G1/evaluations", url.Values{"kind": {"external_test"}}), http.StatusBadRequest)
	servertest.WantStatus(t, "a learner of another group", c.Post("/groups/G1/evaluations", url.Values{"kind": {"module_end"},
		"r0.learner": {"L-ZEGERS"}, "r0.listening": {"A1"}, "r0.decision": {"pass"}, "r0.date": {"2026-03-13"}}), http.StatusForbidden)
	servertest.WantStatus(t, "a bad original date", c.Post("/groups/G1/evaluations", url.Values{"kind": {"module_end"},
		"r0.learner": {"L-AERTS"}, "r0.orig": {"yesterday"}}), http.StatusBadRequest)
}

func TestEvaluationGridSave(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("teacher")
	form := gridForm(map[string]string{
		"date":         "13/03/2026", // the grid's one date, as a Belgian types it
		"r0.listening": "a1", "r0.reading": "A1.1", "r0.spoken_interaction": "A1.2", "r0.decision": "pass",
		"r0.feedback": "Mooi gewerkt", "r0.goal": "M1-L1,M1-S1",
		"r1.listening": "A0", "r1.decision": "fail",
	})
	r := c.Post("/groups/G1/evaluations", form)
	servertest.WantStatus(t, "save", r, http.StatusSeeOther)
	if loc := r.Header().Get("Location"); loc != "/groups/G1?date=2026-03-13&kind=module_end&saved=2#grid" {
		t.Errorf("after saving: Location %q", loc)
	}
	want := map[string]string{"L-AERTS": "2026-03-13 A1 pass M1-L1,M1-S1", "L-DEWULF": "2026-03-13 A0 fail "}
	got := moduleEnds(t, a)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("stored %s = %q, want %q", k, got[k], v)
		}
	}
	// The page shows the saved values back.
	r = c.Get("/groups/G1?kind=module_end&saved=2")
	servertest.WantBody(t, "page after save", r, "Opgeslagen: 2 evaluatie(s) gewijzigd", `value="A1"`, `value="A1.1"`, `value="2026-03-13"`,
		">Mooi gewerkt</textarea>", `value="M1-L1" checked`)
	// htmx: the grid alone comes back, with the values and the message.
	c.HTMX = true
	form.Set("r0.orig", "2026-03-13")
	form.Set("r1.orig", "2026-03-13")
	form.Set("r0.listening", "A2")
	r = c.Post("/groups/G1/evaluations", form)
	servertest.WantStatus(t, "htmx save", r, http.StatusOK)
	servertest.WantBody(t, "htmx save", r, `id="grid"`, "Opgeslagen: 1 evaluatie(s) gewijzigd", `value="A2"`)
	if strings.Contains(r.Body.String(), "<html") {
		t.Error("htmx answer is a whole page, want the grid alone")
	}
	// The audit trail has the create and the update, with before and after.
	trail, err := a.DB.ListAudit(context.Background(), "L-AERTS", 0)
	if err != nil || len(trail) != 2 || trail[0].Action != "update" || trail[0].Username != "t1" ||
		!strings.Contains(string(trail[0].Before), `"listening":"A1"`) || !strings.Contains(string(trail[0].After), `"listening":"A2"`) {
		t.Errorf("audit of L-AERTS = %+v, %v", trail, err)
	}
	// The learner page shows the history.
	c.HTMX = false
	servertest.WantBody(t, "history", c.Get("/learners/L-AERTS"), "evaluatie", "<del>A1</del>", "<ins>A2</ins>", "t1")
	// Someone else's change meanwhile: the stored evaluation moved.
	form.Set("r0.orig", "2026-03-01")
	r = c.Post("/groups/G1/evaluations", form)
	servertest.WantStatus(t, "stale row", r, http.StatusConflict)
	servertest.WantBody(t, "stale row", r, "Niets is opgeslagen")
}

func TestAttendance(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("teacher")
	form := func(aerts, dewulf string) url.Values {
		return url.Values{"a0.learner": {"L-AERTS"}, "a0.hours": {aerts}, "a1.learner": {"L-DEWULF"}, "a1.hours": {dewulf}}
	}
	for _, bad := range []struct{ hours, want string }{
		{"abc", "is geen aantal uren"}, {"-1", "kan niet negatief zijn"}, {"", "Vul dit veld in"}, {"NaN", "is geen aantal uren"}, {"1e9", "te veel uren"},
	} {
		r := c.Post("/groups/G1/attendance", form(bad.hours, "28"))
		servertest.WantStatus(t, "hours "+bad.hours, r, http.StatusUnprocessableEntity)
		servertest.WantBody(t, "hours "+bad.hours, r, bad.want)
	}
	r := c.Post("/groups/G1/attendance", form("32,5", "28"))
	servertest.WantStatus(t, "save", r, http.StatusSeeOther)
	gf, _ := a.DB.FindGroup(context.Background(), "G1")
	if h := gf.Enrollment("L-AERTS").Enrollment.HoursAttended; h != 32.5 {
		t.Errorf("hours = %v, want 32.5", h)
	}
	servertest.WantBody(t, "page", c.Get(r.Header().Get("Location")), "Opgeslagen: 1 inschrijving(en) gewijzigd", `value="32,5"`)
	if strings.Contains(c.Get("/groups/G1").Body.String(), `id="attendance-over"`) {
		t.Error("hours within the plan: warned")
	}
	// More hours than the 120 planned are saved, with a word.
	servertest.WantStatus(t, "over the plan", c.Post("/groups/G1/attendance", form("130,5", "28")), http.StatusSeeOther)
	servertest.WantBody(t, "over the plan", c.Get("/groups/G1"), `id="attendance-over"`, "Let op: meer uren dan de 120 geplande: Amina Aerts (130,5 uur).")
	c.HTMX = true
	r = c.Post("/groups/G1/attendance", form("33", "29"))
	servertest.WantStatus(t, "htmx save", r, http.StatusOK)
	servertest.WantBody(t, "htmx save", r, `id="attendance"`, "Opgeslagen: 2 inschrijving(en) gewijzigd", `value="33"`)
	servertest.WantStatus(t, "not on the roster", c.Post("/groups/G1/attendance", url.Values{"a0.learner": {"L-ZEGERS"}, "a0.hours": {"1"}}), http.StatusForbidden)
}

func TestLearnerForms(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("counsellor")
	tests := []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"goal: no skill", "goals", url.Values{"skill": {""}, "target_level": {"A2"}, "set_date": {"2026-03-01"}}, "Kies een waarde uit de lijst"},
		{"goal: unknown skill", "goals", url.Values{"skill": {"dancing"}, "target_level": {"A2"}, "set_date": {"2026-03-01"}}, nl("parse.skill", "dancing", strings.Join(domain.SkillCodes[:], ", "))},
		{"goal: unknown level", "goals", url.Values{"skill": {"reading"}, "target_level": {"B7"}, "set_date": {"2026-03-01"}}, "&#34;B7&#34; is geen ERK-niveau"},
		{"goal: no level", "goals", url.Values{"skill": {"reading"}, "target_level": {""}, "set_date": {"2026-03-01"}}, "is verplicht (A0, A1.1"},
		{"goal: bad date", "goals", url.Values{"skill": {"reading"}, "target_level": {"A2"}, "set_date": {"1 maart"}}, nl("parse.date", "1 maart")},
		{"goal: set in the future", "goals", url.Values{"skill": {"reading"}, "target_level": {"A2"}, "set_date": {"2026-04-01"}}, nl("rule.future", domain.MustDate("2026-04-01"))},
		{"goal: target before set", "goals", url.Values{"skill": {"reading"}, "target_level": {"A2"}, "set_date": {"2026-03-01"}, "target_date": {"2026-02-01"}}, "2026-02-01 ligt vóór de datum van vastleggen (2026-03-01)"},
		{"goal: date out of range", "goals", url.Values{"skill": {"reading"}, "target_level": {"A2"}, "set_date": {"2026-03-01"}, "target_date": {"2101-01-01"}}, nl("rule.dateoutside", domain.MustDate("2101-01-01"), domain.MinDate, domain.MaxDate)},
		{"outflow: no type", "outflows", url.Values{"date": {"2026-03-01"}}, nl("rule.requiredof", strings.Join(domain.OutflowTypes.Codes, ", "))},
		{"outflow: early leaver without reason", "outflows", url.Values{"date": {"2026-03-01"}, "type": {"early_leaver"}}, nl("rule.reasonrequired", strings.Join(domain.OutflowReasons.Codes, ", "))},
		{"outflow: reason for a qualified outflow", "outflows", url.Values{"date": {"2026-03-01"}, "type": {"qualified"}, "reason": {"work"}}, nl("rule.reasonblank")},
		{"outflow: unknown reason", "outflows", url.Values{"date": {"2026-03-01"}, "type": {"early_leaver"}, "reason": {"boredom"}}, nl("rule.notcode", "boredom", locale.New("list.outflow reason"), strings.Join(domain.OutflowReasons.Codes, ", "))},
		{"outflow: unknown destination", "outflows", url.Values{"date": {"2026-03-01"}, "type": {"qualified"}, "destination": {"moon"}}, nl("rule.notcode", "moon", locale.New("list.destination"), strings.Join(domain.Destinations.Codes, ", "))},
		{"outflow: future", "outflows", url.Values{"date": {"2027-03-01"}, "type": {"qualified"}}, nl("rule.future", domain.MustDate("2027-03-01"))},
		{"outflow: no date", "outflows", url.Values{"date": {""}, "type": {"qualified"}}, nl("rule.required")},
		{"follow-up: unknown status", "followups", url.Values{"date": {"2026-03-01"}, "status": {"rich"}}, nl("rule.notcode", "rich", locale.New("list.follow-up status"), strings.Join(domain.FollowUpStatuses.Codes, ", "))},
		{"follow-up: bad date", "followups", url.Values{"date": {"2026-02-30"}, "status": {"work"}}, nl("parse.date", "2026-02-30")},
	}
	for _, tt := range tests {
		r := c.Post("/learners/L-AERTS/"+tt.path, tt.form)
		servertest.WantStatus(t, tt.name, r, http.StatusUnprocessableEntity)
		servertest.WantBody(t, tt.name, r, tt.want, `aria-invalid="true"`)
	}
	// A provider the form does not offer is a request no form of ours
	// sends (issue 18: the outflow form's providers).
	r := c.Post("/learners/L-AERTS/outflows", url.Values{"date": {"2026-03-01"}, "type": {"qualified"}, "provider": {"P9"}})
	servertest.WantStatus(t, "outflow: unknown provider", r, http.StatusBadRequest)
	servertest.WantBody(t, "outflow: unknown provider", r, "Kies een aanbieder waarvoor je deze lerende mag laten uitstromen.", `aria-invalid="true"`)
	f, _ := a.DB.FindLearner(context.Background(), "L-AERTS", domain.DateOf(servertest.Now))
	if len(f.Goals) != 1 || len(f.Outflows) != 0 || len(f.FollowUps) != 0 {
		t.Fatalf("after refused forms: %d goals, %d outflows, %d follow-ups; want 1, 0, 0", len(f.Goals), len(f.Outflows), len(f.FollowUps))
	}
	saves := []struct {
		path string
		form url.Values
		want []string
	}{
		{"goals", url.Values{"skill": {"reading"}, "target_level": {"a2.2"}, "set_date": {"01/03/2026"}, "target_date": {"2026-12-01"}}, []string{"Het doel is opgeslagen", "<td>A2</td>"}},
		{"outflows", url.Values{"date": {"2026-03-10"}, "type": {"early_leaver"}, "reason": {"work"}, "destination": {"work"}, "provider": {"P1"}}, []string{"De uitstroom is opgeslagen", "vroegtijdig", "CVO Een"}},
		{"followups", url.Values{"date": {"2026-03-14"}, "status": {"work_and_education"}}, []string{"De opvolging is opgeslagen", "werk en onderwijs"}},
	}
	for _, s := range saves {
		r := c.Post("/learners/L-AERTS/"+s.path, s.form)
		servertest.WantStatus(t, "save "+s.path, r, http.StatusSeeOther)
		servertest.WantBody(t, "page after "+s.path, c.Get(r.Header().Get("Location")), s.want...)
	}
	c.HTMX = true
	r = c.Post("/learners/L-AERTS/followups", url.Values{"date": {"2026-03-15"}, "status": {"work"}})
	servertest.WantStatus(t, "htmx follow-up", r, http.StatusOK)
	servertest.WantBody(t, "htmx follow-up", r, `id="learner-main"`, "De opvolging is opgeslagen", "2026-03-15")
	trail, _ := a.DB.ListAudit(context.Background(), "L-AERTS", 0)
	if len(trail) != 4 {
		t.Errorf("audit trail has %d entries, want 4", len(trail))
	}
	for _, e := range trail {
		if e.Username != "c1" {
			t.Errorf("audit entry by %q, want c1", e.Username)
		}
	}
}

func TestCSRFAndStaleSessions(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("teacher")
	for _, p := range []string{"/groups/G1/evaluations", "/groups/G1/attendance", "/logout"} {
		r := c.Post(p, url.Values{"csrf": {""}, "kind": {"module_end"}})
		servertest.WantStatus(t, "no CSRF token "+p, r, http.StatusForbidden)
		servertest.WantBody(t, "no CSRF token "+p, r, "Het formulier is verlopen of ongeldig")
		servertest.WantStatus(t, "wrong CSRF token "+p, c.Post(p, url.Values{"csrf": {"forged"}, "kind": {"module_end"}}), http.StatusForbidden)
	}
	cc := a.As("counsellor")
	for _, p := range []string{"/learners/L-AERTS/goals", "/learners/L-AERTS/outflows", "/learners/L-AERTS/followups"} {
		servertest.WantStatus(t, "no CSRF token "+p, cc.Post(p, url.Values{"csrf": {""}}), http.StatusForbidden)
	}
	// Another session's token does not do either.
	other := a.As("teacher")
	servertest.WantStatus(t, "another session's token", c.Post("/groups/G1/evaluations", url.Values{"csrf": {other.CSRF}, "kind": {"module_end"}}), http.StatusForbidden)

	// A session that expired: pages go to the login, writes are 401.
	token, csrf, err := a.DB.CreateSession(context.Background(), "t1", time.Hour, servertest.Now.Add(-2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	stale := &servertest.Client{A: a, Cookie: token, CSRF: csrf}
	r := stale.Get("/groups/G1")
	servertest.WantStatus(t, "stale GET", r, http.StatusSeeOther)
	if strings.Contains(r.Header().Get("Set-Cookie"), "traject_session=;") == false {
		t.Errorf("stale session cookie not cleared: %q", r.Header().Get("Set-Cookie"))
	}
	servertest.WantStatus(t, "stale POST", stale.Post("/groups/G1/evaluations", url.Values{"kind": {"module_end"}}), http.StatusUnauthorized)
	// A logged-out session, and a disabled user's session, are stale too.
	servertest.WantStatus(t, "logout", other.Post("/logout", nil), http.StatusSeeOther)
	servertest.WantStatus(t, "after logout", other.Get("/groups"), http.StatusSeeOther)
	if err := a.DB.SetDisabled(context.Background(), "test", "t1", true, servertest.Now); err != nil {
		t.Fatal(err)
	}
	servertest.WantStatus(t, "disabled user", c.Post("/groups/G1/attendance", nil), http.StatusUnauthorized)
}

func TestLogin(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	res := servertest.Login(t, a, "c1", servertest.Password)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/learners/L-AERTS" {
		t.Fatalf("login: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == auth.SessionCookieName(false) {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Value == "" {
		t.Fatalf("session cookie = %+v", session)
	}
	c := &servertest.Client{A: a, Cookie: session.Value}
	servertest.WantStatus(t, "signed in", c.Get("/learners/L-AERTS"), http.StatusOK)
	servertest.WantStatus(t, "login page when signed in", c.Get("/login"), http.StatusSeeOther)

	if res := servertest.Login(t, a, "c1", "wrong password"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong password: %d, want 401", res.StatusCode)
	}
	// No login cookie: the form is refused.
	r := a.Anonymous().Post("/login", url.Values{"username": {"c1"}, "password": {servertest.Password}, "csrf": {"x"}})
	servertest.WantStatus(t, "login without CSRF cookie", r, http.StatusForbidden)
	servertest.WantBody(t, "login without CSRF cookie", r, "Het formulier was verlopen")
	// An open redirect is not followed.
	a2 := servertest.New(t)
	c2 := a2.Anonymous()
	page := c2.Get("/login")
	ck := page.Result().Cookies()[0]
	form := url.Values{"username": {"t1"}, "password": {servertest.Password}, "csrf": {ck.Value}, "next": {"//evil.example/"}}
	req, _ := http.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(ck)
	if loc := c2.Do(req).Header().Get("Location"); loc != "/today" {
		t.Errorf("next=//evil.example/: Location %q, want /today (the teacher's start page)", loc)
	}
}

func TestLoginThrottling(t *testing.T) {
	t.Parallel()
	now := servertest.Now
	a := servertest.New(t).WithClock(&now)
	// Guessing one user's password is slowed down, from any address: ten
	// attempts, then one every six seconds (auth.LoginRatePerUser).
	for i := 0; i < 10; i++ {
		addr := fmt.Sprintf("198.51.100.%d:1234", i+1)
		if res := servertest.LoginFrom(t, a, addr, "t1", "wrong password"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, res.StatusCode)
		}
	}
	if res := servertest.LoginFrom(t, a, "198.51.100.99:1234", "t1", servertest.Password); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("eleventh attempt at t1: %d, want 429", res.StatusCode)
	}
	// The owner is slowed down, not locked out: six seconds later the right
	// password signs in.
	now = now.Add(6 * time.Second)
	if res := servertest.LoginFrom(t, a, "198.51.100.99:1234", "t1", servertest.Password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the right password after the slowdown: %d, want 303", res.StatusCode)
	}
	// An admin sees the slowdown and can lift it at once.
	for i := 0; i < 10; i++ {
		servertest.LoginFrom(t, a, fmt.Sprintf("198.51.100.%d:1234", i+1), "t1", "wrong password")
	}
	admin := a.As("admin")
	servertest.WantBody(t, "the admin's view of t1", admin.Get("/admin/users/t1"), "aanmelden vertraagd", "Vertraging opheffen")
	servertest.WantStatus(t, "lift the slowdown", admin.Post("/admin/users/t1/unlock", nil), http.StatusSeeOther)
	if res := servertest.LoginFrom(t, a, "198.51.100.99:1234", "t1", servertest.Password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the right password once the admin lifted the slowdown: %d, want 303", res.StatusCode)
	}
	if strings.Contains(admin.Get("/admin/users/t1").Body.String(), "aanmelden vertraagd") {
		t.Error("the slowdown still shows after it was lifted")
	}
	// One client address is slowed down whatever the user names, after a
	// generous burst (auth.LoginRatePerAddress), so that a centre behind
	// one address is not slowed down by one colleague's typos.
	var last int
	for i := 0; i < 21; i++ {
		last = servertest.LoginFrom(t, a, "192.0.2.7:1234", fmt.Sprintf("nobody%d", i), "wrong password").StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("after 21 attempts from one address: %d, want 429", last)
	}
	if res := servertest.LoginFrom(t, a, "192.0.2.8:1234", "c1", servertest.Password); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a colleague at another address: %d, want 303", res.StatusCode)
	}
}

func TestHeadersLanguageAndLog(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("counsellor")
	r := c.Get("/learners/L-AERTS")
	h := r.Header()
	for k, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'",
		"X-Content-Type-Options":  "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin", "Cache-Control": "no-store",
	} {
		if !strings.Contains(h.Get(k), want) {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
	body := r.Body.String()
	for _, bad := range []string{"<script>", "style=", " onclick=", "javascript:"} {
		if strings.Contains(body, bad) {
			t.Errorf("page holds %q, which the CSP forbids", bad)
		}
	}
	servertest.WantBody(t, "chart data", r, `data-chart="{&#34;ladder&#34;:[&#34;A0&#34;,&#34;A1.1&#34;`)
	servertest.WantBody(t, "dutch", r, `<html lang="nl">`, "Mijn lerenden", "Niveau per vaardigheid", "luisteren")
	// The language selector sets a cookie and goes back; English follows.
	sel := c.Get("/lang?lang=en&next=%2Flearners%2FL-AERTS")
	servertest.WantStatus(t, "language", sel, http.StatusSeeOther)
	if sel.Header().Get("Location") != "/learners/L-AERTS" || !strings.Contains(sel.Header().Get("Set-Cookie"), "lang=en") {
		t.Errorf("language selector: %v", sel.Header())
	}
	if loc := c.Get("/lang?lang=en&next=https://evil.example/").Header().Get("Location"); loc != "/" {
		t.Errorf("language selector to another site: %q", loc)
	}
	c.Lang = "en"
	servertest.WantBody(t, "english", c.Get("/learners/L-AERTS"), `<html lang="en">`, "My learners", "Level per skill", "listening")
	servertest.WantBody(t, "english messages", c.Post("/learners/L-AERTS/goals", url.Values{"skill": {"reading"}, "target_level": {"X1"}, "set_date": {"2026-03-01"}}),
		"&#34;X1&#34; is not a CEFR level")
	// The access log names routes, never learners.
	log := a.Logs.String()
	if !strings.Contains(log, "route=/learners/:id") || !strings.Contains(log, "status=200") {
		t.Errorf("access log lacks the route pattern:\n%s", log)
	}
	for _, personal := range []string{"L-AERTS", "Aerts", "c1"} {
		if strings.Contains(log, personal) {
			t.Errorf("access log names %q:\n%s", personal, log)
		}
	}
}

// TestEscaping puts markup in every text a page shows of a learner: the
// hand-written rows of the group page (grid.go) and the templates must
// print it as text.
func TestEscaping(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	ctx := context.Background()
	evil := `<img src=x onerror=alert(1)>"'&`
	tx, err := a.DB.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ds := testkit.Fixture()
	ds.Learners[0].FirstName = evil
	ds.Evaluations[0].Feedback = evil
	ds.Evaluations[0].Kind = "module_end"
	if _, err := tx.Upsert(ctx, &domain.DataSet{Learners: ds.Learners[:1], Evaluations: ds.Evaluations[:1]}, nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	c := a.As("teacher")
	for _, p := range []string{"/groups/G1", "/learners/L-AERTS", "/learners"} {
		r := c.Get(p)
		servertest.WantStatus(t, p, r, http.StatusOK)
		if strings.Contains(r.Body.String(), "<img src=x") || strings.Contains(r.Body.String(), `"'&`) {
			t.Errorf("%s prints the markup unescaped", p)
		}
		servertest.WantBody(t, p, r, "&lt;img src=x onerror=alert(1)&gt;")
	}
	// Typed input comes back escaped too.
	r := c.Post("/groups/G1/evaluations", gridForm(map[string]string{"r0.listening": `"><script>x</script>`, "r0.decision": "pass", "r0.date": "2026-03-13"}))
	servertest.WantStatus(t, "typed markup", r, http.StatusUnprocessableEntity)
	if strings.Contains(r.Body.String(), "<script>x") {
		t.Error("typed markup comes back unescaped")
	}
}

// TestDisabledLoginTellsNothing: a disabled account's login answers
// exactly what a wrong password answers, with the right password or a wrong
// one, so that the answer confirms no password (issue 18).
func TestDisabledLoginTellsNothing(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	if err := a.DB.SetDisabled(context.Background(), "test", "t2", true, servertest.Now); err != nil {
		t.Fatal(err)
	}
	// The page carries a fresh login token: compare what is left.
	token := regexp.MustCompile(`name="csrf" value="[^"]*"`)
	answer := func(username, password string) string {
		rec := loginForm(t, a, url.Values{"username": {username}, "password": {password}})
		var cookies []string
		for _, ck := range rec.Result().Cookies() {
			cookies = append(cookies, ck.Name)
		}
		return fmt.Sprintf("%d %v\n%s", rec.Code, cookies, token.ReplaceAllString(rec.Body.String(), ""))
	}
	wrong := answer("t2", "wrong password")
	if !strings.HasPrefix(wrong, "401 ") || !strings.Contains(wrong, "Onbekende gebruikersnaam of verkeerd wachtwoord") {
		t.Fatalf("wrong password of a disabled account:\n%.300s", wrong)
	}
	if right := answer("t2", servertest.Password); right != wrong {
		t.Errorf("the right password of a disabled account answers otherwise than a wrong one:\n%.300s\nwant\n%.300s", right, wrong)
	}
	enabled := strings.ReplaceAll(answer("t1", "wrong password"), `value="t1"`, `value="t2"`)
	if enabled != wrong {
		t.Errorf("a wrong password of an enabled account answers otherwise than of a disabled one:\n%.300s\nwant\n%.300s", enabled, wrong)
	}
}

package ui_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

// secretRE finds the one-time password on a page.
var secretRE = regexp.MustCompile(`<code class="password">([^<]+)</code>`)

func TestAdminUsers(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	ctx := context.Background()
	root := a.As("admin")

	r := root.Get("/admin/users")
	servertest.WantStatus(t, "list", r, http.StatusOK)
	servertest.WantBody(t, "list", r, "k1", "coördinator", "P1", "7 gebruikers")

	// A new coordinator with a one-time password, shown once.
	r = root.Post("/admin/users", url.Values{"username": {"k3"}, "role": {"coordinator"}, "providers": {"P1", "P2"}})
	servertest.WantStatus(t, "create", r, http.StatusOK)
	m := secretRE.FindStringSubmatch(r.Body.String())
	if m == nil {
		t.Fatalf("no one-time password on the page:\n%s", servertest.Excerpt(r.Body.String()))
	}
	if _, err := a.DB.Authenticate(ctx, "k3", html.UnescapeString(m[1]), auth.Throttle{}, servertest.Now); err != nil {
		t.Fatalf("the one-time password does not sign k3 in: %v", err)
	}
	u, err := a.DB.FindUser(ctx, "k3")
	if err != nil || u.Role != domain.RoleCoordinator || strings.Join(u.Providers, ",") != "P1,P2" {
		t.Fatalf("stored %+v, %v", u, err)
	}
	if strings.Contains(root.Get("/admin/users").Body.String(), m[1]) {
		t.Fatal("the one-time password is shown again")
	}

	// Mistakes.
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"username": {"k3"}, "role": {"teacher"}}, "Deze gebruikersnaam bestaat al"},
		{url.Values{"username": {"-x"}, "role": {"teacher"}}, "Gebruik 1 tot 64 letters"},
		{url.Values{"username": {"k4"}, "role": {"coordinator"}}, "Een coördinator heeft minstens één aanbieder"},
		{url.Values{"username": {"k4"}, "role": {"boss"}}, "Kies een waarde uit de lijst"},
		{url.Values{"username": {"k4"}, "role": {"teacher"}, "providers": {"P9"}}, "Kies een waarde uit de lijst"},
		{url.Values{"username": {"k4"}, "role": {"teacher"}, "password": {"kort"}}, "Het wachtwoord is te kort"},
		{url.Values{"username": {"k4"}, "role": {"teacher"}, "password": {"wachtwoord123"}}, "te makkelijk te raden"},
	} {
		r := root.Post("/admin/users", tc.form)
		servertest.WantStatus(t, tc.want, r, http.StatusUnprocessableEntity)
		servertest.WantBody(t, tc.want, r, html.EscapeString(tc.want))
	}

	// Role and providers.
	r = root.Post("/admin/users/c2", url.Values{"role": {"coordinator"}, "providers": {"P2"}})
	servertest.WantStatus(t, "role", r, http.StatusSeeOther)
	if u, _ := a.DB.FindUser(ctx, "c2"); u.Role != domain.RoleCoordinator || len(u.Providers) != 1 {
		t.Fatalf("after the change: %+v", u)
	}
	servertest.WantStatus(t, "coordinator without providers", root.Post("/admin/users/c2", url.Values{"role": {"coordinator"}}), http.StatusUnprocessableEntity)
	r = root.Post("/admin/users/root", url.Values{"role": {"teacher"}})
	servertest.WantStatus(t, "own role", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "own role", r, "Je kunt je eigen rol niet wijzigen")

	// Disable and enable; the disabled user's session ends.
	t2 := a.As("teacher2")
	servertest.WantStatus(t, "disable", root.Post("/admin/users/t2/disable", nil), http.StatusSeeOther)
	if r := t2.Get("/groups"); r.Code != http.StatusSeeOther {
		t.Errorf("a disabled teacher still has a session: %d", r.Code)
	}
	servertest.WantBody(t, "disabled", root.Get("/admin/users/t2"), "uitgeschakeld", "Weer inschakelen")
	servertest.WantStatus(t, "enable", root.Post("/admin/users/t2/enable", nil), http.StatusSeeOther)
	r = root.Post("/admin/users/root/disable", nil)
	servertest.WantStatus(t, "disable self", r, http.StatusConflict)
	servertest.WantBody(t, "disable self", r, "Je kunt je eigen account niet uitschakelen")

	// Reset a password: chosen, or one-time.
	servertest.WantStatus(t, "short password", root.Post("/admin/users/t1/password", url.Values{"password": {"kort"}}), http.StatusUnprocessableEntity)
	r = root.Post("/admin/users/t1/password", url.Values{"password": {"een lang genoeg wachtwoord"}})
	servertest.WantStatus(t, "set password", r, http.StatusOK)
	servertest.WantBody(t, "set password", r, "Het wachtwoord is gewijzigd")
	if secretRE.MatchString(r.Body.String()) {
		t.Error("a chosen password is shown")
	}
	if _, err := a.DB.Authenticate(ctx, "t1", "een lang genoeg wachtwoord", auth.Throttle{}, servertest.Now); err != nil {
		t.Fatalf("the new password does not sign t1 in: %v", err)
	}
	r = root.Post("/admin/users/t1/password", nil)
	m = secretRE.FindStringSubmatch(r.Body.String())
	if m == nil {
		t.Fatal("no one-time password after a reset")
	}
	if _, err := a.DB.Authenticate(ctx, "t1", html.UnescapeString(m[1]), auth.Throttle{}, servertest.Now); err != nil {
		t.Fatalf("the one-time password does not sign t1 in: %v", err)
	}

	trail, err := a.DB.ListAuditOf(ctx, "users", 50)
	if err != nil {
		t.Fatal(err)
	}
	// k3 created; c2's role; t2 disabled, enabled; t1's password twice.
	mine := 0
	for _, e := range trail {
		if e.Username == "root" {
			mine++
		}
		if strings.Contains(string(e.After), "$2a$") || strings.Contains(string(e.After), m[1]) {
			t.Errorf("the audit trail holds a password: %s", e.After)
		}
	}
	if mine != 6 {
		t.Errorf("the audit trail holds %d user changes by root, want 6", mine)
	}
}

func TestAdminProviders(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	root := a.As("admin")
	r := root.Post("/admin/providers", url.Values{"code": {"P3"}, "name": {"Huis van het Nederlands"}, "type": {"other"}})
	servertest.WantStatus(t, "create", r, http.StatusSeeOther)
	servertest.WantBody(t, "created", root.Get(r.Header().Get("Location")), "Aangemaakt", "Huis van het Nederlands")
	r = root.Post("/admin/providers", url.Values{"code": {"P3"}, "name": {"Dubbel"}, "type": {"cvo"}})
	servertest.WantStatus(t, "duplicate", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "duplicate", r, "Die code is al in gebruik")
	r = root.Post("/admin/providers", url.Values{"code": {"P 4"}, "name": {""}, "type": {"nope"}})
	servertest.WantStatus(t, "mistakes", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "mistakes", r, "zonder spaties", "Vul dit veld in", "Kies een waarde uit de lijst")
	servertest.WantStatus(t, "rename", root.Post("/admin/providers/P1", url.Values{"name": {"CVO Een en Twee"}, "type": {"cvo"}}), http.StatusSeeOther)
	servertest.WantBody(t, "renamed", root.Get("/admin/providers"), "CVO Een en Twee")
	servertest.WantStatus(t, "unknown", root.Post("/admin/providers/NOPE", url.Values{"name": {"x"}, "type": {"cvo"}}), http.StatusNotFound)
	trail, _ := a.DB.ListAuditOf(context.Background(), "providers", 10)
	if len(trail) != 2 || trail[0].Action != "update" || !strings.Contains(string(trail[0].Before), "CVO Een") {
		t.Errorf("audit of providers: %+v", trail)
	}
}

func TestAdminModulesAndGoals(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	ctx := context.Background()
	root := a.As("admin")
	form := url.Values{"code": {"M3"}, "provider": {"P1"}, "name": {"Richtgraad 1.2"}, "programme": {"NT2 R1"},
		"entry_level": {"A1"}, "target_level": {"A2"}, "skills": {"listening", "reading"}, "nominal_hours": {"80"}}
	r := root.Post("/admin/modules", form)
	servertest.WantStatus(t, "create", r, http.StatusSeeOther)
	m, _, err := a.DB.FindModule(ctx, "M3")
	if err != nil || m.NominalHours != 80 || m.Skills != 3 {
		t.Fatalf("stored %+v, %v", m, err)
	}
	bad := url.Values{"code": {"M4"}, "provider": {"P9"}, "name": {"x"}, "programme": {"x"}, "entry_level": {"A2"},
		"target_level": {"A1"}, "nominal_hours": {"0"}}
	r = root.Post("/admin/modules", bad)
	servertest.WantStatus(t, "mistakes", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "mistakes", r, "Het doelniveau moet boven het instapniveau (A2) liggen", "Kies minstens één vaardigheid", "Geef een getal van 1 tot 10000")

	// M1's groups hold evaluations of reading: the module keeps it.
	keep := url.Values{"provider": {"P1"}, "name": {"Richtgraad 1.1"}, "programme": {"NT2 R1"}, "entry_level": {"A0"},
		"target_level": {"A1"}, "skills": {"listening", "spoken_interaction", "spoken_production"}, "nominal_hours": {"120"}}
	r = root.Post("/admin/modules/M1", keep)
	servertest.WantStatus(t, "drop an evaluated skill", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "drop an evaluated skill", r, "stored evaluation(s) assess a skill")
	keep["skills"] = []string{"listening", "reading", "spoken_interaction", "spoken_production"}
	servertest.WantStatus(t, "edit", root.Post("/admin/modules/M1", keep), http.StatusSeeOther)
	if m, _, _ := a.DB.FindModule(ctx, "M1"); m.TargetLevel.String() != "A1" {
		t.Fatalf("after editing: %+v", m)
	}

	// Goals, from the module's page.
	servertest.WantBody(t, "module page", root.Get("/admin/modules/M1"), "M1-L1", "Begrijpt eenvoudige instructies", "Doel toevoegen")
	goal := url.Values{"code": {"M3-R1"}, "module": {"M3"}, "skill": {"reading"}, "level": {"A2"}, "description": {"Leest korte teksten"}, "source": {"provider"}}
	r = root.Post("/admin/goals", goal)
	servertest.WantStatus(t, "add goal", r, http.StatusSeeOther)
	if loc := r.Header().Get("Location"); loc != "/admin/modules/M3?saved=1#goals" {
		t.Errorf("after adding a goal: Location %q", loc)
	}
	goal.Set("module", "M9")
	goal.Set("code", "M9-R1")
	servertest.WantStatus(t, "goal of no module", root.Post("/admin/goals", goal), http.StatusUnprocessableEntity)
	r = root.Post("/admin/goals/M3-R1", url.Values{"module": {"M3"}, "skill": {"reading"}, "level": {"B1"}, "description": {"Leest teksten"}, "source": {"provider"}})
	servertest.WantStatus(t, "edit goal", r, http.StatusSeeOther)
	if g, _ := a.DB.FindGoal(ctx, "M3-R1"); g.Level.String() != "B1" {
		t.Fatalf("after editing the goal: %+v", g)
	}
	// Codes with a slash, as real module codes have, are reachable.
	form.Set("code", "CVO-A/1.1")
	servertest.WantStatus(t, "slash", root.Post("/admin/modules", form), http.StatusSeeOther)
	servertest.WantStatus(t, "slash page", root.Get("/admin/modules/"+url.PathEscape("CVO-A/1.1")), http.StatusOK)
	r = root.Get("/admin/modules?q=Richtgraad&provider=P1")
	servertest.WantBody(t, "search", r, "M1", "M3", "CVO-A/1.1")
}

func TestAdminGroups(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	ctx := context.Background()
	root := a.As("admin")
	form := url.Values{"code": {"G3"}, "module": {"M1"}, "start_date": {"2026-04-01"}, "end_date": {"2026-06-30"},
		"planned_hours": {"60"}, "teacher": {"t1"}, "intensity": {"standard"}}
	servertest.WantStatus(t, "create", root.Post("/admin/groups", form), http.StatusSeeOther)
	if g, err := a.DB.FindGroupRecord(ctx, "G3"); err != nil || g.Teacher != "t1" {
		t.Fatalf("stored %+v, %v", g, err)
	}
	listening := domain.Module{Code: "M-LUISTER", Provider: "P1", Name: "Luisteren", Programme: "NT2", EntryLevel: 0, TargetLevel: 2,
		Skills: 1 << domain.Listening, NominalHours: 40}
	if err := a.DB.SaveModule(ctx, "test", listening, true, servertest.Now); err != nil {
		t.Fatal(err)
	}
	// Give G1 to teacher t2: t2 sees it, t1 no longer does.
	g1 := url.Values{"module": {"M1"}, "start_date": {"2026-01-05"}, "end_date": {"2026-06-26"}, "planned_hours": {"120"},
		"teacher": {"t2"}, "intensity": {"standard"}}
	servertest.WantStatus(t, "assign teacher", root.Post("/admin/groups/G1", g1), http.StatusSeeOther)
	servertest.WantStatus(t, "t2 sees G1", a.As("teacher2").Get("/groups/G1"), http.StatusOK)
	servertest.WantStatus(t, "t1 does not", a.As("teacher").Get("/groups/G1"), http.StatusForbidden)

	for _, tc := range []struct {
		set  url.Values
		want string
	}{
		{url.Values{"teacher": {"c1"}}, "Kies een waarde uit de lijst"}, // a counsellor is no teacher
		{url.Values{"module": {"M9"}}, `Er is geen module &#34;M9&#34;`},
		{url.Values{"end_date": {"2025-12-01"}}, "Deze datum ligt vóór 2026-01-05"},
		{url.Values{"start_date": {"2026-03-10"}}, "enrollment(s) would start too early"}, // 64 days after them
		{url.Values{"module": {"M-LUISTER"}}, "stored evaluation(s) assess a skill"},
	} {
		f := url.Values{}
		for k, v := range g1 {
			f[k] = v
		}
		for k, v := range tc.set {
			f[k] = v
		}
		r := root.Post("/admin/groups/G1", f)
		servertest.WantStatus(t, tc.want, r, http.StatusUnprocessableEntity)
		servertest.WantBody(t, tc.want, r, tc.want)
	}
	trail, _ := a.DB.ListAuditOf(ctx, "groups", 10)
	if len(trail) != 2 {
		t.Errorf("audit of groups: %d entries, want 2", len(trail))
	}
	servertest.WantBody(t, "home", root.Get("/admin"), "Recente wijzigingen", "G1", "G3")
}

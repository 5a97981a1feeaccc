package server

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
)

// secretRE finds the one-time password on a page.
var secretRE = regexp.MustCompile(`<code class="password">([^<]+)</code>`)

func TestAdminUsers(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	root := a.as("admin")

	r := root.get("/admin/users")
	wantStatus(t, "list", r, http.StatusOK)
	wantBody(t, "list", r, "k1", "coördinator", "P1", "7 gebruikers")

	// A new coordinator with a one-time password, shown once.
	r = root.post("/admin/users", url.Values{"username": {"k3"}, "role": {"coordinator"}, "providers": {"P1", "P2"}})
	wantStatus(t, "create", r, http.StatusOK)
	m := secretRE.FindStringSubmatch(r.Body.String())
	if m == nil {
		t.Fatalf("no one-time password on the page:\n%s", excerpt(r.Body.String()))
	}
	if _, err := a.db.Authenticate(ctx, "k3", html.UnescapeString(m[1]), auth.Throttle{}, testNow); err != nil {
		t.Fatalf("the one-time password does not sign k3 in: %v", err)
	}
	u, err := a.db.FindUser(ctx, "k3")
	if err != nil || u.Role != domain.RoleCoordinator || strings.Join(u.Providers, ",") != "P1,P2" {
		t.Fatalf("stored %+v, %v", u, err)
	}
	if strings.Contains(root.get("/admin/users").Body.String(), m[1]) {
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
		r := root.post("/admin/users", tc.form)
		wantStatus(t, tc.want, r, http.StatusUnprocessableEntity)
		wantBody(t, tc.want, r, html.EscapeString(tc.want))
	}

	// Role and providers.
	r = root.post("/admin/users/c2", url.Values{"role": {"coordinator"}, "providers": {"P2"}})
	wantStatus(t, "role", r, http.StatusSeeOther)
	if u, _ := a.db.FindUser(ctx, "c2"); u.Role != domain.RoleCoordinator || len(u.Providers) != 1 {
		t.Fatalf("after the change: %+v", u)
	}
	wantStatus(t, "coordinator without providers", root.post("/admin/users/c2", url.Values{"role": {"coordinator"}}), http.StatusUnprocessableEntity)
	r = root.post("/admin/users/root", url.Values{"role": {"teacher"}})
	wantStatus(t, "own role", r, http.StatusUnprocessableEntity)
	wantBody(t, "own role", r, "Je kunt je eigen rol niet wijzigen")

	// Disable and enable; the disabled user's session ends.
	t2 := a.as("teacher2")
	wantStatus(t, "disable", root.post("/admin/users/t2/disable", nil), http.StatusSeeOther)
	if r := t2.get("/groups"); r.Code != http.StatusSeeOther {
		t.Errorf("a disabled teacher still has a session: %d", r.Code)
	}
	wantBody(t, "disabled", root.get("/admin/users/t2"), "uitgeschakeld", "Weer inschakelen")
	wantStatus(t, "enable", root.post("/admin/users/t2/enable", nil), http.StatusSeeOther)
	r = root.post("/admin/users/root/disable", nil)
	wantStatus(t, "disable self", r, http.StatusConflict)
	wantBody(t, "disable self", r, "Je kunt je eigen account niet uitschakelen")

	// Reset a password: chosen, or one-time.
	wantStatus(t, "short password", root.post("/admin/users/t1/password", url.Values{"password": {"kort"}}), http.StatusUnprocessableEntity)
	r = root.post("/admin/users/t1/password", url.Values{"password": {"een lang genoeg wachtwoord"}})
	wantStatus(t, "set password", r, http.StatusOK)
	wantBody(t, "set password", r, "Het wachtwoord is gewijzigd")
	if secretRE.MatchString(r.Body.String()) {
		t.Error("a chosen password is shown")
	}
	if _, err := a.db.Authenticate(ctx, "t1", "een lang genoeg wachtwoord", auth.Throttle{}, testNow); err != nil {
		t.Fatalf("the new password does not sign t1 in: %v", err)
	}
	r = root.post("/admin/users/t1/password", nil)
	m = secretRE.FindStringSubmatch(r.Body.String())
	if m == nil {
		t.Fatal("no one-time password after a reset")
	}
	if _, err := a.db.Authenticate(ctx, "t1", html.UnescapeString(m[1]), auth.Throttle{}, testNow); err != nil {
		t.Fatalf("the one-time password does not sign t1 in: %v", err)
	}

	trail, err := a.db.ListAuditOf(ctx, "users", 50)
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
	a := newApp(t)
	root := a.as("admin")
	r := root.post("/admin/providers", url.Values{"code": {"P3"}, "name": {"Huis van het Nederlands"}, "type": {"other"}})
	wantStatus(t, "create", r, http.StatusSeeOther)
	wantBody(t, "created", root.get(r.Header().Get("Location")), "Aangemaakt", "Huis van het Nederlands")
	r = root.post("/admin/providers", url.Values{"code": {"P3"}, "name": {"Dubbel"}, "type": {"cvo"}})
	wantStatus(t, "duplicate", r, http.StatusUnprocessableEntity)
	wantBody(t, "duplicate", r, "Die code is al in gebruik")
	r = root.post("/admin/providers", url.Values{"code": {"P 4"}, "name": {""}, "type": {"nope"}})
	wantStatus(t, "mistakes", r, http.StatusUnprocessableEntity)
	wantBody(t, "mistakes", r, "zonder spaties", "Vul dit veld in", "Kies een waarde uit de lijst")
	wantStatus(t, "rename", root.post("/admin/providers/P1", url.Values{"name": {"CVO Een en Twee"}, "type": {"cvo"}}), http.StatusSeeOther)
	wantBody(t, "renamed", root.get("/admin/providers"), "CVO Een en Twee")
	wantStatus(t, "unknown", root.post("/admin/providers/NOPE", url.Values{"name": {"x"}, "type": {"cvo"}}), http.StatusNotFound)
	trail, _ := a.db.ListAuditOf(context.Background(), "providers", 10)
	if len(trail) != 2 || trail[0].Action != "update" || !strings.Contains(string(trail[0].Before), "CVO Een") {
		t.Errorf("audit of providers: %+v", trail)
	}
}

func TestAdminModulesAndGoals(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	root := a.as("admin")
	form := url.Values{"code": {"M3"}, "provider": {"P1"}, "name": {"Richtgraad 1.2"}, "programme": {"NT2 R1"},
		"entry_level": {"A1"}, "target_level": {"A2"}, "skills": {"listening", "reading"}, "nominal_hours": {"80"}}
	r := root.post("/admin/modules", form)
	wantStatus(t, "create", r, http.StatusSeeOther)
	m, _, err := a.db.FindModule(ctx, "M3")
	if err != nil || m.NominalHours != 80 || m.Skills != 3 {
		t.Fatalf("stored %+v, %v", m, err)
	}
	bad := url.Values{"code": {"M4"}, "provider": {"P9"}, "name": {"x"}, "programme": {"x"}, "entry_level": {"A2"},
		"target_level": {"A1"}, "nominal_hours": {"0"}}
	r = root.post("/admin/modules", bad)
	wantStatus(t, "mistakes", r, http.StatusUnprocessableEntity)
	wantBody(t, "mistakes", r, "Het doelniveau moet boven het instapniveau (A2) liggen", "Kies minstens één vaardigheid", "Geef een getal van 1 tot 10000")

	// M1's groups hold evaluations of reading: the module keeps it.
	keep := url.Values{"provider": {"P1"}, "name": {"Richtgraad 1.1"}, "programme": {"NT2 R1"}, "entry_level": {"A0"},
		"target_level": {"A1"}, "skills": {"listening", "spoken_interaction", "spoken_production"}, "nominal_hours": {"120"}}
	r = root.post("/admin/modules/M1", keep)
	wantStatus(t, "drop an evaluated skill", r, http.StatusUnprocessableEntity)
	wantBody(t, "drop an evaluated skill", r, "stored evaluation(s) assess a skill")
	keep["skills"] = []string{"listening", "reading", "spoken_interaction", "spoken_production"}
	wantStatus(t, "edit", root.post("/admin/modules/M1", keep), http.StatusSeeOther)
	if m, _, _ := a.db.FindModule(ctx, "M1"); m.TargetLevel.String() != "A1" {
		t.Fatalf("after editing: %+v", m)
	}

	// Goals, from the module's page.
	wantBody(t, "module page", root.get("/admin/modules/M1"), "M1-L1", "Begrijpt eenvoudige instructies", "Doel toevoegen")
	goal := url.Values{"code": {"M3-R1"}, "module": {"M3"}, "skill": {"reading"}, "level": {"A2"}, "description": {"Leest korte teksten"}, "source": {"provider"}}
	r = root.post("/admin/goals", goal)
	wantStatus(t, "add goal", r, http.StatusSeeOther)
	if loc := r.Header().Get("Location"); loc != "/admin/modules/M3?saved=1#goals" {
		t.Errorf("after adding a goal: Location %q", loc)
	}
	goal.Set("module", "M9")
	goal.Set("code", "M9-R1")
	wantStatus(t, "goal of no module", root.post("/admin/goals", goal), http.StatusUnprocessableEntity)
	r = root.post("/admin/goals/M3-R1", url.Values{"module": {"M3"}, "skill": {"reading"}, "level": {"B1"}, "description": {"Leest teksten"}, "source": {"provider"}})
	wantStatus(t, "edit goal", r, http.StatusSeeOther)
	if g, _ := a.db.FindGoal(ctx, "M3-R1"); g.Level.String() != "B1" {
		t.Fatalf("after editing the goal: %+v", g)
	}
	// Codes with a slash, as real module codes have, are reachable.
	form.Set("code", "CVO-A/1.1")
	wantStatus(t, "slash", root.post("/admin/modules", form), http.StatusSeeOther)
	wantStatus(t, "slash page", root.get("/admin/modules/"+url.PathEscape("CVO-A/1.1")), http.StatusOK)
	r = root.get("/admin/modules?q=Richtgraad&provider=P1")
	wantBody(t, "search", r, "M1", "M3", "CVO-A/1.1")
}

func TestAdminGroups(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	root := a.as("admin")
	form := url.Values{"code": {"G3"}, "module": {"M1"}, "start_date": {"2026-04-01"}, "end_date": {"2026-06-30"},
		"planned_hours": {"60"}, "teacher": {"t1"}, "intensity": {"standard"}}
	wantStatus(t, "create", root.post("/admin/groups", form), http.StatusSeeOther)
	if g, err := a.db.FindGroupRecord(ctx, "G3"); err != nil || g.Teacher != "t1" {
		t.Fatalf("stored %+v, %v", g, err)
	}
	listening := domain.Module{Code: "M-LUISTER", Provider: "P1", Name: "Luisteren", Programme: "NT2", EntryLevel: 0, TargetLevel: 2,
		Skills: 1 << domain.Listening, NominalHours: 40}
	if err := a.db.SaveModule(ctx, "test", listening, true, testNow); err != nil {
		t.Fatal(err)
	}
	// Give G1 to teacher t2: t2 sees it, t1 no longer does.
	g1 := url.Values{"module": {"M1"}, "start_date": {"2026-01-05"}, "end_date": {"2026-06-26"}, "planned_hours": {"120"},
		"teacher": {"t2"}, "intensity": {"standard"}}
	wantStatus(t, "assign teacher", root.post("/admin/groups/G1", g1), http.StatusSeeOther)
	wantStatus(t, "t2 sees G1", a.as("teacher2").get("/groups/G1"), http.StatusOK)
	wantStatus(t, "t1 does not", a.as("teacher").get("/groups/G1"), http.StatusForbidden)

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
		r := root.post("/admin/groups/G1", f)
		wantStatus(t, tc.want, r, http.StatusUnprocessableEntity)
		wantBody(t, tc.want, r, tc.want)
	}
	trail, _ := a.db.ListAuditOf(ctx, "groups", 10)
	if len(trail) != 2 {
		t.Errorf("audit of groups: %d entries, want 2", len(trail))
	}
	wantBody(t, "home", root.get("/admin"), "Recente wijzigingen", "G1", "G3")
}

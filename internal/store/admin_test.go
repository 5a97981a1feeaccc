package store

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

func TestSaveProvider(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	p := domain.Provider{Code: "P3", Name: "Ligo", Type: "cbe"}
	if err := db.SaveProvider(ctx, "root", p, true, webNow); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.SaveProvider(ctx, "root", p, true, webNow), domain.ECONFLICT)
	wantCode(t, db.SaveProvider(ctx, "root", domain.Provider{Code: "P9", Name: "x", Type: "cbe"}, false, webNow), domain.ENOTFOUND)
	wantCode(t, db.SaveProvider(ctx, "root", domain.Provider{Code: "P4", Name: "", Type: "nope"}, true, webNow), domain.EINVALID)
	p.Name = "Ligo Antwerpen"
	if err := db.SaveProvider(ctx, "root", p, false, webNow); err != nil {
		t.Fatal(err)
	}
	if got, err := db.FindProvider(ctx, "P3"); err != nil || got != p {
		t.Fatalf("FindProvider = %+v, %v; want %+v", got, err, p)
	}
	// Saving it unchanged records nothing.
	if err := db.SaveProvider(ctx, "root", p, false, webNow); err != nil {
		t.Fatal(err)
	}
	trail, err := db.ListAuditOf(ctx, "providers", 0)
	if err != nil || len(trail) != 2 {
		t.Fatalf("audit: %v, %d entries; want create and one update", err, len(trail))
	}
	var before, after map[string]any
	json.Unmarshal(trail[0].Before, &before)
	json.Unmarshal(trail[0].After, &after)
	if trail[0].Action != AuditUpdate || before["name"] != "Ligo" || after["name"] != "Ligo Antwerpen" || trail[0].Username != "root" {
		t.Errorf("update entry: %+v before %v after %v", trail[0], before, after)
	}
	list, err := db.ListProviders(ctx)
	if err != nil || len(list) != 3 || list[2].Code != "P3" {
		t.Fatalf("ListProviders = %+v, %v", list, err)
	}
}

func TestSaveModuleKeepsEvaluatedSkills(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	m, goals, err := db.FindModule(ctx, "M1")
	if err != nil || len(goals) != 2 {
		t.Fatalf("FindModule = %+v %v, %v", m, goals, err)
	}
	// W1's evaluation in G1 assesses reading.
	m.Skills = 1 << domain.Listening
	err = db.SaveModule(ctx, "root", m, false, webNow)
	wantCode(t, err, domain.EINVALID)
	if !strings.Contains(err.Error(), "1 stored evaluation(s)") {
		t.Errorf("message %q does not say what is in the way", err)
	}
	m.Skills |= 1 << domain.Reading
	m.NominalHours = 100
	if err := db.SaveModule(ctx, "root", m, false, webNow); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.SaveModule(ctx, "root", domain.Module{Code: "M9", Provider: "P9", Name: "x", Programme: "x", EntryLevel: 0,
		TargetLevel: 1, Skills: 1, NominalHours: 1}, true, webNow), domain.EINVALID)
	page, err := db.FindModules(ctx, ModuleQuery{Search: "richt"})
	if err != nil || page.Total != 1 || page.Modules[0].Goals != 2 || page.Modules[0].Groups != 1 || page.Modules[0].NominalHours != 100 {
		t.Fatalf("FindModules = %+v, %v", page, err)
	}
	if page, _ := db.FindModules(ctx, ModuleQuery{Provider: "P2"}); page.Total != 1 || page.Modules[0].Code != "M2" {
		t.Fatalf("FindModules of P2 = %+v", page)
	}
}

func TestSaveGoalAndGroup(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	g := domain.Goal{Code: "M1-R1", Module: "M1", Skill: domain.Reading, Level: 2, Description: "Leest", Source: "provider"}
	if err := db.SaveGoal(ctx, "root", g, true, webNow); err != nil {
		t.Fatal(err)
	}
	g.Module = "M9"
	wantCode(t, db.SaveGoal(ctx, "root", g, false, webNow), domain.EINVALID)
	if got, _ := db.FindGoal(ctx, "M1-R1"); got.Module != "M1" {
		t.Fatalf("a refused change was stored: %+v", got)
	}

	grp, err := db.FindGroupRecord(ctx, "G1")
	if err != nil {
		t.Fatal(err)
	}
	grp.Teacher = "t2"
	if err := db.SaveGroup(ctx, "root", grp, false, webNow); err != nil {
		t.Fatal(err)
	}
	// W5 started in G1 on 2025-11-10: the group may not start 60 days after.
	late := grp
	late.StartDate = domain.MustDate("2026-01-10")
	wantCode(t, db.SaveGroup(ctx, "root", late, false, webNow), domain.EINVALID)
	// M2 evaluates every skill, so W1's evaluation fits; a new group needs its module.
	moved := grp
	moved.Module = "M2"
	if err := db.SaveGroup(ctx, "root", moved, false, webNow); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.SaveGroup(ctx, "root", domain.Group{Code: "G9", Module: "M9", StartDate: grp.StartDate, EndDate: grp.EndDate,
		PlannedHours: 1, Intensity: "standard"}, true, webNow), domain.EINVALID)
	if got, _ := db.FindGroupRecord(ctx, "G1"); got.Teacher != "t2" || got.Module != "M2" {
		t.Fatalf("stored %+v", got)
	}
	trail, _ := db.ListAuditOf(ctx, "groups", 0)
	if len(trail) != 2 {
		t.Fatalf("audit of groups: %d entries, want 2", len(trail))
	}
}

func TestSetUserRole(t *testing.T) {
	db := accountsDB(t)
	ctx := context.Background()
	addUser(t, db, domain.User{Username: "root", Role: domain.RoleAdmin}, "a long password 1")
	addUser(t, db, domain.User{Username: "c1", Role: domain.RoleCounsellor}, "a long password 2")
	wantCode(t, db.SetUserRole(ctx, "root", "root", domain.RoleTeacher, nil, acctNow), domain.ECONFLICT)
	wantCode(t, db.SetUserRole(ctx, "root", "c1", domain.RoleCoordinator, nil, acctNow), domain.EINVALID)
	wantCode(t, db.SetUserRole(ctx, "root", "c1", domain.RoleCoordinator, []string{"P9"}, acctNow), domain.EINVALID)
	wantCode(t, db.SetUserRole(ctx, "root", "nobody", domain.RoleTeacher, nil, acctNow), domain.ENOTFOUND)
	if err := db.SetUserRole(ctx, "root", "c1", domain.RoleCoordinator, []string{"P2", "P1", "P2"}, acctNow); err != nil {
		t.Fatal(err)
	}
	u, _ := db.FindUser(ctx, "c1")
	if u.Role != domain.RoleCoordinator || strings.Join(u.Providers, ",") != "P1,P2" {
		t.Fatalf("after SetUserRole: %+v", u)
	}
	// With a second admin, the first may step down.
	if err := db.SetUserRole(ctx, "root", "c1", domain.RoleAdmin, nil, acctNow); err != nil {
		t.Fatal(err)
	}
	if err := db.SetUserRole(ctx, "c1", "root", domain.RoleTeacher, nil, acctNow); err != nil {
		t.Fatal(err)
	}
	teachers, err := db.ListTeachers(ctx)
	if err != nil || strings.Join(teachers, ",") != "root" {
		t.Fatalf("ListTeachers = %v, %v", teachers, err)
	}
}

func TestVisibleLearners(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	for _, tc := range []struct {
		u    domain.User
		want string
	}{
		{domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"P1"}}, "W1,W3,W4,W5,W6,W7"},
		{domain.User{Username: "k2", Role: domain.RoleCoordinator, Providers: []string{"P2"}}, "W2"},
		{domain.User{Username: "c2", Role: domain.RoleCounsellor}, "W2"},
		{domain.User{Username: "root", Role: domain.RoleAdmin}, "W1,W2,W3,W4,W5,W6,W7"},
	} {
		got, err := db.VisibleLearners(ctx, &tc.u)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, id := range []string{"W1", "W2", "W3", "W4", "W5", "W6", "W7"} {
			if got[id] {
				ids = append(ids, id)
			}
		}
		if strings.Join(ids, ",") != tc.want || len(got) != len(ids) {
			t.Errorf("%s: %v, want %s", tc.u.Username, got, tc.want)
		}
	}
}

func TestRecordChange(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	if err := db.RecordImport(ctx, ImportRun{At: webNow, Username: "k1", Channel: ImportWeb, Source: "data.zip", Result: ImportOK,
		Counts: []UpsertCount{{Entity: "learners", Inserted: 2}}}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.RecordChange(ctx, AuditEntry{Username: "", Action: AuditCreate, Entity: "x", Key: "y"}), domain.EINVALID)
	trail, err := db.ListAuditOf(ctx, "", 0)
	if err != nil || len(trail) != 1 || trail[0].Entity != "imports" || !strings.Contains(string(trail[0].After), `"Inserted":2`) {
		t.Fatalf("ListAuditOf = %+v, %v", trail, err)
	}
}

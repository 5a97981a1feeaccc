package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// TestImportHistory: every import run is kept with who, when, the files,
// the profile, the counts and the result; a coordinator lists those of
// their providers only, an admin every one, newest first; a refused import
// leaves no audit entry, a stored one does (issue 20).
func TestImportHistory(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	at := func(m int) time.Time { return webNow.Add(time.Duration(m) * time.Minute) }
	runs := []ImportRun{
		{At: at(0), Username: "k1", Channel: ImportAssistant, Source: "Cursistenlijst 2026-03.csv", Profile: "cursistenlijst",
			Providers: []string{"P1"}, Result: ImportOK, Counts: []UpsertCount{{Entity: "learners", Inserted: 4}, {Entity: "learner_links", Inserted: 4}}},
		{At: at(1), Username: "k2", Channel: ImportWeb, Source: "data.zip", Providers: []string{"P2"}, Result: ImportRefused, Errors: 3,
			FirstError: "learners.csv:4: birth_date: not a date"},
		{At: at(2), Channel: ImportCLI, Source: "csv", Providers: []string{"P1", "P2"}, Result: ImportOK,
			Counts: []UpsertCount{{Entity: "providers", Unchanged: 2}}},
		{At: at(3), Username: "k3", Channel: ImportWeb, Source: "x_y.zip", Providers: []string{"P1_"}, Result: ImportOK},
	}
	for _, r := range runs {
		if err := db.RecordImport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, db.RecordImport(ctx, ImportRun{At: webNow, Channel: "ftp", Result: ImportOK}), domain.EINVALID)
	for _, tc := range []struct {
		u    *domain.User
		want []int // indexes into runs, newest first
	}{
		{&domain.User{Username: "root", Role: domain.RoleAdmin}, []int{3, 2, 1, 0}},
		{&domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"P1"}}, []int{2, 0}},
		{&domain.User{Username: "k2", Role: domain.RoleCoordinator, Providers: []string{"P2"}}, []int{2, 1}},
		{&domain.User{Username: "k0", Role: domain.RoleCoordinator}, nil},
		{&domain.User{Username: "t1", Role: domain.RoleTeacher}, nil},
	} {
		got, err := db.ImportRuns(ctx, tc.u, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s sees %d runs, want %d", tc.u.Username, len(got), len(tc.want))
			continue
		}
		for i, j := range tc.want {
			w := runs[j]
			g := got[i]
			g.ID = 0
			if w.Counts == nil {
				w.Counts = []UpsertCount{}
			}
			w.At = w.At.UTC()
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s's run %d:\n got %+v\nwant %+v", tc.u.Username, i, g, w)
			}
		}
	}
	trail, err := db.ListAuditOf(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range trail {
		if e.Entity == "imports" {
			n++
		}
	}
	if n != 2 { // k1's and k3's stored imports; not k2's refusal, not the command line's
		t.Errorf("%d audit entries of imports, want 2", n)
	}
}

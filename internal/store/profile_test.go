package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/interchange"
)

func testProfile(t *testing.T, name, header string) *interchange.Profile {
	t.Helper()
	p, err := interchange.ParseProfile([]byte(`{"name": "`+name+`", "description": "test",
		"files": [{"match": "Cursisten*.csv", "entity": "learners", "skip_rows": 1, "date_format": "DD.MM.YYYY",
			"columns": {"id": "`+header+`"}, "constants": {"perspective": "unknown"},
			"values": {"gender": {"M": "m", "V": "f", "?": ""}}}]}`), "test")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestProfilesAreKeptPerOwner: a profile round-trips; its owner may
// replace it; the same name saved for another owner is refused and leaves
// the first as it was; removing twice is ENOTFOUND the second time.
func TestProfilesAreKeptPerOwner(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	ds := &domain.DataSet{Providers: []domain.Provider{{Code: "CVO-A", Name: "CVO A", Type: "cvo"}, {Code: "CVO-B", Name: "CVO B", Type: "cvo"}}}
	upsert(t, db, ds)
	at := time.Date(2026, 3, 31, 9, 0, 0, 0, time.UTC)

	_, err := db.Profile(ctx, "centrum")
	wantCode(t, err, domain.ENOTFOUND)
	wantCode(t, db.SaveProfile(ctx, "root", "CVO-X", testProfile(t, "centrum", "Nr"), at), domain.EINVALID)

	if err := db.SaveProfile(ctx, "root", "CVO-A", testProfile(t, "centrum", "Nr"), at); err != nil {
		t.Fatal(err)
	}
	want := testProfile(t, "centrum", "Stamnummer")
	if err := db.SaveProfile(ctx, "coord", "CVO-A", want, at.Add(time.Hour)); err != nil {
		t.Fatalf("the owner replacing its profile: %v", err)
	}
	err = db.SaveProfile(ctx, "other", "CVO-B", testProfile(t, "centrum", "Dossier"), at.Add(2*time.Hour))
	wantCode(t, err, domain.ECONFLICT)
	if got, wantMsg := err.Error(), `profile "centrum" belongs to provider CVO-A already`; len(got) < len(wantMsg) || got[:len(wantMsg)] != wantMsg {
		t.Errorf("error %q, want it to start with %q", got, wantMsg)
	}
	wantCode(t, db.SaveProfile(ctx, "admin", "", testProfile(t, "centrum", "Dossier"), at), domain.ECONFLICT)

	got, err := db.Profile(ctx, "centrum")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Profile, want) || got.Provider != "CVO-A" || got.CreatedBy != "coord" || !got.UpdatedAt.Equal(at.Add(time.Hour)) {
		t.Fatalf("stored %+v %+v, want the owner's second save", got, got.Profile)
	}

	if err := db.SaveProfile(ctx, "admin", "", testProfile(t, "alle", "Nr"), at); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.SaveProfile(ctx, "coord", "CVO-B", testProfile(t, "alle", "Nr"), at), domain.ECONFLICT)
	all, err := db.Profiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, sp := range all {
		names = append(names, sp.Profile.Name+"/"+sp.Provider)
	}
	if !reflect.DeepEqual(names, []string{"alle/", "centrum/CVO-A"}) {
		t.Fatalf("profiles %v, want [alle/ centrum/CVO-A]", names)
	}

	if err := db.RemoveProfile(ctx, "centrum"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.RemoveProfile(ctx, "centrum"), domain.ENOTFOUND)
	if err := db.SaveProfile(ctx, "other", "CVO-B", testProfile(t, "centrum", "Dossier"), at); err != nil {
		t.Fatalf("the name is free once removed: %v", err)
	}
}

package store

import (
	"context"
	"reflect"
	"strings"
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
// replace it; the same name saved for another owner is that owner's own
// profile, which neither learns of nor touches the first (issue 18: a
// refusal named the other provider's profile); a name kept by several
// owners is looked up with its owner; removing twice is ENOTFOUND the
// second time.
func TestProfilesAreKeptPerOwner(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	ds := &domain.DataSet{Providers: []domain.Provider{{Code: "CVO-A", Name: "CVO A", Type: "cvo"}, {Code: "CVO-B", Name: "CVO B", Type: "cvo"}}}
	upsert(t, db, ds)
	at := time.Date(2026, 3, 31, 9, 0, 0, 0, time.UTC)

	_, err := db.Profile(ctx, "CVO-A", "centrum")
	wantCode(t, err, domain.ENOTFOUND)
	_, err = db.ProfileNamed(ctx, "centrum")
	wantCode(t, err, domain.ENOTFOUND)
	wantCode(t, db.SaveProfile(ctx, "root", "CVO-X", testProfile(t, "centrum", "Nr"), at), domain.EINVALID)

	if err := db.SaveProfile(ctx, "root", "CVO-A", testProfile(t, "centrum", "Nr"), at); err != nil {
		t.Fatal(err)
	}
	want := testProfile(t, "centrum", "Stamnummer")
	if err := db.SaveProfile(ctx, "coord", "CVO-A", want, at.Add(time.Hour)); err != nil {
		t.Fatalf("the owner replacing its profile: %v", err)
	}
	if sp, err := db.ProfileNamed(ctx, "centrum"); err != nil || sp.Provider != "CVO-A" {
		t.Fatalf("the only centrum: %+v, %v", sp, err)
	}
	theirs := testProfile(t, "centrum", "Dossier")
	if err := db.SaveProfile(ctx, "other", "CVO-B", theirs, at.Add(2*time.Hour)); err != nil {
		t.Fatalf("another provider's profile of the same name: %v", err)
	}
	if err := db.SaveProfile(ctx, "admin", "", testProfile(t, "centrum", "Nummer"), at); err != nil {
		t.Fatalf("everyone's profile of the same name: %v", err)
	}
	got, err := db.Profile(ctx, "CVO-A", "centrum")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Profile, want) || got.Provider != "CVO-A" || got.CreatedBy != "coord" || !got.UpdatedAt.Equal(at.Add(time.Hour)) {
		t.Fatalf("stored %+v %+v, want the owner's second save", got, got.Profile)
	}
	if got, err := db.Profile(ctx, "CVO-B", "centrum"); err != nil || !reflect.DeepEqual(got.Profile, theirs) || got.CreatedBy != "other" {
		t.Fatalf("CVO-B's centrum: %+v, %v", got, err)
	}
	_, err = db.ProfileNamed(ctx, "centrum")
	wantCode(t, err, domain.EINVALID)
	if err != nil && !strings.Contains(err.Error(), "every provider, CVO-A, CVO-B") {
		t.Errorf("a name of several owners: %v, want them named", err)
	}

	all, err := db.Profiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, sp := range all {
		names = append(names, sp.Profile.Name+"/"+sp.Provider)
	}
	if !reflect.DeepEqual(names, []string{"centrum/", "centrum/CVO-A", "centrum/CVO-B"}) {
		t.Fatalf("profiles %v, want [centrum/ centrum/CVO-A centrum/CVO-B]", names)
	}

	if err := db.RemoveProfile(ctx, "CVO-A", "centrum"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.RemoveProfile(ctx, "CVO-A", "centrum"), domain.ENOTFOUND)
	if _, err := db.Profile(ctx, "CVO-B", "centrum"); err != nil {
		t.Fatalf("removing CVO-A's removed CVO-B's: %v", err)
	}
}

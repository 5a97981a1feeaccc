package store

import (
	"context"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

func TestDataVersion(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	version := func(what string) int64 {
		t.Helper()
		v, err := db.DataVersion(ctx)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	v0 := version("first")
	if v := version("again"); v != v0 {
		t.Fatalf("version moved without a commit: %d, then %d", v0, v)
	}
	// A read changes nothing.
	if _, err := db.LoadDataSet(ctx, "learners"); err != nil {
		t.Fatal(err)
	}
	if v := version("after a read"); v != v0 {
		t.Fatalf("version moved after a read: %d, then %d", v0, v)
	}

	// A write transaction of this process, through the single writer.
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Upsert(ctx, sample(), nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	v1 := version("after an import")
	if v1 == v0 {
		t.Fatalf("version %d did not move after a commit", v1)
	}

	// A rolled-back transaction commits nothing.
	tx, err = db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM followups`); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	if v := version("after a rollback"); v != v1 {
		t.Fatalf("version moved after a rollback: %d, then %d", v1, v)
	}

	// Bookkeeping outside a transaction (a session) leaves it alone.
	if err := db.CreateUser(ctx, "test", auth.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"CVO-A"}}, quickHash(t, "pw"), time.Now()); err != nil {
		t.Fatal(err)
	}
	v2 := version("after creating a user")
	if _, _, err := db.CreateSession(ctx, "k1", time.Hour, time.Now()); err != nil {
		t.Fatal(err)
	}
	if v := version("after a session"); v != v2 {
		t.Fatalf("version moved after a session was created: %d, then %d", v2, v)
	}

	// Another process (`traject import`) writing through its own Tx.
	other, err := Open(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err = other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE enrollments SET hours_attended = hours_attended + 1`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	v3 := version("after a commit by another connection")
	if v3 == v2 {
		t.Fatal("version did not move after another connection committed")
	}
	if w, err := other.DataVersion(ctx); err != nil || w != v3 {
		t.Fatalf("the other DB reads version %d (%v), want %d", w, err, v3)
	}
}

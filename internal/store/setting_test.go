package store

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

func TestSettings(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	_, err := db.GetSetting(ctx, "colour")
	wantCode(t, err, domain.ENOTFOUND)
	if err := db.SetSetting(ctx, "colour", "blue"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting(ctx, "colour", "green"); err != nil {
		t.Fatal(err)
	}
	if v, err := db.GetSetting(ctx, "colour"); err != nil || v != "green" {
		t.Fatalf("GetSetting=%q, %v; want green", v, err)
	}
	wantCode(t, db.SetSetting(ctx, " ", "x"), domain.EINVALID)
}

func TestEnsureSecretIsMadeOnce(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	var wg sync.WaitGroup
	got := make([][]byte, 8)
	errs := make([]error, 8)
	for i := range got {
		wg.Go(func() { got[i], errs[i] = db.EnsureSecret(ctx, "pseudonym_secret") })
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if len(got[i]) != 32 || !bytes.Equal(got[i], got[0]) {
			t.Fatalf("secret %d = %x, want the same 32 bytes as %x", i, got[i], got[0])
		}
	}
	again, err := db.EnsureSecret(ctx, "pseudonym_secret")
	if err != nil || !bytes.Equal(again, got[0]) {
		t.Fatalf("second EnsureSecret = %x, %v; want %x", again, err, got[0])
	}
	other, err := db.EnsureSecret(ctx, "other")
	if err != nil || bytes.Equal(other, got[0]) {
		t.Fatalf("EnsureSecret(other) = %x, %v; want a different secret", other, err)
	}
	if err := db.SetSetting(ctx, "broken", "not hex"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EnsureSecret(ctx, "broken"); err == nil {
		t.Fatal("EnsureSecret on a value that is no hex secret succeeded")
	}
}

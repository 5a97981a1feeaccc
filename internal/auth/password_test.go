package auth

import (
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/traject-nt2/traject/internal/domain"
)

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{
		{"", false},
		{"short", false},
		{"nine char", false},
		{"tien tekens", true},
		{"ëëëëëëëëëé", true},     // ten characters, twenty bytes
		{"ëëëëëëëëë", false},     // nine characters, eighteen bytes
		{"aaaaaaaaaaaa", false},  // one repeated character
		{"Wachtwoord123", false}, // common, whatever the case
		{"1234567890", false},
		{"correct horse battery staple", true},
		{strings.Repeat("ab", 36), true},  // 72 bytes
		{strings.Repeat("ab", 37), false}, // 74 bytes: beyond bcrypt
	}
	for _, tt := range tests {
		err := ValidatePassword(tt.pw)
		if (err == nil) != tt.ok {
			t.Errorf("ValidatePassword(%q) = %v, want ok=%v", tt.pw, err, tt.ok)
		}
		if err != nil && domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("ValidatePassword(%q) code = %s, want %s", tt.pw, domain.ErrorCode(err), domain.EINVALID)
		}
	}
	if err := ValidatePassword("short"); !strings.Contains(err.Error(), "at least 10 characters") {
		t.Errorf("short password message = %q, want it to name the minimum", err)
	}
}

func TestHashPassword(t *testing.T) {
	const pw = "correct horse battery staple"
	// A comparison at cost 12 takes seconds under the race detector: hash at
	// PasswordCost once, beside the one comparison with the dummy hash, and
	// compare against a cheap hash otherwise.
	var wg sync.WaitGroup
	wg.Go(func() {
		h, err := HashPassword(pw)
		if err != nil {
			t.Error(err)
			return
		}
		if cost, err := bcrypt.Cost([]byte(h)); err != nil || cost != PasswordCost {
			t.Errorf("hash cost = %d, %v; want %d", cost, err, PasswordCost)
		}
	})
	wg.Go(func() {
		if CheckPassword("", pw) { // no account: compared against the dummy hash
			t.Error(`CheckPassword("", pw) = true, want false`)
		}
	})
	wg.Wait()
	if _, err := HashPassword("short"); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("HashPassword(short) = %v, want EINVALID", err)
	}
	h, err := hashPassword(pw, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, pw) || !IsPasswordHash(h) {
		t.Fatalf("hash %q does not look like a bcrypt hash of the password", h)
	}
	checks := []struct {
		hash, pw string
		want     bool
	}{
		{h, pw, true},
		{h, pw + " ", false},
		{h, "Correct horse battery staple", false},
		{"not a hash", pw, false},
	}
	for _, c := range checks {
		if got := CheckPassword(c.hash, c.pw); got != c.want {
			t.Errorf("CheckPassword(%.10q…, %q) = %v, want %v", c.hash, c.pw, got, c.want)
		}
	}
}

func TestDummyHashIsAtPasswordCost(t *testing.T) {
	if cost, err := bcrypt.Cost([]byte(dummyHash)); err != nil || cost != PasswordCost {
		t.Fatalf("dummy hash cost = %d, %v; want %d so unknown users take as long", cost, err, PasswordCost)
	}
	if IsPasswordHash("tien tekens") || IsPasswordHash("") {
		t.Fatal("IsPasswordHash accepts a plain password")
	}
}

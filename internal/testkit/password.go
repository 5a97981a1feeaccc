package testkit

import (
	"sync"

	"golang.org/x/crypto/bcrypt"

	"github.com/traject-nt2/traject/internal/auth"
)

// Password is the password of every account the kit's data sets make.
const Password = "correct horse battery"

// QuickHash hashes a password at bcrypt's lowest cost, after the same
// rules as auth.HashPassword (whose cost takes seconds under the race
// detector): the servers' Config.HashPassword in the tests.
func QuickHash(pw string) (string, error) {
	if err := auth.ValidatePassword(pw); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	return string(h), err
}

var quickDummy = sync.OnceValue(func() string {
	h, err := bcrypt.GenerateFromPassword([]byte("a password nobody types"), bcrypt.MinCost)
	if err != nil {
		panic(err)
	}
	return string(h)
})

// QuickDummyHash is a hash at bcrypt's lowest cost for
// store.DB.SetUnknownUserHash, in a database whose accounts are hashed at
// that cost: an unknown user name is then refused as quickly as a wrong
// password, as in production, where both cost auth.PasswordCost.
func QuickDummyHash() string { return quickDummy() }

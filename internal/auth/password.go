package auth

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/traject-nt2/traject/internal/domain"
)

// PasswordCost is the bcrypt work factor of new password hashes: about a
// quarter of a second on a current server core.
const PasswordCost = 12

// MinPasswordLength is the fewest characters a password may have.
const MinPasswordLength = 10

// maxPasswordBytes is bcrypt's limit; longer input would be cut silently by
// other implementations and is refused by this one.
const maxPasswordBytes = 72

// dummyHash is a PasswordCost hash of a password nobody types. CheckPassword
// compares against it when there is no account, so that an unknown user name
// takes as long to refuse as a wrong password.
const dummyHash = "$2a$12$Gps7CMW/sr6NcerGAhaZcuR8TKbRqz6IH0wa1qBd2YZq3LAVb/P2C"

// commonPasswords are refused whatever their length: the ten-character and
// longer entries of the usual leaked-password top lists, plus Dutch ones.
var commonPasswords = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`
		1234567890 0123456789 12345678910 123456789a 1234567890a 0987654321
		qwertyuiop qwertyuiop123 1q2w3e4r5t 1qaz2wsx3edc qazwsxedc123 azertyuiop
		password12 password123 password1234 passw0rd123 p@ssw0rd123 p@ssword123
		iloveyou12 iloveyou123 sunshine123 football123 baseball123 princess123
		welcome123 welcome1234 letmein123 administrator admin12345 admin123456
		trustno123 monkey1234 dragon1234 starwars123 superman123 michael123
		wachtwoord wachtwoord1 wachtwoord12 wachtwoord123 welkom1234 welkom12345
		traject123 traject1234 trajectnt2 nederlands nederlands1 nederlands123
		motdepasse motdepasse1 changeme123 changeme1234 abcdefghij abcdefg123
		abc1234567 aa12345678 zxcvbnm123 asdfghjkl1 asdfghjkl123 1111111111
	`) {
		commonPasswords[p] = true
	}
}

// ValidatePassword refuses a password shorter than MinPasswordLength
// characters, longer than bcrypt's 72 bytes, made of one repeated character,
// or on the list of common passwords.
func ValidatePassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return domain.Errorf(domain.EINVALID, "password must be at least %d characters", MinPasswordLength)
	}
	if len(pw) > maxPasswordBytes {
		return domain.Errorf(domain.EINVALID, "password must be at most %d bytes", maxPasswordBytes)
	}
	first, _ := utf8.DecodeRuneInString(pw)
	if strings.Count(pw, string(first)) == utf8.RuneCountInString(pw) || commonPasswords[strings.ToLower(pw)] {
		return domain.Errorf(domain.EINVALID, "password is too easy to guess: choose another")
	}
	return nil
}

// HashPassword checks pw against ValidatePassword and returns its bcrypt hash
// at PasswordCost.
func HashPassword(pw string) (string, error) {
	return hashPassword(pw, PasswordCost)
}

func hashPassword(pw string, cost int) (string, error) {
	if err := ValidatePassword(pw); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	if err != nil {
		return "", domain.Errorf(domain.EINTERNAL, "hash password: %v", err)
	}
	return string(h), nil
}

// CheckPassword reports whether pw matches hash. An empty hash (no such
// account) is compared against a dummy hash, so both take equally long.
func CheckPassword(hash, pw string) bool {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword([]byte(dummyHash), []byte(pw))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// IsPasswordHash reports whether h looks like a bcrypt hash, so that a store
// can refuse to keep a plain password by mistake.
func IsPasswordHash(h string) bool {
	_, err := bcrypt.Cost([]byte(h))
	return err == nil
}

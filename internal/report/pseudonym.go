package report

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"slices"

	"github.com/traject-nt2/traject/internal/domain"
)

// PseudonymPrefix starts every pseudonymous learner key.
const PseudonymPrefix = "P-"

// pseudonymHex is the number of hex digits of a pseudonym: 48 bits, so that
// two of a million learners share one with a chance of about 1 in 500.
const pseudonymHex = 12

// Pseudonym returns the pseudonymous key of a learner: "P-" and the first 12
// hex digits of HMAC-SHA256(secret, learner id). The same learner has the
// same key in every workbook of one installation; without the secret the id
// cannot be found from it.
func Pseudonym(secret []byte, learnerID string) string {
	return newPseudonyms(secret).of(learnerID)
}

// pseudonyms computes pseudonyms with one HMAC and remembers them, as a
// learner has cases in several indicators.
type pseudonyms struct {
	mac   hash.Hash
	sum   []byte
	cache map[string]string
}

func newPseudonyms(secret []byte) *pseudonyms {
	return &pseudonyms{mac: hmac.New(sha256.New, secret), cache: map[string]string{}}
}

func (p *pseudonyms) of(id string) string {
	if s, ok := p.cache[id]; ok {
		return s
	}
	p.mac.Reset()
	p.mac.Write([]byte(id))
	p.sum = p.mac.Sum(p.sum[:0])
	var buf [len(PseudonymPrefix) + pseudonymHex]byte
	copy(buf[:], PseudonymPrefix)
	hex.Encode(buf[len(PseudonymPrefix):], p.sum[:pseudonymHex/2])
	s := string(buf[:])
	p.cache[id] = s
	return s
}

// learnerOrder returns the learner of every row as shown (the id, or its
// pseudonym) and the order to write the rows in. With pseudonyms the rows
// are sorted by pseudonym, date and reference: rows sorted by learner id
// would let anyone who knows the ids match them to the pseudonyms.
func (b *book) learnerOrder(n int, id func(int) string, date func(int) domain.Date, ref func(int) string) ([]string, []int32) {
	shown := make([]string, n)
	order := make([]int32, n)
	for i := range n {
		order[i] = int32(i)
		if b.pseud == nil {
			shown[i] = id(i)
		} else {
			shown[i] = b.pseud.of(id(i))
		}
	}
	if b.pseud != nil {
		slices.SortStableFunc(order, func(x, y int32) int {
			return cmp.Or(cmp.Compare(shown[x], shown[y]), cmp.Compare(date(int(x)), date(int(y))), cmp.Compare(ref(int(x)), ref(int(y))))
		})
	}
	return shown, order
}

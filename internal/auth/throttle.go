package auth

import (
	"sync"
	"time"
)

// Throttle is the policy that locks an account after repeated failed logins:
// after Failures failures in a row the account is locked for Lock, and each
// further failure doubles the lock, up to MaxLock (a MaxLock below Lock means
// no doubling). A successful login resets the count. The store keeps the count
// and the lock (users.failed_logins, users.locked_until); this type decides.
type Throttle struct {
	Failures int
	Lock     time.Duration
	MaxLock  time.Duration
}

// DefaultThrottle locks for a minute after five failures, doubling up to a
// quarter of an hour.
var DefaultThrottle = Throttle{Failures: 5, Lock: time.Minute, MaxLock: 15 * time.Minute}

// LockFor returns how long to lock an account that has failed failures times
// in a row: 0 below t.Failures.
func (t Throttle) LockFor(failures int) time.Duration {
	if t.Failures <= 0 || failures < t.Failures {
		return 0
	}
	d, limit := t.Lock, max(t.MaxLock, t.Lock)
	for i := t.Failures; i < failures && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// LockedUntil returns the end of the lock after failures failures, the last
// at now, or the zero time when no lock is due.
func (t Throttle) LockedUntil(failures int, now time.Time) time.Time {
	d := t.LockFor(failures)
	if d == 0 {
		return time.Time{}
	}
	return now.Add(d)
}

// Limiter is an in-memory token bucket per key (e.g. a client IP address),
// for the server to slow down login attempts and other costly requests
// whatever the user name. It is safe for concurrent use.
type Limiter struct {
	every   time.Duration
	burst   int
	maxKeys int

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewLimiter returns a Limiter that allows burst requests at once per key and
// one more every every, remembering at most 10 000 keys.
func NewLimiter(every time.Duration, burst int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	if every <= 0 {
		every = time.Second
	}
	return &Limiter{every: every, burst: burst, maxKeys: 10000, buckets: map[string]*bucket{}}
}

// Allow reports whether a request for key at now may go ahead, and if so takes
// a token from key's bucket.
func (l *Limiter) Allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.maxKeys {
			l.prune(now)
		}
		b = &bucket{tokens: float64(l.burst), at: now}
		l.buckets[key] = b
	}
	l.refill(b, now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (l *Limiter) refill(b *bucket, now time.Time) {
	if now.After(b.at) {
		b.tokens += float64(now.Sub(b.at)) / float64(l.every)
		if b.tokens > float64(l.burst) {
			b.tokens = float64(l.burst)
		}
		b.at = now
	}
}

// prune forgets the keys whose buckets are full again (they behave as new
// ones), and if that is not enough, arbitrary keys: memory stays bounded
// under a flood of addresses, at the price of forgiving some of them.
func (l *Limiter) prune(now time.Time) {
	for k, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
	for k := range l.buckets {
		if len(l.buckets) < l.maxKeys {
			break
		}
		delete(l.buckets, k)
	}
}

package auth

import (
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

// NoLock counts failed logins but never locks the account: a lock that
// anyone who knows a user name can set is a weapon against its owner
// (five wrong passwords used to lock any account for up to a quarter of an
// hour, renewable at will). Attempts are slowed down instead, per user name
// and per client address (Rate).
var NoLock = Throttle{}

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

package auth

import (
	"net/netip"
	"time"
)

// Rate is a token-bucket policy: Burst requests at once, then one more
// every Every. The buckets themselves live in the database (store), so that
// every server process of an installation counts the same attempts.
type Rate struct {
	Burst int
	Every time.Duration
}

// Login attempts are limited twice: per client address, generously, so that
// colleagues behind one NAT address are not slowed down by one mistyped
// password; and per user name, so that a guessed name cannot be tried from
// many addresses. Neither locks anyone out: after the burst, attempts go on
// at the refill rate, the account's owner included.
var (
	LoginRatePerAddress = Rate{Burst: 20, Every: 3 * time.Second}
	LoginRatePerUser    = Rate{Burst: 10, Every: 6 * time.Second}
)

// SurveyRatePerNetwork bounds the answers one client network sends to one
// survey round (issue 18, finding 7). A class shares one Wi-Fi and so one
// NAT address: 40 answers may come at once, and then one every 15 seconds
// (a class of 30 answering within a few minutes, with room for a second
// class), while a script posting hundreds gets four a minute. The round's
// own cap (store.SurveyRound.Limit) bounds the total.
var SurveyRatePerNetwork = Rate{Burst: 40, Every: 15 * time.Second}

// Network is the network a client address counts under in a rate bucket:
// an IPv4 address itself, an IPv6 address its /64 (one household or one
// phone holds a whole /64, and a script would hop through it). A text that
// is no address is returned as it is.
func Network(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.WithZone("").Prefix(64)
	return p.String()
}

// Take takes a token from a bucket that held tokens at time at: it returns
// whether the request may go ahead and the bucket's new content as of now.
// A bucket seen for the first time (at zero) is full.
func (r Rate) Take(tokens float64, at, now time.Time) (allowed bool, left float64) {
	burst := float64(max(r.Burst, 1))
	if at.IsZero() {
		tokens = burst
	} else if d := now.Sub(at); d > 0 && r.Every > 0 {
		tokens = min(burst, tokens+float64(d)/float64(r.Every))
	}
	if tokens < 1 {
		return false, tokens
	}
	return true, tokens - 1
}

package auth

import "net/http"

// SessionCookieName returns the name of the session cookie: with the
// __Host- prefix behind TLS, which makes browsers insist on Secure, Path=/
// and no Domain, so that no sibling site can set or shadow it.
func SessionCookieName(secure bool) string {
	if secure {
		return "__Host-traject_session"
	}
	return "traject_session"
}

// SessionCookie returns the cookie that carries a session token: HttpOnly,
// SameSite=Lax, Secure behind TLS, and without Expires, so that it ends with
// the browser; the server-side session expires on its own (store.FindSession).
func SessionCookie(token string, secure bool) *http.Cookie {
	return &http.Cookie{
		Name:     SessionCookieName(secure),
		Value:    token,
		Path:     "/",
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	}
}

// ClearSessionCookie returns the cookie that removes the session cookie at logout.
func ClearSessionCookie(secure bool) *http.Cookie {
	c := SessionCookie("", secure)
	c.MaxAge = -1
	return c
}

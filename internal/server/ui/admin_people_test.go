package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/server/servertest"
)

// TestAccountDisplayNames: an admin gives an account a display name and an
// e-mail address; the pages then name the person by it — the header, the
// groups' teacher, the learner's counsellor and teacher, the audit trail —
// while the user name stays the key; a wrong address or one of another
// account comes back beside its field, in Dutch, and stores nothing.
func TestAccountDisplayNames(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	ctx := context.Background()
	root := a.As("admin")

	r := root.Post("/admin/users/t1/profile", url.Values{"display_name": {" Sarah  Peeters "}, "email": {"sarah.peeters@cvo-een.be"}})
	servertest.WantStatus(t, "profile", r, http.StatusSeeOther)
	acct, err := a.DB.FindUser(ctx, "t1")
	if err != nil || acct.DisplayName != "Sarah Peeters" || acct.Email != "sarah.peeters@cvo-een.be" {
		t.Fatalf("stored %+v, %v", acct, err)
	}
	servertest.WantBody(t, "user page", root.Get("/admin/users/t1"), "<h1>Sarah Peeters", `value="sarah.peeters@cvo-een.be"`)
	servertest.WantBody(t, "users", root.Get("/admin/users"), "<td>Sarah Peeters</td><td>sarah.peeters@cvo-een.be</td>")
	if r := root.Post("/admin/users/c1/profile", url.Values{"display_name": {"Karim El Amrani"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("profile of c1: %d", r.Code)
	}

	servertest.WantBody(t, "header", a.As("teacher").Get("/groups"), `<span class="who" title="t1">Sarah Peeters · `)
	groups := a.As("coordinator").Get("/groups")
	servertest.WantBody(t, "groups", groups, "<td>Sarah Peeters</td>")
	learner := a.As("coordinator").Get("/learners/L-AERTS")
	servertest.WantBody(t, "learner", learner, "<dd>Karim El Amrani</dd>", "<td>Sarah Peeters</td>")
	servertest.WantBody(t, "group", a.As("coordinator").Get("/groups/G1"), "<dd>Sarah Peeters</dd>")
	servertest.WantBody(t, "admin groups", root.Get("/admin/groups"), "<td>Sarah Peeters</td>")
	servertest.WantBody(t, "group form", root.Get("/admin/groups/G1"), "Sarah Peeters (t1)")

	if r := root.Post("/admin/users/root/profile", url.Values{"display_name": {"Beheer Centrum"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("profile of root: %d", r.Code)
	}
	servertest.WantBody(t, "admin home", root.Get("/admin"), "<td>Beheer Centrum</td>")

	for _, tc := range []struct{ email, want string }{
		{"sarah@", "&#34;sarah@&#34; is geen e-mailadres"},
		{"SARAH.Peeters@cvo-een.be", "Een ander account heeft dit e-mailadres al."},
	} {
		r := root.Post("/admin/users/t2/profile", url.Values{"display_name": {"Tom Claes"}, "email": {tc.email}})
		servertest.WantStatus(t, tc.email, r, http.StatusUnprocessableEntity)
		servertest.WantBody(t, tc.email, r, tc.want, `aria-invalid="true"`)
	}
	if acct, _ := a.DB.FindUser(ctx, "t2"); acct.DisplayName != "" || acct.Email != "" {
		t.Errorf("a refused form stored %+v", acct)
	}

	// A new account gets both at once.
	r = root.Post("/admin/users", url.Values{"username": {"t9"}, "role": {"teacher"}, "display_name": {"Lotte Wouters"},
		"email": {"lotte@cvo-een.be"}, "password": {servertest.Password}})
	servertest.WantStatus(t, "create", r, http.StatusOK)
	if acct, err := a.DB.FindUser(ctx, "t9"); err != nil || acct.DisplayName != "Lotte Wouters" || acct.Email != "lotte@cvo-een.be" {
		t.Errorf("created %+v, %v", acct, err)
	}
	r = root.Post("/admin/users", url.Values{"username": {"t10"}, "role": {"teacher"}, "email": {"geen adres"}, "password": {servertest.Password}})
	servertest.WantStatus(t, "create with a bad address", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body.String(), "is geen e-mailadres") {
		t.Errorf("create with a bad address: no message\n%s", servertest.Excerpt(r.Body.String()))
	}

	trail, err := a.DB.ListAuditOf(ctx, "users", 50)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range trail {
		found = found || e.Key == "t1" && strings.Contains(string(e.After), `"display_name":"Sarah Peeters"`)
	}
	if !found {
		t.Error("the audit trail lacks the display name set for t1")
	}
}

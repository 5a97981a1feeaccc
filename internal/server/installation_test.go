package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestInstallationName checks that the sign-in page and every page title
// name the product and the installation (serve --name), and the product
// alone when no name is configured.
func TestInstallationName(t *testing.T) {
	a := newApp(t)
	page := a.anonymous().get("/login")
	wantStatus(t, "login", page, http.StatusOK)
	wantBody(t, "login without a name", page, "<title>", " · Traject</title>", `<p class="product">Traject</p>`)

	a.srv.app.Name = "CVO Antwerpen"
	page = a.anonymous().get("/login")
	wantBody(t, "login", page, " · Traject — CVO Antwerpen</title>", `<p class="product">Traject — CVO Antwerpen</p>`)
	for _, role := range []string{"teacher", "coordinator"} {
		first := a.as(role).get("/")
		for first.Code == http.StatusSeeOther || first.Code == http.StatusFound {
			first = a.as(role).get(first.Header().Get("Location"))
		}
		wantStatus(t, role+" first page", first, http.StatusOK)
		body := first.Body.String()
		if !strings.Contains(body, "· Traject — CVO Antwerpen</title>") || !strings.Contains(body, `<span class="installation">CVO Antwerpen</span>`) {
			t.Errorf("%s: the page names no installation in its title and header", role)
		}
	}
}

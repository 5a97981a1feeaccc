package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/server"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

// TestInstallationName checks that the sign-in page and every page title
// name the product and the installation (serve --name), and the product
// alone when no name is configured.
func TestInstallationName(t *testing.T) {
	a := servertest.New(t)
	page := a.Anonymous().Get("/login")
	servertest.WantStatus(t, "login", page, http.StatusOK)
	servertest.WantBody(t, "login without a name", page, "<title>", " · Traject</title>", `<p class="product">Traject</p>`)

	a.ServeWith(func(c *server.Config) { c.Name = "CVO Antwerpen" })
	page = a.Anonymous().Get("/login")
	servertest.WantBody(t, "login", page, " · Traject — CVO Antwerpen</title>", `<p class="product">Traject — CVO Antwerpen</p>`)
	for _, role := range []string{"teacher", "coordinator"} {
		first := a.As(role).Get("/")
		for first.Code == http.StatusSeeOther || first.Code == http.StatusFound {
			first = a.As(role).Get(first.Header().Get("Location"))
		}
		servertest.WantStatus(t, role+" first page", first, http.StatusOK)
		body := first.Body.String()
		if !strings.Contains(body, "· Traject — CVO Antwerpen</title>") || !strings.Contains(body, `<span class="installation">CVO Antwerpen</span>`) {
			t.Errorf("%s: the page names no installation in its title and header", role)
		}
	}
}

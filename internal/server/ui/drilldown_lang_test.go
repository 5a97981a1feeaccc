package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/server/servertest"
)

// TestDrilldownDetailInTheReadersLanguage: the explanation of each case is
// written in the page's language (issue 19: indicator hands out keys).
func TestDrilldownDetailInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	page := "/dashboard/cases?from=2024-09-01&to=2025-08-31&indicator=access&class=late&exact=1"
	for _, tc := range []struct{ lang, want, not string }{
		{"", "gestart op 2025-05-01 in groep E00052, 1 dag na de termijn (2025-04-30)", "started on"},
		{"en", "started on 2025-05-01 in group E00052, 1 day after the deadline (2025-04-30)", "gestart op"},
	} {
		c := a.SignIn("root")
		c.Lang = tc.lang
		r := c.Get(page)
		servertest.WantStatus(t, tc.lang, r, http.StatusOK)
		servertest.WantBody(t, "lang="+tc.lang, r, tc.want)
		if strings.Contains(r.Body.String(), tc.not) {
			t.Errorf("lang=%q: the page holds %q", tc.lang, tc.not)
		}
	}
}

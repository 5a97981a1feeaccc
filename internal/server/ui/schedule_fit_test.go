package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/server/servertest"
)

// TestScheduleFormWarnsWhenCronDoesNotFitPeriod checks that the form's
// preview warns of a weekly cron with "vorige maand" (the same workbook four
// times) and of a yearly one (eleven months in no workbook), and not of a
// monthly one.
func TestScheduleFormWarnsWhenCronDoesNotFitPeriod(t *testing.T) {
	a := servertest.New(t)
	c := a.As("coordinator")
	c.HTMX = true
	for _, tt := range []struct{ cron, want string }{
		{"0+6+*+*+1", "meer dan eens per periode"},
		{"0+6+1+9+*", "minder dan eens per periode"},
		{"0+6+1+*+*", ""},
	} {
		r := c.Get("/schedules/_cron?cron=" + tt.cron + "&period=previous-month")
		servertest.WantStatus(t, tt.cron, r, http.StatusOK)
		body := r.Body.String()
		if tt.want == "" {
			if strings.Contains(body, `id="cron-fit"`) {
				t.Errorf("%s: warns %s", tt.cron, body)
			}
			continue
		}
		servertest.WantBody(t, tt.cron, r, `id="cron-fit"`, tt.want, "vorige maand")
	}
}

package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestScheduleFormWarnsWhenCronDoesNotFitPeriod checks that the form's
// preview warns of a weekly cron with "vorige maand" (the same workbook four
// times) and of a yearly one (eleven months in no workbook), and not of a
// monthly one.
func TestScheduleFormWarnsWhenCronDoesNotFitPeriod(t *testing.T) {
	a := newApp(t)
	c := a.as("coordinator")
	c.htmx = true
	for _, tt := range []struct{ cron, want string }{
		{"0+6+*+*+1", "meer dan eens per periode"},
		{"0+6+1+9+*", "minder dan eens per periode"},
		{"0+6+1+*+*", ""},
	} {
		r := c.get("/schedules/_cron?cron=" + tt.cron + "&period=previous-month")
		wantStatus(t, tt.cron, r, http.StatusOK)
		body := r.Body.String()
		if tt.want == "" {
			if strings.Contains(body, `id="cron-fit"`) {
				t.Errorf("%s: warns %s", tt.cron, body)
			}
			continue
		}
		wantBody(t, tt.cron, r, `id="cron-fit"`, tt.want, "vorige maand")
	}
}

package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

// TestOutflowEndsEnrollments checks that the outflow form offers to end the
// learner's open enrollments, ticked, and that saving it ends them on the
// outflow's date in the same write; unticked, the enrollment stays open.
func TestOutflowEndsEnrollments(t *testing.T) {
	a := servertest.New(t)
	c := a.As("counsellor")
	page := c.Get("/learners/L-AERTS")
	servertest.WantStatus(t, "learner page", page, http.StatusOK)
	servertest.WantBody(t, "outflow form", page, `name="end_enrollments" type="checkbox" value="1" checked`, "Beëindig ook de lopende inschrijvingen op die datum", "Nu lopend: G1.")

	r := c.Post("/learners/L-DEWULF/outflows", url.Values{"date": {"2026-03-10"}, "type": {"qualified"}, "provider": {"P1"}})
	servertest.WantStatus(t, "outflow without ending", r, http.StatusSeeOther)
	f, err := a.DB.FindLearner(context.Background(), "L-DEWULF", domain.DateOf(servertest.Now))
	if err != nil {
		t.Fatal(err)
	}
	if e := f.Enrollments[0]; e.Status != "active" || e.EndDate != 0 {
		t.Errorf("unticked: enrollment %s %s, want it still open", e.Status, e.EndDate)
	}

	r = c.Post("/learners/L-AERTS/outflows", url.Values{"date": {"2026-03-10"}, "type": {"early_leaver"}, "reason": {"work"}, "provider": {"P1"}, "end_enrollments": {"1"}})
	servertest.WantStatus(t, "outflow", r, http.StatusSeeOther)
	f, err = a.DB.FindLearner(context.Background(), "L-AERTS", domain.DateOf(servertest.Now))
	if err != nil {
		t.Fatal(err)
	}
	if e := f.Enrollments[0]; e.Status != "dropped" || e.EndDate != domain.MustDate("2026-03-10") {
		t.Errorf("ticked: enrollment %s %s, want dropped on 2026-03-10", e.Status, e.EndDate)
	}
	if len(f.Outflows) != 1 {
		t.Errorf("%d outflows, want 1", len(f.Outflows))
	}
}

// TestFollowUpBeforeOutflowAsks checks that a follow-up dated on or before
// the learner's latest outflow is saved only once confirmed, and that the
// question names the outflow's date.
func TestFollowUpBeforeOutflowAsks(t *testing.T) {
	a := servertest.New(t)
	c := a.As("counsellor")
	servertest.WantStatus(t, "outflow", c.Post("/learners/L-AERTS/outflows", url.Values{"date": {"2026-03-10"}, "type": {"qualified"}, "provider": {"P1"}}), http.StatusSeeOther)
	r := c.Post("/learners/L-AERTS/followups", url.Values{"date": {"2026-03-01"}, "status": {"work"}})
	servertest.WantStatus(t, "follow-up before the outflow", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "follow-up before the outflow", r, "niet na de laatste uitstroom (2026-03-10)", `name="confirm_before"`)
	f, _ := a.DB.FindLearner(context.Background(), "L-AERTS", domain.DateOf(servertest.Now))
	if len(f.FollowUps) != 0 {
		t.Fatalf("saved without confirmation: %+v", f.FollowUps)
	}
	r = c.Post("/learners/L-AERTS/followups", url.Values{"date": {"2026-03-01"}, "status": {"work"}, "confirm_before": {"1"}})
	servertest.WantStatus(t, "confirmed", r, http.StatusSeeOther)
	f, _ = a.DB.FindLearner(context.Background(), "L-AERTS", domain.DateOf(servertest.Now))
	if len(f.FollowUps) != 1 {
		t.Errorf("confirmed follow-up: %d stored, want 1", len(f.FollowUps))
	}
	servertest.WantStatus(t, "after the outflow", c.Post("/learners/L-AERTS/followups", url.Values{"date": {"2026-03-12"}, "status": {"work"}}), http.StatusSeeOther)
}

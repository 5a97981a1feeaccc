package ui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

// TestTeacherGroupsRunningFirst checks that a teacher's "Mijn groepen"
// lists the groups still running, with their learners counted in Dutch,
// and folds the ended ones away under their own heading.
func TestTeacherGroupsRunningFirst(t *testing.T) {
	a := servertest.New(t)
	tx, err := a.DB.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d := domain.MustDate
	if _, err := tx.Upsert(context.Background(), &domain.DataSet{Groups: []domain.Group{{Code: "G0", Module: "M1",
		StartDate: d("2025-09-01"), EndDate: d("2025-12-19"), PlannedHours: 120, Teacher: "t1", Intensity: "standard"}}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	r := a.As("teacher").Get("/groups")
	servertest.WantStatus(t, "groups", r, http.StatusOK)
	body := r.Body.String()
	details := strings.Index(body, `<details class="ended-groups"><summary>Afgelopen groepen (1)</summary>`)
	g0, g1 := strings.Index(body, `href="/groups/G0"`), strings.Index(body, `href="/groups/G1"`)
	if details < 0 || g1 < 0 || g0 < details || g1 > details {
		t.Errorf("want G1 (running) in the list and G0 (ended) folded after it: details at %d, G1 at %d, G0 at %d", details, g1, g0)
	}
	servertest.WantBody(t, "groups", r, "2 van de 3 actief")
}

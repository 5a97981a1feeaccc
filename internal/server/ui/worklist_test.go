package ui_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/testkit"
)

// worklistApp is the fixture with five more learners of c1, each raising
// one kind of flag (or the goal notice, or nothing) on servertest.Now,
// Sunday 15 March 2026, with names that byte order misplaces.
func worklistApp(t *testing.T) *servertest.App {
	t.Helper()
	a := servertest.New(t)
	d := domain.MustDate
	learner := func(id, first, last string) domain.Learner {
		return domain.Learner{ID: id, FirstName: first, LastName: last, BirthDate: d("1990-01-01"), Gender: "f",
			SchoolingLevel: "primary", Literacy: "literate_latin", LearningRoute: "standard", CivicStatus: "obliged",
			Perspective: "work", Counsellor: "c1"}
	}
	ds := &domain.DataSet{
		Learners: []domain.Learner{learner("L-CETIN", "Mehmet", "Çetin"), learner("L-OZDEMIR", "Zeynep", "Özdemir"),
			learner("L-ZEGER", "Ann", "Zeger"), learner("L-IJZERMAN", "Ilse", "IJzerman"), learner("L-SMET", "Jan", "de Smet")},
		// Overdue by 73 days (L-BOSMANS of the fixture: by 42), and a deadline in 5 days.
		Referrals: []domain.Referral{{Learner: "L-CETIN", Date: d("2025-10-01"), Source: "vdab", Provider: "P1"},
			{Learner: "L-OZDEMIR", Date: d("2025-12-20"), Source: "vdab", Provider: "P1"}},
		Outflows:     []domain.Outflow{{Learner: "L-ZEGER", Date: d("2026-02-01"), Type: "early_leaver", Reason: "unknown", Provider: "P1"}},
		LearnerGoals: []domain.LearnerGoal{{Learner: "L-IJZERMAN", Skill: domain.Reading, TargetLevel: 2, SetDate: d("2025-09-01"), TargetDate: d("2026-02-28")}},
	}
	if err := testkit.Upsert(context.Background(), a.DB, ds); err != nil {
		t.Fatal(err)
	}
	return a
}

var rowID = regexp.MustCompile(`<tr id="l-([^"]+)">`)

// listed returns the learners of a list page, in order.
func listed(body string) []string {
	var out []string
	for _, m := range rowID.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// count returns the count a list page shows for kind.
func count(t *testing.T, body, kind string) string {
	t.Helper()
	m := regexp.MustCompile(`class="count count-` + kind + `[^"]*"[^>]*>[^<]*<strong>(\d+)</strong>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no count of %s on the page", kind)
	}
	return m[1]
}

// TestWorklistOrderAndCounts checks the urgency order (overdue, the most
// days first; deadline soon; no placement; no reason; the goal notice; then
// the rest by name), the Dutch name order, the counts per flag, the status
// column and the filters.
func TestWorklistOrderAndCounts(t *testing.T) {
	t.Parallel()
	a := worklistApp(t)
	c := a.As("counsellor")
	r := c.Get("/learners")
	servertest.WantStatus(t, "worklist", r, http.StatusOK)
	body := r.Body.String()
	want := []string{"L-CETIN", "L-BOSMANS", "L-OZDEMIR", "L-DEWULF", "L-ZEGER", "L-IJZERMAN", "L-AERTS", "L-SMET"}
	if got := listed(body); !slices.Equal(got, want) {
		t.Errorf("urgency order %v, want %v", got, want)
	}
	for kind, n := range map[string]string{"overdue": "2", "deadline_soon": "1", "no_placement": "1", "no_evaluation": "0",
		"no_reason": "1", "no_followup": "0", "low_wellbeing": "0", "goal_overdue": "1"} {
		if got := count(t, body, kind); got != n {
			t.Errorf("count of %s = %s, want %s", kind, got, n)
		}
	}
	servertest.WantBody(t, "worklist", r, "uitgestroomd", "wachtend", "in cursus", "Doel over datum: lezen A1 (streefdatum 2026-02-28)")

	byName := c.Get("/learners?sort=name")
	if got, want := listed(byName.Body.String()), []string{"L-AERTS", "L-BOSMANS", "L-CETIN", "L-SMET", "L-DEWULF", "L-IJZERMAN",
		"L-OZDEMIR", "L-ZEGER"}; !slices.Equal(got, want) {
		t.Errorf("name order %v, want %v", got, want)
	}
	if got := listed(c.Get("/learners?flag=overdue").Body.String()); !slices.Equal(got, []string{"L-CETIN", "L-BOSMANS"}) {
		t.Errorf("overdue filter lists %v", got)
	}
	if got := listed(c.Get("/learners?status=outflowed").Body.String()); !slices.Equal(got, []string{"L-ZEGER"}) {
		t.Errorf("status filter lists %v", got)
	}
	for _, bad := range []string{"?flag=bogus", "?status=gone", "?sort=shoe", "?page=0"} {
		servertest.WantStatus(t, bad, c.Get("/learners"+bad), http.StatusBadRequest)
	}
}

// TestWorklistExport checks that the workbook holds the page's rows, in
// its order and with its filters, under Dutch headers.
func TestWorklistExport(t *testing.T) {
	t.Parallel()
	a := worklistApp(t)
	c := a.As("counsellor")
	r := c.Get("/learners/export.xlsx?status=waiting")
	servertest.WantStatus(t, "export", r, http.StatusOK)
	if ct := r.Header().Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("Content-Type %q", ct)
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Lerenden")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0][:4], []string{"Naam", "Nummer", "Trajectbegeleider", "Status"}) {
		t.Fatalf("header %v", rows)
	}
	var ids []string
	for _, row := range rows[1:] {
		ids = append(ids, row[1])
	}
	if want := listed(c.Get("/learners?status=waiting").Body.String()); !slices.Equal(ids, want) || len(ids) != 5 {
		t.Errorf("workbook rows %v, the page lists %v", ids, want)
	}
	if rows[1][0] != "Çetin, Mehmet" || rows[1][3] != "wachtend" || rows[1][5] != "CVO Een" ||
		!strings.HasPrefix(rows[1][6], "Wacht te lang: 73 dagen") {
		t.Errorf("first row %q", rows[1])
	}
}

// TestWorklistHandling marks a flag handled and snoozes another: both leave
// the counts and the order, "toon afgehandelde" shows them, a snooze in the
// past is refused naming the field, undoing shows the flag again, and every
// change is in the learner's history in Dutch.
func TestWorklistHandling(t *testing.T) {
	t.Parallel()
	a := worklistApp(t)
	c := a.As("counsellor")
	handle := func(id, kind, since, action, until string) *http.Response {
		t.Helper()
		r := c.Post("/learners/"+id+"/flags", url.Values{"kind": {kind}, "since": {since}, "action": {action},
			"until": {until}, "back": {"/learners?sort=urgency"}})
		return r.Result()
	}
	if r := handle("L-CETIN", "overdue", "2025-10-01", "handle", ""); r.StatusCode != http.StatusSeeOther ||
		!strings.HasPrefix(r.Header.Get("Location"), "/learners?saved=handled") {
		t.Fatalf("handling: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := handle("L-OZDEMIR", "deadline_soon", "2025-12-20", "snooze", "2026-03-20"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("snoozing: %d", r.StatusCode)
	}
	body := c.Get("/learners").Body.String()
	if got := count(t, body, "overdue"); got != "1" {
		t.Errorf("overdue count after handling = %s, want 1", got)
	}
	if got := count(t, body, "deadline_soon"); got != "0" {
		t.Errorf("deadline count after snoozing = %s, want 0", got)
	}
	if got := listed(body); got[0] != "L-BOSMANS" || slices.Index(got, "L-CETIN") < slices.Index(got, "L-AERTS") {
		t.Errorf("after handling the order is %v: L-BOSMANS first, L-CETIN among the unflagged", got)
	}
	if !strings.Contains(body, "2 afgehandelde of uitgestelde signalen zijn verborgen.") {
		t.Errorf("the page does not say that two flags are hidden")
	}
	shown := c.Get("/learners?handled=1").Body.String()
	if got := listed(shown); got[0] != "L-CETIN" || !strings.Contains(shown, "(afgehandeld)") || !strings.Contains(shown, "(uitgesteld tot 2026-03-20)") {
		t.Errorf("with handled flags shown: order %v, handled marks present %v", got, strings.Contains(shown, "(afgehandeld)"))
	}

	r := c.Post("/learners/L-DEWULF/flags", url.Values{"kind": {"no_placement"}, "since": {"2026-01-05"}, "action": {"snooze"},
		"until": {"2026-03-15"}, "back": {"/learners"}})
	servertest.WantStatus(t, "snooze until today", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "snooze until today", r, "Uitstellen tot: 2026-03-15 ligt niet na vandaag")
	r = c.Post("/learners/L-DEWULF/flags", url.Values{"kind": {"no_placement"}, "since": {"2026-01-05"}, "action": {"snooze"},
		"back": {"/learners"}})
	servertest.WantStatus(t, "snooze without a date", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "snooze without a date", r, "Uitstellen tot: is verplicht")

	if r := handle("L-CETIN", "overdue", "2025-10-01", "reopen", ""); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reopening: %d", r.StatusCode)
	}
	if got := listed(c.Get("/learners").Body.String()); got[0] != "L-CETIN" {
		t.Errorf("after reopening the order is %v, want L-CETIN first", got)
	}
	page := c.Get("/learners/L-CETIN").Body.String()
	for _, want := range []string{"afhandeling van een signaal", "Soort", "Wacht langer dan de decretale termijn"} {
		if !strings.Contains(page, want) {
			t.Errorf("the learner's history lacks %q", want)
		}
	}
	trail, err := a.DB.ListAudit(context.Background(), "L-CETIN", 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range trail {
		if e.Entity == "flag_handling" && e.Username == "c1" {
			actions = append(actions, e.Action)
		}
	}
	if !slices.Equal(actions, []string{"delete", "create"}) {
		t.Errorf("audit of L-CETIN's handling: %v, want delete and create by c1", actions)
	}
	// Another counsellor's learner cannot be handled.
	if r := a.As("counsellor").Post("/learners/L-ZEGERS/flags", url.Values{"kind": {"overdue"}, "since": {"2025-10-01"},
		"action": {"handle"}}); r.Code != http.StatusForbidden && r.Code != http.StatusNotFound {
		t.Errorf("handling another counsellor's learner: %d", r.Code)
	}
}

// TestHistoryLabels checks that the learner's history names fields and
// codes in Dutch (issue 20): "Soort uitstroom: vroegtijdig", not
// "type: early_leaver", with the time in Brussels.
func TestHistoryLabels(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("counsellor")
	r := c.Post("/learners/L-AERTS/outflows", url.Values{"date": {"2026-03-10"}, "type": {"early_leaver"}, "reason": {"work"},
		"provider": {"P1"}, "end_enrollments": {"1"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("saving the outflow: %d %s", r.Code, servertest.Excerpt(r.Body.String()))
	}
	page := c.Get("/learners/L-AERTS").Body.String()
	_, history, _ := strings.Cut(page, `id="history"`)
	for _, want := range []string{"Soort uitstroom</strong>: <ins>vroegtijdig</ins>", "Reden</strong>: <ins>werk</ins>",
		"Status</strong>: <del>lopend</del> → <ins>gestopt</ins>", "2026-03-15 13:00"} {
		if !strings.Contains(history, want) {
			t.Errorf("the history lacks %q:\n%s", want, servertest.Excerpt(history))
		}
	}
	for _, raw := range []string{"early_leaver", "<strong>type</strong>", "<strong>status</strong>", "<code>"} {
		if strings.Contains(history, raw) {
			t.Errorf("the history shows the raw %q", raw)
		}
	}
}

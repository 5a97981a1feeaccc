package servertest

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/importer"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testkit"
)

// ConformanceDir is the conformance data set with the CLI's expected
// output, testdata/conformance of the module (found from this file, so
// that a test of any package reaches it).
var ConformanceDir = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "testdata", "conformance")
}()

// ConformanceUsers are the accounts of the conformance app.
var ConformanceUsers = []domain.User{
	{Username: "root", Role: domain.RoleAdmin},
	{Username: "kA", Role: domain.RoleCoordinator, Providers: []string{"CVO-A"}},
	{Username: "kB", Role: domain.RoleCoordinator, Providers: []string{"CBE-A", "UTC-A"}},
	{Username: "teacher01", Role: domain.RoleTeacher},
	{Username: "counsellor07", Role: domain.RoleCounsellor},
}

// NewConformance is a server over the conformance data set, imported as
// `traject import` does.
func NewConformance(t *testing.T) *App {
	t.Helper()
	return NewOn(t, testkit.Built(t, "server_conformance", func(ctx context.Context, db *store.DB) error {
		rep, err := importer.Path(ctx, db, ConformanceDir, importer.Options{})
		if err != nil {
			return err
		}
		if !rep.OK() {
			return fmt.Errorf("conformance import: %v", rep.Errors)
		}
		return testkit.CreateUsers(ctx, db, slices.Clone(ConformanceUsers))
	}))
}

// DashNum is one number of a dashboard page, read from its data attributes.
type DashNum struct {
	Href, Ind, Field, Key, Value, Count, Text string
}

var dashNumRE = regexp.MustCompile(`<(?:a|span) class="n[^"]*"(?: href="([^"]*)")? data-ind="([^"]*)" data-field="([^"]*)" data-key="([^"]*)"(?: data-value="([^"]*)")?(?: data-count="([^"]*)")?>([^<]*)</(?:a|span)>`)

// DashNums returns every number of a dashboard page.
func DashNums(body string) []DashNum {
	var out []DashNum
	for _, m := range dashNumRE.FindAllStringSubmatch(body, -1) {
		out = append(out, DashNum{Href: html.UnescapeString(m[1]), Ind: m[2], Field: m[3], Key: html.UnescapeString(m[4]),
			Value: m[5], Count: m[6], Text: html.UnescapeString(m[7])})
	}
	return out
}

// ExpectedOf returns the value of one number in a conformance file: the
// field of the indicator's object in the total (key "") or a breakdown key.
// ok is false for numbers the JSON form does not hold (sums of hours and
// gains); a null value is (NaN, true).
func ExpectedOf(t *testing.T, doc map[string]any, key, ind, field string) (float64, bool) {
	t.Helper()
	var block map[string]any
	if key == "" {
		block, _ = doc["indicators"].(map[string]any)
	} else {
		name, k, _ := strings.Cut(key, "=")
		bd, _ := doc["breakdowns"].(map[string]any)[name].(map[string]any)
		block, _ = bd[k].(map[string]any)
		if block == nil {
			t.Errorf("%s: breakdown key not in the expected file", key)
			return 0, false
		}
	}
	obj, _ := block[ind].(map[string]any)
	num := func(f string) float64 {
		v, ok := obj[f].(float64)
		if !ok {
			t.Errorf("%s %s.%s: %v is not a number", key, ind, f, obj[f])
		}
		return v
	}
	other := func(ind, f string) float64 {
		v, _ := block[ind].(map[string]any)[f].(float64)
		return v
	}
	switch ind + "." + field {
	case "progress.pending", "progress.missed", "certification.pending", "certification.missed":
		return 0, false // nog lopend: a presentation, not a field of the specification's JSON
	case "progress.not_on_track":
		return num("cohort") - num("on_track"), true
	case "certification.not_certified":
		return num("cohort") - num("certified"), true
	case "learning_gain.cohort":
		return num("participants"), true
	case "learning_gain.assessed_no_gain":
		return num("assessed") - num("gained"), true
	case "learning_gain.not_assessed":
		return num("participants") - num("assessed"), true
	case "outflow.cohort":
		return num("total"), true
	case "outflow.other":
		return num("total") - num("qualified") - num("transfer") - num("early_leaver"), true
	case "effects.cohort":
		return other("outflow", "total"), true
	case "effects.followed_up_not_positive":
		return num("followed_up") - num("positive"), true
	case "effects.not_followed_up":
		return other("outflow", "total") - num("followed_up"), true
	case "wellbeing.cohort", "involvement.cohort":
		return num("observed"), true
	case "wellbeing.middle", "involvement.middle":
		return num("observed") - num("high") - num("low"), true
	}
	switch field {
	case "judged":
		return num("on_time") + num("late") + num("waiting_overdue"), true
	case "started":
		return num("on_time") + num("late"), true
	case "hours_attended", "planned_hours", "gain_sum", "pairs":
		return 0, false
	}
	var v any = obj
	for _, part := range strings.Split(field, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s %s.%s: no such field", key, ind, field)
			return 0, false
		}
		if v, ok = m[part]; !ok {
			if strings.HasPrefix(field, "reasons.") || strings.HasPrefix(field, "destinations.") {
				return 0, true // a count that does not occur is 0
			}
			t.Errorf("%s %s.%s: no such field", key, ind, field)
			return 0, false
		}
	}
	if v == nil {
		return math.NaN(), true
	}
	f, ok := v.(float64)
	if !ok {
		t.Errorf("%s %s.%s: %v is not a number", key, ind, field, v)
	}
	return f, ok
}

// ReadExpected reads a conformance file.
func ReadExpected(t *testing.T, name string) (map[string]any, []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ConformanceDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc, b
}

// ConformanceRuns are the CLI runs of testdata/conformance/README.md, as
// query parameters.
var ConformanceRuns = []struct {
	File, Query, User string
}{
	{"expected.json", "from=2024-09-01&to=2025-08-31", "root"},
	{"expected-CVO-A.json", "from=2024-09-01&to=2025-08-31&provider=CVO-A", "kA"},
	{"expected-2025-asof-2026-06-30.json", "from=2025-01-01&to=2025-12-31&as_of=2026-06-30", "root"},
}

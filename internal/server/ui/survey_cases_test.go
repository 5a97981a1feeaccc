package ui_test

import (
	"encoding/csv"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/server/servertest"
)

// surveyComments are the comments of the conformance data's survey
// responses, none of which may appear behind an indicator.
func surveyComments(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(servertest.ConformanceDir, "survey_responses.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range recs[0] {
		if h == "comment" {
			col = i
		}
	}
	var out []string
	for _, r := range recs[1:] {
		if c := strings.TrimSpace(r[col]); c != "" {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Fatal("no comments in the conformance data: the test checks nothing")
	}
	return out
}

var anonymousRE = regexp.MustCompile(`class="anonymous"`)
var hiddenRE = regexp.MustCompile(`class="hidden-learner"`)

// TestSurveyCasesShowNoComments opens the answers behind the survey
// figures: the provider's coordinator sees each answer's kind, date and
// score, anonymous ones as such, and never a comment; a coordinator of other
// providers sees none of them.
func TestSurveyCasesShowNoComments(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	comments := surveyComments(t)
	list := func(user, query string) string {
		r := a.SignIn(user).Get("/dashboard/cases?from=2024-09-01&to=2025-08-31&indicator=survey&class=learner.satisfaction.responses&exact=1" + query)
		servertest.WantStatus(t, user+" survey cases", r, http.StatusOK)
		body := r.Body.String()
		for _, c := range comments {
			if strings.Contains(body, c) || strings.Contains(body, strings.ReplaceAll(c, `"`, "&#34;")) {
				t.Errorf("%s: the list shows the comment %q", user, c)
			}
		}
		return body
	}
	own := list("kA", "&provider=CVO-A")
	if n := len(caseRowRE.FindAllString(own, -1)); n == 0 {
		t.Fatal("kA: no answers listed for CVO-A")
	}
	if len(anonymousRE.FindAllString(own, -1)) == 0 || len(hiddenRE.FindAllString(own, -1)) != 0 {
		t.Errorf("kA: want anonymous answers shown as such and none hidden")
	}
	if !strings.Contains(own, "lerende: tevredenheid") {
		t.Errorf("kA: the answers do not say what they score")
	}
	all := list("root", "")
	if len(hiddenRE.FindAllString(all, -1)) != 0 {
		t.Errorf("root: an admin sees every answer")
	}
	other := list("kB", "&provider=CBE-A")
	if strings.Contains(other, ">CVO-A<") {
		t.Errorf("kB: answers of CVO-A listed under CBE-A")
	}
}

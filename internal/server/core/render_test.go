package core

import (
	"html/template"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/locale"
)

// TestTranslateStatic checks that a page's fixed texts are put in at
// start-up exactly as T would give them on each request, escaped for where
// they stand, and that a T with arguments or a key worked out per request
// is left to the request.
func TestTranslateStatic(t *testing.T) {
	// asst.upload.hint has an apostrophe in English, which the attribute escapes.
	src := `<p title="{{.T "asst.upload.hint"}}">{{- $.T "nav.learners" -}}</p>{{range .Data}}{{$.T .}}{{end}} {{.T "learner.evalcount" 3}}`
	for _, lang := range locale.Interface {
		out := translateStatic(src, lang)
		if strings.Count(out, ".T ") != 2 || strings.Contains(out, `T "nav.learners"`) || strings.Contains(out, `T "asst.upload.hint"`) {
			t.Errorf("%s: translated to %s", lang, out)
		}
		want := new(strings.Builder)
		if err := template.Must(template.New("").Parse(src)).Execute(want, &View{Lang: lang, Data: []string{"nav.groups"}}); err != nil {
			t.Fatal(err)
		}
		got := new(strings.Builder)
		if err := template.Must(template.New("").Parse(out)).Execute(got, &View{Lang: lang, Data: []string{"nav.groups"}}); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: page reads %q, want %q", lang, got, want)
		}
	}
}

package htmlrow

import (
	"html/template"
	"strings"
	"testing"
)

// twin is the plain path: html/template with a value in each of the three
// places a Writer writes one.
var twin = template.Must(template.New("twin").Parse(
	`<td>{{.}}</td><input value="{{.}}" aria-label="{{.}}, x"><a href="{{.}}">`))

// fast writes what twin writes, through a Writer.
func fast(s string) string {
	var w Writer
	w.Markup("<td>")
	w.Text(s)
	w.Markup("</td><input")
	w.Attr("value", s)
	w.Attr("aria-label", s+", x")
	w.Markup("><a")
	w.URLAttr("href", s)
	w.Markup(">")
	return string(w.HTML())
}

func plain(t testing.TB, s string) string {
	var b strings.Builder
	if err := twin.Execute(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Values that need escaping in text, in attributes and in URLs.
var hardValues = []string{
	"", "plain", "Jan Janssens", "<script>alert('x')</script>", `a & b "c" 'd' <e> f+g`,
	"Ça va? Ünïcödé ☃ 😀", "tab\tnew\nline\r", "nul\x00byte", "kapot \xff\xfe utf-8",
	"/learners/L%20001", "/learners/L 001?x=1&y=2#top", "/learners/" + "%zz%4", "javascript:alert(1)",
	"JavaScript:x", "HTTP://example.org/a b", "mailto:a@b.be", "data:text/html,x", "/a:b", "//host/p",
	"&amp; &#39; &lt;", "{{.}}", "`backtick` =eq", "\u2028\u2029 \ufdd0 \uffff", "100%", "a%2Bb",
}

// TestWriterMatchesHTMLTemplate checks the fast path against the plain one:
// every value, in text, in a plain attribute and in a URL attribute, comes
// out byte for byte as html/template writes it.
func TestWriterMatchesHTMLTemplate(t *testing.T) {
	for _, s := range hardValues {
		if got, want := fast(s), plain(t, s); got != want {
			t.Errorf("value %q:\n got %s\nwant %s", s, got, want)
		}
	}
}

// TestEscapeMatchesText checks Escape, the precomputed form of Text.
func TestEscapeMatchesText(t *testing.T) {
	for _, s := range hardValues {
		var w Writer
		w.Text(s)
		if got := Escape(s); got != string(w.HTML()) {
			t.Errorf("Escape(%q) = %q, Text writes %q", s, got, w.HTML())
		}
	}
}

// FuzzWriterMatchesHTMLTemplate looks for a value on which the two paths differ.
func FuzzWriterMatchesHTMLTemplate(f *testing.F) {
	for _, s := range hardValues {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := fast(s), plain(t, s); got != want {
			t.Errorf("value %q:\n got %s\nwant %s", s, got, want)
		}
	})
}

// TestRows checks that Rows cuts what was written at each EndRow.
func TestRows(t *testing.T) {
	var w Writer
	for i, s := range []string{"<a>", "b&c", ""} {
		w.Reserve(i, 3)
		w.Markup("<tr>")
		w.Text(s)
		w.Markup("</tr>")
		w.EndRow()
	}
	rows := w.Rows()
	want := []template.HTML{"<tr>&lt;a&gt;</tr>", "<tr>b&amp;c</tr>", "<tr></tr>"}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
	if got := w.HTML(); got != want[0]+want[1]+want[2] {
		t.Errorf("HTML() = %q", got)
	}
}

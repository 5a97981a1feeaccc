// Package htmlrow writes HTML the way html/template would, without its
// reflection: the fast path of the pages' longest lists (the group page's
// evaluation grid, attendance and observation rows; the learner page's
// timeline and tables). A group of 25 learners has some thousand fields,
// and html/template spends a few microseconds on each; a Writer spends a
// few nanoseconds.
//
// A Writer writes three kinds of content, each escaped exactly as
// html/template escapes a {{.}} in that place, so that a page written here
// is byte for byte the page its template twin would give (rows_test.go in
// internal/server/ui holds those twins):
//
//   - Markup: constant markup of the caller, written as it is;
//   - Text: a text node, or a quoted attribute value of a plain attribute
//     (id, name, value, title, aria-*, …): html/template's htmlEscaper and
//     attrEscaper, which escape the same seven characters;
//   - URL: a quoted value of a URL attribute (href, src, action, …):
//     html/template's urlFilter, urlNormalizer and attrEscaper in turn.
//
// The package knows HTML, not gin or the pages: it sits below internal/server/ui.
package htmlrow

import (
	"html/template"
	"strings"
)

// Writer builds the HTML of a list one row at a time. Its zero value is
// ready to use.
type Writer struct {
	b    strings.Builder
	ends []int // where each row ends
}

// Markup writes s as it is: constant markup of the caller, never data.
func (w *Writer) Markup(s string) { w.b.WriteString(s) }

// Text writes s escaped for a text node or a quoted attribute value.
func (w *Writer) Text(s string) { writeEscaped(&w.b, s) }

// Attr writes ` name="value"` with value escaped as Text; name is a
// constant of the caller and must not name a URL attribute (see URLAttr).
func (w *Writer) Attr(name, value string) {
	w.b.WriteByte(' ')
	w.b.WriteString(name)
	w.b.WriteString(`="`)
	writeEscaped(&w.b, value)
	w.b.WriteByte('"')
}

// URLAttr writes ` name="url"` for a URL attribute (href): an unsafe scheme
// (anything but http, https and mailto) becomes "#ZgotmplZ", characters a
// URL may not hold are percent-encoded, and the result is escaped for the
// attribute, as html/template does with href="{{.}}".
func (w *Writer) URLAttr(name, url string) {
	w.b.WriteByte(' ')
	w.b.WriteString(name)
	w.b.WriteString(`="`)
	writeURL(&w.b, url)
	w.b.WriteByte('"')
}

// EndRow marks the end of a row; Rows hands the rows out one by one.
func (w *Writer) EndRow() { w.ends = append(w.ends, w.b.Len()) }

// Reserve, called before row i of n, makes room for the rows to come once
// the first has shown how long a row is, so that a page's rows are written
// without the buffer growing again and again.
func (w *Writer) Reserve(i, n int) {
	if i == 1 {
		w.b.Grow((n - 1) * w.b.Len() * 9 / 8)
	}
}

// HTML returns everything written as one piece.
func (w *Writer) HTML() template.HTML { return template.HTML(w.b.String()) }

// Rows returns the rows ended by EndRow, each a slice of the one string
// written. A template prints them with {{range rows .}}{{.}}{{end}}:
// text/template prints a value through fmt, whose buffer is reused only up
// to 64 kB, so the 80 kB of a group's rows as one string would cost a new
// buffer, grown five times, on every request.
func (w *Writer) Rows() []template.HTML {
	s := w.b.String()
	out := make([]template.HTML, len(w.ends))
	start := 0
	for i, end := range w.ends {
		out[i], start = template.HTML(s[start:end]), end
	}
	return out
}

// Escape returns s escaped as Text writes it, for a value escaped once and
// written many times with Markup.
func Escape(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	writeEscaped(&b, s)
	return b.String()
}

// escapes are html/template's htmlReplacementTable: what its htmlEscaper
// (text) and attrEscaper (quoted attribute values) replace. Every one is
// ASCII, so a byte-wise scan finds them in UTF-8 without decoding it, and
// leaves any other byte, even of invalid UTF-8, as html/template does.
var escapes = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if escapes[s[i]] != "" {
			return true
		}
	}
	return false
}

// writeEscaped writes s with every character of escapes replaced.
func writeEscaped(b *strings.Builder, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		if r := escapes[s[i]]; r != "" {
			b.WriteString(s[start:i])
			b.WriteString(r)
			start = i + 1
		}
	}
	b.WriteString(s[start:])
}

// filterFailsafe is what html/template puts in place of a URL with an
// unsafe scheme.
const filterFailsafe = "#ZgotmplZ"

// writeURL writes url as html/template writes a whole href value: the
// filter, the normalizer, then the attribute escaper.
func writeURL(b *strings.Builder, url string) {
	if !safeURL(url) {
		b.WriteString(filterFailsafe)
		return
	}
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(url); i++ {
		c := url[i]
		var repl string
		switch {
		case c == '&':
			repl = "&amp;" // kept by the normalizer, escaped for the attribute
		case c == '+':
			repl = "&#43;"
		case urlKeeps(c), c == '%' && i+2 < len(url) && isHex(url[i+1]) && isHex(url[i+2]):
			continue
		default:
			b.WriteString(url[start:i])
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			start = i + 1
			continue
		}
		b.WriteString(url[start:i])
		b.WriteString(repl)
		start = i + 1
	}
	b.WriteString(url[start:])
}

// safeURL reports whether url is relative or of the schemes http, https
// and mailto (html/template's isSafeURL).
func safeURL(url string) bool {
	protocol, _, ok := strings.Cut(url, ":")
	if !ok || strings.Contains(protocol, "/") {
		return true
	}
	return strings.EqualFold(protocol, "http") || strings.EqualFold(protocol, "https") || strings.EqualFold(protocol, "mailto")
}

// urlKeeps reports whether the normalizer keeps c: RFC 3986's unreserved
// characters and its reserved ones but the quote and parentheses.
func urlKeeps(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!#$*,/:;=?@[]", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

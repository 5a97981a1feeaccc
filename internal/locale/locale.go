// Package locale is the one catalogue of Traject's texts: the interface, the
// messages of the data checks, the survey, the labels of the code lists and
// skills, the names of the indicators and the kinds of data-quality findings.
// It imports only the standard library, so that every other package,
// domain included, can hand out keys that the catalogue turns into words.
//
// Each language is one file, translations/<lang>.json, embedded in the
// binary: the set of languages is the set of files, so adding fr.json adds
// French. A file is a flat JSON object, key → text, with fmt verbs (%s, %d,
// %[2]s …) where an argument goes. A text that depends on a count is an
// object of forms instead, {"one": "…", "other": "…"} (and "=0", "=2" …
// for an exact count where a language needs one); the first argument picks
// the form; a form other than "other" may leave the count out ("één
// rij"). Dutch (nl.json) is the default and the complete file; English
// is complete too, because the command line writes it. Another language may
// hold only some families of keys (a family is the part of a key before its
// first dot: the survey's "survey.…"), but each family it has, it has whole;
// the interface offers only complete languages.
//
// There is one fallback everywhere: the requested language, then Dutch,
// then the key itself, so that a gap is visible (and a test finds it).
package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"
)

// Default is the language of a page unless another is chosen, and the
// fallback of every text: the complete catalogue.
const Default = "nl"

//go:embed translations/*.json
var files embed.FS

// entry is the text of one key in one language: a format, or the forms of
// a plural.
type entry struct {
	text  string
	forms map[string]string // "one", "other", "=N"; nil for a plain text
}

var (
	// catalogue maps a language to its entries by key.
	catalogue = mustLoad()

	// Languages are the languages of the catalogue, the default first, then
	// in the order of their codes.
	Languages = languages()

	// Interface are the complete languages, those a page of the interface
	// can be shown in, the default first.
	Interface = complete()
)

// mustLoad reads the embedded files. They are part of the binary and a test
// checks them, so a broken file is a programming error.
func mustLoad() map[string]map[string]entry {
	c, err := load()
	if err != nil {
		panic("locale: " + err.Error())
	}
	return c
}

func load() (map[string]map[string]entry, error) {
	names, err := files.ReadDir("translations")
	if err != nil {
		return nil, err
	}
	c := map[string]map[string]entry{}
	for _, f := range names {
		lang, ok := strings.CutSuffix(f.Name(), ".json")
		if !ok {
			continue
		}
		b, err := files.ReadFile(path.Join("translations", f.Name()))
		if err != nil {
			return nil, err
		}
		m, err := parse(b)
		if err != nil {
			return nil, fmt.Errorf("translations/%s: %w", f.Name(), err)
		}
		c[lang] = m
	}
	if c[Default] == nil {
		return nil, fmt.Errorf("no translations/%s.json", Default)
	}
	return c, nil
}

// parse reads one language file.
func parse(b []byte) (map[string]entry, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	m := make(map[string]entry, len(raw))
	for key, v := range raw {
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			m[key] = entry{text: s}
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			return nil, fmt.Errorf("%q: want a text or an object of plural forms", key)
		}
		if _, ok := forms["other"]; !ok {
			return nil, fmt.Errorf("%q: a plural needs an \"other\" form", key)
		}
		for f := range forms {
			if f != "one" && f != "other" && !exactForm(f) {
				return nil, fmt.Errorf("%q: unknown plural form %q (one, other or =N)", key, f)
			}
		}
		m[key] = entry{forms: forms}
	}
	return m, nil
}

// exactForm reports whether f names an exact count, "=0", "=2" ….
func exactForm(f string) bool {
	if len(f) < 2 || f[0] != '=' {
		return false
	}
	for _, r := range f[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func languages() []string {
	out := []string{Default}
	for lang := range catalogue {
		if lang != Default {
			out = append(out, lang)
		}
	}
	slices.Sort(out[1:])
	return out
}

func complete() []string {
	var out []string
	for _, lang := range Languages {
		if len(Missing(lang)) == 0 {
			out = append(out, lang)
		}
	}
	return out
}

// Missing returns the keys of the default language that lang lacks, sorted.
func Missing(lang string) []string {
	var out []string
	for key := range catalogue[Default] {
		if _, ok := catalogue[lang][key]; !ok {
			out = append(out, key)
		}
	}
	slices.Sort(out)
	return out
}

// Lang returns lang when it is a complete language of the interface, else
// Default.
func Lang(lang string) string {
	if slices.Contains(Interface, lang) {
		return lang
	}
	return Default
}

// Has reports whether key is in the catalogue (in the default language,
// which holds every key).
func Has(key string) bool {
	_, ok := catalogue[Default][key]
	return ok
}

// Defined reports whether lang's own file has key, without the fallback.
func Defined(lang, key string) bool {
	_, ok := catalogue[lang][key]
	return ok
}

// Keys returns the keys of lang's own file, sorted.
func Keys(lang string) []string {
	out := make([]string, 0, len(catalogue[lang]))
	for k := range catalogue[lang] {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Forms returns the text of key in lang's own file, or for a plural its
// forms by name; nil when the file lacks the key. For tests.
func Forms(lang, key string) map[string]string {
	e, ok := catalogue[lang][key]
	switch {
	case !ok:
		return nil
	case e.forms != nil:
		return e.forms
	}
	return map[string]string{"": e.text}
}

// T returns the text of key in lang, formatted with args: lang's text, else
// Dutch, else the key itself. A Text or a Number among args is written in
// lang too. For a plural the first argument, a count, picks the form.
func T(lang, key string, args ...any) string {
	e, ok := catalogue[lang][key]
	if !ok {
		if e, ok = catalogue[Default][key]; !ok {
			return key
		}
	}
	text := e.text
	if e.forms != nil {
		text = e.form(count(args))
	}
	if len(args) == 0 || (e.forms != nil && !strings.Contains(text, "%")) {
		return text // a form may leave its count out: "één rij", "geen rijen"
	}
	out := args
	for i, a := range args {
		var s string
		switch x := a.(type) {
		case Text:
			s = x.In(lang)
		case Number:
			s = x.In(lang)
		case Decimal:
			s = x.In(lang)
		default:
			continue
		}
		if &out[0] == &args[0] { // the caller's slice stays as it was
			out = slices.Clone(args)
		}
		out[i] = s
	}
	return fmt.Sprintf(text, out...)
}

// form picks the plural form for n: an exact "=n", else "one" for 1, else
// "other". Dutch, English, French and German need no more; a language with
// other rules gives its exact counts.
func (e entry) form(n int64) string {
	if s, ok := e.forms[fmt.Sprintf("=%d", n)]; ok {
		return s
	}
	if s, ok := e.forms["one"]; ok && n == 1 {
		return s
	}
	return e.forms["other"]
}

// count is the first argument as a count, 0 when it is none.
func count(args []any) int64 {
	if len(args) == 0 {
		return 0
	}
	switch x := args[0].(type) {
	case int:
		return int64(x)
	case int64:
		return x
	case int32:
		return int64(x)
	case Number:
		return int64(x)
	}
	return 0
}

// CodeKey is the key of the label of code in the code list named list
// (domain's CodeList.Name, e.g. "outflow reason"): "code.outflow_reason.work".
func CodeKey(list, code string) string {
	return "code." + listPart(list) + "." + code
}

// listNames turns a code list's name into the part of its keys:
// "outflow reason" → "outflow_reason". A Replacer is safe for concurrent use
// and costly to build, so there is one.
var listNames = strings.NewReplacer(" ", "_", "-", "_")

// listPart is list as it appears in keys, without allocating for a name that
// is already one.
func listPart(list string) string {
	if !strings.ContainsAny(list, " -") {
		return list
	}
	return listNames.Replace(list)
}

// Code returns the label of code in the code list named list in lang; a code
// that the catalogue does not know (not in the list) is shown as it is.
// Workbooks and lists call it once per cell, so a label without arguments is
// looked up directly, not through T's formatting.
func Code(lang, list, code string) string {
	// The key is built in a buffer on the stack, and m[string(b)] does not
	// allocate: no garbage per cell.
	var buf [64]byte
	b := append(buf[:0], "code."...)
	for i := 0; i < len(list); i++ {
		if c := list[i]; c == ' ' || c == '-' {
			b = append(b, '_')
		} else {
			b = append(b, c)
		}
	}
	b = append(append(b, '.'), code...)
	e, ok := catalogue[lang][string(b)]
	if !ok {
		if e, ok = catalogue[Default][string(b)]; !ok {
			return code
		}
	}
	if e.forms != nil || strings.Contains(e.text, "%") {
		return T(lang, CodeKey(list, code))
	}
	return e.text
}

// Skill returns the name of a skill, given by its code (a domain.Skill is
// a fmt.Stringer that gives it), in lang.
func Skill(lang string, skill fmt.Stringer) string { return T(lang, "skill."+skill.String()) }

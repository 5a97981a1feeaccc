package locale_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/quality"
)

// root is the module's directory, from internal/locale.
const root = "../.."

// keyArg says which argument of a call is a catalogue key: by the called
// function's name (a package function or a method), the argument's index.
// A name that is not unique in the module is qualified by its package.
var keyArg = map[string]int{
	"locale.T": 1, "locale.New": 0, "locale.Errorf": 0, "locale.Has": -1,
	"domain.Invalid": 0, "domain.Coded": 1, "domain.fieldError": 1, "domain.add": 1,
	"ui.msgText": 1, "ui.uploadErr": 0, "importer.fail": 2,
	"T": 0, // View.T, the templates' and the handlers' helper
}

// use is a key found in the code: a whole key, or the prefix of a computed
// one ("role." + r).
type use struct {
	key, where string
	prefix     bool
}

// goUses scans every Go file of the module (tests too, which assert texts)
// for the key arguments of keyArg's calls, and returns every string literal
// besides, which counts a key as used.
func goUses(t *testing.T) (uses []use, literals map[string]bool) {
	literals = map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		pkg := f.Name.Name
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.BasicLit:
				if x.Kind == token.STRING {
					if s, err := strconv.Unquote(x.Value); err == nil {
						literals[s] = true
					}
				}
			case *ast.CallExpr:
				name := ""
				switch fn := x.Fun.(type) {
				case *ast.Ident:
					name = pkg + "." + fn.Name
				case *ast.SelectorExpr:
					if id, ok := fn.X.(*ast.Ident); ok && id.Name == "locale" {
						name = "locale." + fn.Sel.Name
					} else if _, ok := keyArg[pkg+"."+fn.Sel.Name]; ok {
						name = pkg + "." + fn.Sel.Name
					} else {
						name = fn.Sel.Name
					}
				}
				i, ok := keyArg[name]
				if !ok || i < 0 || i >= len(x.Args) || (name == "T" && len(x.Args) == 0) {
					return true
				}
				where := fset.Position(x.Pos()).String()
				if pkg == "locale" || pkg == "locale_test" {
					return true // the catalogue's own tests use made-up keys
				}
				if k, prefix, ok := keyOf(x.Args[i]); ok {
					uses = append(uses, use{k, where, prefix})
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return uses, literals
}

// keyOf reads a key argument: a literal, or a literal + something (a
// computed key, whose literal part is a prefix).
func keyOf(e ast.Expr) (key string, prefix, ok bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if s, err := strconv.Unquote(x.Value); err == nil && x.Kind == token.STRING {
			return s, false, true
		}
	case *ast.BinaryExpr:
		if k, _, ok := keyOf(x.X); ok && x.Op == token.ADD {
			return k, true, true
		}
	}
	return "", false, false
}

// templateT finds the keys of the templates: {{.T "key" …}}, {{$.T "key"}},
// and a computed one, {{$.T (printf "dash.%s" .)}}, by its fixed part.
var (
	templateT      = regexp.MustCompile(`\.T "([^"]+)"`)
	templatePrintf = regexp.MustCompile(`\.T \((?:printf|print) "([^"%]+)`)
	templateLit    = regexp.MustCompile(`"([a-z_]+\.[a-zA-Z0-9_.\-]+)"`)
)

func templateUses(t *testing.T) (uses []use, literals map[string]bool) {
	literals = map[string]bool{}
	files, err := filepath.Glob(filepath.Join(root, "web", "templates", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range templateT.FindAllStringSubmatch(string(b), -1) {
			uses = append(uses, use{m[1], f, false})
		}
		for _, m := range templatePrintf.FindAllStringSubmatch(string(b), -1) {
			uses = append(uses, use{m[1], f, true})
		}
		for _, m := range templateLit.FindAllStringSubmatch(string(b), -1) {
			literals[m[1]] = true
		}
	}
	return uses, literals
}

// layoutTextFields are the fields of a workbook layout (reports/*.json)
// that hold a catalogue key, and layoutTextMaps the maps whose values do
// (internal/report's Layout.eachText names the same): every text of a
// layout is a key. "name" is one only on a sheet.
var (
	layoutTextFields = []string{"title", "label", "text", "short", "numerator", "denominator", "definition"}
	layoutTextMaps   = []string{"texts", "indicators", "breakdowns", "skills", "measures", "classes"}
)

// layoutUses returns the keys of the workbook layouts in reports/.
func layoutUses(t *testing.T) []use {
	files, err := filepath.Glob(filepath.Join(root, "reports", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workbook layouts: %v", err)
	}
	var uses []use
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var walk func(v any, where string, sheet bool)
		walk = func(v any, where string, sheet bool) {
			switch x := v.(type) {
			case []any:
				for i, e := range x {
					walk(e, where+"["+strconv.Itoa(i)+"]", where == "sheets")
				}
			case map[string]any:
				for k, e := range x {
					s, isText := e.(string)
					switch {
					case isText && (slices.Contains(layoutTextFields, k) || (sheet && k == "name")):
						if s != "" {
							uses = append(uses, use{s, f + " " + where + "." + k, false})
						}
					case slices.Contains(layoutTextMaps, k):
						if m, ok := e.(map[string]any); ok {
							for mk, mv := range m {
								if s, ok := mv.(string); ok {
									uses = append(uses, use{s, f + " " + k + "." + mk, false})
								}
							}
						}
					default:
						walk(e, strings.TrimPrefix(where+"."+k, "."), false)
					}
				}
			}
		}
		walk(v, "", false)
	}
	return uses
}

// families are the keys the code computes from lists: every code of every
// code list, every skill, role, indicator, breakdown, figure and kind of
// finding.
func families() []string {
	var keys []string
	for _, l := range domain.CodeLists() {
		keys = append(keys, "list."+l.Name)
		for _, c := range l.Codes {
			keys = append(keys, l.Key(c))
		}
	}
	for k := range domain.NumSkills {
		keys = append(keys, domain.Skill(k).Key())
	}
	for _, r := range domain.Roles() {
		keys = append(keys, r.Key())
	}
	for _, name := range indicator.IndicatorNames {
		keys = append(keys, indicator.IndicatorKey(name))
	}
	for _, name := range indicator.BreakdownNames {
		keys = append(keys, indicator.BreakdownKey(name))
	}
	for _, d := range indicator.FigureDefs {
		keys = append(keys, d.LabelKey(), d.ShortKey(), d.DenominatorKey())
		if k := d.NumeratorKey(); k != "" {
			keys = append(keys, k)
		}
	}
	// every column's name inside messages and the import's error table, and
	// every table's name in the import's counts (and the links it makes)
	for _, e := range interchange.Entities {
		keys = append(keys, "imp.ent."+e.Name)
		for _, c := range e.Columns {
			keys = append(keys, domain.FieldKey(c))
		}
	}
	keys = append(keys, "imp.ent.learner_links")
	// every page's title (core.Render: "title." + the template's name)
	pages, _ := filepath.Glob(filepath.Join(root, "web", "templates", "*.html"))
	for _, p := range pages {
		if name := strings.TrimSuffix(filepath.Base(p), ".html"); name != "layout" {
			keys = append(keys, "title."+name)
		}
	}
	for _, k := range quality.Kinds {
		keys = append(keys, k.TitleKey(), k.TextKey(), "qual.found."+k.Code)
	}
	return append(keys, "number.thousands", "language.name", "language.dir")
}

// TestEveryKeyUsedExists: every key the code, the templates, the workbook
// layouts and the computed families use is in every complete language; a computed key's
// fixed part starts at least one key.
func TestEveryKeyUsedExists(t *testing.T) {
	goU, _ := goUses(t)
	tmplU, _ := templateUses(t)
	layU := layoutUses(t)
	if len(goU) < 400 || len(tmplU) < 500 || len(layU) < 200 {
		t.Fatalf("found %d keys in Go, %d in templates and %d in workbook layouts; the scan misses them", len(goU), len(tmplU), len(layU))
	}
	tmplU = append(tmplU, layU...)
	for _, k := range families() {
		goU = append(goU, use{k, "a computed family", false})
	}
	all := locale.Keys(locale.Default)
	for _, u := range append(goU, tmplU...) {
		if u.prefix {
			if !slices.ContainsFunc(all, func(k string) bool { return strings.HasPrefix(k, u.key) }) {
				t.Errorf("%s: no key starts with %q", u.where, u.key)
			}
			continue
		}
		for _, lang := range locale.Interface {
			if !locale.Defined(lang, u.key) {
				t.Errorf("%s: %q is not in %s.json", u.where, u.key, lang)
			}
		}
	}
	for _, lang := range []string{"nl", "en"} {
		if !slices.Contains(locale.Interface, lang) {
			t.Errorf("%s.json is not complete", lang)
		}
	}
}

// TestEveryKeyIsUsed: a key of the catalogue that no code, template,
// workbook layout or family names, not even by a prefix, is a leftover.
func TestEveryKeyIsUsed(t *testing.T) {
	goU, goLit := goUses(t)
	tmplU, tmplLit := templateUses(t)
	tmplU = append(tmplU, layoutUses(t)...)
	used := map[string]bool{}
	var prefixes []string
	for _, u := range append(goU, tmplU...) {
		if u.prefix {
			prefixes = append(prefixes, u.key)
		} else {
			used[u.key] = true
		}
	}
	for _, k := range families() {
		used[k] = true
	}
	for _, k := range locale.Keys(locale.Default) {
		if used[k] || goLit[k] || tmplLit[k] || slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(k, p) }) {
			continue
		}
		if prefixOfLiteral(k, goLit) {
			continue
		}
		t.Errorf("%q is in the catalogue, but nothing uses it", k)
	}
}

// prefixOfLiteral reports whether a literal of the code that ends in "." or
// "_" begins k: the fixed part of a key built some other way
// ("class." + indicator + "." + class).
func prefixOfLiteral(k string, lits map[string]bool) bool {
	for i := len(k) - 1; i > 0; i-- {
		if (k[i-1] == '.' || k[i-1] == '_') && lits[k[:i]] {
			return true
		}
	}
	return false
}

package core

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// browserTarget is where a browser goes for a Location header loc on a page
// of base, as the WHATWG URL parser reads it: leading and trailing C0
// controls and spaces stripped, ASCII tab and newline removed anywhere, and
// a backslash read as a slash in an http(s) URL.
func browserTarget(base *url.URL, loc string) (*url.URL, error) {
	loc = strings.TrimFunc(loc, func(r rune) bool { return r <= ' ' })
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(loc)
	ref, err := url.Parse(loc)
	if err != nil {
		return nil, err
	}
	return base.ResolveReference(ref), nil
}

// hostileTargets are next= values that must never leave the site: every
// control character (C0, DEL, a few C1 and Unicode spaces and invisible
// format characters) before, inside and after a "//", and backslash forms.
func hostileTargets() []string {
	var chars []rune
	for r := rune(0); r < 0x20; r++ {
		chars = append(chars, r)
	}
	chars = append(chars, 0x7f, 0x80, 0x85, 0x9f, 0xa0, 0x1680, 0x2000, 0x200b, 0x2028, 0x2029, 0x202f, 0x3000, 0xfeff)
	var out []string
	for _, r := range chars {
		c := string(r)
		out = append(out, "/"+c+"/evil.example", c+"//evil.example", "/"+c+`\evil.example`, `/\`+c+"evil.example",
			"//evil.example"+c, c+"/"+c+"/evil.example", "/learners"+c)
	}
	return append(out, "//evil.example", `/\evil.example`, `\/evil.example`, `\\evil.example`, "https://evil.example/",
		"https:evil.example", "javascript:alert(1)", "evil.example", "", "/learners/\xff", `/groups\..\..\/evil.example`)
}

func TestLocalPathRefusesWhatLeavesTheSite(t *testing.T) {
	base, _ := url.Parse("https://traject.example/learners")
	for _, p := range hostileTargets() {
		got := LocalPath(p)
		if got != "/" {
			t.Errorf("LocalPath(%q) = %q, want /", p, got)
		}
		if u, err := browserTarget(base, got); err != nil || u.Host != base.Host {
			t.Errorf("LocalPath(%q) = %q: a browser goes to %v (%v)", p, got, u, err)
		}
	}
}

func TestLocalPathKeepsPathsOfTheSite(t *testing.T) {
	for _, p := range []string{"/", "/learners/L-AERTS", "/learners?q=a+b&page=2", "/groups/G%201#grid",
		"/learners/L%09X", "/dashboard?indicator=i1&from=2026-01-01", "/lerende/%C3%A9"} {
		if got := LocalPath(p); got != p {
			t.Errorf("LocalPath(%q) = %q, want it kept", p, got)
		}
	}
}

// ExampleLocalPath shows the one rule every redirect to a user-supplied
// target goes through.
func ExampleLocalPath() {
	fmt.Println(LocalPath("/learners/L-AERTS"), LocalPath("/\t/evil.example"))
	// Output: /learners/L-AERTS /
}

package servertest

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Login posts the login form the way a browser does: first the page (for the
// login cookie), then the form.
func Login(t *testing.T, a *App, username, password string) *http.Response {
	t.Helper()
	return LoginFrom(t, a, "192.0.2.1:1234", username, password)
}

// LoginFrom signs in from the client address addr ("host:port").
func LoginFrom(t *testing.T, a *App, addr, username, password string) *http.Response {
	t.Helper()
	c := a.Anonymous()
	page := c.Get("/login")
	var cookie *http.Cookie
	for _, ck := range page.Result().Cookies() {
		if ck.Name == "traject_login" {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
		t.Fatalf("login cookie = %+v", cookie)
	}
	form := url.Values{"username": {username}, "password": {password}, "csrf": {cookie.Value}, "next": {"/learners/L-AERTS"}}
	req, _ := http.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cookie)
	req.RemoteAddr = addr
	return c.Do(req).Result()
}

// UploadsIn makes the uploads of the test go to a folder of its own, so
// that the test can check that none is left behind.
func UploadsIn(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	return dir
}

// WorkbookOf writes a workbook with a sheet per table, each a header row and
// rows of text.
func WorkbookOf(t *testing.T, sheets map[string][][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for name, rows := range sheets {
		if first {
			f.SetSheetName("Sheet1", name)
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			vals := make([]any, len(row))
			for j, v := range row {
				vals[j] = v
			}
			if err := f.SetSheetRow(name, cell, &vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// NewLearnerWorkbook is a workbook with one new learner referred to
// provider, with a birth date as given.
func NewLearnerWorkbook(t *testing.T, provider, birth string) []byte {
	return WorkbookOf(t, map[string][][]string{
		"learners": {{"id", "first_name", "last_name", "birth_date", "gender", "schooling_level", "literacy", "learning_route",
			"civic_status", "perspective", "counsellor"},
			{"L-NIEUW", "Nora", "Nieuwland", birth, "f", "upper_secondary", "literate_latin", "standard", "obliged", "work", "c1"}},
		"referrals": {{"learner", "date", "source", "provider"}, {"L-NIEUW", "2026-02-20", "vdab", provider}},
	})
}

// TokenOf finds the upload to confirm in an import page.
func TokenOf(t *testing.T, body string) string {
	t.Helper()
	const start = `action="/imports/`
	i := strings.Index(body, start)
	if i < 0 {
		t.Fatalf("the page has no form to confirm an upload:\n%s", Excerpt(body))
	}
	rest := body[i+len(start):]
	return rest[:strings.Index(rest, "/")]
}

// Excerpt is the main part of a page, for failure messages.
func Excerpt(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	if len(body) > 3000 {
		body = body[:3000] + "…"
	}
	return body
}

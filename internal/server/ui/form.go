package ui

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// The shared helpers of the pages' forms: the options of a select, the
// fields every form parses alike (dates, hours, the page of a list) and,
// below, how a broken rule is shown.

// How the forms that write learners' records (the grid, the observation
// form, the learner page's forms) show a broken rule: a handler parses its
// form, asks domain's check of the record (the one the store asks again
// and, for integrity rules, the import too), and puts each field error
// beside its field, in the rule's own words from the catalogue
// (internal/msg): the same words an import reports for the same record,
// in the reader's language. No handler words a rule of its own.

// parseText is the message of a typed value that does not parse
// (domain.ParseLevel, ParseDate, ParseSkill …) in lang, as an import
// reports it.
func parseText(lang string, err error) string {
	var e *locale.Error
	if errors.As(err, &e) {
		return e.Text.In(lang)
	}
	return domain.MessageIn(err, lang)
}

// placeErrors puts the message of each field error of fes in errs under
// its form field: field maps a rule's field to the form's (the rule's own
// name when field is nil; "" leaves the error out). A form field that has
// a message already keeps it, so that a value that did not parse is not
// reported again as missing, and a field shows its first broken rule.
func placeErrors(lang string, errs map[string]string, fes []domain.FieldError, field func(domain.FieldError) string) {
	for _, fe := range fes {
		name := fe.Field
		if field != nil {
			name = field(fe)
		}
		if name != "" && errs[name] == "" {
			errs[name] = fe.Text.In(lang)
		}
	}
}

// readDate reads a typed date field: the date, 0 when blank (whether it may
// be blank is the record's rule), or the message of a value that is not a
// date.
func readDate(lang, raw string) (domain.Date, string) {
	d, err := domain.ParseDate(raw)
	if err != nil {
		return 0, parseText(lang, err)
	}
	return d, ""
}

// msgText is the catalogue's message key with args in lang.
func msgText(lang, key string, args ...any) string { return locale.New(key, args...).In(lang) }

// choice is an option of a select, ready to print.
type choice struct {
	Value, Label string
	Selected     bool
}

// codeChoices are the codes of list as the options of a select in lang,
// with selected chosen.
func codeChoices(lang string, list *domain.CodeList, selected string) []choice {
	out := make([]choice, len(list.Codes))
	for i, code := range list.Codes {
		out[i] = choice{Value: code, Label: locale.Code(lang, list.Name, code), Selected: code == selected}
	}
	return out
}

// parseDateField reads a date field of a filter or an admin form: required
// unless optional, a date, inside the domain's date range. It returns the
// message of a broken rule.
func parseDateField(lang, raw string, optional bool) (domain.Date, string) {
	if raw == "" {
		if optional {
			return 0, ""
		}
		return 0, locale.T(lang, "v.required")
	}
	d, err := domain.ParseDate(raw)
	switch {
	case err != nil:
		return 0, locale.T(lang, "v.date", raw)
	case d < domain.MinDate || d > domain.MaxDate:
		return 0, locale.T(lang, "v.date.range", domain.MinDate.String(), domain.MaxDate.String())
	}
	return d, ""
}

// domainErrors adds the messages of the domain's own rules that the form's
// checks did not already report.
func domainErrors(lang string, errs map[string]string, fes []domain.FieldError) {
	placeErrors(lang, errs, fes, nil)
}

// parseHours reads an hours field: a number (decimal comma or point) ≥ 0.
func parseHours(lang, s string) (float64, string) {
	if s == "" {
		return 0, locale.T(lang, "v.required")
	}
	h, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	switch {
	case err != nil || math.IsNaN(h) || math.IsInf(h, 0):
		return 0, locale.T(lang, "v.hours", s)
	case h < 0:
		return 0, locale.T(lang, "v.hours.negative")
	case h > 10000:
		return 0, locale.T(lang, "v.hours.max")
	}
	return h, ""
}

// pager is the navigation between pages of a list.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string // addresses, "" when none
}

// pageParam reads the page number of a list, 1 when absent.
func pageParam(c *gin.Context) (int, error) {
	p := c.DefaultQuery("page", "1")
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, core.BadRequest("bad page")
	}
	return n, nil
}

// newPager builds the pager of a list of total rows, keeping the query.
func newPager(c *gin.Context, page, total int) pager {
	p := pager{Page: page, Total: total, Pages: max(1, (total+store.DefaultPageSize-1)/store.DefaultPageSize)}
	link := func(n int) string {
		q := c.Request.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return c.Request.URL.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}

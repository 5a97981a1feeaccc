package api

import (
	"slices"
	"strconv"
	"strings"

	"github.com/traject-nt2/traject/internal/locale"
)

// detailLang is the language of the API's texts (a case's detail): the
// language of the request's Accept-Language header that the interface
// speaks, the most preferred first, else Dutch (locale.Default). A token's
// client has no language cookie, so the header alone decides.
func detailLang(header string) string {
	type pref struct {
		lang string
		q    float64
	}
	var prefs []pref
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if q > 0 && slices.Contains(locale.Interface, primary) {
			prefs = append(prefs, pref{primary, q})
		}
	}
	slices.SortStableFunc(prefs, func(a, b pref) int {
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return 0
	})
	if len(prefs) == 0 {
		return locale.Default
	}
	return prefs[0].lang
}

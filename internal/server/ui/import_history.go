package ui

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// importHistoryLimit is how many of the newest imports the history page
// lists.
const importHistoryLimit = 200

// importHistoryView is the import history page: the newest imports the
// user may see (store.ImportRuns: a coordinator's providers', an admin's
// all).
type importHistoryView struct {
	Runs  []importRunItem
	Limit int
}

// importRunItem is one row of the history, in the reader's language.
type importRunItem struct {
	At, User, Channel, Source, Profile, Providers string
	OK                                            bool
	Result                                        string // "Opgeslagen", "Geweigerd: 3 fouten"
	FirstError                                    string
	Counts                                        []string // "Lerenden: 4 nieuw, 0 gewijzigd, 0 ongewijzigd"
}

// importHistory lists the import history.
func (s *Handler) importHistory(c *gin.Context) {
	lang := core.Lang(c)
	runs, err := s.DB.ImportRuns(c.Request.Context(), core.CurrentUser(c), importHistoryLimit)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := &importHistoryView{Limit: importHistoryLimit}
	for _, r := range runs {
		it := importRunItem{At: formatTime(r.At), User: r.Username, Channel: locale.T(lang, "imp.hist.channel."+r.Channel),
			Source: r.Source, Profile: r.Profile, Providers: strings.Join(r.Providers, ", "), OK: r.Result == store.ImportOK,
			FirstError: r.FirstError}
		if it.User == "" {
			it.User = locale.T(lang, "imp.hist.cli")
		}
		if it.OK {
			it.Result = locale.T(lang, "imp.hist.ok")
		} else {
			it.Result = locale.T(lang, "imp.hist.refused", r.Errors)
		}
		for _, n := range r.Counts {
			it.Counts = append(it.Counts, locale.T(lang, "imp.hist.count", locale.T(lang, "imp.ent."+n.Entity),
				locale.Number(n.Inserted), locale.Number(n.Updated), locale.Number(n.Unchanged)))
		}
		v.Runs = append(v.Runs, it)
	}
	s.Render(c, http.StatusOK, "imports_history", "", v)
}

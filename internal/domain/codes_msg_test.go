package domain

import (
	"testing"

	"github.com/traject-nt2/traject/internal/locale"
)

// TestCodeListsHaveMessages: every code list's name has a text in the
// message catalogue ("is not a gender" / "geen geldige waarde voor geslacht").
func TestCodeListsHaveMessages(t *testing.T) {
	for _, l := range CodeLists() {
		if !locale.Has("list." + l.Name) {
			t.Errorf("no message list.%s", l.Name)
		}
	}
}

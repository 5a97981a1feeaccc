package ui

import (
	"testing"

	"github.com/traject-nt2/traject/internal/server/core"
)

// TestTemplatesParse parses the embedded pages with the pages' template
// functions, as the server does at start-up, and finds every page that a
// handler renders.
func TestTemplatesParse(t *testing.T) {
	pages, err := core.ParseTemplates(Funcs)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"login", "logout", "groups", "group", "learners", "learner", "error", "dashboard", "drilldown",
		"imports", "exports", "schedules", "schedule", "schedule_form", "schedule_delete", "quality", "admin", "admin_users",
		"admin_user", "admin_list", "admin_record", "admin_backup", "learner_export", "learner_erase"} {
		if !pages.Has(want) {
			t.Errorf("no template for page %q", want)
		}
	}
}

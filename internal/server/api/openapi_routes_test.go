package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/server/api"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

// TestOpenAPIMatchesRoutes holds the OpenAPI document against the routes
// gin registered under /api/v1: the same paths with the same methods, no
// more and no fewer; every $ref resolves; and each documented query
// parameter is one the handler takes.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	a := servertest.NewConformance(t)
	r := a.Anonymous().Get(api.Prefix + "/openapi.json")
	servertest.WantStatus(t, "openapi.json", r, http.StatusOK)
	var doc struct {
		OpenAPI    string                               `json:"openapi"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(r.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	var documented, registered []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	param := regexp.MustCompile(`:(\w+)`)
	for _, rt := range a.Srv.Routes() {
		if rt.Path == api.Prefix || strings.HasPrefix(rt.Path, api.Prefix+"/") {
			registered = append(registered, rt.Method+" "+param.ReplaceAllString(rt.Path, "{$1}"))
		}
	}
	slices.Sort(documented)
	slices.Sort(registered)
	if !slices.Equal(documented, registered) {
		t.Errorf("the OpenAPI document lists\n  %s\nbut gin has\n  %s", strings.Join(documented, "\n  "), strings.Join(registered, "\n  "))
	}
	if len(registered) < 5 {
		t.Errorf("only %d API routes: %v", len(registered), registered)
	}

	// Every $ref names a schema of the document.
	for _, m := range regexp.MustCompile(`"\$ref":\s*"#/components/schemas/([^"]+)"`).FindAllStringSubmatch(r.Body.String(), -1) {
		if doc.Components.Schemas[m[1]] == nil {
			t.Errorf("$ref to unknown schema %q", m[1])
		}
	}

	// Each documented query parameter is taken (the API refuses unknown ones).
	c := a.BearerOf("root")
	ids := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			id, _ := op["operationId"].(string)
			if id == "" || ids[id] {
				t.Errorf("%s %s: operationId %q missing or not unique", method, path, id)
			}
			ids[id] = true
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				p := p.(map[string]any)
				if p["in"] != "query" {
					continue
				}
				name := p["name"].(string)
				rr := c.Get(strings.ReplaceAll(path, "{id}", "L000001") + "?" + name + "=1")
				if strings.Contains(rr.Body.String(), "unknown parameter") {
					t.Errorf("%s %s: documented parameter %q is refused: %s", method, path, name, rr.Body.String())
				}
			}
			if strings.HasPrefix(path, api.Prefix+"/openapi") {
				continue
			}
			rr := c.Get(strings.ReplaceAll(path, "{id}", "L000001") + "?undocumented=1")
			if rr.Code != http.StatusBadRequest || !strings.Contains(rr.Body.String(), "unknown parameter") {
				t.Errorf("%s %s: an undocumented parameter gives %d %s", method, path, rr.Code, rr.Body.String())
			}
		}
	}
}

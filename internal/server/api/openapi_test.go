package api

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestOpenAPIDocumentIsStable builds the document again and again: every
// build must be byte for byte the same, so that no list in it follows the
// order of a Go map.
func TestOpenAPIDocumentIsStable(t *testing.T) {
	first, err := json.Marshal(openAPIDocument())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		again, err := json.Marshal(openAPIDocument())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatalf("build %d of the OpenAPI document differs from the first", i+2)
		}
	}
}

package ui

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/cache"
)

// TestSpliceGzip checks the splice itself (the server's tests check whole
// answers): stored blocks split at 65,535 bytes, and which Accept-Encoding
// takes gzip.
func TestSpliceGzip(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 9000)
	body, err := cache.Pack([]byte("<p>body</p>"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(spliceGzip(big, body, []byte("end"))))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || string(got) != string(big)+"<p>body</p>end" {
		t.Errorf("spliced stream: %v, %d bytes", err, len(got))
	}
	for ae, want := range map[string]bool{"": false, "gzip": true, "deflate, gzip": true, "gzip;q=0": false, "br": false, "GZIP; q=0.5": true} {
		cx, _ := gin.CreateTestContext(httptest.NewRecorder())
		cx.Request = httptest.NewRequest(http.MethodGet, "/", nil)
		cx.Request.Header.Set("Accept-Encoding", ae)
		if acceptsGzip(cx) != want {
			t.Errorf("Accept-Encoding %q: gzip %v, want %v", ae, !want, want)
		}
	}
}

package gzsplice

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// pages are layouts and bodies around the edges of the splice: empty
// parts, parts over a stored block's 65,535 bytes, a body longer than the
// layout, text that does not compress.
func pages(t testing.TB) []struct{ before, body, after []byte } {
	r := rand.New(rand.NewPCG(7, 19))
	noise := make([]byte, 70_000)
	for i := range noise {
		noise[i] = byte(r.IntN(256))
	}
	big := bytes.Repeat([]byte(`<a href="/dashboard/drill?x=1">Leerroute 1.2 – Zoë</a>`), 12_000) // 600 kB
	return []struct{ before, body, after []byte }{
		{[]byte("<html><body>"), []byte("<p>body</p>"), []byte("</body></html>")},
		{nil, []byte("<p>only the body</p>"), nil},
		{[]byte("<html>"), nil, []byte("</html>")},
		{nil, nil, nil},
		{bytes.Repeat([]byte("0123456789abcdef"), 9000), big, []byte("end")},
		{noise, noise[:65_535], noise[:65_536]},
		{[]byte("voor ☃ "), []byte("Ünïcödé 😀 & <b>"), []byte(" na")},
	}
}

// TestGzipRoundTrip checks the fast path against the plain one: the spliced
// stream decompresses with compress/gzip to exactly before, body and after,
// its trailer holds their CRC-32 and length, and nothing follows it.
func TestGzipRoundTrip(t *testing.T) {
	for i, p := range pages(t) {
		body, err := Pack(p.body)
		if err != nil {
			t.Fatal(err)
		}
		z := Gzip(p.before, body, p.after)
		want := Plain(p.before, body, p.after)
		if !bytes.Equal(want, append(append(append([]byte{}, p.before...), p.body...), p.after...)) {
			t.Fatalf("page %d: Plain is not before+body+after", i)
		}
		zr, err := gzip.NewReader(bytes.NewReader(z))
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		zr.Multistream(false)
		got, err := io.ReadAll(zr) // checks the CRC and the length at the end
		if err != nil {
			t.Fatalf("page %d: the stream does not decompress: %v", i, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("page %d: decompressed %d bytes, want the %d of the page", i, len(got), len(want))
		}
		trailer := z[len(z)-8:]
		if crc := binary.LittleEndian.Uint32(trailer); crc != crc32.ChecksumIEEE(want) {
			t.Errorf("page %d: CRC %08x, want %08x", i, crc, crc32.ChecksumIEEE(want))
		}
		if size := binary.LittleEndian.Uint32(trailer[4:]); size != uint32(len(want)) {
			t.Errorf("page %d: ISIZE %d, want %d", i, size, len(want))
		}
		// One member and nothing after it: a second Reset finds the end.
		if err := zr.Reset(bytes.NewReader(z[len(z):])); err != io.EOF {
			t.Errorf("page %d: bytes after the member: %v", i, err)
		}
	}
}

// TestServedThroughRealServer serves spliced pages through an http.Server
// and reads them with a real client, which holds the answer to its
// Content-Length (a recorder does not): as gzip to a client that takes it,
// as it is to one that does not, with the layout's own length declared
// first as the renderer does.
func TestServedThroughRealServer(t *testing.T) {
	for i, p := range pages(t) {
		body, err := Pack(p.body)
		if err != nil {
			t.Fatal(err)
		}
		layout := append(append(append([]byte{}, p.before...), Marker...), p.after...)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(len(layout))) // what the renderer declares
			sw := &Writer{ResponseWriter: w, Body: body, Gzip: AcceptsGzip(r.Header.Get("Accept-Encoding"))}
			if _, err := sw.Write(layout); err != nil {
				t.Errorf("write: %v", err)
			}
		}))
		want := Plain(p.before, body, p.after)
		for _, ae := range []string{"gzip", ""} {
			t.Run(fmt.Sprintf("page %d/Accept-Encoding %q", i, ae), func(t *testing.T) {
				req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
				if err != nil {
					t.Fatal(err)
				}
				if ae != "" {
					req.Header.Set("Accept-Encoding", ae)
				}
				// The client neither asks for nor undoes gzip itself: the
				// test sees the bytes on the wire.
				client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
				res, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				raw, err := io.ReadAll(res.Body)
				if err != nil {
					t.Fatalf("read the answer: %v (Content-Length %d)", err, res.ContentLength)
				}
				if res.ContentLength != int64(len(raw)) {
					t.Fatalf("Content-Length %d, but %d bytes came", res.ContentLength, len(raw))
				}
				got := raw
				if ae == "gzip" {
					if enc := res.Header.Get("Content-Encoding"); enc != "gzip" {
						t.Fatalf("Content-Encoding %q, want gzip", enc)
					}
					zr, err := gzip.NewReader(bytes.NewReader(raw))
					if err != nil {
						t.Fatal(err)
					}
					if got, err = io.ReadAll(zr); err != nil {
						t.Fatalf("the answer does not decompress: %v", err)
					}
				} else if enc := res.Header.Get("Content-Encoding"); enc != "" {
					t.Fatalf("Content-Encoding %q to a client without gzip", enc)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("got %d bytes, want the %d of the page", len(got), len(want))
				}
			})
		}
		srv.Close()
	}
}

// TestWriterPassesOtherWrites checks that a write without the marker (an
// error page) goes out unchanged.
func TestWriterPassesOtherWrites(t *testing.T) {
	rec := httptest.NewRecorder()
	w := &Writer{ResponseWriter: rec, Body: &Body{HTML: []byte("x")}, Gzip: true}
	if _, err := w.Write([]byte("<p>Interne fout</p>")); err != nil {
		t.Fatal(err)
	}
	if rec.Body.String() != "<p>Interne fout</p>" || rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("error page: %q, Content-Encoding %q", rec.Body.String(), rec.Header().Get("Content-Encoding"))
	}
}

// TestAcceptsGzip checks which Accept-Encoding takes gzip.
func TestAcceptsGzip(t *testing.T) {
	for _, tc := range []struct {
		ae   string
		want bool
	}{
		{"", false}, {"gzip", true}, {"deflate, gzip", true}, {"gzip;q=0", false}, {"br", false},
		{"GZIP; q=0.5", true}, {"gzip; q=0.000", false}, {"br, gzip ;q=1", true},
	} {
		if got := AcceptsGzip(tc.ae); got != tc.want {
			t.Errorf("AcceptsGzip(%q) = %v, want %v", tc.ae, got, tc.want)
		}
	}
}

// Package gzsplice serves a page whose large body was compressed once, when
// it was cached, without compressing it again on every answer: the fast
// path of the dashboard and its drill-downs.
//
// Cached page bodies are large (a dashboard over 28 providers is 600 kB of
// HTML, mostly links) but compress twentyfold. Pack deflates a body once;
// each answer then wraps it in the layout (which holds the user's name and
// CSRF token, so it is rendered per request) without compressing it again:
// the gzip stream is the layout's part before the body in stored blocks,
// the body's own deflate blocks, the part after, and the trailer. Deflate
// blocks may follow each other at any byte boundary, and the body's
// back-references stay within the body, so the splice is a valid stream
// (RFC 1951, 1952). Its test holds it to compress/gzip and to a real
// http.Server and client.
//
// The package knows net/http, not gin or the pages.
package gzsplice

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"
)

// Body is a page body deflated once, ready to splice into any number of
// gzip streams.
type Body struct {
	HTML     []byte
	Deflated []byte // deflate blocks, ending byte-aligned, not final
	CRC      uint32 // CRC-32 of HTML
}

// Pack deflates a body for splicing.
func Pack(html []byte) (*Body, error) {
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(html); err != nil {
		return nil, err
	}
	if err := fw.Flush(); err != nil { // a sync flush: byte-aligned, and no final block
		return nil, err
	}
	return &Body{HTML: html, Deflated: buf.Bytes(), CRC: crc32.ChecksumIEEE(html)}, nil
}

// Marker stands for the body in a rendered layout. It cannot occur in a
// page otherwise: every text a page shows is escaped.
const Marker = "<!--traject:cached-body-->"

// header is a gzip member header: deflate, no name, no time, unknown OS.
var header = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// Gzip returns the gzip stream of before, the body and after: what
// compress/gzip would decompress to Plain(before, body, after).
func Gzip(before []byte, body *Body, after []byte) []byte {
	out := make([]byte, 0, len(header)+len(before)+len(body.Deflated)+len(after)+64)
	out = append(out, header...)
	out = storedBlocks(out, before)
	out = append(out, body.Deflated...)
	out = storedBlocks(out, after)
	out = append(out, 1, 0, 0, 0xff, 0xff) // the final block: stored, empty
	crc := crc32.Update(crc32.Update(crc32.ChecksumIEEE(before), crc32.IEEETable, body.HTML), crc32.IEEETable, after)
	out = binary.LittleEndian.AppendUint32(out, crc)
	return binary.LittleEndian.AppendUint32(out, uint32(len(before)+len(body.HTML)+len(after)))
}

// Plain returns before, the body and after, as one page: the plain path.
func Plain(before []byte, body *Body, after []byte) []byte {
	out := make([]byte, 0, len(before)+len(body.HTML)+len(after))
	return append(append(append(out, before...), body.HTML...), after...)
}

// storedBlocks appends b as non-final stored deflate blocks (at most 65,535
// bytes each), starting and ending on a byte boundary.
func storedBlocks(out, b []byte) []byte {
	for len(b) > 0 {
		n := min(len(b), 0xffff)
		out = append(out, 0)
		out = binary.LittleEndian.AppendUint16(out, uint16(n))
		out = binary.LittleEndian.AppendUint16(out, ^uint16(n))
		out = append(out, b[:n]...)
		b = b[n:]
	}
	return out
}

// AcceptsGzip reports whether a request's Accept-Encoding takes gzip (and
// does not refuse it with q=0).
func AcceptsGzip(acceptEncoding string) bool {
	for _, part := range strings.Split(acceptEncoding, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// Writer writes a page whose layout holds Marker with Body in its place:
// as gzip when Gzip is set, else as it is. A write without the marker (an
// error page) passes unchanged. The layout must come in one write, as
// html/template's rendering into a buffer gives it.
type Writer struct {
	http.ResponseWriter
	Body *Body
	Gzip bool
}

// Write writes p with the body in place of the marker.
func (w *Writer) Write(p []byte) (int, error) {
	i := bytes.Index(p, []byte(Marker))
	if i < 0 {
		return w.ResponseWriter.Write(p)
	}
	before, after := p[:i], p[i+len(Marker):]
	var out []byte
	h := w.Header()
	if w.Gzip {
		h.Set("Content-Encoding", "gzip")
		h.Add("Vary", "Accept-Encoding")
		out = Gzip(before, w.Body, after)
	} else {
		out = Plain(before, w.Body, after)
	}
	// The renderer declared the length of the layout it wrote, marker and
	// all; what goes out is the spliced page, in either form. (A declared
	// length shorter than the body makes net/http cut the answer off: the
	// page came out empty to every client that does not take gzip.)
	h.Set("Content-Length", strconv.Itoa(len(out)))
	if _, err := w.ResponseWriter.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

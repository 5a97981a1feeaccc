package ui

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"html/template"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/cache"
)

// Cached page bodies are large (a dashboard over 28 providers is 600 kB of
// HTML, mostly links) but compress twentyfold. A body is deflated once, when
// it is cached; each answer then wraps it in the layout (which holds the
// user's name and CSRF token, so it is rendered per request) without
// compressing it again: the gzip stream is the layout's part before the
// body in stored blocks, the body's own deflate blocks, the part after, and
// the trailer. Deflate blocks may follow each other at any byte boundary,
// and the body's back-references stay within the body, so the splice is a
// valid stream (RFC 1951, 1952).

// bodyMarker stands for the cached body in the rendered layout. It cannot
// occur in a page otherwise: every text a page shows is escaped.
const bodyMarker = "<!--traject:cached-body-->"

// splicer writes a page whose layout holds bodyMarker, with the body put
// in its place: as gzip when the client takes it, else as it is.
type splicer struct {
	gin.ResponseWriter
	body *cache.Body
	gzip bool
}

// Write writes p with the body in place of the marker; a write without the
// marker (an error page) passes unchanged.
func (s *splicer) Write(p []byte) (int, error) {
	i := bytes.Index(p, []byte(bodyMarker))
	if i < 0 {
		return s.ResponseWriter.Write(p)
	}
	before, after := p[:i], p[i+len(bodyMarker):]
	var out []byte
	h := s.Header()
	if s.gzip {
		h.Set("Content-Encoding", "gzip")
		h.Add("Vary", "Accept-Encoding")
		out = spliceGzip(before, s.body, after)
	} else {
		out = make([]byte, 0, len(before)+len(s.body.HTML)+len(after))
		out = append(append(append(out, before...), s.body.HTML...), after...)
	}
	// The renderer declared the length of the layout it wrote, marker and
	// all; what goes out is the spliced page, in either form. (A declared
	// length shorter than the body makes net/http cut the answer off: the
	// page came out empty to every client that does not take gzip.)
	h.Set("Content-Length", strconv.Itoa(len(out)))
	if _, err := s.ResponseWriter.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// WriteString is Write for strings.
func (s *splicer) WriteString(str string) (int, error) { return s.Write([]byte(str)) }

// gzipHeader is a gzip member header: deflate, no name, no time, unknown OS.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// spliceGzip returns the gzip stream of before, the body and after.
func spliceGzip(before []byte, body *cache.Body, after []byte) []byte {
	out := make([]byte, 0, len(gzipHeader)+len(before)+len(body.Deflated)+len(after)+64)
	out = append(out, gzipHeader...)
	out = storedBlocks(out, before)
	out = append(out, body.Deflated...)
	out = storedBlocks(out, after)
	out = append(out, 1, 0, 0, 0xff, 0xff) // the final block: stored, empty
	crc := crc32.Update(crc32.Update(crc32.ChecksumIEEE(before), crc32.IEEETable, body.HTML), crc32.IEEETable, after)
	out = binary.LittleEndian.AppendUint32(out, crc)
	return binary.LittleEndian.AppendUint32(out, uint32(len(before)+len(body.HTML)+len(after)))
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

// acceptsGzip reports whether the client takes gzip (not refused with q=0).
func acceptsGzip(c *gin.Context) bool {
	for _, part := range strings.Split(c.GetHeader("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// renderCached answers page with its cached body in the layout.
func (h *indicatorHandlers) renderCached(c *gin.Context, status int, page string, body *cache.Body) {
	sp := &splicer{ResponseWriter: c.Writer, body: body, gzip: acceptsGzip(c)}
	c.Writer = sp
	defer func() { c.Writer = sp.ResponseWriter }()
	h.Render(c, status, page, "", pageBody{Body: template.HTML(bodyMarker)})
}

package cache

import (
	"bytes"
	"compress/flate"
	"hash/crc32"
)

// Body is a cached page body, deflated once when it is cached so that each
// answer can splice it into a gzip stream without compressing it again (the
// web layer's splicer; RFC 1951, 1952).
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

package xlsxpart

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"runtime"
	"sync"

	"github.com/xuri/excelize/v2"
)

// deflateBlock is how much of a part each core compresses at a time.
const deflateBlock = 1 << 20

// fastZip compresses the parts of the workbook with deflate's fastest level,
// large parts in blocks on every core: the cases sheet is a few hundred
// megabytes of XML, and compressing it is the last thing Write does, when
// the other cores are idle.
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return newParallelDeflate(out, deflateBlock, runtime.GOMAXPROCS(0)), nil
	})
	return zw
}

// parallelDeflate writes one deflate stream whose blocks are compressed
// independently and at once: each block but the last ends with a sync flush,
// so the compressed blocks can simply follow each other (as pigz does).
// A block cannot refer back into the one before, which costs a few bytes per
// megabyte. Errors of the underlying writer are reported by Close.
type parallelDeflate struct {
	out     io.Writer
	size    int
	buf     *[]byte
	pending chan chan *bytes.Buffer // in order; each yields its block once compressed
	slots   chan struct{}           // bounds the blocks in flight
	done    chan error              // the first error, once every block is written
	closed  bool
	err     error
}

var (
	inPool    sync.Pool // *[]byte of deflateBlock capacity
	outPool   = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	flatePool sync.Pool // *flate.Writer at BestSpeed
)

func newParallelDeflate(out io.Writer, size, workers int) *parallelDeflate {
	workers = max(workers, 1)
	d := &parallelDeflate{out: out, size: size, pending: make(chan chan *bytes.Buffer, workers),
		slots: make(chan struct{}, workers), done: make(chan error, 1)}
	d.buf = d.newBlock()
	go d.writeBlocks()
	return d
}

func (d *parallelDeflate) newBlock() *[]byte {
	if b, ok := inPool.Get().(*[]byte); ok && cap(*b) == d.size {
		*b = (*b)[:0]
		return b
	}
	b := make([]byte, 0, d.size)
	return &b
}

// writeBlocks writes the compressed blocks in order; after an error it only
// drains them, so that no compressor waits forever.
func (d *parallelDeflate) writeBlocks() {
	var err error
	for ch := range d.pending {
		out := <-ch
		if out == nil {
			err = cmpOr(err, io.ErrShortWrite)
			continue
		}
		if err == nil {
			_, err = out.WriteTo(d.out)
		}
		outPool.Put(out)
	}
	d.done <- err
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// submit compresses block on another goroutine; last ends the stream.
func (d *parallelDeflate) submit(block *[]byte, last bool) {
	d.slots <- struct{}{}
	ch := make(chan *bytes.Buffer, 1)
	d.pending <- ch
	go func() {
		defer func() { <-d.slots }()
		out := outPool.Get().(*bytes.Buffer)
		out.Reset()
		fw, _ := flatePool.Get().(*flate.Writer)
		if fw == nil {
			fw, _ = flate.NewWriter(out, flate.BestSpeed) // the level is valid
		} else {
			fw.Reset(out)
		}
		_, err := fw.Write(*block)
		if err == nil && last {
			err = fw.Close()
		} else if err == nil {
			err = fw.Flush()
		}
		flatePool.Put(fw)
		inPool.Put(block)
		if err != nil { // writing to a bytes.Buffer does not fail
			out = nil
		}
		ch <- out
	}()
}

// Write collects p into blocks and hands each full block to a compressor.
func (d *parallelDeflate) Write(p []byte) (int, error) {
	if d.closed {
		return 0, io.ErrClosedPipe
	}
	n := len(p)
	for len(p) > 0 {
		k := min(d.size-len(*d.buf), len(p))
		*d.buf = append(*d.buf, p[:k]...)
		p = p[k:]
		if len(*d.buf) == d.size {
			d.submit(d.buf, false)
			d.buf = d.newBlock()
		}
	}
	return n, nil
}

// Close compresses what is left, ends the stream, waits until every block
// is written and returns the first error.
func (d *parallelDeflate) Close() error {
	if d.closed {
		return d.err
	}
	d.closed = true
	d.submit(d.buf, true)
	close(d.pending)
	d.err = <-d.done
	return d.err
}

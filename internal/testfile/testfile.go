// Package testfile builds, in memory, the hostile files that the tests of
// the upload limits (interchange/limits.go) feed to every path that reads
// an upload: zip bombs, workbooks of too many parts, headers too wide and
// cells too long. Each is a few kilobytes to a megabyte, however much it
// unpacks to, so that no test needs a large file in testdata.
package testfile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// zeros is the block the bombs repeat.
var zeros = make([]byte, 1<<20)

// deflatedZeros is a deflate stream of size bytes of zeros (a whole number
// of MiB), with its CRC-32: the stream of one MiB, repeated, each piece
// referring to nothing before it. 1 GiB takes about a megabyte.
func deflatedZeros(size int64) ([]byte, uint32) {
	var piece bytes.Buffer
	fw, _ := flate.NewWriter(&piece, flate.BestCompression)
	fw.Write(zeros)
	fw.Flush()
	var end bytes.Buffer
	fw, _ = flate.NewWriter(&end, flate.BestCompression)
	fw.Close()
	var stream bytes.Buffer
	sum := uint32(0)
	for n := int64(0); n < size; n += int64(len(zeros)) {
		stream.Write(piece.Bytes())
		sum = crc32.Update(sum, crc32.IEEETable, zeros)
	}
	stream.Write(end.Bytes())
	return stream.Bytes(), sum
}

// addBomb writes an entry called name that unpacks to size bytes of zeros,
// its header telling the truth about its size.
func addBomb(zw *zip.Writer, name string, size int64) error {
	stream, sum := deflatedZeros(size)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: sum,
		CompressedSize64: uint64(len(stream)), UncompressedSize64: uint64(size)})
	if err != nil {
		return err
	}
	_, err = w.Write(stream)
	return err
}

// ZipBomb is a zip with one entry, name, that unpacks to size bytes (a
// whole number of MiB) of zeros.
func ZipBomb(name string, size int64) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if err := addBomb(zw, name, size); err != nil {
		panic(err)
	}
	zw.Close()
	return buf.Bytes()
}

// Workbook is an .xlsx workbook as excelize writes it, with one sheet
// "learners" of the given rows.
func Workbook(rows ...[]string) []byte {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "learners")
	for i, row := range rows {
		vals := make([]any, len(row))
		for j, v := range row {
			vals[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("learners", cell, &vals); err != nil {
			panic(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// rezip copies the parts of the zip archive data into a new one and lets
// more add parts at its end.
func rezip(data []byte, more func(zw *zip.Writer) error) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			panic(err)
		}
	}
	if err := more(zw); err != nil {
		panic(err)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// WorkbookBomb is a good workbook (a learners sheet with a header and one
// row) with one more part, xl/media/image1.bin, that unpacks to size
// bytes: a part a workbook reader holds in memory, unlike a large sheet.
func WorkbookBomb(size int64) []byte {
	wb := Workbook([]string{"id", "first_name"}, []string{"L1", "Ann"})
	return rezip(wb, func(zw *zip.Writer) error { return addBomb(zw, "xl/media/image1.bin", size) })
}

// WorkbookOfParts is a good workbook padded with empty parts to n parts in all.
func WorkbookOfParts(n int) []byte {
	wb := Workbook([]string{"id", "first_name"}, []string{"L1", "Ann"})
	zr, _ := zip.NewReader(bytes.NewReader(wb), int64(len(wb)))
	return rezip(wb, func(zw *zip.Writer) error {
		for i := len(zr.File); i < n; i++ {
			if _, err := zw.Create("customXml/item" + strconv.Itoa(i) + ".xml"); err != nil {
				return err
			}
		}
		return nil
	})
}

// WideCSV is a CSV file whose header names columns columns ("k1,k2,…")
// above one row of as many values.
func WideCSV(columns int) []byte {
	var b strings.Builder
	for _, prefix := range []string{"k", "v"} {
		for i := 1; i <= columns; i++ {
			if i > 1 {
				b.WriteByte(',')
			}
			b.WriteString(prefix + strconv.Itoa(i))
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// LongCellCSV is a CSV file of learners whose second row's last name is
// chars characters long.
func LongCellCSV(chars int) []byte {
	return []byte("id,first_name,last_name\nL1,Ann," + strings.Repeat("x", chars) + "\n")
}

// LongHeaderCSV is a CSV file whose header names columns columns of chars
// characters each, above one row of values.
func LongHeaderCSV(columns, chars int) []byte {
	var b strings.Builder
	for i := 1; i <= columns; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(i) + strings.Repeat("k", chars-len(strconv.Itoa(i))))
	}
	b.WriteString("\n")
	for i := 1; i <= columns; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		b.WriteString("v")
	}
	b.WriteString("\n")
	return []byte(b.String())
}

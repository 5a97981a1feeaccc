package interchange

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const messyDir = "../../testdata/messy"

// TestMessy reads testdata/messy, the conformance data set as real files
// look (spec/interchange.md, "What real files look like"), and wants exactly
// the conformance records. With -update it first regenerates the files.
func TestMessy(t *testing.T) {
	if *update {
		writeMessy(t)
	}
	want := readClean(t, v1Dir)
	got := readClean(t, messyDir)
	if !reflect.DeepEqual(got.DataSet, want.DataSet) {
		diffDataSets(t, &got.DataSet, &want.DataSet)
	}
	if len(got.Ignored) != 0 {
		t.Errorf("ignored %v", got.Ignored)
	}
	// Row numbers survive the line breaks inside quoted fields.
	for name, ps := range got.Pos {
		for i, p := range ps {
			if p.Row != i+2 {
				t.Fatalf("%s record %d at row %d, want %d", name, i, p.Row, i+2)
			}
		}
	}

	// Guard the generated files against a regeneration that loses the mess.
	ev, err := os.ReadFile(filepath.Join(messyDir, "evaluations.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\xEF\xBB\xBF", "\r\n", ";", "\"\"spreken\"\"", "/20", "\"Goed gewerkt; blijf"} {
		if !bytes.Contains(ev, []byte(want)) {
			t.Errorf("messy evaluations.csv lacks %q", want)
		}
	}
	en, _ := os.ReadFile(filepath.Join(messyDir, "enrollments.csv"))
	if !bytes.Contains(en, []byte(";11,5;")) && !bytes.Contains(en, []byte(";11,5\r")) {
		t.Errorf("messy enrollments.csv lacks a decimal comma (11,5)")
	}
}

// writeMessy rewrites testdata/messy from the conformance files: ';' as
// separator, a byte-order mark, CRLF, dates as DD/MM/YYYY (some as D/M/YYYY),
// decimal commas, shuffled columns, upper-case header names with spaces
// around them, codes and levels in odd case, values with spaces around them,
// an unnamed empty last column in one file and blank trailing lines.
func writeMessy(t *testing.T) {
	if err := os.MkdirAll(messyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for ei := range Entities {
		ent := &Entities[ei]
		f, err := os.Open(filepath.Join(v1Dir, ent.File))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		header, rows := recs[0], recs[1:]
		perm := rand.New(rand.NewPCG(uint64(ei), 42)).Perm(len(header))

		var buf bytes.Buffer
		buf.WriteString("\xEF\xBB\xBF")
		out := make([]string, len(header))
		for i, j := range perm {
			out[i] = "  " + strings.ToUpper(header[j]) + " " // unquoted, spaces and all
		}
		if ent.Name == "providers" {
			out = append(out, "") // an unnamed column, as spreadsheets leave behind
		}
		buf.WriteString(strings.Join(out, ";") + "\r\n")
		w := csv.NewWriter(&buf)
		w.Comma, w.UseCRLF = ';', true
		for r, row := range rows {
			out = out[:len(header)]
			for i, j := range perm {
				out[i] = messyValue(header[j], row[j], r)
			}
			if ent.Name == "providers" {
				out = append(out, "")
			}
			w.Write(out)
		}
		w.Flush()
		buf.WriteString(strings.Repeat(";", len(header)-1) + "\r\n\r\n")
		if err := os.WriteFile(filepath.Join(messyDir, ent.File), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func messyValue(column, v string, row int) string {
	switch {
	case v == "":
		return v
	case strings.HasSuffix(column, "date") && len(v) == 10:
		y, m, d := v[:4], v[5:7], v[8:10]
		if row%3 == 1 { // D/M/YYYY without leading zeros
			m, d = strings.TrimPrefix(m, "0"), strings.TrimPrefix(d, "0")
		}
		return d + "/" + m + "/" + y
	case column == "hours_attended":
		return strings.Replace(v, ".", ",", 1)
	case column == "gender" || column == "status" || column == "kind":
		return strings.ToUpper(v[:1]) + v[1:]
	case column == "listening" || column == "writing":
		return strings.ToLower(v)
	case column == "learner" && row%4 == 0:
		return " " + v + "  "
	}
	return v
}

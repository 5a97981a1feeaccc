package interchange

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

type csvRow struct {
	Row    int
	Fields []string
	Err    string
}

func readAllCSV(t testing.TB, in string) (byte, []csvRow, error) {
	c, err := newCSVReader(strings.NewReader(in))
	if err != nil {
		return 0, nil, err
	}
	var out []csvRow
	for {
		fields, err := c.Read()
		if err == io.EOF {
			return c.sep, out, nil
		}
		var bad *csvError
		if err != nil && !errors.As(err, &bad) {
			return c.sep, out, err
		}
		r := csvRow{Row: c.row, Fields: append([]string(nil), fields...)}
		if bad != nil {
			r.Err = bad.Msg.String()
		}
		out = append(out, r)
	}
}

func TestCSVReader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		sep  byte
		want []csvRow
	}{
		{"comma", "a,b\n1,2\n", ',', []csvRow{{1, []string{"a", "b"}, ""}, {2, []string{"1", "2"}, ""}}},
		{"semicolon with BOM and CRLF", "\xEF\xBB\xBFa;b\r\n1,5;2\r\n", ';',
			[]csvRow{{1, []string{"a", "b"}, ""}, {2, []string{"1,5", "2"}, ""}}},
		{"separator counted outside quotes", "\"a;b;c\",d\nx,y\n", ',',
			[]csvRow{{1, []string{"a;b;c", "d"}, ""}, {2, []string{"x", "y"}, ""}}},
		{"no final line end", "a,b\n1,2", ',', []csvRow{{1, []string{"a", "b"}, ""}, {2, []string{"1", "2"}, ""}}},
		{"quoted line breaks keep the row count", "a;b\r\n\"x\r\ny;\"\"z\"\"\";2\r\n3;4\r\n", ';', []csvRow{
			{1, []string{"a", "b"}, ""},
			{2, []string{"x\ny;\"z\"", "2"}, ""},
			{3, []string{"3", "4"}, ""},
		}},
		{"blank lines are rows", "a,b\n\n1,2\n", ',', []csvRow{{1, []string{"a", "b"}, ""}, {2, []string{""}, ""}, {3, []string{"1", "2"}, ""}}},
		{"empty quoted fields", "a,b\n\"\",\"\"\n", ',', []csvRow{{1, []string{"a", "b"}, ""}, {2, []string{"", ""}, ""}}},
		{"bare quote kept as text", "a,b\n5\" tablet,2\n", ',', []csvRow{{1, []string{"a", "b"}, ""}, {2, []string{"5\" tablet", "2"}, ""}}},
		{"text after closing quote", "a,b\n\"x\"y,2\n3,4\n", ',', []csvRow{
			{1, []string{"a", "b"}, ""},
			{2, []string{"x"}, "text after the closing quote of a quoted field (a quote inside quotes is written \"\")"},
			{3, []string{"3", "4"}, ""},
		}},
		{"unclosed quote", "a,b\n1,\"x\ny\n", ',', []csvRow{
			{1, []string{"a", "b"}, ""},
			{2, []string{"1", "x\ny\n"}, "a quoted field is not closed (a \" is missing)"},
		}},
		{"long line", "a\n" + strings.Repeat("x", 100_000) + "\n", ',', []csvRow{
			{1, []string{"a"}, ""}, {2, []string{strings.Repeat("x", 100_000)}, ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sep, got, err := readAllCSV(t, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if sep != tt.sep {
				t.Errorf("separator %q, want %q", sep, tt.sep)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestCSVReaderUTF16(t *testing.T) {
	if _, err := newCSVReader(strings.NewReader("\xFF\xFEa\x00")); err != errUTF16 {
		t.Errorf("err = %v, want errUTF16", err)
	}
}

// FuzzCSVReader feeds random bytes to the CSV reader: it must never panic,
// and the rows it returns are numbered in increasing order.
func FuzzCSVReader(f *testing.F) {
	for _, seed := range []string{
		"a,b\n1,2\n",
		"\xEF\xBB\xBFa;b\r\n\"x\r\ny;\"\"z\"\"\";2\r\n",
		"a,b\n\"unclosed\n",
		"a,b\n\"x\"y,2\n",
		"\"",
		"",
		"\n\n\n",
		";;;\r\n\r\n",
		"\xFF\xFE",
		"a,\"b\nc\",d\n\"e\"\"\",f\r",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := newCSVReader(strings.NewReader(string(in)))
		if err != nil {
			return
		}
		last := 0
		for i := 0; ; i++ {
			_, err := c.Read()
			if err == io.EOF {
				return
			}
			var bad *csvError
			if err != nil && !errors.As(err, &bad) {
				t.Fatalf("I/O error from a string: %v", err)
			}
			if c.row <= last {
				t.Fatalf("record %d at row %d after row %d", i, c.row, last)
			}
			last = c.row
			if i > len(in)+1 {
				t.Fatalf("%d records from %d bytes", i, len(in))
			}
		}
	})
}

// FuzzReadTable feeds random files through decoding and validation, for each
// entity and as CSV or workbook cells: nothing may panic, and every record
// has a position.
func FuzzReadTable(f *testing.F) {
	f.Add(uint8(9), false, []byte("learner,group,date,kind,listening,decision\nL1,G1,2025-01-01,formative,B3,none\n"))
	f.Add(uint8(3), true, []byte("id;birth_date;schooling_years\nL1;45000;\"6,0\"\nL1;31/02/1990;x\n"))
	f.Add(uint8(1), false, []byte("CODE,skills,nominal_hours,entry_level,target_level\nM1,\"listening,reading\",120.0,A1,A0\nM1\n"))
	f.Add(uint8(8), true, []byte("learner,group,start_date,hours_attended\nL1,G1,2025-01-31T00:00:00Z,1.5E1\n,,,\n"))
	f.Fuzz(func(t *testing.T, entity uint8, cells bool, in []byte) {
		ent := &Entities[int(entity)%len(Entities)]
		c, err := newCSVReader(strings.NewReader(string(in)))
		if err != nil {
			return
		}
		kind := sourceCSV
		if cells {
			kind = sourceXLSX
		}
		d := newReader(UploadLimits, nil)
		pos := func(row int) Pos { return Pos{File: ent.File, Row: row} }
		if err := d.table(ent, csvSource{c}, pos, kind); domain.ErrorCode(err) == domain.EINVALID {
			return // over a limit (limits.go): refused as a whole
		} else if err != nil {
			t.Fatal(err)
		}
		if n, want := len(d.b.Pos[ent.Name]), records(&d.b.DataSet, ent).Len(); n != want {
			t.Fatalf("%d positions for %d records", n, want)
		}
		Validate(d.b, nil)
	})
}

package xlsxpart

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// TestAppendInlineString checks a few texts by hand; golden_test.go holds
// every text to what excelize writes.
func TestAppendInlineString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"gewoon", `<t>gewoon</t>`},
		{`a & b <c> "d" 'e'`, `<t>a &amp; b &lt;c&gt; &#34;d&#34; &#39;e&#39;</t>`},
		{" voor", `<t xml:space="preserve"> voor</t>`},
		{"na\n", `<t xml:space="preserve">na` + "\n" + `</t>`},
		{"regel\r\ntab\tklaar", "<t>regel&#xD;\ntab&#x9;klaar</t>"},
		{"bel\x07en\x00nul", "<t>bel\uFFFDen\uFFFDnul</t>"},
		{"_x005F_ en _xD800_", `<t>_x005F_x005F_ en </t>`},
		{"code _x0041_ blijft", `<t>code _x005F_x0041_ blijft</t>`},
		{"_x12_ geen", `<t>_x12_ geen</t>`},
		{"é ☃ 😀", `<t>é ☃ 😀</t>`},
		{"kapot \xff", "<t>kapot \uFFFD</t>"},
	}
	for _, tt := range tests {
		got := string(appendInlineString(nil, tt.in))
		want := ` t="inlineStr"><is>` + tt.want + `</is></c>`
		if got != want {
			t.Errorf("appendInlineString(%q) = %q, want %q", tt.in, got, want)
		}
		// Whatever goes in, the cell is well-formed XML.
		if err := xml.Unmarshal([]byte(`<c`+got), new(struct{})); err != nil {
			t.Errorf("appendInlineString(%q) is not XML: %v", tt.in, err)
		}
	}
	long := strings.Repeat("😀", MaxCellChars) // two UTF-16 units each
	if got := truncateCell(long); len([]rune(got)) != MaxCellChars/2 {
		t.Errorf("truncateCell kept %d emoji, want %d", len([]rune(got)), MaxCellChars/2)
	}
}

// The marker may arrive split over two writes; the rows go in once, right
// before it, and everything else passes through unchanged.
func TestSplicerFindsSplitMarker(t *testing.T) {
	rw, err := NewRows([]int{0, 3}, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	rw.StartRow()
	rw.Text(0, "x")
	rw.Number(1, 1.5)
	if err := rw.EndRow(); err != nil {
		t.Fatal(err)
	}
	if err := rw.Finish(); err != nil {
		t.Fatal(err)
	}
	part := `<worksheet><sheetData><row r="1"></row></sheetData><pageSetup/></worksheet>`
	for split := 0; split <= len(part); split++ {
		var out bytes.Buffer
		s := &splicer{w: &out, rows: rw, part: "sheet"}
		s.Write([]byte(part[:split]))
		s.Write([]byte(part[split:]))
		want := `<worksheet><sheetData><row r="1"></row><row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="B2" s="3"><v>1.5</v></c></row></sheetData><pageSetup/></worksheet>`
		if !s.done || out.String() != want {
			t.Fatalf("split at %d: done=%v\n got %s\nwant %s", split, s.done, out.String(), want)
		}
	}
}

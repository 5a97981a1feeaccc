package domain

import (
	"testing"
	"time"
)

func TestAddMonthsClamps(t *testing.T) {
	tests := []struct {
		from   string
		months int
		want   string
	}{
		{"2025-01-31", 1, "2025-02-28"},
		{"2024-08-31", 6, "2025-02-28"},
		{"2024-11-30", 3, "2025-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2025-03-31", -1, "2025-02-28"},
		{"2025-01-15", 12, "2026-01-15"},
		{"2025-12-31", 2, "2026-02-28"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2025-05-31", -17, "2023-12-31"},
	}
	for _, tt := range tests {
		got := MustDate(tt.from).AddMonths(tt.months).String()
		if got != tt.want {
			t.Errorf("%s + %d months = %s, want %s", tt.from, tt.months, got, tt.want)
		}
	}
}

func TestDateRoundTrip(t *testing.T) {
	for d := NewDate(1899, 12, 1); d < NewDate(2101, 2, 1); d++ {
		want := d.Time().Format("2006-01-02")
		if got := d.String(); got != want {
			t.Fatalf("String(%d) = %s, want %s", d, got, want)
		}
		back, err := ParseDate(want)
		if err != nil || back != d {
			t.Fatalf("ParseDate(%s) = %d, %v; want %d", want, back, err, d)
		}
		y, m, day := d.YMD()
		if NewDate(y, m, day) != d {
			t.Fatalf("NewDate(YMD(%s)) differs", want)
		}
	}
	if NewDate(2025, time.January, 32) != MustDate("2025-02-01") {
		t.Fatal("NewDate does not roll over out-of-range days")
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"2025-01-31", "2025-01-31", true},
		{" 31/01/2025 ", "2025-01-31", true},
		{"1/2/2025", "2025-02-01", true},
		{"", "", true},
		{"2025-02-29", "", false},
		{"29/02/2024", "2024-02-29", true},
		{"31-01-2025", "", false},
		{"2025/01/31", "", false},
		{"32/01/2025", "", false},
		{"2025-1-31", "", false},
		{"yesterday", "", false},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err == nil) != tt.ok || got.String() != tt.want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestAgeOn(t *testing.T) {
	birth := MustDate("2000-03-15")
	tests := []struct {
		on   string
		want int
	}{
		{"2015-03-14", 14}, {"2015-03-15", 15}, {"2025-03-16", 25}, {"2025-02-28", 24},
	}
	for _, tt := range tests {
		if got := birth.AgeOn(MustDate(tt.on)); got != tt.want {
			t.Errorf("age on %s = %d, want %d", tt.on, got, tt.want)
		}
	}
}

func TestParseLevelAliases(t *testing.T) {
	tests := map[string]string{"pre-A1": "A0", "a1.2": "A1", " A2.2 ": "A2", "b1.1": "B1.1", "C2": "C2", "": ""}
	for in, want := range tests {
		got, err := ParseLevel(in)
		if err != nil || got.String() != want {
			t.Errorf("ParseLevel(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseLevel("B3"); err == nil || err.Error() != `"B3" is not a CEFR level (A0, A1.1, A1, … C2)` {
		t.Errorf("ParseLevel(B3) error = %v", err)
	}
}

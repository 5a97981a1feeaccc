package schedule

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

func TestParseCron(t *testing.T) {
	from := time.Date(2025, 9, 15, 10, 0, 0, 0, time.UTC)
	valid := []struct{ expr, next string }{
		{"0 6 1 * *", "2025-10-01 06:00"},
		{"  0   6 1 * * ", "2025-10-01 06:00"},
		{"*/15 * * * *", "2025-09-15 10:15"},
		{"0 6 * * 1-5", "2025-09-16 06:00"},
		{"0 6 * * mon", "2025-09-22 06:00"},
		{"0 6 29 2 *", "2028-02-29 06:00"},
		{"@daily", "2025-09-16 00:00"},
		{"@monthly", "2025-10-01 00:00"},
	}
	for _, tt := range valid {
		s, err := ParseCron(tt.expr)
		if err != nil {
			t.Fatalf("ParseCron(%q): %v", tt.expr, err)
		}
		if got := s.Next(from).Format("2006-01-02 15:04"); got != tt.next {
			t.Errorf("%q next after %v = %s, want %s", tt.expr, from, got, tt.next)
		}
	}

	invalid := []struct{ expr, want string }{
		{"", "cron expression is empty: give 5 fields (minute hour day-of-month month day-of-week)"},
		{"0 0 6 1 * *", `cron expression must have 5 fields (minute hour day-of-month month day-of-week), got 6: "0 0 6 1 * *"`},
		{"0 6 1 *", "must have 5 fields (minute hour day-of-month month day-of-week), got 4"},
		{"61 6 1 * *", `minute field "61"`},
		{"0 24 1 * *", `hour field "24"`},
		{"0 6 32 * *", `day-of-month field "32"`},
		{"0 6 1 13 *", `month field "13"`},
		{"0 6 * * 7", `day-of-week field "7"`},
		{"0 six * * *", `hour field "six"`},
		{"0 6 30 2 *", "never runs"},
		{"@every 1h", "@every is not supported"},
		{"@often", `unknown cron shorthand "@often"`},
		{"TZ=Europe/Brussels 0 6 * * *", "sets a time zone"},
	}
	for _, tt := range invalid {
		_, err := ParseCron(tt.expr)
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseCron(%q) error=%v, want EINVALID containing %q", tt.expr, err, tt.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct{ expr, en, nl string }{
		{"0 6 1 * *", "every month on day 1 at 06:00", "elke maand op dag 1 om 06:00"},
		{"30 7 * * *", "every day at 07:30", "elke dag om 07:30"},
		{"0 6,18 * * *", "every day at 06:00 and 18:00", "elke dag om 06:00 en 18:00"},
		{"0 6 * * 1-5", "every weekday (Monday to Friday) at 06:00", "elke werkdag (maandag tot en met vrijdag) om 06:00"},
		{"0 8 * * 1,4", "every Monday and Thursday at 08:00", "elke maandag en donderdag om 08:00"},
		{"0 8 * * 0", "every Sunday at 08:00", "elke zondag om 08:00"},
		{"0 6 1,15 * *", "every month on days 1 and 15 at 06:00", "elke maand op dag 1 en 15 om 06:00"},
		{"0 6 1 9 *", "every year on 1 September at 06:00", "elk jaar op 1 september om 06:00"},
		{"0 6 1 1,4,7,10 *", "every year on 1 January, April, July and October at 06:00", "elk jaar op 1 januari, april, juli en oktober om 06:00"},
		{"15 * * * *", "every hour at minute 15", "elk uur op minuut 15"},
		{"@monthly", "every month on day 1 at 00:00", "elke maand op dag 1 om 00:00"},
		{"@weekly", "every Sunday at 00:00", "elke zondag om 00:00"},
		{"0 6 1 * 1", "next runs: 2025-09-22 06:00, 2025-09-29 06:00, 2025-10-01 06:00",
			"volgende keren: 2025-09-22 06:00, 2025-09-29 06:00, 2025-10-01 06:00"},
		{"*/20 9-10 * * *", "next runs: 2025-09-15 10:20, 2025-09-15 10:40, 2025-09-16 09:00",
			"volgende keren: 2025-09-15 10:20, 2025-09-15 10:40, 2025-09-16 09:00"},
	}
	now := time.Date(2025, 9, 15, 10, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		d, err := Describe(tt.expr, now, 0)
		if err != nil {
			t.Fatalf("Describe(%q): %v", tt.expr, err)
		}
		if d.English != tt.en || d.Dutch != tt.nl {
			t.Errorf("Describe(%q) = %q / %q, want %q / %q", tt.expr, d.English, d.Dutch, tt.en, tt.nl)
		}
	}

	brussels := time.FixedZone("CEST", 2*3600)
	d, err := Describe("0 6 1 * *", time.Date(2025, 9, 15, 10, 0, 0, 0, brussels), 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Time{
		time.Date(2025, 10, 1, 6, 0, 0, 0, brussels),
		time.Date(2025, 11, 1, 6, 0, 0, 0, brussels),
		time.Date(2025, 12, 1, 6, 0, 0, 0, brussels),
	}
	if !reflect.DeepEqual(d.Next, want) {
		t.Fatalf("Next=%v, want %v", d.Next, want)
	}
	if _, err := Describe("0 6 1 *", now, 3); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("Describe of a bad expression: err=%v, want EINVALID", err)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	got, err := Validate(domain.Schedule{Name: " maand ", Cron: " 0  6 1 * * ", Period: "Previous-Month", Provider: " CVO-A ", OutDir: dir + "/x/../y", Keep: 12})
	if err != nil {
		t.Fatal(err)
	}
	want := domain.Schedule{Name: "maand", Cron: "0 6 1 * *", Period: "previous-month", Provider: "CVO-A", OutDir: filepath.Join(dir, "y"), Keep: 12}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Validate=%+v, want %+v", got, want)
	}
	rel, err := Validate(domain.Schedule{Name: "r", Cron: "@daily", Period: "previous-month", OutDir: "exports"})
	if err != nil || !filepath.IsAbs(rel.OutDir) {
		t.Fatalf("relative out dir became %q (%v), want an absolute path", rel.OutDir, err)
	}

	ok := want
	for _, tt := range []struct {
		name   string
		change func(*domain.Schedule)
		want   string
	}{
		{"path in name", func(s *domain.Schedule) { s.Name = "../etc" }, "schedule name"},
		{"space in name", func(s *domain.Schedule) { s.Name = "per maand" }, "schedule name"},
		{"empty name", func(s *domain.Schedule) { s.Name = "" }, "schedule name"},
		{"cron", func(s *domain.Schedule) { s.Cron = "0 6 1 * * *" }, "must have 5 fields"},
		{"rule", func(s *domain.Schedule) { s.Period = "monthly" }, "unknown period rule"},
		{"out dir", func(s *domain.Schedule) { s.OutDir = " " }, "output folder"},
		{"keep", func(s *domain.Schedule) { s.Keep = -1 }, "keep must be"},
	} {
		s := ok
		tt.change(&s)
		_, err := Validate(s)
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err=%v, want EINVALID containing %q", tt.name, err, tt.want)
		}
	}
}

package core

import "testing"

func TestParsePublicURL(t *testing.T) {
	for _, tt := range []struct {
		in     string
		secure bool
		want   string // "" for a refusal
	}{
		{"https://traject.example.org", true, "https://traject.example.org"},
		{"https://traject.example.org/", true, "https://traject.example.org"},
		{" http://192.168.1.5:8080 ", false, "http://192.168.1.5:8080"},
		{"http://[2001:db8::1]:8080", false, "http://[2001:db8::1]:8080"},
		{"http://traject.example.org", true, ""}, // --secure wants https
		{"traject.example.org", false, ""},
		{"ftp://traject.example.org", false, ""},
		{"https://", false, ""},
		{"https://:8080", false, ""},
		{"https://user:pw@traject.example.org", false, ""},
		{"https://traject.example.org/nt2", false, ""},
		{"https://traject.example.org?x=1", false, ""},
		{"https://traject.example.org#x", false, ""},
		{"https://traject.example.org\t/x", false, ""},
	} {
		got, err := ParsePublicURL(tt.in, tt.secure)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("ParsePublicURL(%q, %v) = %q, %v; want %q", tt.in, tt.secure, got, err, tt.want)
		}
	}
}

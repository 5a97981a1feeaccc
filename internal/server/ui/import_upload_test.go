package ui

import "testing"

func TestSafeEntryName(t *testing.T) {
	for name, want := range map[string]bool{
		"learners.csv": true, "data/learners.csv": true, "data/": true, "a/b/c.csv": true,
		"": false, "../x.csv": false, "a/../../x.csv": false, "..": false, "/etc/passwd": false,
		`..\x.csv`: false, `C:\x.csv`: false, "c:/x.csv": true, "a/..": false, "x\x00.csv": false,
	} {
		if got := safeEntryName(name); got != want {
			t.Errorf("safeEntryName(%q) = %v, want %v", name, got, want)
		}
	}
}

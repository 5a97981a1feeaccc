package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// cliStdin runs traject with stdin as its standard input.
func cliStdin(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code := run(context.Background(), args, e)
	return code, out.String(), errOut.String()
}

// TestUserNameAndEmail: `traject user add` takes a display name and an
// e-mail address, `traject user set` changes either (and "" clears it),
// `user list` shows both, and a wrong address is refused in English.
func TestUserNameAndEmail(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	code, _, errOut := cliStdin(t, "a long enough password\n", "user", "add", "--username", "teacher003", "--role", "teacher",
		"--name", "Sarah Peeters", "--email", "sarah.peeters@cvo.be", "--password-stdin", "--db", db)
	if code != 0 {
		t.Fatalf("user add: exit %d: %s", code, errOut)
	}
	if out := mustCLI(t, "user", "list", "--db", db); !strings.Contains(out, "Sarah Peeters") || !strings.Contains(out, "sarah.peeters@cvo.be") {
		t.Errorf("user list:\n%s", out)
	}
	if out := mustCLI(t, "user", "set", "--username", "teacher003", "--name", "Sarah Peeters-Claes", "--db", db); !strings.Contains(out,
		`name "Sarah Peeters-Claes", e-mail "sarah.peeters@cvo.be"`) {
		t.Errorf("user set --name: %s", out)
	}
	if out := mustCLI(t, "user", "set", "--username", "teacher003", "--email", "", "--db", db); !strings.Contains(out, `e-mail ""`) {
		t.Errorf("user set --email '': %s", out)
	}
	code, _, errOut = cli(t, "user", "set", "--username", "teacher003", "--email", "sarah@", "--db", db)
	if code == 0 || !strings.Contains(errOut, `"sarah@" is not an e-mail address`) {
		t.Errorf("a wrong address: exit %d, %q", code, errOut)
	}
	if code, _, errOut := cli(t, "user", "set", "--username", "teacher003", "--db", db); code != 2 || !strings.Contains(errOut, "--name, --email or both") {
		t.Errorf("user set without a change: exit %d, %q", code, errOut)
	}
}

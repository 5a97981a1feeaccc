package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/testkit"
)

// envRunMain makes the test binary behave as traject itself, so that a
// test can run a command as a real process (and kill it).
const envRunMain = "TRAJECT_TEST_RUN_MAIN"

// envHold makes such a process stop, for good, once a scheduled workbook or
// backup is written to its temporary file (testHold), after printing
// "hold WHAT TMPPATH" on stderr: the test kills it there.
const envHold = "TRAJECT_TEST_HOLD"

// envNow sets the clock of such a process (RFC 3339), so that the names
// and due times it computes do not depend on the day the test runs.
const envNow = "TRAJECT_TEST_NOW"

func TestMain(m *testing.M) {
	if os.Getenv(envRunMain) == "1" {
		now := time.Now
		if v := os.Getenv(envNow); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", envNow, err)
				os.Exit(2)
			}
			now = func() time.Time { return t }
		}
		if os.Getenv(envHold) == "1" {
			testHold = func(what, tmp string) {
				fmt.Fprintf(os.Stderr, "hold %s %s\n", what, tmp)
				io.Copy(io.Discard, os.Stdin) // blocks until the test kills the process
				os.Exit(3)
			}
		}
		os.Exit(run(context.Background(), os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
			getenv: os.Getenv, now: now}))
	}
	os.Exit(testkit.Main(m)) // drops the template databases when the tests end
}

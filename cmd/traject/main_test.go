package main

import (
	"context"
	"os"
	"testing"
	"time"
)

// envRunMain makes the test binary behave as traject itself, so that a
// test can run a command as a real process (and kill it).
const envRunMain = "TRAJECT_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(envRunMain) == "1" {
		os.Exit(run(context.Background(), os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
			getenv: os.Getenv, now: time.Now}))
	}
	os.Exit(m.Run())
}

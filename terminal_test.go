package main

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// `propose | cat`, `propose > file` and cron get a refusal that says what
// works without a terminal, with exit code 2, instead of a blank screen.
func TestTUIRefusesWithoutATerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	err = checkTerminal(r, w, "xterm-256color")
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitUsage {
		t.Fatalf("piped: %v, want a usage refusal", err)
	}
	for _, want := range []string{"needs a terminal", "propose run --answers", "propose list", "propose show"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not say %q", err, want)
		}
	}
	// Through the command line too, as a user in cron would meet it.
	code, out, errOut := cli(t, setup(t))
	if code != exitUsage || !strings.Contains(errOut, "needs a terminal") {
		t.Fatalf("propose with no terminal: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestTUIRefusesDumbTerminal(t *testing.T) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		t.Skip("no controlling terminal to test TERM=dumb against")
	}
	defer tty.Close()
	if err := checkTerminal(tty, tty, "dumb"); err == nil || !strings.Contains(err.Error(), "TERM=dumb") {
		t.Fatalf("TERM=dumb: %v", err)
	}
}

// `propose new` without a terminal refuses before it creates a session.
func TestNewWithoutATerminalCreatesNothing(t *testing.T) {
	dir := setup(t)
	if code, _, errOut := cli(t, dir, "new"); code != exitUsage || !strings.Contains(errOut, "needs a terminal") {
		t.Fatalf("new: exit %d, stderr %q", code, errOut)
	}
	code, out, _ := cli(t, dir, "list")
	if code != 0 || strings.Contains(out, "consulting") {
		t.Fatalf("a session was left behind:\n%s", out)
	}
}

// pretendTerminal lets a test reach what the interface commands do before
// the interface starts (opening, locking, saving) without a terminal: the
// program, if it ever starts, reads nothing and draws nowhere.
func pretendTerminal(t *testing.T) {
	t.Helper()
	programOptions = []tea.ProgramOption{tea.WithInput(strings.NewReader("")), tea.WithOutput(io.Discard)}
	t.Cleanup(func() { programOptions = nil })
}

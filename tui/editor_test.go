package tui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestEditorRoundTrip: ctrl+o hands the answer to $EDITOR (through
// x/editor) and what the editor saved comes back into the box; an editor
// that cannot run says so and the box keeps its text.
func TestEditorRoundTrip(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "edit.sh")
	// The editor appends to the file it is given (the last argument).
	if err := os.WriteFile(script, []byte("#!/bin/sh\nfor f; do :; done\nprintf ' and what the editor added' >> \"$f\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("EDITOR", script)
	st := openStore(t)
	eng := newEngine(t, st, "ed170001")
	p := startProgram(t, options(t, st, eng), 120, 36)
	p.waitText("What title should the proposal carry")
	p.send("Typed in the box")
	p.waitText("Typed in the box")
	p.send("\x0f") // ctrl+o
	editorDone(p, "Typed in the box and what the editor added")

	// An editor that is not there: the error is shown, nothing is lost.
	t.Setenv("EDITOR", filepath.Join(dir, "no-such-editor"))
	p.send("\x0f")
	s := editorDone(p, "The editor failed")
	if !strings.Contains(s, "Typed in the box and what the editor added") {
		t.Fatalf("the box lost its text after a failed editor:\n%s", s)
	}
	p.send("\x03") // ctrl+c saves and quits
	if err := p.wait(); err != nil {
		t.Fatal(err)
	}
}

// editorDone waits for text once the editor has run. The test's input is a
// pipe, not a terminal, so os/exec copies it to the editor and waits for
// that copy to end, which it does on the next byte after the editor exits:
// the wait sends keys the interview ignores (F12) until the text shows.
func editorDone(p *program, text string) string {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if s := p.now(); strings.Contains(s, text) {
			return s
		}
		p.send("\x1b[24~")
		time.Sleep(20 * time.Millisecond)
	}
	p.t.Fatalf("waiting for %q after the editor; the screen is:\n%s", text, p.now())
	return ""
}

// TestVisualComesBeforeEditor: $VISUAL, when set, is the editor ctrl+o
// opens (with its arguments), as git and most terminal tools have it;
// otherwise $EDITOR.
func TestVisualComesBeforeEditor(t *testing.T) {
	t.Setenv("EDITOR", "nano")
	t.Setenv("VISUAL", "myvis --wait")
	c, err := editorCommand("/tmp/answer.md", 3)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(c.Path) != "myvis" && c.Args[0] != "myvis" || !slices.Contains(c.Args, "--wait") {
		t.Errorf("ctrl+o opens %q %q, want myvis --wait", c.Path, c.Args)
	}
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "vi")
	if c, err := editorCommand("/tmp/answer.md", 3); err != nil || c.Args[0] != "vi" {
		t.Errorf("without $VISUAL ctrl+o opens %q, want vi", c.Args)
	}
}

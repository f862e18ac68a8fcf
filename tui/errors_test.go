package tui

import (
	"fmt"
	"strings"
	"testing"

	"propose/interview"
	"propose/proposal"
)

// TestRefusalsNameTheKeys: what the domain refuses (the interview is
// complete, blockers stop the export, the file is already there) is worded
// in the TUI with the keys of its key map, never with the CLI's flags or a
// key the program does not use.
func TestRefusalsNameTheKeys(t *testing.T) {
	k := DefaultKeyMap()
	cases := []struct {
		err  error
		want []string
	}{
		{interview.ErrInterviewComplete, []string{"press " + k.Work.EditEarlier.Help().Key + " to change an earlier answer"}},
		{fmt.Errorf("answering: %w", interview.ErrInterviewComplete), []string{k.Work.EditEarlier.Help().Key}},
		{&interview.BlockedError{N: 2}, []string{"2 blockers", k.Work.Review.Help().Key, "Export anyway", k.Export.Toggle.Help().Key}},
		{&proposal.ExistsError{Path: "/tmp/p.md"}, []string{"Overwrite", k.Export.Toggle.Help().Key}},
	}
	for _, c := range cases {
		got := describe(&k, c.err)
		for _, want := range c.want {
			if !strings.Contains(got, want) {
				t.Errorf("%v: %q lacks %q", c.err, got, want)
			}
		}
		if strings.Contains(got, "--") || strings.Contains(got, "press e ") {
			t.Errorf("%v: %q names a flag or a key the TUI does not use", c.err, got)
		}
	}
	// The domain's own words name no key and no flag.
	for _, err := range []error{interview.ErrInterviewComplete, interview.ErrFirstQuestion, &interview.BlockedError{N: 1},
		&proposal.ExistsError{Path: "p.md"}} {
		if msg := err.Error(); strings.Contains(msg, "--") || strings.Contains(msg, "press") || strings.Contains(msg, "ctrl") {
			t.Errorf("the domain's message %q names a key or a flag", msg)
		}
	}
}

// TestCompletedInterviewRefusalNamesTheKey: an answer sent when nothing is
// left to ask (the engine's refusal, from a whole interview in the harness)
// reaches the status bar worded with the TUI's key.
func TestCompletedInterviewRefusalNamesTheKey(t *testing.T) {
	hs := answered(t, 120, 30, 1)
	e := hs.m.Engine()
	for q := e.View().Question; q != nil; q = e.View().Question {
		if err := e.Skip(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	hs.settle()
	// An answer that was on its way as the last question was skipped.
	hs.send(hs.moveMsg("answer", e.Answer(t.Context(), "late")))
	hs.settle()
	want := "press " + DefaultKeyMap().Work.EditEarlier.Help().Key + " to change an earlier answer"
	if s := hs.screen(); !strings.Contains(s, want) {
		t.Fatalf("the status bar lacks %q:\n%s", want, s)
	}
}

package tui

import (
	"fmt"
	"propose/interview"
	"strings"
	"testing"
)

// TestEndOfInterviewTellsTheTruth: skipping most questions ends the walk
// with how many were answered and how many required ones were skipped, not
// "Every question has an answer."; enter then goes through the skipped ones,
// required first, moving on even past one skipped again.
func TestEndOfInterviewTellsTheTruth(t *testing.T) {
	hs := answered(t, 140, 40, 2) // title and client
	for i := 0; i < 60 && asked(t, hs) != ""; i++ {
		hs.press("ctrl+s")
	}
	if !strings.Contains(hs.screen(), "required questions skipped.") {
		t.Fatalf("the walk did not end:\n%s", hs.screen())
	}
	required, total := 0, 0
	for _, s := range consulting(t).Sections {
		for _, f := range s.Fields {
			total++
			if f.Required {
				required++
			}
		}
	}
	want := fmt.Sprintf("2 of %d answered; %d required questions skipped.", total, required-2)
	screen := hs.screen()
	if strings.Contains(screen, "Every question has an answer.") || !strings.Contains(screen, want) {
		t.Fatalf("the end does not say %q:\n%s", want, screen)
	}
	if !strings.Contains(screen, "enter skipped questions") {
		t.Errorf("the help line does not offer the skipped questions:\n%s", screen)
	}

	hs.press("enter")
	if f := asked(t, hs); f != "buyer" {
		t.Fatalf("enter at the end opened %q, want the first skipped required question (buyer)", f)
	}
	hs.answer(answerFor("buyer"))
	if asked(t, hs) != "" || !strings.Contains(hs.screen(), fmt.Sprintf("3 of %d answered; %d required questions skipped.", total, required-3)) {
		t.Fatalf("after answering a skipped question the end does not count it:\n%s", hs.screen())
	}
	hs.press("enter")
	if f := asked(t, hs); f != "consultant" {
		t.Fatalf("enter opened %q, want the next skipped required question (consultant)", f)
	}
	hs.press("ctrl+s") // skipped again
	hs.press("enter")
	if f := asked(t, hs); f != "situation" {
		t.Fatalf("after skipping consultant again enter opened %q, want the one after it (situation)", f)
	}
}

func TestEndSummaryWording(t *testing.T) {
	cases := []struct {
		p    [4]int // required answered, required, answered, total
		want string
	}{
		{[4]int{2, 12, 7, 28}, "7 of 28 answered; 10 required questions skipped."},
		{[4]int{11, 12, 20, 28}, "20 of 28 answered; 1 required question skipped."},
		{[4]int{12, 12, 25, 28}, "25 of 28 answered; 3 questions skipped."},
	}
	for _, c := range cases {
		var p = progressOf(c.p)
		if got := endSummary(p); got != c.want {
			t.Errorf("endSummary(%+v) = %q, want %q", p, got, c.want)
		}
	}
}

func progressOf(v [4]int) (p interview.Progress) {
	p.RequiredAnswered, p.Required, p.Answered, p.Total = v[0], v[1], v[2], v[3]
	return p
}

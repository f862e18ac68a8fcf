package interview

import (
	"testing"

	"propose/proposal"
	"propose/templates"
)

// The walk asks the template's questions in the order the file gives them
// (sections in order, each section's questions in order), optional ones in
// their place, so "Why now" follows the situation rather than the fees.
func TestWalkFollowsTemplateOrder(t *testing.T) {
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	tp, ok := set.Get("consulting")
	if !ok {
		t.Fatal("no consulting template")
	}
	var want []string
	for _, s := range tp.Sections {
		for _, f := range s.Fields {
			want = append(want, f.ID)
		}
	}
	facts := proposal.Facts{}
	var got []string
	for i := 0; i < len(want)+1; i++ {
		id := NextGap(tp, facts, nil)
		if id == "" {
			break
		}
		got = append(got, id)
		facts[id] = proposal.Fact{Value: "x", Origin: proposal.Stated}
	}
	if len(got) != len(want) {
		t.Fatalf("asked %d questions, the template has %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("question %d is %s, want %s (the template's order); whole walk: %v", i+1, got[i], want[i], got)
		}
	}
	// A skipped question is not asked again by the walk (the end of the
	// interview lists it), and the rest keep their order.
	skipped := map[string]bool{want[0]: true}
	if id := NextGap(tp, proposal.Facts{}, skipped); id != want[1] {
		t.Fatalf("after skipping %s the walk asks %s, want %s", want[0], id, want[1])
	}
}

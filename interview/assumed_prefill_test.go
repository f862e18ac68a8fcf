package interview

import (
	"context"
	"strings"
	"testing"

	"propose/proposal"
)

// An assumed answer offered again for editing keeps its mark: the box holds
// "assume: …", and submitting it unchanged keeps the fact an assumption.
func TestAssumedAnswerComesBackAsAnAssumption(t *testing.T) {
	e, _ := newEngine(t)
	field := ""
	for _, s := range e.Template().Sections {
		for _, f := range s.Fields {
			if field == "" && f.Assume != "" {
				field = f.ID
			}
		}
	}
	if err := e.Edit(field); err != nil {
		t.Fatal(err)
	}
	if err := e.Assume(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := e.Facts()[field]
	if before.Origin != proposal.Assumed {
		t.Fatalf("ctrl+a recorded %+v", before)
	}
	q, err := moved(e, e.Edit(field))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(q.Prefill, AssumeWord+": ") || !strings.Contains(q.Prefill, before.Value) {
		t.Fatalf("the assumed answer comes back as %q, without its mark", q.Prefill)
	}
	if err := e.Answer(context.Background(), q.Prefill); err != nil {
		t.Fatal(err)
	}
	if after := e.Facts()[field]; after.Origin != proposal.Assumed || after.Value != before.Value {
		t.Fatalf("submitted unchanged, the assumption became %+v", after)
	}
}

package proposal

import (
	"context"
	"testing"

	"propose/templates"
)

// TestNumberMismatchNoFalseAlarms: every built-in template, answered with
// its own example answers and drafted offline, states no figure its
// answers do not hold.
func TestNumberMismatchNoFalseAlarms(t *testing.T) {
	set, errs := templates.Load(t.TempDir())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, tm := range set.List() {
		facts := Facts{}
		for _, s := range tm.Sections {
			for _, f := range s.Fields {
				if f.Example != "" {
					facts[f.ID] = Fact{Field: f.ID, Value: f.Example, Origin: Stated, Turn: 1}
				}
			}
		}
		d, _ := Assemble(tm, facts, today, NewDraft(tm), "offline")
		fs, _ := RuleReviewer{}.Review(context.Background(), ReviewRequest{Template: tm, Facts: facts, Draft: d, Today: today})
		for _, f := range fs {
			if f.Rule == RuleNumberMismatch {
				t.Errorf("%s: %s", tm.ID, f.Message)
			}
		}
	}
}

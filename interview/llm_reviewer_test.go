package interview

import (
	"context"
	"strings"
	"testing"

	"propose/llm/llmtest"
	"propose/proposal"
)

func finding(rule, sev, section, field, msg string) map[string]any {
	return map[string]any{"rule": rule, "severity": sev, "section": section, "field": field, "message": msg}
}

// TestReviewMergesWithRulesWithoutDuplicates: the model's findings are placed
// in the template, capped at warning, and merged with the rule findings with
// no finding twice.
func TestReviewMergesWithRulesWithoutDuplicates(t *testing.T) {
	b := &brain{reviewer: func(x *llmtest.Exchange) llmtest.Step {
		return llmtest.JSON(map[string]any{"findings": []map[string]any{
			finding("no-out-of-scope", "warning", "assumptions", "out_of_scope", "Say what is out of scope."),     // a rule's
			finding("Missing Assumptions", "warning", "assumptions", "assumptions", "No assumptions are stated."), // a required field not answered: the rule says it
			finding("Inconsistent dates", "blocker", "timing", "milestones", "The pilot date differs from the phases."),
			finding("tone", "suggestion", "situation", "mood", "The situation reads as blame."),    // unknown field: kept, no field
			finding("vague", "warning", "", "deliverables", "The handover pack is vague."),         // section from the field
			finding("vague", "warning", "approach", "deliverables", "The handover pack is vague."), // the same again
		}})
	}}
	r := seeded(t, b, rigOptions{})
	// Leave out_of_scope and assumptions unanswered, so rules speak about them.
	r.eng.mu.Lock()
	delete(r.eng.s.Facts, "out_of_scope")
	delete(r.eng.s.Facts, "assumptions")
	r.eng.mu.Unlock()

	fs, err := r.eng.Review(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	seen := map[string]bool{}
	for _, f := range fs {
		key := f.Rule + "|" + f.Field
		if seen[key] {
			t.Errorf("duplicate %s", key)
		}
		seen[key] = true
		if f.Source == "llm" {
			got = append(got, string(f.Severity)+" "+f.Rule+" "+f.Section+" "+f.Field)
		}
	}
	want := []string{
		"warning vague approach deliverables",
		"warning inconsistent-dates timing milestones",
		"suggestion tone situation ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the model's findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !seen["no-out-of-scope|out_of_scope"] || !seen["missing-required|assumptions"] {
		t.Error("a rule finding is missing")
	}
	// A fresh context: the draft and the facts, never the transcript.
	rv := r.requests(rvModel)
	req := rv[len(rv)-1]
	if len(req.Messages) != 2 || !strings.Contains(req.LastUser(), "## Investment") || !strings.Contains(req.LastUser(), "- warning no-out-of-scope (assumptions, out_of_scope): ") {
		t.Errorf("review request: %d messages\n%s", len(req.Messages), req.LastUser())
	}
	for _, tn := range r.eng.Turns() {
		if strings.Contains(req.LastUser(), "\n"+tn.Question) && tn.Question != "" {
			t.Errorf("the review request holds the transcript's question %q", tn.Question)
		}
	}
}

func TestReviewRepairsAFindingWithNoPlace(t *testing.T) {
	var calls modeVar
	b := &brain{reviewer: func(x *llmtest.Exchange) llmtest.Step {
		if calls.next() == 1 {
			return llmtest.JSON(map[string]any{"findings": []map[string]any{finding("x", "warning", "pricing-page", "price", "Price is high.")}})
		}
		return nil
	}}
	r := seeded(t, b, rigOptions{})
	if _, err := r.eng.Review(context.Background()); err != nil {
		t.Fatal(err)
	}
	rv := r.requests(rvModel)
	if len(rv) != 2 || !strings.Contains(rv[1].LastUser(), `names section "pricing-page" and field "price", neither of which is in the outline`) {
		t.Errorf("%d requests; repair note %q", len(rv), rv[len(rv)-1].LastUser())
	}
}

// TestReviewFailureKeepsRulesAndEarlierFindings: when the model's review
// fails, the rules' findings and the model's earlier ones stay, and the user
// is told why in one line.
func TestReviewFailureKeepsRulesAndEarlierFindings(t *testing.T) {
	var mode modeVar
	b := &brain{reviewer: func(x *llmtest.Exchange) llmtest.Step {
		if mode.get() == "down" {
			return llmtest.ServerError()
		}
		return nil
	}}
	r := seeded(t, b, rigOptions{})
	first, err := r.eng.Review(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	mode.set("down")
	fs, err := r.eng.Review(context.Background())
	if err == nil || !strings.Contains(err.Error(), "the model's review failed, so only the rule review is shown: ") ||
		!strings.Contains(err.Error(), "had a problem (500)") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v", err)
	}
	if mustJSON(t, fs) != mustJSON(t, first) {
		t.Errorf("findings changed:\n%+v\nwas\n%+v", fs, first)
	}
	if s := r.reload(t); mustJSON(t, s.Findings) != mustJSON(t, first) {
		t.Error("saved findings changed")
	}
	if len(r.requests(rvModel)) != 1+3 {
		t.Errorf("%d reviewer requests, want 1 + 3 attempts", len(r.requests(rvModel)))
	}
	var llmF int
	for _, f := range fs {
		if f.Source == "llm" {
			llmF++
		}
	}
	if llmF != 1 || proposal.Blockers(fs) != 0 {
		t.Errorf("findings %+v", fs)
	}
}

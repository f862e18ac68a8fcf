package interview

import (
	"context"
	"strings"
	"testing"

	"propose/llm/llmtest"
	"propose/proposal"
)

// TestModelReviewSaysReadyButClaimFindingsStay: with the model engine, the
// drafter writes a return the fees and the value do not support, the
// consultant types a payback the value contradicts, and the model's review
// finds nothing. The model's claim never reaches the document; the rule
// review still reports both claims, the typed one as a blocker that gates
// export, each leading to the question that fixes it.
func TestModelReviewSaysReadyButClaimFindingsStay(t *testing.T) {
	const invented = "Releasing working capital returns a hundred times the investment"
	b := &brain{}
	b.drafter = func(x *llmtest.Exchange, title string) llmtest.Step {
		// The first attempt and the redraft asked for after it alike.
		if strings.Contains(firstUser(x.Req), `Write the section "Value"`) {
			return llmtest.Reply(invented + ", which makes the decision easy.").Chunk(16)
		}
		return nil
	}
	reviews := 0
	b.reviewer = func(x *llmtest.Exchange) llmtest.Step {
		reviews++
		// "Ready to send", but for a note that softens the code's finding.
		return llmtest.JSON(map[string]any{"findings": []map[string]any{
			{"rule": "value-claim", "severity": "suggestion", "section": "value", "field": "why_us", "message": "The payback claim is fine."},
		}})
	}
	r := seeded(t, b, rigOptions{})
	if err := r.eng.Edit("why_us"); err != nil {
		t.Fatal(err)
	}
	if err := r.eng.Answer(context.Background(), "We have done this at four manufacturers, and the work pays for itself in two weeks."); err != nil {
		t.Fatal(err)
	}
	r.eng.Wait()
	fs, err := r.eng.Review(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if reviews == 0 {
		t.Fatal("the model reviewer was never asked")
	}
	var typed, model *proposal.Finding
	for i, f := range fs {
		if f.Rule != proposal.RuleValueClaim {
			continue
		}
		switch f.Field {
		case "why_us":
			typed = &fs[i]
		case "value":
			model = &fs[i]
		}
	}
	if typed == nil || typed.Severity != proposal.Blocker || typed.Source != "rules" || !strings.Contains(typed.Message, "two weeks") {
		t.Errorf("the typed payback: %+v (all findings %+v)", typed, fs)
	}
	if model == nil || !strings.Contains(model.Message, "hundred times the investment") || !strings.Contains(model.Message, "model") {
		t.Errorf("the model's multiple: %+v (all findings %+v)", model, fs)
	}
	for _, f := range fs {
		if f.Source == "llm" && f.Rule == proposal.RuleValueClaim && f.Field == "why_us" {
			t.Errorf("the model's softer note on the same claim was kept beside the rule's: %+v", f)
		}
	}
	if proposal.Blockers(fs) == 0 {
		t.Error("no blocker: the export would not be gated")
	}
	if md := r.eng.Markdown(); strings.Contains(md, "hundred times") {
		t.Errorf("the model's claim reached the document:\n%s", md)
	}
}

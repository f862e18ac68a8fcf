package proposal

import "fmt"

// RuleNumberMismatch is the rule id for a figure in a section's prose that
// no answer holds.
const RuleNumberMismatch = "number-mismatch"

// NumberMismatches is the number-mismatch rule: every amount, percentage
// and date in a section's prose, whoever wrote it (a model, the template's
// own wording, an answer quoted in another section), must be one the facts
// hold or the code derived from them (a total, the proposal's date). Tables
// are not read: code builds them from the facts. It reads the draft as the
// document shows it, so it reports what a client would read. Each section
// gets one warning naming the figures.
func NumberMismatches(req ReviewRequest) []Finding {
	if req.Template == nil {
		return nil
	}
	known := Known(req.Template, req.Facts, req.Today)
	var out []Finding
	for _, s := range req.Draft.Sections {
		stray := known.Stray(s.Body)
		if len(stray) == 0 {
			continue
		}
		title := s.Title
		if _, ts := sectionOf(req.Template, s.ID); ts != nil {
			title = ts.Title
		}
		out = append(out, Finding{Rule: RuleNumberMismatch, Severity: Warning, Section: s.ID,
			Message: fmt.Sprintf("The %s section states %s, which none of the answers gives: correct the answer, or redraft the section.", title, FigureList(stray)),
			Source:  "rules"})
	}
	return out
}

func init() {
	registerRule(func(r *ruleRun) {
		r.out = append(r.out, NumberMismatches(ReviewRequest{Template: r.t, Facts: r.facts, Draft: r.draft, Today: r.today})...)
	})
}

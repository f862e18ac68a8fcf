package interview

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"propose/proposal"
)

// reviewLocked runs the rule reviewer and stores its findings, keeping any
// other reviewer's findings from the last full review.
func (e *Engine) reviewLocked() {
	rules, _ := proposal.RuleReviewer{}.Review(e.ctx, e.reviewRequest())
	var others []proposal.Finding
	for _, f := range e.s.Findings {
		if f.Source != "rules" {
			others = append(others, f)
		}
	}
	e.s.Findings = proposal.Merge(rules, others)
	proposal.SortFindings(e.t, e.s.Findings)
	e.touchLocked()
}

func (e *Engine) reviewRequest() proposal.ReviewRequest {
	return proposal.ReviewRequest{Template: e.t, Facts: maps.Clone(e.s.Facts), Draft: e.draftCopy(), Today: e.s.Today(),
		Language: e.cfg.Language}
}

// Review waits for redrafts, runs the rules and, when there is one, the
// engine's own reviewer on a fresh context (draft and facts, never the
// transcript), and returns the merged findings.
func (e *Engine) Review(ctx context.Context) ([]proposal.Finding, error) {
	e.hold()
	defer e.release()
	e.Wait()
	e.mu.Lock()
	req := e.reviewRequest()
	e.mu.Unlock()
	rules, _ := proposal.RuleReviewer{}.Review(ctx, req)
	var others []proposal.Finding
	var rerr error
	e.mu.Lock()
	off := e.off
	e.mu.Unlock()
	if e.cfg.Reviewer != nil && off == nil {
		others, rerr = e.cfg.Reviewer.Review(ctx, req)
		for i := range others {
			if others[i].Source == "" {
				others[i].Source = "llm"
			}
		}
	}
	e.mu.Lock()
	if rerr != nil { // keep the model's earlier findings rather than none
		for _, f := range e.s.Findings {
			if f.Source != "rules" {
				others = append(others, f)
			}
		}
	}
	e.s.Findings = proposal.Merge(rules, others)
	proposal.SortFindings(e.t, e.s.Findings)
	e.s.Reviewed = e.cfg.Now()
	fs := slices.Clone(e.s.Findings)
	e.saveLocked()
	e.mu.Unlock()
	if rerr != nil {
		return fs, fmt.Errorf("the model's review failed, so only the rule review is shown: %w", rerr)
	}
	if off != nil && e.cfg.Reviewer != nil {
		return fs, fmt.Errorf("the model is off for this session, so only the rule review is shown: %w", off)
	}
	return fs, nil
}

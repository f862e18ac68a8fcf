package interview

import (
	"testing"

	"propose/proposal"
)

// A session's language reaches the model agents' prompts: the engine
// opened on a Spanish session tells the interviewer, drafter and reviewer.
func TestSessionLanguageReachesTheAgents(t *testing.T) {
	tm := consulting(t)
	s := NewSession(tm, clock())
	s.Language = "es"
	iv, rv := &LLMInterviewer{}, &proposal.LLMReviewer{}
	e := Open(tm, s, Config{Interviewer: iv, Reviewer: rv, Now: clock, ReadOnly: true})
	defer e.Close()
	if e.cfg.Language != "es" || iv.Language != "es" || rv.Language != "es" {
		t.Fatalf("languages: drafter %q, interviewer %q, reviewer %q; want es", e.cfg.Language, iv.Language, rv.Language)
	}
}

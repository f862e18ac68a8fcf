package interview

import (
	"context"
	"strings"
	"testing"
)

// TestSessionLanguageReachesTheAgents: a session in Spanish, reopened,
// has the interviewer, the drafter and the reviewer write Spanish.
func TestSessionLanguageReachesTheAgents(t *testing.T) {
	s := NewSession(consulting(t), clock())
	s.Language = "es"
	r := newLLMRig(t, &brain{}, rigOptions{session: s})
	answer(t, r.eng, "Order-to-Cash Turnaround")
	r.eng.Wait()
	if _, err := r.eng.Review(context.Background()); err != nil {
		t.Fatal(err)
	}
	lastAsks(t, r, ivModel, "Write in Spanish.")
	lastAsks(t, r, drModel, "Write in Spanish.")
	lastAsks(t, r, rvModel, "Write the messages in Spanish.")
}

// lastAsks fails unless the last request to model says want.
func lastAsks(t *testing.T, r *llmRig, model, want string) {
	t.Helper()
	reqs := r.requests(model)
	if len(reqs) == 0 {
		t.Fatalf("no %s request", model)
	}
	if p := reqs[len(reqs)-1].LastUser(); !strings.Contains(p, want) {
		t.Errorf("the last %s request does not say %q:\n%s", model, want, p)
	}
}

// TestLanguageChangeReachesTheModelAgentsAtOnce: when the user picks another
// language mid-session (the TUI's language list, `propose language`), the
// model interviewer and the model reviewer follow at once, as the drafter
// does: their next requests ask for the new language, without reopening
// the session.
func TestLanguageChangeReachesTheModelAgentsAtOnce(t *testing.T) {
	r := newLLMRig(t, &brain{}, rigOptions{})
	ctx := context.Background()
	answer(t, r.eng, "Order-to-Cash Turnaround")
	if _, err := r.eng.Review(ctx); err != nil {
		t.Fatal(err)
	}
	lastAsks(t, r, ivModel, "Write in English.")
	lastAsks(t, r, rvModel, "Write the messages in English.")

	if err := r.eng.SetLanguage("es"); err != nil {
		t.Fatal(err)
	}
	lastAsks(t, r, drModel, "Write in Spanish.")
	answer(t, r.eng, "Acme Components Ltd")
	lastAsks(t, r, ivModel, "Write in Spanish.")
	if _, err := r.eng.Review(ctx); err != nil {
		t.Fatal(err)
	}
	lastAsks(t, r, rvModel, "Write the messages in Spanish.")
}

package interview

import (
	"testing"

	"propose/llm"
)

// promptGrowth measures what the interviewer sends over a scripted interview,
// against the naive design that resends the whole transcript every turn: the
// same prompt plus every earlier question and answer.
type promptGrowth struct {
	turns                      int
	chars, tokens              int // the interviewer's prompts, summed over the turns
	naiveChars, naiveTokens    int // the same prompts plus the growing transcript
	turn10Chars, turn30Chars   int
	turn10Tokens, turn30Tokens int
}

func (g promptGrowth) ratio() float64       { return float64(g.chars) / float64(g.naiveChars) }
func (g promptGrowth) tokenRatio() float64  { return float64(g.tokens) / float64(g.naiveTokens) }
func (g promptGrowth) growth() float64      { return float64(g.turn30Chars) / float64(g.turn10Chars) }
func (g promptGrowth) tokenGrowth() float64 { return float64(g.turn30Tokens) / float64(g.turn10Tokens) }

// thirtyTurns is the consulting interview from the example answers in LLM
// mode: 35 questions and 4 follow-ups, one interviewer call each.
func thirtyTurns(tb testing.TB) promptGrowth {
	b := &brain{followUp: map[string]bool{"objectives": true, "measures": true, "fees": true, "options": true}}
	r := newLLMRig(tb, b, rigOptions{})
	n := interviewAll(tb, r.eng, exampleAnswers(tb).Values)
	r.eng.Wait()
	reqs := r.requests(ivModel)
	turns := r.eng.Turns()
	if n != 39 || len(reqs) != 39 || len(turns) != 39 {
		tb.Fatalf("%d answers, %d calls, %d turns; want 39 of each", n, len(reqs), len(turns))
	}
	g := promptGrowth{turns: n}
	transcriptChars, transcriptTokens := 0, 0
	for k, req := range reqs {
		msgs := make([]llm.Message, len(req.Messages))
		for i, m := range req.Messages {
			msgs[i] = llm.Message{Role: llm.Role(m.Role), Content: m.Content}
		}
		chars, tokens := req.PromptChars(), llm.EstimateMessages(msgs)
		g.chars += chars
		g.tokens += tokens
		g.naiveChars += chars + transcriptChars
		g.naiveTokens += tokens + transcriptTokens
		switch k + 1 {
		case 10:
			g.turn10Chars, g.turn10Tokens = chars, tokens
		case 30:
			g.turn30Chars, g.turn30Tokens = chars, tokens
		}
		// Turn k+1's question and answer join the transcript the naive design
		// would send from the next turn on, as two messages.
		tn := turns[k]
		transcriptChars += len(tn.Question) + len(tn.Answer)
		transcriptTokens += llm.EstimateMessages([]llm.Message{llm.Assistant(tn.Question), llm.User(tn.Answer)}) - 3
	}
	return g
}

// TestPromptsStayLinear holds the interviewer to its budget: over 30 turns,
// at most 45% of what resending the transcript would cost, and the prompt at
// turn 30 at most 1.5 times the prompt at turn 10.
func TestPromptsStayLinear(t *testing.T) {
	g := thirtyTurns(t)
	t.Logf("30 turns: %d chars (~%d tokens) against %d (~%d) naive: %.1f%% (tokens %.1f%%); turn 30 / turn 10: %d / %d chars = %.2f (tokens %.2f)",
		g.chars, g.tokens, g.naiveChars, g.naiveTokens, 100*g.ratio(), 100*g.tokenRatio(),
		g.turn30Chars, g.turn10Chars, g.growth(), g.tokenGrowth())
	if g.ratio() > 0.45 || g.tokenRatio() > 0.45 {
		t.Errorf("prompts are %.1f%% of the naive total (tokens %.1f%%), want at most 45%%", 100*g.ratio(), 100*g.tokenRatio())
	}
	if g.growth() > 1.5 || g.tokenGrowth() > 1.5 {
		t.Errorf("the prompt at turn 30 is %.2f times the prompt at turn 10, want at most 1.5", g.growth())
	}
}

// BenchmarkThirtyTurnInterview runs the scripted 30-turn interview against
// the fake server and reports the interviewer's prompt sizes against the
// naive design that resends the transcript.
func BenchmarkThirtyTurnInterview(b *testing.B) {
	var g promptGrowth
	for b.Loop() {
		g = thirtyTurns(b)
	}
	b.ReportMetric(float64(g.chars), "prompt-chars")
	b.ReportMetric(float64(g.tokens), "prompt-tokens")
	b.ReportMetric(float64(g.naiveChars), "naive-chars")
	b.ReportMetric(float64(g.naiveTokens), "naive-tokens")
	b.ReportMetric(100*g.ratio(), "%-of-naive")
	b.ReportMetric(100*g.tokenRatio(), "%-of-naive-tokens")
	b.ReportMetric(float64(g.turn10Chars), "turn10-chars")
	b.ReportMetric(float64(g.turn30Chars), "turn30-chars")
	b.ReportMetric(g.growth(), "turn30/turn10")
	b.ReportMetric(g.tokenGrowth(), "turn30/turn10-tokens")
}

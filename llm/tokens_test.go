package llm_test

import (
	"testing"

	"propose/llm"
)

func TestEstimateTokens(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abcd", 1},
		{"abcde", 2},
		{"The scope covers three workshops.", 9}, // 33 bytes
		{"éé", 1},                                // two-byte runes: half a token each
		{"提案書", 3},                               // CJK: a token each
		{"café au lait", 4},
	}
	for _, tc := range cases {
		if got := llm.EstimateTokens(tc.in); got != tc.want {
			t.Errorf("EstimateTokens(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestEstimateMessages(t *testing.T) {
	msgs := []llm.Message{llm.System("abcd"), llm.User("abcdefgh")}
	if got := llm.EstimateMessages(msgs); got != 3+4+1+4+2 {
		t.Errorf("EstimateMessages = %d", got)
	}
}

func TestUsageByAgent(t *testing.T) {
	u := llm.UsageByAgent{}
	u.Add(llm.AgentDrafter, llm.Usage{PromptTokens: 10, CompletionTokens: 5})
	u.Add(llm.AgentDrafter, llm.Usage{PromptTokens: 1, CompletionTokens: 1, Estimated: true})
	u.Add(llm.AgentReviewer, llm.Usage{PromptTokens: 100})
	if got := u[llm.AgentDrafter]; got != (llm.Usage{PromptTokens: 11, CompletionTokens: 6, Estimated: true}) {
		t.Errorf("drafter %+v", got)
	}
	if tot := u.Total(); tot.Total() != 117 || !tot.Estimated {
		t.Errorf("total %+v", tot)
	}
	if s := u[llm.AgentDrafter].String(); s != "11 in + 6 out (estimated)" {
		t.Errorf("String = %q", s)
	}
}

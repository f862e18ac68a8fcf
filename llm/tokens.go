package llm

import (
	"fmt"
	"unicode/utf8"
)

// EstimateTokens guesses how many tokens s costs, without a tokenizer. The rule:
// four ASCII bytes make a token (the usual figure for English prose and code
// under OpenAI's and Llama's BPE vocabularies); a two-byte UTF-8 rune (accented
// Latin, Greek, Cyrillic) is half a token; a three- or four-byte rune (CJK,
// emoji) is a whole token. The result is rounded up. It tends to over-count
// rather than under-count, which is the safe side for the context check.
func EstimateTokens(s string) int {
	quarters := 0 // in quarter tokens
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			quarters++
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		if size <= 2 {
			quarters += 2
		} else {
			quarters += 4
		}
		i += size
	}
	return (quarters + 3) / 4
}

// Per-message framing that chat APIs add around each message, and the tokens
// that prime the reply (the figures OpenAI documents for its chat format).
const (
	tokensPerMessage = 4
	tokensPerReply   = 3
)

// EstimateMessages guesses the prompt tokens of a whole conversation,
// framing included.
func EstimateMessages(msgs []Message) int {
	n := tokensPerReply
	for _, m := range msgs {
		n += tokensPerMessage + EstimateTokens(m.Content)
	}
	return n
}

// Usage counts tokens. Estimated is true when any part of it was guessed
// because the server did not report it.
type Usage struct {
	PromptTokens     int
	CompletionTokens int
	Estimated        bool
}

// Total is prompt plus completion tokens.
func (u Usage) Total() int { return u.PromptTokens + u.CompletionTokens }

// Add returns the sum of u and v.
func (u Usage) Add(v Usage) Usage {
	return Usage{
		PromptTokens:     u.PromptTokens + v.PromptTokens,
		CompletionTokens: u.CompletionTokens + v.CompletionTokens,
		Estimated:        u.Estimated || v.Estimated,
	}
}

// String reads like "1200 in + 300 out (estimated)".
func (u Usage) String() string {
	s := fmt.Sprintf("%d in + %d out", u.PromptTokens, u.CompletionTokens)
	if u.Estimated {
		s += " (estimated)"
	}
	return s
}

// UsageByAgent totals usage per agent name.
type UsageByAgent map[string]Usage

// Add adds u to the agent's total.
func (m UsageByAgent) Add(agent string, u Usage) {
	m[agent] = m[agent].Add(u)
}

// Total sums every agent.
func (m UsageByAgent) Total() Usage {
	var t Usage
	for _, u := range m {
		t = t.Add(u)
	}
	return t
}

// reserveFor is how many tokens a call keeps free for the reply: what the
// request caps the reply at, or a quarter of the window up to 1024.
func reserveFor(req Request, window int) int {
	if req.MaxOutputTokens > 0 {
		return req.MaxOutputTokens
	}
	return min(window/4, 1024)
}

// checkFits refuses, before any network call, a prompt that cannot fit.
func checkFits(req Request, ci callInfo, window int) *Error {
	prompt := EstimateMessages(req.Messages)
	reserve := reserveFor(req, window)
	if prompt+reserve <= window {
		return nil
	}
	return &Error{Class: ClassContextTooLong, Err: fmt.Errorf("estimated %d prompt + %d reply tokens > %d", prompt, reserve, window),
		Message: fmt.Sprintf("The prompt for %s needs about %d tokens but %s takes %d (with %d kept for the reply). Shorten the longest answers, or if the model takes more, set context_window in %s.",
			ci.agentName(), prompt, ci.modelName(), window, reserve, ci.path())}
}

// Overflow is how many tokens req's prompt is over what fits the context
// window with room kept for the reply; zero or less means it fits. Agents
// that can shorten their own input (the reviewer) trim until it fits
// rather than be refused.
func (c *Client) Overflow(req Request) int {
	window := c.cfg.ContextTokens()
	return EstimateMessages(req.Messages) + reserveFor(req, window) - window
}

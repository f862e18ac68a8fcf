package llm_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"propose/llm"
	"propose/llm/llmtest"
)

// TestParallelDefaultsAndOneSlot: a local server gets one request at a time
// (a one-slot server never sees a second request queued behind the first,
// and none of them counts as stalled, however short the idle timeout);
// OpenAI gets four.
func TestParallelDefaultsAndOneSlot(t *testing.T) {
	if got := (llm.Config{BaseURL: "http://localhost:11434/v1"}).DefaultParallel(); got != 1 {
		t.Errorf("local default %d, want 1", got)
	}
	if got := (llm.Config{}).DefaultParallel(); got != 4 {
		t.Errorf("OpenAI default %d, want 4", got)
	}
	f := newFixture(t, func(c *llm.Config) { c.Timeouts.Idle = 150 * time.Millisecond })
	var inFlight, most atomic.Int32
	f.srv.Otherwise(llmtest.StepFunc(func(x *llmtest.Exchange) {
		n := inFlight.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		// Each reply takes longer than the idle timeout to begin: it waits
		// for the model, like a one-slot server working on another request.
		x.StartStream()
		x.Sleep(300 * time.Millisecond)
		x.ContentChunk("a section")
		inFlight.Add(-1) // before the end, so the next request cannot race it
		x.FinishChunk("stop")
		x.Done()
	}))
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.client.Stream(context.Background(), ask("x"), nil)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if most.Load() != 1 {
		t.Errorf("%d requests in flight at once, want 1", most.Load())
	}
}

// TestTokenLimitParameterFallsBack: OpenAI gets max_completion_tokens; a
// server that rejects it gets max_tokens from then on, and the other way
// round.
func TestTokenLimitParameterFallsBack(t *testing.T) {
	f := newFixture(t, nil)
	reject := func(param string) llmtest.Step {
		return llmtest.Status(400, "invalid_request_error", "unsupported_parameter",
			"Unsupported parameter: '"+param+"' is not supported with this model.")
	}
	// A local server starts with max_tokens; this one wants the other.
	f.srv.Script(reject("max_tokens"), llmtest.Reply("one"), llmtest.Reply("two"))
	req := ask("x")
	req.MaxOutputTokens = 300
	for _, want := range []string{"one", "two"} {
		resp, err := f.client.Stream(context.Background(), req, nil)
		if err != nil || resp.Text != want {
			t.Fatalf("err %v, text %q", err, resp.Text)
		}
	}
	r := f.srv.Requests()
	if r[0].MaxTokens != 300 || r[1].MaxCompletionTokens != 300 || r[1].MaxTokens != 0 || r[2].MaxCompletionTokens != 300 {
		t.Errorf("sent %d/%d, %d/%d, %d/%d", r[0].MaxTokens, r[0].MaxCompletionTokens, r[1].MaxTokens, r[1].MaxCompletionTokens, r[2].MaxTokens, r[2].MaxCompletionTokens)
	}
	f.srv.Script(reject("max_completion_tokens"), llmtest.JSON(map[string]any{"ok": true}))
	if _, err := f.client.Chat(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if r := f.srv.Requests(); r[4].MaxTokens != 300 || r[4].MaxCompletionTokens != 0 {
		t.Errorf("chat fallback sent %d/%d", r[4].MaxTokens, r[4].MaxCompletionTokens)
	}
}

// TestKeyEchoedAcrossChunksIsRedacted: a server that echoes the key split
// over two chunks gets it neither to the caller's pieces nor to the text.
func TestKeyEchoedAcrossChunksIsRedacted(t *testing.T) {
	f := newFixture(t, nil)
	half := len(testKey) / 2
	f.srv.Script(llmtest.StepFunc(func(x *llmtest.Exchange) {
		x.StartStream()
		x.ContentChunk("Your key is " + testKey[:half])
		x.ContentChunk(testKey[half:] + ", and that is all.")
		x.FinishChunk("stop")
		x.Done()
	}))
	var shown strings.Builder
	var pieces []string
	resp, err := f.client.Stream(context.Background(), ask("x"), func(d string) { shown.WriteString(d); pieces = append(pieces, d) })
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{"text": resp.Text, "shown": shown.String(), "pieces": strings.Join(pieces, "|")} {
		if strings.Contains(s, testKey[:half]) || strings.Contains(s, testKey[half:]) {
			t.Errorf("the key is in the %s: %q", name, s)
		}
	}
	if resp.Text != "Your key is [redacted], and that is all." || shown.String() != resp.Text {
		t.Errorf("text %q, shown %q", resp.Text, shown.String())
	}
}

// TestInvalidJSONMessageIsPlain: a reply whose value has the wrong type is
// reported in words, never with Go's type or struct names.
func TestInvalidJSONMessageIsPlain(t *testing.T) {
	f := newFixture(t, nil)
	bad := llmtest.Reply(`{"facts": [{"field": "fees", "value": 12500}]}`)
	f.srv.Script(bad, llmtest.Reply(`{"facts": [{"field": "fees", "value": 12500}]}`))
	var out struct {
		Facts []struct {
			Field string `json:"field"`
			Value string `json:"value"`
		} `json:"facts"`
	}
	err := f.client.ChatJSON(context.Background(), ask("x"), nil, &out)
	e := classOf(t, err)
	if e.Class != llm.ClassInvalidReply || !strings.Contains(e.Message, "(facts.value holds a number where text belongs)") ||
		strings.Contains(e.Message, "Go struct") || strings.Contains(e.Message, "unmarshal") {
		t.Errorf("%v %q", e.Class, e.Message)
	}
}

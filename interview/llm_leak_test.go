package interview

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"propose/llm/llmtest"
	"propose/proposal"
)

// TestNoGoroutineLeftAfterCancelledRedrafts cancels 100 streaming redrafts
// through the engine and the LLM drafter, at different points (waiting for
// headers, mid-stream, stalled; by Esc or by a newer answer), and checks that
// nothing is left running once the engine is closed.
func TestNoGoroutineLeftAfterCancelledRedrafts(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	b, armed := onInvestment(func(n int) llmtest.Step {
		switch n % 3 {
		case 0:
			return llmtest.Stall()
		case 1:
			return llmtest.Reply(strings.Repeat("We propose a fixed fee. ", 20)).Chunk(1).Delay(2 * time.Millisecond)
		default:
			return llmtest.Reply("We propose a fixed fee for all of it.").Chunk(3).StallAfter(2)
		}
	})
	r := seeded(t, b, rigOptions{})
	armed.set("on")
	cancelled := 0
	for i := 0; i < 100; i++ {
		if err := r.eng.Edit("expenses"); err != nil {
			t.Fatal(err)
		}
		answer(t, r.eng, fmt.Sprintf("Expenses, take %d.", i))
		if i%4 == 3 {
			continue // the next answer makes this redraft stale and cancels it
		}
		waitFor(t, r.eng, func(ev Event) bool { d, ok := ev.(DraftStartedEvent); return ok && d.Section == "investment" })
		time.Sleep(time.Duration(i%6) * time.Millisecond)
		r.eng.CancelDrafts()
		cancelled++
	}
	r.eng.CancelDrafts()
	r.eng.Wait()
	// A redraft made stale by the next answer may be cancelled before its
	// request is sent (saves no longer slow an answer down); the others
	// were cancelled after they started.
	if n := len(r.requests(drModel)); n < cancelled {
		t.Errorf("only %d drafting requests reached the server, want at least %d", n, cancelled)
	}
	for _, ev := range drain(r.eng) {
		if f, ok := ev.(DraftFailedEvent); ok {
			t.Errorf("a cancelled redraft was reported as failed: %v", f.Err)
		}
	}
	if err := r.eng.Close(); err != nil {
		t.Fatal(err)
	}
	r.client.Close()
	r.srv.Close()
	goleak.VerifyNone(t, ignore)
}

// TestKeyNeverWrittenAfterAPIErrors: after a run in which every agent hits
// errors whose bodies quote the key back, the key is in no event, no error,
// no session file and no export.
func TestKeyNeverWrittenAfterAPIErrors(t *testing.T) {
	echo := func(x *llmtest.Exchange) string {
		return strings.TrimPrefix(x.R.Header.Get("Authorization"), "Bearer ")
	}
	var n modeVar
	b := &brain{}
	b.interviewer = func(x *llmtest.Exchange, p parsedTurn) llmtest.Step {
		switch n.next() % 3 {
		case 0:
			return llmtest.Unauthorized()
		case 1:
			return llmtest.Status(500, "server_error", "", "upstream refused key {key}")
		}
		return llmtest.Reply(`{"facts": [], "next": {"field": "` + echo(x) + `"}}`)
	}
	b.drafter = func(x *llmtest.Exchange, title string) llmtest.Step {
		if len(title)%2 == 0 {
			return llmtest.StreamError("We propose ", "server_error", "", "bad key "+echo(x))
		}
		return llmtest.Status(400, "invalid_request_error", "", "the key {key} is not valid for this model")
	}
	b.reviewer = func(x *llmtest.Exchange) llmtest.Step { return llmtest.Unauthorized() }

	r := newLLMRig(t, b, rigOptions{events: true})
	var seen []string
	note := func(s string) { seen = append(seen, s) }
	a := exampleAnswers(t).Values
	for q := r.eng.View().Question; q != nil && len(r.eng.Turns()) < 8; {
		next, err := moved(r.eng, r.eng.Answer(context.Background(), a[q.Field]))
		if err != nil {
			note(err.Error())
		}
		q = next
	}
	r.eng.Wait()
	if _, err := r.eng.Review(context.Background()); err != nil {
		note(err.Error())
	} else {
		t.Error("the review did not fail")
	}
	for _, ev := range drain(r.eng) {
		note(fmt.Sprintf("%+v", ev))
		switch ev := ev.(type) {
		case ErrorEvent:
			note(ev.Err.Error())
		case DraftFailedEvent:
			note(ev.Err.Error())
		}
	}
	out := filepath.Join(t.TempDir(), "proposal.md")
	path, err := r.eng.Export(ExportRequest{Format: proposal.Formats[0], Path: out, IgnoreBlockers: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.eng.Close(); err != nil {
		t.Fatal(err)
	}
	files := []string{path}
	entries, _ := os.ReadDir(r.store.Dir())
	for _, e := range entries {
		files = append(files, filepath.Join(r.store.Dir(), e.Name()))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), llmTestKey) {
			t.Errorf("the key is in %s", filepath.Base(f))
		}
	}
	if len(seen) < 5 {
		t.Errorf("only %d messages seen; the errors did not happen", len(seen))
	}
	for _, s := range seen {
		if strings.Contains(s, llmTestKey) {
			t.Errorf("the key is in a message: %s", s)
		}
	}
	if s := r.reload(t); len(s.Turns) < 8 || len(s.Facts) < 8 {
		t.Errorf("answers lost: %d turns, %d facts", len(s.Turns), len(s.Facts))
	}
}

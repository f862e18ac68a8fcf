package interview

import (
	"context"
	"strings"
	"testing"
	"time"

	"propose/llm"
	"propose/llm/llmtest"
	"propose/proposal"
)

// seeded is a rig whose session holds every example answer and a whole
// draft from the model: the last good text a failure must not lose.
func seeded(t *testing.T, b *brain, o rigOptions) *llmRig {
	t.Helper()
	o.events = true
	r := newLLMRig(t, b, o)
	a := exampleAnswers(t)
	if err := r.eng.RecordAnswers(a); err != nil {
		t.Fatal(err)
	}
	if err := r.eng.Settle(context.Background()); err != nil {
		t.Fatal(err)
	}
	drain(r.eng)
	return r
}

// redraftInvestment changes an answer that feeds only the Investment
// section, and returns the event that ends its redraft.
func redraftInvestment(t *testing.T, r *llmRig, expenses string) Event {
	t.Helper()
	drain(r.eng)
	lastViews.Store(r.eng, r.eng.View()) // changes from here on
	if err := r.eng.Edit("expenses"); err != nil {
		t.Fatal(err)
	}
	if err := r.eng.Answer(context.Background(), expenses); err != nil {
		t.Fatal(err)
	}
	return waitFor(t, r.eng, func(ev Event) bool {
		switch ev := ev.(type) {
		case DraftDoneEvent:
			return ev.Section == "investment"
		case DraftFailedEvent:
			return ev.Section == "investment"
		}
		return false
	})
}

// onInvestment scripts the fake drafter for the Investment section only,
// once armed (set to anything but "").
func onInvestment(step func(n int) llmtest.Step) (*brain, *modeVar) {
	var calls modeVar
	armed := &modeVar{}
	b := &brain{}
	b.drafter = func(x *llmtest.Exchange, title string) llmtest.Step {
		if title != "Investment" || armed.get() == "" {
			return nil
		}
		return step(calls.next())
	}
	return b, armed
}

// TestDraftFailures: each way a drafting call can fail shows the user a plain
// message saying what to do, and the section keeps its last good text, in
// memory and on disk. Only a reply cut short is marked truncated.
func TestDraftFailures(t *testing.T) {
	cases := []struct {
		name      string
		step      func(n int) llmtest.Step
		edit      func(*llm.Config)
		requests  int
		truncated bool
		says      []string
	}{
		{name: "truncated stream", step: func(int) llmtest.Step { return llmtest.Truncated("We propose a fixed fee, and the") },
			requests: 1, truncated: true, says: []string{"stopped before it was finished", "Try again"}},
		{name: "length limit", step: func(int) llmtest.Step { return llmtest.Reply("We propose a fixed fee, and the").Finish("length") },
			requests: 1, truncated: true, says: []string{"length limit", "Investment", "Try again"}},
		{name: "error inside a 200 stream", step: func(int) llmtest.Step {
			return llmtest.StreamError("We propose a fixed ", "server_error", "", "The model crashed while generating")
		}, requests: 1, says: []string{"stopped the reply with an error", "The model crashed while generating", "Try again"}},
		{name: "stall mid-stream", step: func(int) llmtest.Step { return llmtest.Reply("We propose a fixed fee.").Chunk(3).StallAfter(2) },
			edit: func(c *llm.Config) { c.Timeouts.Idle = time.Second }, requests: 1,
			says: []string{"stalled mid-reply: nothing for 1s", "timeouts.idle"}},
		{name: "no reply after the headers", step: func(int) llmtest.Step { return llmtest.Stall() },
			edit: func(c *llm.Config) {
				c.Timeouts.Idle = 100 * time.Millisecond
				c.Timeouts.Request = time.Second
				c.MaxAttempts = 1
			}, requests: 1,
			says: []string{"No reply started within 1s", "timeouts.request"}},
		{name: "server errors after the retries", step: func(int) llmtest.Step { return llmtest.Unavailable() },
			requests: 3, says: []string{"had a problem (503)", "Try again"}},
		{name: "empty stream after the retries", step: func(int) llmtest.Step { return llmtest.EmptyStream() },
			requests: 3, says: []string{"ended the reply without any text"}},
		{name: "connection dropped", step: func(int) llmtest.Step { return llmtest.Drop("We propose ") },
			requests: 1, says: []string{"dropped before the reply finished"}},
		{name: "quota", step: func(int) llmtest.Step { return llmtest.InsufficientQuota() },
			requests: 1, says: []string{"out of quota", "--offline"}},
		{name: "model not found", step: func(int) llmtest.Step { return llmtest.ModelNotFound() },
			requests: 1, says: []string{`does not offer the model "dr-model"`, "--model"}},
		{name: "context too long", step: func(int) llmtest.Step { return llmtest.ContextLengthExceeded() },
			requests: 1, says: []string{"too long for dr-model", "context_window"}},
		{name: "key refused", step: func(int) llmtest.Step { return llmtest.Unauthorized() },
			requests: 1, says: []string{"refused the API key (401)", "--offline"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, armed := onInvestment(tc.step)
			r := seeded(t, b, rigOptions{edit: tc.edit})
			before := sectionOf(r.eng, "investment").Body
			if !strings.HasPrefix(before, "We have drafted the Investment") {
				t.Fatalf("seeded investment: %q", before)
			}
			armed.set("on")
			n0 := len(r.requests(drModel))
			ev := redraftInvestment(t, r, "No expenses are charged.")
			r.eng.Wait()

			f, ok := ev.(DraftFailedEvent)
			if !ok {
				t.Fatalf("got %T, want a DraftFailedEvent", ev)
			}
			if f.Truncated != tc.truncated {
				t.Errorf("Truncated = %v, want %v", f.Truncated, tc.truncated)
			}
			for _, want := range tc.says {
				if !strings.Contains(f.Err.Error(), want) {
					t.Errorf("the user sees %q, which lacks %q", f.Err.Error(), want)
				}
			}
			if strings.Contains(f.Err.Error(), llmTestKey) || strings.Contains(f.Err.Error(), "\n") {
				t.Errorf("message %q leaks the key or is not one line", f.Err.Error())
			}
			if got := len(r.requests(drModel)) - n0; got != tc.requests {
				t.Errorf("%d drafter requests, want %d", got, tc.requests)
			}
			// The document carries the standard wording on the new answers
			// (the model's prose from before could state what no longer
			// holds), the pane gets it with the failure, and the section is
			// listed as a fallback. The last good prose stays on disk.
			got := sectionOf(r.eng, "investment")
			if !strings.Contains(got.Body, "**Expenses.** No expenses are charged.") || f.Body != got.Body || got.Truncated != tc.truncated {
				t.Errorf("investment now %q (truncated %v), event body %q: want the standard wording on the new answers", got.Body, got.Truncated, f.Body)
			}
			if fb := r.eng.Fallbacks(); len(fb) != 1 || fb[0].Section != "investment" {
				t.Errorf("fallbacks %+v", fb)
			}
			s := r.reload(t)
			if sec := s.Draft.Section("investment"); sec.Body == "" || !strings.HasPrefix(before, sec.Body) || sec.Truncated != tc.truncated {
				t.Errorf("saved investment %q (truncated %v), want the last good prose", sec.Body, sec.Truncated)
			}
			if s.Facts.Value("expenses") != "No expenses are charged." {
				t.Errorf("the answer was not saved: %q", s.Facts.Value("expenses"))
			}
			// A retry works once the server does.
			armed.set("")
			r.eng.RetrySection("investment")
			r.eng.Wait()
			if got := sectionOf(r.eng, "investment"); got.Truncated || !strings.HasPrefix(got.Body, "We have drafted") {
				t.Errorf("after a retry: %+v", got)
			}
		})
	}
}

func TestDraftPromptTooLongIsRefusedBeforeCalling(t *testing.T) {
	b := &brain{}
	r := seeded(t, b, rigOptions{})
	before := sectionOf(r.eng, "investment").Body
	n0 := len(r.srv.Requests())
	long := strings.Repeat("Travel is billed at cost. ", 1500) // ~9,800 tokens: more than a local model's 8,192
	ev := redraftInvestment(t, r, long)
	f, ok := ev.(DraftFailedEvent)
	if !ok {
		t.Fatalf("got %T", ev)
	}
	for _, want := range []string{"The prompt for drafter needs about", "dr-model takes 8192", "context_window"} {
		if !strings.Contains(f.Err.Error(), want) {
			t.Errorf("%q lacks %q", f.Err.Error(), want)
		}
	}
	if got := len(r.srv.Requests()) - n0; got != 0 {
		t.Errorf("%d requests sent for prompts that cannot fit", got)
	}
	if r.eng.Facts().Value("expenses") != strings.TrimSpace(long) {
		t.Error("the long answer was not kept (the interviewer falls back to the walk)")
	}
	if got := sectionOf(r.eng, "investment").Body; got == before || !strings.Contains(got, "Travel is billed at cost.") {
		t.Error("the section does not carry the standard wording on the new answer")
	}
}

func TestDraftIgnoresNoChoiceChunksAndComments(t *testing.T) {
	b, armed := onInvestment(func(int) llmtest.Step {
		return llmtest.Reply("We propose a fixed fee for the whole engagement.").Comments(300).NoChoices(40).NoRoleChunk()
	})
	r := seeded(t, b, rigOptions{})
	armed.set("on")
	ev := redraftInvestment(t, r, "No expenses are charged.")
	d, ok := ev.(DraftDoneEvent)
	if !ok {
		t.Fatalf("got %+v", ev)
	}
	if !strings.HasPrefix(d.Body, "We propose a fixed fee for the whole engagement.\n\n| Item | Amount |") {
		t.Errorf("body %q", d.Body)
	}
}

func TestDraftRetryBeforeFirstTokenIsShown(t *testing.T) {
	b, armed := onInvestment(func(n int) llmtest.Step {
		if n == 1 {
			return llmtest.Unavailable()
		}
		return llmtest.Reply("We propose a fixed fee.")
	})
	r := seeded(t, b, rigOptions{})
	armed.set("on")
	if err := r.eng.Edit("expenses"); err != nil {
		t.Fatal(err)
	}
	answer(t, r.eng, "No expenses are charged.")
	ev := waitFor(t, r.eng, func(ev Event) bool { re, ok := ev.(RetryEvent); return ok && re.Agent == "drafter" }).(RetryEvent)
	if ev.Attempt != 2 || ev.Max != 3 || ev.Reason != "server error" {
		t.Errorf("retry %+v", ev)
	}
	waitFor(t, r.eng, func(ev Event) bool { d, ok := ev.(DraftDoneEvent); return ok && d.Section == "investment" })
}

// TestDraftEscCancelsAtOnce: Esc stops a streaming redraft at once, says
// nothing alarming, and keeps the last good text.
func TestDraftEscCancelsAtOnce(t *testing.T) {
	b, armed := onInvestment(func(int) llmtest.Step {
		return llmtest.Reply(strings.Repeat("We propose a fixed fee. ", 40)).Chunk(2).Delay(20 * time.Millisecond)
	})
	r := seeded(t, b, rigOptions{})
	before := sectionOf(r.eng, "investment").Body
	rounds := r.eng.View().Section("investment").Rounds
	armed.set("on")
	r.eng.Edit("expenses")
	answer(t, r.eng, "No expenses are charged.")
	waitFor(t, r.eng, func(ev Event) bool { d, ok := ev.(DraftDeltaEvent); return ok && d.Section == "investment" })
	start := time.Now()
	r.eng.CancelDrafts()
	r.eng.Wait()
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("cancelling took %v", took)
	}
	// The new answer alone changes the section (to the standard wording),
	// and a View taken before the redraft started may tell that as a
	// DraftDoneEvent; the model's text must never arrive.
	evs := drain(r.eng)
	now := sectionOf(r.eng, "investment").Body
	if !strings.Contains(now, "**Expenses.** No expenses are charged.") {
		t.Errorf("investment %q, want the standard wording on the new answer", now)
	}
	for _, ev := range evs {
		switch ev := ev.(type) {
		case DraftFailedEvent, ErrorEvent:
			t.Errorf("Esc reported %+v", ev)
		case DraftDoneEvent:
			if ev.Section == "investment" && ev.Body != now {
				t.Errorf("the cancelled draft finished: %+v", ev)
			}
		}
	}
	if got := r.eng.View().Section("investment").Rounds; got != rounds {
		t.Errorf("the cancelled redraft was counted as ended (rounds %d, were %d)", got, rounds)
	}
	if got := r.reload(t).Draft.Section("investment").Body; got == "" || !strings.HasPrefix(before, got) {
		t.Errorf("saved investment %q, want the last good prose", got)
	}
}

// TestDraftPanicBecomesAnEvent: a panic inside the LLM drafter's goroutine
// (here in its clock) is an error event, not a crash, and the engine goes on.
func TestDraftPanicBecomesAnEvent(t *testing.T) {
	b := &brain{}
	r := seeded(t, b, rigOptions{})
	before := sectionOf(r.eng, "investment").Body
	dr := r.eng.cfg.Drafter.(*proposal.LLMDrafter)
	dr.Now = func() time.Time { panic("clock broke") }
	ev := redraftInvestment(t, r, "No expenses are charged.")
	f, ok := ev.(DraftFailedEvent)
	if !ok || !strings.Contains(f.Err.Error(), "drafting Investment failed: clock broke") {
		t.Fatalf("got %+v", ev)
	}
	if got := sectionOf(r.eng, "investment").Body; got == before || f.Body != got {
		t.Error("the section does not carry the standard wording on the new answer")
	}
	r.eng.Wait()
	dr.Now = clock
	r.eng.RetrySection("investment")
	waitFor(t, r.eng, func(ev Event) bool { d, ok := ev.(DraftDoneEvent); return ok && d.Section == "investment" })
}

// TestDraftNumbersStayExact: a model that writes its own table and a wrong
// total loses them; the table and total come from the facts.
func TestDraftNumbersStayExact(t *testing.T) {
	b, armed := onInvestment(func(int) llmtest.Step {
		return llmtest.Reply("## Investment\n\nWe propose a fixed fee.\n\n| Item | Amount |\n|---|---:|\n| Diagnose | €24.000 |\n| **Total** | **€80.000** |\n\n### Payment\n\nHalf on signature.\n\nSigned: ________")
	})
	r := seeded(t, b, rigOptions{})
	armed.set("on")
	ev := redraftInvestment(t, r, "No expenses are charged.")
	body := ev.(DraftDoneEvent).Body
	want := "We propose a fixed fee.\n\n**Payment**\n\nHalf on signature.\n\n| Item | Amount |\n|---|---:|\n| Diagnose | €24,000 |\n| Redesign | €28,000 |\n| Embed in both plants | €34,500 |\n| **Total** | **€86,500** |" +
		"\n\n| Milestone | Share | Amount |\n|---|---:|---:|\n| Signature of this proposal | 30% | €25,950 |\n| Redesign signed off | 40% | €34,600 |" +
		"\n| Derby live and handover complete | 30% | €25,950 |\n| **Total** |  | **€86,500** |"
	if body != want {
		t.Errorf("body:\n%s\nwant:\n%s", body, want)
	}
	// And the prompt gave the model no amounts to restate.
	reqs := r.requests(drModel)
	last := reqs[len(reqs)-1].LastUser()
	if strings.Contains(last, "€") || !strings.Contains(last, "Fees: a table of 3 fee lines (Diagnose, Redesign, Embed in both plants) and their total") {
		t.Errorf("the prompt shows amounts or does not name the table:\n%s", last)
	}
}

// TestHeadlessSettleReportsDraftFailure: with no screen to show a failed
// section, Settle says so in one line after saving what there is.
func TestHeadlessSettleReportsDraftFailure(t *testing.T) {
	b := &brain{drafter: func(*llmtest.Exchange, string) llmtest.Step { return llmtest.ServerError() }}
	r := newLLMRig(t, b, rigOptions{noStart: true})
	a := exampleAnswers(t)
	for _, field := range []string{"title", "client", "situation", "fees"} {
		if err := r.eng.Record(field, a.Values[field], proposal.Stated); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.eng.Settle(context.Background()); err != nil {
		t.Fatalf("Settle: %v (a failed section is no failed run: it falls back)", err)
	}
	err := r.eng.DraftFailures()
	if err == nil {
		t.Fatal("DraftFailures hid the failure")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "the Situation section and 2 others could not be drafted: ") || !strings.Contains(msg, "had a problem (500)") ||
		strings.Contains(msg, "\n") {
		t.Errorf("message %q", msg)
	}
	s := r.reload(t)
	if s.Facts.Value("fees") != a.Values["fees"] || s.Draft.Section("situation").Body != "" {
		t.Errorf("saved %+v", s.Facts)
	}
}

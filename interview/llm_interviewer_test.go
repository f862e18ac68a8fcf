package interview

import (
	"context"
	"strings"
	"testing"

	"propose/llm/llmtest"
	"propose/proposal"
)

// interviewAll answers every question the engine asks from the answers,
// answering a follow-up with the same text again, until the interview is
// done. It returns the number of answers given.
func interviewAll(t testing.TB, e *Engine, answers map[string]string) int {
	t.Helper()
	n := 0
	for q := e.View().Question; q != nil; n++ {
		if n > 60 {
			t.Fatal("the interview does not end")
		}
		ans, ok := answers[q.Field]
		if !ok {
			t.Fatalf("asked %s, which the answers do not hold", q.Field)
		}
		next, err := moved(e, e.Answer(context.Background(), ans))
		if err != nil {
			t.Fatalf("answer to %s: %v", q.Field, err)
		}
		q = next
	}
	return n
}

// TestLLMInterviewToReviewedDraft runs the whole consulting interview in LLM
// mode through the real go-openai client against the fake server over HTTP:
// the interviewer's questions, the drafter's streamed prose with the tables
// built by code, the reviewer's findings merged with the rules, all saved.
func TestLLMInterviewToReviewedDraft(t *testing.T) {
	b := &brain{followUp: map[string]bool{"measures": true}}
	r := newLLMRig(t, b, rigOptions{})
	answers := exampleAnswers(t).Values

	if q := r.eng.View().Question; q == nil || q.Field != "title" {
		t.Fatalf("first question %+v, want the template's title question", q)
	}
	n := interviewAll(t, r.eng, answers)
	r.eng.Wait()
	findings, err := r.eng.Review(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	// One call per answer, no more: Next never calls the model.
	if got := len(r.requests(ivModel)); got != n {
		t.Errorf("%d interviewer calls for %d answers", got, n)
	}
	if n != 36 { // 35 questions and the one follow-up on measures
		t.Errorf("%d answers, want 36", n)
	}
	// The model's questions were asked: each after the first carries its
	// words, and its follow-up came right after the measures.
	turns := r.eng.Turns()
	for _, tn := range turns[1:] {
		if !strings.HasPrefix(tn.Question, "Next, ") && !strings.HasPrefix(tn.Question, "Could you make") {
			t.Errorf("turn %d asked %q, not the model's question", tn.N, tn.Question)
		}
	}
	if tn := turns[7]; tn.Field != "measures" || !tn.FollowUp {
		t.Errorf("turn 8 is %+v, want the follow-up on measures", tn)
	}

	facts := r.eng.Facts()
	for field, want := range answers {
		if field == "validity" {
			if facts[field].Origin != proposal.Assumed || facts[field].Value != "This proposal is valid for 30 days from its date." {
				t.Errorf("validity = %+v, want the template's assumption", facts[field])
			}
			continue
		}
		if got := facts.Value(field); got != want {
			t.Errorf("fact %s = %q, want %q", field, got, want)
		}
	}

	// Prose from the model, numbers from code.
	d := r.eng.View().Draft
	inv := d.Section("investment").Body
	if !strings.HasPrefix(inv, "We have drafted the Investment section") {
		t.Errorf("investment does not start with the model's prose:\n%s", inv)
	}
	if !strings.Contains(inv, "| **Total** | **€86,500** |") {
		t.Errorf("investment lacks the computed total:\n%s", inv)
	}
	if ap := d.Section("approach").Body; !strings.Contains(ap, "| Full turnaround | diagnose, redesign and embed in both plants | €86,500 |") {
		t.Errorf("approach lacks the options table:\n%s", ap)
	}
	if ms := d.Section("measures").Body; !strings.Contains(ms, "- Days sales outstanding below 40 by 30 September 2027") {
		t.Errorf("measures are not listed exactly:\n%s", ms)
	}
	if tm := d.Section("terms").Body; !strings.Contains(tm, "Signed: ______________________") || !strings.Contains(tm, "For Acme Components Ltd: Maria Jensen") {
		t.Errorf("terms lack the signature block:\n%s", tm)
	}
	if c := d.Section("cover").Body; c != "" {
		t.Errorf("the cover got a body: %q", c)
	}

	// Findings: the model's and the rules', merged once each.
	var llmF, rules int
	seen := map[string]bool{}
	for _, f := range findings {
		key := f.Rule + "|" + f.Field + "|" + f.Message
		if seen[key] {
			t.Errorf("duplicate finding %+v", f)
		}
		seen[key] = true
		switch f.Source {
		case "llm":
			llmF++
			if f.Severity == proposal.Blocker {
				t.Errorf("a model's finding blocks export: %+v", f)
			}
		case "rules":
			rules++
		}
	}
	if llmF != 1 {
		t.Errorf("%d findings from the model, want 1: %+v", llmF, findings)
	}

	// Everything is saved: reload and compare.
	s := r.reload(t)
	if mustJSON(t, s.Facts) != mustJSON(t, r.eng.Facts()) {
		t.Error("saved facts differ from the engine's")
	}
	if saved, _ := proposal.Assemble(r.eng.Template(), s.Facts, s.Today(), s.Draft, "llm"); mustJSON(t, saved) != mustJSON(t, r.eng.View().Draft) {
		t.Error("saved draft differs from the engine's")
	}
	if mustJSON(t, s.Findings) != mustJSON(t, findings) {
		t.Error("saved findings differ")
	}
	if s.Engine != "llm" {
		t.Errorf("engine saved as %q", s.Engine)
	}
	for _, agent := range []string{"interviewer", "drafter", "reviewer"} {
		if u := s.Usage[agent]; u.PromptTokens == 0 || u.CompletionTokens == 0 {
			t.Errorf("usage of %s not saved: %+v", agent, s.Usage)
		}
	}
	if r.eng.Model() != "interviewer iv-model, drafter dr-model, reviewer rv-model via "+strings.TrimPrefix(strings.TrimSuffix(r.srv.URL(), "/v1"), "http://") {
		t.Errorf("Model() = %q", r.eng.Model())
	}

	// Memory, not transcript: a later prompt carries the long situation
	// answer shortened, not whole.
	prompts := b.prompts()
	last := prompts[len(prompts)-1]
	if strings.Contains(last, answers["situation"]) || !strings.Contains(last, "- situation: Acme ships 14,000 orders") {
		t.Errorf("the last prompt does not carry the situation as a short fact:\n%s", last)
	}
	if !strings.HasPrefix(r.requests(ivModel)[0].Messages[0].Content, interviewerSystem) {
		t.Error("the interviewer's static instructions do not come first")
	}
}

// replyStep answers an interviewer request with a fixed JSON reply.
func replyStep(v any) llmtest.Step { return llmtest.JSON(v) }

func nextQ(field string) map[string]any {
	return map[string]any{"field": field, "question": "Model asks about " + field, "why": "w", "example": "e", "follow_up": false}
}

func TestLLMInterviewerRepairsUnknownFieldAndInventedNumber(t *testing.T) {
	var calls modeVar
	b := &brain{}
	b.interviewer = func(x *llmtest.Exchange, p parsedTurn) llmtest.Step {
		switch calls.next() {
		case 1:
			return replyStep(map[string]any{
				"facts": []map[string]any{{"field": "headline", "value": p.Answer, "origin": "stated"},
					{"field": "client", "value": "Acme Ltd, 250 staff", "origin": "stated"}},
				"next": nextQ("buyer")})
		}
		return nil // the repair gets a good reply
	}
	r := newLLMRig(t, b, rigOptions{})
	q := answer(t, r.eng, "Order-to-Cash Turnaround for Acme Ltd")
	reqs := r.requests(ivModel)
	if len(reqs) != 2 {
		t.Fatalf("%d calls, want the first and one repair", len(reqs))
	}
	note := reqs[1].LastUser()
	for _, want := range []string{`"headline" is not a field id`, "the number 250, which the answer does not give"} {
		if !strings.Contains(note, want) {
			t.Errorf("repair note %q lacks %q", note, want)
		}
	}
	if q == nil || q.Field != "client" || q.Text != modelQuestion(QuestionFor(r.eng.Template(), nil, "client").Text) {
		t.Errorf("next question %+v", q)
	}
}

func TestLLMInterviewerFindsSeveralFactsInOneAnswer(t *testing.T) {
	b := &brain{}
	b.interviewer = func(x *llmtest.Exchange, p parsedTurn) llmtest.Step {
		return replyStep(map[string]any{
			"facts": []map[string]any{
				{"field": "title", "value": "Order-to-Cash Turnaround", "origin": "stated"},
				{"field": "client", "value": "Acme Components Ltd", "origin": "stated"},
				{"field": "terms", "value": "Our standard terms", "origin": "assumed"}, // not asked to assume: dropped
			},
			"next": nextQ("buyer")})
	}
	r := newLLMRig(t, b, rigOptions{})
	q := answer(t, r.eng, "Order-to-Cash Turnaround, for Acme Components Ltd")
	f := r.eng.Facts()
	if f.Value("title") != "Order-to-Cash Turnaround" || f.Value("client") != "Acme Components Ltd" || f.Has("terms") {
		t.Errorf("facts %+v", f)
	}
	if q == nil || q.Field != "buyer" || q.Text != "Model asks about buyer" || q.Why != "w" || q.Example != "e" || !q.Required {
		t.Errorf("next question %+v", q)
	}
}

// TestLLMInterviewerFallsBackQuietlyOnce: a reply that is still invalid after
// the repair, or a server that keeps failing, gets the offline walk for that
// turn, and the user is told once until the model works again.
func TestLLMInterviewerFallsBackQuietlyOnce(t *testing.T) {
	var mode modeVar
	mode.set("garbage")
	b := &brain{}
	b.interviewer = func(x *llmtest.Exchange, p parsedTurn) llmtest.Step {
		switch mode.get() {
		case "garbage":
			return llmtest.Reply("Sure! Here is the next question: who signs?")
		case "down":
			return llmtest.Unavailable()
		}
		return nil
	}
	r := newLLMRig(t, b, rigOptions{events: true})
	e := r.eng
	drain(e)

	if err := e.Answer(context.Background(), "Order-to-Cash Turnaround"); err != nil {
		t.Fatal(err)
	}
	ev := e.View() // the answer's notice comes with the question it led to
	if !strings.Contains(ev.Notice, "The model gave no usable reply (invalid reply)") {
		t.Errorf("notice %q", ev.Notice)
	}
	if ev.Question.Field != "client" || ev.Question.Text != QuestionFor(e.Template(), nil, "client").Text {
		t.Errorf("fallback question %+v, want the template's client question", ev.Question)
	}
	// Still failing (now the server): no second notice.
	mode.set("down")
	if err := e.Answer(context.Background(), "Acme Components Ltd"); err != nil {
		t.Fatal(err)
	}
	ev = e.View()
	if ev.Notice != "" {
		t.Errorf("told twice: %q", ev.Notice)
	}
	if got := len(r.requests(ivModel)); got != 2+3 {
		t.Errorf("%d interviewer requests, want 2 (one repair) + 3 (retries)", got)
	}
	// Works again, then fails: told again.
	mode.set("")
	answer(t, e, "Maria Jensen, COO")
	mode.set("down")
	answer(t, e, "Tom Keller")
	ev = e.View()
	if !strings.Contains(ev.Notice, "(server)") {
		t.Errorf("notice %q", ev.Notice)
	}
	// Nothing was lost: every answer is a saved fact.
	s := r.reload(t)
	for field, want := range map[string]string{"title": "Order-to-Cash Turnaround", "client": "Acme Components Ltd", "buyer": "Maria Jensen, COO", "consultant": "Tom Keller"} {
		if s.Facts.Value(field) != want {
			t.Errorf("saved %s = %q, want %q", field, s.Facts.Value(field), want)
		}
	}
	if len(s.Turns) != 4 {
		t.Errorf("%d turns saved", len(s.Turns))
	}
}

// TestLLMInterviewerRetryIsShown: a 429 before the reply is retried, and the
// wait reaches the engine's events for the status bar.
func TestLLMInterviewerRetryIsShown(t *testing.T) {
	var calls modeVar
	b := &brain{}
	b.interviewer = func(x *llmtest.Exchange, p parsedTurn) llmtest.Step {
		if calls.next() == 1 {
			return llmtest.RateLimited("2")
		}
		return nil
	}
	r := newLLMRig(t, b, rigOptions{events: true})
	answer(t, r.eng, "Order-to-Cash Turnaround")
	ev := waitFor(t, r.eng, func(ev Event) bool { _, ok := ev.(RetryEvent); return ok }).(RetryEvent)
	want := RetryEvent{Agent: "interviewer", Attempt: 2, Max: 3, Wait: 2e9, Reason: "rate limited"}
	if ev != want {
		t.Errorf("retry event %+v, want %+v", ev, want)
	}
	if q := r.eng.View().Question; q == nil || !strings.HasPrefix(q.Text, "Next, ") {
		t.Errorf("after the retry, question %+v", q)
	}
}

// TestLLMInterviewerAuthFailureIsPlain: a refused key is said plainly, with
// where to fix it and --offline; the answer is kept; the model is not called
// again this run; the key is nowhere.
func TestLLMInterviewerAuthFailureIsPlain(t *testing.T) {
	b := &brain{}
	b.interviewer = func(x *llmtest.Exchange, p parsedTurn) llmtest.Step { return llmtest.Unauthorized() }
	r := newLLMRig(t, b, rigOptions{events: true})
	drain(r.eng)
	q := answer(t, r.eng, "Order-to-Cash Turnaround")
	if q == nil || q.Field != "client" {
		t.Fatalf("next %+v", q)
	}
	var errEv *ErrorEvent
	var notice string
	for _, ev := range drain(r.eng) {
		switch ev := ev.(type) {
		case ErrorEvent:
			errEv = &ev
		case ChangedEvent:
			if ev.View.Notice != "" {
				notice = ev.View.Notice
			}
		}
	}
	if errEv == nil {
		t.Fatal("no error event for the refused key")
	}
	if !strings.Contains(errEv.Err.Error(), "--offline") {
		t.Errorf("the error, as the command line words it, lacks --offline: %q", errEv.Err.Error())
	}
	if strings.Contains(notice, "--") {
		t.Errorf("the notice a screen shows names a flag: %q", notice)
	}
	for _, msg := range []string{errEv.Err.Error(), notice} {
		for _, want := range []string{"refused the API key (401)", "OPENAI_API_KEY", "config.yaml"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%q lacks %q", msg, want)
			}
		}
		if strings.Contains(msg, llmTestKey) {
			t.Errorf("the key leaked: %q", msg)
		}
	}
	answer(t, r.eng, "Acme")
	if got := len(r.requests(ivModel)); got != 1 {
		t.Errorf("%d interviewer calls after a refused key, want 1", got)
	}
	if s := r.reload(t); s.Facts.Value("title") != "Order-to-Cash Turnaround" || s.Facts.Value("client") != "Acme" {
		t.Errorf("answers lost: %+v", s.Facts)
	}
}

func TestLLMInterviewerAssume(t *testing.T) {
	b := &brain{}
	r := newLLMRig(t, b, rigOptions{})
	// A field with the template's assumption: the code records it, whatever
	// the model says.
	r.eng.Edit("validity")
	answer(t, r.eng, "assume")
	if f := r.eng.Facts()["validity"]; f.Origin != proposal.Assumed || f.Value != "This proposal is valid for 30 days from its date." {
		t.Errorf("validity %+v", f)
	}
	// A field without one: the model states it.
	r.eng.Edit("risks")
	answer(t, r.eng, "assume")
	if f := r.eng.Facts()["risks"]; f.Origin != proposal.Assumed || f.Value != "We assume the usual terms." {
		t.Errorf("risks %+v", f)
	}
	if k := r.eng.Turns()[1].Kind; k != Assumed {
		t.Errorf("turn kind %q", k)
	}
}

func TestLLMInterviewerRejectsAnsweredNextField(t *testing.T) {
	b := &brain{}
	b.interviewer = func(x *llmtest.Exchange, p parsedTurn) llmtest.Step {
		return replyStep(map[string]any{"facts": []map[string]any{}, "next": nextQ("title")})
	}
	r := newLLMRig(t, b, rigOptions{})
	q := answer(t, r.eng, "Order-to-Cash Turnaround")
	if !strings.Contains(r.requests(ivModel)[1].LastUser(), "next.field title is already answered") {
		t.Errorf("repair note %q", r.requests(ivModel)[1].LastUser())
	}
	// Both replies asked title again: the walk's question instead, and the
	// answer kept as written even though the model recorded nothing.
	if q == nil || q.Field != "client" || r.eng.Facts().Value("title") != "Order-to-Cash Turnaround" {
		t.Errorf("q %+v facts %+v", q, r.eng.Facts())
	}
}

func TestStashedQuestionIsNotUsedAfterSkip(t *testing.T) {
	b := &brain{}
	r := newLLMRig(t, b, rigOptions{})
	q := answer(t, r.eng, "A title") // the model asks client next
	if q.Field != "client" || !strings.HasPrefix(q.Text, "Next, ") {
		t.Fatalf("q %+v", q)
	}
	q, err := moved(r.eng, r.eng.Skip(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	if q == nil || q.Field != "buyer" || q.Text != QuestionFor(r.eng.Template(), nil, "buyer").Text {
		t.Errorf("after a skip: %+v, want the template's buyer question", q)
	}
}

func TestInventedNumber(t *testing.T) {
	tm := consulting(t)
	_, fees := tm.Field("fees")
	_, meas := tm.Field("measures")
	cases := []struct {
		value, source, want string
	}{
		{"Diagnose: €18,000", "Diagnose: €18.000", ""},
		{"Diagnose: €18,000", "Diagnose: €18k", "0"},
		{"1. DSO below 40\n2. Close in 5 days", "DSO below 40, close in 5 days", ""},
		{"DSO below 40 by 30 September 2027", "DSO below 40 by end of Q3", "30"},
		{"Close in 05 days", "close in 5 days", ""},
	}
	for _, c := range cases {
		f := fees
		if !strings.Contains(c.value, "€") {
			f = meas
		}
		if got := inventedNumber(f, c.value, c.source); got != c.want {
			t.Errorf("inventedNumber(%q, %q) = %q, want %q", c.value, c.source, got, c.want)
		}
	}
}

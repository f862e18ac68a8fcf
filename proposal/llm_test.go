package proposal

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"propose/llm"
	"propose/llm/llmtest"
)

const proposalTestKey = "sk-test-PROPOSE-proposal-31c0d9e8f2"

func testClient(t *testing.T, srv *llmtest.Server) *llm.Client {
	t.Helper()
	t.Setenv("OPENAI_API_KEY", proposalTestKey)
	c, err := llm.New(llm.Config{BaseURL: srv.URL(), Model: "m", Timeouts: llm.Timeouts{Idle: 5 * time.Second}},
		llm.WithSleep(func(ctx context.Context, _ time.Duration) error { return ctx.Err() }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func draftRequest(t *testing.T, section string) DraftRequest {
	tm := consulting(t)
	facts := completeFacts()
	return DraftRequest{Template: tm, Section: tm.Section(section), Facts: facts, Values: FieldValues(tm, facts, today), Today: today}
}

func TestLLMDrafterStreamsProseThenTheTables(t *testing.T) {
	srv := llmtest.New(t)
	srv.Script(llmtest.Reply("We propose a fixed fee, set out below.").Chunk(4))
	d := &LLMDrafter{Client: testClient(t, srv), Now: func() time.Time { return today }}
	var streamed strings.Builder
	body, err := d.DraftSection(context.Background(), draftRequest(t, "investment"), func(s string) { streamed.WriteString(s) })
	if err != nil {
		t.Fatal(err)
	}
	// The drafter hands back prose only; the document adds the tables.
	if body != "We propose a fixed fee, set out below." || streamed.String() != body {
		t.Errorf("body:\n%s\nstreamed:\n%s", body, streamed.String())
	}
	r := draftRequest(t, "investment")
	dr := NewDraft(r.Template)
	sec := dr.Section("investment")
	sec.Body, sec.Inputs = body, Inputs(r.Section, r.Values, "llm")
	doc, falls := Assemble(r.Template, r.Facts, today, dr, "llm")
	want := "We propose a fixed fee, set out below.\n\n| Item | Amount |\n|---|---:|\n| Diagnose | €24,000 |\n| Redesign | €28,000 |\n| **Total** | **€52,000** |" + // typed "€24.000": an English document writes "€24,000"
		"\n\n| Milestone | Share | Amount |\n|---|---:|---:|\n| Signature of this proposal | 30% | €15,600 |\n| Redesign signed off | 70% | €36,400 |\n| **Total** |  | **€52,000** |"
	if got := doc.Section("investment").Body; got != want {
		t.Errorf("assembled:\n%s", got)
	}
	for _, f := range falls {
		if f.Section == "investment" {
			t.Errorf("investment fell back: %+v", f)
		}
	}
	req := srv.Request(0)
	if !req.Stream || req.Messages[0].Content != drafterSystem || !strings.HasPrefix(req.LastUser(), "Today is 11 January 2027.") {
		t.Errorf("request: stream %v, %d messages", req.Stream, len(req.Messages))
	}
	for _, want := range []string{`Write the section "Investment"`, "[Investment]", "- Pricing basis: fixed fee",
		"Fees: a table of 2 fee lines (Diagnose, Redesign) and their total", "We propose a fixed fee. The price does not change"} {
		if !strings.Contains(req.LastUser(), want) {
			t.Errorf("the prompt lacks %q:\n%s", want, req.LastUser())
		}
	}
	if strings.Contains(req.LastUser(), "24.000") {
		t.Error("the prompt shows an amount the model could restate")
	}
}

func TestLLMDrafterTruncated(t *testing.T) {
	srv := llmtest.New(t)
	srv.Script(llmtest.Truncated("We propose a fixed"))
	d := &LLMDrafter{Client: testClient(t, srv)}
	_, err := d.DraftSection(context.Background(), draftRequest(t, "investment"), nil)
	if !errors.Is(err, ErrTruncated) || !errors.Is(err, llm.ErrTruncated) {
		t.Fatalf("err = %v, want both truncated errors", err)
	}
	if !strings.Contains(err.Error(), "stopped before it was finished. Try again.") {
		t.Errorf("message %q", err.Error())
	}
}

func TestLLMDrafterSkipsSectionsWithoutProse(t *testing.T) {
	srv := llmtest.New(t)
	d := &LLMDrafter{Client: testClient(t, srv)}
	body, err := d.DraftSection(context.Background(), draftRequest(t, "cover"), nil)
	if err != nil || body != "" || srv.RequestCount() != 0 {
		t.Errorf("cover: %q, %v, %d requests", body, err, srv.RequestCount())
	}
}

func TestSplitStandard(t *testing.T) {
	req := draftRequest(t, "terms")
	standard, _ := ExecuteDraft(req.Section, req.Values)
	prose, blocks := splitStandard(req.Section, req.Values, standard)
	if strings.Contains(prose, "___") || strings.Contains(prose, "For Acme Components Ltd: Maria") {
		t.Errorf("prose keeps the signature block:\n%s", prose)
	}
	if len(blocks) != 1 || blocks[0].text != "For Acme Components Ltd: Maria Jensen, COO\n\nSigned: ______________________  Date: ____________" {
		t.Errorf("blocks %+v", blocks)
	}
	req = draftRequest(t, "timing")
	standard, _ = ExecuteDraft(req.Section, req.Values)
	prose, blocks = splitStandard(req.Section, req.Values, standard)
	if strings.Contains(prose, "|") || len(blocks) != 1 || !strings.HasPrefix(blocks[0].text, "| Date | Milestone |") {
		t.Errorf("timing: prose %q blocks %+v", prose, blocks)
	}
	if blocks[0].what != "Milestones: a table of 2 rows (26 February 2027, 9 April 2027), with the columns Date, Milestone" {
		t.Errorf("what = %q", blocks[0].what)
	}
}

func TestCleanProse(t *testing.T) {
	cases := []struct{ in, want string }{
		{"## Investment\n\nWe propose.", "We propose."},
		{"```markdown\nWe propose.\n```", "We propose."},
		{"<think>maths</think>We propose.", "We propose."},
		{"We propose.\n\n### Payment\n\nOn signature.", "We propose.\n\n**Payment**\n\nOn signature."},
		{"We propose.\n\n| a | b |\n|---|---|\n| x | 1 |\n\n\n\nDone.", "We propose.\n\nDone."},
		{"Hi \x1b[31mred\x1b[0m.\n\nSigned: ____", "Hi red."},
	}
	for _, c := range cases {
		if got := cleanProse(c.in, "Investment"); got != c.want {
			t.Errorf("cleanProse(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFindingsFrom(t *testing.T) {
	tm := consulting(t)
	rules := []Finding{{Rule: "missing-required", Field: "fees", Section: "investment"}}
	in := []replyFinding{
		{Rule: "Vague Scope!", Severity: "blocker", Section: "approach", Field: "deliverables", Message: "Say\nwhat is in the pack."},
		{Rule: "vague-scope", Severity: "warning", Section: "", Field: "deliverables", Message: "Say what is in the pack."},
		{Rule: "price", Severity: "warning", Section: "investment", Field: "fees", Message: "No price."},
		{Rule: "tone", Severity: "Suggestion", Section: "situation", Field: "nope", Message: "Warmer."},
		{Rule: "", Severity: "warning", Section: "nowhere", Field: "nothing", Message: "Lost."},
		{Rule: "x", Severity: "warning", Section: "value", Field: "", Message: "  "},
	}
	got := findingsFrom(tm, rules, in)
	want := []Finding{
		{Rule: "vague-scope", Severity: Warning, Section: "approach", Field: "deliverables", Message: "Say what is in the pack.", Source: "llm"},
		{Rule: "tone", Severity: Suggestion, Section: "situation", Field: "", Message: "Warmer.", Source: "llm"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("finding %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if err := checkFindings(tm, &reviewReply{Findings: in}); err == nil || !strings.Contains(err.Error(), "findings[4]") || !strings.Contains(err.Error(), "findings[5] has no message") {
		t.Errorf("check = %v", err)
	}
}

func TestLLMReviewerSendsDraftAndFactsNotMore(t *testing.T) {
	srv := llmtest.New(t)
	srv.Script(llmtest.JSON(map[string]any{"findings": []map[string]any{}}))
	r := &LLMReviewer{Client: testClient(t, srv), Now: func() time.Time { return today }}
	tm := consulting(t)
	facts := completeFacts()
	fs, err := r.Review(context.Background(), ReviewRequest{Template: tm, Facts: facts, Draft: draftAll(t, tm, facts), Today: today})
	if err != nil || len(fs) != 0 {
		t.Fatalf("%v %+v", err, fs)
	}
	req := srv.Request(0)
	if req.FormatType() != "json_schema" || len(req.Messages) != 2 || req.Messages[0].Content != reviewerSystem {
		t.Errorf("format %q, %d messages", req.FormatType(), len(req.Messages))
	}
	for _, want := range []string{"- investment: Investment; pricing, fees, payment_schedule, payment_terms, expenses", "- fees: Diagnose: €24.000\n  Redesign: €28.000",
		"Automatic findings already reported:\n- none.", "## Investment"} {
		if !strings.Contains(req.LastUser(), want) {
			t.Errorf("the review request lacks %q", want)
		}
	}
}

func TestThinkFilterHidesReasoningWhileStreaming(t *testing.T) {
	var out strings.Builder
	f := &thinkFilter{emit: func(s string) { out.WriteString(s) }}
	for _, d := range []string{"<th", "ink>Let me see: 2 + 2", " is 4.</thi", "nk>\n\nWe pro", "pose a fee < the value", "."} {
		f.write(d)
	}
	if got := out.String(); got != "\n\nWe propose a fee < the value." {
		t.Errorf("streamed %q", got)
	}
	out.Reset()
	f = &thinkFilter{emit: func(s string) { out.WriteString(s) }}
	f.write("Plain ")
	f.write("text.")
	if out.String() != "Plain text." {
		t.Errorf("streamed %q", out.String())
	}
}

// TestLLMDrafterNumberGuard: prose with a total and a date the facts do not
// hold is redrafted once, with the figures named; a second miss falls back
// to the standard wording.
func TestLLMDrafterNumberGuard(t *testing.T) {
	srv := llmtest.New(t)
	srv.Script(
		llmtest.Reply("The total investment is €150.000, all due on 1 March 2027."),
		llmtest.Reply("We propose a fixed fee, set out below, invoiced in 30 days."),
		llmtest.Reply("The total investment is €150.000."),
		llmtest.Reply("Still €140.000 in all."),
	)
	d := &LLMDrafter{Client: testClient(t, srv), Now: func() time.Time { return today }}
	body, err := d.DraftSection(context.Background(), draftRequest(t, "investment"), nil)
	if err != nil || body != "We propose a fixed fee, set out below, invoiced in 30 days." {
		t.Fatalf("body %q, err %v", body, err)
	}
	redo := srv.Request(1)
	if len(redo.Messages) != 4 || redo.Messages[2].Content != "The total investment is €150.000, all due on 1 March 2027." ||
		!strings.Contains(redo.LastUser(), "Your text states 1 March 2027, €150.000, which the facts do not give.") {
		t.Errorf("the redraft request: %+v", redo.Messages)
	}
	_, err = d.DraftSection(context.Background(), draftRequest(t, "investment"), nil)
	var fb *FallbackError
	if !errors.As(err, &fb) || fb.Reason != ReasonFigures+" (€140.000)" ||
		err.Error() != "the Investment section uses the standard wording: the model's text stated figures the answers do not hold (€140.000)" {
		t.Errorf("err = %v", err)
	}
}

// TestLLMDrafterReplyCap: a 2 MB section is stopped at the cap with a plain
// message, not stored.
func TestLLMDrafterReplyCap(t *testing.T) {
	srv := llmtest.New(t)
	srv.Script(llmtest.Reply(strings.Repeat("We propose. ", 2<<20/12)).Chunk(4096))
	d := &LLMDrafter{Client: testClient(t, srv), MaxBytes: 64 << 10}
	_, err := d.DraftSection(context.Background(), draftRequest(t, "investment"), nil)
	if err == nil || err.Error() != "The reply from m grew past 64 KB, far more than asked for, so it was stopped. Try again; if your sections are that long, raise limits.section_bytes in "+llm.DefaultConfigPath()+"." {
		t.Errorf("err = %v", err)
	}
}

// TestReviewerInputFitsTheWindow: a draft that grew past the model's
// window is reviewed, not refused: tables are left out and every section
// is cut to one length, the longest first.
func TestReviewerInputFitsTheWindow(t *testing.T) {
	srv := llmtest.New(t)
	srv.Script(llmtest.JSON(map[string]any{"findings": []any{}}))
	t.Setenv("OPENAI_API_KEY", proposalTestKey)
	c, err := llm.New(llm.Config{BaseURL: srv.URL(), Model: "m", ContextWindow: 4096})
	if err != nil {
		t.Fatal(err)
	}
	tm := consulting(t)
	facts := completeFacts()
	d := draftAll(t, tm, facts)
	long := strings.Repeat("The diagnosis traces two hundred orders through both plants and ranks every delay. ", 250) // ~20 KB
	d.Section("situation").Body = long
	d.Section("approach").Body += "\n\n" + long[:8000]
	r := &LLMReviewer{Client: c, Now: func() time.Time { return today }}
	if _, err := r.Review(context.Background(), ReviewRequest{Template: tm, Facts: facts, Draft: d, Today: today}); err != nil {
		t.Fatalf("the review was refused: %v", err)
	}
	req := srv.Request(0)
	msgs := []llm.Message{llm.System(req.Messages[0].Content), llm.User(req.LastUser())}
	if n := llm.EstimateMessages(msgs); n+1500 > 4096 {
		t.Errorf("the request needs %d tokens with the reply, over the 4096 window", n)
	}
	user := req.LastUser()
	if !strings.Contains(user, "## Situation\n\nThe diagnosis traces") || strings.Count(user, "[…]") < 2 ||
		strings.Contains(user, "| Item | Amount |") || !strings.Contains(user, "- fees: Diagnose: €24.000") {
		t.Errorf("the review request:\n%s", user)
	}
	// The situation (longest) is cut to the same length as the approach.
	sit := user[strings.Index(user, "## Situation"):]
	sit = sit[:strings.Index(sit, "[…]")]
	if len(sit) > 4000 {
		t.Errorf("the longest section kept %d bytes", len(sit))
	}
}

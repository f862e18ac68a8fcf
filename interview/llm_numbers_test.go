package interview

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"propose/llm/llmtest"
	"propose/proposal"
)

// TestInterviewerCannotRewriteFees: an interviewer that swaps two fee
// amounts or drops a line does not change the fees: the typed lines stand,
// in memory and on disk, the total is the typed one, and the consultant is
// told.
func TestInterviewerCannotRewriteFees(t *testing.T) {
	typed := "Diagnose: €24.000\nRedesign: €28.000\nEmbed: €30.000"
	for name, rewrite := range map[string]string{
		"swapped": "Diagnose: €28.000\nRedesign: €24.000\nEmbed: €30.000",
		"dropped": "Diagnose: €24.000\nRedesign: €28.000",
		"total":   "Diagnose, redesign and embed: €82.000",
	} {
		t.Run(name, func(t *testing.T) {
			b := &brain{interviewer: func(x *llmtest.Exchange, p parsedTurn) llmtest.Step {
				if p.Asked != "fees" {
					return nil
				}
				return llmtest.JSON(map[string]any{
					"facts": []any{map[string]any{"field": "fees", "value": rewrite, "origin": "stated"}},
					"next":  map[string]any{"field": "", "question": "", "why": "", "example": "", "follow_up": false}})
			}}
			r := seeded(t, b, rigOptions{})
			if err := r.eng.Edit("fees"); err != nil {
				t.Fatal(err)
			}
			if err := r.eng.Answer(context.Background(), typed); err != nil {
				t.Fatal(err)
			}
			ev := r.eng.View() // the answer's notice comes with the question it led to
			if name != "total" && !strings.Contains(ev.Notice, "Kept Fees as you typed it: the model's version changed a line or an amount.") {
				t.Errorf("notice %q", ev.Notice)
			}
			r.eng.Wait()
			if got := r.eng.Facts().Value("fees"); got != typed {
				t.Errorf("fees %q", got)
			}
			if got := r.reload(t).Facts.Value("fees"); got != typed {
				t.Errorf("saved fees %q", got)
			}
			if inv := investment(r.eng.Markdown()); !strings.Contains(inv, "| **Total** | **€82,000** |") || strings.Contains(inv, "€86,500") {
				t.Errorf("the Investment section:\n%s", inv)
			}
		})
	}
	// A rewrite that keeps every line and amount is taken.
	b := &brain{interviewer: func(x *llmtest.Exchange, p parsedTurn) llmtest.Step {
		if p.Asked != "fees" {
			return nil
		}
		return llmtest.JSON(map[string]any{
			"facts": []any{map[string]any{"field": "fees", "value": "Embed: €30.000\nDiagnose: €24.000\nRedesign: €28.000", "origin": "stated"}},
			"next":  map[string]any{"field": "", "question": "", "why": "", "example": "", "follow_up": false}})
	}}
	r := seeded(t, b, rigOptions{})
	r.eng.Edit("fees")
	if err := r.eng.Answer(context.Background(), typed); err != nil {
		t.Fatal(err)
	}
	if got := r.eng.Facts().Value("fees"); got != "Embed: €30.000\nDiagnose: €24.000\nRedesign: €28.000" {
		t.Errorf("a faithful reordering was refused: %q", got)
	}
}

// TestFailedRedraftAfterFeeChangeExportsTheNewTotal: the fees change, the
// model cannot redraft the Investment section, and the export still shows
// the new table and total (in the standard wording), never the old ones.
func TestFailedRedraftAfterFeeChangeExportsTheNewTotal(t *testing.T) {
	b, armed := onInvestment(func(int) llmtest.Step { return llmtest.Drop("We propose a fixed ") })
	r := seeded(t, b, rigOptions{})
	if md := r.eng.Markdown(); !strings.Contains(md, "| **Total** | **€86,500** |") {
		t.Fatalf("seeded:\n%s", md)
	}
	armed.set("on")
	r.eng.Edit("fees")
	if err := r.eng.Answer(context.Background(), "Diagnose: €24.000\nRedesign: €28.000"); err != nil {
		t.Fatal(err)
	}
	r.eng.Wait()
	path, err := r.eng.Export(ExportRequest{Format: proposal.Formats[0], Path: filepath.Join(t.TempDir(), "p.md"), IgnoreBlockers: true})
	if err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(path)
	if inv := investment(string(md)); !strings.Contains(inv, "| **Total** | **€52,000** |") || strings.Contains(inv, "86,500") || strings.Contains(inv, "34,500") {
		t.Errorf("the exported Investment section:\n%s", inv)
	}
	fb := r.eng.Fallbacks()
	if len(fb) != 1 || fb[0].Section != "investment" || !strings.HasPrefix(fb[0].Reason, "the model failed: ") {
		t.Errorf("fallbacks %+v", fb)
	}
}

// TestCutStreamsThenExport: every section's stream is cut; the export is
// the whole proposal in the standard wording, each section listed.
func TestCutStreamsThenExport(t *testing.T) {
	b := &brain{drafter: func(*llmtest.Exchange, string) llmtest.Step { return llmtest.Drop("We propose ") }}
	r := newLLMRig(t, b, rigOptions{noStart: true})
	a := exampleAnswers(t)
	for _, field := range a.Order {
		value := a.Values[field]
		if _, ok := ParseAssume(value); ok {
			continue
		}
		if err := r.eng.Record(field, value, proposal.Stated); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.eng.Settle(context.Background()); err != nil {
		t.Fatal(err)
	}
	path, err := r.eng.Export(ExportRequest{Format: proposal.Formats[0], Path: filepath.Join(t.TempDir(), "p.md"), IgnoreBlockers: true})
	if err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(path)
	var sections int
	for _, s := range r.eng.Template().Sections {
		if s.NoHeading || !proposal.HasContent(&s, r.eng.Facts()) {
			continue
		}
		sections++
		if !strings.Contains(string(md), "## "+s.Title+"\n\n") {
			t.Errorf("the export lacks %s", s.Title)
		}
	}
	if !strings.Contains(string(md), "| **Total** | **€86,500** |") || strings.Contains(string(md), "We propose \n") {
		t.Errorf("the export:\n%s", md)
	}
	if fb := r.eng.Fallbacks(); len(fb) < sections-1 {
		t.Errorf("%d fallbacks for %d sections: %+v", len(fb), sections, fb)
	}
}

// investment is the Investment section of a Markdown proposal.
func investment(md string) string {
	_, after, _ := strings.Cut(md, "## Investment\n")
	before, _, _ := strings.Cut(after, "\n## ")
	return before
}

// TestModelOffAsAWhole: after the server refuses the key while drafting,
// the whole engine runs offline for the session: no more model calls, the
// interviewer walks the template, every section carries the standard
// wording and says why; trying the model again redrafts with it.
func TestModelOffAsAWhole(t *testing.T) {
	var refuse atomic.Bool
	refuse.Store(true)
	b := &brain{drafter: func(*llmtest.Exchange, string) llmtest.Step {
		if refuse.Load() {
			return llmtest.Unauthorized()
		}
		return nil
	}}
	r := newLLMRig(t, b, rigOptions{events: true})
	a := exampleAnswers(t).Values
	q := r.eng.View().Question
	next, err := moved(r.eng, r.eng.Answer(context.Background(), a[q.Field]))
	if err != nil {
		t.Fatal(err)
	}
	ev := waitFor(t, r.eng, func(ev Event) bool { n, ok := ev.(NoticeEvent); return ok && strings.Contains(n.Text, "model is off") }).(NoticeEvent)
	if !strings.Contains(ev.Text, "refused the API key (401)") || !strings.Contains(ev.Text, "The model is off for this session") {
		t.Errorf("model notice %q", ev.Text)
	}
	r.eng.Wait()
	if off := r.eng.View().ModelOff; !strings.HasPrefix(off, "The server refused the API key (401)") {
		t.Errorf("ModelOff %q", off)
	}
	n0 := len(r.srv.Requests())
	for i := 0; i < 3 && next != nil; i++ {
		if next, err = moved(r.eng, r.eng.Answer(context.Background(), a[next.Field])); err != nil {
			t.Fatal(err)
		}
	}
	r.eng.Wait()
	if n := len(r.srv.Requests()) - n0; n != 0 {
		t.Errorf("%d model calls after the model was switched off", n)
	}
	for _, f := range r.eng.Fallbacks() {
		if !strings.HasPrefix(f.Reason, "the model is off: The server refused the API key (401)") {
			t.Errorf("fallback %+v", f)
		}
	}
	if len(r.eng.Fallbacks()) == 0 {
		t.Error("no section says it carries the standard wording")
	}
	refuse.Store(false)
	r.eng.RetryModel()
	r.eng.Wait()
	if r.eng.View().ModelOff != "" || len(r.eng.Fallbacks()) != 0 {
		t.Errorf("after trying again: off %q, fallbacks %+v", r.eng.View().ModelOff, r.eng.Fallbacks())
	}
}

// TestModelMarkdownReducedInExport: raw HTML, a javascript: link and a
// remote image the model writes never reach the export.
func TestModelMarkdownReducedInExport(t *testing.T) {
	b, armed := onInvestment(func(int) llmtest.Step {
		return llmtest.Reply("We propose <b onclick=\"x()\">a fixed fee</b>, see [terms](javascript:alert(1)) and [our site](https://example.com).\n\n![](https://track.example/pixel.gif)\n\n<iframe src=\"https://evil.example\"></iframe>\n\n# Big\n\n---")
	})
	r := seeded(t, b, rigOptions{})
	armed.set("on")
	redraftInvestment(t, r, "No expenses are charged.")
	r.eng.Wait()
	path, err := r.eng.Export(ExportRequest{Format: proposal.Formats[0], Path: filepath.Join(t.TempDir(), "p.md"), IgnoreBlockers: true})
	if err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(path)
	inv := investment(string(md))
	for _, bad := range []string{"<b", "onclick", "javascript:", "![", "pixel.gif", "<iframe", "evil.example", "# Big", "\n---\n"} {
		if strings.Contains(inv, bad) {
			t.Errorf("the export holds %q:\n%s", bad, inv)
		}
	}
	if !strings.HasPrefix(inv, "\nWe propose a fixed fee, see terms and [our site](https://example.com).\n\n**Big**") {
		t.Errorf("the Investment section:\n%s", inv)
	}
}

// TestHugeExtractedFactIsNotRecorded: a 2 MB fact from the interviewer is
// not recorded; the typed answer stands and the consultant is told plainly.
func TestHugeExtractedFactIsNotRecorded(t *testing.T) {
	huge := strings.Repeat("Order-to-Cash ", 2<<20/14)
	b := &brain{interviewer: func(x *llmtest.Exchange, p parsedTurn) llmtest.Step {
		if p.Asked != "title" {
			return nil
		}
		return llmtest.JSON(map[string]any{
			"facts": []any{map[string]any{"field": "title", "value": huge, "origin": "stated"}},
			"next":  map[string]any{"field": "", "question": "", "why": "", "example": "", "follow_up": false}}).Chunk(1 << 16)
	}}
	r := newLLMRig(t, b, rigOptions{events: true})
	if err := r.eng.Edit("title"); err != nil {
		t.Fatal(err)
	}
	if err := r.eng.Answer(context.Background(), "Order-to-Cash Turnaround"); err != nil {
		t.Fatal(err)
	}
	ev := r.eng.View() // the answer's notice comes with the question it led to
	if !strings.Contains(ev.Notice, "The model's version of Title was over 8 KB, so it was not used; your answer is kept as typed.") {
		t.Errorf("notice %q", ev.Notice)
	}
	if got := r.eng.Facts().Value("title"); got != "Order-to-Cash Turnaround" {
		t.Errorf("title of %d bytes", len(got))
	}
	r.eng.Wait()
	if s := r.reload(t); len(s.Facts.Value("title")) > 100 {
		t.Errorf("saved title of %d bytes", len(s.Facts.Value("title")))
	}
}

// TestPromptsNameTheLanguage: with a Spanish proposal every prompt asks
// for Spanish.
func TestPromptsNameTheLanguage(t *testing.T) {
	b := &brain{}
	r := newLLMRig(t, b, rigOptions{noStart: true, edit: nil})
	r.eng.cfg.Interviewer.(*LLMInterviewer).Language = "es"
	r.eng.cfg.Drafter.(*proposal.LLMDrafter).Now = clock
	r.eng.cfg.Language = "es"
	r.eng.cfg.Reviewer.(*proposal.LLMReviewer).Language = "es"
	if err := r.eng.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	q := r.eng.View().Question
	if err := r.eng.Answer(context.Background(), exampleAnswers(t).Values[q.Field]); err != nil {
		t.Fatal(err)
	}
	r.eng.Wait()
	if _, err := r.eng.Review(context.Background()); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, req := range r.srv.Requests() {
		last := req.LastUser()
		switch req.Model {
		case ivModel:
			seen["interviewer"] = seen["interviewer"] || strings.Contains(last, "Write in Spanish.")
		case drModel:
			seen["drafter"] = seen["drafter"] || strings.Contains(last, "in Spanish.")
		case rvModel:
			seen["reviewer"] = seen["reviewer"] || strings.Contains(last, "Write the messages in Spanish.")
		}
	}
	for _, agent := range []string{"interviewer", "drafter", "reviewer"} {
		if !seen[agent] {
			t.Errorf("the %s's prompt does not ask for Spanish", agent)
		}
	}
}

// TestInterviewerPromptExampleIsAValidReply: the system prompt's example
// is a whole reply a small model can copy the shape of: valid JSON, every
// field of the reply and nothing else.
func TestInterviewerPromptExampleIsAValidReply(t *testing.T) {
	lines := strings.Split(interviewerSystem, "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "{") {
		t.Fatalf("no JSON example on the second line:\n%s", interviewerSystem)
	}
	dec := json.NewDecoder(strings.NewReader(lines[1]))
	dec.DisallowUnknownFields()
	var r interviewReply
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("the example is not a reply: %v", err)
	}
	var raw map[string]map[string]any
	json.Unmarshal([]byte(strings.Replace(lines[1], `"facts":[`, `"f":[`, 1)), &raw)
	if len(r.Facts) != 1 || r.Facts[0].Origin != "stated" || r.Next == nil || r.Next.Question == "" || len(raw["next"]) != 5 {
		t.Errorf("the example leaves out fields: %+v %+v", r.Facts, r.Next)
	}
}

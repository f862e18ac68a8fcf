package interview

import (
	"context"
	"os"
	"path/filepath"
	"strings"
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
			if _, err := r.eng.Edit("fees"); err != nil {
				t.Fatal(err)
			}
			if _, err := r.eng.Answer(context.Background(), typed); err != nil {
				t.Fatal(err)
			}
			ev := waitFor(t, r.eng, func(ev Event) bool { q, ok := ev.(QuestionEvent); return ok && q.Notice != "" }).(QuestionEvent)
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
			if inv := investment(r.eng.Markdown()); !strings.Contains(inv, "| **Total** | **€82.000** |") || strings.Contains(inv, "€86.500") {
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
	if _, err := r.eng.Answer(context.Background(), typed); err != nil {
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
	if md := r.eng.Markdown(); !strings.Contains(md, "| **Total** | **€86.500** |") {
		t.Fatalf("seeded:\n%s", md)
	}
	armed.set("on")
	r.eng.Edit("fees")
	if _, err := r.eng.Answer(context.Background(), "Diagnose: €24.000\nRedesign: €28.000"); err != nil {
		t.Fatal(err)
	}
	r.eng.Wait()
	path, err := r.eng.Export(ExportRequest{Format: proposal.Formats[0], Path: filepath.Join(t.TempDir(), "p.md"), IgnoreBlockers: true})
	if err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(path)
	if inv := investment(string(md)); !strings.Contains(inv, "| **Total** | **€52.000** |") || strings.Contains(inv, "86.500") || strings.Contains(inv, "34.500") {
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
	if !strings.Contains(string(md), "| **Total** | **€86.500** |") || strings.Contains(string(md), "We propose \n") {
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

package proposal

import (
	"context"
	"strings"
	"testing"
)

func TestFiguresFindsAmountsPercentagesAndDates(t *testing.T) {
	text := "The total investment is €150.000, all due on 1 March 2027 (USD 4,500 travel, 20k in licences); " +
		"50% on signature, the rest by March 2027 or 2027-04-09. We run 12 workshops over 8 weeks in 2027."
	var got []string
	for _, f := range Figures(text) {
		got = append(got, string(f.Kind)+":"+f.Text)
	}
	want := []string{"date:1 March 2027", "date:March 2027", "date:2027-04-09", "percentage:50%",
		"amount:€150.000", "amount:USD 4,500", "amount:20k"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("figures\n got %v\nwant %v", got, want)
	}
}

// TestStrayFigures: what the facts hold, written any way, passes, and so do
// totals the code computed and the proposal's date; other figures do not.
func TestStrayFigures(t *testing.T) {
	tm := consulting(t)
	known := Known(tm, completeFacts(), today)
	ok := "We propose €24,000 for the diagnosis and €52.000 in all (the total below), payable in 30 days; " +
		"DSO below 40 by 30 September 2027, disputes under 2%, kick-off on 1 February 2027, dated 11 January 2027."
	if s := known.Stray(ok); len(s) != 0 {
		t.Errorf("figures the facts hold taken for strays: %v", FigureList(s))
	}
	bad := "The total investment is €150.000, all due on signature on 3 March 2027, with 35% up front."
	if got := FigureList(known.Stray(bad)); got != "3 March 2027, 35%, €150.000" {
		t.Errorf("strays = %q", got)
	}
}

func modelDraft(t *testing.T, facts Facts, prose map[string]string) Draft {
	t.Helper()
	tm := consulting(t)
	d := NewDraft(tm)
	values := FieldValues(tm, facts, today)
	for id, p := range prose {
		s := d.Section(id)
		s.Body, s.Inputs = p, Inputs(tm.Section(id), values, "llm")
	}
	return d
}

// TestAssembleRebuildsBlocksFromCurrentFacts: the model's prose is kept
// with the tables of the current facts; once the fees change, a section
// not redrafted since carries the standard wording with the new total,
// and says why.
func TestAssembleRebuildsBlocksFromCurrentFacts(t *testing.T) {
	tm := consulting(t)
	facts := completeFacts()
	d := modelDraft(t, facts, map[string]string{"investment": "We propose a fixed fee, set out below."})
	doc, falls := Assemble(tm, facts, today, d, "llm")
	inv := doc.Section("investment").Body
	if !strings.HasPrefix(inv, "We propose a fixed fee, set out below.\n\n| Item | Amount |") || !strings.Contains(inv, "| **Total** | **€52,000** |") {
		t.Errorf("investment:\n%s", inv)
	}
	for _, f := range falls {
		if f.Section == "investment" {
			t.Errorf("investment fell back: %+v", f)
		}
	}
	if got := doc.Section("situation").Body; !strings.HasPrefix(got, "This is our understanding of the situation at Acme") {
		t.Errorf("a section the model never drafted: %q", got)
	}

	facts["fees"] = Fact{Field: "fees", Value: "Diagnose: €24.000\nRedesign: €28.000\nEmbed: €30.000", Origin: Stated}
	doc, falls = Assemble(tm, facts, today, d, "llm")
	inv = doc.Section("investment").Body
	if strings.Contains(inv, "€52,000") || !strings.Contains(inv, "| **Total** | **€82,000** |") || strings.Contains(inv, "set out below") {
		t.Errorf("after the fee change:\n%s", inv)
	}
	if !hasFallback(falls, "investment", ReasonStale) || !hasFallback(falls, "situation", ReasonNeverDrafted) {
		t.Errorf("fallbacks %+v", falls)
	}
	// Offline: the drafting text on the current facts, with no notice.
	if _, falls := Assemble(tm, facts, today, d, "offline"); len(falls) != 0 {
		t.Errorf("offline fallbacks %+v", falls)
	}
}

func hasFallback(fs []Fallback, id, reason string) bool {
	for _, f := range fs {
		if f.Section == id && strings.HasPrefix(f.Reason, reason) {
			return true
		}
	}
	return false
}

// TestAssembleDropsProseWithStrayFigures: a model section that states its
// own total and date is not shown; the standard wording is.
func TestAssembleDropsProseWithStrayFigures(t *testing.T) {
	tm := consulting(t)
	facts := completeFacts()
	d := modelDraft(t, facts, map[string]string{"investment": "The total investment is €150.000, all due on 3 March 2027."})
	doc, falls := Assemble(tm, facts, today, d, "llm")
	inv := doc.Section("investment").Body
	if strings.Contains(inv, "150.000") || strings.Contains(inv, "3 March") || !strings.Contains(inv, "**€52,000**") {
		t.Errorf("investment:\n%s", inv)
	}
	if !hasFallback(falls, "investment", ReasonFigures+" (3 March 2027, €150.000)") {
		t.Errorf("fallbacks %+v", falls)
	}
}

// TestNumberMismatchRule: a figure in prose that no answer gives is a
// number-mismatch warning on its section; the offline draft of a complete
// proposal raises none (TestCompleteProposalHasNoFindings).
func TestNumberMismatchRule(t *testing.T) {
	tm := consulting(t)
	facts := completeFacts()
	d := draftAll(t, tm, facts)
	d.Section("investment").Body += "\n\nOur day rate is €1,450 and 15% is due on 1 April 2027.\n\n| Item | Amount |\n| Travel | €9.999 |"
	fs, _ := RuleReviewer{}.Review(context.Background(), ReviewRequest{Template: tm, Facts: facts, Draft: d, Today: today})
	var got []Finding
	for _, f := range fs {
		if f.Rule == RuleNumberMismatch {
			got = append(got, f)
		}
	}
	if len(got) != 1 || got[0].Section != "investment" || got[0].Severity != Warning ||
		got[0].Message != "The Investment section states 1 April 2027, 15%, €1,450, which none of the answers gives: correct the answer, or redraft the section." {
		t.Errorf("findings %+v", got)
	}
}

func TestReduceMarkdown(t *testing.T) {
	cases := []struct{ in, want string }{
		{"We *will* **deliver**.\n\n- one\n- two", "We *will* **deliver**.\n\n- one\n- two"},
		{"See [our site](https://example.com) or [mail](mailto:a@example.com).", "See [our site](https://example.com) or [mail](mailto:a@example.com)."},
		{"Click [here](javascript:alert(1)) now.", "Click here now."},
		{"A pixel ![](https://track.example/p.gif) here.", "A pixel  here."},
		{"Hello <script>alert(1)</script> there.", "Hello alert(1) there."},
		{"<div onclick=\"x\">\nblock html\n</div>\n\nAfter.", "After."},
		{"### Heading\n\nText.\n\n---\n\nMore.", "**Heading**\n\nText.\n\nMore."},
		{"Joined <scr<b></b>ipt>x</script>.", "Joined x."},
		{"1. first\n2. second", "1. first\n2. second"},
		{"Run `rm -rf <x>` later.", "Run rm -rf &lt;x&gt; later."},
	}
	for _, c := range cases {
		if got := ReduceMarkdown(c.in); got != c.want {
			t.Errorf("ReduceMarkdown(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

package proposal

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"propose/templates"
)

func consulting(t testing.TB) *templates.Template {
	t.Helper()
	set, errs := templates.Load(t.TempDir())
	if len(errs) > 0 {
		t.Fatalf("templates: %v", errs)
	}
	tm, ok := set.Get("consulting")
	if !ok {
		t.Fatal("no consulting template")
	}
	return tm
}

var today = time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)

// completeFacts is a complete, well-formed proposal: no rule may fire on it.
func completeFacts() Facts {
	v := map[string]string{
		"title":           "Order-to-Cash Turnaround",
		"client":          "Acme Components Ltd",
		"buyer":           "Maria Jensen, COO",
		"consultant":      "Northbridge Advisory",
		"date":            "2027-01-11",
		"situation":       "Order to cash has grown from 38 to 61 days since the ERP migration.",
		"trigger":         "The bank covenant review is in June.",
		"objectives":      "Bring order-to-cash back below 40 days\nCut shipment disputes",
		"measures":        "DSO below 40 by 30 September 2027\nDisputed invoices under 2%",
		"value":           "Releases €3.8 million of working capital.",
		"phases":          "Diagnose: trace 200 orders\nRedesign: agree new rules",
		"deliverables":    "Diagnostic report\nRedesigned process",
		"options":         "Diagnose only: findings: €24.000\nDiagnose and redesign: findings and the new rules: €52.000\nFull: everything: €86.500",
		"start":           "2027-02-01",
		"milestones":      "26 February 2027: Diagnostic presented\n2027-04-09: Redesign signed off",
		"client_provides": "A sponsor",
		"team":            "Tom Keller, lead",
		"pricing":         "fixed fee",
		"fees":            "Diagnose: €24.000\nRedesign: €28.000",
		"payment_terms":   "30 days",
		"expenses":        "At cost",
		"assumptions":     "Data is available in week one",
		"out_of_scope":    "ERP development",
		"risks":           "Peak season: interviews are booked in February",
		"validity":        "30 days",
		"terms":           "Standard terms apply.",

		"budget":           "€40.000 to €60.000",
		"decision_date":    "2027-01-25",
		"alternatives":     "Doing nothing\nAnother firm",
		"cost_of_inaction": "Each extra day of order-to-cash ties up about €62.000.",
		"why_us":           "We have fixed the same process at two clients after their ERP migration.",
		"payment_schedule": "Signature of this proposal: 30%\nRedesign signed off: 70%",
	}
	f := Facts{}
	for k, s := range v {
		f[k] = Fact{Field: k, Value: s, Origin: Stated, Turn: 1}
	}
	return f
}

func review(t *testing.T, tm *templates.Template, facts Facts) []Finding {
	t.Helper()
	d := draftAll(t, tm, facts)
	fs, err := RuleReviewer{}.Review(context.Background(), ReviewRequest{Template: tm, Facts: facts, Draft: d, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func draftAll(t testing.TB, tm *templates.Template, facts Facts) Draft {
	t.Helper()
	d := NewDraft(tm)
	values := FieldValues(tm, facts, today)
	for i := range tm.Sections {
		s := &tm.Sections[i]
		if !HasContent(s, facts) {
			continue
		}
		body, err := OfflineDrafter{}.DraftSection(context.Background(), DraftRequest{Template: tm, Section: s, Facts: facts, Values: values, Today: today}, nil)
		if err != nil {
			t.Fatal(err)
		}
		d.Sections[i].Body = body
		d.Sections[i].Fields = FedBy(s, facts)
	}
	return d
}

func TestCompleteProposalHasNoFindings(t *testing.T) {
	tm := consulting(t)
	if fs := review(t, tm, completeFacts()); len(fs) != 0 {
		t.Fatalf("a complete proposal raised findings (false alarms): %+v", fs)
	}
}

func TestRules(t *testing.T) {
	tm := consulting(t)
	cases := []struct {
		name     string
		change   map[string]string // "" deletes the fact
		rule     string
		severity Severity
		field    string
	}{
		{"missing required", map[string]string{"fees": ""}, "missing-required", Blocker, "fees"},
		{"placeholder in answer", map[string]string{"situation": "Growth is TBD"}, "placeholder", Blocker, "situation"},
		{"placeholder insert", map[string]string{"team": "[insert name], lead"}, "placeholder", Blocker, "team"},
		{"placeholder question marks", map[string]string{"trigger": "Covenant review ??"}, "placeholder", Blocker, "trigger"},
		{"placeholder lorem", map[string]string{"terms": "Lorem ipsum dolor"}, "placeholder", Blocker, "terms"},
		{"no measure measurable", map[string]string{"measures": "Happier customers\nBetter process"}, "unmeasurable-success", Blocker, "measures"},
		{"one measure weak", map[string]string{"measures": "DSO below 40 days\nBetter process"}, "unmeasurable-success", Warning, "measures"},
		{"no fee amounts", map[string]string{"fees": "Diagnose: to be agreed"}, "no-fees", Blocker, "fees"},
		{"fee without amount", map[string]string{"fees": "Diagnose: €24.000\nTravel: at cost", "budget": "not discussed"}, "fee-without-amount", Warning, "fees"},
		{"objective is task", map[string]string{"objectives": "Conduct interviews with staff\nCut disputes"}, "objective-is-task", Warning, "objectives"},
		{"objective is deliverable", map[string]string{"objectives": "A report on the order process"}, "objective-is-task", Warning, "objectives"},
		{"no out of scope", map[string]string{"out_of_scope": ""}, "no-out-of-scope", Warning, "out_of_scope"},
		{"value without number", map[string]string{"value": "Much better cash flow"}, "value-unquantified", Warning, "value"},
		{"value missing", map[string]string{"value": ""}, "value-unquantified", Warning, "value"},
		{"milestones unordered", map[string]string{"milestones": "2027-04-09: Redesign\n26 February 2027: Diagnostic"}, "milestones-out-of-order", Warning, "milestones"},
		{"milestone before start", map[string]string{"milestones": "2027-01-20: Kick-off"}, "milestone-before-start", Warning, "milestones"},
		{"placeholder brackets", map[string]string{"deliverables": "Diagnostic report\n[placeholder]"}, "placeholder", Blocker, "deliverables"},
		{"placeholder angle", map[string]string{"team": "<name>, lead"}, "placeholder", Blocker, "team"},
		{"placeholder braces", map[string]string{"situation": "Order to cash is {{days}} days."}, "placeholder", Blocker, "situation"},
		{"placeholder insert words", map[string]string{"buyer": "Insert name here, COO"}, "placeholder", Blocker, "buyer"},
		{"risk without mitigation", map[string]string{"risks": "Peak season starts in October"}, "risk-without-mitigation", Warning, "risks"},
		{"no payment terms", map[string]string{"payment_terms": "", "payment_schedule": ""}, "no-payment-terms", Warning, "payment_terms"},
		{"no team", map[string]string{"team": ""}, "no-team", Warning, "team"},
		{"fee unparsed", map[string]string{"fees": "Diagnose: €24.000\nRedesign: €1e308", "budget": "not discussed"}, "fee-unparsed", Blocker, "fees"},
		{"payment terms sum", map[string]string{"payment_terms": "30% on signature, 40% on completion"}, "payment-terms-sum", Blocker, "payment_terms"},
		{"stale payment figure", map[string]string{"payment_terms": "30% on signature (€51.525), 70% on completion"}, "stale-figure", Blocker, "payment_terms"},
		{"option mismatch", map[string]string{"fees": "Diagnose: €24.000\nRedesign: €28.000\nExtra: €124.250", "budget": "not discussed"}, "option-mismatch", Blocker, "fees"},
		{"choice not offered", map[string]string{"pricing": "whatever suits"}, "choice-not-offered", Warning, "pricing"},
		{"date unparsed", map[string]string{"start": "next March"}, "date-unparsed", Warning, "start"},
		{"date in past", map[string]string{"start": "2026-12-01", "decision_date": ""}, "date-in-past", Warning, "start"},
		{"single option", map[string]string{"options": ""}, "single-option", Suggestion, "options"},

		// Discovery (internal): the budget, the decision date, the alternatives.
		{"no option within budget", map[string]string{"budget": "€10.000 to €20.000"}, "outside-budget", Warning, "options"},
		{"fees above budget", map[string]string{"budget": "up to €50.000", "options": "Lean: findings: €24.000\nFull: everything: €52.000"}, "outside-budget", Warning, "fees"},
		{"fees below budget", map[string]string{"budget": "€60.000 to €90.000", "options": "Lean: findings: €52.000\nFull: everything: €86.500"}, "below-budget", Suggestion, "fees"},
		{"no budget", map[string]string{"budget": ""}, "no-budget", Suggestion, "budget"},
		{"expires before decision", map[string]string{"validity": "This proposal is valid until 20 January 2027."}, "expires-before-decision", Warning, "validity"},
		{"validity span before decision", map[string]string{"decision_date": "2027-01-30", "validity": "Valid for 14 days.", "start": "2027-02-15",
			"milestones": "26 February 2027: Diagnostic presented\n2027-04-09: Redesign signed off"}, "expires-before-decision", Warning, "validity"},
		{"starts before decision", map[string]string{"start": "2027-01-20"}, "starts-before-decision", Warning, "start"},
		{"weighs doing nothing", map[string]string{"cost_of_inaction": ""}, "inaction-unanswered", Warning, "cost_of_inaction"},
		{"weighs another firm", map[string]string{"why_us": ""}, "why-us-unanswered", Warning, "why_us"},
		{"payment schedule short", map[string]string{"payment_schedule": "Signature: 30%\nRedesign signed off: 40%"}, "payment-schedule-sum", Blocker, "payment_schedule"},
		{"payment schedule over", map[string]string{"payment_schedule": "Signature: 60%\nRedesign signed off: 70%"}, "payment-schedule-sum", Blocker, "payment_schedule"},
		{"placeholder in discovery is no blocker", map[string]string{"previous_attempts": "TBD", "budget": "TBD", "options": ""}, "single-option", Suggestion, "options"},
		{"rates without estimate", map[string]string{"pricing": "time and materials", "fees": "Partner: €1.800 a day\nAnalyst: €900 a day", "payment_schedule": ""}, "rates-without-estimate", Warning, "fees"},
		{"fees over an approval limit", map[string]string{"decision_makers": "Sam signs; the CFO approves anything over €30.000"}, "fees-over-approval-limit", Warning, "fees"},
		{"fees within an approval limit", map[string]string{"decision_makers": "Sam signs; the CFO approves anything over €60.000", "options": ""}, "single-option", Suggestion, "options"},
		{"payment without share", map[string]string{"payment_schedule": "Signature: 100%\nRedesign signed off"}, "payment-without-share", Warning, "payment_schedule"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			facts := completeFacts()
			for k, v := range c.change {
				if v == "" {
					delete(facts, k)
				} else {
					facts[k] = Fact{Field: k, Value: v, Origin: Stated}
				}
			}
			fs := review(t, tm, facts)
			var hit *Finding
			for i := range fs {
				if fs[i].Rule == c.rule {
					hit = &fs[i]
					break
				}
			}
			if hit == nil {
				t.Fatalf("rule %s did not fire; findings: %+v", c.rule, fs)
			}
			if hit.Severity != c.severity || hit.Field != c.field || hit.Section == "" || hit.Message == "" {
				t.Errorf("finding = %+v, want severity %s field %s with a section and a message", *hit, c.severity, c.field)
			}
			for _, f := range fs {
				if f.Rule != c.rule {
					t.Errorf("unrelated finding %+v", f)
				}
			}
		})
	}
}

func TestMissingFeesIsNotAlsoNoFees(t *testing.T) {
	tm := consulting(t)
	facts := completeFacts()
	delete(facts, "fees")
	for _, f := range review(t, tm, facts) {
		if f.Rule == "no-fees" {
			t.Fatalf("no-fees repeats missing-required: %+v", f)
		}
	}
}

func TestIsTask(t *testing.T) {
	for _, s := range []string{"Conduct interviews", "deliver a report", "To run three workshops", "A roadmap for 2027", "Workshops with leaders"} {
		if !IsTask(s) {
			t.Errorf("IsTask(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"Reduce churn by 10%", "Bring order-to-cash below 40 days", "Grow revenue in Spain", "Faster month-end close"} {
		if IsTask(s) {
			t.Errorf("IsTask(%q) = true, want false", s)
		}
	}
}

func TestMergeDropsDuplicates(t *testing.T) {
	rules := []Finding{{Rule: "no-fees", Field: "fees", Message: "No fee line has an amount."}}
	llm := []Finding{
		{Rule: "no-fees", Field: "fees", Message: "Fees are missing amounts."},
		{Rule: "weak-situation", Field: "situation", Message: "The situation does not say what it costs."},
	}
	got := Merge(rules, llm)
	if len(got) != 2 || got[1].Rule != "weak-situation" {
		t.Fatalf("Merge = %+v", got)
	}
}

func TestDraftTablesAndTotals(t *testing.T) {
	tm := consulting(t)
	d := draftAll(t, tm, completeFacts())
	md := Markdown(CoverOf(tm, completeFacts(), today), d)
	for _, want := range []string{
		"# Order-to-Cash Turnaround",
		"**Prepared for:** Acme Components Ltd",
		"| Diagnose | €24,000 |", // typed "€24.000": the English document's marks
		"| **Total** | **€52,000** |",
		"| Diagnose only | findings | €24,000 |",
		"26 February 2027",
		"- Bring order-to-cash back below 40 days",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("draft lacks %q\n%s", want, md)
		}
	}
	if strings.Contains(md, "<no value>") {
		t.Errorf("draft shows <no value>:\n%s", md)
	}
}

func TestEmptyOptionalSectionsAreLeftOut(t *testing.T) {
	tm := consulting(t)
	facts := completeFacts()
	delete(facts, "client_provides")
	delete(facts, "team")
	d := draftAll(t, tm, facts)
	md := Markdown(CoverOf(tm, facts, today), d)
	if title := tm.Section("accountabilities").Title; strings.Contains(md, "## "+title) {
		t.Errorf("empty section %q drafted:\n%s", title, md)
	}
}

func TestAssumedFactIsMarked(t *testing.T) {
	tm := consulting(t)
	facts := completeFacts()
	facts["validity"] = Fact{Field: "validity", Value: "This proposal is valid for 30 days.", Origin: Assumed}
	md := Markdown(CoverOf(tm, facts, today), draftAll(t, tm, facts))
	if !strings.Contains(md, "valid for 30 days."+AssumptionMark) {
		t.Errorf("assumption not marked:\n%s", md)
	}
}

func TestMarkdownExportIsSanitised(t *testing.T) {
	tm := consulting(t)
	facts := completeFacts()
	evil := "Acme\x1b[2J\x1b]0;pwned\x07 Ltd\x1b]52;c;ZXZpbA==\x07 \u202eévil 東京 😀"
	facts["client"] = Fact{Field: "client", Value: evil, Origin: Stated}
	facts["situation"] = Fact{Field: "situation", Value: "Line\x1bP1$r\x1b\\ two\x00", Origin: Stated}
	md := Markdown(CoverOf(tm, facts, today), draftAll(t, tm, facts))
	for _, bad := range []string{"\x1b", "\x07", "\x00", "\u202e", "pwned", "ZXZpbA"} {
		if strings.Contains(md, bad) {
			t.Errorf("export contains %q", bad)
		}
	}
	for _, good := range []string{"Acme Ltd évil 東京 😀", "Line two"} {
		if !strings.Contains(md, good) {
			t.Errorf("export lost printable text %q", good)
		}
	}
}

// placeholderSlow is Placeholder without the quick scan: the regexp tried
// at every position over the whole rest of the text.
func placeholderSlow(s string) string {
	for p := 0; p < len(s); p++ {
		if m := placeholderAt(s, p); m != "" {
			return m
		}
	}
	return ""
}

// TestPlaceholderMatchesTheRegexp: the quick scan finds what the regexp
// finds, wherever it is and whatever surrounds it.
func TestPlaceholderMatchesTheRegexp(t *testing.T) {
	pieces := []string{"t", "T", "b", "d", "D", "c", "o", "O", "x", "X", "f", "i", "m", "e", "l", "r", "p", "s", "u",
		" ", "_", "-", "\n", "[", "]", "<", ">", "{", "}", "(", "@", "1", "?", "ſ", "K", "é", "9", "tbd", "TODO", "xxx", "XxXx", "fixme", "lorem ipsum",
		"lorem ipſum", "[insert", "[INSERT", "??", "Lorem Ipsum", "todox", "xtbd", "insert ", "name", "the ", "{{", "}}", "br"}
	rng := rand.New(rand.NewPCG(6, 9))
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		for k := rng.IntN(12); k >= 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := Placeholder(s), placeholderSlow(s); got != want {
			t.Fatalf("Placeholder(%q) = %q, the regexp finds %q", s, got, want)
		}
	}
	// On long text (where the slow way is too slow to compare with) the
	// scan still finds a placeholder at the very end.
	long := strings.Repeat("Today the total is 61 days; to do: nothing, [1] <40 days. ", 4000)
	xs := " " + strings.Repeat("x", 62) + " end"
	for tail, want := range map[string]string{"": "", " TBD.": "TBD", xs: strings.TrimSuffix(strings.TrimSpace(xs), " end"),
		" [Insert name]": "[Insert name]", " <client name>": "<client name>", " insert the client's name": "insert the client's name"} {
		if got := Placeholder(long + tail); got != want {
			t.Errorf("on 200 KB ending %q: %q, want %q", tail, got, want)
		}
	}
}

func TestPlaceholderShapes(t *testing.T) {
	for _, s := range []string{"[placeholder]", "See [client name] here", "<date>", "{{amount}}", "XXX", "???", "Lorem ipsum dolor",
		"Insert name here", "insert the client's name", "[…]", "TODO: the fee", "tbd"} {
		if Placeholder(s) == "" {
			t.Errorf("Placeholder(%q) found nothing", s)
		}
	}
	for _, s := range []string{"See [1] and [2]", "[the guide](https://example.com)", "DSO <40 days and >30 customers", "Mail <tom@acme.com>",
		"Line one<br>line two", "We insert controls in the process", "Total: €52.000", "Peak season: interviews in February",
		"Todo el equipo de finanzas participa", "todo o grupo", "Tom has a todo list"} {
		if p := Placeholder(s); p != "" {
			t.Errorf("Placeholder(%q) = %q, want nothing: it is not a placeholder", s, p)
		}
	}
}

// BenchmarkReviewPastedBrief: the rule review of a proposal whose situation
// is a pasted 4 MB brief, as after every answer in the interview.
func BenchmarkReviewPastedBrief(b *testing.B) {
	tm := consulting(b)
	facts := completeFacts()
	brief := strings.Repeat("Order to cash has grown from 38 to 61 days since the ERP migration, and the total fee of €4.500 ties up cash. ", 36000)
	facts["situation"] = Fact{Field: "situation", Value: brief, Origin: Stated}
	d := draftAll(b, tm, facts)
	req := ReviewRequest{Template: tm, Facts: facts, Draft: d, Today: today}
	b.ResetTimer()
	for range b.N {
		if _, err := (RuleReviewer{}).Review(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}

package proposal

import (
	"strings"
	"testing"
)

func TestScheduleFromTheCurrentTotal(t *testing.T) {
	total := Totals(ParseFees("Diagnose: €24.000\nRedesign: €28.000\nEmbed: €34.500"))[0]
	got := ScheduleText("30% on signature, 40% when the redesign is signed off, 30% on handover; invoices due in 30 days.", total)
	want := "30% (€25.950) on signature, 40% (€34.600) when the redesign is signed off, 30% (€25.950) on handover; invoices due in 30 days."
	if got != want {
		t.Fatalf("ScheduleText =\n%s\nwant\n%s", got, want)
	}
}

func TestScheduleAddsUpToTheTotal(t *testing.T) {
	p := ParsePaymentTerms("33.33% now, 33.33% at midpoint, 33.34% at the end")
	amounts := p.Schedule(100001)
	var sum Amount
	for _, a := range amounts {
		sum += a
	}
	if sum != 100001 {
		t.Fatalf("schedule %v adds up to %d, want the total 100001", amounts, sum)
	}
}

func TestPaymentTermsReading(t *testing.T) {
	cases := []struct {
		text    string
		sum     int64
		balance bool
		written []string
	}{
		{"50% on signature, 25% when the target process is signed off and 25% when the pilot is live. Invoices are payable within 30 days.", 10000, false, nil},
		{"50% on signature and the balance on completion; late payments bear interest of 8% a year.", 5000, true, nil},
		{"30% on signature (€51.525), 70% on completion", 10000, false, []string{"€51.525"}},
		{"30% on signature (€51.525), 40% when the redesign is signed off, 30% on handover", 10000, false, []string{"€51.525"}},
		{"€25.950 (30%) on signature, €60.550 (70%) on completion", 10000, false, []string{"€25.950", "€60.550"}},
		{"A 2% discount applies to invoices paid within 10 days. 100% on completion.", 10000, false, nil},
		{"Monthly in advance; invoices payable in 14 days.", 0, false, nil},
		{"Half on signature, half on completion.", 0, false, nil},
	}
	for _, c := range cases {
		p := ParsePaymentTerms(c.text)
		if p.Sum() != c.sum || p.Balance != c.balance {
			t.Errorf("%q: sum %d balance %v, want %d %v (shares %+v)", c.text, p.Sum(), p.Balance, c.sum, c.balance, p.Shares)
		}
		var written []string
		for _, s := range p.Shares {
			if s.HasWritten {
				written = append(written, s.WrittenText)
				if s.Percent != 3000 && s.WrittenText == "€51.525" {
					t.Errorf("%q: €51.525 given to the %d share, not the 30%% one before it", c.text, s.Percent)
				}
			}
		}
		if strings.Join(written, "|") != strings.Join(c.written, "|") {
			t.Errorf("%q: written amounts %q, want %q", c.text, written, c.written)
		}
	}
}

// TestDraftShowsScheduleAmounts: the offline draft of the investment section
// shows each share's amount, and they follow the fees when those change.
func TestDraftShowsScheduleAmounts(t *testing.T) {
	tm := consulting(t)
	facts := completeFacts()
	facts["payment_terms"] = Fact{Field: "payment_terms", Value: "30% on signature, 70% on completion.", Origin: Stated}
	md := Markdown(CoverOf(tm, facts, today), draftAll(t, tm, facts))
	if !strings.Contains(md, "30% (€15.600) on signature, 70% (€36.400) on completion.") {
		t.Fatalf("draft lacks the computed schedule for a €52.000 total:\n%s", md)
	}
	facts["fees"] = Fact{Field: "fees", Value: "Diagnose: €24.000\nRedesign: €76.000", Origin: Stated}
	md = Markdown(CoverOf(tm, facts, today), draftAll(t, tm, facts))
	if !strings.Contains(md, "30% (€30.000) on signature, 70% (€70.000) on completion.") {
		t.Fatalf("after the fees changed, the draft lacks the schedule for €100.000:\n%s", md)
	}
}

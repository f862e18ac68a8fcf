package proposal

import (
	"strings"
	"testing"
)

// TestEnglishDocumentWritesEnglishMarks: fees typed continental-style
// ("€24.000") in an English proposal are read as twenty-four thousand and
// printed "€24,000" in every table, total and schedule, and the prose keeps
// the English "€2.1 million" instead of taking the fee lines' marks
// ("€2,1 million"). The language decides which mark is the decimal.
func TestEnglishDocumentWritesEnglishMarks(t *testing.T) {
	tm := consulting(t)
	facts := completeFacts() // fees "Diagnose: €24.000\nRedesign: €28.000", options "€86.500"
	facts["value"] = Fact{Field: "value", Value: "Releasing €2.1 million of working capital and saving €35,000 a year.", Origin: Stated}
	doc, _ := Assemble(tm, facts, today, draftAll(t, tm, facts), "offline")
	md := Markdown(CoverOf(tm, facts, today), doc)
	for _, want := range []string{"| Diagnose | €24,000 |", "| **Total** | **€52,000** |", "| Full | everything | €86,500 |",
		"€2.1 million", "€35,000 a year", "| Signature of this proposal | 30% | €15,600 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("the English document lacks %q", want)
		}
	}
	for _, bad := range []string{"€24.000", "€52.000", "€86.500", "€2,1 million", "€35.000", "€15.600"} {
		if strings.Contains(md, bad) {
			t.Errorf("the English document writes %q", bad)
		}
	}
}

// TestAmountsTakeTheLanguagesMarks: marks that read the other way in the
// language are swapped for the language's; marks no language reads as a
// decimal (a space, an apostrophe) and small amounts typed with none are
// kept as typed.
func TestAmountsTakeTheLanguagesMarks(t *testing.T) {
	for _, c := range []struct{ tag, in, want string }{
		{"en", "€24.000", "€24,000"},
		{"en", "€24.000,50 a month", "€24,000.50 a month"},
		{"en", "€24,000", "€24,000"},
		{"en", "€24 000", "€24 000"},
		{"en", "CHF 24'000", "CHF 24'000"},
		{"en", "€2,5 a day", "€2.50 a day"}, // money is written with its cents
		{"en", "€950", "€950"},
		{"de", "€24,000", "€24.000"},
		{"de", "24.000,50 €", "24.000,50 €"},
		{"de", "CHF 24'000.50", "CHF 24'000.50"}, // Swiss: unambiguous, kept
		{"es", "$18,000.50", "$18.000,50"},
		{"fr", "24.000 €", "24.000 €"},
		{"fr", "24,000.50 €", "24\u202f000,50 €"},
		{"en", "3 workshops over 8.000 hours", "3 workshops over 8.000 hours"}, // no currency: not money
	} {
		if got := amountsInLanguage(catalog(t, c.tag), c.in); got != c.want {
			t.Errorf("%s %q = %q, want %q", c.tag, c.in, got, c.want)
		}
	}
	// The fee table and its total, in German, of lines typed the English way.
	md := FeeTableIn(catalog(t, "de"), ParseFees("Analyse: €18,000\nNeugestaltung: €21,000"))
	if !strings.Contains(md, "| Analyse | €18.000 |") || !strings.Contains(md, "**€39.000**") {
		t.Errorf("German fee table:\n%s", md)
	}
}

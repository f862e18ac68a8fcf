package proposal

import (
	"testing"
)

func TestParseFeeLine(t *testing.T) {
	cases := []struct {
		line     string
		item     string
		amount   Amount
		has      bool
		currency string
		period   string
		written  string
	}{
		{"Diagnóstico: €12.500", "Diagnóstico", 1250000, true, "EUR", "", "€12.500"},
		{"Design: EUR 18,000.50", "Design", 1800050, true, "EUR", "", "EUR 18,000.50"},
		{"Workshop: $4,500", "Workshop", 450000, true, "USD", "", "$4,500"},
		{"Retainer: 3 000 € / month", "Retainer", 300000, true, "EUR", "/ month", "3 000 € / month"},
		{"- Build: 1.234,56 EUR", "Build", 123456, true, "EUR", "", "1.234,56 EUR"},
		{"Coaching: £950 per day", "Coaching", 95000, true, "GBP", "per day", "£950 per day"},
		{"Phase 1: Diagnostic: €12k", "Phase 1: Diagnostic", 1200000, true, "EUR", "", "€12,000"},
		{"Travel: at cost", "Travel", 0, false, "", "", ""},
		{"Analysis: 12,5 EUR", "Analysis", 1250, true, "EUR", "", "12,50 EUR"},
		{"Discovery 4500", "Discovery 4500", 0, false, "", "", ""},
		{"Discovery — €4500", "Discovery", 450000, true, "EUR", "", "€4500"},
		{"Licences: 2.000", "Licences", 200000, true, "", "", "2.000"},
		{"Support: CHF 1'200", "Support", 120000, true, "CHF", "", "CHF 1'200"},
	}
	for _, c := range cases {
		t.Run(c.line, func(t *testing.T) {
			got := ParseFeeLine(c.line)
			if got.Item != c.item || got.HasAmount != c.has || got.Amount != c.amount ||
				got.Currency != c.currency || got.Period != c.period {
				t.Fatalf("ParseFeeLine(%q) = item %q amount %d has %v currency %q period %q; want %q %d %v %q %q",
					c.line, got.Item, got.Amount, got.HasAmount, got.Currency, got.Period,
					c.item, c.amount, c.has, c.currency, c.period)
			}
			if got.String() != c.written {
				t.Errorf("written back as %q, want %q", got.String(), c.written)
			}
		})
	}
}

func TestTotalsInUsersNotation(t *testing.T) {
	cases := []struct {
		name  string
		lines string
		want  []string
	}{
		{"euro dots", "Diagnóstico: €12.500\nDesign: €18.000\nTravel: at cost", []string{"€30.500"}},
		{"dollars", "Workshop: $4,500\nFollow-up: $1,250.50", []string{"$5,750.50"}},
		{"code prefix", "Design: EUR 18,000.50\nBuild: EUR 2,000", []string{"EUR 20,000.50"}},
		{"space groups", "Retainer: 3 000 € / month\nExtra: 500 € / month", []string{"3 500 € / month"}},
		{"mixed periods", "Set-up: €5.000\nRetainer: €2.000 per month", []string{"€5.000", "€2.000 per month"}},
		{"mixed currencies", "A: $100\nB: €200\nC: $50", []string{"$150", "€200"}},
		{"no grouping written", "A: €4500\nB: €6500", []string{"€11,000"}},
		{"comma decimals", "A: 1.000,50 €\nB: 2.000,25 €", []string{"3.000,75 €"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			totals := Totals(ParseFees(c.lines))
			var got []string
			for _, tt := range totals {
				got = append(got, tt.String())
			}
			if len(got) != len(c.want) {
				t.Fatalf("totals = %q, want %q", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("total %d = %q, want %q", i, got[i], c.want[i])
				}
			}
		})
	}
}

func TestFeeLinesWithoutAmountAreKept(t *testing.T) {
	lines := ParseFees("Diagnostic: €10.000\nTravel: at cost\n\n- Licences")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3 (empty line dropped, others kept)", len(lines))
	}
	if lines[1].HasAmount || lines[2].HasAmount {
		t.Errorf("lines without amount parsed as having one: %+v", lines)
	}
	if lines[2].Item != "Licences" {
		t.Errorf("item = %q", lines[2].Item)
	}
}

func FuzzParseFeeLine(f *testing.F) {
	for _, s := range []string{"Diagnóstico: €12.500", "Design: EUR 18,000.50", "Workshop: $4,500",
		"Retainer: 3 000 € / month", "x: 99999999999999999999", ": : :", "€", "1.2.3,4,5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l := ParseFeeLine(s)
		if l.HasAmount {
			if l.Amount < 0 {
				t.Fatalf("negative amount from %q", s)
			}
			_ = l.String()
			// The written form parses back to the same amount.
			back := ParseFeeLine("x: " + l.Notation.Format(l.Amount))
			if !back.HasAmount || back.Amount != l.Amount {
				t.Fatalf("%q: amount %d written %q reads back as %d", s, l.Amount, l.Notation.Format(l.Amount), back.Amount)
			}
		}
		_ = Totals([]FeeLine{l, l})
	})
}

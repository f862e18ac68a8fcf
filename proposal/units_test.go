package proposal

import (
	"strings"
	"testing"
)

// TestFeeUnitsKeepTheirUnit: a fee charged by a unit ("per meeting", "a
// day") prints with its unit and is never added to one-off or monthly
// amounts, in every built-in language (reviewer: "€1,200 per meeting"
// printed as "€1,200" and totalled as a one-off).
func TestFeeUnitsKeepTheirUnit(t *testing.T) {
	for _, c := range []struct {
		tag, fees string
		cell      string // the rate line as it must print
		noTotal   string // no total row may carry this amount
	}{
		{"en", "Retainer: €6,500 a month\nBoard meeting attendance: €1,200 per meeting", "| Board meeting attendance | €1,200 per meeting |", "**€1,200"},
		{"en", "Diagnostic: €24,000\nWorkshop facilitation: €900 / participant", "| Workshop facilitation | €900 / participant |", "€24,900"},
		{"en", "Diagnostic: €24,000\nExtra days: €1,400 a day", "| Extra days | €1,400 a day |", "€25,400"},
		{"de", "Beratung: 6.500 € pro Monat\nSitzungsteilnahme: 1.200 € je Sitzung", "| Sitzungsteilnahme | 1.200 € je Sitzung |", "**1.200 €"},
		{"es", "Diagnóstico: 24.000 €\nSesión adicional: 1.200 € por sesión", "| Sesión adicional | 1.200 € por sesión |", "25.200 €"},
		{"fr", "Diagnostic : 24 000 €\nJournée supplémentaire : 1 400 € par jour", "| Journée supplémentaire | 1 400 € par jour |", "25 400 €"},
		{"it", "Diagnosi: 24.000 €\nGiornata aggiuntiva: 1.400 € al giorno", "| Giornata aggiuntiva | 1.400 € al giorno |", "25.400 €"},
		{"nl", "Diagnose: € 24.000\nExtra dag: € 1.400 per dag", "| Extra dag | € 1.400 per dag |", "€ 25.400"},
		{"pt", "Diagnóstico: 24.000 €\nDia adicional: 1.400 € por dia", "| Dia adicional | 1.400 € por dia |", "25.400 €"},
	} {
		md := FeeTableIn(catalog(t, c.tag), ParseFees(c.fees))
		if !strings.Contains(md, c.cell) {
			t.Errorf("%s: the rate lost its unit, want %q in\n%s", c.tag, c.cell, md)
		}
		if strings.Contains(md, c.noTotal) {
			t.Errorf("%s: the rate was added up (%q) in\n%s", c.tag, c.noTotal, md)
		}
	}
}

// TestRatesAreNotSummed: day rates of a time-and-materials engagement have
// no total (reviewer: "Total €2.700 a day" for Partner + Analyst); monthly
// lines still add up and a monthly fee in any language gets its year.
func TestRatesAreNotSummed(t *testing.T) {
	md := FeeTableIn(catalog(t, "en"), ParseFees("Partner: €1.800 per day\nAnalyst: €900 per day"))
	if strings.Contains(md, "2.700") || strings.Contains(md, "Total") {
		t.Errorf("day rates were added up:\n%s", md)
	}
	if got := Totals(ParseFees("Partner: €1.800 per day\nAnalyst: €900 / hour")); len(got) != 0 {
		t.Errorf("Totals of rates = %v, want none", got)
	}
	md = FeeTableIn(catalog(t, "en"), ParseFees("Retainer: €4,000 a month\nHosting: €500 / month"))
	if !strings.Contains(md, "**€4,500 a month**") || !strings.Contains(md, "**€54,000**") {
		t.Errorf("monthly lines are not added up with their year:\n%s", md)
	}
	md = FeeTableIn(catalog(t, "de"), ParseFees("Beratung: 6.500 € pro Monat"))
	if !strings.Contains(md, "**78.000 €**") {
		t.Errorf("a German monthly fee has no yearly total:\n%s", md)
	}
}

// TestRatesFollowTheTotals: a rate among fees that add up prints after the
// totals, so "Per year" is not read as covering the meetings.
func TestRatesFollowTheTotals(t *testing.T) {
	md := FeeTableIn(catalog(t, "en"), ParseFees("Board meeting attendance: €1,200 per meeting\nRetainer: €6,500 a month"))
	year, rate := strings.Index(md, "€78,000"), strings.Index(md, "per meeting")
	if year < 0 || rate < 0 || rate < year {
		t.Errorf("the rate does not follow the yearly total:\n%s", md)
	}
}

package proposal

import (
	"strings"
	"testing"
	"time"

	"propose/templates"
)

func catalog(t *testing.T, tag string) *templates.Catalog {
	t.Helper()
	c, ok := templates.BuiltinLanguages().Match(tag)
	if !ok {
		t.Fatalf("no catalog for %s", tag)
	}
	return c
}

// TestLongDatesAsTheLocaleWritesThem: month names from the locale, the day's
// ordinal form where the language has one (le 1er), each language's layout.
func TestLongDatesAsTheLocaleWritesThem(t *testing.T) {
	first := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	jan := time.Date(2027, 1, 11, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ tag, first, jan string }{
		{"en", "1 March 2027", "11 January 2027"},
		{"es", "1 de marzo de 2027", "11 de enero de 2027"},
		{"de", "1. März 2027", "11. Januar 2027"},
		{"fr", "1er mars 2027", "11 janvier 2027"},
		{"pt", "1 de março de 2027", "11 de janeiro de 2027"},
		{"it", "1 marzo 2027", "11 gennaio 2027"},
		{"nl", "1 maart 2027", "11 januari 2027"},
	} {
		w := catalog(t, c.tag)
		if got := FormatDateIn(w, first); got != c.first {
			t.Errorf("%s: %q, want %q", c.tag, got, c.first)
		}
		if got := FormatDateIn(w, jan); got != c.jan {
			t.Errorf("%s: %q, want %q", c.tag, got, c.jan)
		}
		// What the proposal writes, it reads back.
		for _, s := range []string{c.first, c.jan} {
			if d, ok := ParseDate(s); !ok || (d != first && d != jan) {
				t.Errorf("%s: ParseDate(%q) = %v, %v", c.tag, s, d, ok)
			}
		}
	}
}

// TestGermanDatesAreNotNumberedItems: "26. Februar 2027: …" is a date, not
// item 26 of a numbered list.
func TestGermanDatesAreNotNumberedItems(t *testing.T) {
	got := Items("26. Februar 2027: Analyse vorgestellt\n2. Zweiter Punkt")
	if len(got) != 2 || got[0] != "26. Februar 2027: Analyse vorgestellt" || got[1] != "Zweiter Punkt" {
		t.Errorf("Items = %q", got)
	}
}

// TestTotalsInTheUsersNotation: a total keeps the notation the fee lines were
// typed in where the language reads it the same way; marks that read the
// other way in the language ("€18,000" in Spanish is eighteen euros) and
// lines with no separators at all take the language's.
func TestTotalsInTheUsersNotation(t *testing.T) {
	for _, c := range []struct{ tag, fees, total string }{
		{"es", "Diagnóstico: 18.000 €\nRediseño: 21.000 €", "39.000 €"},
		{"es", "Diagnóstico: €18,000\nRediseño: €21,000", "€39.000"}, // typed the English way: Spanish marks
		{"es", "Diagnóstico: 18000 €\nRediseño: 21000 €", "39.000 €"},
		{"es", "Diagnóstico: 1800 €\nRediseño: 2100 €", "3900 €"}, // too small to group, as typed
		{"en", "Diagnose: €18000\nRedesign: €21000", "€39,000"},
		{"fr", "Diagnostic : 18000 €\nRefonte : 21000 €", "39\u202f000 €"},
		{"de", "Analyse: 1800,50 €\nNeugestaltung: 2100,25 €", "3900,75 €"},
	} {
		md := FeeTableIn(catalog(t, c.tag), ParseFees(c.fees))
		if !strings.Contains(md, "**"+c.total+"**") {
			t.Errorf("%s %q: total not %q in\n%s", c.tag, c.fees, c.total, md)
		}
	}
	if md := FeeTableIn(catalog(t, "fr"), ParseFees("Diagnostic : 18000 €\nRefonte : 21000 €")); !strings.Contains(md, "| Diagnostic | 18\u202f000 € |") {
		t.Errorf("French lines are not grouped the French way:\n%s", md)
	}
	md := FeeTableIn(catalog(t, "de"), ParseFees("Analyse: 1.000 €\nBetreuung: 500 € / month"))
	if !strings.Contains(md, "| Position | Betrag |") || !strings.Contains(md, "**Gesamt (EUR, month)**") {
		t.Errorf("German headers:\n%s", md)
	}
}

// TestAssumptionsFollowTheLanguage: an assumption stated in one language is
// written in the proposal's language, with the language's mark, after a
// change of language; the consultant's own wording is kept.
func TestAssumptionsFollowTheLanguage(t *testing.T) {
	set, _ := templates.Load("")
	base, _ := set.Get("consulting")
	_, f := base.Field("validity")
	facts := Facts{"validity": {Field: "validity", Value: f.Assume, Origin: Assumed}}
	de := base.In("de")
	_, fd := de.Field("validity")
	if got := RenderFieldIn(de, fd, facts, time.Now()); got != "Dieses Angebot ist 30 Tage ab Angebotsdatum gültig. *(Annahme)*" {
		t.Errorf("German: %q", got)
	}
	facts["validity"] = Fact{Field: "validity", Value: "Valid until Easter.", Origin: Assumed}
	if got := RenderFieldIn(de, fd, facts, time.Now()); got != "Valid until Easter. *(Annahme)*" {
		t.Errorf("own wording: %q", got)
	}
}

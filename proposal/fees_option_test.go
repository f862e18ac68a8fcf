package proposal

import (
	"strings"
	"testing"
)

// TestFeesNameTheirOption: with options at other prices, the investment
// section says which option the fees (and the payments computed from them)
// belong to, found by code from the fee total; it calls it recommended only
// when the marked option is the one whose price the fees add up to
// (reviewer: "the investment for this engagement" under two options).
func TestFeesNameTheirOption(t *testing.T) {
	tm := builtin(t, "consulting")
	facts := completeFacts() // fees add up to €52.000
	for _, c := range []struct {
		lang, options, want, not string
	}{
		{"en", "Lean: diagnostic: €24,000\nFull: diagnostic and redesign: €52,000", "These fees are for the option “Full”;", "recommended"},
		{"en", "Lean: diagnostic: €24,000\nFull (recommended): diagnostic and redesign: €52,000", "These fees are for the recommended option, “Full”;", "for the option “Full”"},
		{"en", "Lean (recommended): diagnostic: €24,000\nFull: diagnostic and redesign: €52,000", "These fees are for the option “Full”;", "recommended option"},
		{"de", "Schlank: Diagnose: 24.000 €\nVoll: Diagnose und Neugestaltung: 52.000 €", "Option „Voll“;", "empfohlene"},
		{"es", "Ligera: diagnóstico: 24.000 €\nCompleta: diagnóstico y rediseño: 52.000 €", "opción «Completa»;", "recomendada"},
		{"fr", "Légère : diagnostic : 24 000 €\nComplète : diagnostic et refonte : 52 000 €", "option «\u00a0Complète\u00a0»", "recommandée"},
		{"it", "Leggera: diagnosi: 24.000 €\nCompleta: diagnosi e riprogettazione: 52.000 €", "opzione «Completa»;", "raccomandata"},
		{"nl", "Licht: diagnose: € 24.000\nVolledig: diagnose en herontwerp: € 52.000", "optie “Volledig”;", "aanbevolen"},
		{"pt", "Leve: diagnóstico: 24.000 €\nCompleta: diagnóstico e redesenho: 52.000 €", "opção «Completa»;", "recomendada"},
	} {
		lt := tm.In(c.lang)
		facts["options"] = Fact{Field: "options", Value: c.options, Origin: Stated}
		doc, _ := Assemble(lt, facts, today, draftAll(t, lt, facts), "offline")
		got := doc.Section("investment").Body
		if !strings.Contains(got, c.want) || strings.Contains(got, c.not) {
			t.Errorf("%s %q: want %q and not %q in\n%s", c.lang, c.options, c.want, c.not, got)
		}
	}
}

// TestFeesForAnotherOptionThanRecommended: the fees add up to one option's
// price while another is marked recommended: the review asks which.
func TestFeesForAnotherOptionThanRecommended(t *testing.T) {
	tm := consulting(t)
	facts := completeFacts()
	facts["options"] = Fact{Field: "options", Value: "Lean (recommended): diagnostic: €24,000\nFull: diagnostic and redesign: €52,000", Origin: Stated}
	var hit *Finding
	for _, f := range review(t, tm, facts) {
		if f.Rule == "fees-not-recommended-option" {
			hit = &f
		}
	}
	if hit == nil || hit.Severity != Warning || hit.Field != "fees" || !strings.Contains(hit.Message, "Lean") || !strings.Contains(hit.Message, "Full") {
		t.Fatalf("finding = %+v, want a warning on fees naming Lean and Full", hit)
	}
}

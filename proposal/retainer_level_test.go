package proposal

import (
	"strings"
	"testing"
)

// TestRetainerFeesNameTheirLevel: with levels of access at different
// monthly fees, the retainer's fees say which level they are for (found by
// code from the monthly total), and call it recommended only when the
// marked level is that one, in every built-in language.
func TestRetainerFeesNameTheirLevel(t *testing.T) {
	tm := builtin(t, "retainer")
	_, answers := loadClean(t, "retainer")
	for _, c := range []struct {
		lang, tiers, fees, want, not string
	}{
		{"en", "Sounding board: a monthly call: £4,000 per month\nAdviser: every board meeting: £6,500 per month", "", "These fees are for the level “Adviser”;", "recommended"},
		{"en", "Sounding board: a monthly call: £4,000 per month\nAdviser (recommended): every board meeting: £6,500 per month", "", "These fees are for the recommended level, “Adviser”;", "for the level “Adviser”"},
		{"en", "Sounding board (recommended): a monthly call: £4,000 per month\nAdviser: every board meeting: £6,500 per month", "", "These fees are for the level “Adviser”;", "recommended level"},
		{"en", "Sounding board: a monthly call: £4,000 per month\nAdviser: every board meeting: £6,500 per month", "Monthly retainer: £7,000 per month", "", "These fees are for"},
		{"es", "Consulta: una llamada al mes: 4.000 £ al mes\nAsesor: cada consejo: 6.500 £ al mes", "Iguala mensual: 6.500 £ al mes", "corresponden al nivel «Asesor»;", "recomendado"},
		{"de", "Sparring: ein Anruf im Monat: 4.000 £ pro Monat\nBerater: jede Vorstandssitzung: 6.500 £ pro Monat", "Monatliches Honorar: 6.500 £ pro Monat", "gilt für die Stufe „Berater“;", "empfohlene"},
		{"fr", "Écoute : un appel par mois : 4 000 £ par mois\nConseil : chaque conseil : 6 500 £ par mois", "Honoraires mensuels : 6 500 £ par mois", "correspondent au niveau « Conseil » ;", "recommandé"},
		{"pt", "Consulta: uma chamada por mês: 4.000 £ por mês\nConselheiro: cada reunião: 6.500 £ por mês", "Avença mensal: 6.500 £ por mês", "correspondem ao nível «Conselheiro»;", "recomendado"},
		{"it", "Ascolto: una chiamata al mese: 4.000 £ al mese\nConsigliere: ogni consiglio: 6.500 £ al mese", "Compenso mensile: 6.500 £ al mese", "si riferiscono al livello «Consigliere»;", "raccomandato"},
		{"nl", "Klankbord: één gesprek per maand: £ 4.000 per maand\nAdviseur: elke bestuursvergadering: £ 6.500 per maand", "Maandelijks honorarium: £ 6.500 per maand", "geldt voor het niveau “Adviseur”;", "aanbevolen"},
	} {
		lt := tm.In(c.lang)
		a := map[string]string{}
		for k, v := range answers {
			a[k] = v
		}
		a["tiers"] = c.tiers
		if c.fees != "" {
			a["fees"] = c.fees
		}
		facts := corpusFacts(lt, a)
		doc, _ := Assemble(lt, facts, today, draftAll(t, lt, facts), "offline")
		got := doc.Section("fees").Body
		if c.want != "" && !strings.Contains(got, c.want) || strings.Contains(got, c.not) {
			t.Errorf("%s %q / %q: want %q and not %q in\n%s", c.lang, c.tiers, c.fees, c.want, c.not, got)
		}
	}
}

// TestRetainerFeesMatchNoLevel: monthly fees that are no level's fee are
// an option mismatch, as a project's fees that are no option's price are.
func TestRetainerFeesMatchNoLevel(t *testing.T) {
	tm := builtin(t, "retainer")
	_, answers := loadClean(t, "retainer")
	answers["fees"] = "Monthly retainer: £7,000 per month"
	var hit *Finding
	for _, f := range corpusReview(t, tm, corpusFacts(tm, answers)) {
		if f.Rule == "option-mismatch" {
			hit = &f
		}
	}
	if hit == nil || hit.Severity != Blocker || hit.Field != "fees" || !strings.Contains(hit.Message, "£7,000 per month") || !strings.Contains(hit.Message, "Adviser £6,500 per month") {
		t.Fatalf("finding = %+v, want an option-mismatch blocker naming the fees and the levels", hit)
	}
}

// TestRetainerFeesForAnotherLevelThanRecommended: the monthly fee is one
// level's while another is marked recommended: the review asks which.
func TestRetainerFeesForAnotherLevelThanRecommended(t *testing.T) {
	tm := builtin(t, "retainer")
	_, answers := loadClean(t, "retainer")
	answers["tiers"] = "Sounding board (recommended): a monthly call: £4,000 per month\nAdviser: every board meeting: £6,500 per month"
	var hit *Finding
	for _, f := range corpusReview(t, tm, corpusFacts(tm, answers)) {
		if f.Rule == "fees-not-recommended-option" {
			hit = &f
		}
	}
	if hit == nil || hit.Field != "fees" || !strings.Contains(hit.Message, "Adviser") || !strings.Contains(hit.Message, "Sounding board") || !strings.Contains(hit.Message, "level you recommend") {
		t.Fatalf("finding = %+v", hit)
	}
}

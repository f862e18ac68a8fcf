package proposal

import (
	"strings"
	"testing"
)

// TestRetainerTermTotal: a monthly retainer with an initial term other than
// twelve months also gives the total for the term, computed (reviewer: an
// 18-month term showed only "Per year €78,000"), in the proposal's language;
// a twelve-month term or a term with no readable length adds nothing.
func TestRetainerTermTotal(t *testing.T) {
	for _, c := range []struct {
		lang, fees, duration, want, not string
	}{
		{"en", "Retainer: €6,500 a month", "18 months from the start date, then month to month.", "| **Initial term (18 months)** | **€117,000** |", ""},
		{"en", "Retainer: €6,500 a month", "2 years", "| **Initial term (24 months)** | **€156,000** |", ""},
		{"en", "Retainer: €6,500 a month", "12 months", "", "Initial term"},
		{"en", "Retainer: €6,500 a month", "Until the board decides otherwise.", "", "Initial term"},
		{"en", "Retainer: €6,500 a month\nAudit: €5,000", "18 months", "", "Initial term"},
		{"de", "Beratung: 6.500 € pro Monat", "18 Monate ab Beginn", "| **Erstlaufzeit (18 Monate)** | **117.000 €** |", ""},
		{"es", "Asesoría: 6.500 € al mes", "18 meses", "| **Plazo inicial (18 meses)** | **117.000 €** |", ""},
		{"fr", "Conseil : 6 500 € par mois", "18 mois", "| **Durée initiale (18 mois)** | **117 000 €** |", ""},
		{"it", "Consulenza: 6.500 € al mese", "18 mesi", "| **Durata iniziale (18 mesi)** | **117.000 €** |", ""},
		{"nl", "Advies: € 6.500 per maand", "18 maanden", "| **Initiële looptijd (18 maanden)** | **€ 117.000** |", ""},
		{"pt", "Assessoria: 6.500 € por mês", "18 meses", "| **Prazo inicial (18 meses)** | **117.000 €** |", ""},
	} {
		tm := builtin(t, "retainer").In(c.lang)
		facts := stated("client", "Brandt & Partner GmbH", "fees", c.fees, "duration", c.duration)
		doc, _ := Assemble(tm, facts, today, draftAll(t, tm, facts), "offline")
		got := doc.Section("fees").Body
		if c.want != "" && !strings.Contains(got, c.want) || c.not != "" && strings.Contains(got, c.not) {
			t.Errorf("%s %q, %q: want %q, not %q in\n%s", c.lang, c.fees, c.duration, c.want, c.not, got)
		}
	}
}

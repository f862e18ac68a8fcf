package templates

import "testing"

// TestLabelledSentence: a phrase after a bold label ends with a full stop
// and starts with a capital; a bare figure or a date stays as it is.
func TestLabelledSentence(t *testing.T) {
	for in, want := range map[string]string{
		"**Expenses.** At cost, capped at $400":        "**Expenses.** At cost, capped at $400.",
		"**Gastos.** Al coste, con un máximo de 400 €": "**Gastos.** Al coste, con un máximo de 400 €.",
		"**Initial term.** until 31 December 2027":     "**Initial term.** Until 31 December 2027.",
		"**Initial term.** 12 months.":                 "**Initial term.** 12 months.",
		"**Participants.** 12":                         "**Participants.** 12",
		"**Date.** 4 March 2027":                       "**Date.** 4 March 2027",
		"**Beginn.** 1. Februar 2027":                  "**Beginn.** 1. Februar 2027",
		"**Fecha de inicio.** 1 de febrero de 2027":    "**Fecha de inicio.** 1 de febrero de 2027",
	} {
		if got := labelledSentence(in); got != want {
			t.Errorf("labelledSentence(%q) = %q, want %q", in, got, want)
		}
	}
}

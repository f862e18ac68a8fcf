package proposal

import (
	"strings"
	"testing"
)

// TestShortNameKeepsStopOnlyAtSentenceEnd: "Ejemplo Logística S.L." shortened
// mid-sentence loses the full stop of "S.L." in German, where a capital
// after it is a noun ("für Ejemplo Logística Folgendes wert"), and keeps it
// only where the sentence ends; in English a capital after it does end one.
func TestShortNameKeepsStopOnlyAtSentenceEnd(t *testing.T) {
	de := assembled(t, "consulting", "de", stated("client", "Ejemplo Logística S.L.", "buyer", "Lucía Fernández, Directora Financiera", "situation", "Ejemplo Logística S.L. liefert Aufträge aus.", "value", "Etwa 180.000 € pro Jahr.\n\nDazu kommt die Zeit der Buchhaltung."))
	all := ""
	for _, s := range de.Sections {
		all += s.Body + "\n\n"
	}
	if strings.Contains(all, "Logística. Folgendes") || !strings.Contains(all, "für Ejemplo Logística Folgendes") {
		t.Errorf("de keeps the stop of S.L. mid-sentence:\n%s", all)
	}
	ret := assembled(t, "retainer", "de", stated("client", "Brandt & Partner GmbH & Co. KG."))
	all = ""
	for _, s := range ret.Sections {
		all += s.Body + "\n\n"
	}
	if strings.Contains(all, "Partner. Folgendes") {
		t.Errorf("de retainer keeps the stop mid-sentence:\n%s", all)
	}
	if got, _ := shortenClient("Wir danken Ejemplo Logística S.L.", "Ejemplo Logística S.L.", "Ejemplo Logística", false, true); got != "Wir danken Ejemplo Logística." {
		t.Errorf("de end of paragraph: %q", got)
	}
	if got, _ := shortenClient("We thank Ejemplo Logística S.L. The team", "Ejemplo Logística S.L.", "Ejemplo Logística", false, false); got != "We thank Ejemplo Logística. The team" {
		t.Errorf("en sentence end: %q", got)
	}
	if got, _ := shortenClient("We thank Ejemplo Logística S.L. and its team", "Ejemplo Logística S.L.", "Ejemplo Logística", false, false); got != "We thank Ejemplo Logística and its team" {
		t.Errorf("en mid-sentence: %q", got)
	}
	if got, _ := shortenClient("Wir danken Ejemplo Logística S.L.\nDas Team", "Ejemplo Logística S.L.", "Ejemplo Logística", false, true); got != "Wir danken Ejemplo Logística.\nDas Team" {
		t.Errorf("de end of line: %q", got)
	}
}

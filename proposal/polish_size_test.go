package proposal

import (
	"strings"
	"testing"
	"time"

	"propose/templates"
)

// TestHugePastedBriefIsNotRewritten: a pasted brief of megabytes is left as
// typed and costs no time, while a drafted paragraph still takes the
// document's notation.
func TestHugePastedBriefIsNotRewritten(t *testing.T) {
	w := templates.BuiltinLanguages().English()
	n := Notation{Thousands: ".", Decimal: ","}
	var b strings.Builder
	for i := 0; b.Len() < 2<<20; i++ {
		b.WriteString("Line of the client's brief: order-to-cash grew to 61 days (€4.2m tied up), review on 2027-06-30.\n")
	}
	brief := strings.TrimSpace(b.String())
	start := time.Now()
	if got := harmonize(w, n, brief); got != brief {
		t.Error("the pasted brief was rewritten")
	}
	if d := time.Since(start); d > 200*time.Millisecond {
		t.Errorf("a 2 MB brief took %v", d)
	}
	if got := harmonize(w, n, "Worth €35,000 by 2027-06-30."); got != "Worth €35.000 by 30 June 2027." {
		t.Errorf("a drafted paragraph is not harmonized: %q", got)
	}
}

package proposal

import (
	"strings"
	"testing"
)

// TestMixedMarksAskWhichWasMeant: in an English proposal whose fee lines
// write thousands with a comma, one line written "€1.500" could be one
// thousand five hundred or one euro fifty: it is read as the former and
// the review asks. Lines all written the continental way leave no doubt.
func TestMixedMarksAskWhichWasMeant(t *testing.T) {
	tm := consulting(t)
	for _, c := range []struct {
		fees string
		want bool
	}{
		{"Diagnose: €24,000\nRedesign: €28,000\nTravel: €1.500", true},
		{"Diagnose: €24.000\nRedesign: €28.000\nTravel: €1.500", false},
		{"Diagnose: €24,000\nRedesign: €28,000\nTravel: €1,500", false},
		{"Diagnose: €24,000\nRedesign: €28,000\nTravel: €1.234.500", false}, // two groups: no decimal reading
	} {
		facts := completeFacts()
		facts["fees"] = Fact{Field: "fees", Value: c.fees, Origin: Stated}
		var hit *Finding
		for _, f := range review(t, tm, facts) {
			if f.Rule == "amount-ambiguous" {
				hit = &f
			}
		}
		if !c.want {
			if hit != nil {
				t.Errorf("%q: %+v", c.fees, hit)
			}
			continue
		}
		if hit == nil || hit.Severity != Warning || hit.Field != "fees" || !strings.Contains(hit.Message, "€1,500") || !strings.Contains(hit.Message, "€1.50") {
			t.Errorf("%q: finding %+v, want a warning on fees reading €1,500 and asking about €1.50", c.fees, hit)
		}
	}
}

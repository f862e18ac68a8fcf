package proposal

import (
	"context"
	"testing"
)

// A client whose name holds Markdown characters (escaped in the drafted
// text) is still found in the acceptance text, in any language: no false
// no-acceptance blocker.
func TestNoAcceptanceFindsEscapedNames(t *testing.T) {
	tm := consulting(t).In("es")
	facts := completeFacts()
	facts["client"] = Fact{Field: "client", Value: "Datos_Norte *Iberia* S.L.", Origin: Stated}
	facts["buyer"] = Fact{Field: "buyer", Value: "Ana_M. García, CFO", Origin: Stated}
	d := draftAll(t, tm, facts)
	fs, err := (RuleReviewer{}).Review(context.Background(), ReviewRequest{Template: tm, Facts: facts, Draft: d, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Rule == "no-acceptance" {
			t.Fatalf("false no-acceptance: %s", f.Message)
		}
	}
}

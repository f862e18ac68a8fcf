package interview

import (
	"context"
	"strings"
	"testing"

	"propose/proposal"
)

// A default accepted as offered (Enter on the prefilled validity) keeps its
// origin: it is the template's wording, so it follows the proposal into
// another language instead of staying in the words first offered.
func TestAcceptedDefaultKeepsItsOrigin(t *testing.T) {
	e, _ := newEngine(t)
	q, err := moved(e, e.Edit("validity"))
	if err != nil {
		t.Fatal(err)
	}
	offered := q.Prefill
	if offered == "" {
		t.Fatal("no default offered for validity")
	}
	if err := e.Answer(context.Background(), offered); err != nil {
		t.Fatal(err)
	}
	if got := e.Facts()["validity"]; got.Origin != proposal.Default {
		t.Fatalf("accepted as offered, the validity was recorded as %q", got.Origin)
	}
	if err := e.SetLanguage("es"); err != nil {
		t.Fatal(err)
	}
	md := e.Markdown()
	if strings.Contains(md, offered) {
		t.Fatalf("the English default stayed in the Spanish proposal:\n%s", md)
	}
	// Edited, it is the user's own words.
	if err := e.Edit("validity"); err != nil {
		t.Fatal(err)
	}
	if err := e.Answer(context.Background(), "Valid until 31 March 2027."); err != nil {
		t.Fatal(err)
	}
	if got := e.Facts()["validity"]; got.Origin != proposal.Stated {
		t.Fatalf("an edited default is %q, want stated", got.Origin)
	}
}

package proposal

import (
	"context"
	"strings"
	"testing"

	"propose/proposal/pdf"
	"propose/proposal/pdf/pdftest"
	"propose/templates"
)

// A user's template that names the client and the signatory but writes no
// acceptance text and no signature line.
const bareTemplate = `id: mine
name: Mine
sections:
  - id: offer
    title: Offer
    fields:
      - id: client
        question: Who is the client?
        roles: [client]
      - id: buyer
        question: Who signs?
        roles: [signatory]
      - id: offer
        question: What do you offer?
    draft: |-
      We offer {{.client}} the following: {{.offer}}
`

// TestUsersTemplateGetsAcceptanceAndSignature: the acceptance paragraph and
// the client's signature line come from code, in the Markdown and on the
// PDF's signature page, so the no-acceptance blocker does not fire.
func TestUsersTemplateGetsAcceptanceAndSignature(t *testing.T) {
	tm, err := templates.Parse("mine.yaml", []byte(bareTemplate))
	if err != nil {
		t.Fatal(err)
	}
	facts := stated("client", "Northwind Logistics Ltd", "buyer", "Dana Whitfield, COO", "offer", "a two-day review of the warehouse process")
	d := draftAll(t, tm, facts)
	md := Markdown(CoverOf(tm, facts, today), d)
	for _, want := range []string{
		"**Acceptance.** This proposal is accepted when it is signed below on behalf of Northwind Logistics Ltd.",
		"| **For Northwind Logistics Ltd** |\n|---|\n| Signature: ______________________ |\n| Name: Dana Whitfield |\n| Title: COO |\n| Date: ____________ |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
	fs, err := RuleReviewer{}.Review(context.Background(), ReviewRequest{Template: tm, Facts: facts, Draft: d, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Rule == "no-acceptance" {
			t.Errorf("no-acceptance fires: %s", f.Message)
		}
	}
	data, err := Render(Format{ID: "pdf"}, CoverOf(tm, facts, today), d, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdftest.Text(data)
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(text), " ")
	if !strings.Contains(flat, "accepted when it is signed below on behalf of Northwind Logistics Ltd") || strings.Contains(text, "____") {
		t.Errorf("the PDF's signature page lacks the acceptance text, or shows the typed line:\n%s", text)
	}
	// In Spanish, from the catalog.
	es := tm.In("es")
	md = Markdown(CoverOf(es, facts, today), draftAll(t, es, facts))
	if strings.Contains(md, "Acceptance") || !strings.Contains(md, "**Aceptación.**") || !strings.Contains(md, "Firma: ___") {
		t.Errorf("the Spanish acceptance is not from the catalog:\n%s", md)
	}
}

// TestBuiltinsKeepTheirOwnAcceptance: a built-in template's own acceptance
// paragraph is the only one.
func TestBuiltinsKeepTheirOwnAcceptance(t *testing.T) {
	for _, id := range []string{"consulting", "sow", "workshop", "retainer"} {
		tm := builtin(t, id)
		last := tm.Sections[len(tm.Sections)-1]
		if n := strings.Count(last.Draft, "_____"); n == 0 || strings.Contains(last.Draft, "acceptance.label") || strings.Count(last.Draft, "signed below") > 1 {
			t.Errorf("%s: the last section's own acceptance was changed:\n%s", id, last.Draft)
		}
	}
}

// TestMarkdownSignsForBothPartiesWithBranding: the Markdown ends with the
// acceptance text and a block for each party, the client first, each with
// a line to sign, the printed name and title, and a date line; the firm's
// logo is an image reference above the title and its name and contact line
// follow the title block. Without branding there is no image.
func TestMarkdownSignsForBothPartiesWithBranding(t *testing.T) {
	tm := builtin(t, "consulting")
	facts := stated("title", "Order-to-cash turnaround", "client", "Acme Components Ltd", "buyer", "Maria Jensen, Chief Operating Officer",
		"consultant", "Tom Keller, Partner, Northbridge Advisory", "situation", "Acme ships 14,000 orders a month.")
	d := draftAll(t, tm, facts)
	c := CoverOf(tm, facts, today)
	plain, err := Render(Format{ID: "md"}, c, d, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	md := string(plain)
	table := "| **For Acme Components Ltd** | **For Northbridge Advisory** |\n|---|---|\n" +
		"| Signature: ______________________ | Signature: ______________________ |\n" +
		"| Name: Maria Jensen | Name: Tom Keller |\n| Title: Chief Operating Officer | Title: Partner |\n" +
		"| Date: ____________ | Date: ____________ |\n"
	if !strings.HasSuffix(md, table) {
		t.Errorf("the Markdown does not end with both parties' signature block:\n%s", md)
	}
	if strings.Contains(md, "Signed: ___") || strings.Contains(md, "![") {
		t.Errorf("a typed signature line or an image without branding:\n%s", md)
	}
	if i, j := strings.Index(md, "**Acceptance.**"), strings.Index(md, table); i < 0 || i > j {
		t.Errorf("the acceptance text is not just above the signatures:\n%s", md)
	}
	branded, err := Render(Format{ID: "md"}, c, d, RenderOptions{Branding: &pdf.Branding{Firm: "Northbridge Advisory LLP",
		Logo: "/home/tom/brand/logo.png", Contact: "1 King St, London · +44 20 7946 0000"}})
	if err != nil {
		t.Fatal(err)
	}
	md = string(branded)
	if !strings.HasPrefix(md, "![Northbridge Advisory LLP](</home/tom/brand/logo.png>)\n\n# Order-to-cash turnaround") {
		t.Errorf("no logo above the title:\n%s", md)
	}
	if !strings.Contains(md, "*Northbridge Advisory LLP · 1 King St, London · +44 20 7946 0000*") || !strings.Contains(md, "**For Northbridge Advisory LLP**") {
		t.Errorf("the firm's name and contact are not under the title block and on its signature block:\n%s", md)
	}
}

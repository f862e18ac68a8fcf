package proposal

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"propose/proposal/pdf"
	"propose/proposal/pdf/pdftest"
)

func TestSplitFirm(t *testing.T) {
	for in, want := range map[string][2]string{
		"Northbridge Advisory — Tom Keller":          {"Northbridge Advisory", "Tom Keller"},
		"Tom Keller — Northbridge Advisory":          {"Northbridge Advisory", "Tom Keller"},
		"Sam Okafor, Principal, Okafor Advisory Ltd": {"Okafor Advisory Ltd", "Sam Okafor, Principal"},
		"Lena Brandt, Brandt & Partner Consulting":   {"Brandt & Partner Consulting", "Lena Brandt"},
		"Ana López, Socia":                           {"", "Ana López, Socia"},
		"López & Asociados, Ana López":               {"López & Asociados", "Ana López"},
	} {
		firm, person := splitFirm(in)
		if firm != want[0] || person != want[1] {
			t.Errorf("splitFirm(%q) = %q, %q; want %q, %q", in, firm, person, want[0], want[1])
		}
	}
}

// TestPDFSignaturePage: the typed signature lines of the draft become a
// signature page for both parties, with the acceptance text, in the PDF.
func TestPDFSignaturePage(t *testing.T) {
	c := Cover{Title: "Order-to-Cash Turnaround", PreparedFor: "Acme Components Ltd", Attention: "Maria Jensen, Chief Operating Officer",
		PreparedBy: "Northbridge Advisory — Tom Keller", Date: "11 January 2027"}
	d := Draft{Sections: []Section{{Title: "Terms and acceptance", Body: "Valid for 30 days.\n\n**Acceptance.** Accepted when signed below.\n\nFor Acme Components Ltd: Maria Jensen, Chief Operating Officer\n\nSigned: ______________________  Date: ____________"}}}
	var warned []string
	data, err := Render(Format{ID: "pdf"}, c, d, RenderOptions{Now: func() time.Time { return time.Date(2027, 1, 11, 10, 0, 0, 0, time.UTC) }, Warn: func(m string) { warned = append(warned, m) }})
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdftest.Text(data)
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"Acceptance. Accepted when signed below.", "For Acme Components Ltd", "For Northbridge Advisory",
		"Maria Jensen", "Chief Operating Officer", "Tom Keller", "Signature", "Name", "Title", "Date"} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "____") || strings.Contains(text, "Signed:") {
		t.Errorf("typed signature line left in the PDF:\n%s", text)
	}
	if !bytes.Contains(data, []byte("/CreationDate (D:20270111100000")) {
		t.Error("creation date is not the export time")
	}
	if len(warned) != 0 {
		t.Errorf("warnings: %q", warned)
	}
}

// TestPDFDraftMarking: an export marked as a draft says DRAFT on the cover
// and in every footer; one that is not says it nowhere.
func TestPDFDraftMarking(t *testing.T) {
	c := Cover{Title: "Order-to-Cash Turnaround", PreparedFor: "Acme Components Ltd"}
	d := Draft{Sections: []Section{{Title: "Situation", Body: strings.Repeat("Acme ships orders from two plants. ", 200)}}}
	for _, draft := range []bool{true, false} {
		data, err := Render(Format{ID: "pdf"}, c, d, RenderOptions{Draft: draft})
		if err != nil {
			t.Fatal(err)
		}
		text, err := pdftest.Text(data)
		if err != nil {
			t.Fatal(err)
		}
		n := strings.Count(strings.ReplaceAll(text, "\n", ""), "DRAFT")
		pages := strings.Count(text, "Page ")
		if draft && n < pages+1 {
			t.Errorf("draft export says DRAFT %d times on %d body pages and a cover:\n%s", n, pages, text)
		}
		if !draft && n != 0 {
			t.Errorf("final export says DRAFT:\n%s", text)
		}
	}
}

// TestPDFSignatoriesFromCover: the client's buyer and the consultant come
// from the cover; a configured firm name is the party that signs.
func TestPDFSignatoriesFromCover(t *testing.T) {
	body := "Terms.\n\n**Acceptance.** Sign below.\n\nFor Northwind: Dana Whitfield\n\nSigned: ______  Date: ______\n\nFor the supplier: Sam Okafor\n\nSigned: ______  Date: ______"
	c := Cover{PreparedFor: "Northwind Logistics Ltd", Attention: "Dana Whitfield, Chief Operating Officer", PreparedBy: "Sam Okafor, Principal, Okafor Advisory Ltd"}
	rest, sg := signingOf(body, c, nil)
	if rest != "Terms." {
		t.Errorf("body left = %q", rest)
	}
	if sg == nil || sg.Acceptance != "**Acceptance.** Sign below." || len(sg.Parties) != 2 {
		t.Fatalf("signing = %+v", sg)
	}
	if p := sg.Parties[0]; p.Party != "Northwind Logistics Ltd" || p.Name != "Dana Whitfield" || p.Title != "Chief Operating Officer" {
		t.Errorf("client = %+v", p)
	}
	if p := sg.Parties[1]; p.Party != "Okafor Advisory Ltd" || p.Name != "Sam Okafor" || p.Title != "Principal" {
		t.Errorf("consultant = %+v", p)
	}
	_, sg = signingOf(body, c, &pdf.Branding{Firm: "Okafor Advisory LLP"})
	if p := sg.Parties[1]; p.Party != "Okafor Advisory LLP" || p.Name != "Sam Okafor" {
		t.Errorf("branded consultant = %+v", p)
	}
	// A template whose draft types no signature lines still gets the page.
	if rest, sg := signingOf("No signature here.", c, nil); sg == nil || len(sg.Parties) != 2 || rest != "No signature here." {
		t.Errorf("body without signature lines: %q %+v", rest, sg)
	}
	if rest, sg := signingOf("No client.", Cover{PreparedBy: "Sam Okafor"}, nil); sg != nil || rest != "No client." {
		t.Errorf("a cover without a client got a signature page: %q %+v", rest, sg)
	}
}

package pdf

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// lineTexts lays text out at width and returns each line's text.
func lineTexts(t *testing.T, text string, width float64) []string {
	t.Helper()
	if err := loadMetrics(); err != nil {
		t.Fatal(err)
	}
	sh := &shaper{}
	var out []string
	for _, ln := range breakLines(sh.toPieces([]span{{text: text}}, 0, bodySize), width) {
		var b strings.Builder
		for _, p := range ln.pieces {
			b.WriteString(p.text)
		}
		out = append(out, b.String())
	}
	return out
}

// TestNoBreakInsideNumbersAndDates lays each phrase out at every width from
// one word to the whole phrase: the pairs that belong together never end
// up on two lines.
func TestNoBreakInsideNumbersAndDates(t *testing.T) {
	if err := loadMetrics(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, together string }{
		{"the margin rises by 11 % in the first year", "11 %"},
		{"a retainer of 3 000 € / month from March", "3 000 € / month"},
		{"a retainer of €3.000 / month from March", "€3.000 / month"},
		{"delivered on 30 June 2027 at the latest", "30 June"},
		{"entrega el 11 de enero de 2027 como muy tarde", "11 de enero"},
		{"Lieferung am 1. März 2027 spätestens", "1. März"},
		{"livraison le 1er mars 2027 au plus tard", "1er mars"},
		{"due by June 30, 2027 at the latest", "June 30,"},
		{"priced at EUR 12 500 excluding VAT", "EUR 12 500"},
		{"valid for 30 days from its date", "30 days"},
		{"charged at £1,800 a day, agreed in advance", "£1,800 a day"},
	} {
		full := textWidth(tc.text, faceRegular, bodySize)
		// From the width of the group itself (a narrower line must cut it)
		// to the whole phrase.
		for w := textWidth(tc.together, faceRegular, bodySize) + 0.5; w < full+10; w += 3 {
			lines := lineTexts(t, tc.text, w)
			found := false
			for _, ln := range lines {
				found = found || strings.Contains(ln, tc.together)
			}
			if !found {
				t.Errorf("%q broken at width %.0f: %q", tc.together, w, lines)
				break
			}
		}
	}
	// Ordinary words still break, and a number before a plain word too.
	if lines := lineTexts(t, "we interview 25 people in sales", 60); len(lines) < 3 {
		t.Errorf("ordinary text did not break: %q", lines)
	}
}

// TestCJKBreaksBetweenCharacters: text without spaces wraps between its
// characters, never before a closing mark.
func TestCJKBreaksBetweenCharacters(t *testing.T) {
	parts := splitCJK("改善プロジェクト。開始")
	if len(parts) < 5 {
		t.Fatalf("CJK not split: %q", parts)
	}
	for _, p := range parts {
		if strings.HasPrefix(p, "。") {
			t.Errorf("a part starts with a closing mark: %q", parts)
		}
	}
	if got := splitCJK("Acme"); len(got) != 1 {
		t.Errorf("Latin word split: %q", got)
	}
	for word, want := range map[string]string{
		"order-to-cash": "order-|to-|cash", "PEDIDO-COBRO": "PEDIDO-|COBRO", "2027-06-30": "2027-06-30",
		"LA-2027": "LA-2027", "e-mail": "e-mail", "Fernández-Villaverde": "Fernández-|Villaverde",
	} {
		if got := strings.Join(splitCJK(word), "|"); got != want {
			t.Errorf("splitCJK(%q) = %q, want %q", word, got, want)
		}
	}
}

// TestLeadInKeepsWithTwoItems fills pages so that lead-ins land near page
// ends: no page ends with a lead-in, or with a lead-in and a single item.
func TestLeadInKeepsWithTwoItems(t *testing.T) {
	var b strings.Builder
	for i := range 80 {
		for w := range 10 + (i*29)%70 {
			fmt.Fprintf(&b, "filler%d ", w)
		}
		fmt.Fprintf(&b, "\n\nLead-in number %02d:\n\n- item one of %02d\n- item two of %02d\n- item three\n\n", i, i, i)
	}
	ctx := openPDF(t, renderT(t, Meta{Title: "Keep"}, []byte(b.String()), Options{}))
	leadIn := regexp.MustCompile(`^Lead-in number \d\d:$`)
	for p := 2; p <= ctx.PageCount; p++ {
		lines := bodyLines(pageText(t, ctx, p))
		n := len(lines)
		if n > 0 && leadIn.MatchString(lines[n-1]) {
			t.Errorf("page %d ends with the lead-in %q", p, lines[n-1])
		}
		if n > 1 && leadIn.MatchString(lines[n-2]) {
			t.Errorf("page %d ends with the lead-in %q and one item", p, lines[n-2])
		}
	}
}

// fpdfDoc is an empty A4 document for layout tests.
func fpdfDoc() *fpdf.Fpdf {
	return fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "pt", SizeStr: "A4"})
}

// parseTable parses Markdown holding one table.
func parseTable(t *testing.T, md string) *east.Table {
	t.Helper()
	doc := parser.Parser().Parse(text.NewReader([]byte(md)))
	tbl, ok := doc.FirstChild().(*east.Table)
	if !ok {
		t.Fatalf("no table in %q", md)
	}
	return tbl
}

package pdf

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"propose/proposal/pdf/pdftest"
)

// The documents under testdata/pages are the Markdown exports of the
// built-in templates filled with awkward answers (consulting, sow, workshop,
// retainer) and of the consulting template in Spanish and German: the body
// and signing the PDF export lays out, as a consultant's proposal has them.
var pageFixtures = []string{"consulting", "sow", "workshop", "retainer", "es", "de"}

// exported reads an exported proposal back into what the PDF takes: the
// sections (the title block dropped), and the acceptance paragraph and
// signature table at the end as the signing page.
func exported(t testing.TB, name string) (Meta, []byte) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "pages", name+".md"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	title, _, _ := strings.Cut(text, "\n")
	start := strings.Index(text, "\n## ")
	if start < 0 {
		t.Fatalf("%s: no sections", name)
	}
	lines := strings.Split(strings.TrimSpace(text[start:]), "\n")
	end := len(lines)
	for end > 0 && strings.HasPrefix(lines[end-1], "|") {
		end--
	}
	table := lines[end:]
	if len(table) < 6 {
		t.Fatalf("%s: no signature table at the end", name)
	}
	paras := strings.Split(strings.TrimSpace(strings.Join(lines[:end], "\n")), "\n\n")
	acceptance := paras[len(paras)-1]
	body := strings.Join(paras[:len(paras)-1], "\n\n")

	cells := func(row string) []string {
		var out []string
		for _, c := range strings.Split(strings.Trim(row, "| "), "|") {
			out = append(out, strings.TrimSpace(c))
		}
		return out
	}
	value := func(c string) string {
		_, v, _ := strings.Cut(c, ":")
		if v = strings.TrimSpace(v); strings.Contains(v, "___") {
			return ""
		}
		return v
	}
	heads, names, titles := cells(table[0]), cells(table[3]), cells(table[4])
	var parties []Signatory
	for i, h := range heads {
		_, party, _ := strings.Cut(strings.Trim(h, "*"), " ")
		parties = append(parties, Signatory{Party: party, Name: value(names[i]), Title: value(titles[i])})
	}
	meta := Meta{
		Title:       strings.TrimPrefix(title, "# "),
		PreparedFor: parties[0].Party,
		PreparedBy:  parties[len(parties)-1].Party,
		Signing:     &Signing{Acceptance: acceptance, Parties: parties},
	}
	return meta, []byte(body)
}

// bodyPages renders a document and reads its pages after the cover, the
// footer left out.
func bodyPages(t testing.TB, meta Meta, body []byte) []pdftest.Page {
	t.Helper()
	data := renderT(t, meta, body, Options{})
	pages, err := pdftest.Pages(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 2 {
		t.Fatalf("%d pages: no body after the cover", len(pages))
	}
	pages = pages[1:]
	for i, p := range pages {
		var keep []pdftest.Line
		for _, l := range p.Lines {
			if l.Y < p.Height-margin+footerSize {
				keep = append(keep, l)
			}
		}
		pages[i].Lines = keep
	}
	return pages
}

// isHeadingLine reports a line set larger than body text: a heading.
func isHeadingLine(l pdftest.Line) bool { return l.Size > bodySize+0.5 }

// filled is how much of a page's text block its lines reach down to.
func filled(p pdftest.Page) float64 {
	if len(p.Lines) == 0 {
		return 0
	}
	last := p.Lines[len(p.Lines)-1]
	return (last.Y + fontDescent*last.Size - margin) / (p.Height - 2*margin)
}

// dump shows a document's pages for a failure message.
func dump(pages []pdftest.Page) string {
	var b strings.Builder
	for i, p := range pages {
		fmt.Fprintf(&b, "--- page %d (%.0f%% filled)\n", i+2, 100*filled(p))
		for _, l := range p.Lines {
			b.WriteString("  " + l.Text + "\n")
		}
	}
	return b.String()
}

var signatureLabel = regexp.MustCompile(`^(Signature|Firma|Unterschrift)+$`)

// signingPage is the index of the page that shows the signature captions,
// or -1.
func signingPage(pages []pdftest.Page) int {
	for i, p := range pages {
		for _, l := range p.Lines {
			if signatureLabel.MatchString(strings.ReplaceAll(l.Text, " ", "")) {
				return i
			}
		}
	}
	return -1
}

// TestSectionsSplitAcrossPages: a section that could split is not pushed
// whole to the next page. When a page starts with a heading followed by
// text (not a table its first lines lead into, and not the signing page),
// the page before is at least three quarters full: the heading and its
// first lines would have fitted there otherwise.
func TestSectionsSplitAcrossPages(t *testing.T) {
	for _, name := range pageFixtures {
		t.Run(name, func(t *testing.T) {
			meta, body := exported(t, name)
			pages := bodyPages(t, meta, body)
			sign := signingPage(pages)
			for i := 0; i+1 < len(pages); i++ {
				next := pages[i+1].Lines
				if i+1 == sign || len(next) < 3 || !isHeadingLine(next[0]) {
					continue
				}
				if next[1].Size != bodySize || next[2].Size != bodySize {
					continue // the heading leads into a table kept whole
				}
				if f := filled(pages[i]); f < 0.75 {
					t.Errorf("page %d is %.0f%% full, and section %q starts page %d whole:\n%s",
						i+2, 100*f, next[0].Text, i+3, dump(pages))
				}
			}
		})
	}
}

// TestHeadingNeverEndsPage: a heading keeps with its first lines, and a
// lead-in ("… will provide:") with at least two of its bullets (or its
// only one).
func TestHeadingNeverEndsPage(t *testing.T) {
	for _, name := range pageFixtures {
		t.Run(name, func(t *testing.T) {
			meta, body := exported(t, name)
			pages := bodyPages(t, meta, body)
			for i, p := range pages[:len(pages)-1] {
				ls := p.Lines
				if len(ls) == 0 {
					t.Fatalf("page %d is empty:\n%s", i+2, dump(pages))
				}
				last := ls[len(ls)-1]
				if isHeadingLine(last) {
					t.Errorf("page %d ends with the heading %q:\n%s", i+2, last.Text, dump(pages))
				}
				if strings.HasSuffix(strings.TrimSpace(last.Text), ":") {
					t.Errorf("page %d ends with the lead-in %q:\n%s", i+2, last.Text, dump(pages))
				}
				next := pages[i+1].Lines
				if len(ls) > 1 && strings.HasSuffix(strings.TrimSpace(ls[len(ls)-2].Text), ":") && strings.HasPrefix(last.Text, "•") &&
					len(next) > 0 && strings.HasPrefix(next[0].Text, "•") {
					t.Errorf("page %d ends with the lead-in %q and one bullet:\n%s", i+2, ls[len(ls)-2].Text, dump(pages))
				}
			}
		})
	}
}

// TestShortTablesStayWhole: a table of up to six rows is never split
// between pages.
func TestShortTablesStayWhole(t *testing.T) {
	isRow := func(l pdftest.Line) bool { return l.Size == tableSize }
	for _, name := range pageFixtures {
		t.Run(name, func(t *testing.T) {
			meta, body := exported(t, name)
			pages := bodyPages(t, meta, body)
			for i := 0; i+1 < len(pages); i++ {
				a, b := pages[i].Lines, pages[i+1].Lines
				if len(a) == 0 || len(b) == 0 || !isRow(a[len(a)-1]) || !isRow(b[0]) {
					continue
				}
				n := 0
				for j := len(a) - 1; j >= 0 && isRow(a[j]); j-- {
					n++
				}
				for j := 0; j < len(b) && isRow(b[j]); j++ {
					n++
				}
				if n <= shortTable+1 { // one row may be the repeated header
					t.Errorf("a table of %d rows is split between pages %d and %d:\n%s", n, i+2, i+3, dump(pages))
				}
			}
		})
	}
}

// TestAcceptanceStaysWithSignaturesAndHeading: the acceptance text and the
// signature blocks share a page, and that page opens with the section the
// acceptance closes ("Terms and acceptance") when the section says little
// before it, rather than leaving the heading on the page before.
func TestAcceptanceStaysWithSignaturesAndHeading(t *testing.T) {
	for _, name := range pageFixtures {
		t.Run(name, func(t *testing.T) {
			meta, body := exported(t, name)
			checkSigning(t, meta, bodyPages(t, meta, body))
		})
	}
}

// checkSigning: the acceptance text shares its page with the signatures,
// and its section's heading is on that page above it, or on the page before
// with a long section under it.
func checkSigning(t *testing.T, meta Meta, pages []pdftest.Page) {
	t.Helper()
	{
		{
			sign := signingPage(pages)
			if sign < 0 {
				t.Fatalf("no signature captions:\n%s", dump(pages))
			}
			if sign != len(pages)-1 {
				t.Errorf("signatures on page %d of %d", sign+2, len(pages)+1)
			}
			// The acceptance's first words, as the PDF shows them.
			first := strings.Fields(strings.ReplaceAll(meta.Signing.Acceptance, "*", ""))[:3]
			opening := strings.Join(first, " ")
			at := -1
			for j, l := range pages[sign].Lines {
				if strings.HasPrefix(l.Text, opening) {
					at = j
				}
			}
			if at < 0 {
				t.Fatalf("the acceptance %q is not on the signature page %d:\n%s", opening, sign+2, dump(pages))
			}
			// Its section's heading: on this page above it, or on the page
			// before with a long section under it.
			for j := at - 1; j >= 0; j-- {
				if isHeadingLine(pages[sign].Lines[j]) {
					return
				}
			}
			prev := pages[sign-1].Lines
			after := 0
			for j := len(prev) - 1; j >= 0 && !isHeadingLine(prev[j]); j-- {
				after++
			}
			if after < 8 {
				t.Errorf("the acceptance starts page %d away from its heading, which page %d ends with %d lines under it:\n%s",
					sign+2, sign+1, after, dump(pages))
			}
		}
	}
}

// TestLongTermsStayOnTheirPage: a terms section with much to say before the
// acceptance keeps its first paragraphs where they fall, and only the
// acceptance and the signatures start a new page; a short one moves with
// them; when everything fits, nothing moves.
func TestLongTermsStayOnTheirPage(t *testing.T) {
	filler := strings.Repeat("The work is planned in phases, each reviewed with the client before the next begins, so that nothing is a surprise. ", 5)
	terms := strings.Repeat("Either party may end this agreement with 30 days' notice in writing; work done until then is invoiced at the agreed rates. ", 3)
	meta := Meta{Title: "Terms", PreparedFor: "Acme Components Ltd", PreparedBy: "Northbridge Advisory",
		Signing: &Signing{Acceptance: "**Acceptance.** This proposal is accepted when it is signed below on behalf of Acme Components Ltd.",
			Parties: []Signatory{{Party: "Acme Components Ltd", Name: "Maria Jensen", Title: "COO"}, {Party: "Northbridge Advisory", Name: "Tom Keller", Title: "Partner"}}}}
	for _, c := range []struct {
		name          string
		before, terms int // paragraphs of filler and of terms
		moved         bool
	}{
		{"long terms", 3, 4, false},
		{"short terms", 3, 1, true},
		{"all fits", 1, 1, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("## Approach\n\n")
			for range c.before {
				b.WriteString(filler + "\n\n")
			}
			b.WriteString("## Terms and acceptance\n\n")
			for range c.terms {
				b.WriteString(terms + "\n\n")
			}
			pages := bodyPages(t, meta, []byte(b.String()))
			checkSigning(t, meta, pages)
			headingPage := -1
			for i, p := range pages {
				for _, l := range p.Lines {
					if l.Text == "Terms and acceptance" {
						headingPage = i
					}
				}
			}
			sign := signingPage(pages)
			switch {
			case c.moved && headingPage != sign:
				t.Errorf("the short terms section stayed on page %d, its acceptance went to page %d:\n%s", headingPage+2, sign+2, dump(pages))
			case !c.moved && c.before > 1 && headingPage == sign:
				t.Errorf("the long terms section moved whole to page %d:\n%s", sign+2, dump(pages))
			case c.before == 1 && len(pages) != 1:
				t.Errorf("a short proposal takes %d pages after the cover:\n%s", len(pages), dump(pages))
			}
		})
	}
}

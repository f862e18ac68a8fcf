package proposal

import (
	"bytes"
	"html"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// awkwardFacts are a complete proposal whose answers are full of characters
// Markdown gives a meaning to.
func awkwardFacts() Facts {
	f := completeFacts()
	set := func(k, v string) { f[k] = Fact{Field: k, Value: v, Origin: Stated, Turn: 1} }
	set("title", "Margin *uplift* for Q&A_Corp <pilot>")
	set("client", "Q&A_Corp | Partners")
	set("situation", "Margins fell from 18% to 11% after the `v2` price list; see [the memo](http://x) & <b>notes</b>.\n# not a heading\n---")
	set("deliverables", "Report on *all* plants\n<script>alert(1)</script>")
	set("options", "Lean | fast: the *core* review: €24.000\nFull: everything_else: €52.000")
	return f
}

// visible is the text a reader sees in the Markdown, as goldmark (GFM)
// renders it to HTML: tags dropped, entities read, runs of space made one;
// and the kinds of inline Markdown and HTML nodes the parse found.
func visible(t *testing.T, md string) (string, []string) {
	t.Helper()
	g := goldmark.New(goldmark.WithExtensions(extension.GFM))
	src := []byte(md)
	var kinds []string
	doc := g.Parser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n.Kind() {
		case ast.KindEmphasis, ast.KindCodeSpan, ast.KindLink, ast.KindRawHTML, ast.KindHTMLBlock, ast.KindAutoLink:
			if entering {
				kinds = append(kinds, n.Kind().String())
			}
		}
		return ast.WalkContinue, nil
	})
	var out bytes.Buffer
	if err := g.Renderer().Render(&out, src, doc); err != nil {
		t.Fatal(err)
	}
	// Inline tags join their text; block tags part it.
	inline := inlineTagRE.ReplaceAllString(out.String(), "")
	plain := html.UnescapeString(tagRE.ReplaceAllString(inline, " "))
	return strings.Join(strings.Fields(plain), " "), kinds
}

var (
	tagRE       = regexp.MustCompile(`<[^>]*>`)
	inlineTagRE = regexp.MustCompile(`</?(a|em|strong|code|del)( [^>]*)?>`)
)

// TestMarkdownExportShowsUserTextAsTyped: a title, a client, prose, a list
// and a table cell full of Markdown characters read as typed once the export
// is rendered, with no emphasis, code, link or raw HTML the user did not type.
func TestMarkdownExportShowsUserTextAsTyped(t *testing.T) {
	tm := consulting(t)
	facts := awkwardFacts()
	md := Markdown(CoverOf(tm, facts, today), draftAll(t, tm, facts))
	seen, kinds := visible(t, md)
	for _, want := range []string{
		"Margin *uplift* for Q&A_Corp <pilot>",
		"Q&A_Corp | Partners",
		"the `v2` price list; see [the memo](http://x) & <b>notes</b>. # not a heading ---",
		"Report on *all* plants",
		"<script>alert(1)</script>",
		"Lean | fast", "the *core* review", "everything_else",
	} {
		if !strings.Contains(seen, want) {
			t.Errorf("the rendered export does not show %q as typed:\n%s\n--- Markdown:\n%s", want, seen, md)
		}
	}
	// The template's own bold lead-ins are the only inline Markdown: the
	// same proposal with plain answers has as many.
	_, plainKinds := visible(t, Markdown(CoverOf(tm, completeFacts(), today), draftAll(t, tm, completeFacts())))
	if strings.Join(kinds, " ") != strings.Join(plainKinds, " ") {
		t.Errorf("the export has Markdown the user did not write: %v, against %v with plain answers\n%s", kinds, plainKinds, md)
	}
	if strings.Contains(md, "<pilot>") || strings.Contains(md, "<script>") || strings.Contains(md, "<b>") {
		t.Errorf("raw HTML in the export:\n%s", md)
	}
}

// TestCoverKeepsTextAsTyped: the cover (which the PDF prints) carries the
// user's text, not its Markdown escapes.
func TestCoverKeepsTextAsTyped(t *testing.T) {
	c := CoverOf(consulting(t), awkwardFacts(), today)
	if c.Title != "Margin *uplift* for Q&A_Corp <pilot>" || c.PreparedFor != "Q&A_Corp | Partners" {
		t.Errorf("cover = %q, %q", c.Title, c.PreparedFor)
	}
}

// TestMarkdownExportThroughPandoc: pandoc, reading the export as GitHub
// Markdown, prints the user's text as typed, and its tables keep their cells.
func TestMarkdownExportThroughPandoc(t *testing.T) {
	if _, err := exec.LookPath("pandoc"); err != nil {
		t.Skip("pandoc is not installed (apt-get install -y pandoc)")
	}
	tm := consulting(t)
	facts := awkwardFacts()
	md := Markdown(CoverOf(tm, facts, today), draftAll(t, tm, facts))
	cmd := exec.Command("pandoc", "-f", "gfm", "-t", "plain", "--wrap=none")
	cmd.Stdin = strings.NewReader(md)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	plain := out.String()
	flat := strings.Join(strings.Fields(plain), " ")
	for _, want := range []string{
		"Margin *uplift* for Q&A_Corp <pilot>", "Q&A_Corp | Partners", "<script>alert(1)</script>",
		"the `v2` price list; see [the memo](http://x) & <b>notes</b>.", "Report on *all* plants",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("pandoc shows no %q:\n%s", want, plain)
		}
	}
	// The options table keeps three cells a row: "Lean | fast" is one cell.
	for _, l := range strings.Split(plain, "\n") {
		if strings.Contains(l, "Lean | fast") && !strings.Contains(l, "€24,000") { // typed "€24.000": English marks
			t.Errorf("the options row lost its cells: %q\n%s", l, plain)
		}
	}
}

func TestEscapeMarkdownLeavesPlainTextAlone(t *testing.T) {
	for _, s := range []string{"€24.000 by 30 June 2027", "Order-to-cash, 38 to 61 days", "$5,000 a month", "Q&A session", "11 %", "09:30"} {
		if got := EscapeMarkdown(s); got != s {
			t.Errorf("EscapeMarkdown(%q) = %q", s, got)
		}
	}
}

// TestTypedListInProseStaysAList: a list the user typed in a prose answer
// stays a list (in the Markdown as in the PDF), its items escaped.
func TestTypedListInProseStaysAList(t *testing.T) {
	tm := consulting(t)
	_, f := tm.Field("situation")
	got := RenderFieldIn(tm, f, Facts{"situation": {Field: "situation", Value: "Three causes:\n- late *invoices*\n* wrong_shipments\n2. a <b>third</b>", Origin: Stated}}, today)
	want := "Three causes:\n- late \\*invoices\\*\n* wrong\\_shipments\n2. a &lt;b&gt;third&lt;/b&gt;"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

package proposal

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// ReduceMarkdown keeps of a model's Markdown the subset a proposal section
// needs: paragraphs, emphasis, lists and links to http, https or mailto
// addresses. Raw HTML is dropped; an image leaves nothing (a remote image is
// a tracking pixel when the client opens the file); a heading becomes a bold
// line (the program writes the section headings); rules are dropped; code
// becomes plain text; a link to any other scheme keeps only its text. The
// text is parsed with goldmark and written back from its syntax tree, so
// nothing the parser would read as HTML or an image survives however it is
// spelt.
func ReduceMarkdown(src string) string {
	// Dropping a piece can join its neighbours into something new
	// ("<scr<b></b>ipt>"): reduce until nothing changes.
	out := reduceOnce(src)
	for i := 0; i < 4 && out != src; i++ {
		src, out = out, reduceOnce(out)
	}
	return out
}

func reduceOnce(src string) string {
	source := []byte(src)
	doc := goldmark.New().Parser().Parse(text.NewReader(source))
	var w mdWriter
	w.src = source
	w.blocks(doc, "")
	return strings.TrimSpace(blankLinesRE.ReplaceAllString(w.b.String(), "\n\n"))
}

type mdWriter struct {
	src []byte
	b   strings.Builder
}

// blocks writes the block children of n, each line prefixed (list indents).
func (w *mdWriter) blocks(n ast.Node, prefix string) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.block(c, prefix)
	}
}

func (w *mdWriter) para(prefix, s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if w.b.Len() > 0 {
		w.b.WriteString("\n\n")
	}
	w.b.WriteString(prefix + strings.ReplaceAll(s, "\n", "\n"+prefix))
}

func (w *mdWriter) block(n ast.Node, prefix string) {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		w.para(prefix, w.inlines(n))
	case *ast.Heading:
		if s := strings.TrimSpace(w.inlines(n)); s != "" {
			w.para(prefix, "**"+strings.Trim(s, "*")+"**")
		}
	case *ast.List:
		w.list(n, prefix)
	case *ast.Blockquote:
		w.blocks(n, prefix)
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		var lines []string
		for i := 0; i < n.Lines().Len(); i++ {
			seg := n.Lines().At(i)
			lines = append(lines, strings.TrimRight(string(seg.Value(w.src)), "\n"))
		}
		w.para(prefix, escapeInline(strings.Join(lines, "\n")))
	case *ast.HTMLBlock, *ast.ThematicBreak:
		// dropped
	default:
		w.blocks(n, prefix)
	}
}

func (w *mdWriter) list(l *ast.List, prefix string) {
	if w.b.Len() > 0 {
		w.b.WriteString("\n\n")
	}
	num := l.Start
	first := true
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		marker := "- "
		if l.IsOrdered() {
			marker = itoa(num) + ". "
			num++
		}
		var sub mdWriter
		sub.src = w.src
		sub.blocks(item, "")
		body := strings.TrimSpace(sub.b.String())
		if body == "" {
			continue
		}
		if !first {
			w.b.WriteString("\n")
		}
		first = false
		indent := strings.Repeat(" ", len(marker))
		w.b.WriteString(prefix + marker + strings.ReplaceAll(body, "\n", "\n"+prefix+indent))
	}
}

func itoa(n int) string {
	if n <= 0 {
		n = 1
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// inlines writes n's inline children in the reduced subset.
func (w *mdWriter) inlines(n ast.Node) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.inline(&b, c)
	}
	return b.String()
}

func (w *mdWriter) inline(b *strings.Builder, n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		b.Write(n.Segment.Value(w.src))
		switch {
		case n.HardLineBreak():
			b.WriteString("  \n")
		case n.SoftLineBreak():
			b.WriteString("\n")
		}
	case *ast.String:
		b.Write(n.Value)
	case *ast.CodeSpan:
		var t bytes.Buffer
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if tx, ok := c.(*ast.Text); ok {
				t.Write(tx.Segment.Value(w.src))
			}
		}
		b.WriteString(escapeInline(t.String()))
	case *ast.Emphasis:
		mark := strings.Repeat("*", n.Level)
		inner := strings.TrimSpace(w.inlines(n))
		if inner != "" {
			b.WriteString(mark + inner + mark)
		}
	case *ast.Link:
		label := strings.TrimSpace(w.inlines(n))
		if dest := string(n.Destination); safeLink(dest) && label != "" {
			b.WriteString("[" + label + "](" + dest + ")")
		} else {
			b.WriteString(label)
		}
	case *ast.AutoLink:
		u := string(n.URL(w.src))
		if n.AutoLinkType == ast.AutoLinkEmail {
			b.WriteString(u)
		} else if safeLink(u) {
			b.WriteString("<" + u + ">")
		} else {
			b.WriteString(escapeInline(u))
		}
	case *ast.Image, *ast.RawHTML:
		// dropped
	default:
		b.WriteString(w.inlines(n))
	}
}

// safeLink allows http, https and mailto destinations.
func safeLink(dest string) bool {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}

package pdf

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// ctx is where a block is laid out: its left edge and width, the quote
// rules beside it, the list marker still waiting for its first line, and the
// text style it inherits (quotes are italic and softer).
type ctx struct {
	x, w   float64
	rules  []float64
	marker *marker
	tight  bool
	depth  int // list nesting
	base   style
	color  rgb
}

// marker is a list bullet or number, drawn beside the first line of its item.
type marker struct {
	draw     func(baseline float64)
	baseline float64 // offset of the first baseline in the box, when known
}

// minWidth stops nesting from squeezing text to nothing.
const minWidth = 120.0

func (c ctx) indent(dx float64) ctx {
	if c.w-dx < minWidth {
		dx = max(0, c.w-minWidth)
	}
	c.x += dx
	c.w -= dx
	return c
}

// parser is goldmark with GitHub tables, strikethrough, task lists and
// bare-URL links, plus typographic quotes and dashes ("--" to an en dash,
// straight quotes to curly ones), as a typeset document should have. Raw
// HTML stays in the tree as text; nothing interprets it.
var parser = goldmark.New(goldmark.WithExtensions(extension.GFM, extension.NewTypographer(
	extension.WithTypographicSubstitutions(map[extension.TypographicPunctuation][]byte{
		// The defaults are HTML entities; a PDF needs the characters.
		extension.LeftSingleQuote:  []byte("‘"),
		extension.RightSingleQuote: []byte("’"),
		extension.LeftDoubleQuote:  []byte("“"),
		extension.RightDoubleQuote: []byte("”"),
		extension.EnDash:           []byte("–"),
		extension.EmDash:           []byte("—"),
		extension.Ellipsis:         []byte("…"),
		extension.Apostrophe:       []byte("’"),
		// "<<" and ">>" stay as typed: they are more often code than quotes.
		extension.LeftAngleQuote:  nil,
		extension.RightAngleQuote: nil,
	}),
)))

// body lays out the proposal body and places it on pages after the cover.
func (r *renderer) body(src []byte) {
	// Escape sequences go first: the parser would split them apart.
	if !utf8.Valid(src) {
		src = bytes.ToValidUTF8(src, []byte(string(utf8.RuneError)))
	}
	src = []byte(stripEscapes(string(src)))
	doc := parser.Parser().Parse(text.NewReader(src))
	r.prepareHeadings(doc, src)
	c := ctx{x: r.left, w: r.contentW, color: colText}
	r.blocks(doc, src, c)
	r.signing()
	r.paginate()
}

// prepareHeadings finds the top heading level (so "##" sections are top-level
// outline entries) and gives every heading a link target for "#anchor" links.
func (r *renderer) prepareHeadings(doc ast.Node, src []byte) {
	r.headingBase = 0
	seen := map[string]int{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		if r.headingBase == 0 || h.Level < r.headingBase {
			r.headingBase = h.Level
		}
		s := slugFor(plainText(inlines(h, src)), seen)
		h.SetAttributeString("slug", s)
		r.anchors["#"+s] = r.pdf.AddLink()
		return ast.WalkSkipChildren, nil
	})
	r.outlineLevel = -1
}

// slugFor makes a GitHub-style anchor: lower case, spaces to hyphens,
// punctuation dropped, "-1", "-2" on repeats.
func slugFor(s string, seen map[string]int) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	slug := b.String()
	if n := seen[slug]; n > 0 {
		seen[slug] = n + 1
		slug = fmt.Sprintf("%s-%d", slug, n)
	} else {
		seen[slug] = 1
	}
	return slug
}

func (r *renderer) blocks(parent ast.Node, src []byte, c ctx) {
	// head is the flow index of the last line of a heading whose first
	// block comes next: the heading keeps with up to three boxes of that
	// block (its first lines, bullets or table rows) and nothing beyond,
	// so a section may split after its first lines instead of moving to
	// the next page whole.
	head := -1
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		start := len(r.flow)
		n = r.group(n, src, &c)
		if head >= 0 {
			k := 0
			for _, b := range r.flow[start:] {
				if !b.glue {
					k++
				}
			}
			if k > 0 {
				r.flow[head].keep = min(k, 3)
			}
			head = -1
		}
		if _, ok := n.(*ast.Heading); ok && len(r.flow) > start {
			head = len(r.flow) - 1
		}
	}
}

// group lays out node n and what must go with it: a lead-in and its list.
// It returns the last node it laid out.
func (r *renderer) group(n ast.Node, src []byte, c *ctx) ast.Node {
	if _, ok := n.NextSibling().(*east.Table); ok {
		// The paragraph that introduces a table ("Agenda", "The
		// investment is:") keeps with its header and first row.
		if _, para := n.(*ast.Paragraph); para {
			r.block(n, src, c)
			if len(r.flow) > 0 {
				r.flow[len(r.flow)-1].keep = max(r.flow[len(r.flow)-1].keep, 1)
			}
			return n
		}
	}
	list, ok := n.NextSibling().(*ast.List)
	if !ok || !isLeadIn(n, src) {
		r.block(n, src, c)
		return n
	}
	// A lead-in ("We will provide:") keeps with the first two items of
	// its list, so it never ends a page alone or with one bullet.
	r.block(n, src, c)
	last := len(r.flow) - 1
	r.block(list, src, c)
	if last < 0 || len(r.itemStarts) == 0 {
		return list
	}
	end := len(r.flow)
	if len(r.itemStarts) > 2 {
		end = r.itemStarts[2]
	}
	k := 0
	for _, b := range r.flow[last+1 : end] {
		if !b.glue {
			k++
		}
	}
	r.flow[last].keep = max(r.flow[last].keep, min(k, 24))
	return list
}

// isLeadIn reports a paragraph that ends with a colon.
func isLeadIn(n ast.Node, src []byte) bool {
	if _, ok := n.(*ast.Paragraph); !ok {
		return false
	}
	t := strings.TrimSpace(plainText(inlines(n, src)))
	return strings.HasSuffix(t, ":") || strings.HasSuffix(t, "：")
}

func (r *renderer) block(n ast.Node, src []byte, c *ctx) {
	switch v := n.(type) {
	case *ast.Heading:
		r.heading(v, src, c)
	case *ast.Paragraph, *ast.TextBlock:
		if c.tight {
			r.space(tightGap)
		} else {
			r.space(paraGap)
		}
		r.paragraph(inlines(n, src), c, bodySize, bodyLeading)
	case *ast.List:
		r.list(v, src, c)
	case *ast.Blockquote:
		r.quote(v, src, c)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		r.code(n, src, c)
	case *ast.HTMLBlock:
		r.space(paraGap)
		r.paragraph(rawLines(v, src), c, bodySize, bodyLeading)
	case *ast.ThematicBreak:
		r.rule(c)
	case *east.Table:
		r.table(v, src, c)
	default:
		if n.FirstChild() != nil {
			r.blocks(n, src, *c)
		}
	}
}

// paragraph lays out inline text as line boxes. A paragraph of two or three
// lines stays together; a longer one never leaves a single line alone at the
// bottom or top of a page.
func (r *renderer) paragraph(spans []span, c *ctx, size, leading float64) {
	ps := r.sh.toPieces(spans, c.base, size)
	if len(ps) == 0 {
		return
	}
	lines := breakLines(ps, c.w)
	n := len(lines)
	bl := baselineIn(leading, size)
	x, col := c.x, c.color
	for i, ln := range lines {
		b := &box{h: leading}
		b.draw = func(y float64) { r.drawLine(ln, x, y+bl, col) }
		if (n <= 3 && i < n-1) || (n > 3 && (i == 0 || i == n-2)) {
			b.keep = 1
		}
		r.add(b, c)
	}
}

// heading sizes: level 1 and 2 are section titles in the accent colour.
func (r *renderer) headingLook(level int) (size, before, after float64, col rgb) {
	switch level {
	case 1:
		return 20, 26, 8, r.accent
	case 2:
		return 15, 22, 6, r.accent
	case 3:
		return 12, 14, 4, colText
	}
	return bodySize, 10, 3, colText
}

func (r *renderer) heading(h *ast.Heading, src []byte, c *ctx) {
	spans := inlines(h, src)
	size, before, after, col := r.headingLook(h.Level)
	if h.Level <= r.headingBase && h.Level < 3 {
		// A top-level section: same look whether the body uses # or ##.
		size, before, after, col = r.headingLook(2)
	}
	r.space(before)
	ps := r.sh.toPieces(spans, styleBold|c.base, size)
	slug, _ := h.AttributeString("slug")
	if len(ps) == 0 {
		// Nothing to draw, so nothing for "#anchor" links to land on.
		if s, ok := slug.(string); ok {
			delete(r.anchors, "#"+s)
		}
		return
	}
	lines := breakLines(ps, c.w)
	leading := size * 1.25
	bl := baselineIn(leading, size)
	title := plain(plainText(spans))
	level := min(max(h.Level-r.headingBase, 0), r.outlineLevel+1)
	r.outlineLevel = level
	link := -1
	if s, ok := slug.(string); ok {
		if id, ok := r.anchors["#"+s]; ok {
			link = id
		}
	}
	x := c.x
	for i, ln := range lines {
		// Each line keeps with the next; the last keeps with what
		// follows (blocks widens that to the first lines of the block).
		b := &box{h: leading, keep: 1, heading: true}
		first := i == 0
		b.draw = func(y float64) {
			if first {
				// The outline text is UTF-16 only while a UTF-8 font is set.
				r.fonts.set(faceBold, size)
				if title != "" {
					r.pdf.Bookmark(title, level, y)
				}
				if link >= 0 {
					r.pdf.SetLink(link, y, -1)
				}
			}
			r.drawLine(ln, x, y+bl, col)
		}
		r.add(b, c)
	}
	r.spaceExactly(after)
}

// bullets by nesting depth.
var bullets = []string{"•", "◦", "▪"}

func (r *renderer) list(l *ast.List, src []byte, c *ctx) {
	around := paraGap * 0.75
	if c.tight {
		around = tightGap
	}
	r.space(around)
	ordered := l.IsOrdered()
	num := l.Start
	count := l.ChildCount()
	depth := c.depth
	indent := listIndent
	if ordered {
		widest := strconv.Itoa(num+count-1) + "."
		indent = max(indent, textWidth(widest, faceRegular, bodySize)+7)
	}
	gap := paraGap
	if l.IsTight {
		gap = tightGap
	}
	var starts []int
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		r.space(gap)
		starts = append(starts, len(r.flow))
		ic := c.indent(indent)
		ic.tight = l.IsTight
		ic.depth = depth + 1
		label := bullets[depth%len(bullets)]
		face := faceRegular
		if ordered {
			label = strconv.Itoa(num) + "."
		}
		right := ic.x - 6
		m := &marker{}
		m.draw = func(baseline float64) {
			r.fonts.set(face, bodySize)
			r.textColor(r.accent)
			w := textWidth(label, face, bodySize)
			r.pdf.Text(right-w, baseline, label)
		}
		ic.marker = m
		r.blocks(item, src, ic)
		if m.draw != nil { // an empty item still shows its bullet
			r.add(&box{h: bodyLeading, draw: func(float64) {}}, &ic)
		}
		num++
	}
	r.itemStarts = starts
	r.space(around)
}

func (r *renderer) quote(q *ast.Blockquote, src []byte, c *ctx) {
	r.space(paraGap)
	qc := c.indent(quoteIndent)
	if qc.x > c.x {
		qc.rules = append(append([]float64(nil), c.rules...), c.x+quoteRuleW/2)
	}
	qc.base |= styleItalic
	qc.color = colQuoteText
	r.blocks(q, src, qc)
	r.space(paraGap)
}

// code lays out a code block line by line in monospace on a light panel;
// spaces are kept and long lines wrap between characters.
func (r *renderer) code(n ast.Node, src []byte, c *ctx) {
	const size, leading, pad = 9.0, 12.5, 6.0
	r.space(paraGap)
	var rows [][]piece
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		s := strings.TrimRight(string(seg.Value(src)), "\r\n")
		s = strings.ReplaceAll(s, "\t", "    ")
		var parts []piece
		for _, rn := range r.sh.shape(s, faceMono) {
			parts = append(parts, piece{text: rn.text, face: rn.face, size: size, w: textWidth(rn.text, rn.face, size)})
		}
		if len(parts) == 0 {
			rows = append(rows, nil)
			continue
		}
		rows = append(rows, cutWord(parts, c.w-2*pad)...)
	}
	if len(rows) == 0 {
		return
	}
	x, w := c.x, c.w
	for i, row := range rows {
		h, off := leading, 0.0
		if i == 0 {
			h += pad
			off = pad
		}
		if i == len(rows)-1 {
			h += pad
		}
		b := &box{h: h}
		// Short blocks stay whole; long ones leave no line alone.
		if n := len(rows); i < n-1 && (n <= 6 || i == 0 || i == n-2) {
			b.keep = 1
		}
		ln := line{pieces: row}
		b.draw = func(y float64) {
			r.fillRect(x, y, w, h, colCodeBg)
			r.drawLine(ln, x+pad, y+off+baselineIn(leading, size), colText)
		}
		r.add(b, c)
	}
	r.space(paraGap)
}

func (r *renderer) rule(c *ctx) {
	r.space(paraGap * 1.5)
	x, w := c.x, c.w
	r.add(&box{h: 1, draw: func(y float64) { r.hline(x, x+w, y+0.5, 0.6, colRule) }}, c)
	r.space(paraGap * 1.5)
}

// rawLines turns an HTML block into plain text, one line per source line.
func rawLines(n ast.Node, src []byte) []span {
	var out []span
	lines := n.Lines()
	for i := range lines.Len() {
		if i > 0 {
			out = append(out, span{brk: true})
		}
		seg := lines.At(i)
		out = append(out, span{text: strings.TrimRight(string(seg.Value(src)), "\r\n")})
	}
	return out
}

// inlines flattens a block's inline Markdown into styled spans.
func inlines(n ast.Node, src []byte) []span {
	var out []span
	var walk func(n ast.Node, st style, link string)
	walk = func(n ast.Node, st style, link string) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch v := c.(type) {
			case *ast.Text:
				t := v.Segment.Value(src)
				if !v.IsRaw() {
					t = unescape(t)
				}
				out = append(out, span{text: string(t), st: st, link: link})
				switch {
				case v.HardLineBreak():
					out = append(out, span{brk: true})
				case v.SoftLineBreak():
					out = append(out, span{text: " ", st: st, link: link})
				}
			case *ast.String:
				out = append(out, span{text: string(v.Value), st: st, link: link})
			case *ast.CodeSpan:
				var b strings.Builder
				for t := v.FirstChild(); t != nil; t = t.NextSibling() {
					if tx, ok := t.(*ast.Text); ok {
						b.Write(tx.Segment.Value(src))
					}
				}
				out = append(out, span{text: strings.ReplaceAll(b.String(), "\n", " "), st: st | styleCode, link: link})
			case *ast.Emphasis:
				if v.Level >= 2 {
					walk(v, st|styleBold, link)
				} else {
					walk(v, st|styleItalic, link)
				}
			case *ast.Link:
				walk(v, st, linkTarget(string(v.Destination)))
			case *ast.AutoLink:
				out = append(out, span{text: string(v.Label(src)), st: st, link: linkTarget(string(v.URL(src)))})
			case *ast.RawHTML:
				var b strings.Builder
				for i := range v.Segments.Len() {
					seg := v.Segments.At(i)
					b.Write(seg.Value(src))
				}
				out = append(out, span{text: b.String(), st: st, link: link})
			case *east.Strikethrough:
				walk(v, st|styleStrike, link)
			case *east.TaskCheckBox:
				box := "☐ "
				if v.IsChecked {
					box = "☑ "
				}
				out = append(out, span{text: box, st: st})
			default:
				walk(c, st, link)
			}
		}
	}
	walk(n, 0, "")
	return out
}

// unescape resolves backslash escapes and character references the way a
// Markdown renderer does before showing text.
func unescape(b []byte) []byte {
	b = util.UnescapePunctuations(b)
	b = util.ResolveNumericReferences(b)
	return util.ResolveEntityNames(b)
}

// linkTarget keeps links a client can safely click: web, mail and phone
// URLs (percent-encoded to ASCII, as PDF URI actions require) and "#anchor"
// links to headings. Anything else is shown as text without a link.
func linkTarget(dest string) string {
	dest = strings.TrimSpace(dest)
	if dest == "" {
		return ""
	}
	if dest[0] == '#' {
		return "#" + slugFor(dest[1:], map[string]int{})
	}
	scheme, _, ok := strings.Cut(dest, ":")
	if !ok {
		return ""
	}
	switch strings.ToLower(scheme) {
	case "http", "https", "mailto", "tel":
	default:
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(dest); i++ {
		ch := dest[i]
		if ch <= ' ' || ch >= 0x7F || ch == '"' || ch == '<' || ch == '>' || ch == '\\' || ch == '^' || ch == '`' || ch == '{' || ch == '|' || ch == '}' {
			fmt.Fprintf(&b, "%%%02X", ch)
			continue
		}
		b.WriteByte(ch)
	}
	return b.String()
}

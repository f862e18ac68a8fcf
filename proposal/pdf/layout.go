package pdf

import (
	"fmt"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// rgb is a colour with 0-255 components.
type rgb struct{ r, g, b int }

// The palette: near-black text, one accent (a deep blue), greys for rules
// and secondary text. Restraint is the point: a client reads this.
var (
	colText      = rgb{33, 37, 41}
	colMuted     = rgb{108, 117, 125}
	colAccent    = rgb{24, 72, 128}
	colAccentBg  = rgb{234, 240, 247}
	colRule      = rgb{222, 226, 230}
	colRuleDark  = rgb{73, 80, 87}
	colQuoteRule = rgb{168, 190, 216}
	colQuoteText = rgb{73, 80, 87}
	colCodeBg    = rgb{243, 244, 246}
	colWhite     = rgb{255, 255, 255}
)

// Type scale and rhythm, in points.
const (
	bodySize    = 11.0
	bodyLeading = 16.0
	measure     = 390.0 // the text width: about 75 characters of body type
	paraGap     = 8.0
	tightGap    = 3.0
	margin      = 72.0 // one inch all round
	footerSize  = 8.0
	footerGap   = 34.0 // from the bottom edge to the footer baseline
	listIndent  = 16.0
	quoteIndent = 14.0
	quoteRuleW  = 2.0
)

// ascent and descent of Liberation Sans in ems, to centre text in a line.
const (
	fontAscent  = 0.905
	fontDescent = 0.212
)

// baselineIn returns the baseline offset of size-point text centred in a
// line of height h.
func baselineIn(h, size float64) float64 {
	return (h-(fontAscent+fontDescent)*size)/2 + fontAscent*size
}

// box is one unbreakable item of the page flow: a line of text, a table row
// slice, a rule. Glue is vertical space that disappears at the top of a page.
type box struct {
	h    float64
	glue bool
	// keep asks that this box and the next keep boxes (glue not counted)
	// share a page: headings keep with their first lines, first and last
	// lines of a paragraph keep with their neighbours.
	keep int
	// heading marks the lines of a heading: a heading keeps with the
	// heading right after it, but its keep never reaches past the block
	// that follows into the next heading.
	heading bool
	// header is a table's header rows, repeated when this row starts a page.
	header []*box
	// rules are the x positions of block-quote rules drawn beside the box.
	rules []float64
	draw  func(y float64)
}

// renderer lays out one document.
type renderer struct {
	pdf   *fpdf.Fpdf
	fonts fonts
	sh    *shaper

	meta     Meta
	labels   Labels
	warnings []string

	// The accent colour and the tints made from it.
	accent, accentBg, quoteRule rgb

	pageW, pageH float64
	left, right  float64 // content edges
	top, bottom  float64
	contentW     float64

	flow         []*box
	pending      float64 // vertical space before the next box
	pendingFixed bool    // pending is exact (after a heading), not a minimum
	lastRules    []float64

	anchors      map[string]int // "#slug" to fpdf link id
	headingBase  int            // the Markdown level of top-level sections
	outlineLevel int            // level of the last outline entry

	logo *logo // the branding's logo, read once

	itemStarts []int // flow index of each item of the list laid out last
}

func newRenderer(pdf *fpdf.Fpdf, sh *shaper, meta Meta) *renderer {
	w, h := pdf.GetPageSize()
	// The text block is centred and set to a measure of about 75
	// characters of body type, the length a reader's eye follows best;
	// tables and the cover use the same width.
	mx := max(margin, (w-measure)/2)
	r := &renderer{
		pdf:       pdf,
		fonts:     fonts{pdf: pdf},
		sh:        sh,
		meta:      meta,
		labels:    meta.Labels.withDefaults(),
		accent:    colAccent,
		accentBg:  colAccentBg,
		quoteRule: colQuoteRule,
		pageW:     w,
		pageH:     h,
		left:      mx,
		right:     w - mx,
		top:       margin,
		bottom:    h - margin,
		contentW:  w - 2*mx,
		anchors:   map[string]int{},
	}
	if b := meta.Branding; b != nil {
		if strings.TrimSpace(b.Accent) != "" {
			if c, ok := parseColour(b.Accent); ok {
				r.accent = c
				r.accentBg = tint(c, 0.9)
				r.quoteRule = tint(c, 0.6)
			} else {
				r.warnings = append(r.warnings, fmt.Sprintf("Accent colour %q is not a colour like #1f4e79; the PDF uses its own blue.", b.Accent))
			}
		}
		r.loadLogo(b.Logo)
	}
	pdf.SetMargins(r.left, margin, w-r.right)
	return r
}

// parseColour reads "#rrggbb" or "#rgb".
func parseColour(s string) (rgb, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	if len(s) != 6 {
		return rgb{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return rgb{}, false
	}
	return rgb{int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)}, true
}

// tint mixes c with white: f = 0.9 is a pale background of the colour.
func tint(c rgb, f float64) rgb {
	mix := func(v int) int { return int(float64(v) + (255-float64(v))*f + 0.5) }
	return rgb{mix(c.r), mix(c.g), mix(c.b)}
}

func (r *renderer) textColor(c rgb) { r.pdf.SetTextColor(c.r, c.g, c.b) }
func (r *renderer) fillColor(c rgb) { r.pdf.SetFillColor(c.r, c.g, c.b) }
func (r *renderer) drawColor(c rgb) { r.pdf.SetDrawColor(c.r, c.g, c.b) }

// hline draws a horizontal rule.
func (r *renderer) hline(x1, x2, y, width float64, c rgb) {
	r.drawColor(c)
	r.pdf.SetLineWidth(width)
	r.pdf.Line(x1, y, x2, y)
}

// fillRect paints a rectangle without outline.
func (r *renderer) fillRect(x, y, w, h float64, c rgb) {
	if w <= 0 || h <= 0 {
		return
	}
	r.fillColor(c)
	r.pdf.Rect(x, y, w, h, "F")
}

// drawLine draws a laid-out line with its left edge at x and baseline at
// baseline, in colour c (links take the accent).
func (r *renderer) drawLine(ln line, x, baseline float64, c rgb) {
	ps := ln.pieces
	for i := 0; i < len(ps); {
		p := ps[i]
		j := i + 1
		w := p.w
		text := p.text
		for j < len(ps) && ps[j].face == p.face && ps[j].size == p.size && ps[j].st == p.st && ps[j].link == p.link {
			text += ps[j].text
			w += ps[j].w
			j++
		}
		r.drawRun(text, p, x, baseline, w, c)
		x += w
		i = j
	}
}

// drawRun draws one run of same-styled text and its decorations.
func (r *renderer) drawRun(text string, p piece, x, baseline, w float64, c rgb) {
	if p.st&styleCode != 0 {
		r.fillRect(x-1, baseline-p.size*0.95, w+2, p.size*1.3, colCodeBg)
	}
	col := c
	anchor, internal := r.anchors[p.link]
	linked := p.link != "" && (internal || p.link[0] != '#')
	if linked {
		col = r.accent
	}
	r.fonts.set(p.face, p.size)
	r.textColor(col)
	r.pdf.Text(x, baseline, text)
	if linked {
		r.hline(x, x+w, baseline+1.6, 0.5, r.quoteRule)
		top, h := baseline-p.size*0.9, p.size*1.25
		if internal {
			r.pdf.Link(x, top, w, h, anchor)
		} else {
			r.pdf.LinkString(x, top, w, h, p.link)
		}
	}
	if p.st&styleStrike != 0 {
		r.hline(x, x+w, baseline-p.size*0.3, 0.6, col)
	}
}

// add appends a box to the flow, preceded by any pending space.
func (r *renderer) add(b *box, c *ctx) {
	b.rules = c.rules
	if r.pending > 0 && len(r.flow) > 0 {
		r.flow = append(r.flow, &box{h: r.pending, glue: true, rules: commonRules(r.lastRules, c.rules)})
	}
	r.pending, r.pendingFixed = 0, false
	if c.marker != nil && c.marker.draw != nil {
		mark, draw := c.marker.draw, b.draw
		first := c.marker.baseline
		if first == 0 {
			first = baselineIn(min(b.h, bodyLeading), bodySize)
		}
		b.draw = func(y float64) {
			mark(y + first)
			draw(y)
		}
		c.marker.draw = nil
	}
	r.lastRules = c.rules
	r.flow = append(r.flow, b)
}

// space asks for at least h points before the next box.
func (r *renderer) space(h float64) {
	if !r.pendingFixed {
		r.pending = max(r.pending, h)
	}
}

// spaceExactly sets the space before the next box, whatever it asks for.
func (r *renderer) spaceExactly(h float64) {
	r.pending, r.pendingFixed = h, true
}

func commonRules(a, b []float64) []float64 {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return a[:n]
}

// newPage starts a body page.
func (r *renderer) newPage() {
	r.pdf.AddPage()
}

// paginate places the flow on pages: a box that does not fit starts a new
// page, glue at the top of a page is dropped, a keep chain that would be cut
// moves to the next page whole (unless it could never fit on one), and a
// table row that starts a page brings its table's header with it.
func (r *renderer) paginate() {
	if len(r.flow) == 0 {
		return
	}
	r.newPage()
	y, atTop := r.top, true
	room := r.bottom - r.top
	for i := 0; i < len(r.flow); i++ {
		b := r.flow[i]
		if b.glue {
			if atTop {
				continue
			}
			if y+b.h > r.bottom {
				r.newPage()
				y, atTop = r.top, true
				continue
			}
			r.drawBox(b, y)
			y += b.h
			continue
		}
		if !atTop {
			if need := r.chainHeight(i); need <= room && y+need > r.bottom {
				r.newPage()
				y, atTop = r.top, true
			} else if y+b.h > r.bottom {
				r.newPage()
				y, atTop = r.top, true
			}
		}
		if atTop && b.header != nil {
			hh := 0.0
			for _, h := range b.header {
				hh += h.h
			}
			if hh+b.h <= room/3 || hh <= room/4 {
				for _, h := range b.header {
					r.drawBox(h, y)
					y += h.h
				}
			}
		}
		r.drawBox(b, y)
		y += b.h
		atTop = false
	}
}

// chainHeight is the height from box i to the end of its keep chain.
func (r *renderer) chainHeight(i int) float64 {
	end := i
	h := 0.0
	for j := i; j <= end && j < len(r.flow); j++ {
		b := r.flow[j]
		h += b.h
		if b.keep > 0 {
			// Find the keep-th non-glue box after j.
			n, k := 0, j
			text := !b.heading
			for k+1 < len(r.flow) && n < b.keep {
				next := r.flow[k+1]
				if next.heading && text {
					break
				}
				k++
				if !next.glue {
					n++
					text = text || !next.heading
				}
			}
			end = max(end, k)
		}
	}
	return h
}

func (r *renderer) drawBox(b *box, y float64) {
	for _, x := range b.rules {
		r.drawColor(r.quoteRule)
		r.pdf.SetLineWidth(quoteRuleW)
		r.pdf.Line(x, y, x, y+b.h)
	}
	if b.draw != nil {
		b.draw(y)
	}
}

package pdf

import (
	"strings"

	"github.com/yuin/goldmark/text"
)

// Signature block typography, in points.
const (
	signGap      = 24.0 // between the two parties' columns
	signSpace    = 38.0 // room to sign above the rule
	signCaption  = 7.5
	signValue    = 10.0
	signLeading  = 14.0
	signRowAfter = 10.0
)

// signing ends the flow with the acceptance text and the parties' signature
// blocks, two to a row: for each party a heading, a rule to sign on, then
// the printed name, title and date, each on its own captioned line. The
// whole of it is one keep chain, so it moves to a new page rather than
// split, and the acceptance text never stays behind.
func (r *renderer) signing() {
	sg := r.meta.Signing
	if sg == nil || (strings.TrimSpace(sg.Acceptance) == "" && len(sg.Parties) == 0) {
		return
	}
	start := len(r.flow)
	r.space(paraGap * 2.5)
	c := ctx{x: r.left, w: r.contentW, color: colText}
	if a := strings.TrimSpace(sg.Acceptance); a != "" {
		src := []byte(stripEscapes(a))
		doc := parser.Parser().Parse(text.NewReader(src))
		r.blocks(doc, src, c)
	}
	colW := (r.contentW - signGap) / 2
	for i := 0; i < len(sg.Parties); i += 2 {
		row := sg.Parties[i:min(i+2, len(sg.Parties))]
		r.space(paraGap * 2)
		r.signatureRow(row, colW, &c)
	}
	// The space under the last date caption is only there to separate
	// rows; at the end of the document it would push the page over.
	if last := r.flow[len(r.flow)-1]; len(sg.Parties) > 0 && !last.glue {
		last.h -= signRowAfter
	}
	// Every box but the last keeps with the next: one chain. When the
	// section the acceptance closes ("Terms and acceptance") says little
	// before it, the section's heading and those few lines join the chain,
	// so the signature page opens with its heading rather than leaving it
	// on the page before; a longer section stays where it is and only the
	// acceptance and signatures move.
	from := start
	if h := r.sectionStart(start); h >= 0 {
		from = h
	}
	for _, b := range r.flow[from : len(r.flow)-1] {
		if !b.glue {
			b.keep = max(b.keep, 1)
			b.heading = false
		}
	}
}

// signatureRow adds the boxes of up to two parties side by side.
func (r *renderer) signatureRow(row []Signatory, colW float64, c *ctx) {
	lb := r.labels
	// The heading over each column: "For Acme Components Ltd".
	heads := make([][]line, len(row))
	n := 1
	for i, p := range row {
		party := strings.TrimSpace(p.Party)
		if party == "" {
			continue // no heading rather than a bare "For"
		}
		text := strings.ReplaceAll(lb.For, "{party}", party)
		heads[i] = breakLines(r.sh.toPieces([]span{{text: text}}, styleBold, signValue), colW)
		n = max(n, len(heads[i]))
	}
	x := r.left
	r.add(&box{h: float64(n) * signLeading, draw: func(y float64) {
		for i, ls := range heads {
			for j, ln := range ls {
				r.drawLine(ln, x+float64(i)*(colW+signGap), y+float64(j)*signLeading+baselineIn(signLeading, signValue), r.accent)
			}
		}
	}}, c)

	// A captioned line: the value (if known) sits on the rule, the caption
	// under it.
	field := func(values []string, caption string, above float64) {
		lines := make([][]line, len(row))
		m := 1
		for i, v := range values {
			if v = strings.TrimSpace(v); v != "" {
				lines[i] = breakLines(r.sh.toPieces([]span{{text: v}}, 0, signValue), colW)
				m = max(m, len(lines[i]))
			}
		}
		h := above + float64(m)*signLeading + 2 + signCaption + signRowAfter
		r.add(&box{h: h, draw: func(y float64) {
			ruleY := y + above + float64(m)*signLeading
			for i := range row {
				cx := x + float64(i)*(colW+signGap)
				for j, ln := range lines[i] {
					top := ruleY - float64(len(lines[i])-j)*signLeading
					r.drawLine(ln, cx, top+signLeading-4, colText)
				}
				r.hline(cx, cx+colW, ruleY, 0.6, colRuleDark)
				r.fonts.set(faceRegular, signCaption)
				cap := r.sh.toPieces([]span{{text: caption}}, 0, signCaption)
				if ls := breakLines(cap, colW); len(ls) > 0 {
					r.drawLine(ls[0], cx, ruleY+2+signCaption, colMuted)
				}
			}
		}}, c)
	}
	blank := make([]string, len(row))
	names := make([]string, len(row))
	titles := make([]string, len(row))
	for i, p := range row {
		names[i], titles[i] = p.Name, p.Title
	}
	field(blank, lb.Signature, signSpace-signLeading)
	field(names, lb.Name, 6)
	field(titles, lb.SignatoryRole, 6)
	field(blank, lb.SignedOn, 10)
}

// shortSection is the most a section may hold before its acceptance text,
// in points (about six lines of body text), and still move with the
// acceptance and signatures to a new page.
const shortSection = 6*bodyLeading + 2*paraGap

// sectionStart is the flow index of the first line of the last heading
// before index end, when the text between that heading and end is short;
// otherwise -1.
func (r *renderer) sectionStart(end int) int {
	h := end - 1
	for h >= 0 && !r.flow[h].heading {
		h--
	}
	if h < 0 {
		return -1
	}
	body := 0.0
	for _, b := range r.flow[h+1 : end] {
		if !b.glue {
			body += b.h
		}
	}
	if body > shortSection {
		return -1
	}
	for h > 0 && r.flow[h-1].heading {
		h--
	}
	return h
}

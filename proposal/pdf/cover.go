package pdf

import (
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// Cover typography, in points.
const (
	coverTitleSize    = 28.0
	coverTitleLeading = 34.0
	coverTitleLines   = 6
	coverLabelSize    = 8.0
	coverValueSize    = 11.5
	coverValueLeading = 15.0
	logoMaxH          = 40.0
)

// colDraft is the red of the DRAFT marks.
var colDraft = rgb{176, 42, 42}

// coverField is one labelled value in the cover's details block.
type coverField struct {
	label string
	lines []line
}

// cover draws page 1: the firm's logo and contact line when branded, the
// document kind, the title in large type a third of the way down, and who it
// is for, whom it is addressed to, by whom and when at the foot. Nothing is
// cut short: long names wrap.
func (r *renderer) cover() {
	meta, lb := r.meta, r.labels
	r.pdf.AddPage()
	x, w := r.left, r.contentW

	// A thin accent band across the top edge gives the page its colour.
	r.fillRect(0, 0, r.pageW, 6, r.accent)

	// Branding: logo at the top left, firm and contact line at the right.
	top := r.top
	if b := meta.Branding; b != nil {
		logoW := 0.0
		if r.logo != nil {
			lw, lh := r.logo.fit(w*0.4, logoMaxH)
			r.pdf.ImageOptions(r.logo.name, x, top, lw, lh, false, fpdf.ImageOptions{}, 0, "")
			logoW = lw + 18
			top += lh
		}
		y := r.top
		room := w - logoW
		for _, t := range []struct {
			text string
			face faceID
			size float64
			col  rgb
		}{{b.Firm, faceBold, 10.5, colText}, {b.Contact, faceRegular, 8.5, colMuted}} {
			if strings.TrimSpace(t.text) == "" {
				continue
			}
			st := style(0)
			if t.face == faceBold {
				st = styleBold
			}
			for _, ln := range breakLines(r.sh.toPieces([]span{{text: t.text}}, st, t.size), room) {
				r.drawLine(ln, x+w-ln.w, y+baselineIn(t.size*1.35, t.size), t.col)
				y += t.size * 1.35
			}
		}
		top = max(top, y)
	}

	kind := strings.TrimSpace(meta.Kind)
	if kind == "" {
		kind = "Proposal"
	}
	title := strings.TrimSpace(meta.Title)
	if title == "" {
		title = kind
	}

	// The title shrinks rather than being cut when it is very long.
	size, leading := coverTitleSize, coverTitleLeading
	var lines []line
	for {
		lines = breakLines(r.sh.toPieces([]span{{text: title}}, styleBold, size), w*0.9)
		if len(lines) <= coverTitleLines || size <= 16 {
			break
		}
		size, leading = size-4, leading-4.5
	}

	// The details block sits on the bottom margin, above a hairline: client
	// and addressee side by side, then consultant and date, then reference.
	colW := w / 2
	var fields []coverField
	for _, f := range []struct{ label, value string }{
		{lb.PreparedFor, meta.PreparedFor},
		{lb.Attention, meta.Attention},
		{lb.PreparedBy, meta.PreparedBy},
		{lb.Date, meta.Date},
		{lb.Reference, meta.Reference},
	} {
		if strings.TrimSpace(f.value) == "" {
			continue
		}
		val := r.sh.toPieces([]span{{text: f.value}}, 0, coverValueSize)
		fields = append(fields, coverField{label: f.label, lines: breakLines(val, colW-14)})
	}
	var rowH []float64
	for i := 0; i < len(fields); i += 2 {
		n := len(fields[i].lines)
		if i+1 < len(fields) {
			n = max(n, len(fields[i+1].lines))
		}
		rowH = append(rowH, coverLabelSize+8+float64(n)*coverValueLeading+12)
	}
	detailsH := 0.0
	for _, h := range rowH {
		detailsH += h
	}
	detailsTop := r.bottom - detailsH

	// The title block starts a third of the way down, higher if the
	// details need the room, never above the branding.
	titleH := float64(len(lines)) * leading
	y := min(r.pageH*0.33, detailsTop-40-titleH)
	y = max(y, top+60)

	r.spaced(x, y-34, strings.ToUpper(kind), faceBold, 9, 1.6, r.accent)
	if meta.Draft {
		r.draftMark(x+w, y-34)
	}
	r.fillRect(x, y-22, 36, 3, r.accent)
	for _, ln := range lines {
		r.drawLine(ln, x, y+baselineIn(leading, size), colText)
		y += leading
	}

	if len(fields) == 0 {
		return
	}
	r.hline(x, x+w, detailsTop-14, 0.5, colRule)
	fy := detailsTop
	for i, f := range fields {
		fx := x + float64(i%2)*colW
		r.spaced(fx, fy+coverLabelSize, strings.ToUpper(f.label), faceBold, coverLabelSize, 0.8, colMuted)
		for j, ln := range f.lines {
			r.drawLine(ln, fx, fy+coverLabelSize+17+float64(j)*coverValueLeading, colText)
		}
		if i%2 == 1 || i == len(fields)-1 {
			fy += rowH[i/2]
		}
	}
}

// draftMark draws the DRAFT label in a red outline, its right edge at right.
func (r *renderer) draftMark(right, baseline float64) {
	label := strings.ToUpper(strings.TrimSpace(r.labels.Draft))
	const size, track, pad = 9.0, 1.6, 5.0
	w := r.spacedWidth(label, faceBold, size, track) - track
	x := right - w - pad
	r.drawColor(colDraft)
	r.pdf.SetLineWidth(0.9)
	r.pdf.Rect(x-pad, baseline-size-pad+1.5, w+2*pad, size+2*pad, "D")
	r.spaced(x, baseline, label, faceBold, size, track, colDraft)
}

// spaced draws a short label in colour c with letter spacing (tracking),
// which fpdf has no operator for: one character at a time.
func (r *renderer) spaced(x, baseline float64, s string, face faceID, size, track float64, c rgb) {
	r.textColor(c)
	for _, rn := range r.sh.shape(s, face) {
		r.fonts.set(rn.face, size)
		for _, ch := range rn.text {
			t := string(ch)
			r.pdf.Text(x, baseline, t)
			x += textWidth(t, rn.face, size) + track
		}
	}
}

// spacedWidth measures what spaced draws.
func (r *renderer) spacedWidth(s string, face faceID, size, track float64) float64 {
	w := 0.0
	for _, rn := range r.sh.shape(s, face) {
		for _, ch := range rn.text {
			w += textWidth(string(ch), rn.face, size) + track
		}
	}
	return w
}

// ellipsize shortens a line to fit width with a trailing ellipsis.
func ellipsize(ln line, width float64) line {
	if len(ln.pieces) == 0 {
		return ln
	}
	last := ln.pieces[len(ln.pieces)-1]
	ell := piece{text: "…", face: last.face, size: last.size, st: last.st, link: last.link}
	if !metrics[ell.face].has('…') {
		ell.text = "..."
	}
	ell.w = textWidth(ell.text, ell.face, ell.size)
	var out line
	for _, p := range ln.pieces {
		if out.w+p.w+ell.w <= width {
			out.pieces = append(out.pieces, p)
			out.w += p.w
			continue
		}
		// Keep as many characters of this piece as fit.
		if chunks := cutWord([]piece{p}, width-out.w-ell.w); len(chunks) > 0 {
			cw := 0.0
			for _, q := range chunks[0] {
				cw += q.w
			}
			if out.w+cw+ell.w <= width {
				out.pieces = append(out.pieces, chunks[0]...)
				out.w += cw
			}
		}
		break
	}
	for len(out.pieces) > 0 && out.pieces[len(out.pieces)-1].space {
		out.w -= out.pieces[len(out.pieces)-1].w
		out.pieces = out.pieces[:len(out.pieces)-1]
	}
	out.pieces = append(out.pieces, ell)
	out.w += ell.w
	return out
}

// footers writes the title (after the firm, when branded) at the left foot
// of every page but the cover, and "Page N of M" at the right, after DRAFT
// when the document is one. It runs once all pages exist, so M is exact and
// the page number can sit flush with the right margin; an fpdf page-count
// alias would be measured at its own width and also replace any "{nb}" the
// proposal itself contains.
func (r *renderer) footers() {
	total := r.pdf.PageCount()
	title := strings.TrimSpace(r.meta.Title)
	if title == "" {
		title = strings.TrimSpace(r.meta.Kind)
	}
	if title == "" {
		title = "Proposal"
	}
	if b := r.meta.Branding; b != nil && strings.TrimSpace(b.Firm) != "" {
		title = strings.TrimSpace(b.Firm) + "  ·  " + title
	}
	y := r.pageH - footerGap
	for p := 2; p <= total; p++ {
		r.pdf.SetPage(p)
		// The page's own stream may have left another font and colour in
		// effect; fpdf would skip setting what it believes is current.
		r.fonts.set(faceRegular, 1)
		r.fillColor(colWhite)
		r.hline(r.left, r.right, y-11, 0.4, colRule)
		page := strings.NewReplacer("{page}", strconv.Itoa(p), "{pages}", strconv.Itoa(total)).Replace(r.labels.Page)
		label := r.sh.toPieces([]span{{text: page}}, 0, footerSize)
		pl := breakLines(label, r.contentW)[0]
		r.drawLine(pl, r.right-pl.w, y, colMuted)
		right := pl.w
		if r.meta.Draft {
			d := r.sh.toPieces([]span{{text: strings.ToUpper(strings.TrimSpace(r.labels.Draft))}}, styleBold, footerSize)
			dl := breakLines(d, r.contentW/3)[0]
			r.drawLine(dl, r.right-pl.w-14-dl.w, y, colDraft)
			right += 14 + dl.w
		}
		tl := r.sh.toPieces([]span{{text: title}}, 0, footerSize)
		room := r.contentW - right - 24
		lines := breakLines(tl, room)
		if len(lines) > 0 {
			ln := lines[0]
			if len(lines) > 1 {
				ln = ellipsize(ln, room)
			}
			r.drawLine(ln, r.left, y, colMuted)
		}
	}
}

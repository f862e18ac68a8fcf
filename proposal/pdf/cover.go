package pdf

import (
	"strconv"
	"strings"
)

// Cover typography, in points.
const (
	coverTitleSize    = 28.0
	coverTitleLeading = 34.0
	coverTitleLines   = 6
	coverLabelSize    = 8.0
	coverValueSize    = 11.5
)

// cover draws page 1: a small accent label, the title in large type a third
// of the way down, and who it is for, by whom and when at the foot.
func (r *renderer) cover(meta Meta) {
	r.pdf.AddPage()
	x, w := r.left, r.contentW

	// A thin accent band across the top edge gives the page its colour.
	r.fillRect(0, 0, r.pageW, 6, colAccent)

	r.fonts.set(faceBold, 9)
	r.textColor(colAccent)
	r.spaced(x, r.top+9, "PROPOSAL", faceBold, 9, 1.6)

	title := strings.TrimSpace(meta.Title)
	if title == "" {
		title = "Proposal"
	}
	ps := toPieces([]span{{text: title}}, styleBold, coverTitleSize)
	lines := breakLines(ps, w*0.9)
	if len(lines) > coverTitleLines {
		lines = append(lines[:coverTitleLines-1], ellipsize(lines[coverTitleLines-1], w*0.9))
	}
	y := r.pageH * 0.33
	r.fillRect(x, y-22, 36, 3, colAccent)
	for _, ln := range lines {
		r.drawLine(ln, x, y+baselineIn(coverTitleLeading, coverTitleSize), colText)
		y += coverTitleLeading
	}
	if client := strings.TrimSpace(meta.PreparedFor); client != "" {
		y += 10
		sub := toPieces([]span{{text: "for " + client}}, 0, 15)
		for i, ln := range breakLines(sub, w*0.9) {
			if i == 3 {
				break
			}
			r.drawLine(ln, x, y+baselineIn(20, 15), colMuted)
			y += 20
		}
	}

	// The details block sits on the bottom margin, above a hairline.
	type field struct{ label, value string }
	var fields []field
	for _, f := range []field{
		{"Prepared for", meta.PreparedFor},
		{"Prepared by", meta.PreparedBy},
		{"Date", meta.Date},
		{"Reference", meta.Reference},
	} {
		if strings.TrimSpace(f.value) != "" {
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 {
		return
	}
	colW := w / 2
	rowH := 40.0
	nrows := (len(fields) + 1) / 2
	top := r.bottom - float64(nrows)*rowH
	r.hline(x, x+w, top-14, 0.5, colRule)
	for i, f := range fields {
		fx := x + float64(i%2)*colW
		fy := top + float64(i/2)*rowH
		r.fonts.set(faceBold, coverLabelSize)
		r.textColor(colMuted)
		r.spaced(fx, fy+coverLabelSize, strings.ToUpper(f.label), faceBold, coverLabelSize, 0.8)
		val := toPieces([]span{{text: f.value}}, 0, coverValueSize)
		vl := breakLines(val, colW-12)
		if len(vl) > 0 {
			ln := vl[0]
			if len(vl) > 1 {
				ln = ellipsize(ln, colW-12)
			}
			r.drawLine(ln, fx, fy+coverLabelSize+17, colText)
		}
	}
}

// spaced draws a short label with letter spacing (tracking), which fpdf has
// no operator for: one character at a time.
func (r *renderer) spaced(x, baseline float64, s string, face faceID, size, track float64) {
	for _, rn := range shape(s, face) {
		r.fonts.set(rn.face, size)
		for _, ch := range rn.text {
			t := string(ch)
			r.pdf.Text(x, baseline, t)
			x += textWidth(t, rn.face, size) + track
		}
	}
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
		for _, chunk := range cutWord([]piece{p}, width-out.w-ell.w) {
			cw := 0.0
			for _, q := range chunk {
				cw += q.w
			}
			if out.w+cw+ell.w <= width {
				out.pieces = append(out.pieces, chunk...)
				out.w += cw
			}
			break
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

// footers writes "Page N of M" and the title at the foot of every page but
// the cover. It runs once all pages exist, so M is exact and the page
// number can sit flush with the right margin; an fpdf page-count alias
// would be measured at its own width and also replace any "{nb}" the
// proposal itself contains.
func (r *renderer) footers(meta Meta) {
	total := r.pdf.PageCount()
	title := strings.TrimSpace(meta.Title)
	if title == "" {
		title = "Proposal"
	}
	y := r.pageH - footerGap
	for p := 2; p <= total; p++ {
		r.pdf.SetPage(p)
		// The page's own stream may have left another font and colour in
		// effect; fpdf would skip setting what it believes is current.
		r.fonts.set(faceRegular, 1)
		r.fillColor(colWhite)
		r.hline(r.left, r.right, y-11, 0.4, colRule)
		label := toPieces([]span{{text: "Page " + strconv.Itoa(p) + " of " + strconv.Itoa(total)}}, 0, footerSize)
		pl := breakLines(label, r.contentW)[0]
		r.drawLine(pl, r.right-pl.w, y, colMuted)
		tl := toPieces([]span{{text: title}}, 0, footerSize)
		room := r.contentW - pl.w - 24
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

package pdf

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// Table typography, in points.
const (
	tableSize    = 9.5
	tableLeading = 13.0
	cellPadX     = 6.0
	cellPadY     = 4.5
)

// cell is one table cell before layout.
type cell struct {
	pieces []piece
	plain  string
	bold   bool // every word of the cell is bold, as in a total row
	lines  []line
}

// amountCell matches money and percentages: a number with a currency sign
// or code before or after it, or a percent sign, with any of the usual
// thousands separators, and optionally a rate: "€30.500", "$12,000.00",
// "12 500 EUR", "CHF 1'200", "15 %", "(€1.200)", "3 000 € / month",
// "€1.200 per day". A bare count ("24", "3 days") is not an amount.
var amountCell = regexp.MustCompile(`^[(]?[-−+]?\s*(?:(?:[€$£¥₹₽₩₺₴₪₫]|[A-Z]{3}\s?|Fr\.\s?)\s*[-−+]?\d[\d.,'’\s\x{00A0}\x{202F}]*|\d[\d.,'’\s\x{00A0}\x{202F}]*\s*(?:[€$£¥₹₽₩₺₴₪₫%‰]|[A-Z]{3}\b))(?:[kKmM]\b)?[)]?(?:\s*(?:/|per|por|pro|par|al|a)\s*\p{L}{1,12}\.?)?$`)

// isAmount reports whether a cell reads as an amount of money (or a
// percentage) to right-align and keep on one line.
func isAmount(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && len(s) < 64 && amountCell.MatchString(s)
}

// isTotalLabel reports a row label that makes the row a total.
func isTotalLabel(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(s, "total") || strings.HasPrefix(s, "grand total") || strings.HasPrefix(s, "subtotal")
}

type align int

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// table lays out a GFM table: a tinted header row repeated on every page the
// table reaches, light rules between rows, numeric columns right-aligned, and
// a rule above a total row. Column widths follow content: each column gets
// at least its longest word, and the rest of the width goes where text would
// otherwise wrap most.
func (r *renderer) table(t *east.Table, src []byte, c *ctx) {
	rows := tableRows(r, t, src)
	headerRows := 0
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		if _, ok := row.(*east.TableHeader); ok {
			headerRows++
		}
	}
	ncol := 0
	for _, row := range rows {
		ncol = max(ncol, len(row))
	}
	if ncol == 0 {
		return
	}
	for i, row := range rows {
		for len(row) < ncol {
			row = append(row, &cell{})
		}
		rows[i] = row
	}
	aligns := columnAligns(t, rows, headerRows, ncol)
	widths := columnWidths(rows, aligns, c.w)

	r.space(paraGap)
	x := c.x
	var header []*box
	for ri, row := range rows {
		isHeader := ri < headerRows
		total := !isHeader && ri == len(rows)-1 && ri > headerRows && isTotalRow(row)
		slots := 1
		for ci, cl := range row {
			cl.lines = breakLines(cl.pieces, max(widths[ci]-2*cellPadX, 1))
			if len(cl.pieces) == 0 {
				cl.lines = nil
			}
			slots = max(slots, len(cl.lines))
		}
		for s := range slots {
			first, last := s == 0, s == slots-1
			h, off := tableLeading, 0.0
			if first {
				h += cellPadY
				off = cellPadY
			}
			if last {
				h += cellPadY
			}
			b := &box{h: h}
			// Rows stay whole; the header keeps with a row, and the last
			// row never goes to a page alone. A short table (a fee table
			// and its total, a payment schedule) stays whole: split, its
			// total lands under a repeated header on the next page.
			if !last || isHeader || (ri == len(rows)-2 && ri > headerRows) || (len(rows) <= shortTable && ri < len(rows)-1) {
				b.keep = 1
			}
			b.draw = r.drawSlot(row, s, x, widths, aligns, h, off, isHeader, total, first, last)
			if isHeader {
				r.add(b, c)
				header = append(header, b)
				continue
			}
			b.header = header
			r.add(b, c)
		}
	}
	r.space(paraGap * 1.25)
}

// shortTable is the most rows, header included, a table may have and still
// be kept whole on one page.
const shortTable = 6

// tableRows reads a table's cells, header first.
func tableRows(r *renderer, t *east.Table, src []byte) [][]*cell {
	var rows [][]*cell
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		_, header := row.(*east.TableHeader)
		var cells []*cell
		for n := row.FirstChild(); n != nil; n = n.NextSibling() {
			cells = append(cells, newCell(r.sh, n, src, header))
		}
		rows = append(rows, cells)
	}
	return rows
}

func newCell(sh *shaper, n ast.Node, src []byte, header bool) *cell {
	spans := inlines(n, src)
	base := style(0)
	if header {
		base = styleBold
	}
	ps := sh.toPieces(spans, base, tableSize)
	bold := len(ps) > 0
	for _, p := range ps {
		if !p.space && p.st&styleBold == 0 {
			bold = false
		}
	}
	return &cell{pieces: ps, plain: plainText(spans), bold: bold}
}

// isTotalRow: a last row whose filled cells are all bold, or labelled Total.
func isTotalRow(row []*cell) bool {
	if len(row) > 0 && isTotalLabel(row[0].plain) {
		return true
	}
	filled := 0
	for _, cl := range row {
		if len(cl.pieces) == 0 {
			continue
		}
		filled++
		if !cl.bold {
			return false
		}
	}
	return filled > 0
}

// columnAligns honours the column types the Markdown carries: when any
// column states its alignment (the tables built from the facts mark their
// money columns "---:"), the others are text and align left. A table that
// states none (one a model wrote) has a column right-aligned only when most
// of its cells are amounts of money; never a text column just because its
// cells contain digits.
func columnAligns(t *east.Table, rows [][]*cell, headerRows, ncol int) []align {
	out := make([]align, ncol)
	typed := false
	for _, a := range t.Alignments {
		typed = typed || a != east.AlignNone
	}
	for ci := range ncol {
		if ci < len(t.Alignments) {
			switch t.Alignments[ci] {
			case east.AlignRight:
				out[ci] = alignRight
				continue
			case east.AlignCenter:
				out[ci] = alignCenter
				continue
			case east.AlignLeft:
				continue
			}
		}
		if typed {
			continue
		}
		amounts, filled := 0, 0
		for _, row := range rows[headerRows:] {
			s := strings.TrimSpace(row[ci].plain)
			if s == "" || s == "-" || s == "—" || s == "–" {
				continue
			}
			filled++
			if isAmount(s) {
				amounts++
			}
		}
		if filled > 0 && amounts*2 > filled {
			out[ci] = alignRight
		}
	}
	return out
}

// columnWidths shares avail among the columns; tables span the text width.
func columnWidths(rows [][]*cell, aligns []align, avail float64) []float64 {
	ncol := len(aligns)
	natural := make([]float64, ncol)
	minimum := make([]float64, ncol)
	for _, row := range rows {
		for ci, cl := range row {
			nw, mw := naturalWidth(cl.pieces)
			natural[ci] = max(natural[ci], nw+2*cellPadX)
			// A very long word (a URL) may wrap rather than starve the others.
			mw = min(mw, avail*0.3)
			if aligns[ci] == alignRight && isAmount(cl.plain) {
				// An amount, a total above all, never wraps: "€3.000 / month".
				mw = min(nw, avail*0.45)
			}
			minimum[ci] = max(minimum[ci], mw+2*cellPadX)
		}
	}
	sumNat, sumMin := 0.0, 0.0
	for ci := range ncol {
		natural[ci] = max(natural[ci], minimum[ci], 2*cellPadX+8)
		minimum[ci] = max(minimum[ci], 2*cellPadX+8)
		sumNat += natural[ci]
		sumMin += minimum[ci]
	}
	widths := make([]float64, ncol)
	switch {
	case sumNat <= avail:
		// Everything fits on one line: give the spare width to the text
		// columns, so amounts sit snugly at the right edge.
		spare := avail - sumNat
		textNat := 0.0
		for ci := range ncol {
			if aligns[ci] != alignRight {
				textNat += natural[ci]
			}
		}
		for ci := range ncol {
			widths[ci] = natural[ci]
			switch {
			case textNat > 0 && aligns[ci] != alignRight:
				widths[ci] += spare * natural[ci] / textNat
			case textNat == 0:
				widths[ci] += spare * natural[ci] / sumNat
			}
		}
	case narrowFirst(natural, minimum, avail, widths):
	case sumMin <= avail:
		spare := avail - sumMin
		want := sumNat - sumMin
		for ci := range ncol {
			widths[ci] = minimum[ci] + spare*(natural[ci]-minimum[ci])/want
		}
	default:
		for ci := range ncol {
			widths[ci] = avail * minimum[ci] / sumMin
		}
	}
	return widths
}

// narrowFirst gives the columns that fit their fair share (avail/ncol) their
// whole width, so short labels do not wrap, and shares the rest among the
// wide columns by how much each would otherwise wrap. It reports false,
// leaving widths alone, when the wide columns would not get their minimum.
func narrowFirst(natural, minimum []float64, avail float64, widths []float64) bool {
	fair := avail / float64(len(natural))
	rest, wideMin, wideWant := avail, 0.0, 0.0
	wide := 0
	for ci := range natural {
		if natural[ci] <= fair {
			rest -= natural[ci]
			continue
		}
		wide++
		wideMin += minimum[ci]
		wideWant += natural[ci] - minimum[ci]
	}
	if wide == 0 || rest < wideMin || wideWant <= 0 {
		return false
	}
	for ci := range natural {
		if natural[ci] <= fair {
			widths[ci] = natural[ci]
			continue
		}
		widths[ci] = minimum[ci] + (rest-wideMin)*(natural[ci]-minimum[ci])/wideWant
	}
	return true
}

// drawSlot returns the drawing of one line slot of a row: its background,
// the slot's line of every cell, and the row's rules.
func (r *renderer) drawSlot(row []*cell, s int, x float64, widths []float64, aligns []align, h, off float64, isHeader, total, first, last bool) func(y float64) {
	return func(y float64) {
		tableW := 0.0
		for _, w := range widths {
			tableW += w
		}
		if isHeader {
			r.fillRect(x, y, tableW, h, r.accentBg)
		}
		if total && first {
			r.hline(x, x+tableW, y, 0.9, colRuleDark)
		}
		cx := x
		for ci, cl := range row {
			w := widths[ci]
			if s < len(cl.lines) {
				ln := cl.lines[s]
				tx := cx + cellPadX
				switch aligns[ci] {
				case alignRight:
					tx = cx + w - cellPadX - ln.w
				case alignCenter:
					tx = cx + (w-ln.w)/2
				}
				col := colText
				if isHeader {
					col = r.accent
				}
				r.drawLine(ln, tx, y+off+baselineIn(tableLeading, tableSize), col)
			}
			cx += w
		}
		if last {
			switch {
			case isHeader:
				r.hline(x, x+tableW, y+h, 0.9, r.accent)
			case total:
				r.hline(x, x+tableW, y+h, 0.9, colRuleDark)
			default:
				r.hline(x, x+tableW, y+h, 0.4, colRule)
			}
		}
	}
}

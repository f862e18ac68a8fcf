package pdf

import "strings"

// span is a stretch of inline Markdown with one style.
type span struct {
	text string
	st   style
	link string // http(s), mailto or tel URL, or "#anchor" for a heading
	brk  bool   // a hard line break; text is empty
}

// piece is the unit of line breaking: a word fragment in one face, or a
// breakable space.
type piece struct {
	text  string
	face  faceID
	size  float64
	w     float64
	st    style
	link  string
	space bool
	brk   bool
	// glue marks a space that must not break ("11 %", "30 June"); a space
	// with no text is a break opportunity between CJK characters.
	glue bool
}

// line is one laid-out line of inline text.
type line struct {
	pieces []piece
	w      float64
}

// textWidth measures s in face at size points; s must already be shaped.
func textWidth(s string, face faceID, size float64) float64 {
	m := metrics[face]
	n := 0
	for _, r := range s {
		n += m.width(r)
	}
	return float64(n) * size / 1000
}

// codeScale shrinks inline code so monospace does not look louder than text.
const codeScale = 0.9

// toPieces shapes spans at size (base adds style, e.g. bold for headings)
// and cuts them into words and single spaces; runs of spaces collapse into
// one, as they do in a browser.
func (sh *shaper) toPieces(spans []span, base style, size float64) []piece {
	var out []piece
	lastSpace := true // no space at the start of a block
	for _, sp := range spans {
		if sp.brk {
			out = append(out, piece{brk: true})
			lastSpace = true
			continue
		}
		st := sp.st | base
		sz := size
		if st&styleCode != 0 {
			sz = size * codeScale
		}
		for _, rn := range sh.shape(sp.text, textFace(st)) {
			text := rn.text
			for text != "" {
				i := strings.IndexByte(text, ' ')
				if i == 0 {
					if !lastSpace {
						// A space takes the width of the face it sits in.
						out = append(out, piece{text: " ", face: rn.face, size: sz, w: textWidth(" ", rn.face, sz), st: st, link: sp.link, space: true})
						lastSpace = true
					}
					text = text[1:]
					continue
				}
				if i < 0 {
					i = len(text)
				}
				word := text[:i]
				if !mayBreakInside(word) {
					out = append(out, piece{text: word, face: rn.face, size: sz, w: textWidth(word, rn.face, sz), st: st, link: sp.link})
				} else {
					for j, part := range splitCJK(word) {
						if j > 0 {
							out = append(out, piece{face: rn.face, size: sz, st: st, link: sp.link, space: true})
						}
						out = append(out, piece{text: part, face: rn.face, size: sz, w: textWidth(part, rn.face, sz), st: st, link: sp.link})
					}
				}
				lastSpace = false
				text = text[i:]
			}
		}
	}
	// Drop a trailing space so a block never ends in one.
	for len(out) > 0 && out[len(out)-1].space {
		out = out[:len(out)-1]
	}
	glueSpaces(out)
	return out
}

// word is a run of pieces with no break opportunity inside, and the space
// pieces before it.
type word struct {
	spaces []piece
	parts  []piece
	w      float64
	spaceW float64
	brk    bool
}

func toWords(ps []piece) []word {
	var words []word
	var cur word
	push := func() {
		if len(cur.parts) > 0 || cur.brk {
			words = append(words, cur)
		}
		cur = word{}
	}
	for _, p := range ps {
		switch {
		case p.brk:
			push()
			words = append(words, word{brk: true})
		case p.space && p.glue && len(cur.parts) > 0:
			cur.parts = append(cur.parts, p)
			cur.w += p.w
		case p.space:
			if len(cur.parts) > 0 {
				push()
			}
			cur.spaces = append(cur.spaces, p)
			cur.spaceW += p.w
		default:
			cur.parts = append(cur.parts, p)
			cur.w += p.w
		}
	}
	push()
	return words
}

// breakLines fills lines of at most width points, greedily: proposals read
// best ragged-right, and greedy filling is what readers expect from it. A
// word wider than the line is cut between characters.
func breakLines(ps []piece, width float64) []line {
	var lines []line
	var cur line
	flush := func() {
		lines = append(lines, cur)
		cur = line{}
	}
	for _, wd := range toWords(ps) {
		if wd.brk {
			flush()
			continue
		}
		if len(cur.pieces) > 0 && cur.w+wd.spaceW+wd.w <= width {
			cur.pieces = append(cur.pieces, wd.spaces...)
			cur.pieces = append(cur.pieces, wd.parts...)
			cur.w += wd.spaceW + wd.w
			continue
		}
		if len(cur.pieces) > 0 {
			flush()
		}
		if wd.w <= width {
			cur.pieces = append(cur.pieces, wd.parts...)
			cur.w = wd.w
			continue
		}
		for _, chunk := range cutWord(wd.parts, width) {
			if len(cur.pieces) > 0 {
				flush()
			}
			cur.pieces = chunk
			for _, p := range chunk {
				cur.w += p.w
			}
		}
	}
	if len(cur.pieces) > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// cutWord splits a too-long word into chunks no wider than width, at least
// one character each so that layout always advances.
func cutWord(parts []piece, width float64) [][]piece {
	var chunks [][]piece
	var cur []piece
	curW := 0.0
	for _, p := range parts {
		start := 0
		acc := 0.0
		for i, r := range p.text {
			rw := float64(metrics[p.face].width(r)) * p.size / 1000
			if curW+acc+rw > width && (curW > 0 || acc > 0) {
				if i > start {
					seg := p
					seg.text, seg.w = p.text[start:i], acc
					cur = append(cur, seg)
				}
				chunks = append(chunks, cur)
				cur, curW, acc, start = nil, 0, 0, i
			}
			acc += rw
		}
		if start < len(p.text) {
			seg := p
			seg.text, seg.w = p.text[start:], acc
			cur = append(cur, seg)
			curW += acc
		}
	}
	if len(cur) > 0 {
		chunks = append(chunks, cur)
	}
	return chunks
}

// naturalWidth is the width of the pieces on one line (the widest line
// between hard breaks), and minWidth the widest word: the bounds of a table
// column.
func naturalWidth(ps []piece) (natural, minimum float64) {
	lineW := 0.0
	for _, wd := range toWords(ps) {
		if wd.brk {
			lineW = 0
			continue
		}
		if lineW > 0 {
			lineW += wd.spaceW
		}
		lineW += wd.w
		natural = max(natural, lineW)
		minimum = max(minimum, wd.w)
	}
	return natural, minimum
}

// plainText is the text of spans without styling, for outline entries,
// anchors and number detection.
func plainText(spans []span) string {
	var b strings.Builder
	for _, sp := range spans {
		if sp.brk {
			b.WriteByte(' ')
			continue
		}
		b.WriteString(sp.text)
	}
	return b.String()
}

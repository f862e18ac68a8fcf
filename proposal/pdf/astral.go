package pdf

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Characters beyond U+FFFF (most emoji, mathematical letters) cannot reach
// fpdf, which addresses glyphs by 16-bit code. A fallback face's glyphs for
// them are therefore given code points in the Private Use Area: the face is
// embedded with a character map that adds those, and the document's
// ToUnicode map for the face sends them back to the real characters, so
// that copied or extracted text is what was written.

// astralMap pairs a face's characters beyond U+FFFF with the Private Use
// Area code points that stand for them.
type astralMap struct {
	toPUA   map[rune]rune
	fromPUA map[rune]rune
}

// faceAstral holds each face's map, written with the face under facesMu.
var faceAstral [maxFaces]*astralMap

// withAstral returns the font with a character map that also reaches its
// glyphs in the Supplementary Multilingual Plane through Private Use Area
// code points, the map, and m completed with their advances. The font comes
// back unchanged, with a nil map, when it has no such glyphs or the new
// character map would not fit its format.
func withAstral(ttf []byte, m *faceMetrics) ([]byte, *astralMap) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return ttf, nil
	}
	var buf sfnt.Buffer
	type pair struct {
		r rune
		g sfnt.GlyphIndex
	}
	var astral []pair
	for r := rune(0x10000); r < 0x20000; r++ {
		if dropped(r) {
			continue
		}
		if g, err := f.GlyphIndex(&buf, r); err == nil && g != 0 {
			astral = append(astral, pair{r, g})
		}
	}
	if len(astral) == 0 {
		return ttf, nil
	}
	var all []pair
	for r := rune(1); r < 0xFFFF; r++ {
		if g, err := f.GlyphIndex(&buf, r); err == nil && g != 0 {
			all = append(all, pair{r, g})
		}
	}
	upem := int(f.UnitsPerEm())
	am := &astralMap{toPUA: map[rune]rune{}, fromPUA: map[rune]rune{}}
	widths := map[rune]uint16{}
	pua := rune(0xE000)
	for _, p := range astral {
		for pua <= 0xF8FF && m.has(pua) {
			pua++
		}
		if pua > 0xF8FF {
			break
		}
		a, err := f.GlyphAdvance(&buf, p.g, fixed.I(upem), font.HintingNone)
		if err != nil {
			continue
		}
		w := int(float64(a)/64*1000/float64(upem) + 0.5)
		if w <= 0 || w >= missing {
			continue // fpdf's zero-width marker; such a glyph is no use here
		}
		am.toPUA[p.r], am.fromPUA[pua] = pua, p.r
		widths[pua] = uint16(w)
		all = append(all, pair{pua, p.g})
		pua++
	}
	slices.SortFunc(all, func(a, b pair) int { return int(a.r - b.r) })
	codes := make([]uint16, len(all))
	glyphs := make([]uint16, len(all))
	for i, p := range all {
		codes[i], glyphs[i] = uint16(p.r), uint16(p.g)
	}
	sub := cmapFormat4(codes, glyphs)
	if sub == nil {
		return ttf, nil
	}
	// A cmap with one subtable: Windows, Unicode BMP, format 4.
	cmap := append([]byte{0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12}, sub...)
	out, err := replaceTable(ttf, "cmap", cmap)
	if err != nil {
		return ttf, nil
	}
	for r, w := range widths {
		m.adv[r] = w
	}
	return out, am
}

// cmapFormat4 encodes sorted code → glyph pairs as a format 4 subtable: a
// segment per run of consecutive codes, by delta when the glyphs run on too,
// through the glyph array otherwise. It returns nil when the table would be
// larger than the format allows.
func cmapFormat4(codes, glyphs []uint16) []byte {
	type seg struct {
		start, end uint16
		delta      uint16
		glyphs     []uint16 // nil: by delta
	}
	var segs []seg
	for i := 0; i < len(codes); {
		j := i
		for j+1 < len(codes) && codes[j+1] == codes[j]+1 {
			j++
		}
		consecutive := true
		for k := i; k < j; k++ {
			consecutive = consecutive && glyphs[k+1] == glyphs[k]+1
		}
		s := seg{start: codes[i], end: codes[j]}
		if consecutive {
			s.delta = glyphs[i] - codes[i]
		} else {
			s.glyphs = glyphs[i : j+1]
		}
		segs = append(segs, s)
		i = j + 1
	}
	segs = append(segs, seg{start: 0xFFFF, end: 0xFFFF, delta: 1})
	n := len(segs)
	arrayLen := 0
	for _, s := range segs {
		arrayLen += len(s.glyphs)
	}
	length := 16 + 8*n + 2*arrayLen
	if length > 0xFFFF {
		return nil
	}
	b := make([]byte, 0, length)
	u16 := func(v uint16) { b = binary.BigEndian.AppendUint16(b, v) }
	search := 1
	log := 0
	for search*2 <= n {
		search *= 2
		log++
	}
	u16(4)
	u16(uint16(length))
	u16(0)
	u16(uint16(2 * n))
	u16(uint16(2 * search))
	u16(uint16(log))
	u16(uint16(2*n - 2*search))
	for _, s := range segs {
		u16(s.end)
	}
	u16(0)
	for _, s := range segs {
		u16(s.start)
	}
	for _, s := range segs {
		u16(s.delta)
	}
	// idRangeOffset: bytes from this entry to the segment's first glyph.
	at := 0
	for i, s := range segs {
		if s.glyphs == nil {
			u16(0)
			continue
		}
		u16(uint16(2*(n-i) + 2*at))
		at += len(s.glyphs)
	}
	for _, s := range segs {
		for _, g := range s.glyphs {
			u16(g)
		}
	}
	return b
}

// replaceTable rebuilds a TrueType font with one table's data replaced.
func replaceTable(ttf []byte, tag string, data []byte) ([]byte, error) {
	if len(ttf) < 12 {
		return nil, fmt.Errorf("short font")
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	head := 12 + 16*n
	if head > len(ttf) {
		return nil, fmt.Errorf("short table directory")
	}
	out := make([]byte, head, len(ttf)+len(data))
	copy(out, ttf[:head])
	for i := range n {
		rec := out[12+16*i : 12+16*i+16]
		table := data
		if string(rec[:4]) != tag {
			off, size := int(binary.BigEndian.Uint32(rec[8:])), int(binary.BigEndian.Uint32(rec[12:]))
			if off < 0 || size < 0 || off > len(ttf) || size > len(ttf)-off {
				return nil, fmt.Errorf("table %q out of bounds", rec[:4])
			}
			table = ttf[off : off+size]
		}
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(table)))
		out = append(out, table...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out, nil
}

// astralToUnicode gives the faces that drew characters beyond U+FFFF a
// ToUnicode map that sends their Private Use Area codes back to those
// characters, and moves the cross-reference offsets after it.
func (fs *fonts) astralToUnicode(pdf []byte, used map[faceID]map[rune]bool) []byte {
	for id, codes := range used {
		if len(codes) == 0 || !fs.registered[id] {
			continue
		}
		spec := &faceSpecs[id]
		name := spec.name
		if name == "" {
			name = "utf8" + strings.ToLower(spec.family) + strings.ToUpper(spec.style)
		}
		re := regexp.MustCompile(`/BaseFont /` + regexp.QuoteMeta(name) + `\n/Encoding /Identity-H\n/DescendantFonts \[\d+ 0 R\]\n/ToUnicode (\d+) 0 R`)
		m := re.FindSubmatch(pdf)
		if m == nil {
			continue
		}
		obj := []byte("\n" + string(m[1]) + " 0 obj\n")
		start := bytes.Index(pdf, obj)
		if start < 0 {
			continue
		}
		start++
		end := bytes.Index(pdf[start:], []byte("endobj\n"))
		if end < 0 {
			continue
		}
		end += start + len("endobj\n")
		cmap := toUnicodeCMap(codes, faceAstral[id])
		repl := fmt.Sprintf("%s 0 obj\n<</Length %d>>\nstream\n%s\nendstream\nendobj\n", m[1], len(cmap), cmap)
		pdf = spliceObject(pdf, start, end, []byte(repl))
	}
	return pdf
}

// toUnicodeCMap is fpdf's identity map with the Private Use Area codes the
// document used mapped to their characters (as UTF-16 surrogate pairs).
func toUnicodeCMap(codes map[rune]bool, am *astralMap) string {
	var b strings.Builder
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	b.WriteString("2 beginbfrange\n<0000> <DFFF> <0000>\n<F900> <FFFF> <F900>\nendbfrange\n")
	list := sortedRunes(codes)
	for len(list) > 0 {
		chunk := list[:min(len(list), 100)]
		list = list[len(chunk):]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, c := range chunk {
			r := am.fromPUA[c]
			r -= 0x10000
			hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
			fmt.Fprintf(&b, "<%04X> <%04X%04X>\n", c, hi, lo)
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
	return b.String()
}

// spliceObject replaces pdf[start:end] (one whole object) with repl and
// moves every cross-reference offset after it, and startxref, by the
// difference. fpdf writes a classic cross-reference table of 20-byte lines.
func spliceObject(pdf []byte, start, end int, repl []byte) []byte {
	delta := len(repl) - (end - start)
	out := make([]byte, 0, len(pdf)+delta)
	out = append(out, pdf[:start]...)
	out = append(out, repl...)
	out = append(out, pdf[end:]...)
	sx := bytes.LastIndex(out, []byte("startxref\n"))
	if sx < 0 {
		return out
	}
	numEnd := bytes.IndexByte(out[sx+10:], '\n')
	if numEnd < 0 {
		return out
	}
	xref, err := strconv.Atoi(string(out[sx+10 : sx+10+numEnd]))
	if err != nil {
		return out
	}
	if xref > start {
		xref += delta
	}
	tail := fmt.Sprintf("startxref\n%d\n%%%%EOF\n", xref)
	out = append(out[:sx], tail...)
	if xref+5 > len(out) || string(out[xref:xref+5]) != "xref\n" {
		return out
	}
	p := xref + 5
	nl := bytes.IndexByte(out[p:], '\n')
	if nl < 0 {
		return out
	}
	var first, count int
	if _, err := fmt.Sscanf(string(out[p:p+nl]), "%d %d", &first, &count); err != nil {
		return out
	}
	p += nl + 1
	for i := 0; i < count && p+20 <= len(out); i++ {
		line := out[p : p+20]
		if line[17] == 'n' {
			off, err := strconv.Atoi(string(line[:10]))
			if err == nil && off > start {
				copy(line[:10], fmt.Sprintf("%010d", off+delta))
			}
		}
		p += 20
	}
	return out
}

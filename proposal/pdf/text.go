package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// replacementBox stands in for a character no embedded font can draw (emoji,
// astral-plane letters, private-use code points). Liberation Sans has it.
const replacementBox = '□'

// style is the inline formatting of a stretch of text.
type style uint8

const (
	styleBold style = 1 << iota
	styleItalic
	styleCode
	styleStrike
)

// textFace picks the face for a style; code is monospaced and never bold.
func textFace(st style) faceID {
	switch {
	case st&styleCode != 0:
		return faceMono
	case st&styleBold != 0 && st&styleItalic != 0:
		return faceBoldItalic
	case st&styleBold != 0:
		return faceBold
	case st&styleItalic != 0:
		return faceItalic
	}
	return faceRegular
}

// fallbackFace is the face that draws what the text face lacks.
func fallbackFace(id faceID) faceID {
	if id == faceBold || id == faceBoldItalic {
		return faceFallbackBold
	}
	return faceFallback
}

// run is text that draws in one face.
type run struct {
	face faceID
	text string
}

// dropped reports runes that never print and are removed rather than boxed:
// controls, format characters (zero-width joiners, bidi marks, soft hyphens),
// variation selectors, emoji skin-tone modifiers and tag characters.
func dropped(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7F && r < 0xA0:
		return true
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF:
		return true
	case r >= 0x1F3FB && r <= 0x1F3FF, r >= 0xE0000 && r <= 0xE007F:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// cleanSpace maps the whitespace variants that should behave like a plain
// space; it returns r unchanged otherwise. Tabs and line ends inside a
// paragraph are spaces here: hard breaks are structural, not characters.
func cleanSpace(r rune) rune {
	switch r {
	case '\t', '\n', '\r', '\v', '\f', 0x2028, 0x2029, 0x85:
		return ' '
	case 0xA0, 0x2007, 0x202F: // no-break spaces stay
		return r
	}
	if unicode.Is(unicode.Zs, r) {
		return ' '
	}
	return r
}

// shaper turns text into runs a document can draw. It knows the document's
// fallback chain of system faces and remembers, for the export's warnings,
// the characters no face had and those from scripts the PDF cannot shape.
type shaper struct {
	chain    []faceID
	missing  map[rune]bool
	unshaped map[rune]bool
	// usedPUA are the Private Use Area codes drawn per face for
	// characters beyond U+FFFF, for the document's ToUnicode maps.
	usedPUA map[faceID]map[rune]bool
}

// shape is shape with the compiled-in faces only.
func shape(s string, face faceID) []run {
	return (&shaper{}).shape(s, face)
}

// shape turns arbitrary text into runs that fpdf can draw with face, its
// DejaVu fallback or a face of the chain: valid UTF-8, composed (NFC), only
// Basic Multilingual Plane runes the chosen face has a glyph for. Anything
// else becomes one box per character (one per joined emoji sequence) and
// the text around it is kept.
func (sh *shaper) shape(s string, face faceID) []run {
	if s == "" {
		return nil
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, string(utf8.RuneError))
	}
	s = norm.NFC.String(stripEscapes(s))
	primary, fallback := metrics[face], metrics[fallbackFace(face)]
	if face == faceMono {
		fallback = metrics[faceFallback]
	}
	var out []run
	var b strings.Builder
	cur := face
	flush := func() {
		if b.Len() > 0 {
			out = append(out, run{face: cur, text: b.String()})
			b.Reset()
		}
	}
	emit := func(f faceID, r rune) {
		if f != cur {
			flush()
			cur = f
		}
		b.WriteRune(r)
	}
	boxed, joined, regional := false, false, false
	for _, r := range s {
		if r == 0x200D { // zero-width joiner: glue the next emoji to the last
			joined = boxed
			continue
		}
		r = cleanSpace(r)
		if dropped(r) {
			continue
		}
		if r >= 0x0590 && needsShaping(r) {
			sh.note(&sh.unshaped, r)
		}
		switch {
		case primary.has(r) && r != utf8.RuneError:
			emit(face, r)
			boxed, joined, regional = false, false, false
			continue
		case fallback.has(r) && r != utf8.RuneError:
			emit(fallbackFace(face), r)
			boxed, joined, regional = false, false, false
			continue
		}
		if id, code, ok := sh.inChain(r); ok {
			emit(id, code)
			boxed, joined, regional = false, false, false
			continue
		}
		if unicode.In(r, unicode.Mn, unicode.Me) {
			// A mark no font has (an emoji keycap) would box; the character
			// it decorates is already on the page.
			continue
		}
		isRegional := r >= 0x1F1E6 && r <= 0x1F1FF
		if (joined && boxed) || (isRegional && regional) {
			// Second half of a flag or of a joined emoji: one box already
			// stands for the whole sequence.
			joined, regional = false, false
			continue
		}
		if r != utf8.RuneError && !(r >= 0xE000 && r <= 0xF8FF) && r < 0xF0000 {
			sh.note(&sh.missing, r)
		}
		emit(replacementFace(face), replacementRune(face))
		boxed, joined, regional = true, false, isRegional
	}
	flush()
	return out
}

// inChain finds the first face of the fallback chain that has r, and the
// code to draw it with: r itself, or the Private Use Area code that stands
// for a character beyond U+FFFF in that face.
func (sh *shaper) inChain(r rune) (faceID, rune, bool) {
	if r == utf8.RuneError {
		return 0, 0, false
	}
	for _, id := range sh.chain {
		am := faceAstral[id]
		if r > 0xFFFF {
			if code, ok := am.lookup(r); ok {
				if sh.usedPUA == nil {
					sh.usedPUA = map[faceID]map[rune]bool{}
				}
				if sh.usedPUA[id] == nil {
					sh.usedPUA[id] = map[rune]bool{}
				}
				sh.usedPUA[id][code] = true
				return id, code, true
			}
			continue
		}
		if am != nil && am.fromPUA[r] != 0 {
			continue // this code draws an emoji in this face, not r
		}
		if metrics[id].has(r) {
			return id, r, true
		}
	}
	return 0, 0, false
}

// lookup finds the Private Use Area code for r.
func (am *astralMap) lookup(r rune) (rune, bool) {
	if am == nil {
		return 0, false
	}
	code, ok := am.toPUA[r]
	return code, ok
}

// covers reports whether face id can draw r, directly or through its map.
func covers(id faceID, r rune) bool {
	if r > 0xFFFF {
		_, ok := faceAstral[id].lookup(r)
		return ok
	}
	return metrics[id].has(r) && (faceAstral[id] == nil || faceAstral[id].fromPUA[r] == 0)
}

// note records r in a set the shaper keeps for warnings.
func (sh *shaper) note(set *map[rune]bool, r rune) {
	if *set == nil {
		*set = map[rune]bool{}
	}
	(*set)[r] = true
}

// complexScripts are the scripts whose letters change shape with their
// neighbours or run right to left: fpdf draws each character on its own,
// left to right, so words in them come out unjoined or reversed.
var complexScripts = []*unicode.RangeTable{
	unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko,
	unicode.Devanagari, unicode.Bengali, unicode.Gurmukhi, unicode.Gujarati,
	unicode.Oriya, unicode.Tamil, unicode.Telugu, unicode.Kannada,
	unicode.Malayalam, unicode.Sinhala, unicode.Tibetan, unicode.Myanmar,
	unicode.Khmer, unicode.Mongolian,
}

// needsShaping reports a letter of a script the PDF cannot lay out.
func needsShaping(r rune) bool {
	return unicode.IsLetter(r) && unicode.In(r, complexScripts...)
}

// scriptName names the complex script of r for a warning.
func scriptName(r rune) string {
	for _, name := range []string{"Arabic", "Hebrew", "Syriac", "Thaana", "Nko", "Devanagari", "Bengali",
		"Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala", "Tibetan",
		"Myanmar", "Khmer", "Mongolian"} {
		if unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	return "right-to-left"
}

// stripEscapes removes terminal escape sequences pasted along with text:
// CSI (ESC [ or U+009B, up to a final byte), OSC, DCS, SOS, PM and APC
// (ESC ] P X ^ _ or their C1 forms, up to BEL or ST) and two-byte escapes.
// What is left of a broken sequence is dropped as control characters later.
func stripEscapes(s string) string {
	if !strings.ContainsAny(s, "\x1b\u009b\u009d\u0090\u0098\u009e\u009f") {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		kind := rune(0)
		switch {
		case r == 0x1b && i+1 < len(rs):
			switch rs[i+1] {
			case '[':
				kind, i = '[', i+1
			case ']', 'P', 'X', '^', '_':
				kind, i = ']', i+1
			default:
				i++ // a two-character escape such as ESC c
				continue
			}
		case r == 0x9b:
			kind = '['
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f:
			kind = ']'
		}
		switch kind {
		case '[':
			// Parameter and intermediate bytes, then one final byte.
			for i+1 < len(rs) && rs[i+1] >= 0x30 && rs[i+1] <= 0x3f {
				i++
			}
			for i+1 < len(rs) && rs[i+1] >= 0x20 && rs[i+1] <= 0x2f {
				i++
			}
			if i+1 < len(rs) && rs[i+1] >= 0x40 && rs[i+1] <= 0x7e {
				i++
			}
		case ']':
			for i+1 < len(rs) {
				i++
				if rs[i] == 0x07 || rs[i] == 0x9c {
					break
				}
				if rs[i] == 0x1b && i+1 < len(rs) && rs[i+1] == '\\' {
					i++
					break
				}
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// replacementFace and replacementRune choose how a missing glyph shows: a
// box when the text face has one, otherwise a question mark.
func replacementFace(face faceID) faceID {
	if metrics[face].has(replacementBox) {
		return face
	}
	if metrics[fallbackFace(face)].has(replacementBox) {
		return fallbackFace(face)
	}
	return face
}

func replacementRune(face faceID) rune {
	if metrics[face].has(replacementBox) || metrics[fallbackFace(face)].has(replacementBox) {
		return replacementBox
	}
	return '?'
}

// plain cleans text that goes into PDF strings no embedded font draws:
// document metadata and outline entries. The viewer renders those with its
// own fonts, so only what fpdf's UTF-16 conversion cannot carry is replaced.
func plain(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, string(utf8.RuneError))
	}
	s = norm.NFC.String(stripEscapes(s))
	var b strings.Builder
	space := false
	for _, r := range s {
		r = cleanSpace(r)
		if dropped(r) {
			continue
		}
		if r > 0xFFFF || r == 0xFFFE || r == 0xFFFF {
			r = replacementBox
		}
		if r == ' ' {
			if space || b.Len() == 0 {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteRune(r)
	}
	return strings.TrimRight(b.String(), " ")
}

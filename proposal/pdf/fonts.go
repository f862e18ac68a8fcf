package pdf

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"github.com/go-fonts/liberation/liberationmonoregular"
	"github.com/go-fonts/liberation/liberationsansbold"
	"github.com/go-fonts/liberation/liberationsansbolditalic"
	"github.com/go-fonts/liberation/liberationsansitalic"
	"github.com/go-fonts/liberation/liberationsansregular"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// faceID names one TrueType face. The first faceCount are compiled in: the
// text faces are Liberation Sans (metric-compatible with Arial, the look
// clients expect from a business document); DejaVu Sans is the first
// fallback, for the symbols Liberation lacks (check marks, ballot boxes,
// rarer scripts). Faces from the system's font folders or the user's config
// (CJK, symbols) get the ids after them, once per process.
type faceID uint8

const (
	faceRegular faceID = iota
	faceBold
	faceItalic
	faceBoldItalic
	faceMono
	faceFallback
	faceFallbackBold
	faceCount // the number of compiled-in faces
)

// maxFaces bounds the faces one process loads, compiled-in and system ones.
const maxFaces = 64

// faceSpec says where a face comes from and how fpdf knows it.
type faceSpec struct {
	// family and style are fpdf's key for the face. The family is a
	// placeholder of the length that makes fpdf's "utf8<family><style>" as
	// long as the embedded name, so that the real name can replace it in
	// the finished file without moving any byte offset.
	family, style string
	ttf           []byte
	// name is the embedded font's name: a subset tag and the PostScript
	// name ("KQZJXA+LiberationSans-Bold"); path is where a system face was
	// read from.
	name, path string
}

var builtinTTF = [faceCount]struct {
	style string
	ttf   []byte
}{
	faceRegular:      {"", liberationsansregular.TTF},
	faceBold:         {"B", liberationsansbold.TTF},
	faceItalic:       {"I", liberationsansitalic.TTF},
	faceBoldItalic:   {"BI", liberationsansbolditalic.TTF},
	faceMono:         {"", liberationmonoregular.TTF},
	faceFallback:     {"", dejavusans.TTF},
	faceFallbackBold: {"B", dejavusansbold.TTF},
}

// missing marks a rune the face has no glyph for in faceMetrics.adv.
const missing = 0xFFFF

// faceMetrics holds what layout needs from a face: the advance of every
// Basic Multilingual Plane rune in thousandths of an em, rounded exactly as
// fpdf rounds them for the PDF /W array, so measured and drawn widths agree.
type faceMetrics struct {
	adv [0x10000]uint16
}

// has reports whether the face can draw r. fpdf indexes 64K-entry tables by
// rune, so anything outside the BMP must never reach it.
func (m *faceMetrics) has(r rune) bool {
	return m != nil && r >= 0 && r < 0x10000 && m.adv[r] != missing
}

// width returns the advance of r in thousandths of an em.
func (m *faceMetrics) width(r rune) int {
	if !m.has(r) {
		return 0
	}
	return int(m.adv[r])
}

// The face table. Entries are written once, under facesMu, before their id
// is handed to any renderer, and never change afterwards; reading an entry
// whose id a renderer holds therefore needs no lock.
var (
	metricsOnce sync.Once
	metricsErr  error
	facesMu     sync.Mutex
	nfaces      int
	metrics     [maxFaces]*faceMetrics
	faceSpecs   [maxFaces]faceSpec
)

// loadMetrics parses the glyph coverage and advances of the compiled-in
// faces once per process; Render is then safe for concurrent use.
func loadMetrics() error {
	metricsOnce.Do(func() {
		facesMu.Lock()
		defer facesMu.Unlock()
		for id, b := range builtinTTF {
			m, ps, err := parseMetrics(b.ttf)
			if err != nil {
				metricsErr = fmt.Errorf("font %d: %w", id, err)
				return
			}
			metrics[id] = m
			faceSpecs[id] = newSpec(faceID(id), b.style, ps, b.ttf, "")
		}
		nfaces = int(faceCount)
	})
	return metricsErr
}

// addFace records a face read from the system and returns its id; the
// caller holds facesMu.
func addFace(m *faceMetrics, ps string, ttf []byte, path string) (faceID, bool) {
	if nfaces >= maxFaces {
		return 0, false
	}
	id := faceID(nfaces)
	metrics[id] = m
	faceSpecs[id] = newSpec(id, "", ps, ttf, path)
	nfaces++
	return id, true
}

// newSpec names a face: the embedded name from its PostScript name, and an
// fpdf family placeholder of matching length.
func newSpec(id faceID, style, ps string, ttf []byte, path string) faceSpec {
	ps = pdfName(ps)
	if ps == "" {
		ps = fmt.Sprintf("Font%d", id)
	}
	name := subsetTag(ps) + "+" + ps
	family := fmt.Sprintf("pf%02d", id)
	// fpdf writes "utf8" + lower(family) + style as the font's name.
	if pad := len(name) - len("utf8") - len(family) - len(style); pad >= 0 {
		family += strings.Repeat("q", pad)
	} else {
		name = "" // too short to carry the real name: keep fpdf's
	}
	return faceSpec{family: family, style: style, ttf: ttf, name: name, path: path}
}

// pdfName keeps the characters a PDF name can hold without escapes.
func pdfName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// subsetTag is the six capital letters PDF puts before a subset font's
// name; derived from the name so output stays reproducible.
func subsetTag(ps string) string {
	h := fnv.New64a()
	h.Write([]byte(ps))
	v := h.Sum64()
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = byte('A' + v%26)
		v /= 26
	}
	return string(tag)
}

// parseMetrics reads a face's advances and its PostScript name.
func parseMetrics(ttf []byte) (*faceMetrics, string, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, "", err
	}
	upem := int(f.UnitsPerEm())
	if upem <= 0 {
		return nil, "", fmt.Errorf("bad units per em %d", upem)
	}
	ppem := fixed.I(upem)
	var buf sfnt.Buffer
	ps, _ := f.Name(&buf, sfnt.NameIDPostScript)
	m := new(faceMetrics)
	for r := range rune(0x10000) {
		m.adv[r] = missing
		// 0xFFFF is fpdf's own "zero width" marker and never a real character.
		if r == 0 || r == 0xFFFF {
			continue
		}
		g, err := f.GlyphIndex(&buf, r)
		if err != nil || g == 0 {
			continue
		}
		a, err := f.GlyphAdvance(&buf, g, ppem, font.HintingNone)
		if err != nil {
			continue
		}
		w := int(float64(a)/64*1000/float64(upem) + 0.5)
		if w < 0 || w >= missing {
			w = 0
		}
		m.adv[r] = uint16(w)
	}
	return m, ps, nil
}

// fonts registers faces with one fpdf document on first use, so a document
// embeds only the faces it draws with.
type fonts struct {
	pdf        *fpdf.Fpdf
	registered [maxFaces]bool
}

// set selects face at size (in points) for the next drawing call.
func (fs *fonts) set(id faceID, size float64) {
	spec := &faceSpecs[id]
	if !fs.registered[id] {
		fs.pdf.AddUTF8FontFromBytes(spec.family, spec.style, spec.ttf)
		fs.registered[id] = true
	}
	fs.pdf.SetFont(spec.family, spec.style, size)
}

// realNames replaces fpdf's names for the embedded fonts ("utf8pf00qq…")
// with their subset-tagged PostScript names in a finished PDF. Each
// replacement has the length of what it replaces, so the cross-reference
// offsets stay right.
func (fs *fonts) realNames(pdf []byte) []byte {
	for id, ok := range fs.registered {
		spec := &faceSpecs[id]
		if !ok || spec.name == "" {
			continue
		}
		old := []byte("/utf8" + strings.ToLower(spec.family) + strings.ToUpper(spec.style))
		pdf = bytes.ReplaceAll(pdf, old, []byte("/"+spec.name))
	}
	return pdf
}

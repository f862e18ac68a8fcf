package pdf

import (
	"fmt"
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

// faceID names one embedded TrueType face. The text faces are Liberation Sans
// (metric-compatible with Arial, the look clients expect from a business
// document); DejaVu Sans is only a fallback for the symbols Liberation lacks
// (check marks, ballot boxes, rarer scripts).
type faceID uint8

const (
	faceRegular faceID = iota
	faceBold
	faceItalic
	faceBoldItalic
	faceMono
	faceFallback
	faceFallbackBold
	faceCount
)

// faceSpec says where a face comes from and how fpdf knows it.
type faceSpec struct {
	family, style string
	ttf           []byte
}

var faceSpecs = [faceCount]faceSpec{
	faceRegular:      {"sans", "", liberationsansregular.TTF},
	faceBold:         {"sans", "B", liberationsansbold.TTF},
	faceItalic:       {"sans", "I", liberationsansitalic.TTF},
	faceBoldItalic:   {"sans", "BI", liberationsansbolditalic.TTF},
	faceMono:         {"mono", "", liberationmonoregular.TTF},
	faceFallback:     {"symbols", "", dejavusans.TTF},
	faceFallbackBold: {"symbols", "B", dejavusansbold.TTF},
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
	return r >= 0 && r < 0x10000 && m.adv[r] != missing
}

// width returns the advance of r in thousandths of an em.
func (m *faceMetrics) width(r rune) int {
	if !m.has(r) {
		return 0
	}
	return int(m.adv[r])
}

var (
	metricsOnce sync.Once
	metrics     [faceCount]*faceMetrics
	metricsErr  error
)

// loadMetrics parses the glyph coverage and advances of all faces once per
// process; Render is then safe for concurrent use.
func loadMetrics() error {
	metricsOnce.Do(func() {
		for id, spec := range faceSpecs {
			m, err := parseMetrics(spec.ttf)
			if err != nil {
				metricsErr = fmt.Errorf("font %s %s: %w", spec.family, spec.style, err)
				return
			}
			metrics[id] = m
		}
	})
	return metricsErr
}

func parseMetrics(ttf []byte) (*faceMetrics, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, err
	}
	upem := int(f.UnitsPerEm())
	if upem <= 0 {
		return nil, fmt.Errorf("bad units per em %d", upem)
	}
	ppem := fixed.I(upem)
	var buf sfnt.Buffer
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
	return m, nil
}

// fonts registers faces with one fpdf document on first use, so a document
// embeds only the faces it draws with.
type fonts struct {
	pdf        *fpdf.Fpdf
	registered [faceCount]bool
}

// set selects face at size (in points) for the next drawing call.
func (fs *fonts) set(id faceID, size float64) {
	if !fs.registered[id] {
		spec := faceSpecs[id]
		fs.pdf.AddUTF8FontFromBytes(spec.family, spec.style, spec.ttf)
		fs.registered[id] = true
	}
	spec := faceSpecs[id]
	fs.pdf.SetFont(spec.family, spec.style, size)
}

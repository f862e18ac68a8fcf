package pdf

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"

	"propose/proposal/pdf/pdftest"
)

// cjkClient is a client named in Japanese, and emojiBody text with emoji
// that neither Liberation nor DejaVu has, in the Basic Multilingual Plane
// (✅ ⭐) and beyond it (😀 🚀).
const (
	cjkClient = "大阪精密"
	emojiBody = "## Status\n\nPilot live ✅ and rated ⭐ by 大阪精密 😀 🚀.\n"
)

// TestFallbackFontsDrawCJKAndEmoji renders with the system's fonts: with a
// TrueType CJK font and a symbol font installed (.ci/run installs
// fonts-droid-fallback and fonts-symbola), the client's name and the emoji
// read back from the PDF as written, in fonts embedded under their real
// names, and nothing is reported missing.
func TestFallbackFontsDrawCJKAndEmoji(t *testing.T) {
	need := map[rune]bool{'大': true, '✅': true, '😀': true}
	if chain, _ := fallbackChain(need, nil, nil, true); len(chain) == 0 {
		t.Skip("no TrueType CJK or symbol font on this system: apt-get install fonts-droid-fallback fonts-symbola")
	}
	var buf bytes.Buffer
	meta := Meta{Title: "Line balancing", PreparedFor: cjkClient, Attention: "山田 花子, 工場長"}
	opts := pinned(Options{})
	opts.FontDirs = nil // the system's folders
	warnings, err := Render(&buf, meta, []byte(emojiBody), opts)
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdftest.Text(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	// A line drawn in several fonts reads back as one run per font.
	text = strings.ReplaceAll(text, "\n", "")
	for _, want := range []string{cjkClient, "山田 花子", "Pilot live ✅ and rated ⭐ by 大阪精密 😀 🚀."} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "□") {
		t.Errorf("PDF shows □ although fonts are installed:\n%s", text)
	}
	for _, w := range warnings {
		if strings.Contains(w, "□") {
			t.Errorf("warning with fonts installed: %s", w)
		}
	}
	names := buf.String()
	if strings.Contains(names, "/utf8") {
		t.Error("a font is embedded under fpdf's made-up name")
	}
	if !strings.Contains(names, "+LiberationSans") {
		t.Error("Liberation Sans not embedded under its real name")
	}
}

// TestMissingGlyphsWarn points the font search at an empty folder: the CJK
// name and the emoji show as □, and the export says so once, naming the
// characters and what to install.
func TestMissingGlyphsWarn(t *testing.T) {
	meta := Meta{Title: "Line balancing", PreparedFor: cjkClient}
	data, warnings := renderW(t, meta, []byte(emojiBody), Options{FontDirs: []string{t.TempDir()}})
	text, err := pdftest.Text(data)
	if err != nil {
		t.Fatal(err)
	}
	text = strings.ReplaceAll(text, "\n", "")
	if !strings.Contains(text, "□□□□") || !strings.Contains(text, "Pilot live □ and rated □ by □□□□ □ □.") {
		t.Errorf("missing characters not shown as □:\n%s", text)
	}
	if len(warnings) != 1 {
		t.Fatalf("want one warning, got %q", warnings)
	}
	w := warnings[0]
	for _, want := range []string{"□", "大 (U+5927)", "✅ (U+2705)", "⭐ (U+2B50)", "😀 (U+1F600)", installCJK, installSymbols, "Markdown"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning lacks %q: %s", want, w)
		}
	}
}

// TestUserFontFirst names a font file as the config would: it is used, and
// a file that is not a TrueType font is reported, not fatal.
func TestUserFontFirst(t *testing.T) {
	font := filepath.Join(t.TempDir(), "dejavu.ttf")
	if err := os.WriteFile(font, faceSpecs[faceFallback].ttf, 0o644); err != nil {
		t.Fatal(err)
	}
	bogus := filepath.Join(t.TempDir(), "bogus.otf")
	if err := os.WriteFile(bogus, []byte("OTTO not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, warnings := renderW(t, Meta{Title: "x"}, []byte("Text ⌚ here.\n"), Options{Fonts: []string{bogus, font}, FontDirs: []string{t.TempDir()}})
	joined := strings.Join(warnings, "\n")
	if !strings.Contains(joined, "bogus.otf cannot be used") || !strings.Contains(joined, "TrueType") {
		t.Errorf("bad font file not reported: %q", warnings)
	}
}

// TestComplexScriptsWarn: Arabic and Devanagari print unshaped, and the
// export says so and points to Markdown.
func TestComplexScriptsWarn(t *testing.T) {
	_, warnings := renderW(t, Meta{Title: "x"}, []byte("Arabic مرحبا and Hindi नमस्ते.\n"), Options{})
	joined := strings.Join(warnings, "\n")
	for _, want := range []string{"Arabic", "Devanagari", "Markdown"} {
		if !strings.Contains(joined, want) {
			t.Errorf("warning lacks %q: %q", want, warnings)
		}
	}
}

// TestInstalledFallbackFontsEmbed checks that fpdf really reads each known
// fallback font installed here: drawn, embedded and read back.
func TestInstalledFallbackFontsEmbed(t *testing.T) {
	if err := loadMetrics(); err != nil {
		t.Fatal(err)
	}
	files := fontFiles(systemFontDirs())
	tried := 0
	for _, p := range files {
		base := filepath.Base(p)
		known := false
		for _, k := range knownFonts {
			known = known || strings.EqualFold(base, k)
		}
		if !known {
			continue
		}
		tried++
		t.Run(base, func(t *testing.T) {
			facesMu.Lock()
			id, err := loadSystemFace(p)
			facesMu.Unlock()
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			var sample []rune
			for _, r := range "大あ한✅⭐😀🚀" {
				if covers(id, r) {
					sample = append(sample, r)
				}
			}
			if len(sample) == 0 {
				t.Skipf("%s has none of the sample characters", p)
			}
			sh := &shaper{chain: []faceID{id}}
			var buf bytes.Buffer
			_, err = render(&buf, Meta{Title: "x"}, []byte(string(sample)), "A4", sh, testNow)
			if err != nil {
				t.Fatal(err)
			}
			text, err := pdftest.Text(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text, string(sample)) {
				t.Errorf("%s: %q not read back", p, string(sample))
			}
			if !strings.Contains(buf.String(), "+"+pdfName(strings.SplitN(faceSpecs[id].name, "+", 2)[1])) {
				t.Errorf("%s not embedded under its name %s", p, faceSpecs[id].name)
			}
		})
	}
	if tried == 0 {
		t.Skip("no known fallback font installed")
	}
}

// TestCollectionFirstFace: the first font of a .ttc collection is rebuilt as
// a font file fpdf reads (WenQuanYi Zen Hei ships only as a collection).
func TestCollectionFirstFace(t *testing.T) {
	if err := loadMetrics(); err != nil {
		t.Fatal(err)
	}
	ttf := faceSpecs[faceFallback].ttf
	// A collection of one: the header, then the font with its table
	// offsets moved by the header's 16 bytes.
	ttc := append([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10"), ttf...)
	n := int(ttc[16+4])<<8 | int(ttc[16+5])
	for i := range n {
		rec := ttc[16+12+16*i:]
		v := uint32(rec[8])<<24 | uint32(rec[9])<<16 | uint32(rec[10])<<8 | uint32(rec[11])
		v += 16
		rec[8], rec[9], rec[10], rec[11] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	face, err := firstFace(ttc)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkTrueType(face); err != nil {
		t.Fatalf("rebuilt face: %v", err)
	}
	m, ps, err := parseMetrics(face)
	if err != nil || ps != "DejaVuSans" || !m.has('✓') {
		t.Fatalf("rebuilt face reads as %q, %v", ps, err)
	}
	if err := fpdfReads(face, m); err != nil {
		t.Fatal(err)
	}
	if _, err := firstFace([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\xff\xff\xff\xff")); err == nil {
		t.Error("a damaged collection was accepted")
	}
}

// FuzzFontFile feeds damaged font files to the checks a user's or the
// system's font goes through before any document uses it: none may panic.
func FuzzFontFile(f *testing.F) {
	if err := loadMetrics(); err != nil {
		f.Fatal(err)
	}
	f.Add(faceSpecs[faceFallback].ttf[:4096])
	f.Add([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10\x00\x01\x00\x00\x00\x02"))
	f.Add([]byte("OTTO"))
	f.Fuzz(func(t *testing.T, b []byte) {
		face, err := firstFace(b)
		if err != nil || checkTrueType(face) != nil {
			return
		}
		m, _, err := parseMetrics(face)
		if err != nil {
			return
		}
		face, _ = withAstral(face, m)
		_ = fpdfReads(face, m)
	})
}

// TestCmapFormat4RoundTrip encodes code → glyph pairs, runs and scattered
// ones, into a font's character map and reads them back with sfnt.
func TestCmapFormat4RoundTrip(t *testing.T) {
	if err := loadMetrics(); err != nil {
		t.Fatal(err)
	}
	var codes, glyphs []uint16
	for c := uint16(0x20); c < 0x80; c++ { // a run with consecutive glyphs
		codes, glyphs = append(codes, c), append(glyphs, c-0x1d)
	}
	for c := uint16(0x400); c < 0x440; c++ { // a run with scattered glyphs
		codes, glyphs = append(codes, c), append(glyphs, (c*7)%500+1)
	}
	for i := range uint16(300) { // single codes in the Private Use Area
		codes, glyphs = append(codes, 0xE000+2*i), append(glyphs, 900+i)
	}
	sub := cmapFormat4(codes, glyphs)
	if sub == nil {
		t.Fatal("no table")
	}
	ttf, err := replaceTable(faceSpecs[faceFallback].ttf, "cmap", append([]byte{0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12}, sub...))
	if err != nil {
		t.Fatal(err)
	}
	if err := checkTrueType(ttf); err != nil {
		t.Fatal(err)
	}
	f, err := sfnt.Parse(ttf)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range codes {
		if g, err := f.GlyphIndex(nil, rune(c)); err != nil || uint16(g) != glyphs[i] {
			t.Fatalf("U+%04X maps to glyph %d (%v), want %d", c, g, err, glyphs[i])
		}
	}
	if g, _ := f.GlyphIndex(nil, 0xE001); g != 0 {
		t.Errorf("unmapped U+E001 maps to glyph %d", g)
	}
}

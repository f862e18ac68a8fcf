package pdf

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// checkShape asserts what fpdf needs from shaped text, and that no plain
// ASCII letter or digit of the input is lost.
func checkShape(t *testing.T, s string) {
	t.Helper()
	if err := loadMetrics(); err != nil {
		t.Fatal(err)
	}
	for face := range faceCount {
		runs := shape(s, face)
		var kept strings.Builder
		for _, rn := range runs {
			if rn.text == "" || !utf8.ValidString(rn.text) {
				t.Fatalf("face %d: bad run %q from %q", face, rn.text, s)
			}
			for _, r := range rn.text {
				if !metrics[rn.face].has(r) {
					t.Fatalf("face %d: %U has no glyph in face %d (input %q)", face, r, rn.face, s)
				}
				if r < 0x20 || (r >= 0x7f && r < 0xa0) {
					t.Fatalf("face %d: control %U reached a run (input %q)", face, r, s)
				}
				if isASCIIAlnum(r) {
					kept.WriteRune(r)
				}
			}
		}
		if want := asciiAlnum(norm.NFC.String(stripEscapes(strings.ToValidUTF8(s, "\uFFFD")))); kept.String() != want {
			t.Fatalf("face %d: kept %q, want %q (input %q %x)", face, kept.String(), want, s, s)
		}
	}
	p := plain(s)
	if !utf8.ValidString(p) {
		t.Fatalf("plain(%q) = %q is not UTF-8", s, p)
	}
	for _, r := range p {
		if r > 0xFFFD || r < 0x20 {
			t.Fatalf("plain(%q) keeps %U", s, r)
		}
	}
}

func isASCIIAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func asciiAlnum(s string) string {
	var b strings.Builder
	for _, r := range s {
		if isASCIIAlnum(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestShapeRandomText(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ranges := [][2]rune{
		{0, 0x7f}, {0x80, 0x24f}, {0x370, 0x52f}, {0x2000, 0x2bff}, {0xd7f0, 0xe100},
		{0xfe00, 0xffff}, {0x10000, 0x1ffff}, {0x1f300, 0x1faff}, {0xe0000, 0x10ffff},
	}
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(40) {
			if rng.IntN(20) == 0 {
				b.WriteByte(byte(rng.IntN(256))) // stray invalid bytes
				continue
			}
			rg := ranges[rng.IntN(len(ranges))]
			b.WriteRune(rg[0] + rune(rng.IntN(int(rg[1]-rg[0]+1))))
		}
		checkShape(t, b.String())
	}
}

func TestShapeReplacements(t *testing.T) {
	if err := loadMetrics(); err != nil {
		t.Fatal(err)
	}
	join := func(runs []run) string {
		var b strings.Builder
		for _, rn := range runs {
			b.WriteString(rn.text)
		}
		return b.String()
	}
	for in, want := range map[string]string{
		"a😀b":                      "a□b",
		"family 👨‍👩‍👧 x":           "family □ x",
		"flags 🇬🇷🇷🇺 x":             "flags □□ x",
		"thumb 👍🏽":                 "thumb □",
		"e\u0301":                  "é",
		"tab\there":                "tab here",
		"nb\u00a0sp":               "nb\u00a0sp",
		"zw\u200bsp":               "zwsp",
		"\x1b[1;31mred\x1b[0m":     "red",
		"\x1b]8;;http://x\x07link": "link",
		"✓ ☐":                      "✓ ☐",
		"€ — Αθήνα Москва":         "€ — Αθήνα Москва",
		"\xff":                     "□",
	} {
		if got := join(shape(in, faceRegular)); got != want {
			t.Errorf("shape(%q) = %q, want %q", in, got, want)
		}
	}
	if runs := shape("a ✓ b", faceRegular); len(runs) != 3 || runs[1].face != faceFallback {
		t.Errorf("check mark not drawn with the fallback face: %+v", runs)
	}
}

// FuzzShape checks the character cleaning alone, thousands of times faster
// than FuzzRender.
func FuzzShape(f *testing.F) {
	for _, s := range []string{"a😀b", unsafeBody, sampleBody, "\x1b[31m", "\U0010FFFF", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(checkShape)
}

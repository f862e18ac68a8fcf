package tui

import (
	"image/color"
	"math"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// xterm's default 16 colours: what a stock terminal shows for ANSI indexes.
var xterm16 = []string{"#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
	"#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff"}

func rgbOf(c color.Color, p colorprofile.Profile) (r, g, b float64) {
	if a, ok := c.(lipgloss.ANSIColor); ok && p == colorprofile.ANSI {
		c = lipgloss.Color(xterm16[int(a)])
	}
	r16, g16, b16, _ := c.RGBA()
	return float64(r16) / 65535, float64(g16) / 65535, float64(b16) / 65535
}

func luminance(r, g, b float64) float64 {
	lin := func(v float64) float64 {
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(fg, bg color.Color, p colorprofile.Profile) float64 {
	l1 := luminance(rgbOf(fg, p))
	l2 := luminance(rgbOf(bg, colorprofile.TrueColor))
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

// Every text colour keeps WCAG AA (4.5:1) against light and dark
// backgrounds at 16, 256 and true colours; borders and dividers 3:1. The
// 16-colour check assumes xterm's default palette; the others are checked
// against pure and common off-white / off-black backgrounds.
func TestPaletteContrast(t *testing.T) {
	type bgCase struct {
		name string
		pal  palette
		bgs  []string
	}
	cases := []bgCase{
		{"light", lightPalette, []string{"#ffffff", "#f5f5f5"}},
		{"dark", darkPalette, []string{"#000000", "#1e1e1e"}},
	}
	for _, c := range cases {
		text := map[string]shade{"accent": c.pal.accent, "dim": c.pal.dim, "faint": c.pal.faint,
			"green": c.pal.green, "yellow": c.pal.yellow, "red": c.pal.red}
		for _, p := range []colorprofile.Profile{colorprofile.ANSI, colorprofile.ANSI256, colorprofile.TrueColor} {
			bgs := c.bgs
			if p == colorprofile.ANSI {
				bgs = bgs[:1] // the terminal's own background
			}
			for _, bg := range bgs {
				check := func(role string, s shade, min float64) {
					if got := contrast(s.pick(p), lipgloss.Color(bg), p); got < min {
						t.Errorf("%s background %s, %s: %s is %.2f:1, want at least %.1f:1", c.name, bg, profileName(p), role, got, min)
					}
				}
				for role, s := range text {
					check(role, s, 4.5)
				}
				check("border", c.pal.border, 3)
			}
		}
	}
}

func profileName(p colorprofile.Profile) string {
	switch p {
	case colorprofile.ANSI:
		return "16 colours"
	case colorprofile.ANSI256:
		return "256 colours"
	}
	return "true colour"
}

package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// shade is one colour of the palette in each colour depth: an ANSI index
// for 16-colour terminals (whose real colours the user's theme decides;
// the contrast test assumes xterm's defaults), an index of the 256-colour
// cube, and a true colour.
type shade struct {
	ansi    lipgloss.ANSIColor
	ansi256 lipgloss.ANSIColor
	hex     string
}

// palette names every colour the interface uses, for one background.
type palette struct {
	accent, dim, faint, green, yellow, red, border shade
}

// Text colours keep WCAG AA contrast (4.5:1) against the background at
// every depth, and borders 3:1 (see TestPaletteContrast). On 16 colours a
// light background rules out ANSI yellow, green, cyan and grey for text, so
// warnings there are red and distinctions lean on bold.
var (
	lightPalette = palette{
		accent: shade{4, 55, "#5A3FC0"},
		dim:    shade{0, 240, "#595959"},
		faint:  shade{0, 242, "#6B6B6B"},
		green:  shade{0, 22, "#1B7332"},
		yellow: shade{1, 94, "#8A5A00"},
		red:    shade{1, 160, "#B3232A"},
		border: shade{8, 245, "#8C8C8C"},
	}
	darkPalette = palette{
		accent: shade{13, 141, "#A48BFF"},
		dim:    shade{7, 249, "#B0B0B0"},
		faint:  shade{8, 245, "#8C8C8C"},
		green:  shade{10, 114, "#5FD787"},
		yellow: shade{11, 180, "#E5C07B"},
		red:    shade{9, 203, "#FF6B6B"},
		border: shade{8, 242, "#6C6C6C"},
	}
)

// pick returns the shade's colour for the terminal's colour depth; no
// colour at all where the terminal has none.
func (s shade) pick(p colorprofile.Profile) color.Color {
	switch p {
	case colorprofile.ANSI:
		return s.ansi
	case colorprofile.ANSI256:
		return s.ansi256
	case colorprofile.TrueColor:
		return lipgloss.Color(s.hex)
	}
	return lipgloss.NoColor{}
}

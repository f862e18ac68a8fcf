package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// styles are the looks of every screen, picked once for a light or dark
// background, or without colour when NO_COLOR is set.
type styles struct {
	dark, noColor bool
	profile       colorprofile.Profile

	title, heading, text, dim, faint, accent, bold   lipgloss.Style
	good, warn, bad, notice, selected, tabOn, tabOff lipgloss.Style
	statusBar, statusErr, box, sep, gutterLive       lipgloss.Style
	gutterSel, gutterNew, key, followUp, errText     lipgloss.Style

	help help.Styles
}

// glamourStyle names the glamour style for the background: glamour has no
// automatic choice, and NO_COLOR asks for none at all.
func (s styles) glamourStyle() string {
	switch {
	case s.noColor:
		return "notty"
	case s.dark:
		return "dark"
	}
	return "light"
}

// newStyles picks the looks for a true-colour terminal (tests and the
// first frame); stylesFor picks them for the terminal's own depth.
func newStyles(dark, noColor bool) styles {
	return stylesFor(dark, noColor, colorprofile.TrueColor)
}

func stylesFor(dark, noColor bool, profile colorprofile.Profile) styles {
	pal := lightPalette
	if dark {
		pal = darkPalette
	}
	if noColor {
		profile = colorprofile.Ascii
	}
	accent := pal.accent.pick(profile)
	dim := pal.dim.pick(profile)
	faint := pal.faint.pick(profile)
	green := pal.green.pick(profile)
	yellow := pal.yellow.pick(profile)
	red := pal.red.pick(profile)
	border := pal.border.pick(profile)
	n := lipgloss.NewStyle
	s := styles{dark: dark, noColor: noColor, profile: profile}
	s.title = n().Bold(true).Foreground(accent)
	s.heading = n().Bold(true)
	s.text = n()
	s.bold = n().Bold(true)
	s.dim = n().Foreground(dim)
	s.faint = n().Foreground(faint)
	s.accent = n().Foreground(accent)
	s.good = n().Foreground(green)
	s.warn = n().Foreground(yellow)
	s.bad = n().Foreground(red)
	s.errText = n().Foreground(red).Bold(true)
	s.notice = n().Foreground(yellow)
	s.followUp = n().Foreground(yellow).Bold(true)
	s.selected = n().Foreground(accent).Bold(true)
	s.tabOn = n().Bold(true).Foreground(accent).Underline(true)
	s.tabOff = n().Foreground(dim)
	s.statusBar = n().Foreground(dim)
	s.statusErr = n().Foreground(red).Bold(true)
	s.box = n().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1)
	s.sep = n().Foreground(border)
	s.gutterLive = n().Foreground(yellow)
	s.gutterSel = n().Foreground(accent)
	s.gutterNew = n().Foreground(green)
	s.key = n().Foreground(accent)
	// bubbles' default help greys fall below AA and vanish on 16-colour
	// light terminals: the help bar takes the palette's colours instead.
	s.help = help.Styles{Ellipsis: s.faint, ShortKey: s.key, ShortDesc: s.dim, ShortSeparator: s.faint,
		FullKey: s.key, FullDesc: s.dim, FullSeparator: s.faint}
	if noColor {
		plain := n()
		s.help = help.Styles{Ellipsis: plain, ShortKey: n().Bold(true), ShortDesc: plain, ShortSeparator: plain,
			FullKey: n().Bold(true), FullDesc: plain, FullSeparator: plain}
		s.tabOn = n().Bold(true).Underline(true)
		s.selected = n().Bold(true).Reverse(true)
	}
	return s
}

func (m *Model) setStyles(st styles) {
	if st.dark == m.st.dark && st.noColor == m.st.noColor && st.profile == m.st.profile {
		return
	}
	m.st = st
	m.iv.SetStyles(st)
	m.dp.SetStyles(st)
	m.dp.Flush()
	m.rv.SetStyles(st)
	m.dlg.SetStyles(st)
	m.status.SetStyles(st)
	m.sp.SetStyles(st)
	m.tp.SetStyles(st)
}

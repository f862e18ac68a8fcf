package tui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// styles are the looks of every screen, picked once for a light or dark
// background, or without colour when NO_COLOR is set.
type styles struct {
	dark, noColor bool

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

func newStyles(dark, noColor bool) styles {
	ld := lipgloss.LightDark(dark)
	c := func(light, darkc string) color.Color {
		if noColor {
			return lipgloss.NoColor{}
		}
		return ld(lipgloss.Color(light), lipgloss.Color(darkc))
	}
	accent := c("#5A3FC0", "#A48BFF")
	dim := c("#6B6B6B", "#9A9A9A")
	faint := c("#A0A0A0", "#5F5F5F")
	green := c("#1E7F3A", "#5FD787")
	yellow := c("#9A6700", "#E5C07B")
	red := c("#C0262D", "#FF6B6B")
	border := c("#C8C8C8", "#444444")
	n := lipgloss.NewStyle
	s := styles{dark: dark, noColor: noColor}
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
	s.help = help.DefaultStyles(dark)
	if noColor {
		plain := n()
		s.help = help.Styles{Ellipsis: plain, ShortKey: n().Bold(true), ShortDesc: plain, ShortSeparator: plain,
			FullKey: n().Bold(true), FullDesc: plain, FullSeparator: plain}
		s.tabOn = n().Bold(true).Underline(true)
		s.selected = n().Bold(true).Reverse(true)
	}
	return s
}

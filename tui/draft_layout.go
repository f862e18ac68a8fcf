package tui

import "strings"

// assemble stacks the rendered sections with their gutter and markers:
// first where each section starts, then the lines (the gutter depends on
// which section is selected, which depends on where they start).
func (d *draftPane) assemble() {
	w := d.textWidth()
	markers := make([][]string, len(d.secs))
	d.starts = d.starts[:0]
	d.ends = d.ends[:0]
	n := len(d.coverMD)
	for i := range d.secs {
		s := &d.secs[i]
		markers[i] = d.marker(s, w)
		if len(s.lines) == 0 && len(markers[i]) == 0 {
			d.starts = append(d.starts, -1)
			d.ends = append(d.ends, -1)
			continue
		}
		if n > 0 {
			n++ // a blank line between sections
		}
		d.starts = append(d.starts, n)
		n += len(markers[i])
		n += len(s.lines)
		d.ends = append(d.ends, n-1)
	}
	off := d.followTarget(d.vp.YOffset())
	off = max(0, min(off, n-d.height))
	sel := -1
	if d.focused {
		sel = d.selectedIndexAt(off)
	}
	lines := d.lines[:0]
	guts := d.guts[:0]
	blank := fit("", w)
	for _, l := range d.coverMD {
		lines, guts = append(lines, l), append(guts, " ")
	}
	for i := range d.secs {
		s := &d.secs[i]
		if d.starts[i] < 0 {
			continue
		}
		if len(lines) > 0 {
			lines, guts = append(lines, blank), append(guts, " ")
		}
		g := d.gutter(s, i == sel)
		// While text streams in, the mark trails it like a cursor.
		if !s.streaming {
			for _, ml := range markers[i] {
				lines, guts = append(lines, ml), append(guts, g)
			}
		}
		lines = append(lines, s.lines...)
		for range s.lines {
			guts = append(guts, g)
		}
		if s.streaming {
			for _, ml := range markers[i] {
				lines, guts = append(lines, ml), append(guts, g)
			}
		}
	}
	if len(lines) == 0 {
		for _, l := range []string{"", "The proposal appears here as you answer:", "each answer redrafts the sections it feeds."} {
			lines, guts = append(lines, fit(d.st.dim.Render(l), w)), append(guts, " ")
		}
	}
	d.lines, d.guts = lines, guts
	d.linesWidth = d.width
	d.r.Sweep()
	if len(lines) != d.vp.TotalLineCount() {
		for len(d.rows) < len(lines) {
			d.rows = append(d.rows, "")
		}
		d.vp.SetContentLines(d.rows[:len(lines)])
	}
	d.vp.SetYOffset(off)
}

// marker is the line or lines above a section saying what is happening to
// it; a failure wraps rather than being cut, so its hint stays in view.
func (d *draftPane) marker(s *draftSection, w int) []string {
	var m string
	st := d.st.warn
	switch {
	case s.drafting && s.streaming:
		return []string{fit("  "+d.st.gutterLive.Render("✎ drafting "+s.title+"…"), w)}
	case s.drafting:
		return []string{fit("  "+d.st.gutterLive.Render("✎ redrafting "+s.title+"…"), w)}
	case s.truncated:
		m = "⚠ " + s.title + " stopped early; it shows the standard wording until " + d.keys.Work.Retry.Help().Key + " redrafts it."
	case s.failed != "":
		st = d.st.bad
		m = "✗ " + s.failed + " The section shows the standard wording; " + d.keys.Work.Retry.Help().Key + " redrafts it."
	default:
		return nil
	}
	var out []string
	for _, l := range strings.Split(wrap(m, max(w-2, 8)), "\n") {
		out = append(out, fit("  "+st.Render(l), w))
	}
	return out
}

func (d *draftPane) gutter(s *draftSection, selected bool) string {
	switch {
	case s.drafting:
		return d.st.gutterLive.Render("┃")
	case selected:
		return d.st.gutterSel.Render("▌")
	case s.truncated || s.failed != "":
		return d.st.warn.Render("▌")
	case s.updated:
		return d.st.gutterNew.Render("▎")
	}
	return " "
}

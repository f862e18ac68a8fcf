package tui

import tea "charm.land/bubbletea/v2"

// Sizes below which the screen changes shape.
const (
	// minWidth and minHeight are the smallest terminal the screens fit in;
	// below them a short message asks for more room.
	minWidth  = 40
	minHeight = 12
	// sideBySideWidth is the width from which the interview and the draft
	// sit side by side; below it they are tabs.
	sideBySideWidth = 100
	// chromeRows are the rows around the body: the bar on top, the status
	// bar and the key help at the bottom.
	chromeRows = 3
)

// layout is where everything goes, computed once per window size.
type layout struct {
	width, height int
	tooSmall      bool
	wide          bool
	bodyH         int
	leftW, rightW int
}

func newLayout(w, h int) layout {
	l := layout{width: max(w, 0), height: max(h, 0)}
	if w < minWidth || h < minHeight {
		l.tooSmall = true
		return l
	}
	l.bodyH = h - chromeRows
	l.wide = w >= sideBySideWidth
	if l.wide {
		l.leftW = max(48, (w-1)*9/20)
		l.rightW = w - 1 - l.leftW
	} else {
		l.leftW, l.rightW = w, w
	}
	return l
}

// resize lays everything out again. The draft is rendered again at a new
// width only once the size settles, so a storm of resizes costs one render.
func (m *Model) resize(w, h int) tea.Cmd {
	oldW := m.dp.Width()
	m.lay = newLayout(w, h)
	if m.lay.tooSmall {
		return nil
	}
	l := m.lay
	m.iv.SetSize(l.leftW, l.bodyH)
	m.rv.SetSize(l.leftW, l.bodyH)
	m.dp.SetSize(l.rightW, l.bodyH)
	m.sp.SetSize(w, l.bodyH)
	m.tp.SetSize(w, l.bodyH)
	m.dlg.SetSize(w, l.bodyH)
	if oldW == l.rightW {
		return nil
	}
	if oldW == 0 || !m.dp.Rendered() {
		m.dp.Flush()
		return nil
	}
	return m.after(reflowAfter, reflowMsg{gen: m.dp.Reflow()})
}

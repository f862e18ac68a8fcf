package tui

import (
	tea "charm.land/bubbletea/v2"
)

// dialog is a box drawn over the screen that takes the keys while it is
// open, and says through an action what the root should do.
type dialog interface {
	Update(tea.Msg) (action, tea.Cmd)
	View() string
	Help() keyHelp
}

// dialog is the one open, if any.
func (m *Model) dialog() dialog {
	switch m.overlay {
	case overlayHelp, overlayFedBy:
		return &m.tov
	case overlayExport:
		return &m.ex
	case overlayCoverage, overlayAnswers, overlayLanguage:
		return &m.ov
	}
	return nil
}

// overlayRoom is the room a dialog may take: the body, between the top bar
// and the status bar, less a margin.
func (m *Model) overlayRoom() (w, h int) {
	return max(m.lay.width-4, 12), max(m.lay.bodyH, 1)
}

// openAnswers lists the answered questions to change one.
func (m *Model) openAnswers() {
	items, ids := answerItems(m.eng.Template(), m.snap.facts)
	m.ov = newListDialog(m.common(), overlayAnswers, "Change an earlier answer", "change it", "Nothing answered yet.", m.keys.Work.EditEarlier)
	m.ov.SetItems(items)
	m.ov.SetIDs(ids)
	m.ov.SetSize(min(m.lay.width-8, 72), max(m.lay.bodyH-6, 1))
	m.overlay = overlayAnswers
}

// openCoverage shows the coverage map, on the section of the question asked.
func (m *Model) openCoverage() {
	m.ov = newListDialog(m.common(), overlayCoverage, "Coverage: missing ○, partial ◐, covered ●", "go to its first open question", "", m.keys.Work.Coverage)
	m.ov.SetItems(coverageItems(m.snap.coverage))
	ids := make([]string, len(m.snap.coverage))
	for i, c := range m.snap.coverage {
		ids[i] = c.Section
		if c.Section == m.iv.Section() {
			m.ov.SetCursor(i)
		}
	}
	m.ov.SetIDs(ids)
	m.ov.SetSize(min(m.lay.width-8, 72), max(m.lay.bodyH-6, 1))
	m.overlay = overlayCoverage
}

// openHelp shows every key of the screen in front.
func (m *Model) openHelp() {
	w, h := m.overlayRoom()
	w = min(w, 110)
	m.tov = newTextOverlay(m.common(), "Keys", helpView(m.st, m.keyHelp().groups, w-boxChromeW), 110, w, h)
	m.overlay = overlayHelp
}

// openFedBy says which answers the selected section of the draft was
// drafted from.
func (m *Model) openFedBy() {
	if m.eng == nil {
		return
	}
	id, title, fields := m.dp.Selected()
	if id == "" {
		m.flash("Nothing is drafted yet.", false)
		return
	}
	w, h := m.overlayRoom()
	w = min(w, 76)
	m.tov = newTextOverlay(m.common(), "What fed “"+title+"”",
		fedByView(m.st, m.eng.Template(), m.snap.facts, fields, w-boxChromeW), 76, w, h)
	m.overlay = overlayFedBy
}

// openExport opens the export dialog.
func (m *Model) openExport() {
	m.ex = newExportDialog(m.common(), m.snap.info.Title, m.opts.WorkDir, m.snap.findings, m.snap.fallbacks)
	m.ex.SetWidth(min(m.lay.width-4, 76))
	m.overlay = overlayExport
}

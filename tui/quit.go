package tui

import (
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"propose/interview"
)

// quitSavedMsg is the outcome of the save made before quitting.
type quitSavedMsg struct{ err error }

// saveBeforeQuitCmd saves the session before the program quits; when the
// session folder cannot take it (a full disk), the engine makes an
// emergency save elsewhere.
func saveBeforeQuitCmd(e *interview.Engine) tea.Cmd {
	return func() tea.Msg { return quitSavedMsg{err: e.SaveOrRescue()} }
}

// quitSaved quits once the work is in a file: the session folder, or the
// fallback place the user is told of when the program ends. When it is in
// no file at all, it stays and asks: quitting again quits without saving.
func (m *Model) quitSaved(msg quitSavedMsg) tea.Cmd {
	if m.eng == nil {
		return tea.Quit
	}
	if errors.Is(msg.err, interview.ErrNotRescued) {
		m.quitting, m.quitUnsaved = false, true
		m.opts.Log.Error("save before quit", "err", msg.err)
		m.flash(fmt.Sprintf("Nothing could be saved anywhere: free some space, or press %s again to quit without saving.",
			m.keys.Global.Quit.Help().Key), true)
		return nil
	}
	eng := m.eng
	m.detach()
	return closeCmd(eng)
}

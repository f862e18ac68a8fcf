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

func (m *Model) quit() tea.Cmd {
	if m.quitting {
		return nil
	}
	m.quitting = true
	if m.eng == nil {
		m.closed = true
		return tea.Quit
	}
	m.keepTyped()
	m.exit = &ExitInfo{ID: m.snap.info.ID, Title: m.snap.info.Title, Progress: m.snap.progress}
	if !m.quitUnsaved {
		// Save first (or make the emergency save elsewhere); quitting only
		// once the work is in some file (quit.go).
		return saveBeforeQuitCmd(m.eng)
	}
	eng := m.eng
	m.detach()
	return closeCmd(eng)
}

// keepTyped hands what is in the answer box, not yet submitted, and what
// was typed for other questions and left, to the engine so that closing the
// session keeps it for the next time.
func (m *Model) keepTyped() {
	if m.eng == nil {
		return
	}
	if m.iv.Answerable() {
		m.eng.KeepTyped(m.iv.Answer())
	}
	m.eng.KeepUnsent(m.iv.Unsent())
}

package tui

import (
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"propose/interview"
)

// exitState is how the program is ending: quitting (saving first), the
// session closed and how that went, and the session to name on exit.
type exitState struct {
	quitting bool
	// unsaved is set when a quit found nowhere to save: the next quit goes
	// ahead without saving.
	unsaved bool
	closed  bool
	err     error
	info    *ExitInfo // the session open at quit, for Options.Exited
}

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
	if m.sess.eng == nil {
		return tea.Quit
	}
	if errors.Is(msg.err, interview.ErrNotRescued) {
		m.exit.quitting, m.exit.unsaved = false, true
		m.opts.Log.Error("save before quit", "err", msg.err)
		m.status.Flash(fmt.Sprintf("Nothing could be saved anywhere: free some space, or press %s again to quit without saving.",
			m.keys.Global.Quit.Help().Key), true)
		return nil
	}
	eng := m.sess.eng
	m.sess.detach()
	return closeCmd(eng)
}

func (m *Model) quit() tea.Cmd {
	if m.exit.quitting {
		return nil
	}
	m.exit.quitting = true
	if m.sess.eng == nil {
		m.exit.closed = true
		return tea.Quit
	}
	m.sess.keepTyped(&m.iv)
	m.exit.info = &ExitInfo{ID: m.sess.snap.info.ID, Title: m.sess.snap.info.Title, Progress: m.sess.snap.progress}
	if !m.exit.unsaved {
		// Save first (or make the emergency save elsewhere); quitting only
		// once the work is in some file (quit.go).
		return saveBeforeQuitCmd(m.sess.eng)
	}
	eng := m.sess.eng
	m.sess.detach()
	return closeCmd(eng)
}

package tui

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"propose/interview"
)

// ExitInfo names the session that was open when the program ended.
type ExitInfo struct {
	ID, Title string
	Progress  interview.Progress
}

// Run shows the interface until the user quits. Whatever way the program
// ends, the open session is closed: saved, its redrafts stopped, its lock
// given up.
func Run(opts Options, progOpts ...tea.ProgramOption) error {
	return run(New(opts), func(m *Model) tea.Model { return m }, progOpts...)
}

// run runs m (wrapped, for tests that watch the screen) as a program.
func run(m *Model, wrap func(*Model) tea.Model, progOpts ...tea.ProgramOption) error {
	all := []tea.ProgramOption{tea.WithContext(m.opts.Context)}
	p := tea.NewProgram(wrap(m), append(all, progOpts...)...)
	_, err := p.Run()
	m.end()
	// The model is a pointer: whatever Update did last is in m.
	var cerr error
	if e := m.Engine(); e != nil {
		m.sess.keepTyped(&m.iv)
		m.exit.info = &ExitInfo{ID: m.sess.snap.info.ID, Title: m.sess.snap.info.Title, Progress: m.sess.snap.progress}
		cerr = e.Close()
	} else if closed, ferr := m.Closed(); closed {
		cerr = ferr
	}
	if cerr == nil && m.exit.info != nil && m.opts.Exited != nil {
		m.opts.Exited(*m.exit.info)
	}
	if errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled) {
		err = nil
	}
	return errors.Join(err, cerr)
}

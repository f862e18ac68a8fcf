package tui

import (
	"errors"

	tea "charm.land/bubbletea/v2"
)

// Run shows the interface until the user quits. Whatever way the program
// ends, the open session is closed: saved, its redrafts stopped, its lock
// given up.
func Run(opts Options, progOpts ...tea.ProgramOption) error {
	return run(New(opts), func(m *Model) tea.Model { return m }, progOpts...)
}

// run runs m (wrapped, for tests that watch the screen) as a program.
func run(m *Model, wrap func(*Model) tea.Model, progOpts ...tea.ProgramOption) error {
	all := []tea.ProgramOption{tea.WithContext(m.ctx)}
	p := tea.NewProgram(wrap(m), append(all, progOpts...)...)
	_, err := p.Run()
	m.end()
	// The model is a pointer: whatever Update did last is in m.
	var cerr error
	if e := m.Engine(); e != nil {
		m.keepTyped()
		cerr = e.Close()
	} else if closed, ferr := m.Closed(); closed {
		cerr = ferr
	}
	if errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled) {
		err = nil
	}
	return errors.Join(err, cerr)
}

package tui

import (
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"propose/interview"
)

// session is the open session as the root sees it: the engine, the
// generation that tells this session's messages from those of one closed
// before, the engine's last View and whether a command is out to it.
type session struct {
	eng *interview.Engine
	gen int
	// stop ends the event listener when the session closes.
	stop chan struct{}
	// listening counts event listeners blocked on the engine's channel.
	listening atomic.Int64
	snap      snapshot
	// busy: a command that moves to a question (or rewrites the proposal)
	// is out to the engine.
	busy bool
	// lastSkipped is the unanswered question NextSkipped opened last, so
	// the next press moves on even if that one was skipped again.
	lastSkipped string
}

// open reports whether a session is open.
func (s *session) open() bool { return s.eng != nil }

// attach makes eng the open session, shown as v.
func (s *session) attach(eng *interview.Engine, v snapshot) {
	s.gen++
	s.eng = eng
	s.stop = make(chan struct{})
	s.snap = v
	s.busy, s.lastSkipped = false, ""
}

// detach forgets the open session; its engine is being closed by a Cmd.
func (s *session) detach() {
	if s.stop != nil {
		close(s.stop)
		s.stop = nil
	}
	s.eng = nil
	s.gen++
}

// listen reads the next batch of the engine's events.
func (s *session) listen() tea.Cmd {
	return listen(s.gen, s.eng.Events(), s.stop, &s.listening)
}

// move sends a command that moves to a question; the question arrives
// with the engine's View, the end of the command as a movedMsg.
func (s *session) move(kind string, f func() error) tea.Cmd {
	s.busy = true
	return moveCmd(s.gen, kind, f)
}

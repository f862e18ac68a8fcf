package tui

import (
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"propose/interview"
	"propose/templates"
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
	// queued is an answer (or skip) given to the next question while the
	// command that moved to it was still out: sent when that command is
	// back, so a quick Enter is never dropped.
	queued func() tea.Cmd
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
	s.busy, s.queued, s.lastSkipped = false, nil, ""
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

// edit asks an earlier (or skipped) question again.
func (s *session) edit(field string) tea.Cmd {
	e := s.eng
	if field == "" || e == nil {
		return nil
	}
	return s.move("edit", func() error { return e.Edit(field) })
}

// rewriteIn rewrites the proposal in the language of c: the engine
// redrafts, saves and reviews, and the result arrives with its View.
func (s *session) rewriteIn(c *templates.Catalog) tea.Cmd {
	s.busy = true
	return languageCmd(s.gen, s.eng, c)
}

// keepTyped hands the engine what the interview holds and was not
// submitted (the box's text, and what was typed for other questions and
// left), so that closing the session keeps it for the next time.
func (s *session) keepTyped(iv *interviewScreen) {
	if s.eng == nil {
		return
	}
	if iv.Answerable() {
		s.eng.KeepTyped(iv.Answer())
	}
	s.eng.KeepUnsent(iv.Unsent())
}

// switchTo closes the open session, keeping what was typed in iv, and
// opens another with open.
func (s *session) switchTo(iv *interviewScreen, open func() (*interview.Engine, string, error)) tea.Cmd {
	s.keepTyped(iv)
	return switchCmd(s.eng, open)
}

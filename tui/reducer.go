package tui

// The reducer: how what the engine publishes (its View, and the text of
// sections as they are drafted) and the results of the commands sent to it
// reach the screens. The engine is the one source of truth; nothing here
// asks it for a second opinion.

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"propose/interview"
)

// opened puts a freshly opened session on screen.
func (m *Model) opened(msg sessionOpenedMsg) tea.Cmd {
	if msg.err != nil {
		m.opts.Log.Error("open session", "err", msg.err)
		if m.sess.eng != nil {
			m.sess.detach()
		}
		switch m.screen {
		case screenTemplates:
			m.tp.SetError(plainError(msg.err))
		default:
			m.screen = screenSessions
			m.sp.SetError(plainError(msg.err))
			return loadSessionsCmd(m.opts.Sessions)
		}
		return nil
	}
	if m.sess.eng != nil && m.sess.eng != msg.eng {
		m.sess.detach()
	}
	v := msg.snap.view
	m.sess.attach(msg.eng, snapshotOf(v)) // the pane loads this draft whole: no section is news
	m.screen, m.back = screenWork, false
	m.dlg.close()
	m.left, m.focus = paneInterview, paneInterview
	m.status.Open()
	m.rv = newReviewScreen(m.common, msg.eng.Template())
	m.rv.SetSize(m.lay.leftW, m.lay.bodyH)
	m.dp.Load(v.Draft, v.Cover)
	m.dp.SetFocused(false)
	m.iv.Open(v.ReadOnly, v.Unsent) // this session's unsent text, not another's
	m.iv.Focus()
	m.applySnapshot(v)
	m.setQuestion(v.Question, v.Done, msg.notice)
	m.dp.Flush()
	if n := len(v.Notes); n > 0 && msg.notice == "" {
		m.status.Flash(v.Notes[n-1].Text, v.Notes[n-1].Err != nil) // told before the screen opened
	}
	if msg.notice != "" {
		m.status.Flash(msg.notice, false)
	}
	return tea.Batch(m.sess.listen(), startCmd(m.opts.Context, m.sess.gen, msg.eng), m.after(clockEvery, tickMsg{}))
}

// applySnapshot shows a View of the engine: the one place where what the
// engine knows reaches the screens. A View older than the one shown is
// ignored. The question changes only when the engine asked one.
func (m *Model) applySnapshot(v interview.View) {
	prev := m.sess.snap.view
	if prev.Seq != 0 && v.Seq < prev.Seq {
		return
	}
	for _, ev := range interview.SectionChanges(prev, v) {
		m.dp.Apply(ev)
		if f, ok := ev.(interview.DraftFailedEvent); ok && !f.Truncated && f.Err != nil {
			m.opts.Log.Error("draft", "section", f.Section, "err", f.Err)
		}
	}
	m.sess.snap = snapshotOf(v)
	m.iv.SetProgress(v.Progress)
	m.iv.SetReadOnly(v.ReadOnly)
	m.dp.SetCover(v.Cover)
	m.dp.SetFields(v.Draft)
	m.dp.Settle(v.Drafting())
	if m.dp.Dirty() {
		m.dp.Flush()
	}
	m.rv.SetFindings(v.Findings)
	m.followFinding()
	m.dlg.setCoverage(v.Coverage)
	if v.SaveErr != nil && !errors.Is(v.SaveErr, prev.SaveErr) {
		m.opts.Log.Error("save", "err", v.SaveErr)
	}
	m.status.SetView(prev, v)
	var seen uint64 // the notes of the View shown before are shown already
	if n := len(prev.Notes); n > 0 {
		seen = prev.Notes[n-1].Seq
	}
	for _, n := range v.Notes {
		if n.Seq <= seen {
			continue
		}
		if n.Err != nil {
			m.status.Flash(describe(m.keys, n.Err), true)
			m.opts.Log.Error("engine", "err", n.Err)
		} else {
			m.status.Flash(n.Text, false)
		}
	}
	if v.Asked != prev.Asked && v.Started {
		m.iv.Asked(v.Turns)
		m.setQuestion(v.Question, v.Done, v.Notice)
	}
}

// followFinding brings the section of the finding under the review's
// cursor into the draft's view while the review is in front.
func (m *Model) followFinding() {
	if m.left != paneReview {
		return
	}
	if f, ok := m.rv.Selected(); ok && f.Section != "" {
		m.dp.FollowSection(f.Section)
	}
}

// setQuestion shows a question, or the end of the interview.
func (m *Model) setQuestion(q *interview.Question, done bool, notice string) {
	section := ""
	if q != nil && m.sess.eng != nil {
		if s := m.sess.eng.Template().Section(q.Section); s != nil {
			section = s.Title
			if _, f := m.sess.eng.Template().Field(q.Field); f != nil && f.Label != "" && f.Label != s.Title {
				section += " › " + f.Label
			}
		}
	}
	m.iv.SetQuestion(q, done && q == nil, section, notice)
	if q != nil {
		m.dp.FollowSection(q.Section)
	}
}

// events applies a batch of engine events. Text for the draft is shown at
// the next throttled flush (about 20 a second); a section starting to
// redraft shows at once; a View is applied in order with the text, and of
// several Views in a row only the last (it holds all the others do).
func (m *Model) events(msg engineEventsMsg) tea.Cmd {
	if msg.gen != m.sess.gen || m.sess.eng == nil {
		return nil
	}
	var cmds []tea.Cmd
	cmds = append(cmds, m.sess.listen())
	flushNow, flushSoon := false, false
	for i, ev := range msg.events {
		switch ev := ev.(type) {
		case interview.DraftStartedEvent:
			if m.dp.Apply(ev) {
				flushNow = true
			}
		case interview.DraftDeltaEvent:
			m.dp.Apply(ev)
			flushSoon = true
		case interview.ChangedEvent:
			if i+1 < len(msg.events) {
				if _, another := msg.events[i+1].(interview.ChangedEvent); another {
					continue
				}
			}
			m.applySnapshot(ev.View)
		}
	}
	switch {
	case flushNow:
		m.dp.Flush()
	case flushSoon && m.dp.FlushLater():
		cmds = append(cmds, m.after(flushEvery, flushMsg{}))
	}
	return tea.Batch(cmds...)
}

// moved ends a command that moves to a question (the question came, or
// comes, with the engine's View): the interview is brought to the front.
func (m *Model) moved(msg movedMsg) tea.Cmd {
	if msg.gen != m.sess.gen {
		return nil
	}
	m.sess.busy = false
	m.iv.SetBusy(false)
	queued := m.sess.queued
	m.sess.queued = nil
	if msg.err != nil {
		m.iv.SendFailed()
		m.status.Flash(describe(m.keys, msg.err), true)
		return nil // what was typed ahead stays in the box, to send again
	}
	m.left, m.focus = paneInterview, paneInterview
	if m.lay.wide {
		m.dp.SetFocused(false)
	}
	if queued != nil {
		return tea.Batch(m.iv.Focus(), queued())
	}
	return m.iv.Focus()
}

func (m *Model) submit(kind string, f func(context.Context) error) tea.Cmd {
	if !m.iv.Answerable() || m.iv.waiting() {
		return nil
	}
	if m.sess.busy {
		if !m.iv.arrived {
			return nil // a rewrite in another language is out
		}
		// The next question is on screen but the command that brought it
		// is not back (a slow save): send this answer when it is.
		m.iv.SetBusy(true)
		m.sess.queued = func() tea.Cmd { return m.submit(kind, f) }
		return nil
	}
	m.iv.SetBusy(true)
	if kind == "answer" {
		m.iv.Sending(m.sess.snap.turns)
	}
	m.dp.NewRound()
	ctx := m.opts.Context
	return m.sess.move(kind, func() error { return f(ctx) })
}

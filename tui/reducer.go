package tui

// The reducer: how what the engine publishes (its View, and the text of
// sections as they are drafted) and the results of the commands sent to it
// reach the screens. The engine is the one source of truth; nothing here
// asks it for a second opinion.

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"propose/interview"
	"propose/proposal"
)

// opened puts a freshly opened session on screen.
func (m *Model) opened(msg sessionOpenedMsg) tea.Cmd {
	if msg.err != nil {
		m.opts.Log.Error("open session", "err", msg.err)
		if m.eng != nil {
			m.detach()
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
	if m.eng != nil && m.eng != msg.eng {
		m.detach()
	}
	m.gen++
	m.eng = msg.eng
	m.stop = make(chan struct{})
	m.screen, m.back, m.overlay = screenWork, false, overlayNone
	m.left, m.focus = paneInterview, paneInterview
	m.started, m.done, m.busy, m.lastSkipped = false, false, false, ""
	m.savedAt, m.saveErr, m.retry, m.sentTurns = time.Time{}, "", nil, -1
	v := msg.snap.view
	m.snap = snapshotOf(v) // the pane loads this draft whole: no section is news
	m.rv = newReviewScreen(m.st, &m.keys, msg.eng.Template())
	m.rv.SetSize(m.lay.leftW, m.lay.bodyH)
	m.dp.Load(v.Draft, v.Cover)
	m.dp.SetFocused(false)
	m.iv.Open(v.ReadOnly, v.Unsent) // this session's unsent text, not another's
	m.iv.Focus()
	m.applySnapshot(v)
	m.setQuestion(v.Question, v.Done, msg.notice)
	m.dp.Flush()
	if n := len(v.Notes); n > 0 && msg.notice == "" {
		m.flash(v.Notes[n-1].Text, v.Notes[n-1].Err != nil) // told before the screen opened
	}
	if msg.notice != "" {
		m.flash(msg.notice, false)
	}
	return tea.Batch(listen(m.gen, msg.eng.Events(), m.stop, &m.listening), startCmd(m.ctx, m.gen, msg.eng), m.after(clockEvery, tickMsg{}))
}

// detach forgets the open session; its engine is being closed by a Cmd.
func (m *Model) detach() {
	if m.stop != nil {
		close(m.stop)
		m.stop = nil
	}
	m.eng = nil
	m.gen++
}

// applySnapshot shows a View of the engine: the one place where what the
// engine knows reaches the screens. A View older than the one shown is
// ignored. The question changes only when the engine asked one.
func (m *Model) applySnapshot(v interview.View) {
	prev := m.snap.view
	if prev.Seq != 0 && v.Seq < prev.Seq {
		return
	}
	for _, ev := range interview.SectionChanges(prev, v) {
		m.dp.Apply(ev)
		if f, ok := ev.(interview.DraftFailedEvent); ok && !f.Truncated && f.Err != nil {
			m.opts.Log.Error("draft", "section", f.Section, "err", f.Err)
		}
	}
	m.snap = snapshotOf(v)
	m.iv.SetProgress(v.Progress)
	m.iv.SetReadOnly(v.ReadOnly)
	m.dp.SetCover(v.Cover)
	m.dp.SetFields(v.Draft)
	m.dp.Settle(v.Drafting())
	if m.dp.Dirty() {
		m.dp.Flush()
	}
	m.setFindings(v.Findings)
	if m.overlay == overlayCoverage {
		m.ov.SetItems(coverageItems(v.Coverage))
	}
	m.savedAt = v.SavedAt
	if v.SaveErr != nil && !errors.Is(v.SaveErr, prev.SaveErr) {
		m.opts.Log.Error("save", "err", v.SaveErr)
	}
	m.saveErr = plainError(v.SaveErr)
	if r := v.Retry; r != nil && (prev.Retry == nil || *prev.Retry != *r) {
		wait := r.RetryEvent
		m.retry, m.retryAt = &wait, r.At
	}
	var seen uint64 // the notes of the View shown before are shown already
	if n := len(prev.Notes); n > 0 {
		seen = prev.Notes[n-1].Seq
	}
	for _, n := range v.Notes {
		if n.Seq <= seen {
			continue
		}
		if n.Err != nil {
			m.flash(m.describe(n.Err), true)
			m.opts.Log.Error("engine", "err", n.Err)
		} else {
			m.flash(n.Text, false)
		}
	}
	if v.Asked != prev.Asked && v.Started {
		if m.sentTurns >= 0 && v.Turns > m.sentTurns {
			m.iv.Submitted() // the answer was recorded: its text is not unsent work
		}
		m.sentTurns = -1
		m.setQuestion(v.Question, v.Done, v.Notice)
	}
}

func (m *Model) setFindings(fs []proposal.Finding) {
	m.snap.findings = fs
	m.rv.SetFindings(fs)
	m.followFinding()
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
	m.done = done && q == nil
	section := ""
	if q != nil && m.eng != nil {
		if s := m.eng.Template().Section(q.Section); s != nil {
			section = s.Title
			if _, f := m.eng.Template().Field(q.Field); f != nil && f.Label != "" && f.Label != s.Title {
				section += " › " + f.Label
			}
		}
	}
	m.iv.SetQuestion(q, m.done, section, notice)
	if q != nil {
		m.dp.FollowSection(q.Section)
	}
}

// events applies a batch of engine events. Text for the draft is shown at
// the next throttled flush (about 20 a second); a section starting to
// redraft shows at once; a View is applied in order with the text, and of
// several Views in a row only the last (it holds all the others do).
func (m *Model) events(msg engineEventsMsg) tea.Cmd {
	if msg.gen != m.gen || m.eng == nil {
		return nil
	}
	var cmds []tea.Cmd
	cmds = append(cmds, listen(m.gen, m.eng.Events(), m.stop, &m.listening))
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
	case flushSoon && !m.flushing:
		m.flushing = true
		cmds = append(cmds, m.after(flushEvery, flushMsg{}))
	}
	return tea.Batch(cmds...)
}

// moved ends a command that moves to a question (the question came, or
// comes, with the engine's View): the interview is brought to the front.
func (m *Model) moved(msg movedMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil
	}
	m.busy = false
	m.iv.SetBusy(false)
	if msg.err != nil {
		m.sentTurns = -1
		m.flash(m.describe(msg.err), true)
		return nil
	}
	m.left, m.focus = paneInterview, paneInterview
	if m.lay.wide {
		m.dp.SetFocused(false)
	}
	return m.iv.Focus()
}

func (m *Model) submit(kind string, f func(context.Context) error) tea.Cmd {
	if m.busy || !m.iv.Answerable() {
		return nil
	}
	m.busy = true
	m.iv.SetBusy(true)
	if kind == "answer" {
		m.sentTurns = m.snap.turns
	}
	m.dp.NewRound()
	ctx := m.ctx
	return moveCmd(m.gen, kind, func() error { return f(ctx) })
}

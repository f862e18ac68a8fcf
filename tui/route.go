package tui

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"propose/proposal"
	"propose/templates"
)

// key routes a key press: the chords that work everywhere first, then the
// dialog or screen in front, whose action route carries out.
func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	g := m.keys.Global
	switch {
	case key.Matches(k, g.Quit):
		return m.quit()
	case key.Matches(k, g.Suspend):
		if !m.canSuspend() {
			m.status.Flash(fmt.Sprintf("This shell has no job control, so the program cannot be suspended here; %s saves and quits.",
				g.Quit.Help().Key), false)
			return nil
		}
		return tea.Suspend
	}
	if m.exit.quitting {
		return nil
	}
	if m.lay.tooSmall {
		if key.Matches(k, m.keys.Sessions.Quit) {
			return m.quit()
		}
		return nil
	}
	if d := m.dlg.active(); d != nil {
		a, cmd := d.Update(k)
		return tea.Batch(m.route(a), cmd)
	}
	switch m.screen {
	case screenSessions:
		if key.Matches(k, g.Help) {
			return m.route(openHelpAction{})
		}
		return m.route(m.sp.Update(k))
	case screenTemplates:
		if key.Matches(k, g.Help) {
			return m.route(openHelpAction{})
		}
		return m.route(m.tp.Update(k))
	}
	return m.workKey(k)
}

// workKeys are the session's chords, switched on where they can do
// something now (a copy: the key map itself never changes).
func (m *Model) workKeys() workKeys {
	k := m.keys.Work
	work := m.screen == screenWork && m.sess.eng != nil && !m.exit.quitting && !m.dlg.isOpen()
	// A question that came while the command moving to it is out can be
	// answered (skipped, assumed) at once: submit sends it when that is back.
	answering := work && m.left == paneInterview && m.focus == paneInterview && m.iv.Answerable() &&
		!m.iv.waiting() && (!m.sess.busy || m.iv.arrived)
	free := work && !m.sess.busy && !m.sess.snap.readOnly
	for _, b := range []*key.Binding{&k.Skip, &k.Assume} {
		b.SetEnabled(answering)
	}
	k.Back.SetEnabled(free && m.sess.snap.turns > 0)
	k.EditEarlier.SetEnabled(free && m.sess.snap.progress.Answered > 0)
	for _, b := range []*key.Binding{&k.Coverage, &k.Sessions, &k.Copy, &k.NextPane, &k.PrevPane} {
		b.SetEnabled(work)
	}
	k.Language.SetEnabled(free && len(m.opts.Languages) > 1)
	// A review or an export waits for the engine's redrafts; it is not
	// started while an answer is still being recorded.
	k.Review.SetEnabled(work && !m.sess.busy)
	k.Export.SetEnabled(work && !m.sess.busy)
	k.Retry.SetEnabled(work && (len(m.dp.Truncated()) > 0 || m.sess.snap.modelOff != ""))
	k.Stop.SetEnabled(work && (m.dp.Drafting() || m.left == paneReview || m.focus != paneInterview))
	k.HelpPlain.SetEnabled(!m.typing() || m.iv.Empty())
	return k
}

// workKey handles keys while a session is open: the session's chords,
// then the pane in front.
func (m *Model) workKey(k tea.KeyPressMsg) tea.Cmd {
	e := m.sess.eng
	if e == nil {
		return nil
	}
	wk := m.workKeys()
	switch {
	case key.Matches(k, m.keys.Global.Help, wk.HelpPlain):
		return m.route(openHelpAction{})
	case key.Matches(k, wk.Skip):
		return m.submit("skip", e.Skip)
	case key.Matches(k, wk.Assume):
		return m.submit("assume", e.Assume)
	case key.Matches(k, wk.Back):
		return m.sess.move("back", e.Back)
	case key.Matches(k, wk.EditEarlier):
		m.dlg.openAnswers(e.Template(), m.sess.snap.facts)
		return nil
	case key.Matches(k, wk.Language):
		m.dlg.openLanguages(m.opts.Languages, e.Language())
		return nil
	case key.Matches(k, wk.Coverage):
		m.dlg.openCoverage(m.sess.snap.coverage, m.iv.Section())
		return nil
	case key.Matches(k, wk.Review):
		m.show(paneReview)
		m.rv.Start()
		return reviewCmd(m.opts.Context, m.sess.gen, e)
	case key.Matches(k, wk.Export):
		m.dlg.openExport(m.sess.snap, m.opts.WorkDir)
		return nil
	case key.Matches(k, wk.Sessions):
		m.screen, m.back = screenSessions, true
		m.sp.Show(true)
		return loadSessionsCmd(m.opts.Sessions)
	case key.Matches(k, wk.Retry):
		ids := m.dp.Truncated()
		m.dp.NewRound()
		if m.sess.snap.modelOff != "" {
			m.sess.snap.modelOff = ""
			return retryModelCmd(e)
		}
		return retryCmd(e, ids)
	case key.Matches(k, wk.Copy):
		return m.route(copyAction{})
	case key.Matches(k, wk.NextPane):
		return m.cycle(1)
	case key.Matches(k, wk.PrevPane):
		return m.cycle(-1)
	case key.Matches(k, wk.Stop):
		if m.dp.Drafting() {
			m.status.Flash("Stopped drafting; the sections keep their last complete text.", false)
			m.dp.Settle(nil)
			return cancelDraftsCmd(e)
		}
		return m.route(closePaneAction{})
	}
	switch m.focus {
	case paneDraft:
		return m.route(m.dp.Update(k))
	case paneReview:
		return m.route(m.rv.Update(k))
	}
	a, cmd := m.iv.Update(k)
	return tea.Batch(m.route(a), cmd)
}

// route carries out what a screen or dialog asked for.
func (m *Model) route(a action) tea.Cmd {
	switch a := a.(type) {
	case nil:
	case quitAction:
		return m.quit()
	case openHelpAction:
		m.dlg.openHelp(m.keyHelp().groups)
	case closeOverlayAction:
		m.dlg.close()
	case backToWorkAction:
		m.screen, m.back = screenWork, false
		return m.iv.Focus()
	case backToSessionsAction:
		m.screen = screenSessions
	case newProposalAction:
		m.showTemplates()
	case openSessionAction:
		return m.sess.switchTo(&m.iv, openByID(m.opts, a.id))
	case deleteSessionAction:
		return deleteSessionCmd(m.opts.Sessions, a.id)
	case startProposalAction:
		var save tea.Cmd
		if a.lang != "" && a.lang != m.opts.Language {
			save = saveLanguageCmd(m.opts.SaveLanguage, a.lang)
			m.opts.Language = a.lang
		}
		return tea.Batch(m.sess.switchTo(&m.iv, startOn(m.opts, a.t.In(a.lang))), save)
	case jumpToFieldAction:
		m.dlg.close()
		return m.sess.edit(a.field)
	case jumpToSectionAction:
		m.dlg.close()
		if m.sess.eng == nil {
			return nil
		}
		return m.sess.edit(firstGap(m.sess.eng.Template(), m.sess.snap.facts, a.section))
	case chooseLanguageAction:
		m.dlg.close()
		if !m.sess.open() {
			return nil
		}
		if c := languageAt(m.opts.Languages, a.index, m.sess.eng.Language()); c != nil {
			m.status.Flash("Rewriting the proposal in "+c.Name+"…", false)
			return m.sess.rewriteIn(c)
		}
	case fixLanguageAction:
		// The proposal is rewritten in the language its answers are in.
		if m.sess.busy || !m.sess.open() {
			return nil
		}
		c, tag, ok := answersLanguage(m.opts.Languages, m.sess.eng.Template(), m.sess.snap.facts)
		switch {
		case !ok:
		case c == nil:
			m.status.Flash("There is no catalog for "+tag+"; add one to "+templates.LanguagesDir()+" (see the README).", true)
		default:
			m.status.Flash("Rewriting the proposal in "+c.Name+"…", false)
			return m.sess.rewriteIn(c)
		}
	case submitAction:
		e, text := m.sess.eng, a.text
		return m.submit("answer", func(ctx context.Context) error { return e.Answer(ctx, text) })
	case nextSkippedAction:
		field := nextUnanswered(m.sess.eng.Template(), m.sess.snap.facts, m.sess.lastSkipped)
		if field == "" {
			return nil
		}
		m.sess.lastSkipped = field
		return m.sess.edit(field)
	case editorAction:
		return editorCmd(a.text, a.line)
	case openFedByAction:
		id, title, fields := m.dp.Selected()
		switch {
		case m.sess.eng == nil:
		case id == "":
			m.status.Flash("Nothing is drafted yet.", false)
		default:
			m.dlg.openFedBy(m.sess.eng.Template(), m.sess.snap.facts, title, fields)
		}
	case copyAction:
		md := proposal.Markdown(m.sess.snap.cover, m.dp.Sections())
		// OSC 52 gets no answer: say what was sent and what to do if the
		// terminal ignored it.
		m.status.Flash(fmt.Sprintf("Sent the proposal (%s of Markdown) to the clipboard through the terminal, which cannot confirm it; if nothing pastes, run: propose show %s",
			humanBytes(len(md)), m.sess.snap.info.ID), false)
		return tea.SetClipboard(md)
	case closePaneAction:
		return m.show(paneInterview)
	case findingMovedAction:
		m.followFinding()
	case runExportAction:
		return exportCmd(m.sess.gen, m.sess.eng, a.req)
	}
	return nil
}

// showTemplates puts the template picker in front; Esc goes back to the
// session list when there is one to go back to.
func (m *Model) showTemplates() {
	m.screen = screenTemplates
	m.tp.Show(m.back || m.sp.Count() > 0)
}

// typing reports whether keys go to the answer box.
func (m *Model) typing() bool {
	return m.screen == screenWork && !m.dlg.isOpen() && m.left == paneInterview &&
		m.focus == paneInterview && m.iv.Focused() && m.iv.Answerable()
}

func (m *Model) paste(p tea.PasteMsg) tea.Cmd {
	switch {
	case m.dlg.is(overlayExport):
		_, cmd := m.dlg.ex.Update(p)
		return cmd
	case m.typing():
		_, cmd := m.iv.Update(p)
		return cmd
	}
	return nil
}

// show puts a view in front: the interview or the review on the left (or as
// the tab), the draft on the right (or as the tab). The Cmd is the answer
// box's, when it takes the keys.
func (m *Model) show(p pane) tea.Cmd {
	switch p {
	case paneInterview, paneReview:
		m.left, m.focus = p, p
	case paneDraft:
		m.focus = paneDraft
	}
	m.dp.SetFocused(m.focus == paneDraft)
	if m.focus == paneInterview {
		return m.iv.Focus()
	}
	m.iv.Blur()
	return nil
}

// cycle moves the focus through Interview → Draft → Review, whether the
// panes stand side by side or as tabs.
func (m *Model) cycle(dir int) tea.Cmd {
	order := []pane{paneInterview, paneDraft, paneReview}
	i := 0
	for j, p := range order {
		if p == m.focus {
			i = j
		}
	}
	return m.show(order[(i+dir+len(order))%len(order)])
}

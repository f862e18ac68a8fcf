package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// View draws the whole screen. Everything it stacks was laid out in Update.
func (m *Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	// The mouse is captured only where it earns its keep: wheel scrolling
	// in the draft pane. Elsewhere the terminal selects text as usual.
	if m.screen == screenWork && !m.dlg.isOpen() && m.focus == paneDraft {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = "propose"
	if m.screen == screenWork && m.sess.eng != nil {
		v.WindowTitle = "propose · " + m.sess.snap.info.Title
	}
	if m.opts.ASCII {
		v.SetContent(asciiSymbols.Replace(m.render()))
	} else {
		v.SetContent(m.render())
	}
	return v
}

// render is the screen as a string (what the tests compare).
func (m *Model) render() string {
	l := m.lay
	if l.width <= 0 || l.height <= 0 || !m.bgKnown {
		return ""
	}
	if l.tooSmall {
		return tooSmallView(m.common, l)
	}
	if m.exit.quitting {
		return placeLines("\n  "+m.st.dim.Render("Saving and closing…"), l.width, l.height)
	}
	var body string
	switch m.screen {
	case screenSessions:
		body = m.sp.View()
	case screenTemplates:
		body = m.tp.View()
	default:
		body = m.workView()
	}
	out := m.topBar() + "\n" + body + "\n" + m.statusLine() + "\n" + m.status.Help()
	if d := m.dlg.active(); d != nil {
		out = placeOver(out, d.View(), l.width, 1, l.bodyH)
	}
	return out
}

// tooSmallView asks for a larger terminal than l.
func tooSmallView(c common, l layout) string {
	msg := fmt.Sprintf("Terminal too small (%dx%d): propose needs %dx%d. Make it larger, or quit.",
		l.width, l.height, minWidth, minHeight)
	return placeLines(wrap(msg, l.width)+"\n\n"+c.helpLine(l.width, c.keys.Sessions.Quit), l.width, l.height)
}

// workView is the open session: side by side, or one tab.
func (m *Model) workView() string {
	l := m.lay
	leftView := func() string {
		if m.left == paneReview {
			return m.rv.View()
		}
		return m.iv.View()
	}
	if !l.wide {
		if m.focus == paneDraft {
			return m.dp.View()
		}
		return leftView()
	}
	left := strings.Split(leftView(), "\n")
	right := strings.Split(m.dp.View(), "\n")
	sep := m.st.sep.Render("│")
	var b strings.Builder
	b.Grow(l.bodyH * (l.width + 32))
	for i := 0; i < l.bodyH; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(left) {
			b.WriteString(left[i])
		}
		b.WriteString(sep)
		if i < len(right) {
			b.WriteString(right[i])
		}
	}
	return b.String()
}

// topBar names the panes (side by side) or shows the tabs (narrow).
func (m *Model) topBar() string {
	l := m.lay
	switch m.screen {
	case screenSessions, screenTemplates:
		return fit(m.st.title.Render(" propose"), l.width)
	}
	tab := func(name string, on bool) string {
		if on {
			return m.st.tabOn.Render(name)
		}
		return m.st.tabOff.Render(name)
	}
	leftName := "Interview"
	if m.left == paneReview {
		leftName = "Review"
	}
	if l.wide {
		left := " " + tab(leftName, m.focus != paneDraft)
		right := " " + tab("Draft", m.focus == paneDraft)
		if info := m.dp.ScrollInfo(); info != "" {
			right += m.st.faint.Render("  " + info)
		}
		return fit(left, l.leftW) + m.st.sep.Render("│") + fit(right, l.rightW)
	}
	bar := " " + tab("Interview", m.focus == paneInterview) + "  " + tab("Draft", m.focus == paneDraft) + "  " +
		tab("Review", m.focus == paneReview) + "   " + m.common.helpLine(0, m.keys.Work.NextPane)
	if m.focus == paneDraft {
		if info := m.dp.ScrollInfo(); info != "" {
			bar += m.st.faint.Render("  " + info)
		}
	}
	return fit(bar, l.width)
}

// statusLine is the status bar: a passing message alone on the pickers,
// the session's state while one is open.
func (m *Model) statusLine() string {
	w := m.lay.width
	if m.screen != screenWork {
		if note := m.status.noteView(w); note != "" {
			return note
		}
	}
	if m.screen != screenWork || m.sess.eng == nil {
		return fit("", w)
	}
	e := m.sess.eng
	engine, model := e.EngineName(), e.Model()
	if model == "" {
		model = m.opts.Model
	}
	if model != "" && engine != "offline" {
		engine += " · " + model
	}
	return m.status.View(w, m.sess.snap, engine)
}

// helpLine lays out the key help for what is in front: nothing while a
// dialog (which shows its own keys in its box) is open or the program is
// quitting.
func (m *Model) helpLine() string {
	if m.dlg.isOpen() || m.exit.quitting {
		return fit("", m.lay.width)
	}
	return m.status.keyLine(m.keyHelp(), m.lay.width)
}

// keyHelp is what the keys do on the screen in front, now: the short list
// for the bottom line and the groups of the full help.
func (m *Model) keyHelp() keyHelp {
	var kh keyHelp
	switch {
	case m.dlg.isOpen():
		if d := m.dlg.active(); d != nil {
			kh = d.Help()
		}
	case m.screen == screenSessions:
		kh = m.sp.Help()
		if !m.sp.Confirming() { // a delete waiting for its yes has only two keys
			s := m.keys.Sessions
			kh.tail = []key.Binding{s.Help, s.Quit}
		}
	case m.screen == screenTemplates:
		kh = m.tp.Help()
		kh.tail = []key.Binding{m.keys.Templates.Quit}
	default:
		kh = m.workHelp()
	}
	return kh
}

// workHelp is the open session's help: the pane in front's keys, then the
// session's chords that work now.
func (m *Model) workHelp() keyHelp {
	wk := m.workKeys()
	g := m.keys.Global
	helpKey := wk.HelpPlain
	if !helpKey.Enabled() {
		helpKey = g.Help
	}
	var short []key.Binding
	switch {
	case m.focus == paneDraft:
		short = append(m.dp.Help().short, wk.Retry, wk.NextPane)
	case m.focus == paneReview:
		short = append(m.rv.Help().short, wk.Review, wk.Export, wk.Stop, wk.NextPane)
	case m.iv.Done():
		short = append(m.iv.Help().short, wk.Review, wk.Export, wk.EditEarlier, wk.Coverage, wk.NextPane)
	default:
		// Enter and the new-line keys are under the answer box already.
		short = []key.Binding{wk.Skip, wk.Review, wk.Export, wk.EditEarlier, wk.Back, wk.Assume, wk.Coverage, wk.NextPane}
	}
	answer := m.iv.Help().groups[0]
	answer.Bindings = append(answer.Bindings, wk.Skip, wk.Assume)
	groups := []helpGroup{answer,
		{"Move", []key.Binding{wk.Back, wk.EditEarlier, wk.Coverage, wk.NextPane, wk.PrevPane, wk.Stop}},
		{"Proposal", []key.Binding{wk.Review, wk.Export, wk.Copy, wk.Retry, wk.Language, wk.Sessions}},
	}
	groups = append(groups, m.dp.Help().groups...)
	groups = append(groups, m.rv.Help().groups...)
	program := m.keys.programGroup(wk.HelpPlain)
	program.Bindings = append(program.Bindings, g.Select) // the mouse scrolls the draft
	groups = append(groups, program)
	return keyHelp{short: short, tail: []key.Binding{helpKey, g.Quit}, groups: groups}
}

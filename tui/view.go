package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"propose/interview"
	"propose/proposal"
)

// View draws the whole screen. Everything it stacks was laid out in Update.
func (m *Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	// The mouse is captured only where it earns its keep: wheel scrolling
	// in the draft pane. Elsewhere the terminal selects text as usual.
	if m.screen == screenWork && m.overlay == overlayNone && m.focus == paneDraft {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = "propose"
	if m.screen == screenWork && m.eng != nil {
		v.WindowTitle = "propose · " + m.snap.info.Title
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
		return m.tooSmallView()
	}
	if m.quitting {
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
	out := m.topBar() + "\n" + body + "\n" + m.statusBar() + "\n" + m.bar
	if d := m.dialog(); d != nil {
		out = placeOver(out, d.View(), l.width, 1, l.bodyH)
	}
	return out
}

func (m *Model) tooSmallView() string {
	l := m.lay
	msg := fmt.Sprintf("Terminal too small (%dx%d): propose needs %dx%d. Make it larger, or quit.",
		l.width, l.height, minWidth, minHeight)
	return placeLines(wrap(msg, l.width)+"\n\n"+m.common().helpLine(l.width, m.keys.Sessions.Quit), l.width, l.height)
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
		tab("Review", m.focus == paneReview) + "   " + m.common().helpLine(0, m.keys.Work.NextPane)
	if m.focus == paneDraft {
		if info := m.dp.ScrollInfo(); info != "" {
			bar += m.st.faint.Render("  " + info)
		}
	}
	return fit(bar, l.width)
}

// statusBar: the session, the engine, coverage, answers, the save state,
// tokens and any wait before a retry; a failed save in red.
func (m *Model) statusBar() string {
	l := m.lay
	now := m.now()
	if m.note.text != "" && now.Before(m.note.until) && m.screen != screenWork {
		st := m.st.statusBar
		if m.note.bad {
			st = m.st.statusErr
		}
		return fit(" "+st.Render(truncate(m.note.text, l.width-2)), l.width)
	}
	if m.screen != screenWork || m.eng == nil {
		return fit("", l.width)
	}
	p := m.snap.progress
	engine := m.eng.EngineName()
	model := m.eng.Model()
	if model == "" {
		model = m.opts.Model
	}
	if model != "" && engine != "offline" {
		engine += " · " + model
	}
	if m.snap.modelOff != "" {
		// The model failed in a way no retry mends: say so, and how to try again.
		engine = m.st.warn.Render("model off, standard wording (" + m.keys.Work.Retry.Help().Key + " tries it again)")
	}
	var right []string
	if m.note.text != "" && now.Before(m.note.until) {
		st := m.st.statusBar
		if m.note.bad {
			st = m.st.statusErr
		}
		right = append(right, st.Render(m.note.text))
	}
	if r := m.retry; r != nil {
		if wait := r.Wait - now.Sub(m.retryAt); wait > 0 {
			right = append(right, m.st.warn.Render(fmt.Sprintf("%s: retrying in %ds (%d/%d)", r.Reason, int(wait.Seconds()+0.5), r.Attempt, r.Max)))
		}
	}
	switch {
	case m.saveErr != "":
		right = append(right, m.st.statusErr.Render("not saved: "+m.saveErr))
	case m.snap.readOnly:
		right = append(right, m.st.warn.Render("read-only"))
	case !m.savedAt.IsZero():
		// Padded to its longest usual form, so the title beside it does
		// not shift as "just now" becomes "5s ago".
		right = append(right, fmt.Sprintf("saved %8s", ago(now, m.savedAt)))
	}
	if t := tokens(m.snap.usage); t != "" {
		right = append(right, t)
	}
	sepDot := m.st.faint.Render(" · ")
	rs := strings.Join(right, sepDot) + " "
	counts := []string{fmt.Sprintf("%d/%d answered", p.Answered, p.Total), fmt.Sprintf("%d/%d sections", p.SectionsCovered, p.Sections), engine}
	room := l.width - lipgloss.Width(rs) - 1
	// The title takes what the counts leave; counts go first when room is short.
	for len(counts) > 0 {
		if room-lipgloss.Width(strings.Join(counts, " · "))-3 >= 12 {
			break
		}
		counts = counts[:len(counts)-1]
	}
	if room < 12 {
		return fit(" "+truncate(strings.TrimSpace(rs), l.width-2), l.width)
	}
	cs := strings.Join(counts, " · ")
	titleRoom := room - lipgloss.Width(cs) - 4
	if cs == "" {
		titleRoom = room - 1
	}
	ls := " " + m.st.bold.Render(truncate(m.snap.info.Title, titleRoom))
	if cs != "" {
		ls += sepDot + cs
	}
	return m.st.statusBar.Render(fit(ls, room)) + " " + rs
}

func tokens(u map[string]interview.Usage) string {
	total, est := 0, false
	for _, v := range u {
		total += v.PromptTokens + v.CompletionTokens
		est = est || v.Estimated
	}
	if total == 0 {
		return ""
	}
	s := fmt.Sprintf("%d tokens", total)
	if total >= 10000 {
		s = fmt.Sprintf("%.1fk tokens", float64(total)/1000)
	}
	if est {
		s = "~" + s
	}
	return s
}

// helpBar is the short help for what is in front, from the key map through
// bubbles help: as many keys as fit, and the help and quit keys always at
// the end. A dialog shows its own keys in its box.
func (m *Model) helpBar() string {
	if m.overlay != overlayNone || m.quitting {
		return fit("", m.lay.width)
	}
	kh := m.keyHelp()
	c := m.common()
	tail := c.helpLine(0, kh.tail...)
	room := m.lay.width - 1
	if tail != "" {
		room -= lipgloss.Width(tail) + 3
	}
	out := c.helpLine(room, kh.short...)
	if tail != "" {
		if out != "" {
			out += m.st.help.ShortSeparator.Render(" • ")
		}
		out += tail
	}
	return fit(" "+out, m.lay.width)
}

// keyHelp is what the keys do on the screen in front, now: the short list
// for the bottom line and the groups of the full help.
func (m *Model) keyHelp() keyHelp {
	var kh keyHelp
	switch {
	case m.overlay != overlayNone:
		if d := m.dialog(); d != nil {
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
	case m.done:
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

// flash shows a message in the status bar for a while. Notices may quote a
// server or a model, so they are cleaned like any text from outside.
func (m *Model) flash(s string, bad bool) {
	m.note = flashNote{text: proposal.Sanitize(s), bad: bad, until: m.now().Add(8 * time.Second)}
}

package tui

import (
	"fmt"
	"maps"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"propose/interview"
	"propose/proposal"
)

// Pastes larger than this are kept out of the answer box, which would redraw
// every line of them on every key: the box shows a token and the whole text
// goes with the answer.
const (
	pasteInlineBytes = 64 << 10
	pasteInlineLines = 1000
)

// interviewScreen asks one question: where it is in the proposal, the
// question, why it is asked, an example and the answer box.
type interviewScreen struct {
	common
	width    int
	height   int
	q        *interview.Question
	done     bool
	section  string
	notice   string
	progress interview.Progress
	readOnly bool
	busy     bool
	// arrived: the next question came (with the engine's View) while the
	// command that moves to it is still out. Its answer can be given: the
	// root sends it when that command is back.
	arrived bool
	box     textarea.Model
	pastes  []string
	header  string
	// loaded is the text the box was given for the question (its prefill or
	// what was typed before the last close); what differs from it is the
	// user's unsubmitted work.
	loaded string
	// unsent holds, per field, text typed but not submitted when the user
	// moved to another question, so coming back brings it back. It is a
	// map shared by copies of the screen (Update returns copies).
	unsent map[string]string
	// submitted says the question on screen was just answered: its text
	// went to the engine and is not kept as unsent.
	submitted bool
	// sentTurns is the length of the transcript when an answer was sent
	// (-1: none is out): a View with a longer one recorded it, so its text
	// is not kept as unsent when the next question takes the box.
	sentTurns int
	// picking: a choice question shows its choices as a list, with
	// "Other…" last, which opens the box for an answer of one's own.
	picking bool
	choices pickList
}

func newInterviewScreen(c common) interviewScreen {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = "│ "
	ta.Placeholder = "Type your answer…"
	ta.CharLimit = 0
	ta.MaxHeight = 0
	ta.KeyMap = c.keys.Answer.box()
	s := &interviewScreen{common: c, box: ta, unsent: map[string]string{}, sentTurns: -1}
	s.applyBoxStyles()
	s.box.Focus()
	return *s
}

func (s *interviewScreen) applyBoxStyles() {
	ts := textarea.DefaultStyles(s.st.dark)
	ts.Focused.CursorLine = lipgloss.NewStyle()
	ts.Focused.Prompt = s.st.accent
	ts.Blurred.Prompt = s.st.faint
	ts.Focused.Placeholder = s.st.faint
	ts.Blurred.Placeholder = s.st.faint
	ts.Cursor.Blink = false
	// The default cursor is ANSI white: invisible on a light 16-colour
	// terminal.
	ts.Cursor.Color = s.st.accent.GetForeground()
	s.box.SetStyles(ts)
}

// SetStyles follows the terminal's background.
func (s *interviewScreen) SetStyles(st styles) {
	s.st = st
	s.applyBoxStyles()
	s.renderHeader()
}

// SetQuestion shows a question (nil and done when the interview is over).
// The box gets the question's prefill unless the same question is asked
// again, when what the user typed stays for them to fix.
func (s *interviewScreen) SetQuestion(q *interview.Question, done bool, section, notice string) {
	same := q != nil && s.q != nil && q.Field == s.q.Field && q.Text == s.q.Text && q.FollowUp == s.q.FollowUp
	s.done, s.notice, s.section = done, notice, section
	if !same {
		s.keepUnsent()
		s.arrived = s.busy
		s.q = q
		s.pastes = nil
		s.box.Reset()
		if q != nil {
			text := q.Prefill
			if q.Typed != "" { // typed before the session was last closed
				text = q.Typed
			}
			s.loaded = text
			if u, ok := s.unsent[q.Field]; ok {
				text = u
				delete(s.unsent, q.Field)
			}
			s.pickChoices(q, text)
			s.insert(text)
			s.box.MoveToEnd()
			s.fitBox()
		}
	} else {
		s.q = q
	}
	s.submitted = false
	s.renderHeader()
}

// keepUnsent remembers what the user typed for the question on screen and
// did not submit, before another question takes the box.
func (s *interviewScreen) keepUnsent() {
	if s.q == nil || s.done || s.readOnly {
		return
	}
	if s.submitted {
		delete(s.unsent, s.q.Field)
		return
	}
	if text := s.Answer(); text != s.loaded {
		s.unsent[s.q.Field] = text
	}
}

// Open readies the screen for a newly opened session: no question yet,
// and no text kept from another session's questions.
// The text typed for other questions and kept with the session comes back
// when they are asked.
func (s *interviewScreen) Open(readOnly bool, unsent map[string]string) {
	s.q, s.done, s.readOnly, s.sentTurns = nil, false, readOnly, -1
	s.unsent = map[string]string{}
	maps.Copy(s.unsent, unsent)
}

// Unsent is the text typed for other questions than the one on screen and
// not submitted, by field.
func (s *interviewScreen) Unsent() map[string]string { return maps.Clone(s.unsent) }

// SetReadOnly follows the session: a read-only one shows its answers and
// takes none.
func (s *interviewScreen) SetReadOnly(ro bool) {
	if ro != s.readOnly {
		s.readOnly = ro
		s.renderHeader()
	}
}

// SetBusy shows that an answer (or a move) is on its way to the engine.
// A question that arrives while busy can be answered at once (see arrived).
func (s *interviewScreen) SetBusy(busy bool) { s.busy, s.arrived = busy, false }

// waiting reports whether the question on screen is the one whose answer
// (or move) is on its way: its keys wait for the engine.
func (s *interviewScreen) waiting() bool { return s.busy && !s.arrived }

// Sending says the answer on screen went to the engine when the
// transcript was turns long.
func (s *interviewScreen) Sending(turns int) { s.sentTurns = turns }

// SendFailed says the answer sent was not recorded: its text is still the
// user's unsent work.
func (s *interviewScreen) SendFailed() { s.sentTurns = -1 }

// Asked is told, before a new question takes the box, how long the
// transcript now is: longer than when the answer on screen was sent means
// it was recorded, so moving on does not keep its text as unsent work.
func (s *interviewScreen) Asked(turns int) {
	if s.sentTurns >= 0 && turns > s.sentTurns {
		s.submitted = true
	}
	s.sentTurns = -1
}

// Done reports whether the interview is over (no question to ask).
func (s *interviewScreen) Done() bool { return s.done }

// SetProgress updates the counts in the breadcrumb.
func (s *interviewScreen) SetProgress(p interview.Progress) {
	if p != s.progress {
		s.progress = p
		s.renderHeader()
	}
}

// SetSize lays the screen out.
func (s *interviewScreen) SetSize(w, h int) {
	s.width, s.height = max(w, 0), max(h, 0)
	s.box.SetWidth(max(s.width-2, 4))
	s.renderHeader()
}

// Focus gives the answer box the keyboard.
func (s *interviewScreen) Focus() tea.Cmd { return s.box.Focus() }

// Blur takes it away.
func (s *interviewScreen) Blur() { s.box.Blur() }

// Focused reports whether the box takes keys.
func (s *interviewScreen) Focused() bool { return s.box.Focused() }

// Empty reports whether the box holds nothing typed.
func (s *interviewScreen) Empty() bool {
	return !s.picking && s.box.Length() == 0 && len(s.pastes) == 0
}

// Answerable reports whether there is a question to answer.
func (s *interviewScreen) Answerable() bool { return s.q != nil && !s.done && !s.readOnly }

// Answer is the text to submit, with large pastes put back whole.
func (s *interviewScreen) Answer() string {
	if s.picking {
		if c := s.choices.cursor; s.q != nil && c < len(s.q.Choices) {
			return s.q.Choices[c]
		}
		return ""
	}
	v := s.box.Value()
	for i, p := range s.pastes {
		v = strings.Replace(v, pasteToken(i, p), p, 1)
	}
	return v
}

// SetAnswer replaces the box's text (an answer edited in $EDITOR).
func (s *interviewScreen) SetAnswer(text string) {
	s.pastes = nil
	s.box.Reset()
	s.insert(text)
	s.fitBox()
}

func pasteToken(i int, p string) string {
	return fmt.Sprintf("[pasted text #%d: %s lines, %s]", i+1, thousands(strings.Count(p, "\n")+1), humanBytes(len(p)))
}

// insert puts text in the box, keeping a large one aside whole.
func (s *interviewScreen) insert(text string) {
	if len(text) > pasteInlineBytes || strings.Count(text, "\n") >= pasteInlineLines {
		s.pastes = append(s.pastes, text)
		s.box.InsertString(pasteToken(len(s.pastes)-1, text))
		return
	}
	s.box.InsertString(text)
}

// Update feeds keys and pastes to the answer box; Enter and the editor
// chord say what the root should do.
func (s *interviewScreen) Update(msg tea.Msg) (action, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		km := s.keys.Answer
		switch {
		case key.Matches(k, km.NextSkipped) && s.done:
			if !s.waiting() && !s.readOnly && s.progress.Answered < s.progress.Total {
				return nextSkippedAction{}, nil
			}
			return nil, nil
		case key.Matches(k, km.Submit) && s.Answerable() && s.box.Focused():
			if s.waiting() {
				return nil, nil
			}
			text, ok := s.Submit()
			if !ok {
				return nil, s.Focus() // "Other…": the box opened for an answer of one's own
			}
			return submitAction{text: text}, nil
		case key.Matches(k, km.Editor) && s.Answerable() && s.box.Focused() && !s.waiting():
			return editorAction{text: s.Answer(), line: s.box.Line() + 1, col: s.box.Column() + 1}, nil
		}
	}
	return nil, s.feed(msg)
}

// Help is what the keys do in the interview pane, now.
func (s *interviewScreen) Help() keyHelp {
	km := s.keys.Answer
	answering := s.Answerable() && !s.waiting()
	skipped := s.done && !s.waiting() && !s.readOnly && s.progress.Answered < s.progress.Total
	bs := []key.Binding{enabled(km.Submit, answering), enabled(km.Newline, answering && !s.picking),
		enabled(km.Editor, answering && !s.picking), enabled(km.Pick, answering && s.picking), enabled(km.NextSkipped, skipped)}
	return keyHelp{short: []key.Binding{enabled(km.NextSkipped, skipped)}, groups: []helpGroup{{"Answer", bs}}}
}

// feed hands a key or a paste to the answer box (or the choice list).
func (s *interviewScreen) feed(msg tea.Msg) tea.Cmd {
	if !s.box.Focused() {
		return nil
	}
	switch msg := msg.(type) {
	case tea.PasteMsg:
		text := strings.ReplaceAll(msg.Content, "\r\n", "\n")
		if len(text) <= pasteInlineBytes {
			// Shown in the box: cleaned of escapes and bidi controls first,
			// so the box shows what will be saved. A large paste is kept
			// aside behind a token, never drawn, and cleaned on submit.
			text = proposal.Sanitize(text)
		}
		s.insert(text)
		s.fitBox()
		return nil
	case tea.KeyPressMsg:
		if s.readOnly || s.done {
			return nil
		}
		if s.picking {
			s.choices, _ = s.choices.Update(msg)
			return nil
		}
	}
	var cmd tea.Cmd
	s.box, cmd = s.box.Update(msg)
	s.fitBox()
	return cmd
}

// renderHeader lays out everything above the box once, so View only stacks.
func (s *interviewScreen) renderHeader() {
	w := s.width - 1
	if w <= 0 {
		s.header = ""
		return
	}
	var b strings.Builder
	crumb := s.section
	if crumb == "" {
		crumb = "Interview"
	}
	count := fmt.Sprintf("%d of %d answered", s.progress.Answered, s.progress.Total)
	// The count keeps its place; a long breadcrumb gives way to it.
	if room := w - lipgloss.Width(count) - 2; room >= 8 {
		crumb = truncate(crumb, room)
		gap := w - lipgloss.Width(crumb) - lipgloss.Width(count)
		b.WriteString(s.st.accent.Render(crumb) + strings.Repeat(" ", gap) + s.st.dim.Render(count))
	} else {
		b.WriteString(s.st.accent.Render(truncate(crumb, w)))
	}
	b.WriteString("\n\n")
	switch {
	case s.done && s.progress.Answered >= s.progress.Total:
		b.WriteString(wrap(s.st.heading.Render("Every question has an answer."), w))
		b.WriteString("\n\n")
		b.WriteString(wrap(s.st.dim.Render(fmt.Sprintf("Review the proposal (%s), export it (%s), or change an earlier answer (%s).",
			s.keys.Work.Review.Help().Key, s.keys.Work.Export.Help().Key, s.keys.Work.EditEarlier.Help().Key)), w))
	case s.done:
		// The end of the walk is not the end of the questions: say how many
		// were skipped, and how to go through them.
		b.WriteString(wrap(s.st.heading.Render(endSummary(s.progress)), w))
		b.WriteString("\n\n")
		b.WriteString(wrap(s.st.dim.Render(fmt.Sprintf("Go through the skipped questions (%s), review the proposal (%s), export it (%s), or change an earlier answer (%s).",
			s.keys.Answer.NextSkipped.Help().Key, s.keys.Work.Review.Help().Key, s.keys.Work.Export.Help().Key, s.keys.Work.EditEarlier.Help().Key)), w))
	case s.q == nil:
		b.WriteString(s.st.dim.Render("Loading the next question…"))
	default:
		if s.q.FollowUp {
			b.WriteString(s.st.followUp.Render("Follow-up") + "\n")
		}
		q := s.q.Text
		if s.q.Required {
			q += s.st.dim.Render(" (required)")
		}
		b.WriteString(wrap(s.st.heading.Render(q), w))
		if s.q.Why != "" {
			b.WriteString("\n\n" + wrap(s.st.dim.Render("Why: "+oneLine(s.q.Why)), w))
		}
		if s.q.Example != "" {
			b.WriteString("\n" + wrap(s.st.faint.Render("e.g. "+strings.ReplaceAll(s.q.Example, "\n", " · ")), w))
		}
		if len(s.q.Choices) > 0 {
			if !s.picking {
				b.WriteString("\n" + wrap(s.st.dim.Render("Usual answers: "+strings.Join(s.q.Choices, ", ")), w))
			}
		}
	}
	if s.notice != "" {
		// A notice may quote what a server or a model said.
		b.WriteString("\n\n" + wrap(s.st.notice.Render("▸ "+oneLine(proposal.Sanitize(s.notice))), w))
	}
	if s.readOnly {
		b.WriteString("\n\n" + wrap(s.st.warn.Render("This session is read-only: it was written by a newer propose."), w))
	}
	s.header = b.String()
	s.fitBox()
}

// endSummary says how far the interview got when the walk ends with
// questions unanswered: "7 of 28 answered; 10 required questions skipped".
func endSummary(p interview.Progress) string {
	skipped, kind := p.Required-p.RequiredAnswered, "required "
	if skipped == 0 {
		skipped, kind = p.Total-p.Answered, ""
	}
	noun := "questions"
	if skipped == 1 {
		noun = "question"
	}
	return fmt.Sprintf("%d of %d answered; %d %s%s skipped.", p.Answered, p.Total, skipped, kind, noun)
}

// fitBox sizes the answer box to the room left under the header.
func (s *interviewScreen) fitBox() {
	hl := strings.Count(s.header, "\n") + 1
	room := s.height - hl - 3
	if room < 3 {
		room = s.height - min(hl, max(1, s.height-5)) - 3
	}
	w := max(s.box.Width(), 1)
	rows := 0
	for _, l := range strings.Split(s.box.Value(), "\n") {
		rows += max(1, (lipgloss.Width(l)+w-1)/w)
	}
	h := max(1, min(room, max(5, min(12, rows+1))))
	s.box.SetHeight(h)
	if rows <= h && s.box.ScrollYOffset() > 0 {
		// Everything fits now (the terminal grew): scroll back to the top,
		// the cursor where it was.
		row, col := s.box.Line(), s.box.Column()
		s.box.MoveToBegin()
		for i := 0; s.box.Line() < row && i < rows; i++ {
			s.box.CursorDown()
		}
		s.box.SetCursorColumn(col)
		s.box.SetHeight(h)
	}
}

// View stacks the header, the answer box and the box's own key hints.
func (s interviewScreen) View() string {
	if s.width <= 0 || s.height <= 0 {
		return ""
	}
	header := s.header
	if s.done || s.q == nil {
		return placeLines(header, s.width, s.height)
	}
	lines := strings.Split(header, "\n")
	if keep := max(1, s.height-s.box.Height()-3); len(lines) > keep {
		// Too little room for everything: the question and the box win.
		header = strings.Join(lines[:keep], "\n")
	}
	var hint string
	switch {
	case s.waiting():
		hint = s.st.dim.Render("saving…")
	case len(s.pastes) > 0:
		hint = s.st.dim.Render("large paste kept whole; delete its token to drop it")
	default:
		km := s.keys.Answer
		hint = s.helpLine(s.width, km.Submit, km.Newline, km.Editor)
	}
	if s.picking {
		if !s.waiting() {
			hint = s.helpLine(s.width, s.keys.Answer.Pick, s.keys.Answer.Submit)
		}
		out := header + "\n\n" + s.choices.View() + "\n" + truncate(hint, s.width)
		return placeLines(out, s.width, s.height)
	}
	out := header + "\n\n" + s.box.View() + "\n" + truncate(hint, s.width)
	return placeLines(out, s.width, s.height)
}

// Section is the section the question on screen feeds ("" when none).
func (s *interviewScreen) Section() string {
	if s.q == nil {
		return ""
	}
	return s.q.Section
}

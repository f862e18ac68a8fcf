package tui

import (
	"strings"

	"propose/interview"
	"propose/templates"
)

// otherChoice ends a choice question's list: an answer of one's own.
const otherChoice = "Other…"

// pickChoices shows a choice question's choices as a list, on the one the
// text names; text that names none (an answer of one's own) opens the box.
func (s *interviewScreen) pickChoices(q *interview.Question, text string) {
	s.picking = false
	if q.Kind != templates.KindChoice || len(q.Choices) == 0 {
		return
	}
	items := make([]listItem, 0, len(q.Choices)+1)
	at := -1
	for i, c := range q.Choices {
		items = append(items, listItem{title: c})
		if strings.EqualFold(strings.TrimSpace(text), c) {
			at = i
		}
	}
	items = append(items, listItem{title: otherChoice, dim: true})
	if strings.TrimSpace(text) != "" && at < 0 {
		return // an answer of one's own: edit it in the box
	}
	s.choices = pickList{st: s.st, keys: s.keys.List.scrollKeys}
	s.choices.SetItems(items)
	s.choices.SetSize(max(s.width-2, 10), len(items))
	s.choices.cursor = max(at, 0)
	s.picking = true
}

// Submit is what Enter sends: the choice under the cursor, or the box's
// text. On "Other…" it opens the box instead and sends nothing.
func (s *interviewScreen) Submit() (string, bool) {
	if s.picking && s.choices.cursor >= len(s.q.Choices) {
		s.picking = false
		s.box.Reset()
		s.fitBox()
		s.renderHeader()
		return "", false
	}
	return s.Answer(), true
}

// Picking reports whether a choice list has the keyboard.
func (s *interviewScreen) Picking() bool { return s.picking && !s.done && !s.readOnly }

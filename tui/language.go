package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"propose/interview"
	"propose/proposal"
	"propose/templates"
)

// languageChoice is the language row of the template picker: ←/→ pick the
// language a new proposal is written in, starting at the user's default.
type languageChoice struct {
	langs []*templates.Catalog
	i     int
}

func newLanguageChoice(langs []*templates.Catalog, def string) languageChoice {
	c := languageChoice{langs: langs}
	for i, l := range langs {
		if l.Tag.String() == def {
			c.i = i
		}
	}
	return c
}

// Tag is the chosen language ("" when there is no choice to make).
func (c languageChoice) Tag() string {
	if len(c.langs) == 0 {
		return ""
	}
	return c.langs[c.i].Tag.String()
}

func (c *languageChoice) move(d int) {
	if n := len(c.langs); n > 0 {
		c.i = (c.i + d + n) % n
	}
}

func (c languageChoice) label() string {
	if len(c.langs) == 0 {
		return ""
	}
	l := c.langs[c.i]
	return fmt.Sprintf("‹ %s (%s) ›", l.Name, l.Tag)
}

// languageSetMsg reports a change of the open proposal's language.
type languageSetMsg struct {
	gen  int
	name string
	err  error
}

// languageCmd rewrites the proposal in another language (the engine
// redrafts, saves and reviews); the result arrives with the engine's View.
func languageCmd(gen int, e *interview.Engine, c *templates.Catalog) tea.Cmd {
	tag, name := c.Tag.String(), fmt.Sprintf("%s (%s)", c.Name, c.Tag)
	return func() tea.Msg {
		err := e.SetLanguage(tag)
		return languageSetMsg{gen: gen, name: name, err: err}
	}
}

// saveLanguageCmd remembers the language picked for a new proposal as the
// user's default.
func saveLanguageCmd(save func(string) error, tag string) tea.Cmd {
	if save == nil || tag == "" {
		return nil
	}
	return func() tea.Msg {
		if err := save(tag); err != nil {
			return languageSavedMsg{err: err}
		}
		return nil
	}
}

// languageSavedMsg reports that the default language could not be saved.
type languageSavedMsg struct{ err error }

func (m *Model) languageSet(msg languageSetMsg) tea.Cmd {
	if msg.gen != m.sess.gen {
		return nil
	}
	m.sess.busy = false
	if msg.err != nil {
		m.opts.Log.Error("language", "err", msg.err)
		m.status.Flash("Could not change the language: "+plainError(msg.err), true)
		return nil
	}
	m.status.Flash("The proposal is now in "+msg.name+"; every section was redrafted.", false)
	return nil
}

// chooseLanguage applies the language chosen in the language list.
func (m *Model) chooseLanguage(i int) tea.Cmd {
	if m.sess.eng == nil || i < 0 || i >= len(m.opts.Languages) {
		return nil
	}
	c := m.opts.Languages[i]
	if c.Tag.String() == m.sess.eng.Language() {
		return nil
	}
	return m.rewriteIn(c)
}

// rewriteIn rewrites the open proposal in the language of c.
func (m *Model) rewriteIn(c *templates.Catalog) tea.Cmd {
	m.sess.busy = true
	m.status.Flash("Rewriting the proposal in "+c.Name+"…", false)
	return languageCmd(m.sess.gen, m.sess.eng, c)
}

// switchToAnswers offers the fix of a language-mismatch finding: the
// proposal is rewritten in the language the answers are in, when there is a
// catalog for it.
func (m *Model) switchToAnswers() tea.Cmd {
	if m.sess.eng == nil {
		return nil
	}
	tag, ok := proposal.AnswerLanguage(m.sess.eng.Template(), m.sess.snap.facts)
	if !ok {
		return nil
	}
	for _, c := range m.opts.Languages {
		if base, _ := c.Tag.Base(); base.String() == tag {
			return m.rewriteIn(c)
		}
	}
	m.status.Flash("There is no catalog for "+tag+"; add one to "+templates.LanguagesDir()+" (see the README).", true)
	return nil
}

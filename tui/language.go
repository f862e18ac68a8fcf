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

// languageSet ends a change of language: the proposal's new text came with
// the engine's View.
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

// languageAt is the language at row i of the language list; nil when
// there is none or the proposal is in it already.
func languageAt(langs []*templates.Catalog, i int, current string) *templates.Catalog {
	if i < 0 || i >= len(langs) || langs[i].Tag.String() == current {
		return nil
	}
	return langs[i]
}

// answersLanguage is the language the answers are in, offered as the fix
// of a language-mismatch finding: its tag (ok false when the answers do not
// say), and its catalog (nil when there is none for it).
func answersLanguage(langs []*templates.Catalog, t *templates.Template, facts proposal.Facts) (c *templates.Catalog, tag string, ok bool) {
	tag, ok = proposal.AnswerLanguage(t, facts)
	if !ok {
		return nil, "", false
	}
	for _, c := range langs {
		if base, _ := c.Tag.Base(); base.String() == tag {
			return c, tag, true
		}
	}
	return nil, tag, true
}

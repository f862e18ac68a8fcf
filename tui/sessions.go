package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"propose/interview"
	"propose/templates"
)

// sessionPicker lists the saved sessions, newest first: resume one, delete
// one (after a yes), or start a new proposal.
type sessionPicker struct {
	common
	list     pickList
	sessions []interview.Summary
	totals   map[string]int
	loaded   bool
	confirm  string // id waiting for a yes to delete
	width    int
	height   int
	err      string
	current  string // the session open now, if any
	// back: a session is open, and Esc goes back to it; canNew: a new
	// proposal can be started.
	back, canNew bool
}

func newSessionPicker(c common, ts []*templates.Template, canNew bool) sessionPicker {
	totals := map[string]int{}
	for _, t := range ts {
		n := 0
		for _, s := range t.Sections {
			n += len(s.Fields)
		}
		totals[t.ID] = n
	}
	return sessionPicker{common: c, list: pickList{st: c.st, keys: c.keys.Sessions.scrollKeys}, totals: totals, canNew: canNew}
}

// SetStyles follows the terminal's background.
func (p *sessionPicker) SetStyles(st styles) { p.st, p.list.st = st, st }

// Show puts the list in front: back says a session is open to go back to.
func (p *sessionPicker) Show(back bool) { p.back, p.err, p.confirm = back, "", "" }

// SetError shows a problem under the list ("" clears it).
func (p *sessionPicker) SetError(s string) { p.err = s }

// SetCurrent names the session open now, which cannot be deleted.
func (p *sessionPicker) SetCurrent(id string) { p.current = id }

// Confirming reports whether a delete waits for a yes.
func (p *sessionPicker) Confirming() bool { return p.confirm != "" }

// Count is the number of sessions listed.
func (p *sessionPicker) Count() int { return len(p.sessions) }

// Update handles the list's keys and says what the root should do.
func (p *sessionPicker) Update(msg tea.Msg) action {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	km := p.keys.Sessions
	if p.confirm != "" {
		switch {
		case key.Matches(k, p.keys.Confirm.Yes):
			id := p.confirm
			p.confirm = ""
			return deleteSessionAction{id: id}
		case key.Matches(k, p.keys.Confirm.No):
			p.confirm = ""
		}
		return nil
	}
	switch {
	case key.Matches(k, km.Back) && p.back:
		return backToWorkAction{}
	case key.Matches(k, km.Quit):
		return quitAction{}
	case key.Matches(k, km.Help):
		return openHelpAction{}
	case key.Matches(k, km.New) && p.canNew:
		return newProposalAction{}
	case key.Matches(k, km.Delete):
		if s, ok := p.Selected(); ok {
			if s.ID == p.current {
				p.err = "That session is open: switch to another before deleting it."
				return nil
			}
			p.confirm, p.err = s.ID, ""
		}
	case key.Matches(k, km.Open):
		s, ok := p.Selected()
		if !ok {
			return nil
		}
		if s.ID == p.current && p.back {
			return backToWorkAction{}
		}
		if s.Damaged {
			p.err = "That session is damaged: " + oneLine(s.Problem)
			return nil
		}
		p.err = "Opening…"
		return openSessionAction{id: s.ID}
	default:
		p.list, _ = p.list.Update(k)
	}
	return nil
}

// Help is what the keys do here, now.
func (p *sessionPicker) Help() keyHelp {
	if p.confirm != "" {
		c := p.keys.Confirm
		return keyHelp{short: []key.Binding{c.Yes, c.No}, groups: []helpGroup{{"Delete", []key.Binding{c.Yes, c.No}}}}
	}
	km := p.keys.Sessions
	has := len(p.sessions) > 0
	short := []key.Binding{enabled(km.Open, has), enabled(km.New, p.canNew), enabled(km.Delete, has),
		enabled(km.Back, p.back)}
	return keyHelp{short: short, groups: []helpGroup{
		{"Sessions", []key.Binding{enabled(km.Open, has), enabled(km.New, p.canNew), enabled(km.Delete, has), km.Up, km.Down, enabled(km.Back, p.back)}},
		p.keys.programGroup(km.Help, km.Quit),
	}}
}

// SetSessions shows the list, as of now.
func (p *sessionPicker) SetSessions(ss []interview.Summary, now time.Time) {
	p.sessions, p.loaded = ss, true
	items := make([]listItem, 0, len(ss))
	for _, s := range ss {
		title := s.Title
		if s.Client != "" {
			title += " · " + s.Client
		}
		if s.ID == p.current {
			title += " (open now)"
		}
		right := ""
		if tot := p.totals[s.Template]; tot > 0 {
			right = fmt.Sprintf("%d/%d answered", s.Answered, tot)
		}
		if !s.Updated.IsZero() {
			right += "  " + ago(now, s.Updated)
		}
		detail := s.Template + " · " + s.ID
		if s.Damaged {
			detail = s.ID + " · " + oneLine(s.Problem)
		}
		items = append(items, listItem{title: oneLine(title), right: right, detail: detail, dim: s.Damaged})
	}
	p.list.SetItems(items)
}

// Selected is the session under the cursor.
func (p *sessionPicker) Selected() (interview.Summary, bool) {
	if p.list.cursor < 0 || p.list.cursor >= len(p.sessions) {
		return interview.Summary{}, false
	}
	return p.sessions[p.list.cursor], true
}

func (p *sessionPicker) SetSize(w, h int) {
	p.width, p.height = max(w, 0), max(h, 0)
	p.list.SetSize(w-2, h-5)
}

func (p sessionPicker) View() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(p.st.title.Render("Your proposals") + p.st.dim.Render(fmt.Sprintf("  %d saved", len(p.sessions))) + "\n\n")
	switch {
	case !p.loaded:
		b.WriteString(p.st.dim.Render("  Loading…"))
	case len(p.sessions) == 0:
		b.WriteString(p.st.dim.Render("  No sessions yet.") + "  " + p.helpLine(p.width-20, p.keys.Sessions.New))
	default:
		b.WriteString(indent(p.list.View(), 1))
	}
	out := b.String()
	var foot string
	switch {
	case p.confirm != "":
		s, _ := p.Selected()
		// The keys to answer with are on the help line below.
		foot = p.st.warn.Render(fmt.Sprintf("Delete “%s”? It cannot be undone.", s.Title))
	case p.err != "":
		foot = p.st.bad.Render(p.err)
	}
	lines := strings.Split(out, "\n")
	if foot != "" {
		for len(lines) < p.height-2 {
			lines = append(lines, "")
		}
		lines = append(lines[:min(len(lines), p.height-2)], "", truncate(foot, p.width))
	}
	return placeLines(strings.Join(lines, "\n"), p.width, p.height)
}

// templatePicker lists the templates a new proposal can start from.
type templatePicker struct {
	common
	list   pickList
	ts     []*templates.Template
	width  int
	height int
	err    string
	// lang is the language the new proposal is written in.
	lang languageChoice
	// back: Esc goes back to the session list.
	back bool
}

func newTemplatePicker(c common, ts []*templates.Template, langs []*templates.Catalog, lang string) templatePicker {
	p := templatePicker{common: c, list: pickList{st: c.st, keys: c.keys.Templates.scrollKeys}, ts: ts,
		lang: newLanguageChoice(langs, lang)}
	items := make([]listItem, 0, len(ts))
	for i, t := range ts {
		n := 0
		for _, s := range t.Sections {
			n += len(s.Fields)
		}
		items = append(items, listItem{title: t.Name, right: fmt.Sprintf("%d questions", n), detail: t.ID + " · " + oneLine(t.Description)})
		if t.ID == templates.DefaultID {
			p.list.cursor = i
		}
	}
	p.list.SetItems(items)
	return p
}

// SetStyles follows the terminal's background.
func (p *templatePicker) SetStyles(st styles) { p.st, p.list.st = st, st }

// Show puts the picker in front: back says Esc has a list to go back to.
func (p *templatePicker) Show(back bool) { p.back, p.err = back, "" }

// SetError shows a problem under the list.
func (p *templatePicker) SetError(s string) { p.err = s }

// Update handles the picker's keys and says what the root should do.
func (p *templatePicker) Update(msg tea.Msg) action {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	km := p.keys.Templates
	switch {
	case key.Matches(k, km.Back):
		if p.back {
			return backToSessionsAction{}
		}
	case key.Matches(k, km.Quit):
		return quitAction{}
	case key.Matches(k, km.Help):
		return openHelpAction{}
	case key.Matches(k, km.Start):
		t, ok := p.Selected()
		if !ok {
			return nil
		}
		p.err = ""
		return startProposalAction{t: t, lang: p.lang.Tag()}
	case key.Matches(k, km.PrevLang):
		p.lang.move(-1)
	case key.Matches(k, km.NextLang):
		p.lang.move(1)
	default:
		p.list, _ = p.list.Update(k)
	}
	return nil
}

// Help is what the keys do here.
func (p *templatePicker) Help() keyHelp {
	km := p.keys.Templates
	langs := len(p.lang.langs) > 1
	return keyHelp{short: []key.Binding{km.Start, km.Up, km.Down, enabled(km.Back, p.back)},
		groups: []helpGroup{
			{"Templates", []key.Binding{km.Start, km.Up, km.Down, enabled(km.NextLang, langs), enabled(km.Back, p.back)}},
			p.keys.programGroup(km.Help, km.Quit),
		}}
}

func (p *templatePicker) Selected() (*templates.Template, bool) {
	if p.list.cursor < 0 || p.list.cursor >= len(p.ts) {
		return nil, false
	}
	return p.ts[p.list.cursor], true
}

func (p *templatePicker) SetSize(w, h int) {
	p.width, p.height = max(w, 0), max(h, 0)
	p.list.SetSize(w-2, h-5)
}

func (p templatePicker) View() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(p.st.title.Render("Start a new proposal") + "\n")
	b.WriteString(p.st.dim.Render(truncate("Pick the kind of proposal; the interview follows its sections.", p.width)) + "\n")
	if l := p.lang.label(); l != "" && len(p.lang.langs) > 1 {
		row := " Written in " + p.st.title.Render(l) + "  "
		b.WriteString(truncate(row+p.helpLine(p.width-lenCells(row), p.keys.Templates.NextLang), p.width) + "\n")
	}
	b.WriteString("\n")
	if len(p.ts) == 0 {
		b.WriteString(p.st.bad.Render("No templates are installed."))
	} else {
		b.WriteString(indent(p.list.View(), 1))
	}
	lines := strings.Split(b.String(), "\n")
	if p.err != "" {
		for len(lines) < p.height-2 {
			lines = append(lines, "")
		}
		lines = append(lines[:min(len(lines), p.height-2)], "", truncate(p.st.bad.Render(p.err), p.width))
	}
	return placeLines(strings.Join(lines, "\n"), p.width, p.height)
}

func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = pad + lines[i]
	}
	return strings.Join(lines, "\n")
}

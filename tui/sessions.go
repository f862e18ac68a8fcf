package tui

import (
	"fmt"
	"strings"
	"time"

	"propose/interview"
	"propose/templates"
)

// sessionPicker lists the saved sessions, newest first: resume one, delete
// one (after a yes), or start a new proposal.
type sessionPicker struct {
	st       styles
	keys     *KeyMap
	list     pickList
	sessions []interview.Summary
	totals   map[string]int
	loaded   bool
	confirm  string // id waiting for a yes to delete
	width    int
	height   int
	err      string
	current  string // the session open now, if any
}

func newSessionPicker(st styles, keys *KeyMap, ts []*templates.Template) sessionPicker {
	totals := map[string]int{}
	for _, t := range ts {
		n := 0
		for _, s := range t.Sections {
			n += len(s.Fields)
		}
		totals[t.ID] = n
	}
	return sessionPicker{st: st, keys: keys, list: pickList{st: st, keys: keys}, totals: totals}
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
		b.WriteString(p.st.dim.Render("  No sessions yet: press " + p.keys.NewSession.Help().Key + " to start a proposal."))
	default:
		b.WriteString(indent(p.list.View(), 1))
	}
	out := b.String()
	var foot string
	switch {
	case p.confirm != "":
		s, _ := p.Selected()
		foot = p.st.warn.Render(fmt.Sprintf("Delete “%s”? It cannot be undone.", s.Title)) + " " +
			p.st.key.Render("y") + " delete · " + p.st.key.Render("n") + " keep"
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
	st     styles
	keys   *KeyMap
	list   pickList
	ts     []*templates.Template
	width  int
	height int
	err    string
	// lang is the language the new proposal is written in.
	lang languageChoice
}

func newTemplatePicker(st styles, keys *KeyMap, ts []*templates.Template) templatePicker {
	p := templatePicker{st: st, keys: keys, list: pickList{st: st, keys: keys}, ts: ts}
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
		hint := p.keys.Left.Help().Key + "/" + p.keys.Right.Help().Key
		b.WriteString(truncate(" Written in "+p.st.title.Render(l)+p.st.faint.Render("  "+hint+" to change"), p.width) + "\n")
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

package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"propose/interview"
	"propose/proposal"
	"propose/templates"
)

// overlayKind is the dialog drawn over the screen, if any.
type overlayKind int

const (
	overlayNone overlayKind = iota
	overlayHelp
	overlayCoverage
	overlayAnswers
	overlayFedBy
	overlayExport
	overlayLanguage
)

// listDialog is a list drawn over the screen: the coverage map, the
// earlier answers, the languages. Choosing a row says what to do through
// an action; Esc, or the chord that opened it, closes it.
type listDialog struct {
	common
	kind  overlayKind
	title string
	empty string
	// choose names what Enter does on a row.
	choose key.Binding
	// toggle is the chord that opened the list, which closes it too.
	toggle key.Binding
	list   pickList
	// ids are what the rows stand for: field ids (earlier answers) or
	// section ids (coverage).
	ids []string
}

func newListDialog(c common, kind overlayKind, title, choose, empty string, toggle key.Binding) listDialog {
	km := c.keys.List
	b := km.Choose
	b.SetHelp(b.Help().Key, choose)
	return listDialog{common: c, kind: kind, title: title, empty: empty, choose: b, toggle: toggle,
		list: pickList{st: c.st, keys: km.scrollKeys}}
}

// SetItems shows the rows (the coverage map follows the answers).
func (d *listDialog) SetItems(items []listItem) { d.list.SetItems(items) }

// SetIDs names what each row stands for.
func (d *listDialog) SetIDs(ids []string) { d.ids = ids }

// SetCursor puts the cursor on a row.
func (d *listDialog) SetCursor(i int) { d.list.SetCursor(i) }

// SetSize fits the list into the room given.
func (d *listDialog) SetSize(w, h int) { d.list.SetSize(w, h) }

// Update moves through the list; Enter says what the row asks for.
func (d *listDialog) Update(msg tea.Msg) (action, tea.Cmd) {
	return d.key(msg), nil
}

// SetStyles follows the terminal's background.
func (d *listDialog) SetStyles(st styles) { d.st, d.list.st = st, st }

func (d *listDialog) key(msg tea.Msg) action {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, d.keys.List.Close, d.toggle):
		return closeOverlayAction{}
	case key.Matches(k, d.choose):
		i := d.list.Cursor()
		if d.list.Len() == 0 {
			return closeOverlayAction{}
		}
		switch d.kind {
		case overlayLanguage:
			return chooseLanguageAction{index: i}
		case overlayCoverage:
			if i < len(d.ids) {
				return jumpToSectionAction{section: d.ids[i]}
			}
		case overlayAnswers:
			if i < len(d.ids) {
				return jumpToFieldAction{field: d.ids[i]}
			}
		}
		return closeOverlayAction{}
	}
	d.list, _ = d.list.Update(k)
	return nil
}

// Help is what the keys do in the list.
func (d *listDialog) Help() keyHelp {
	km := d.keys.List
	bs := []key.Binding{enabled(d.choose, d.list.Len() > 0), km.Up, km.Down, km.Close}
	return keyHelp{short: bs, groups: []helpGroup{{d.title, bs}}}
}

// View draws the boxed list.
func (d *listDialog) View() string {
	list := d.list.View()
	if d.list.Len() == 0 {
		list = d.st.dim.Render(d.empty)
	}
	h := d.Help()
	return boxed(d.st, d.title, list, d.helpLine(d.list.width, h.short[0], h.short[3]))
}

// helpView lays the full help out from the key map, one titled group per
// block (bubbles help renders each), as many blocks to a row as fit in
// width; disabled keys are left out.
func helpView(st styles, groups []helpGroup, width int) string {
	h := help.New()
	h.Styles = st.help
	var blocks []string
	var widths []int
	for _, g := range groups {
		bs := only(g.Bindings...)
		if len(bs) == 0 {
			continue
		}
		block := st.heading.Render(g.Title) + "\n" + h.FullHelpView([][]key.Binding{bs})
		w := 0
		for _, l := range strings.Split(block, "\n") {
			w = max(w, lenCells(l))
		}
		blocks, widths = append(blocks, block), append(widths, w)
	}
	const gap = 3
	var rows []string
	for i := 0; i < len(blocks); {
		used, end := widths[i], i+1
		for end < len(blocks) && used+gap+widths[end] <= width {
			used += gap + widths[end]
			end++
		}
		var parts []string
		for k := i; k < end; k++ {
			parts = append(parts, placeLines(blocks[k], widths[k], strings.Count(blocks[k], "\n")+1))
		}
		rows = append(rows, joinBlocks(parts, strings.Repeat(" ", gap)))
		i = end
	}
	return strings.Join(rows, "\n\n")
}

// joinBlocks puts blocks of equal-width lines side by side.
func joinBlocks(blocks []string, gap string) string {
	var split [][]string
	h := 0
	for _, b := range blocks {
		l := strings.Split(b, "\n")
		split = append(split, l)
		h = max(h, len(l))
	}
	var out []string
	for y := 0; y < h; y++ {
		var line strings.Builder
		for i, l := range split {
			if i > 0 {
				line.WriteString(gap)
			}
			if y < len(l) {
				line.WriteString(l[y])
			} else if len(l) > 0 {
				line.WriteString(strings.Repeat(" ", lenCells(l[0])))
			}
		}
		out = append(out, strings.TrimRight(line.String(), " "))
	}
	return strings.Join(out, "\n")
}

// coverageItems lists the sections with their state.
func coverageItems(cov []interview.SectionCoverage) []listItem {
	items := make([]listItem, 0, len(cov))
	for _, c := range cov {
		icon := "○"
		switch c.State {
		case interview.Covered:
			icon = "●"
		case interview.Partial:
			icon = "◐"
		}
		items = append(items, listItem{title: icon + " " + c.Title, right: fmt.Sprintf("%d/%d  %s", c.Answered, c.Total, c.State)})
	}
	return items
}

// firstGap is the question to ask for a section chosen on the coverage map:
// its first unanswered field, else its first.
func firstGap(t *templates.Template, facts proposal.Facts, section string) string {
	s := t.Section(section)
	if s == nil || len(s.Fields) == 0 {
		return ""
	}
	for _, f := range s.Fields {
		if !facts.Has(f.ID) {
			return f.ID
		}
	}
	return s.Fields[0].ID
}

// nextUnanswered returns the question to open after the one last opened
// (after, "" at first) when going through the unanswered ones: required
// questions first, each group in template order, round again at the end.
func nextUnanswered(t *templates.Template, facts proposal.Facts, after string) string {
	var order []string
	for _, required := range []bool{true, false} {
		for _, s := range t.Sections {
			for _, f := range s.Fields {
				if f.Required == required {
					order = append(order, f.ID)
				}
			}
		}
	}
	start := 0
	for i, id := range order {
		if id == after {
			start = i + 1
		}
	}
	for i := range order {
		if id := order[(start+i)%len(order)]; !facts.Has(id) {
			return id
		}
	}
	return ""
}

// answerItems lists the answered questions in template order.
func answerItems(t *templates.Template, facts proposal.Facts) ([]listItem, []string) {
	var items []listItem
	var ids []string
	for _, s := range t.Sections {
		for _, f := range s.Fields {
			fact, ok := facts[f.ID]
			if !ok || strings.TrimSpace(fact.Value) == "" {
				continue
			}
			label := f.Label
			if label == "" {
				label = f.ID
			}
			if fact.Origin == proposal.Assumed {
				label += " (assumed)"
			}
			items = append(items, listItem{title: label, right: s.Title, detail: joinLines(proposal.Sanitize(fact.Value))})
			ids = append(ids, f.ID)
		}
	}
	return items, ids
}

// fedByView says which answers a section was drafted from.
func fedByView(st styles, t *templates.Template, facts proposal.Facts, fields []string, width int) string {
	var b strings.Builder
	if len(fields) == 0 {
		b.WriteString(st.dim.Render("No answers yet: this section is drafted from its questions once they are answered."))
	}
	for i, id := range fields {
		if i > 0 {
			b.WriteString("\n")
		}
		label := id
		if _, f := t.Field(id); f != nil && f.Label != "" {
			label = f.Label
		}
		fact := facts[id]
		if fact.Origin == proposal.Assumed {
			label += st.warn.Render(" (assumed)")
		}
		b.WriteString(st.heading.Render(label) + "\n")
		v := strings.Split(wrap(proposal.Sanitize(fact.Value), width), "\n")
		if len(v) > 4 {
			v = append(v[:4], st.dim.Render(fmt.Sprintf("… %d more lines", len(v)-4)))
		}
		b.WriteString(st.dim.Render(strings.Join(v, "\n")) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// joinLines puts a list answer on one line with its items kept apart.
func joinLines(s string) string {
	var parts []string
	for _, l := range strings.Split(s, "\n") {
		if l = oneLine(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " · ")
}

func lenCells(s string) int { return lipgloss.Width(s) }

package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
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

// helpView lays the full help out in as many columns as fit, one titled
// group per block, from the key map (disabled keys are left out).
func helpView(st styles, groups []helpGroup, width int) string {
	h := help.New()
	h.Styles = st.help
	var blocks []string
	colW := 0
	for _, g := range groups {
		bs := only(g.Bindings...)
		if len(bs) == 0 {
			continue
		}
		block := st.heading.Render(g.Title) + "\n" + h.FullHelpView([][]key.Binding{bs})
		blocks = append(blocks, block)
		for _, l := range strings.Split(block, "\n") {
			colW = max(colW, lenCells(l))
		}
	}
	cols := max(1, min(3, (width+3)/(colW+3)))
	var rows []string
	for i := 0; i < len(blocks); i += cols {
		end := min(i+cols, len(blocks))
		var parts []string
		for _, b := range blocks[i:end] {
			parts = append(parts, placeLines(b, colW, strings.Count(b, "\n")+1))
		}
		rows = append(rows, joinBlocks(parts, "   "))
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

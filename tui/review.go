package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"propose/proposal"
	"propose/templates"
)

// reviewScreen lists the reviewer's findings grouped by severity; Enter on
// one goes to the question that fixes it.
type reviewScreen struct {
	common
	t        *templates.Template
	width    int
	height   int
	findings []proposal.Finding
	cursor   int
	running  bool
	err      string
}

// newReviewScreen lists the findings on a proposal from template t.
func newReviewScreen(c common, t *templates.Template) reviewScreen {
	return reviewScreen{common: c, t: t}
}

// SetStyles follows the terminal's background.
func (r *reviewScreen) SetStyles(st styles) { r.st = st }

// Start shows that a review is running.
func (r *reviewScreen) Start() { r.running = true }

// Reviewed shows that the review ended, and how ("" when it went well).
func (r *reviewScreen) Reviewed(problem string) { r.running, r.err = false, problem }

// SetFindings shows a fresh review, keeping the cursor where it was.
func (r *reviewScreen) SetFindings(fs []proposal.Finding) {
	r.findings = fs
	r.cursor = max(0, min(r.cursor, len(fs)-1))
}

// SetSize lays the screen out.
func (r *reviewScreen) SetSize(w, h int) { r.width, r.height = max(w, 0), max(h, 0) }

// Selected is the finding under the cursor.
func (r *reviewScreen) Selected() (proposal.Finding, bool) {
	if r.cursor < 0 || r.cursor >= len(r.findings) {
		return proposal.Finding{}, false
	}
	return r.findings[r.cursor], true
}

// Update moves the cursor; Enter asks for the question that fixes the
// finding under it.
func (r *reviewScreen) Update(msg tea.Msg) action {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	km := r.keys.Review
	before := r.cursor
	switch {
	case key.Matches(k, km.Close):
		return closePaneAction{}
	case key.Matches(k, km.Go):
		f, ok := r.Selected()
		switch {
		case ok && f.Rule == proposal.RuleLanguageMismatch:
			return fixLanguageAction{}
		case ok && f.Field != "":
			return jumpToFieldAction{field: f.Field}
		}
		return nil
	case key.Matches(k, km.Up):
		r.cursor = max(0, r.cursor-1)
	case key.Matches(k, km.Down):
		r.cursor = min(len(r.findings)-1, r.cursor+1)
	case key.Matches(k, km.Top):
		r.cursor = 0
	case key.Matches(k, km.Bottom):
		r.cursor = len(r.findings) - 1
	case key.Matches(k, km.PageDown):
		r.cursor = min(len(r.findings)-1, r.cursor+5)
	case key.Matches(k, km.PageUp):
		r.cursor = max(0, r.cursor-5)
	}
	r.cursor = max(0, r.cursor)
	if r.cursor != before {
		return findingMovedAction{}
	}
	return nil
}

// Help is what the keys do in the review pane.
func (r *reviewScreen) Help() keyHelp {
	km := r.keys.Review
	f, ok := r.Selected()
	goes := ok && (f.Field != "" || f.Rule == proposal.RuleLanguageMismatch)
	// Enter's long description is in the pane's own footer.
	return keyHelp{short: []key.Binding{km.Up, km.Down, km.Close},
		groups: []helpGroup{{"Review pane", []key.Binding{km.Up, km.Down, km.PageUp, km.PageDown, enabled(km.Go, goes), km.Refresh, km.Close}}}}
}

func (r reviewScreen) sectionTitle(id string) string {
	if r.t != nil {
		if s := r.t.Section(id); s != nil {
			return s.Title
		}
	}
	return id
}

// View draws the groups; the list scrolls to keep the cursor in sight.
func (r reviewScreen) View() string {
	if r.width <= 0 || r.height <= 0 {
		return ""
	}
	w := r.width - 1
	var head []string
	b := proposal.Blockers(r.findings)
	title := "Review"
	switch {
	case r.running:
		title += r.st.dim.Render(" · reviewing…")
	case len(r.findings) == 0:
	default:
		title += r.st.dim.Render(fmt.Sprintf(" · %d %s, %d other", b, plural(b, "blocker", "blockers"), len(r.findings)-b))
	}
	head = append(head, r.st.accent.Render("Review")+strings.TrimPrefix(title, "Review"), "")
	if r.err != "" {
		head = append(head, strings.Split(wrap(r.st.warn.Render(r.err), w), "\n")...)
		head = append(head, "")
	}
	if len(r.findings) == 0 && !r.running {
		head = append(head, r.st.good.Render("No findings: the proposal is ready to send."), "",
			r.helpLine(w, r.keys.Work.Export))
		return placeLines(strings.Join(head, "\n"), r.width, r.height)
	}
	var body []string
	cursorLine, cursorEnd := 0, 0
	var sev proposal.Severity
	for i, f := range r.findings {
		if f.Severity != sev || i == 0 {
			sev = f.Severity
			if i > 0 {
				body = append(body, "")
			}
			n := 0
			for _, g := range r.findings {
				if g.Severity == sev {
					n++
				}
			}
			body = append(body, r.severityStyle(sev).Render(fmt.Sprintf("%s (%d)", severityTitle(sev), n)))
		}
		mark := "  "
		if i == r.cursor {
			mark = r.st.selected.Render("▸ ")
			cursorLine = len(body)
		}
		msg := proposal.Sanitize(f.Message)
		text := msg
		if sec := r.sectionTitle(f.Section); sec != "" && !strings.HasPrefix(msg, sec) {
			text = r.st.dim.Render(sec+": ") + msg
		}
		for j, l := range strings.Split(wrap(text, max(w-2, 4)), "\n") {
			if j == 0 {
				body = append(body, mark+l)
			} else {
				body = append(body, "  "+l)
			}
		}
		if i == r.cursor {
			cursorEnd = len(body) - 1
		}
	}
	// The body gets what the head and the key line leave; the selected
	// finding is kept in view whole (its first line first, when it is
	// taller than the room).
	room := max(r.height-len(head)-2, 1)
	off := 0
	if cursorEnd >= room {
		off = cursorEnd - room + 1
	}
	off = max(0, min(off, cursorLine, len(body)-room))
	if off+room < len(body) {
		body = body[off : off+room]
	} else {
		body = body[off:]
	}
	foot := r.helpLine(w, r.keys.Review.Go, r.keys.Review.Refresh)
	out := strings.Join(head, "\n") + "\n" + strings.Join(body, "\n")
	lines := strings.Split(out, "\n")
	if len(lines) < r.height-1 {
		lines = append(lines, make([]string, r.height-1-len(lines))...)
	}
	if len(lines) > r.height-1 {
		lines = lines[:max(r.height-1, 0)]
	}
	lines = append(lines, truncate(foot, w))
	return placeLines(strings.Join(lines, "\n"), r.width, r.height)
}

func (r reviewScreen) severityStyle(s proposal.Severity) styleRenderer {
	switch s {
	case proposal.Blocker:
		return r.st.errText
	case proposal.Warning:
		return r.st.warn
	}
	return r.st.dim
}

type styleRenderer interface{ Render(...string) string }

func severityTitle(s proposal.Severity) string {
	switch s {
	case proposal.Blocker:
		return "Blockers: fix before export"
	case proposal.Warning:
		return "Warnings"
	}
	return "Suggestions"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

package tui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"propose/interview"
	"propose/proposal"
)

// The helpers here read what the screen shows, so tests assert what a
// person sees rather than the model's fields.

// leftPane is the interview (or review) side of the screen: each body line
// up to the pane divider, without the bars.
func leftPane(screen string) []string {
	lines := strings.Split(screen, "\n")
	if len(lines) < 4 {
		return nil
	}
	body := lines[1 : len(lines)-2]
	for i, l := range body {
		if j := strings.Index(l, "│"); j >= 0 && !strings.HasPrefix(l, "│ ") {
			body[i] = strings.TrimRight(l[:j], " ")
		} else if strings.HasPrefix(l, "│ ") {
			// the answer box's own bar: cut at the divider after it
			if k := strings.Index(l[len("│ "):], "│"); k >= 0 {
				body[i] = strings.TrimRight(l[:len("│ ")+k], " ")
			}
		}
	}
	return body
}

// asked is the field whose question is on screen ("" at the end of the
// interview or while the next question loads): the breadcrumb names the
// section and the question's label; where that is ambiguous (a label the
// same as its section), the question's words decide.
func asked(t testing.TB, h *harness) string {
	t.Helper()
	left := leftPane(h.screen())
	if len(left) == 0 {
		return ""
	}
	crumb := strings.TrimSpace(answeredRE.ReplaceAllString(left[0], ""))
	flat := strings.Join(strings.Fields(strings.Join(left, " ")), " ")
	var byCrumb []string
	for _, s := range consulting(t).Sections {
		for _, f := range s.Fields {
			c := s.Title
			if f.Label != "" && f.Label != s.Title {
				c += " › " + f.Label
			}
			short := strings.TrimSuffix(crumb, "…")
			if c == crumb || (short != crumb && strings.HasPrefix(c, short)) {
				byCrumb = append(byCrumb, f.ID)
				if q := strings.Join(strings.Fields(f.Question), " "); strings.Contains(flat, q[:min(len(q), 40)]) {
					return f.ID
				}
			}
		}
	}
	if len(byCrumb) > 0 {
		return byCrumb[0] // a follow-up: its own words, the field's breadcrumb
	}
	return ""
}

// boxText is what the answer box shows, row by row.
func boxText(h *harness) string {
	var rows []string
	for _, l := range leftPane(h.screen()) {
		if strings.HasPrefix(l, "│ ") {
			rows = append(rows, strings.TrimRight(strings.TrimPrefix(l, "│ "), " "))
		} else if l == "│" {
			rows = append(rows, "")
		}
	}
	for len(rows) > 0 && rows[len(rows)-1] == "" {
		rows = rows[:len(rows)-1]
	}
	if len(rows) == 1 && rows[0] == "Type your answer…" { // the placeholder of an empty box
		return ""
	}
	return strings.Join(rows, "\n")
}

// followUp reports whether the question on screen is a follow-up.
func followUp(h *harness) bool {
	for _, l := range leftPane(h.screen())[:6] {
		if strings.TrimSpace(l) == "Follow-up" {
			return true
		}
	}
	return false
}

func TestScreenHelpersReadTheScreen(t *testing.T) {
	hs := answered(t, 80, 24, 2)
	if got := asked(t, hs); got != "buyer" {
		t.Fatalf("asked = %q on\n%s", got, hs.screen())
	}
	hs.typeText("two words")
	if got := boxText(hs); got != "two words" {
		t.Fatalf("boxText = %q on\n%s", got, hs.screen())
	}
	wide := answered(t, 140, 40, 3)
	if got := asked(t, wide); got != "consultant" {
		t.Fatalf("asked = %q on\n%s", got, wide.screen())
	}
}

// front is the pane in front, as its keys on the bottom line show it.
func front(h *harness) pane {
	lines := strings.Split(h.screen(), "\n")
	bar := lines[len(lines)-1]
	switch {
	case strings.Contains(bar, "next section"):
		return paneDraft
	case strings.Contains(bar, "close pane"):
		return paneReview
	}
	return paneInterview
}

var reviewCountRE = regexp.MustCompile(`Review · (\d+) blockers?, (\d+) other`)

// findingsShown is how many findings the review's heading counts (-1 when
// no review is on screen).
func findingsShown(screen string) int {
	m := reviewCountRE.FindStringSubmatch(screen)
	if m == nil {
		return -1
	}
	b, _ := strconv.Atoi(m[1])
	o, _ := strconv.Atoi(m[2])
	return b + o
}

// onSession reports whether the screen is an open session's (its tabs or
// pane names on top), not a picker's.
func onSession(screen string) bool {
	top, _, _ := strings.Cut(screen, "\n")
	return strings.Contains(top, "Interview") || strings.Contains(top, "Review")
}

// statusLine is the status bar: the line above the key help.
func statusLine(screen string) string {
	lines := strings.Split(screen, "\n")
	if len(lines) < 2 {
		return ""
	}
	return lines[len(lines)-2]
}

// saved is session id as it is on disk: the harness settles only once the
// engine's saves are done, so this is what the user's work is now.
func (h *harness) saved(id string) *interview.Session {
	h.t.Helper()
	if h.store == nil {
		h.t.Fatal("the harness has no store to read the session from")
	}
	s, _, err := h.store.Load(id)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// squeeze drops every space, so text wrapped on screen compares with the
// text it was wrapped from.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// selectedFinding is the finding under the review's cursor, read off the
// screen (the lines from its ▸ mark on) and matched to the findings of
// session id on disk: of those whose text the screen shows there, the
// longest.
func selectedFinding(t testing.TB, h *harness, id string) proposal.Finding {
	t.Helper()
	lines := leftPane(h.screen())
	at := -1
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "▸ ") {
			at = i
			break
		}
	}
	if at < 0 {
		t.Fatalf("no finding under the cursor:\n%s", h.screen())
	}
	shown := squeeze(strings.Replace(strings.Join(lines[at:], " "), "▸", "", 1))
	tp := consulting(t)
	var best proposal.Finding
	bestLen := -1
	for _, f := range h.saved(id).Findings {
		msg := proposal.Sanitize(f.Message)
		text := msg
		if s := tp.Section(f.Section); s != nil && !strings.HasPrefix(msg, s.Title) {
			text = s.Title + ": " + msg
		}
		if c := squeeze(text); strings.HasPrefix(shown, c) && len(c) > bestLen {
			best, bestLen = f, len(c)
		}
	}
	if bestLen < 0 {
		t.Fatalf("the finding under the cursor is none of the session's:\n%s", h.screen())
	}
	return best
}

// engineMsg is events as the listener brings them to the open session.
func (h *harness) engineMsg(evs ...interview.Event) tea.Msg {
	return engineEventsMsg{gen: h.m.sess.gen, events: evs}
}

// moveMsg is the end of a command to the open session that moves to a
// question (an answer, a skip, …), as its Cmd reports it.
func (h *harness) moveMsg(kind string, err error) tea.Msg {
	return movedMsg{gen: h.m.sess.gen, kind: kind, err: err}
}

// sgr is the escape sequence that starts text in style st.
func sgr(st lipgloss.Style) string {
	out := st.Render("x")
	return out[:strings.Index(out, "x")]
}

var sgrRE = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

// sgrs are the colour and style sequences in s.
func sgrs(s string) map[string]bool {
	out := map[string]bool{}
	for _, q := range sgrRE.FindAllString(s, -1) {
		out[q] = true
	}
	return out
}

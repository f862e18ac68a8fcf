package tui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
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

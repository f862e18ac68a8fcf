package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"propose/interview"
	"propose/proposal"
)

// statusBar is the line under the screens: the session, the engine,
// coverage, answers, the save state, tokens and any wait before a retry,
// and a passing message (flash). Under it is the key help line, which the
// root lays out from what is in front (help) and the bar only stacks.
type statusBar struct {
	common
	note flashNote
	// savedAt and saveErr are the session's last save and its failure,
	// worded; retry is the wait before the model is asked again.
	savedAt time.Time
	saveErr string
	retry   *interview.RetryEvent
	retryAt time.Time
	// help is the key help line, laid out in Update.
	help string
}

// flashNote is a message shown in the status bar for a while.
type flashNote struct {
	text  string
	bad   bool
	until time.Time
}

func newStatusBar(c common) statusBar { return statusBar{common: c} }

// SetStyles follows the terminal's background.
func (b *statusBar) SetStyles(st styles) { b.st = st }

// Flash shows a message for a while. Notices may quote a server or a
// model, so they are cleaned like any text from outside.
func (b *statusBar) Flash(s string, bad bool) {
	b.note = flashNote{text: proposal.Sanitize(s), bad: bad, until: b.now().Add(8 * time.Second)}
}

// Open forgets what the bar said of the session open before.
func (b *statusBar) Open() { b.savedAt, b.saveErr, b.retry = time.Time{}, "", nil }

// SetView takes the save state and any retry from the engine's View; prev
// is the View shown before (a retry already shown is not restarted).
func (b *statusBar) SetView(prev, v interview.View) {
	b.savedAt = v.SavedAt
	b.saveErr = plainError(v.SaveErr)
	if r := v.Retry; r != nil && (prev.Retry == nil || *prev.Retry != *r) {
		wait := r.RetryEvent
		b.retry, b.retryAt = &wait, r.At
	}
}

// SetHelp puts the key help line under the bar.
func (b *statusBar) SetHelp(line string) { b.help = line }

// keyLine is the short help of kh through bubbles help, width wide: as
// many keys as fit, and its tail (help and quit) always at the end.
func (b *statusBar) keyLine(kh keyHelp, width int) string {
	tail := b.helpLine(0, kh.tail...)
	room := width - 1
	if tail != "" {
		room -= lipgloss.Width(tail) + 3
	}
	out := b.helpLine(room, kh.short...)
	if tail != "" {
		if out != "" {
			out += b.st.help.ShortSeparator.Render(" • ")
		}
		out += tail
	}
	return fit(" "+out, width)
}

// Help is the key help line.
func (b *statusBar) Help() string { return b.help }

// noteView is the flash alone, for the screens without a session ("" when
// none is showing).
func (b *statusBar) noteView(width int) string {
	if b.note.text == "" || !b.now().Before(b.note.until) {
		return ""
	}
	st := b.st.statusBar
	if b.note.bad {
		st = b.st.statusErr
	}
	return fit(" "+st.Render(truncate(b.note.text, width-2)), width)
}

// View is the bar for an open session, width wide: s is its last View,
// engine names the engine and model in use.
func (b *statusBar) View(width int, s snapshot, engine string) string {
	now := b.now()
	p := s.progress
	if s.modelOff != "" {
		// The model failed in a way no retry mends: say so, and how to try again.
		engine = b.st.warn.Render("model off, standard wording (" + b.keys.Work.Retry.Help().Key + " tries it again)")
	}
	var right []string
	if b.note.text != "" && now.Before(b.note.until) {
		st := b.st.statusBar
		if b.note.bad {
			st = b.st.statusErr
		}
		right = append(right, st.Render(b.note.text))
	}
	if r := b.retry; r != nil {
		if wait := r.Wait - now.Sub(b.retryAt); wait > 0 {
			right = append(right, b.st.warn.Render(fmt.Sprintf("%s: retrying in %ds (%d/%d)", r.Reason, int(wait.Seconds()+0.5), r.Attempt, r.Max)))
		}
	}
	switch {
	case b.saveErr != "":
		right = append(right, b.st.statusErr.Render("not saved: "+b.saveErr))
	case s.readOnly:
		right = append(right, b.st.warn.Render("read-only"))
	case !b.savedAt.IsZero():
		// Padded to its longest usual form, so the title beside it does
		// not shift as "just now" becomes "5s ago".
		right = append(right, fmt.Sprintf("saved %8s", ago(now, b.savedAt)))
	}
	if t := tokens(s.usage); t != "" {
		right = append(right, t)
	}
	sepDot := b.st.faint.Render(" · ")
	rs := strings.Join(right, sepDot) + " "
	counts := []string{fmt.Sprintf("%d/%d answered", p.Answered, p.Total), fmt.Sprintf("%d/%d sections", p.SectionsCovered, p.Sections), engine}
	room := width - lipgloss.Width(rs) - 1
	// The title takes what the counts leave; counts go first when room is short.
	for len(counts) > 0 {
		if room-lipgloss.Width(strings.Join(counts, " · "))-3 >= 12 {
			break
		}
		counts = counts[:len(counts)-1]
	}
	if room < 12 {
		return fit(" "+truncate(strings.TrimSpace(rs), width-2), width)
	}
	cs := strings.Join(counts, " · ")
	titleRoom := room - lipgloss.Width(cs) - 4
	if cs == "" {
		titleRoom = room - 1
	}
	ls := " " + b.st.bold.Render(truncate(s.info.Title, titleRoom))
	if cs != "" {
		ls += sepDot + cs
	}
	return b.st.statusBar.Render(fit(ls, room)) + " " + rs
}

func tokens(u map[string]interview.Usage) string {
	total, est := 0, false
	for _, v := range u {
		total += v.PromptTokens + v.CompletionTokens
		est = est || v.Estimated
	}
	if total == 0 {
		return ""
	}
	s := fmt.Sprintf("%d tokens", total)
	if total >= 10000 {
		s = fmt.Sprintf("%.1fk tokens", float64(total)/1000)
	}
	if est {
		s = "~" + s
	}
	return s
}

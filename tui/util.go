package tui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"propose/interview"
	"propose/llm"
	"propose/proposal"
)

func itoa(n int) string { return strconv.Itoa(n) }

// plainError is the first line of an error, cleaned for the screen: details
// such as stack traces stay out of the way.
func plainError(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	var le *llm.Error
	if errors.As(err, &le) && le.Remedy.Flag() != "" {
		// The screen has its own way around a failing model (the standard
		// wording, and a key to try again); the command line's flag is no
		// use here.
		msg = strings.Replace(msg, " "+le.Remedy.Flag(), "", 1)
	}
	msg = proposal.Sanitize(msg)
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if errors.Is(err, interview.ErrLocked) {
		return "That session is open in another propose window. " + msg
	}
	return msg
}

// wrap wraps text to width cells, word by word.
func wrap(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return lipgloss.NewStyle().Width(width).Render(s)
}

// truncate cuts one line to width cells with an ellipsis.
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// oneLine squeezes text onto one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// ago says how long ago t was, in the few words a status bar has room for.
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 0:
		d = 0
	}
	switch {
	case d < time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	case d < 30*24*time.Hour:
		return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
	}
	return t.Local().Format("2 Jan 2006")
}

// humanBytes is a size in KB or MB.
func humanBytes(n int) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d bytes", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
}

// thousands formats a count with thin separators for reading: 12,345.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// placeLines pads or cuts a block to exactly w x h cells, line by line.
func placeLines(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = fit(l, w)
	}
	blank := strings.Repeat(" ", w)
	for len(lines) < h {
		lines = append(lines, blank)
	}
	return strings.Join(lines, "\n")
}

// placeOver draws box over bg, centred across its width and within the h
// rows from row top (the body, between the bars), through lipgloss layers.
// A box taller or wider than that is cut to fit.
func placeOver(bg, box string, w, top, h int) string {
	lines := strings.Split(box, "\n")
	if len(lines) > h {
		lines = lines[:max(h, 0)]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	box = strings.Join(lines, "\n")
	bw, bh := lipgloss.Width(box), lipgloss.Height(box)
	return lipgloss.NewCompositor(
		lipgloss.NewLayer(bg),
		lipgloss.NewLayer(box).X(max(0, (w-bw)/2)).Y(top+max(0, (h-bh)/2)).Z(1),
	).Render()
}

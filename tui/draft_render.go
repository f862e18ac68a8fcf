package tui

import (
	"strings"
	"unicode/utf8"

	"propose/proposal"
)

// draftSection is one section of the proposal as the draft pane knows it.
type draftSection struct {
	id, title string
	noHeading bool
	// body is the last complete text; live is what the redraft in progress
	// has streamed so far (shown instead of body once it has any text).
	body      string
	live      strings.Builder
	streaming bool
	drafting  bool
	truncated bool
	failed    string
	fields    []string
	// updated marks a section redrafted since the last answer.
	updated bool
	// dirty means its Markdown changed since it was last rendered.
	dirty bool
	lines []string
}

func (s *draftSection) text() string {
	if s.streaming {
		return s.live.String()
	}
	return s.body
}

// maxShownBytes caps how much of one section the pane renders: a section
// holding a pasted document of megabytes would take seconds to lay out on
// every change. The export and the clipboard keep all of it. At 16 KB (five
// pages or so) one render costs about twenty keystrokes; at 48 KB it cost
// more than sixty, a hitch after submitting a huge paste (fault suite, 9).
const maxShownBytes = 16 << 10

// markdown is the section as the pane renders it and, when the section is
// longer than the pane shows, the note saying how much more there is. The
// note is rendered apart, so the shown part (the same while the rest of a
// long section streams in, and after it is done) is rendered once.
func (s *draftSection) markdown() (md, more string) {
	t := strings.TrimSpace(s.text())
	if t == "" {
		return "", ""
	}
	if len(t) > maxShownBytes {
		cut := strings.LastIndex(t[:maxShownBytes], "\n\n")
		if cut < maxShownBytes/2 {
			cut = strings.LastIndexAny(t[:maxShownBytes], " \n")
		}
		if cut <= 0 {
			cut = maxShownBytes
		}
		for cut > 0 && !utf8.RuneStart(t[cut]) {
			cut--
		}
		more = "*… " + humanBytes(len(t)-cut) + " more in this section, not shown here; the export has all of it.*"
		t = strings.TrimSpace(t[:cut])
	}
	if s.noHeading {
		return t, more
	}
	return "## " + s.title + "\n\n" + t, more
}

func (d *draftPane) markAll() {
	d.coverOK = false
	for i := range d.secs {
		d.secs[i].dirty = true
	}
}

// coverLines lays the title block out. It is drawn here rather than by
// glamour, which runs the block's hard line breaks together.
func (d *draftPane) coverLines(w int) []string {
	c := d.cover
	if strings.TrimSpace(c.Title) == "" {
		return nil
	}
	out := []string{fit("", w)}
	ww := min(w, readingWidth)
	for _, l := range strings.Split(wrap(d.st.title.Render(oneLine(proposal.Sanitize(c.Title))), max(ww-4, 1)), "\n") {
		out = append(out, fit("  "+l, w))
	}
	out = append(out, fit("", w))
	lb := c.Labels // in the proposal's language
	if lb == (proposal.Labels{}) {
		lb = proposal.LabelsFor(nil)
	}
	for _, kv := range [][2]string{{lb.PreparedFor, c.PreparedFor}, {lb.Attention, c.Attention},
		{lb.PreparedBy, c.PreparedBy}, {lb.Date, c.Date}, {lb.Reference, c.Reference}} {
		v := oneLine(proposal.Sanitize(kv[1]))
		if v == "" {
			continue
		}
		label := strings.ReplaceAll(lb.Label, "{label}", kv[0]) + " "
		for _, l := range strings.Split(wrap(d.st.dim.Render(label)+v, max(ww-4, 1)), "\n") {
			out = append(out, fit("  "+l, w))
		}
	}
	return out
}

func (d *draftPane) textWidth() int { return max(d.width-1, 1) }

// readingWidth caps how wide prose runs on a wide terminal: long lines are
// hard to read.
const readingWidth = 92

func (d *draftPane) wrapWidth() int { return min(d.textWidth(), readingWidth) }

// Flush renders the sections that changed (each through the render cache)
// and lays the document out again.
func (d *draftPane) Flush() {
	if d.width <= 0 {
		return
	}
	w := d.textWidth()
	if !d.coverOK {
		d.coverMD = d.coverLines(w)
		d.coverOK = true
	}
	for i := range d.secs {
		s := &d.secs[i]
		if !s.dirty {
			continue
		}
		s.dirty = false
		s.lines = nil
		md, more := s.markdown()
		switch {
		case md == "":
		case more != "":
			s.lines = d.joinLines(d.r.Lines(md, d.wrapWidth(), w), d.r.Lines(more, d.wrapWidth(), w), w)
		case s.streaming:
			s.lines = d.streamLines(md, w)
		default:
			s.lines = d.r.Lines(md, d.wrapWidth(), w)
		}
	}
	d.assemble()
}

// FlushLater reports whether a throttled flush must be sent for: none is
// on its way yet.
func (d *draftPane) FlushLater() bool {
	if d.flushing {
		return false
	}
	d.flushing = true
	return true
}

// FlushDue is the throttled flush arriving.
func (d *draftPane) FlushDue() {
	d.flushing = false
	d.Flush()
}

// Reflow names a resize whose render waits for the size to settle.
func (d *draftPane) Reflow() int {
	d.reflowGen++
	return d.reflowGen
}

// Reflowed renders at the new width once the last resize's wait is over.
func (d *draftPane) Reflowed(gen int) {
	if gen == d.reflowGen {
		d.Flush()
	}
}

// streamLines renders a section whose text is still arriving: the finished
// paragraphs (cached, so rendered once each time a paragraph completes)
// and the paragraph being written (rendered at each flush). When the
// section is done it renders again in one piece.
func (d *draftPane) streamLines(md string, w int) []string {
	cut := strings.LastIndex(md, "\n\n")
	if cut <= 0 {
		return d.r.Lines(md, d.wrapWidth(), w)
	}
	return d.joinLines(d.r.Lines(md[:cut], d.wrapWidth(), w), d.r.Lines(md[cut+2:], d.wrapWidth(), w), w)
}

// joinLines stacks two rendered parts with a blank line between, as one
// rendered paragraph follows another.
func (d *draftPane) joinLines(head, tail []string, w int) []string {
	lines := make([]string, 0, len(head)+len(tail)+1)
	lines = append(lines, head...)
	lines = append(lines, fit("", w))
	return append(lines, tail...)
}

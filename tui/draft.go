package tui

import (
	"sort"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"propose/interview"
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

// draftPane shows the proposal rendered with glamour, updated section by
// section as the drafter writes. Rendering happens in Flush, called from
// Update (at most about 20 times a second while text streams in); View only
// slices lines that are already rendered. Scrolling (keys, the wheel, where
// the view is) is a bubbles viewport over those lines; the pane draws the
// visible slice itself, so a frame pads and measures nothing.
type draftPane struct {
	common
	r       *markdownRenderer
	width   int
	height  int
	focused bool
	cover   proposal.Cover
	coverMD []string
	coverOK bool
	secs    []draftSection
	// lines are the rendered document, each exactly textWidth wide; guts
	// are the one-cell gutter beside each (kept apart so laying the
	// document out again copies no text).
	lines  []string
	guts   []string
	starts []int
	ends   []int
	// vp holds the scroll position over lines: keys, the wheel, clamping
	// and where the view is. It is given blank rows, as many as lines: the
	// pane draws the visible lines itself from the render cache, and the
	// viewport would measure every line of the document again on each
	// flush (13 s instead of 1 s for a 5,000-delta stream).
	vp   viewport.Model
	rows []string
	// linesWidth is the width lines were laid out at; until a resize
	// settles, View fits them to the new width.
	linesWidth int
	follow     bool
	selected   int
	// target is the section to follow into view.
	target string
	// question is the section the current question feeds: the pane keeps
	// it in view rather than whichever section was redrafted last.
	question string
}

func newDraftPane(c common) draftPane {
	vp := viewport.New()
	k := c.keys.Draft
	off := key.NewBinding(key.WithDisabled())
	vp.KeyMap = viewport.KeyMap{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown,
		HalfPageUp: off, HalfPageDown: off, Left: off, Right: off}
	vp.MouseWheelDelta = 3
	return draftPane{common: c, r: newMarkdownRenderer(c.st.glamourStyle()), follow: true, selected: -1, vp: vp}
}

// SetStyles switches light/dark/no colour; everything renders again.
func (d *draftPane) SetStyles(st styles) {
	d.st = st
	d.r.SetStyle(st.glamourStyle())
	d.markAll()
}

// SetSize changes the pane's size. A new width needs new renders; the caller
// decides when to Flush (resizes are debounced).
func (d *draftPane) SetSize(w, h int) {
	if w != d.width {
		d.markAll()
	}
	d.width, d.height = max(w, 0), max(h, 0)
	d.vp.SetWidth(d.width)
	d.vp.SetHeight(d.height)
}

func (d *draftPane) markAll() {
	d.coverOK = false
	for i := range d.secs {
		d.secs[i].dirty = true
	}
}

// Load replaces everything with the engine's draft: a session opened or
// resumed.
func (d *draftPane) Load(dr proposal.Draft, cover proposal.Cover) {
	d.secs = make([]draftSection, len(dr.Sections))
	for i, s := range dr.Sections {
		d.secs[i] = draftSection{id: s.ID, title: s.Title, noHeading: s.NoHeading, body: s.Body,
			truncated: s.Truncated, fields: s.Fields, dirty: true}
	}
	d.cover, d.coverOK = cover, false
	d.vp.SetYOffset(0)
	d.follow, d.selected, d.target, d.question = true, -1, "", ""
}

// SetCover changes the title block.
func (d *draftPane) SetCover(c proposal.Cover) {
	if c != d.cover {
		d.cover, d.coverOK = c, false
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

func (d *draftPane) section(id string) *draftSection {
	for i := range d.secs {
		if d.secs[i].id == id {
			return &d.secs[i]
		}
	}
	return nil
}

// Apply takes a draft event in. It reports whether the screen should show
// the change now (a section finished or failed) rather than at the next
// throttled flush.
func (d *draftPane) Apply(ev interview.Event) (now bool) {
	switch ev := ev.(type) {
	case interview.DraftStartedEvent:
		if s := d.section(ev.Section); s != nil {
			s.drafting, s.failed, s.streaming = true, "", false
			s.live.Reset()
			s.dirty = true
			d.retarget(s.id)
			return true
		}
	case interview.DraftDeltaEvent:
		if s := d.section(ev.Section); s != nil {
			s.live.WriteString(ev.Text)
			s.streaming, s.dirty = true, true
			d.retarget(s.id)
		}
	case interview.DraftDoneEvent:
		if s := d.section(ev.Section); s != nil {
			s.body, s.drafting, s.streaming, s.truncated, s.failed = ev.Body, false, false, false, ""
			s.live.Reset()
			s.updated, s.dirty = ev.Body != "", true
			if ev.Body != "" {
				d.retarget(s.id)
			}
			return true
		}
	case interview.DraftFailedEvent:
		if s := d.section(ev.Section); s != nil {
			s.drafting, s.streaming = false, false
			s.live.Reset()
			s.truncated = ev.Truncated
			if ev.Body != "" {
				s.body = ev.Body // the standard wording on the current answers
			}
			if !ev.Truncated && ev.Err != nil {
				s.failed = plainError(ev.Err)
			}
			s.dirty = true
			return true
		}
	}
	return false
}

// SetFields records which facts fed each section (from the engine's draft).
func (d *draftPane) SetFields(dr proposal.Draft) {
	for _, s := range dr.Sections {
		if ds := d.section(s.ID); ds != nil {
			ds.fields = s.Fields
			if s.Truncated != ds.truncated && !ds.drafting {
				ds.truncated, ds.dirty = s.Truncated, true
			}
		}
	}
}

// Settle clears the drafting mark of sections the engine is no longer
// redrafting: a redraft cancelled (Esc, or made stale) sends no event.
func (d *draftPane) Settle(drafting []string) {
	changed := false
	for i := range d.secs {
		s := &d.secs[i]
		if !s.drafting {
			continue
		}
		still := false
		for _, id := range drafting {
			still = still || id == s.id
		}
		if !still {
			s.drafting, s.streaming, s.dirty = false, false, true
			s.live.Reset()
			changed = true
		}
	}
	if changed {
		d.Flush()
	}
}

// NewRound clears the "updated" marks and follows the next redraft: the user
// answered again.
func (d *draftPane) NewRound() {
	for i := range d.secs {
		if d.secs[i].updated {
			d.secs[i].updated = false
		}
	}
	d.follow = true
	d.target = d.question
	d.assemble()
}

// Dirty reports whether anything waits to be rendered.
func (d *draftPane) Dirty() bool {
	if !d.coverOK {
		return true
	}
	for i := range d.secs {
		if d.secs[i].dirty {
			return true
		}
	}
	return false
}

// Truncated lists the sections a redraft key can retry: stopped early,
// failed or stalled.
func (d *draftPane) Truncated() []string {
	var ids []string
	for _, s := range d.secs {
		if (s.truncated || s.failed != "") && !s.drafting {
			ids = append(ids, s.id)
		}
	}
	return ids
}

// Drafting reports whether any section is being redrafted.
func (d *draftPane) Drafting() bool {
	for _, s := range d.secs {
		if s.drafting {
			return true
		}
	}
	return false
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

// assemble stacks the rendered sections with their gutter and markers:
// first where each section starts, then the lines (the gutter depends on
// which section is selected, which depends on where they start).
func (d *draftPane) assemble() {
	w := d.textWidth()
	markers := make([][]string, len(d.secs))
	d.starts = d.starts[:0]
	d.ends = d.ends[:0]
	n := len(d.coverMD)
	for i := range d.secs {
		s := &d.secs[i]
		markers[i] = d.marker(s, w)
		if len(s.lines) == 0 && len(markers[i]) == 0 {
			d.starts = append(d.starts, -1)
			d.ends = append(d.ends, -1)
			continue
		}
		if n > 0 {
			n++ // a blank line between sections
		}
		d.starts = append(d.starts, n)
		n += len(markers[i])
		n += len(s.lines)
		d.ends = append(d.ends, n-1)
	}
	off := d.followTarget(d.vp.YOffset())
	off = max(0, min(off, n-d.height))
	sel := -1
	if d.focused {
		sel = d.selectedIndexAt(off)
	}
	lines := d.lines[:0]
	guts := d.guts[:0]
	blank := fit("", w)
	for _, l := range d.coverMD {
		lines, guts = append(lines, l), append(guts, " ")
	}
	for i := range d.secs {
		s := &d.secs[i]
		if d.starts[i] < 0 {
			continue
		}
		if len(lines) > 0 {
			lines, guts = append(lines, blank), append(guts, " ")
		}
		g := d.gutter(s, i == sel)
		// While text streams in, the mark trails it like a cursor.
		if !s.streaming {
			for _, ml := range markers[i] {
				lines, guts = append(lines, ml), append(guts, g)
			}
		}
		lines = append(lines, s.lines...)
		for range s.lines {
			guts = append(guts, g)
		}
		if s.streaming {
			for _, ml := range markers[i] {
				lines, guts = append(lines, ml), append(guts, g)
			}
		}
	}
	if len(lines) == 0 {
		for _, l := range []string{"", "The proposal appears here as you answer:", "each answer redrafts the sections it feeds."} {
			lines, guts = append(lines, fit(d.st.dim.Render(l), w)), append(guts, " ")
		}
	}
	d.lines, d.guts = lines, guts
	d.linesWidth = d.width
	d.r.Sweep()
	if len(lines) != d.vp.TotalLineCount() {
		for len(d.rows) < len(lines) {
			d.rows = append(d.rows, "")
		}
		d.vp.SetContentLines(d.rows[:len(lines)])
	}
	d.vp.SetYOffset(off)
}

// marker is the line or lines above a section saying what is happening to
// it; a failure wraps rather than being cut, so its hint stays in view.
func (d *draftPane) marker(s *draftSection, w int) []string {
	var m string
	st := d.st.warn
	switch {
	case s.drafting && s.streaming:
		return []string{fit("  "+d.st.gutterLive.Render("✎ drafting "+s.title+"…"), w)}
	case s.drafting:
		return []string{fit("  "+d.st.gutterLive.Render("✎ redrafting "+s.title+"…"), w)}
	case s.truncated:
		m = "⚠ " + s.title + " stopped early; it shows the standard wording until " + d.keys.Work.Retry.Help().Key + " redrafts it."
	case s.failed != "":
		st = d.st.bad
		m = "✗ " + s.failed + " The section shows the standard wording; " + d.keys.Work.Retry.Help().Key + " redrafts it."
	default:
		return nil
	}
	var out []string
	for _, l := range strings.Split(wrap(m, max(w-2, 8)), "\n") {
		out = append(out, fit("  "+st.Render(l), w))
	}
	return out
}

func (d *draftPane) gutter(s *draftSection, selected bool) string {
	switch {
	case s.drafting:
		return d.st.gutterLive.Render("┃")
	case selected:
		return d.st.gutterSel.Render("▌")
	case s.truncated || s.failed != "":
		return d.st.warn.Render("▌")
	case s.updated:
		return d.st.gutterNew.Render("▎")
	}
	return " "
}

// retarget follows a section being drafted, unless the pane is keeping the
// current question's section in view.
func (d *draftPane) retarget(id string) {
	if d.question == "" {
		d.target = id
	}
}

// FollowSection keeps the section the current question feeds (or the
// finding under the review's cursor points to) in view: scrolling there
// now, and staying there while other sections redraft. Moving to a
// question is the user's own choice, so it follows even after a scroll.
func (d *draftPane) FollowSection(id string) {
	d.question, d.target, d.follow = id, id, true
	if len(d.starts) == len(d.secs) {
		d.vp.SetYOffset(d.followTarget(d.vp.YOffset()))
	}
}

// followTarget is where to scroll (from off) to bring the section being
// drafted (or just redrafted) into view, unless the user scrolled away. A
// section with nothing drafted yet brings the nearest drafted one before it
// into view.
func (d *draftPane) followTarget(off int) int {
	if !d.follow || d.target == "" || d.height <= 0 || len(d.starts) != len(d.secs) {
		return off
	}
	at := -1
	for i, s := range d.secs {
		if s.id == d.target {
			at = i
		}
	}
	for ; at >= 0 && d.starts[at] < 0; at-- {
	}
	for i, s := range d.secs {
		if i != at {
			continue
		}
		start, end := d.starts[i], d.ends[i]
		switch {
		case s.streaming && end-start+1 > d.height:
			return end - d.height + 1 // follow the tail as it grows
		case start < off:
			return start
		case end >= off+d.height:
			return min(start, end-d.height+1)
		}
		return off
	}
	return off
}

// selectedIndex is the section chosen with the next/previous section keys,
// else the one at the top of the view.
func (d *draftPane) selectedIndex() int { return d.selectedIndexAt(d.vp.YOffset()) }

func (d *draftPane) selectedIndexAt(off int) int {
	if d.selected >= 0 && d.selected < len(d.secs) && d.selected < len(d.starts) && d.starts[d.selected] >= 0 {
		return d.selected
	}
	best := -1
	for i := range d.starts {
		if i >= len(d.starts) || d.starts[i] < 0 {
			continue
		}
		if d.starts[i] <= off || best < 0 {
			best = i
		}
		if d.starts[i] > off {
			break
		}
	}
	return best
}

// Selected returns the selected section's id and title, or "".
func (d *draftPane) Selected() (id, title string, fields []string) {
	i := d.selectedIndex()
	if i < 0 {
		return "", "", nil
	}
	return d.secs[i].id, d.secs[i].title, d.secs[i].fields
}

// SetFocused marks the pane as taking keys.
func (d *draftPane) SetFocused(f bool) {
	if d.focused != f {
		d.focused = f
		d.assemble()
	}
}

// Update scrolls and moves between sections; the keys that reach beyond
// the pane say what the root should do.
func (d *draftPane) Update(msg tea.Msg) action {
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		d.scrolled(msg)
	case tea.KeyPressMsg:
		k := d.keys.Draft
		switch {
		case key.Matches(msg, k.FedBy):
			return openFedByAction{}
		case key.Matches(msg, k.Copy):
			return copyAction{}
		case key.Matches(msg, k.Close):
			return closePaneAction{}
		case key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown):
			d.scrolled(msg)
		case key.Matches(msg, k.Top):
			d.follow, d.selected = false, -1
			d.vp.GotoTop()
			d.assemble()
		case key.Matches(msg, k.Bottom):
			d.follow, d.selected = false, -1
			d.vp.GotoBottom()
			d.assemble()
		case key.Matches(msg, k.NextSec):
			d.step(1)
		case key.Matches(msg, k.PrevSec):
			d.step(-1)
		}
	}
	return nil
}

// Help is what the keys do in the draft pane.
func (d *draftPane) Help() keyHelp {
	k := d.keys.Draft
	return keyHelp{short: []key.Binding{k.Up, k.Down, k.NextSec, k.FedBy, k.Copy, k.Close},
		groups: []helpGroup{{"Draft pane", []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.NextSec, k.PrevSec, k.FedBy, k.Copy, k.Close}}}}
}

// Sections is the draft as the pane shows it (finished text only).
func (d *draftPane) Sections() proposal.Draft {
	out := proposal.Draft{Sections: make([]proposal.Section, 0, len(d.secs))}
	for _, s := range d.secs {
		out.Sections = append(out.Sections, proposal.Section{ID: s.id, Title: s.title, Body: s.body, NoHeading: s.noHeading})
	}
	return out
}

// Width is the pane's width; Rendered whether anything is laid out yet.
func (d *draftPane) Width() int     { return d.width }
func (d *draftPane) Rendered() bool { return len(d.lines) > 0 }

// scrolled hands a scrolling key or the wheel to the viewport: the user
// scrolled away, so the pane stops following the drafter until the next
// answer.
func (d *draftPane) scrolled(msg tea.Msg) {
	d.follow = false
	d.selected = -1
	d.vp, _ = d.vp.Update(msg)
	d.assemble()
}

// step selects the next or previous section with text and scrolls to it.
func (d *draftPane) step(dir int) {
	cur := d.selectedIndex()
	var shown []int
	for i := range d.starts {
		if d.starts[i] >= 0 {
			shown = append(shown, i)
		}
	}
	if len(shown) == 0 {
		return
	}
	pos := sort.SearchInts(shown, cur)
	next := pos + dir
	if cur < 0 {
		next = 0
	}
	next = max(0, min(next, len(shown)-1))
	d.selected = shown[next]
	d.follow = false
	d.vp.SetYOffset(d.starts[d.selected])
	d.assemble()
}

// View shows the visible slice of the rendered document. It renders nothing:
// every line is already exactly the pane's width.
func (d *draftPane) View() string {
	if d.height <= 0 || d.width <= 0 {
		return ""
	}
	top := d.vp.YOffset()
	end := min(top+d.height, len(d.lines))
	var b strings.Builder
	b.Grow((end - top + 1) * (d.width + 16))
	n := 0
	for i := top; i < end; i++ {
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.guts[i])
		if d.linesWidth == d.width {
			b.WriteString(d.lines[i])
		} else {
			b.WriteString(fit(d.lines[i], d.width-1))
		}
		n++
	}
	blank := strings.Repeat(" ", d.width)
	for ; n < d.height; n++ {
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(blank)
	}
	return b.String()
}

// ScrollInfo says where the view is, for the pane's heading.
func (d *draftPane) ScrollInfo() string {
	if len(d.lines) <= d.height || d.height <= 0 {
		return ""
	}
	return itoa(int(d.vp.ScrollPercent()*100+0.5)) + "%"
}

package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"propose/proposal"
)

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
	// flushing: a throttled flush is on its way (flushMsg); reflowGen
	// names the last resize, whose reflowMsg alone renders again.
	flushing  bool
	reflowGen int
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

// Width is the pane's width; Rendered whether anything is laid out yet.
func (d *draftPane) Width() int     { return d.width }
func (d *draftPane) Rendered() bool { return len(d.lines) > 0 }

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

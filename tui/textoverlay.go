package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
)

// textOverlay is a boxed text over the screen (the keys, what fed a
// section): it fits between the top bar and the status bar whatever the
// terminal's size, and scrolls when its text is taller than that.
type textOverlay struct {
	st    styles
	keys  *KeyMap
	title string
	body  string
	vp    viewport.Model
	// width, height are the room the box may take, border included.
	width, height int
}

// textOverlayAction is what a key did to the overlay.
type textOverlayAction int

const (
	textOverlayStay textOverlayAction = iota
	textOverlayClose
)

func newTextOverlay(st styles, keys *KeyMap, title, body string, width, height int) textOverlay {
	o := textOverlay{st: st, keys: keys, title: title, body: body}
	o.vp = viewport.New()
	o.vp.KeyMap = viewport.KeyMap{Up: keys.Up, Down: keys.Down, PageUp: keys.PageUp, PageDown: keys.PageDown,
		HalfPageUp: key.NewBinding(key.WithDisabled()), HalfPageDown: key.NewBinding(key.WithDisabled()),
		Left: key.NewBinding(key.WithDisabled()), Right: key.NewBinding(key.WithDisabled())}
	o.SetSize(width, height)
	return o
}

// boxChrome is what the box adds around its text: a border and one column
// of padding each side, and the title and footer lines with their gaps.
const (
	boxChromeW = 4
	boxChromeH = 2 + 4
)

// SetSize fits the box into width x height cells.
func (o *textOverlay) SetSize(width, height int) {
	o.width, o.height = max(width, boxChromeW+8), max(height, boxChromeH+1)
	inner := o.width - boxChromeW
	o.vp.SetWidth(inner)
	o.vp.SetContent(wrap(o.body, inner))
	o.vp.SetHeight(max(1, min(o.vp.TotalLineCount(), o.height-boxChromeH)))
}

// Update scrolls; any other key closes the overlay, as its footer says.
func (o textOverlay) Update(msg tea.Msg) (textOverlay, textOverlayAction) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return o, textOverlayStay
	}
	if o.scrolls() && key.Matches(k, o.keys.Up, o.keys.Down, o.keys.PageUp, o.keys.PageDown, o.keys.Top, o.keys.Bottom) {
		switch {
		case key.Matches(k, o.keys.Top):
			o.vp.GotoTop()
		case key.Matches(k, o.keys.Bottom):
			o.vp.GotoBottom()
		default:
			o.vp, _ = o.vp.Update(k)
		}
		return o, textOverlayStay
	}
	return o, textOverlayClose
}

// scrolls reports whether the text is taller than the box.
func (o textOverlay) scrolls() bool { return o.vp.TotalLineCount() > o.vp.Height() }

// View draws the box.
func (o textOverlay) View() string {
	foot := "any key closes"
	if o.scrolls() {
		foot = fmt.Sprintf("%s/%s scroll (%d%%) · any other key closes", o.keys.Up.Help().Key, o.keys.Down.Help().Key,
			int(o.vp.ScrollPercent()*100+0.5))
	}
	inner := o.width - boxChromeW
	text := o.st.title.Render(truncate(o.title, inner)) + "\n\n" + o.vp.View() + "\n\n" + o.st.faint.Render(truncate(foot, inner))
	return o.st.box.Render(strings.TrimRight(text, "\n"))
}

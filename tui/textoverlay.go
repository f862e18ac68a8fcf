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
	common
	title string
	body  string
	vp    viewport.Model
	// width, height are the room the box may take, border included;
	// maxW the widest it grows.
	width, height, maxW int
}

func newTextOverlay(c common, title, body string, maxW, width, height int) textOverlay {
	o := textOverlay{common: c, title: title, body: body, maxW: maxW}
	o.vp = viewport.New()
	keys := c.keys.Text
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
	if o.maxW > 0 {
		width = min(width, o.maxW)
	}
	o.width, o.height = max(width, boxChromeW+8), max(height, boxChromeH+1)
	inner := o.width - boxChromeW
	o.vp.SetWidth(inner)
	o.vp.SetContent(wrap(o.body, inner))
	o.vp.SetHeight(max(1, min(o.vp.TotalLineCount(), o.height-boxChromeH)))
}

// Update scrolls; any other key closes the overlay, as its footer says.
func (o *textOverlay) Update(msg tea.Msg) (action, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, nil
	}
	km := o.keys.Text
	if o.scrolls() && key.Matches(k, km.all()...) {
		switch {
		case key.Matches(k, km.Top):
			o.vp.GotoTop()
		case key.Matches(k, km.Bottom):
			o.vp.GotoBottom()
		default:
			o.vp, _ = o.vp.Update(k)
		}
		return nil, nil
	}
	return closeOverlayAction{}, nil
}

// SetStyles follows the terminal's background.
func (o *textOverlay) SetStyles(st styles) { o.st = st }

// Help is what the keys do in the box.
func (o *textOverlay) Help() keyHelp {
	km := o.keys.Text
	var bs []key.Binding
	if o.scrolls() {
		bs = append(bs, km.Up, km.Down, km.PageDown)
	}
	bs = append(bs, km.Close)
	return keyHelp{short: bs, groups: []helpGroup{{"This box", bs}}}
}

// scrolls reports whether the text is taller than the box.
func (o textOverlay) scrolls() bool { return o.vp.TotalLineCount() > o.vp.Height() }

// View draws the box.
func (o *textOverlay) View() string {
	inner := o.width - boxChromeW
	title := o.title
	if o.scrolls() {
		title += fmt.Sprintf("  %d%%", int(o.vp.ScrollPercent()*100+0.5))
	}
	foot := o.helpLine(inner, o.Help().short...)
	text := o.st.title.Render(truncate(title, inner)) + "\n\n" + o.vp.View() + "\n\n" + foot
	return o.st.box.Render(strings.TrimRight(text, "\n"))
}

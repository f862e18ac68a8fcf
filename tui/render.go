package tui

import (
	"hash/maphash"
	"strings"

	"charm.land/glamour/v2"
	gansi "charm.land/glamour/v2/ansi"
	gstyles "charm.land/glamour/v2/styles"
	"github.com/charmbracelet/x/ansi"
)

// noColorStyle names the style used under NO_COLOR: Markdown rendered with
// bold, italics and layout but no colour (glamour's own "notty" prints the
// Markdown markers instead).
const noColorStyle = "notty"

// plainMarkdownStyle is glamour's ASCII style with emphasis shown as bold
// and italics instead of literal ** and * markers.
func plainMarkdownStyle() gansi.StyleConfig {
	on := true
	c := gstyles.ASCIIStyleConfig
	c.Strong = gansi.StylePrimitive{Bold: &on}
	c.Emph = gansi.StylePrimitive{Italic: &on}
	c.Heading.Bold = &on
	return c
}

// markdownRenderer turns Markdown into terminal lines with glamour. It keeps
// one glamour renderer per width (building one parses a style; a renderer is
// not safe for concurrent use, and this one is only used from Update) and
// caches what it rendered by (text hash, width), so a section whose text did
// not change is never rendered twice.
type markdownRenderer struct {
	style     string
	renderers map[int]*glamour.TermRenderer
	cache     map[renderKey][]string
	used      map[renderKey]bool
	// renders counts glamour calls and renderedBytes the Markdown they were
	// given, for tests and benchmarks.
	renders       int
	renderedBytes int
}

type renderKey struct {
	hash  uint64
	size  int
	wrap  int
	width int
}

var renderSeed = maphash.MakeSeed()

func newMarkdownRenderer(style string) *markdownRenderer {
	return &markdownRenderer{style: style, renderers: map[int]*glamour.TermRenderer{},
		cache: map[renderKey][]string{}, used: map[renderKey]bool{}}
}

// SetStyle switches the glamour style (light, dark, notty), dropping what was
// rendered in the old one.
func (r *markdownRenderer) SetStyle(style string) {
	if style == r.style {
		return
	}
	r.style = style
	clear(r.renderers)
	clear(r.cache)
	clear(r.used)
}

// Lines renders md wrapped at wrap cells (at most width), each line padded
// to exactly width cells. The slice is shared with the cache: callers must
// not change it.
func (r *markdownRenderer) Lines(md string, wrap, width int) []string {
	width = max(width, 1)
	wrap = max(1, min(wrap, width))
	k := renderKey{hash: maphash.String(renderSeed, md), size: len(md), wrap: wrap, width: width}
	r.used[k] = true
	if lines, ok := r.cache[k]; ok {
		return lines
	}
	lines := fitLines(r.render(md, wrap), width)
	r.cache[k] = lines
	return lines
}

func (r *markdownRenderer) render(md string, width int) string {
	r.renders++
	r.renderedBytes += len(md)
	tr := r.renderers[width]
	if tr == nil {
		var err error
		style := glamour.WithStandardStyle(r.style)
		if r.style == noColorStyle {
			style = glamour.WithStyles(plainMarkdownStyle())
		}
		tr, err = glamour.NewTermRenderer(style, glamour.WithWordWrap(max(width, 12)))
		if err != nil {
			return md
		}
		r.renderers[width] = tr
	}
	out, err := tr.Render(md)
	if err != nil {
		return md
	}
	return strings.Trim(out, "\n")
}

// Sweep forgets renders not asked for since the last sweep, so the cache
// holds what is on screen (at the widths in use) and not every old version
// of a section streamed long ago.
func (r *markdownRenderer) Sweep() {
	if len(r.cache) <= 2*len(r.used)+32 {
		return
	}
	for k := range r.cache {
		if !r.used[k] {
			delete(r.cache, k)
		}
	}
	clear(r.used)
	for w := range r.renderers {
		found := false
		for k := range r.cache {
			if k.wrap == w {
				found = true
				break
			}
		}
		if !found {
			delete(r.renderers, w)
		}
	}
}

// fitLines splits rendered text into lines cut or padded to exactly width
// cells, so the screen can stack them without measuring again.
func fitLines(s string, width int) []string {
	raw := strings.Split(s, "\n")
	out := make([]string, 0, len(raw))
	for _, l := range raw {
		out = append(out, fit(l, width))
	}
	return out
}

// fit cuts or pads one line to exactly width cells.
func fit(l string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(l)
	switch {
	case w > width:
		return ansi.Truncate(l, width, "")
	case w < width:
		return l + strings.Repeat(" ", width-w)
	}
	return l
}

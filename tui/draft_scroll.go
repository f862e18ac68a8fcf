package tui

import (
	"sort"

	tea "charm.land/bubbletea/v2"
)

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

// ScrollInfo says where the view is, for the pane's heading.
func (d *draftPane) ScrollInfo() string {
	if len(d.lines) <= d.height || d.height <= 0 {
		return ""
	}
	return itoa(int(d.vp.ScrollPercent()*100+0.5)) + "%"
}

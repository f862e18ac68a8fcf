package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// listItem is one row of a pick list: a title line and an optional dim line
// under it.
type listItem struct {
	title, detail, right string
	dim                  bool
}

// pickList is the small selectable list the pickers share.
type pickList struct {
	st     styles
	keys   scrollKeys
	items  []listItem
	cursor int
	width  int
	height int
}

func (l *pickList) SetItems(items []listItem) {
	l.items = items
	l.cursor = max(0, min(l.cursor, len(items)-1))
}

func (l *pickList) SetSize(w, h int) { l.width, l.height = max(w, 0), max(h, 0) }

// SetCursor puts the cursor on row i.
func (l *pickList) SetCursor(i int) { l.cursor = max(0, min(i, len(l.items)-1)) }

// Cursor is the row under the cursor.
func (l pickList) Cursor() int { return l.cursor }

// Len is the number of rows.
func (l pickList) Len() int { return len(l.items) }

// Update moves the cursor.
func (l pickList) Update(msg tea.Msg) (pickList, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return l, nil
	}
	switch {
	case key.Matches(k, l.keys.Up):
		l.cursor--
	case key.Matches(k, l.keys.Down):
		l.cursor++
	case key.Matches(k, l.keys.PageUp):
		l.cursor -= max(1, l.perPage())
	case key.Matches(k, l.keys.PageDown):
		l.cursor += max(1, l.perPage())
	case key.Matches(k, l.keys.Top):
		l.cursor = 0
	case key.Matches(k, l.keys.Bottom):
		l.cursor = len(l.items) - 1
	}
	l.cursor = max(0, min(l.cursor, len(l.items)-1))
	return l, nil
}

func (l pickList) rowHeight() int {
	for _, it := range l.items {
		if it.detail != "" {
			return 2
		}
	}
	return 1
}

func (l pickList) perPage() int { return max(1, l.height/l.rowHeight()) }

// View draws the rows that fit, scrolled to keep the cursor in sight.
func (l pickList) View() string {
	if l.width <= 0 || l.height <= 0 {
		return ""
	}
	per := l.perPage()
	off := 0
	if l.cursor >= per {
		off = l.cursor - per + 1
	}
	var rows []string
	for i := off; i < len(l.items) && i < off+per; i++ {
		it := l.items[i]
		mark := "  "
		title := it.title
		if i == l.cursor {
			mark = l.st.selected.Render("▸ ")
			title = l.st.selected.Render(title)
		} else if it.dim {
			title = l.st.dim.Render(title)
		}
		line := mark + title
		if it.right != "" {
			room := l.width - 1 - len([]rune(it.right))
			line = fit(truncate(line, max(room-1, 1)), max(room, 1)) + l.st.dim.Render(it.right)
		}
		rows = append(rows, truncate(line, l.width))
		if l.rowHeight() == 2 {
			rows = append(rows, "    "+l.st.faint.Render(truncate(it.detail, max(l.width-5, 1))))
		}
	}
	return strings.Join(rows, "\n")
}

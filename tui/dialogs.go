package tui

import (
	tea "charm.land/bubbletea/v2"

	"propose/interview"
	"propose/proposal"
	"propose/templates"
)

// dialog is a box drawn over the screen that takes the keys while it is
// open, and says through an action what the root should do.
type dialog interface {
	Update(tea.Msg) (action, tea.Cmd)
	View() string
	Help() keyHelp
}

// dialogs are the boxes drawn over the screen, at most one open at a time:
// the lists (coverage, earlier answers, languages), the boxed texts (keys,
// what fed a section) and the export dialog. Each opens fitted to the room
// the screen gives it.
type dialogs struct {
	common
	kind overlayKind
	list listDialog
	text textOverlay
	ex   exportDialog
	// width and bodyH are the screen's width and the height between its
	// bars.
	width, bodyH int
}

func newDialogs(c common) dialogs { return dialogs{common: c} }

// active is the dialog open, if any.
func (o *dialogs) active() dialog {
	switch o.kind {
	case overlayHelp, overlayFedBy:
		return &o.text
	case overlayExport:
		return &o.ex
	case overlayCoverage, overlayAnswers, overlayLanguage:
		return &o.list
	}
	return nil
}

// isOpen reports whether a dialog is open; is whether that one is.
func (o *dialogs) isOpen() bool          { return o.kind != overlayNone }
func (o *dialogs) is(k overlayKind) bool { return o.kind == k }

// close closes the dialog open.
func (o *dialogs) close() { o.kind = overlayNone }

// SetStyles follows the terminal's background.
func (o *dialogs) SetStyles(st styles) {
	o.st = st
	o.ex.SetStyles(st)
	o.list.SetStyles(st)
	o.text.SetStyles(st)
}

// SetSize fits the dialogs to a screen w wide with bodyH rows between its
// bars.
func (o *dialogs) SetSize(w, bodyH int) {
	o.width, o.bodyH = w, bodyH
	o.ex.SetWidth(o.exportWidth())
	o.list.SetSize(o.listSize())
	if o.kind == overlayHelp || o.kind == overlayFedBy {
		o.text.SetSize(o.room())
	}
}

// room is the room a boxed text may take: the body, between the top bar
// and the status bar, less a margin.
func (o *dialogs) room() (w, h int) { return max(o.width-4, 12), max(o.bodyH, 1) }

func (o *dialogs) listSize() (w, h int) { return min(o.width-8, 72), max(o.bodyH-6, 1) }
func (o *dialogs) exportWidth() int     { return min(o.width-4, 76) }

// openList opens a list: its rows, what each stands for, the row the
// cursor starts on.
func (o *dialogs) openList(l listDialog, items []listItem, ids []string, cursor int) {
	l.SetItems(items)
	l.SetIDs(ids)
	l.SetCursor(cursor)
	l.SetSize(o.listSize())
	o.list, o.kind = l, l.kind
}

// openAnswers lists the answered questions to change one.
func (o *dialogs) openAnswers(t *templates.Template, facts proposal.Facts) {
	items, ids := answerItems(t, facts)
	o.openList(newListDialog(o.common, overlayAnswers, "Change an earlier answer", "change it", "Nothing answered yet.", o.keys.Work.EditEarlier),
		items, ids, 0)
}

// openCoverage shows the coverage map, on the section of the question
// asked.
func (o *dialogs) openCoverage(cov []interview.SectionCoverage, section string) {
	ids := make([]string, len(cov))
	cur := 0
	for i, c := range cov {
		ids[i] = c.Section
		if c.Section == section {
			cur = i
		}
	}
	o.openList(newListDialog(o.common, overlayCoverage, "Coverage: missing ○, partial ◐, covered ●", "go to its first open question", "", o.keys.Work.Coverage),
		coverageItems(cov), ids, cur)
}

// setCoverage follows the answers while the coverage map is open.
func (o *dialogs) setCoverage(cov []interview.SectionCoverage) {
	if o.kind == overlayCoverage {
		o.list.SetItems(coverageItems(cov))
	}
}

// openLanguages lists the languages the open proposal can be rewritten
// in, on the one it is in (current).
func (o *dialogs) openLanguages(langs []*templates.Catalog, current string) {
	var items []listItem
	cur := 0
	for i, c := range langs {
		right := ""
		if c.Tag.String() == current {
			right, cur = "current", i
		}
		items = append(items, listItem{title: c.Name, right: right, detail: c.Tag.String()})
	}
	o.openList(newListDialog(o.common, overlayLanguage, "Write the proposal in", "rewrite it in this language", "", o.keys.Work.Language),
		items, nil, cur)
}

// openHelp shows the keys of the screen in front, in groups.
func (o *dialogs) openHelp(groups []helpGroup) {
	w, h := o.room()
	w = min(w, 110)
	o.text = newTextOverlay(o.common, "Keys", helpView(o.st, groups, w-boxChromeW), 110, w, h)
	o.kind = overlayHelp
}

// openFedBy says which answers a section of the draft was drafted from.
func (o *dialogs) openFedBy(t *templates.Template, facts proposal.Facts, title string, fields []string) {
	w, h := o.room()
	w = min(w, 76)
	o.text = newTextOverlay(o.common, "What fed “"+title+"”", fedByView(o.st, t, facts, fields, w-boxChromeW), 76, w, h)
	o.kind = overlayFedBy
}

// openExport opens the export dialog for the session shown in s.
func (o *dialogs) openExport(s snapshot, workDir string) {
	o.ex = newExportDialog(o.common, s.info.Title, workDir, s.findings, s.fallbacks)
	o.ex.SetWidth(o.exportWidth())
	o.kind = overlayExport
}

// exported shows the outcome of an export in its dialog.
func (o *dialogs) exported(path string, err error) { o.ex.Exported(path, err) }

// written is where the last export went.
func (o *dialogs) written() string { return o.ex.Written() }

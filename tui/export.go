package tui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"propose/interview"
	"propose/proposal"
)

type exportField int

const (
	fieldFormat exportField = iota
	fieldPath
	fieldMarks
	fieldOverride
	fieldOverwrite
)

// exportDialog asks for a format and a path, warns about blockers and says
// where the file went.
type exportDialog struct {
	common
	width    int
	format   int
	path     textinput.Model
	edited   bool
	title    string
	workDir  string
	blockers []proposal.Finding
	// fallbacks are the sections the export carries in the standard wording.
	fallbacks []proposal.Fallback
	override  bool
	marks     bool // keep the assumption marks: an internal draft
	exists    bool
	overwrite bool
	field     exportField
	running   bool
	written   string
	err       string
}

func newExportDialog(c common, title, workDir string, findings []proposal.Finding, fallbacks []proposal.Fallback) exportDialog {
	st := c.st
	ti := textinput.New()
	ti.Prompt = ""
	ti.CharLimit = 4096
	ts := textinput.DefaultStyles(st.dark)
	ts.Cursor.Blink = false // a blinking cursor means a timer Cmd forever
	ti.SetStyles(ts)
	d := exportDialog{common: c, path: ti, title: title, workDir: workDir, fallbacks: fallbacks}
	for _, f := range findings {
		if f.Severity == proposal.Blocker {
			d.blockers = append(d.blockers, f)
		}
	}
	d.path.SetValue(d.defaultPath())
	d.path.CursorEnd()
	// The dialog opens on the format, so ←/→ do what its hint says; tab
	// reaches the path.
	d.field = fieldFormat
	return d
}

func (d *exportDialog) defaultPath() string {
	f := proposal.Formats[d.format]
	return proposal.Slug(d.title) + "." + f.ID
}

// SetWidth fits the dialog to the screen.
func (d *exportDialog) SetWidth(w int) {
	d.width = max(w, 20)
	d.path.SetWidth(max(d.width-14, 8))
}

// Request is what to export, as chosen.
// A relative path is taken from the folder the dialog names, whatever the
// process's own folder is.
func (d *exportDialog) Request() interview.ExportRequest {
	path := strings.TrimSpace(d.path.Value())
	if path != "" && !filepath.IsAbs(path) && !strings.HasPrefix(path, "~") && d.workDir != "" {
		path = filepath.Join(d.workDir, path)
	}
	return interview.ExportRequest{Format: proposal.Formats[d.format], Path: path,
		IgnoreBlockers: d.override, Force: d.overwrite, ShowAssumptions: d.marks}
}

// Exported shows the outcome of an export.
func (d *exportDialog) Exported(path string, err error) {
	d.running = false
	switch {
	case err == nil:
		d.written, d.err = path, ""
	case errors.Is(err, proposal.ErrExists):
		d.exists = true
		d.field = fieldOverwrite
		d.path.Blur()
		d.err = "A file with that name is already there. Tick “Overwrite” or change the path."
	case errors.Is(err, interview.ErrBlocked):
		d.field = fieldOverride
		d.path.Blur()
		d.err = "Blockers remain: fix them first, or tick “Export anyway”."
	default:
		d.err = plainError(err)
	}
}

func (d *exportDialog) fields() []exportField {
	fs := []exportField{fieldFormat, fieldPath}
	if len(d.blockers) > 0 {
		fs = append(fs, fieldOverride)
	}
	if d.exists {
		fs = append(fs, fieldOverwrite)
	}
	return append(fs, fieldMarks)
}

func (d *exportDialog) move(dir int) {
	fs := d.fields()
	i := 0
	for j, f := range fs {
		if f == d.field {
			i = j
		}
	}
	d.field = fs[(i+dir+len(fs))%len(fs)]
	if d.field == fieldPath {
		d.path.Focus()
	} else {
		d.path.Blur()
	}
}

// runExportAction asks the root to export as chosen.
type runExportAction struct{ req interview.ExportRequest }

// Update handles the dialog's keys and says what the root should do.
func (d *exportDialog) Update(msg tea.Msg) (action, tea.Cmd) {
	if d.running {
		return nil, nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if p, ok := msg.(tea.PasteMsg); ok && d.field == fieldPath {
			var cmd tea.Cmd
			d.path, cmd = d.path.Update(p)
			d.edited = true
			return nil, cmd
		}
		return nil, nil
	}
	km := d.keys.Export
	if d.written != "" {
		if key.Matches(k, km.Done) {
			return closeOverlayAction{}, nil
		}
		return nil, nil
	}
	switch {
	case key.Matches(k, km.Cancel):
		return closeOverlayAction{}, nil
	case key.Matches(k, km.Export):
		if len(d.blockers) > 0 && !d.override {
			d.field = fieldOverride
			d.path.Blur()
			d.err = "Blockers remain: fix them first, or tick “Export anyway” (" + km.Toggle.Help().Key + ")."
			return nil, nil
		}
		d.running, d.err = true, ""
		return runExportAction{req: d.Request()}, nil
	case key.Matches(k, km.Next):
		d.move(1)
		return nil, nil
	case key.Matches(k, km.Prev):
		d.move(-1)
		return nil, nil
	}
	switch d.field {
	case fieldFormat:
		switch {
		case key.Matches(k, km.FormatBack):
			d.setFormat((d.format + len(proposal.Formats) - 1) % len(proposal.Formats))
		case key.Matches(k, km.Format, km.Toggle):
			d.setFormat((d.format + 1) % len(proposal.Formats))
		}
	case fieldMarks:
		if key.Matches(k, km.Toggle) {
			d.marks = !d.marks
		}
	case fieldOverride:
		if key.Matches(k, km.Toggle) {
			d.override = !d.override
		}
	case fieldOverwrite:
		if key.Matches(k, km.Toggle) {
			d.overwrite = !d.overwrite
		}
	case fieldPath:
		before := d.path.Value()
		var cmd tea.Cmd
		d.path, cmd = d.path.Update(k)
		if d.path.Value() != before {
			d.edited, d.exists, d.overwrite = true, false, false
		}
		return nil, cmd
	}
	return nil, nil
}

// SetStyles follows the terminal's background.
func (d *exportDialog) SetStyles(st styles) { d.st = st }

// Written is the file the last export wrote ("" before).
func (d *exportDialog) Written() string { return d.written }

// Help is what the keys do in the dialog.
func (d *exportDialog) Help() keyHelp {
	km := d.keys.Export
	bs := []key.Binding{km.Export, km.Next, km.Format, km.Toggle, km.Cancel}
	if d.written != "" {
		bs = []key.Binding{km.Done}
	}
	return keyHelp{short: bs, groups: []helpGroup{{"Export", append(bs, km.Prev)}}}
}

func (d *exportDialog) setFormat(i int) {
	d.format = i
	v := strings.TrimSpace(d.path.Value())
	if !d.edited || v == "" {
		d.path.SetValue(d.defaultPath())
	} else if ext := filepath.Ext(v); ext != "" {
		if _, ok := proposal.FormatFor(ext); ok {
			d.path.SetValue(strings.TrimSuffix(v, ext) + "." + proposal.Formats[i].ID)
		}
	}
	d.path.CursorEnd()
	d.exists, d.overwrite = false, false
}

// View draws the dialog box.
func (d *exportDialog) View() string {
	w := d.width - 4
	var b strings.Builder
	b.WriteString(d.st.title.Render("Export the proposal") + "\n\n")
	if d.written != "" {
		b.WriteString(d.st.good.Render("Wrote") + "\n" + wrap(d.written, w) + "\n\n")
		b.WriteString(d.helpLine(w, d.Help().short...))
		return d.st.box.Width(d.width).Render(b.String())
	}
	mark := func(f exportField) string {
		if d.field == f {
			return d.st.selected.Render("▸ ")
		}
		return "  "
	}
	var formats []string
	for i, f := range proposal.Formats {
		if i == d.format {
			formats = append(formats, d.st.selected.Render("(•) "+f.Name))
		} else {
			formats = append(formats, "( ) "+f.Name)
		}
	}
	b.WriteString(mark(fieldFormat) + "Format  " + strings.Join(formats, "  ") + "\n")
	b.WriteString(mark(fieldPath) + "Path    " + d.path.View() + "\n")
	where := d.workDir
	if p := strings.TrimSpace(d.path.Value()); filepath.IsAbs(p) || strings.HasPrefix(p, "~") {
		where = ""
	}
	if where != "" {
		b.WriteString(d.st.faint.Render(truncate("          in "+where, w)) + "\n")
	}
	if len(d.blockers) > 0 {
		b.WriteString("\n" + d.st.warn.Render(fmt.Sprintf("⚠ %d %s would go out with the proposal:", len(d.blockers), plural(len(d.blockers), "blocker", "blockers"))) + "\n")
		for i, f := range d.blockers {
			if i == 4 {
				b.WriteString(d.st.dim.Render(fmt.Sprintf("  … and %d more (see the review)", len(d.blockers)-4)) + "\n")
				break
			}
			b.WriteString(d.st.dim.Render(truncate("  • "+oneLine(proposal.Sanitize(f.Message)), w)) + "\n")
		}
		b.WriteString(mark(fieldOverride) + checkbox(d.override) + " Export anyway, with the blockers\n")
	}
	if n := len(d.fallbacks); n > 0 {
		b.WriteString("\n" + d.st.warn.Render(fmt.Sprintf("⚠ %d %s the standard wording, as the model's text cannot be used:", n, plural(n, "section carries", "sections carry"))) + "\n")
		for i, f := range d.fallbacks {
			if i == 6 {
				b.WriteString(d.st.dim.Render(fmt.Sprintf("  … and %d more", n-6)) + "\n")
				break
			}
			b.WriteString(d.st.dim.Render(truncate("  • "+f.Title+": "+f.Reason, w)) + "\n")
		}
	}
	if d.exists {
		b.WriteString(mark(fieldOverwrite) + checkbox(d.overwrite) + " Overwrite the existing file\n")
	}
	b.WriteString(mark(fieldMarks) + checkbox(d.marks) + " Keep the (assumption) marks, for an internal draft\n")
	if d.err != "" {
		b.WriteString("\n" + wrap(d.st.bad.Render(d.err), w) + "\n")
	}
	b.WriteString("\n")
	if d.running {
		b.WriteString(d.st.dim.Render("Exporting…"))
	} else {
		b.WriteString(d.helpLine(w, d.Help().short...))
	}
	return d.st.box.Width(d.width).Render(strings.TrimRight(b.String(), "\n"))
}

func checkbox(on bool) string {
	if on {
		return "[x]"
	}
	return "[ ]"
}

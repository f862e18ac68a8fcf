package tui

import "charm.land/bubbles/v2/key"

// KeyMap is every key the program answers to. Help is generated from it, and
// keys that cannot be used on the current screen are disabled, which also
// hides them from help. While the answer box has focus, plain letters are
// text, so every command there has a Ctrl chord; the plain-letter bindings
// work where nothing is being typed.
type KeyMap struct {
	// Answer box.
	Submit  key.Binding
	Newline key.Binding
	Editor  key.Binding

	// The interview.
	Skip        key.Binding
	Back        key.Binding
	EditEarlier key.Binding
	Assume      key.Binding
	Coverage    key.Binding
	Review      key.Binding
	Export      key.Binding
	Sessions    key.Binding
	Retry       key.Binding
	Copy        key.Binding
	// NextSkipped, at the end of the interview, opens the next question
	// left unanswered (required ones first).
	NextSkipped key.Binding
	Language    key.Binding

	// Moving about.
	NextPane key.Binding
	PrevPane key.Binding
	Cancel   key.Binding
	Help     key.Binding
	Quit     key.Binding
	Suspend  key.Binding

	// Lists and the draft pane.
	Up        key.Binding
	Down      key.Binding
	PageUp    key.Binding
	PageDown  key.Binding
	Top       key.Binding
	Bottom    key.Binding
	Choose    key.Binding
	NextSec   key.Binding
	PrevSec   key.Binding
	FedBy     key.Binding
	CopyDraft key.Binding

	// Pickers and dialogs.
	NewSession key.Binding
	Delete     key.Binding
	Confirm    key.Binding
	Deny       key.Binding
	Toggle     key.Binding
	Left       key.Binding
	Right      key.Binding
	NextField  key.Binding

	// Where nothing is typed.
	HelpPlain key.Binding
	QuitPlain key.Binding
	// ClosePane puts the interview back in front of the draft or review;
	// in the work screen q never quits the program.
	ClosePane key.Binding
}

// DefaultKeyMap returns the key map. The chords avoid keys terminals keep
// for themselves (Ctrl+M is Enter, Ctrl+I is Tab, Ctrl+[ is Esc).
func DefaultKeyMap() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Submit:  b("enter", "submit", "enter"),
		Newline: b("ctrl+j", "new line (or alt+enter)", "ctrl+j", "alt+enter", "shift+enter"),
		Editor:  b("ctrl+o", "$EDITOR", "ctrl+o"),

		Skip:        b("ctrl+s", "skip", "ctrl+s"),
		Back:        b("ctrl+b", "back", "ctrl+b"),
		EditEarlier: b("ctrl+e", "earlier answers", "ctrl+e"),
		Assume:      b("ctrl+a", "assume", "ctrl+a"),
		Coverage:    b("ctrl+g", "coverage map", "ctrl+g"),
		Review:      b("ctrl+r", "review", "ctrl+r"),
		Export:      b("ctrl+x", "export", "ctrl+x"),
		Sessions:    b("ctrl+l", "sessions", "ctrl+l"),
		Retry:       b("ctrl+t", "retry section", "ctrl+t"),
		Copy:        b("ctrl+y", "copy Markdown", "ctrl+y"),
		NextSkipped: b("enter", "skipped questions", "enter"),
		Language:    b("ctrl+k", "language", "ctrl+k"),

		NextPane: b("tab", "next pane", "tab"),
		PrevPane: b("shift+tab", "previous pane", "shift+tab"),
		Cancel:   b("esc", "close", "esc"),
		Help:     b("f1", "help", "f1"),
		Quit:     b("ctrl+c", "quit", "ctrl+c"),
		Suspend:  b("ctrl+z", "suspend", "ctrl+z"),

		Up:        b("↑/k", "up", "up", "k"),
		Down:      b("↓/j", "down", "down", "j"),
		PageUp:    b("pgup", "page up", "pgup", "ctrl+u"),
		PageDown:  b("pgdn", "page down", "pgdown", "ctrl+d", "space"),
		Top:       b("home/g", "top", "home", "g"),
		Bottom:    b("end/G", "bottom", "end", "G"),
		Choose:    b("enter", "choose", "enter"),
		NextSec:   b("n", "next section", "n", "]"),
		PrevSec:   b("p", "prev section", "p", "["),
		FedBy:     b("f", "fed by", "f"),
		CopyDraft: b("y", "copy Markdown", "y"),

		NewSession: b("n", "new proposal", "n"),
		Delete:     b("d", "delete", "d"),
		Confirm:    b("y", "delete it", "y"),
		Deny:       b("n/esc", "keep it", "n", "esc"),
		Toggle:     b("space", "toggle", "space"),
		Left:       b("←", "previous", "left"),
		Right:      b("→", "next", "right"),
		NextField:  b("tab", "next field", "tab", "down"),

		HelpPlain: b("?", "help", "?"),
		QuitPlain: b("q", "quit", "q"),
		ClosePane: b("q", "close pane", "q"),
	}
}

// only returns the bindings that are enabled; help hides the rest anyway,
// this keeps separators right.
func only(bs ...key.Binding) []key.Binding {
	out := make([]key.Binding, 0, len(bs))
	for _, b := range bs {
		if b.Enabled() {
			out = append(out, b)
		}
	}
	return out
}

// helpGroup is a titled column of the full help.
type helpGroup struct {
	Title    string
	Bindings []key.Binding
}

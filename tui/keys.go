package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
)

// KeyMap is every key the program answers to, in one group per screen or
// dialog. A component matches only its own group (and the root the global
// and work chords), so one letter can mean different things in different
// places without a clash: "n" is a new proposal in the session list, the
// next section in the draft and "keep it" when a delete asks for a yes.
// Help is generated from the groups (bubbles help), never written by hand.
//
// While the answer box has focus plain letters are text, so every command
// there has a Ctrl chord; the plain-letter bindings work where nothing is
// being typed.
type KeyMap struct {
	// Global works everywhere.
	Global globalKeys
	// Work are the chords of an open session, whichever pane is in front.
	Work workKeys
	// Answer is the answer box (and a choice question's list).
	Answer answerKeys
	// Draft is the draft pane, Review the review pane.
	Draft  draftKeys
	Review reviewKeys
	// Sessions is the session list; Confirm the yes/no of a delete.
	Sessions sessionKeys
	Confirm  confirmKeys
	// Templates is the template picker.
	Templates templateKeys
	// List is the lists drawn over the screen (coverage, earlier answers,
	// languages); Text the boxed texts (help, what fed a section).
	List listKeys
	Text textKeys
	// Export is the export dialog.
	Export exportKeys
}

type globalKeys struct {
	Quit    key.Binding
	Suspend key.Binding
	Help    key.Binding
	// Select is not a key the program reads: it tells how to select text
	// where the mouse scrolls.
	Select key.Binding
}

// workKeys are the chords of an open session. EditEarlier ("change an
// earlier answer") and Export are the ones the error wording points to.
type workKeys struct {
	Skip        key.Binding
	Assume      key.Binding
	Back        key.Binding
	EditEarlier key.Binding
	Coverage    key.Binding
	Review      key.Binding
	Export      key.Binding
	Sessions    key.Binding
	Retry       key.Binding
	Copy        key.Binding
	Language    key.Binding
	NextPane    key.Binding
	PrevPane    key.Binding
	// Stop stops the redrafts in progress, or puts the interview back in
	// front.
	Stop key.Binding
	// HelpPlain opens the help where "?" is not text.
	HelpPlain key.Binding
}

type answerKeys struct {
	Submit  key.Binding
	Newline key.Binding
	Editor  key.Binding
	// NextSkipped, at the end of the interview, opens the next question
	// left unanswered (required ones first).
	NextSkipped key.Binding
	// Pick moves through a choice question's answers (the list's own keys;
	// this binding is what help shows of them).
	Pick key.Binding
}

// scrollKeys move through a list or a text.
type scrollKeys struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
}

func (s scrollKeys) all() []key.Binding {
	return []key.Binding{s.Up, s.Down, s.PageUp, s.PageDown, s.Top, s.Bottom}
}

type draftKeys struct {
	scrollKeys
	NextSec key.Binding
	PrevSec key.Binding
	FedBy   key.Binding
	Copy    key.Binding
	Close   key.Binding
}

type reviewKeys struct {
	scrollKeys
	Go      key.Binding
	Refresh key.Binding
	Close   key.Binding
}

type sessionKeys struct {
	scrollKeys
	Open   key.Binding
	New    key.Binding
	Delete key.Binding
	Back   key.Binding
	Help   key.Binding
	Quit   key.Binding
}

type confirmKeys struct {
	Yes key.Binding
	No  key.Binding
}

type templateKeys struct {
	scrollKeys
	Start key.Binding
	// NextLang and PrevLang change the language a new proposal is written
	// in; help shows them as one (NextLang's).
	PrevLang key.Binding
	NextLang key.Binding
	Back     key.Binding
	Help     key.Binding
	Quit     key.Binding
}

type listKeys struct {
	scrollKeys
	Choose key.Binding
	Close  key.Binding
}

type textKeys struct {
	scrollKeys
	// Close is any key but the scrolling ones.
	Close key.Binding
}

type exportKeys struct {
	Export key.Binding
	Next   key.Binding
	Prev   key.Binding
	// Format moves to the next format; FormatBack (shown with it) to the
	// previous one.
	Format     key.Binding
	FormatBack key.Binding
	Toggle     key.Binding
	Cancel     key.Binding
	// Done closes the dialog once the file is written.
	Done key.Binding
}

// DefaultKeyMap returns the key map. The chords avoid keys terminals keep
// for themselves (Ctrl+M is Enter, Ctrl+I is Tab, Ctrl+[ is Esc).
func DefaultKeyMap() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	scroll := scrollKeys{
		Up:       b("↑/k", "up", "up", "k"),
		Down:     b("↓/j", "down", "down", "j"),
		PageUp:   b("pgup", "page up", "pgup", "ctrl+u"),
		PageDown: b("pgdn", "page down", "pgdown", "ctrl+d", "space"),
		Top:      b("home/g", "top", "home", "g"),
		Bottom:   b("end/G", "bottom", "end", "G"),
	}
	quitPlain := b("q", "quit", "q")
	helpPlain := b("?", "help", "?")
	esc := func(desc string) key.Binding { return b("esc", desc, "esc") }
	return KeyMap{
		Global: globalKeys{
			Quit:    b("ctrl+c", "quit", "ctrl+c"),
			Suspend: b("ctrl+z", "suspend", "ctrl+z"),
			Help:    b("f1", "help", "f1"),
			// Mouse reports carry no key; this binding is only ever shown.
			Select: b("shift+drag", "select text in the draft", "shift+drag"),
		},
		Work: workKeys{
			Skip:        b("ctrl+s", "skip", "ctrl+s"),
			Assume:      b("ctrl+a", "assume", "ctrl+a"),
			Back:        b("ctrl+b", "back", "ctrl+b"),
			EditEarlier: b("ctrl+e", "earlier answers", "ctrl+e"),
			Coverage:    b("ctrl+g", "coverage map", "ctrl+g"),
			Review:      b("ctrl+r", "review", "ctrl+r"),
			Export:      b("ctrl+x", "export", "ctrl+x"),
			Sessions:    b("ctrl+l", "sessions", "ctrl+l"),
			Retry:       b("ctrl+t", "retry section", "ctrl+t"),
			Copy:        b("ctrl+y", "copy Markdown", "ctrl+y"),
			Language:    b("ctrl+k", "language", "ctrl+k"),
			NextPane:    b("tab", "next pane", "tab"),
			PrevPane:    b("shift+tab", "previous pane", "shift+tab"),
			Stop:        esc("stop drafting / interview"),
			HelpPlain:   helpPlain,
		},
		Answer: answerKeys{
			Submit:      b("enter", "submit", "enter"),
			Newline:     b("ctrl+j", "new line", "ctrl+j", "alt+enter", "shift+enter"),
			Editor:      b("ctrl+o", "editor", "ctrl+o"),
			NextSkipped: b("enter", "skipped questions", "enter"),
			Pick:        b("↑/↓", "choose", "up", "down"),
		},
		Draft: draftKeys{
			scrollKeys: scroll,
			NextSec:    b("n", "next section", "n", "]"),
			PrevSec:    b("p", "prev section", "p", "["),
			FedBy:      b("f", "fed by", "f"),
			Copy:       b("y", "copy Markdown", "y"),
			Close:      b("q", "close pane", "q"),
		},
		Review: reviewKeys{
			scrollKeys: scroll,
			Go:         b("enter", "go to the question that fixes it", "enter"),
			Refresh:    b("ctrl+r", "refresh", "ctrl+r"),
			Close:      b("q", "close pane", "q"),
		},
		Sessions: sessionKeys{
			scrollKeys: scroll,
			Open:       b("enter", "open", "enter"),
			New:        b("n", "new proposal", "n"),
			Delete:     b("d", "delete", "d"),
			Back:       esc("back to the session"),
			Help:       helpPlain,
			Quit:       quitPlain,
		},
		Confirm: confirmKeys{
			Yes: b("y", "delete", "y"),
			No:  b("n/esc", "keep", "n", "esc"),
		},
		Templates: templateKeys{
			scrollKeys: scroll,
			Start:      b("enter", "start", "enter"),
			PrevLang:   key.NewBinding(key.WithKeys("left")),
			NextLang:   b("←/→", "language", "right"),
			Back:       esc("back"),
			Help:       helpPlain,
			Quit:       quitPlain,
		},
		List: listKeys{
			scrollKeys: scroll,
			Choose:     b("enter", "choose", "enter"),
			Close:      esc("close"),
		},
		Text: textKeys{
			scrollKeys: scrollKeys{Up: scroll.Up, Down: scroll.Down, PageUp: scroll.PageUp, PageDown: scroll.PageDown,
				Top: scroll.Top, Bottom: scroll.Bottom},
			Close: key.NewBinding(key.WithKeys("esc", "q", "enter"), key.WithHelp("any other key", "closes")),
		},
		Export: exportKeys{
			Export:     b("enter", "export", "enter"),
			Next:       b("tab", "next", "tab", "down"),
			Prev:       b("shift+tab", "previous", "shift+tab", "up"),
			Format:     b("←/→", "format", "right"),
			FormatBack: key.NewBinding(key.WithKeys("left")),
			Toggle:     b("space", "tick", "space"),
			Cancel:     esc("cancel"),
			Done:       b("enter/esc", "close", "enter", "esc"),
		},
	}
}

// keyHelp is a set of keys for bubbles help: what one screen or dialog
// can do now.
type keyHelp struct {
	short []key.Binding
	// tail is kept at the end of the bottom line whatever its width (help
	// and quit).
	tail   []key.Binding
	groups []helpGroup
}

var _ help.KeyMap = keyHelp{}

// ShortHelp is the bottom line.
func (h keyHelp) ShortHelp() []key.Binding {
	return append(h.short[:len(h.short):len(h.short)], h.tail...)
}

// FullHelp is the help overlay's columns, one per group.
func (h keyHelp) FullHelp() [][]key.Binding {
	out := make([][]key.Binding, 0, len(h.groups))
	for _, g := range h.groups {
		out = append(out, g.Bindings)
	}
	return out
}

// helpGroup is a titled column of the full help.
type helpGroup struct {
	Title    string
	Bindings []key.Binding
}

// enabled returns a copy of b switched on or off: the shared key map is
// never changed, each screen says what works now in its own help.
func enabled(b key.Binding, on bool) key.Binding {
	b.SetEnabled(on)
	return b
}

// programGroup is the help's column of keys that work on every screen,
// after the screen's own plain-letter ones.
func (k *KeyMap) programGroup(plain ...key.Binding) helpGroup {
	g := k.Global
	return helpGroup{"Program", append(plain, g.Help, g.Quit, g.Suspend)}
}

// only returns the bindings that are enabled.
func only(bs ...key.Binding) []key.Binding {
	out := make([]key.Binding, 0, len(bs))
	for _, b := range bs {
		if b.Enabled() {
			out = append(out, b)
		}
	}
	return out
}

// box is the answer box's own editing keys. The program's chords win, so
// the box's are kept clear of them (the textarea's defaults use several
// Ctrl letters).
func (a answerKeys) box() textarea.KeyMap {
	km := textarea.DefaultKeyMap()
	km.InsertNewline = a.Newline
	km.LineStart = key.NewBinding(key.WithKeys("home"))
	km.LineEnd = key.NewBinding(key.WithKeys("end"))
	km.CharacterBackward = key.NewBinding(key.WithKeys("left"))
	km.CharacterForward = key.NewBinding(key.WithKeys("right"))
	km.LinePrevious = key.NewBinding(key.WithKeys("up"))
	km.LineNext = key.NewBinding(key.WithKeys("down"))
	km.DeleteCharacterForward = key.NewBinding(key.WithKeys("delete"))
	km.Paste = key.NewBinding(key.WithDisabled())
	km.SelectAll = key.NewBinding(key.WithDisabled())
	km.TransposeCharacterBackward = key.NewBinding(key.WithDisabled())
	return km
}

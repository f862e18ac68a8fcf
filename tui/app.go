// Package tui is the terminal interface of propose: the session and template
// pickers, the interview with its live draft, the review and the export
// dialog. It holds no business rules: everything it shows comes from an
// interview.Engine, and everything that may block runs in a tea.Cmd.
package tui

import (
	"context"
	"errors"
	"log/slog"
	"time"

	tea "charm.land/bubbletea/v2"

	"propose/interview"
	"propose/proposal"
	"propose/templates"
)

// Sessions is the part of the session store the pickers use.
type Sessions interface {
	List() ([]interview.Summary, error)
	Delete(id string) error
}

// StartAt says which screen opens when no session is given.
type StartAt int

// The screens the program can open on.
const (
	// StartSessions opens the session picker when sessions exist, else the
	// template picker.
	StartSessions StartAt = iota
	// StartTemplates opens the template picker.
	StartTemplates
)

// Options wire the interface to the rest of the program.
type Options struct {
	// Context bounds every engine call.
	Context context.Context
	// Engine, when set, is the session to open at once (its lock held).
	Engine *interview.Engine
	// Notice is a remark about how Engine's session was loaded.
	Notice string
	// Start says what opens when Engine is nil.
	Start StartAt
	// Sessions lists and deletes sessions; Templates are the templates a new
	// proposal can start from.
	Sessions  Sessions
	Templates []*templates.Template
	// Open opens a saved session by id; New starts one on a template. Both
	// return an engine with events on, holding the session's lock.
	Open func(ctx context.Context, id string) (*interview.Engine, interview.LoadInfo, error)
	New  func(ctx context.Context, t *templates.Template) (*interview.Engine, error)
	// Languages are the languages a proposal can be written in, English
	// first; Language is the user's default. SaveLanguage remembers the
	// language picked for a new proposal as the new default.
	Languages    []*templates.Catalog
	Language     string
	SaveLanguage func(tag string) error
	// Model names the LLM model for the status bar ("" offline).
	Model string
	// WorkDir is where a relative export path lands.
	WorkDir string
	// NoColor draws without colour (NO_COLOR).
	NoColor bool
	// ASCII draws the interface's symbols and borders in ASCII, for a
	// locale that is not UTF-8 (see UTF8Locale).
	ASCII bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Log receives details of errors the screen shows in one line.
	Log *slog.Logger
	// Exited, when set, hears which session was open when the program
	// ended and has been saved, so the caller can say how to resume it.
	Exited func(ExitInfo)
}

type screen int

const (
	screenSessions screen = iota
	screenTemplates
	screenWork
)

// pane is one of the three views of an open session.
type pane int

const (
	paneInterview pane = iota
	paneDraft
	paneReview
)

// Model is the root of the interface: it owns the layout, the focus and the
// routing of messages and actions to the screens, and is the only one
// returning a tea.View. The screens and dialogs own their state and keys;
// what a key asks of the rest of the program comes back as an action
// (actions.go) that route carries out.
type Model struct {
	// common is what the screens share: styles, keys, clock.
	common
	opts Options
	lay  layout

	screen screen
	// back is where Esc returns from the pickers (a session is open).
	back  bool
	left  pane // interview or review: the left pane (or the tab)
	focus pane

	// sess is the open session: the engine handle, its last View and
	// whether a command is out (session.go).
	sess session

	// The screens, panes and bars; dlg holds the dialog open over them.
	iv     interviewScreen
	dp     draftPane
	rv     reviewScreen
	sp     sessionPicker
	tp     templatePicker
	dlg    dialogs
	status statusBar

	// exit is how the program is ending (quit.go).
	exit exitState
	// bgKnown: the terminal said its background (or stopped being waited for).
	bgKnown bool
	// canSuspend reports whether ctrl+z can hand the terminal to a shell
	// that will continue the program (see stoppable).
	canSuspend func() bool
	// after runs the timers (the draft's flush, the resize settle, the
	// clock); tests run them at once.
	after timer
	// end stops the timers once the program has exited.
	end context.CancelFunc
}

var _ tea.Model = (*Model)(nil)

// New builds the root model.
func New(opts Options) *Model {
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	life, end := context.WithCancel(opts.Context)
	keys := DefaultKeyMap()
	c := common{st: newStyles(true, opts.NoColor), keys: &keys, now: opts.Now}
	m := &Model{common: c, opts: opts, end: end}
	m.after = realTimer(life)
	m.canSuspend = canSuspend
	m.iv = newInterviewScreen(c)
	m.dp = newDraftPane(c)
	m.rv = newReviewScreen(c, nil)
	m.dlg = newDialogs(c)
	m.status = newStatusBar(c)
	m.sp = newSessionPicker(c, opts.Templates, opts.New != nil)
	m.tp = newTemplatePicker(c, opts.Templates, opts.Languages, opts.Language)
	switch {
	case opts.Engine != nil:
		m.screen = screenWork
	case opts.Start == StartTemplates:
		m.screen = screenTemplates
	default:
		m.screen = screenSessions
	}
	return m
}

// Init asks for the terminal's background and opens the first screen. The
// screen stays blank until the terminal answers (or bgWait passes, for one
// that never does), so the first frame is already in the right palette.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, m.after(bgWait, bgWaitMsg{})}
	switch {
	case m.opts.Engine != nil:
		cmds = append(cmds, openedCmd(m.opts.Engine, m.opts.Notice))
	case m.screen == screenSessions:
		cmds = append(cmds, loadSessionsCmd(m.opts.Sessions))
	}
	return tea.Batch(cmds...)
}

// Engine is the engine of the open session, if any (for Run, to close it).
func (m *Model) Engine() *interview.Engine { return m.sess.eng }

// Update routes a message, then lays out the key help for what is in
// front now (View only stacks it).
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.status.SetHelp(m.helpLine())
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m.resize(msg.Width, msg.Height)
	case tea.BackgroundColorMsg:
		m.bgKnown = true
		m.setStyles(stylesFor(msg.IsDark(), m.opts.NoColor, m.st.profile))
		return nil
	case tea.ColorProfileMsg:
		m.setStyles(stylesFor(m.st.dark, m.opts.NoColor, msg.Profile))
		return nil
	case bgWaitMsg:
		m.bgKnown = true
		return nil
	case tea.ResumeMsg:
		return tea.ClearScreen
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.PasteMsg:
		return m.paste(msg)
	case tea.MouseWheelMsg:
		if m.screen == screenWork && !m.dlg.isOpen() && (m.focus == paneDraft || (m.lay.wide && msg.X > m.lay.leftW)) {
			m.dp.Update(msg)
		}
		return nil
	case engineEventsMsg:
		return m.events(msg)
	case flushMsg:
		m.dp.FlushDue()
		return nil
	case reflowMsg:
		m.dp.Reflowed(msg.gen)
		return nil
	case tickMsg:
		if m.screen == screenWork && !m.exit.quitting {
			return m.after(clockEvery, tickMsg{})
		}
		return nil
	case sessionsLoadedMsg:
		if msg.err != nil {
			m.sp.SetError(plainError(msg.err))
		}
		m.sp.SetCurrent("")
		if m.sess.eng != nil {
			m.sp.SetCurrent(m.sess.snap.info.ID)
		}
		m.sp.SetSessions(msg.list, m.now())
		if len(msg.list) == 0 && msg.err == nil && !m.back && m.screen == screenSessions {
			m.showTemplates()
		}
		return nil
	case sessionDeletedMsg:
		if msg.err != nil {
			m.sp.SetError(plainError(msg.err))
		} else {
			m.sp.SetError("")
			m.status.Flash("Deleted the session.", false)
		}
		return loadSessionsCmd(m.opts.Sessions)
	case sessionOpenedMsg:
		return m.opened(msg)
	case startedMsg:
		if msg.gen != m.sess.gen {
			return nil
		}
		if msg.err != nil {
			m.status.Flash(describe(m.keys, msg.err), true)
		}
		return nil
	case movedMsg:
		return m.moved(msg)
	case languageSetMsg:
		return m.languageSet(msg)
	case languageSavedMsg:
		m.status.Flash("Could not remember the language as your default: "+plainError(msg.err), true)
		return nil
	case reviewedMsg:
		if msg.gen != m.sess.gen {
			return nil
		}
		problem := ""
		if msg.err != nil {
			problem = plainError(msg.err)
			m.opts.Log.Error("review", "err", msg.err)
		}
		m.rv.Reviewed(problem)
		m.applySnapshot(msg.view)
		return nil
	case exportedMsg:
		if msg.gen != m.sess.gen {
			return nil
		}
		if msg.err != nil && !errors.Is(msg.err, proposal.ErrExists) && !errors.Is(msg.err, interview.ErrBlocked) {
			m.opts.Log.Error("export", "err", msg.err)
		}
		m.dlg.exported(msg.path, msg.err)
		if msg.err == nil {
			m.status.Flash("Wrote "+m.dlg.written(), false)
		}
		return nil
	case closedMsg:
		m.exit.closed, m.exit.err = true, msg.err
		return tea.Quit
	case quitSavedMsg:
		return m.quitSaved(msg)
	case editorReadyMsg:
		m.status.Flash("Could not open the editor: "+plainError(msg.err), true)
		return nil
	case editorOpenMsg:
		path := msg.path
		return tea.ExecProcess(msg.cmd, func(err error) tea.Msg { return editorExitedMsg{path: path, err: err} })
	case editorExitedMsg:
		return readAnswerCmd(msg.path, msg.err)
	case editorDoneMsg:
		if msg.err != nil {
			m.status.Flash("The editor failed: "+plainError(msg.err), true)
			return nil
		}
		m.iv.SetAnswer(msg.text)
		return nil
	}
	return m.forward(msg)
}

// forward hands anything else (cursor blinks and the like) to the screen in
// front.
func (m *Model) forward(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch {
	case m.dlg.is(overlayExport):
		_, cmd = m.dlg.ex.Update(msg)
	case m.screen == screenWork && m.left == paneInterview:
		_, cmd = m.iv.Update(msg)
	}
	return cmd
}

// Closed reports whether the session was closed (saved, lock given up) and
// how that went.
func (m *Model) Closed() (bool, error) { return m.exit.closed, m.exit.err }

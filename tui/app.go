// Package tui is the terminal interface of propose: the session and template
// pickers, the interview with its live draft, the review and the export
// dialog. It holds no business rules: everything it shows comes from an
// interview.Engine, and everything that may block runs in a tea.Cmd.
package tui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

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
	// Editor overrides $VISUAL and $EDITOR.
	Editor string
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
// routing of messages to the screens, and is the only one returning a
// tea.View.
type Model struct {
	opts Options
	ctx  context.Context
	keys KeyMap
	st   styles
	now  func() time.Time
	lay  layout

	screen screen
	// back is where Esc returns from the pickers (a session is open).
	back    bool
	left    pane // interview or review: the left pane (or the tab)
	focus   pane
	overlay overlayKind

	eng     *interview.Engine
	gen     int
	stop    chan struct{}
	snap    snapshot
	started bool
	done    bool
	// lastSkipped is the unanswered question NextSkipped opened last, so
	// the next press moves on even if that one was skipped again.
	lastSkipped string

	iv interviewScreen
	dp draftPane
	rv reviewScreen
	ex exportDialog
	sp sessionPicker
	tp templatePicker
	ov pickList
	// ovFields are the field ids behind the overlay list's rows.
	ovFields []string
	tov      textOverlay

	savedAt     time.Time
	saveErr     string
	status      string
	statusBad   bool
	statusUntil time.Time
	retry       *interview.RetryEvent
	retryAt     time.Time
	busy        bool
	flushing    bool
	// sentTurns is the length of the transcript when an answer was sent
	// (-1: none is out): a View with a longer one recorded it, so its text
	// is not kept as unsent when the next question takes the box.
	sentTurns int
	// listening counts event listeners blocked on the engine's channel.
	listening atomic.Int64
	reflowGen int
	quitting  bool
	closed    bool
	closeErr  error
	exit      *ExitInfo // the session open at quit, for Options.Exited
	// bgKnown: the terminal said its background (or stopped being waited for).
	bgKnown bool
	// canSuspend reports whether ctrl+z can hand the terminal to a shell
	// that will continue the program (see stoppable).
	canSuspend func() bool
	after      timer
	// end stops the timers once the program has exited.
	end context.CancelFunc

	// quitUnsaved is set when a quit found nowhere to save: the next quit
	// goes ahead without saving (quit.go).
	quitUnsaved bool
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
	m := &Model{opts: opts, ctx: opts.Context, keys: DefaultKeyMap(), now: opts.Now, end: end}
	m.after = realTimer(life)
	m.canSuspend = canSuspend
	m.st = newStyles(true, opts.NoColor)
	m.iv = newInterviewScreen(m.st, &m.keys)
	m.dp = newDraftPane(m.st, &m.keys)
	m.rv = newReviewScreen(m.st, &m.keys)
	m.sp = newSessionPicker(m.st, &m.keys, opts.Templates)
	m.tp = newTemplatePicker(m.st, &m.keys, opts.Templates)
	m.tp.lang = newLanguageChoice(opts.Languages, opts.Language)
	m.ov = pickList{st: m.st, keys: &m.keys}
	switch {
	case opts.Engine != nil:
		m.screen = screenWork
	case opts.Start == StartTemplates:
		m.screen = screenTemplates
	default:
		m.screen = screenSessions
	}
	m.syncKeys()
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
func (m *Model) Engine() *interview.Engine { return m.eng }

// Update routes a message. Whatever happens, the keys are brought in line
// with what can be done next.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.syncKeys()
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
		if m.screen == screenWork && m.overlay == overlayNone && (m.focus == paneDraft || (m.lay.wide && msg.X > m.lay.leftW)) {
			m.dp, _ = m.dp.Update(msg)
		}
		return nil
	case engineEventsMsg:
		return m.events(msg)
	case flushMsg:
		m.flushing = false
		m.dp.Flush()
		return nil
	case reflowMsg:
		if msg.gen == m.reflowGen {
			m.dp.Flush()
		}
		return nil
	case tickMsg:
		if m.screen == screenWork && !m.quitting {
			return m.after(clockEvery, tickMsg{})
		}
		return nil
	case sessionsLoadedMsg:
		if msg.err != nil {
			m.sp.err = plainError(msg.err)
		}
		m.sp.current = ""
		if m.eng != nil {
			m.sp.current = m.snap.info.ID
		}
		m.sp.SetSessions(msg.list, m.now())
		if len(msg.list) == 0 && msg.err == nil && !m.back && m.screen == screenSessions {
			m.screen = screenTemplates
		}
		return nil
	case sessionDeletedMsg:
		if msg.err != nil {
			m.sp.err = plainError(msg.err)
		} else {
			m.sp.err = ""
			m.flash("Deleted the session.", false)
		}
		return loadSessionsCmd(m.opts.Sessions)
	case sessionOpenedMsg:
		return m.opened(msg)
	case startedMsg:
		if msg.gen != m.gen {
			return nil
		}
		m.started = true
		if msg.err != nil {
			m.flash(m.describe(msg.err), true)
		}
		return nil
	case movedMsg:
		return m.moved(msg)
	case languageSetMsg:
		return m.languageSet(msg)
	case languageSavedMsg:
		m.flash("Could not remember the language as your default: "+plainError(msg.err), true)
		return nil
	case reviewedMsg:
		if msg.gen != m.gen {
			return nil
		}
		m.rv.running = false
		m.rv.err = ""
		if msg.err != nil {
			m.rv.err = plainError(msg.err)
			m.opts.Log.Error("review", "err", msg.err)
		}
		m.applySnapshot(msg.view)
		return nil
	case exportedMsg:
		if msg.gen != m.gen {
			return nil
		}
		if msg.err != nil && !errors.Is(msg.err, proposal.ErrExists) && !errors.Is(msg.err, interview.ErrBlocked) {
			m.opts.Log.Error("export", "err", msg.err)
		}
		m.ex.Exported(msg.path, msg.err)
		if msg.err == nil {
			m.flash("Wrote "+m.ex.written, false)
		}
		return nil
	case closedMsg:
		m.closed, m.closeErr = true, msg.err
		return tea.Quit
	case quitSavedMsg:
		return m.quitSaved(msg)
	case editorReadyMsg:
		if msg.err != nil {
			m.flash("Could not open the editor: "+plainError(msg.err), true)
			return nil
		}
		path := msg.path
		return tea.ExecProcess(editorCommand(m.opts.Editor, path), func(err error) tea.Msg {
			return editorExitedMsg{path: path, err: err}
		})
	case editorExitedMsg:
		return readAnswerCmd(msg.path, msg.err)
	case editorDoneMsg:
		if msg.err != nil {
			m.flash("The editor failed: "+plainError(msg.err), true)
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
	case m.overlay == overlayExport:
		m.ex, _, cmd = m.ex.Update(msg)
	case m.screen == screenWork && m.left == paneInterview:
		m.iv, cmd = m.iv.Update(msg)
	}
	return cmd
}

func (m *Model) setStyles(st styles) {
	if st.dark == m.st.dark && st.noColor == m.st.noColor && st.profile == m.st.profile {
		return
	}
	m.st = st
	m.iv.SetStyles(st)
	m.dp.SetStyles(st)
	m.dp.Flush()
	m.rv.st, m.ex.st, m.ov.st = st, st, st
	m.sp.st, m.sp.list.st = st, st
	m.tp.st, m.tp.list.st = st, st
}

// resize lays everything out again. The draft is rendered again at a new
// width only once the size settles, so a storm of resizes costs one render.
func (m *Model) resize(w, h int) tea.Cmd {
	oldW := m.dp.width
	m.lay = newLayout(w, h)
	if m.lay.tooSmall {
		return nil
	}
	l := m.lay
	m.iv.SetSize(l.leftW, l.bodyH)
	m.rv.SetSize(l.leftW, l.bodyH)
	m.dp.SetSize(l.rightW, l.bodyH)
	m.sp.SetSize(w, l.bodyH)
	m.tp.SetSize(w, l.bodyH)
	m.ex.SetWidth(min(w-4, 76))
	m.ov.SetSize(min(w-8, 72), max(l.bodyH-6, 1))
	if oldW == l.rightW {
		return nil
	}
	if oldW == 0 || len(m.dp.lines) == 0 {
		m.dp.Flush()
		return nil
	}
	m.reflowGen++
	return m.after(reflowAfter, reflowMsg{gen: m.reflowGen})
}

// flash shows a message in the status bar for a while. Notices may quote a
// server or a model, so they are cleaned like any text from outside.
func (m *Model) flash(s string, bad bool) {
	m.status, m.statusBad = proposal.Sanitize(s), bad
	m.statusUntil = m.now().Add(8 * time.Second)
}

// opened puts a freshly opened session on screen.
func (m *Model) opened(msg sessionOpenedMsg) tea.Cmd {
	if msg.err != nil {
		m.opts.Log.Error("open session", "err", msg.err)
		if m.eng != nil {
			m.detach()
		}
		switch m.screen {
		case screenTemplates:
			m.tp.err = plainError(msg.err)
		default:
			m.screen = screenSessions
			m.sp.err = plainError(msg.err)
			return loadSessionsCmd(m.opts.Sessions)
		}
		return nil
	}
	if m.eng != nil && m.eng != msg.eng {
		m.detach()
	}
	m.gen++
	m.eng = msg.eng
	m.stop = make(chan struct{})
	m.screen, m.back, m.overlay = screenWork, false, overlayNone
	m.left, m.focus = paneInterview, paneInterview
	m.started, m.done, m.busy, m.lastSkipped = false, false, false, ""
	m.savedAt, m.saveErr, m.retry, m.sentTurns = time.Time{}, "", nil, -1
	v := msg.snap.view
	m.snap = snapshotOf(v) // the pane loads this draft whole: no section is news
	m.rv = newReviewScreen(m.st, &m.keys)
	m.rv.t = msg.eng.Template()
	m.rv.SetSize(m.lay.leftW, m.lay.bodyH)
	m.dp.Load(v.Draft, v.Cover)
	m.dp.SetFocused(false)
	m.iv.readOnly = v.ReadOnly
	m.iv.q = nil
	m.iv.unsent = map[string]string{} // another session's drafts are not this one's
	m.iv.Focus()
	m.applySnapshot(v)
	m.setQuestion(v.Question, v.Done, msg.notice)
	m.dp.Flush()
	if n := len(v.Notes); n > 0 && msg.notice == "" {
		m.flash(v.Notes[n-1].Text, v.Notes[n-1].Err != nil) // told before the screen opened
	}
	if msg.notice != "" {
		m.flash(msg.notice, false)
	}
	return tea.Batch(listen(m.gen, msg.eng.Events(), m.stop, &m.listening), startCmd(m.ctx, m.gen, msg.eng), m.after(clockEvery, tickMsg{}))
}

// detach forgets the open session; its engine is being closed by a Cmd.
func (m *Model) detach() {
	if m.stop != nil {
		close(m.stop)
		m.stop = nil
	}
	m.eng = nil
	m.gen++
}

// applySnapshot shows a View of the engine: the one place where what the
// engine knows reaches the screens. A View older than the one shown is
// ignored. The question changes only when the engine asked one.
func (m *Model) applySnapshot(v interview.View) {
	prev := m.snap.view
	if prev.Seq != 0 && v.Seq < prev.Seq {
		return
	}
	for _, ev := range interview.SectionChanges(prev, v) {
		m.dp.Apply(ev)
		if f, ok := ev.(interview.DraftFailedEvent); ok && !f.Truncated && f.Err != nil {
			m.opts.Log.Error("draft", "section", f.Section, "err", f.Err)
		}
	}
	m.snap = snapshotOf(v)
	m.iv.SetProgress(v.Progress)
	m.iv.readOnly = v.ReadOnly
	m.dp.SetCover(v.Cover)
	m.dp.SetFields(v.Draft)
	m.dp.Settle(v.Drafting())
	if m.dp.Dirty() {
		m.dp.Flush()
	}
	m.setFindings(v.Findings)
	if m.overlay == overlayCoverage {
		m.ov.SetItems(coverageItems(v.Coverage))
	}
	m.savedAt = v.SavedAt
	if v.SaveErr != nil && !errors.Is(v.SaveErr, prev.SaveErr) {
		m.opts.Log.Error("save", "err", v.SaveErr)
	}
	m.saveErr = plainError(v.SaveErr)
	if r := v.Retry; r != nil && (prev.Retry == nil || *prev.Retry != *r) {
		wait := r.RetryEvent
		m.retry, m.retryAt = &wait, r.At
	}
	var seen uint64 // the notes of the View shown before are shown already
	if n := len(prev.Notes); n > 0 {
		seen = prev.Notes[n-1].Seq
	}
	for _, n := range v.Notes {
		if n.Seq <= seen {
			continue
		}
		if n.Err != nil {
			m.flash(m.describe(n.Err), true)
			m.opts.Log.Error("engine", "err", n.Err)
		} else {
			m.flash(n.Text, false)
		}
	}
	if v.Asked != prev.Asked && v.Started {
		if m.sentTurns >= 0 && v.Turns > m.sentTurns {
			m.iv.Submitted() // the answer was recorded: its text is not unsent work
		}
		m.sentTurns = -1
		m.setQuestion(v.Question, v.Done, v.Notice)
	}
}

func (m *Model) setFindings(fs []proposal.Finding) {
	m.snap.findings = fs
	m.rv.SetFindings(fs)
	m.followFinding()
}

// followFinding brings the section of the finding under the review's
// cursor into the draft's view while the review is in front.
func (m *Model) followFinding() {
	if m.left != paneReview {
		return
	}
	if f, ok := m.rv.Selected(); ok && f.Section != "" {
		m.dp.FollowSection(f.Section)
	}
}

// setQuestion shows a question, or the end of the interview.
func (m *Model) setQuestion(q *interview.Question, done bool, notice string) {
	m.done = done && q == nil
	section := ""
	if q != nil && m.eng != nil {
		if s := m.eng.Template().Section(q.Section); s != nil {
			section = s.Title
			if _, f := m.eng.Template().Field(q.Field); f != nil && f.Label != "" && f.Label != s.Title {
				section += " › " + f.Label
			}
		}
	}
	m.iv.SetQuestion(q, m.done, section, notice)
	if q != nil {
		m.dp.FollowSection(q.Section)
	}
}

// events applies a batch of engine events. Text for the draft is shown at
// the next throttled flush (about 20 a second); a section starting to
// redraft shows at once; a View is applied in order with the text, and of
// several Views in a row only the last (it holds all the others do).
func (m *Model) events(msg engineEventsMsg) tea.Cmd {
	if msg.gen != m.gen || m.eng == nil {
		return nil
	}
	var cmds []tea.Cmd
	cmds = append(cmds, listen(m.gen, m.eng.Events(), m.stop, &m.listening))
	flushNow, flushSoon := false, false
	for i, ev := range msg.events {
		switch ev := ev.(type) {
		case interview.DraftStartedEvent:
			if m.dp.Apply(ev) {
				flushNow = true
			}
		case interview.DraftDeltaEvent:
			m.dp.Apply(ev)
			flushSoon = true
		case interview.ChangedEvent:
			if i+1 < len(msg.events) {
				if _, another := msg.events[i+1].(interview.ChangedEvent); another {
					continue
				}
			}
			m.applySnapshot(ev.View)
		}
	}
	switch {
	case flushNow:
		m.dp.Flush()
	case flushSoon && !m.flushing:
		m.flushing = true
		cmds = append(cmds, m.after(flushEvery, flushMsg{}))
	}
	return tea.Batch(cmds...)
}

// moved ends a command that moves to a question (the question came, or
// comes, with the engine's View): the interview is brought to the front.
func (m *Model) moved(msg movedMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil
	}
	m.busy = false
	m.iv.busy = false
	if msg.err != nil {
		m.sentTurns = -1
		m.flash(m.describe(msg.err), true)
		return nil
	}
	m.left, m.focus = paneInterview, paneInterview
	if m.lay.wide {
		m.dp.SetFocused(false)
	}
	return m.iv.Focus()
}

// typing reports whether keys go to the answer box.
func (m *Model) typing() bool {
	return m.screen == screenWork && m.overlay == overlayNone && m.left == paneInterview &&
		m.focus == paneInterview && m.iv.Focused() && m.iv.Answerable()
}

// key routes a key press: the chords that work everywhere first, then the
// dialog or screen in front.
func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Quit):
		return m.quit()
	case key.Matches(k, m.keys.Suspend):
		if !m.canSuspend() {
			m.flash(fmt.Sprintf("This shell has no job control, so the program cannot be suspended here; %s saves and quits.",
				m.keys.Quit.Help().Key), false)
			return nil
		}
		return tea.Suspend
	}
	if m.quitting {
		return nil
	}
	if m.lay.tooSmall {
		if key.Matches(k, m.keys.QuitPlain) {
			return m.quit()
		}
		return nil
	}
	if m.overlay != overlayNone {
		return m.overlayKey(k)
	}
	switch m.screen {
	case screenSessions:
		return m.sessionsKey(k)
	case screenTemplates:
		return m.templatesKey(k)
	}
	return m.workKey(k)
}

func (m *Model) quit() tea.Cmd {
	if m.quitting {
		return nil
	}
	m.quitting = true
	if m.eng == nil {
		m.closed = true
		return tea.Quit
	}
	m.keepTyped()
	m.exit = &ExitInfo{ID: m.snap.info.ID, Title: m.snap.info.Title, Progress: m.snap.progress}
	if !m.quitUnsaved {
		// Save first (or make the emergency save elsewhere); quitting only
		// once the work is in some file (quit.go).
		return saveBeforeQuitCmd(m.eng)
	}
	eng := m.eng
	m.detach()
	return closeCmd(eng)
}

// keepTyped hands what is in the answer box, not yet submitted, to the
// engine so that closing the session keeps it for the next time.
func (m *Model) keepTyped() {
	if m.eng != nil && m.iv.Answerable() {
		m.eng.KeepTyped(m.iv.Answer())
	}
}

func (m *Model) sessionsKey(k tea.KeyPressMsg) tea.Cmd {
	sp := &m.sp
	if sp.confirm != "" {
		switch {
		case key.Matches(k, m.keys.Confirm):
			id := sp.confirm
			sp.confirm = ""
			return deleteSessionCmd(m.opts.Sessions, id)
		case key.Matches(k, m.keys.Deny):
			sp.confirm = ""
		}
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Cancel) && m.back:
		m.screen, m.back = screenWork, false
		return m.iv.Focus()
	case key.Matches(k, m.keys.QuitPlain):
		return m.quit()
	case key.Matches(k, m.keys.HelpPlain, m.keys.Help):
		m.openHelp()
	case key.Matches(k, m.keys.NewSession):
		m.screen = screenTemplates
		m.tp.err = ""
	case key.Matches(k, m.keys.Delete):
		if s, ok := sp.Selected(); ok {
			if s.ID == sp.current {
				sp.err = "That session is open: switch to another before deleting it."
				return nil
			}
			sp.confirm, sp.err = s.ID, ""
		}
	case key.Matches(k, m.keys.Choose):
		s, ok := sp.Selected()
		if !ok {
			return nil
		}
		if s.ID == sp.current && m.eng != nil {
			m.screen, m.back = screenWork, false
			return m.iv.Focus()
		}
		if s.Damaged {
			sp.err = "That session is damaged: " + oneLine(s.Problem)
			return nil
		}
		sp.err = "Opening…"
		return m.openSessionCmd(s.ID)
	default:
		sp.list, _ = sp.list.Update(k)
	}
	return nil
}

func (m *Model) templatesKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Cancel):
		if m.back || len(m.sp.sessions) > 0 {
			m.screen = screenSessions
			return nil
		}
	case key.Matches(k, m.keys.QuitPlain):
		return m.quit()
	case key.Matches(k, m.keys.HelpPlain, m.keys.Help):
		m.openHelp()
	case key.Matches(k, m.keys.Choose):
		t, ok := m.tp.Selected()
		if !ok {
			return nil
		}
		m.tp.err = ""
		tag := m.tp.lang.Tag()
		var save tea.Cmd
		if tag != "" && tag != m.opts.Language {
			save = saveLanguageCmd(m.opts.SaveLanguage, tag)
			m.opts.Language = tag
		}
		return tea.Batch(m.newSessionCmd(t.In(tag)), save)
	case key.Matches(k, m.keys.Left):
		m.tp.lang.move(-1)
	case key.Matches(k, m.keys.Right):
		m.tp.lang.move(1)
	default:
		m.tp.list, _ = m.tp.list.Update(k)
	}
	return nil
}

// workKey handles keys while a session is open.
func (m *Model) workKey(k tea.KeyPressMsg) tea.Cmd {
	e := m.eng
	if e == nil {
		return nil
	}
	km := &m.keys
	switch {
	case key.Matches(k, km.Help), key.Matches(k, km.HelpPlain) && !m.typingText():
		m.openHelp()
		return nil
	case key.Matches(k, km.ClosePane):
		m.show(paneInterview)
		return m.focusCmd()
	case key.Matches(k, km.NextSkipped) && m.done && m.left == paneInterview && m.focus == paneInterview:
		field := nextUnanswered(e.Template(), m.snap.facts, m.lastSkipped)
		if field == "" {
			return nil
		}
		m.lastSkipped, m.busy = field, true
		return moveCmd(m.gen, "edit", func() error { return e.Edit(field) })
	case key.Matches(k, km.Submit) && m.typing():
		text, ok := m.iv.Submit()
		if !ok {
			return m.iv.Focus() // "Other…": the box opened for an answer of one's own
		}
		return m.submit("answer", func(ctx context.Context) error { return e.Answer(ctx, text) })
	case key.Matches(k, km.Skip):
		return m.submit("skip", e.Skip)
	case key.Matches(k, km.Assume):
		return m.submit("assume", e.Assume)
	case key.Matches(k, km.Back):
		m.busy = true
		return moveCmd(m.gen, "back", e.Back)
	case key.Matches(k, km.EditEarlier):
		items, ids := answerItems(e.Template(), m.snap.facts)
		m.openList(overlayAnswers, items, ids)
		return nil
	case key.Matches(k, km.Language):
		m.openLanguages()
		return nil
	case key.Matches(k, km.Coverage):
		m.openList(overlayCoverage, coverageItems(m.snap.coverage), nil)
		for i, c := range m.snap.coverage {
			if m.iv.q != nil && c.Section == m.iv.q.Section {
				m.ov.cursor = i
			}
		}
		return nil
	case key.Matches(k, km.Review):
		m.show(paneReview)
		m.rv.running = true
		return reviewCmd(m.ctx, m.gen, e)
	case key.Matches(k, km.Export):
		m.ex = newExportDialog(m.st, &m.keys, m.snap.info.Title, m.opts.WorkDir, m.snap.findings, m.snap.fallbacks)
		m.ex.SetWidth(min(m.lay.width-4, 76))
		m.overlay = overlayExport
		return nil
	case key.Matches(k, km.Sessions):
		m.screen, m.back = screenSessions, true
		m.sp.err, m.sp.confirm = "", ""
		return loadSessionsCmd(m.opts.Sessions)
	case key.Matches(k, km.Retry):
		ids := m.dp.Truncated()
		m.dp.NewRound()
		if m.snap.modelOff != "" {
			m.snap.modelOff = ""
			return retryModelCmd(e)
		}
		return retryCmd(e, ids)
	case key.Matches(k, km.Copy), key.Matches(k, km.CopyDraft) && m.focus == paneDraft:
		return m.copyMarkdown()
	case key.Matches(k, km.NextPane):
		m.cycle(1)
		return m.focusCmd()
	case key.Matches(k, km.PrevPane):
		m.cycle(-1)
		return m.focusCmd()
	case key.Matches(k, km.Editor) && m.typing():
		return editorCmd(m.iv.Answer())
	case key.Matches(k, km.Cancel):
		switch {
		case m.dp.Drafting():
			m.flash("Stopped drafting; the sections keep their last complete text.", false)
			m.dp.Settle(nil)
			return cancelDraftsCmd(e)
		case m.left == paneReview || m.focus != paneInterview:
			m.show(paneInterview)
			return m.focusCmd()
		}
		return nil
	}
	switch m.focus {
	case paneDraft:
		if key.Matches(k, km.FedBy) {
			m.openFedBy()
			return nil
		}
		m.dp, _ = m.dp.Update(k)
		return nil
	case paneReview:
		if key.Matches(k, km.Choose) {
			if f, ok := m.rv.Selected(); ok && f.Rule == proposal.RuleLanguageMismatch && !m.busy {
				return m.switchToAnswers()
			}
			if f, ok := m.rv.Selected(); ok && f.Field != "" {
				m.busy = true
				return moveCmd(m.gen, "edit", func() error { return e.Edit(f.Field) })
			}
			return nil
		}
		m.rv, _ = m.rv.Update(k)
		m.followFinding()
		return nil
	}
	var cmd tea.Cmd
	m.iv, cmd = m.iv.Update(k)
	return cmd
}

// typingText reports whether the answer box holds text that "?" would add to.
func (m *Model) typingText() bool { return m.typing() && !m.iv.Empty() }

func (m *Model) submit(kind string, f func(context.Context) error) tea.Cmd {
	if m.busy || !m.iv.Answerable() {
		return nil
	}
	m.busy, m.iv.busy = true, true
	if kind == "answer" {
		m.sentTurns = m.snap.turns
	}
	m.dp.NewRound()
	ctx := m.ctx
	return moveCmd(m.gen, kind, func() error { return f(ctx) })
}

func (m *Model) copyMarkdown() tea.Cmd {
	md := proposal.Markdown(m.snap.cover, m.draftNow())
	// OSC 52 gets no answer: say what was sent and what to do if the
	// terminal ignored it.
	m.flash(fmt.Sprintf("Sent the proposal (%s of Markdown) to the clipboard through the terminal, which cannot confirm it; if nothing pastes, run: propose show %s",
		humanBytes(len(md)), m.snap.info.ID), false)
	return tea.SetClipboard(md)
}

// draftNow is the draft as the pane shows it (finished text only).
func (m *Model) draftNow() proposal.Draft {
	d := proposal.Draft{Sections: make([]proposal.Section, 0, len(m.dp.secs))}
	for _, s := range m.dp.secs {
		d.Sections = append(d.Sections, proposal.Section{ID: s.id, Title: s.title, Body: s.body, NoHeading: s.noHeading})
	}
	return d
}

// show puts a view in front: the interview or the review on the left (or as
// the tab), the draft on the right (or as the tab).
func (m *Model) show(p pane) {
	switch p {
	case paneInterview, paneReview:
		m.left, m.focus = p, p
	case paneDraft:
		m.focus = paneDraft
	}
	m.dp.SetFocused(m.focus == paneDraft)
	if m.focus == paneInterview {
		m.iv.Focus()
	} else {
		m.iv.Blur()
	}
}

// cycle moves the focus through Interview → Draft → Review, whether the
// panes stand side by side or as tabs.
func (m *Model) cycle(dir int) {
	order := []pane{paneInterview, paneDraft, paneReview}
	i := 0
	for j, p := range order {
		if p == m.focus {
			i = j
		}
	}
	m.show(order[(i+dir+len(order))%len(order)])
}

func (m *Model) focusCmd() tea.Cmd {
	if m.focus == paneInterview {
		return m.iv.Focus()
	}
	return nil
}

func (m *Model) openList(kind overlayKind, items []listItem, ids []string) {
	m.overlay = kind
	m.ov = pickList{st: m.st, keys: &m.keys}
	m.ov.SetItems(items)
	m.ov.SetSize(min(m.lay.width-8, 72), max(m.lay.bodyH-6, 1))
	m.ovFields = ids
}

// overlayRoom is the room a dialog may take: the body, between the top bar
// and the status bar, less a margin.
func (m *Model) overlayRoom() (w, h int) {
	return max(m.lay.width-4, 12), max(m.lay.bodyH, 1)
}

func (m *Model) openHelp() {
	m.overlay = overlayHelp
	w, h := m.overlayRoom()
	w = min(w, 110)
	m.tov = newTextOverlay(m.st, &m.keys, "Keys", helpView(m.st, m.helpGroups(), w-boxChromeW)+"\n\n"+
		m.st.dim.Render("Select text with the mouse as usual; while the draft pane has focus it scrolls with the wheel, so hold Shift to select there."), w, h)
}

func (m *Model) openFedBy() {
	if m.eng == nil {
		return
	}
	id, title, fields := m.dp.Selected()
	if id == "" {
		m.flash("Nothing is drafted yet.", false)
		return
	}
	m.overlay = overlayFedBy
	w, h := m.overlayRoom()
	w = min(w, 76)
	m.tov = newTextOverlay(m.st, &m.keys, "What fed “"+title+"”",
		fedByView(m.st, m.eng.Template(), m.snap.facts, fields, w-boxChromeW), w, h)
}

// overlayKey handles keys while a dialog is open.
func (m *Model) overlayKey(k tea.KeyPressMsg) tea.Cmd {
	switch m.overlay {
	case overlayHelp, overlayFedBy:
		var act textOverlayAction
		m.tov, act = m.tov.Update(k)
		if act == textOverlayClose {
			m.overlay = overlayNone
		}
		return nil
	case overlayExport:
		var act exportAction
		var cmd tea.Cmd
		m.ex, act, cmd = m.ex.Update(k)
		switch act {
		case exportRun:
			return exportCmd(m.gen, m.eng, m.ex.Request())
		case exportClose:
			m.overlay = overlayNone
		}
		return cmd
	case overlayLanguage:
		switch {
		case key.Matches(k, m.keys.Cancel), key.Matches(k, m.keys.Language):
			m.overlay = overlayNone
			return nil
		case key.Matches(k, m.keys.Choose):
			return m.chooseLanguage()
		}
		m.ov, _ = m.ov.Update(k)
	case overlayCoverage, overlayAnswers:
		switch {
		case key.Matches(k, m.keys.Cancel), key.Matches(k, m.keys.Coverage) && m.overlay == overlayCoverage,
			key.Matches(k, m.keys.EditEarlier) && m.overlay == overlayAnswers:
			m.overlay = overlayNone
			return nil
		case key.Matches(k, m.keys.Choose):
			field := ""
			if m.overlay == overlayAnswers && m.ov.cursor < len(m.ovFields) {
				field = m.ovFields[m.ov.cursor]
			}
			if m.overlay == overlayCoverage && m.ov.cursor < len(m.snap.coverage) && m.eng != nil {
				field = firstGap(m.eng.Template(), m.snap.facts, m.snap.coverage[m.ov.cursor].Section)
			}
			m.overlay = overlayNone
			if field == "" || m.eng == nil {
				return nil
			}
			e := m.eng
			m.busy = true
			return moveCmd(m.gen, "edit", func() error { return e.Edit(field) })
		}
		m.ov, _ = m.ov.Update(k)
	}
	return nil
}

func (m *Model) paste(p tea.PasteMsg) tea.Cmd {
	switch {
	case m.overlay == overlayExport:
		var cmd tea.Cmd
		m.ex, _, cmd = m.ex.Update(p)
		return cmd
	case m.typing():
		var cmd tea.Cmd
		m.iv, cmd = m.iv.Update(p)
		return cmd
	}
	return nil
}

// View draws the whole screen. Everything it stacks was laid out in Update.
func (m *Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	// The mouse is captured only where it earns its keep: wheel scrolling
	// in the draft pane. Elsewhere the terminal selects text as usual.
	if m.screen == screenWork && m.overlay == overlayNone && m.focus == paneDraft {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = "propose"
	if m.screen == screenWork && m.eng != nil {
		v.WindowTitle = "propose · " + m.snap.info.Title
	}
	if m.opts.ASCII {
		v.SetContent(asciiSymbols.Replace(m.render()))
	} else {
		v.SetContent(m.render())
	}
	return v
}

// render is the screen as a string (what the tests compare).
func (m *Model) render() string {
	l := m.lay
	if l.width <= 0 || l.height <= 0 || !m.bgKnown {
		return ""
	}
	if l.tooSmall {
		return m.tooSmallView()
	}
	if m.quitting {
		return placeLines("\n  "+m.st.dim.Render("Saving and closing…"), l.width, l.height)
	}
	var body string
	switch m.screen {
	case screenSessions:
		body = m.sp.View()
	case screenTemplates:
		body = m.tp.View()
	default:
		body = m.workView()
	}
	out := m.topBar() + "\n" + body + "\n" + m.statusBar() + "\n" + m.helpBar()
	switch m.overlay {
	case overlayHelp, overlayFedBy:
		out = placeOver(out, m.tov.View(), l.width, 1, l.bodyH)
	case overlayExport:
		out = placeOver(out, m.ex.View(), l.width, 1, l.bodyH)
	case overlayLanguage:
		box := m.st.title.Render("Write the proposal in") + "\n\n" + m.ov.View() + "\n\n" +
			m.st.faint.Render(hint(m.keys.Choose, "rewrite it in this language", m.keys.Cancel, "close"))
		out = placeOver(out, m.st.box.Render(box), l.width, 1, l.bodyH)
	case overlayCoverage, overlayAnswers:
		title := "Coverage: missing ○, partial ◐, covered ●"
		foot := hint(m.keys.Choose, "go to its first open question", m.keys.Cancel, "close")
		if m.overlay == overlayAnswers {
			title = "Change an earlier answer"
			foot = hint(m.keys.Choose, "change it", m.keys.Cancel, "close")
			if len(m.ov.items) == 0 {
				m.ov.items = nil
			}
		}
		list := m.ov.View()
		if len(m.ov.items) == 0 {
			list = m.st.dim.Render("Nothing answered yet.")
		}
		box := m.st.title.Render(title) + "\n\n" + list + "\n\n" + m.st.faint.Render(foot)
		out = placeOver(out, m.st.box.Render(box), l.width, 1, l.bodyH)
	}
	return out
}

func (m *Model) tooSmallView() string {
	l := m.lay
	msg := fmt.Sprintf("Terminal too small (%dx%d): propose needs %dx%d. Make it larger, or press q to quit.",
		l.width, l.height, minWidth, minHeight)
	return placeLines(wrap(msg, l.width), l.width, l.height)
}

// workView is the open session: side by side, or one tab.
func (m *Model) workView() string {
	l := m.lay
	leftView := func() string {
		if m.left == paneReview {
			return m.rv.View()
		}
		return m.iv.View()
	}
	if !l.wide {
		if m.focus == paneDraft {
			return m.dp.View()
		}
		return leftView()
	}
	left := strings.Split(leftView(), "\n")
	right := strings.Split(m.dp.View(), "\n")
	sep := m.st.sep.Render("│")
	var b strings.Builder
	b.Grow(l.bodyH * (l.width + 32))
	for i := 0; i < l.bodyH; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(left) {
			b.WriteString(left[i])
		}
		b.WriteString(sep)
		if i < len(right) {
			b.WriteString(right[i])
		}
	}
	return b.String()
}

// topBar names the panes (side by side) or shows the tabs (narrow).
func (m *Model) topBar() string {
	l := m.lay
	switch m.screen {
	case screenSessions, screenTemplates:
		return fit(m.st.title.Render(" propose"), l.width)
	}
	tab := func(name string, on bool) string {
		if on {
			return m.st.tabOn.Render(name)
		}
		return m.st.tabOff.Render(name)
	}
	leftName := "Interview"
	if m.left == paneReview {
		leftName = "Review"
	}
	if l.wide {
		left := " " + tab(leftName, m.focus != paneDraft)
		right := " " + tab("Draft", m.focus == paneDraft)
		if info := m.dp.ScrollInfo(); info != "" {
			right += m.st.faint.Render("  " + info)
		}
		return fit(left, l.leftW) + m.st.sep.Render("│") + fit(right, l.rightW)
	}
	bar := " " + tab("Interview", m.focus == paneInterview) + "  " + tab("Draft", m.focus == paneDraft) + "  " +
		tab("Review", m.focus == paneReview) + m.st.faint.Render("   "+m.keys.NextPane.Help().Key+" switches")
	if m.focus == paneDraft {
		if info := m.dp.ScrollInfo(); info != "" {
			bar += m.st.faint.Render("  " + info)
		}
	}
	return fit(bar, l.width)
}

// statusBar: the session, the engine, coverage, answers, the save state,
// tokens and any wait before a retry; a failed save in red.
func (m *Model) statusBar() string {
	l := m.lay
	now := m.now()
	if m.status != "" && now.Before(m.statusUntil) && m.screen != screenWork {
		st := m.st.statusBar
		if m.statusBad {
			st = m.st.statusErr
		}
		return fit(" "+st.Render(truncate(m.status, l.width-2)), l.width)
	}
	if m.screen != screenWork || m.eng == nil {
		return fit("", l.width)
	}
	p := m.snap.progress
	engine := m.eng.EngineName()
	model := m.eng.Model()
	if model == "" {
		model = m.opts.Model
	}
	if model != "" && engine != "offline" {
		engine += " · " + model
	}
	if m.snap.modelOff != "" {
		// The model failed in a way no retry mends: say so, and how to try again.
		engine = m.st.warn.Render("model off, standard wording (" + m.keys.Retry.Help().Key + " tries it again)")
	}
	var right []string
	if m.status != "" && now.Before(m.statusUntil) {
		st := m.st.statusBar
		if m.statusBad {
			st = m.st.statusErr
		}
		right = append(right, st.Render(m.status))
	}
	if r := m.retry; r != nil {
		if wait := r.Wait - now.Sub(m.retryAt); wait > 0 {
			right = append(right, m.st.warn.Render(fmt.Sprintf("%s: retrying in %ds (%d/%d)", r.Reason, int(wait.Seconds()+0.5), r.Attempt, r.Max)))
		}
	}
	switch {
	case m.saveErr != "":
		right = append(right, m.st.statusErr.Render("not saved: "+m.saveErr))
	case m.snap.readOnly:
		right = append(right, m.st.warn.Render("read-only"))
	case !m.savedAt.IsZero():
		// Padded to its longest usual form, so the title beside it does
		// not shift as "just now" becomes "5s ago".
		right = append(right, fmt.Sprintf("saved %8s", ago(now, m.savedAt)))
	}
	if t := tokens(m.snap.usage); t != "" {
		right = append(right, t)
	}
	sepDot := m.st.faint.Render(" · ")
	rs := strings.Join(right, sepDot) + " "
	counts := []string{fmt.Sprintf("%d/%d answered", p.Answered, p.Total), fmt.Sprintf("%d/%d sections", p.SectionsCovered, p.Sections), engine}
	room := l.width - lipgloss.Width(rs) - 1
	// The title takes what the counts leave; counts go first when room is short.
	for len(counts) > 0 {
		if room-lipgloss.Width(strings.Join(counts, " · "))-3 >= 12 {
			break
		}
		counts = counts[:len(counts)-1]
	}
	if room < 12 {
		return fit(" "+truncate(strings.TrimSpace(rs), l.width-2), l.width)
	}
	cs := strings.Join(counts, " · ")
	titleRoom := room - lipgloss.Width(cs) - 4
	if cs == "" {
		titleRoom = room - 1
	}
	ls := " " + m.st.bold.Render(truncate(m.snap.info.Title, titleRoom))
	if cs != "" {
		ls += sepDot + cs
	}
	return m.st.statusBar.Render(fit(ls, room)) + " " + rs
}

func tokens(u map[string]interview.Usage) string {
	total, est := 0, false
	for _, v := range u {
		total += v.PromptTokens + v.CompletionTokens
		est = est || v.Estimated
	}
	if total == 0 {
		return ""
	}
	s := fmt.Sprintf("%d tokens", total)
	if total >= 10000 {
		s = fmt.Sprintf("%.1fk tokens", float64(total)/1000)
	}
	if est {
		s = "~" + s
	}
	return s
}

// helpBar is the short help for what is in front, from the key map: as
// many keys as fit, and the help and quit keys always at the end.
func (m *Model) helpBar() string {
	st := m.st.help
	item := func(b key.Binding) string {
		return st.ShortKey.Render(b.Help().Key) + " " + st.ShortDesc.Render(b.Help().Desc)
	}
	sep := st.ShortSeparator.Render(" • ")
	bs := m.shortHelp()
	n := len(bs)
	for n > 0 && (bs[n-1].Help().Desc == "help" || bs[n-1].Help().Desc == "quit") {
		n--
	}
	var tail []string
	for _, b := range bs[n:] {
		tail = append(tail, item(b))
	}
	tailS := strings.Join(tail, sep)
	room := m.lay.width - 1
	if tailS != "" {
		room -= lipgloss.Width(tailS) + 3
	}
	var head []string
	used := 0
	for _, b := range bs[:n] {
		s := item(b)
		w := lipgloss.Width(s)
		if used > 0 {
			w += 3
		}
		if used+w > room {
			break
		}
		head = append(head, s)
		used += w
	}
	out := strings.Join(append(head, tail...), sep)
	return fit(" "+out, m.lay.width)
}

// shortHelp picks the keys worth a place on the bottom line.
func (m *Model) shortHelp() []key.Binding {
	k := &m.keys
	switch {
	case m.overlay != overlayNone:
		return nil
	case m.screen == screenSessions && m.sp.confirm != "":
		return only(k.Confirm, k.Deny)
	case m.screen == screenSessions:
		return only(k.Choose, k.NewSession, k.Delete, k.Cancel, k.HelpPlain, k.QuitPlain)
	case m.screen == screenTemplates:
		return only(k.Choose, k.Up, k.Down, k.Cancel, k.QuitPlain)
	case m.focus == paneDraft:
		return only(k.Up, k.Down, k.NextSec, k.FedBy, k.CopyDraft, k.Retry, k.NextPane, k.HelpPlain, k.ClosePane)
	case m.focus == paneReview:
		return only(k.Up, k.Down, k.Choose, k.Review, k.Export, k.Cancel, k.HelpPlain, k.ClosePane)
	case m.done:
		return only(k.NextSkipped, k.Review, k.Export, k.EditEarlier, k.Coverage, k.NextPane, k.HelpPlain, k.Quit)
	}
	// Enter and the new-line keys are under the answer box already.
	return only(k.Skip, k.Review, k.Export, k.EditEarlier, k.Back, k.Assume, k.Coverage, k.NextPane, k.Help, k.Quit)
}

// helpGroups is the full help for what is in front.
func (m *Model) helpGroups() []helpGroup {
	k := &m.keys
	switch m.screen {
	case screenSessions:
		return []helpGroup{{"Sessions", []key.Binding{k.Choose, k.NewSession, k.Delete, k.Up, k.Down, k.Cancel}},
			{"Program", []key.Binding{k.QuitPlain, k.Quit, k.Suspend}}}
	case screenTemplates:
		return []helpGroup{{"Templates", []key.Binding{k.Choose, k.Up, k.Down, k.Left, k.Right, k.Cancel}},
			{"Program", []key.Binding{k.QuitPlain, k.Quit, k.Suspend}}}
	}
	return []helpGroup{
		{"Answer", []key.Binding{k.Submit, k.Newline, k.Editor, k.Skip, k.Assume}},
		{"Move", []key.Binding{k.Back, k.EditEarlier, k.NextSkipped, k.Coverage, k.NextPane, k.PrevPane, k.ClosePane, k.Cancel}},
		{"Proposal", []key.Binding{k.Review, k.Export, k.Copy, k.Retry, k.Language, k.Sessions}},
		{"Draft pane", []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.NextSec, k.PrevSec, k.FedBy, k.CopyDraft}},
		{"Program", []key.Binding{k.Help, k.HelpPlain, k.Quit, k.Suspend}},
	}
}

// syncKeys enables the keys that do something now; help shows only those.
func (m *Model) syncKeys() {
	k := &m.keys
	work := m.screen == screenWork && m.eng != nil && !m.quitting && m.overlay == overlayNone
	answering := work && m.left == paneInterview && m.focus == paneInterview && m.iv.Answerable() && !m.busy
	typing := work && m.typing()
	k.Submit.SetEnabled(answering)
	k.Newline.SetEnabled(answering)
	k.Editor.SetEnabled(answering)
	k.Skip.SetEnabled(answering)
	k.Assume.SetEnabled(answering)
	k.Back.SetEnabled(work && !m.busy && !m.snap.readOnly && m.snap.turns > 0)
	k.EditEarlier.SetEnabled(work && !m.busy && !m.snap.readOnly && m.snap.progress.Answered > 0)
	k.NextSkipped.SetEnabled(work && m.done && !m.busy && !m.snap.readOnly && m.left == paneInterview &&
		m.focus == paneInterview && m.snap.progress.Answered < m.snap.progress.Total)
	for _, b := range []*key.Binding{&k.Coverage, &k.Sessions, &k.Copy, &k.NextPane, &k.PrevPane} {
		b.SetEnabled(work)
	}
	k.Language.SetEnabled((work && !m.busy && !m.snap.readOnly && len(m.opts.Languages) > 1) || m.overlay == overlayLanguage)
	// A review or an export waits for the engine's redrafts; it is not
	// started while an answer is still being recorded.
	k.Review.SetEnabled(work && !m.busy)
	k.Export.SetEnabled(work && !m.busy)
	k.Retry.SetEnabled(work && (len(m.dp.Truncated()) > 0 || m.snap.modelOff != ""))
	k.Cancel.SetEnabled((work && (m.dp.Drafting() || m.left == paneReview || m.focus != paneInterview)) ||
		m.overlay != overlayNone || (m.screen == screenSessions && m.back) ||
		(m.screen == screenTemplates && (m.back || len(m.sp.sessions) > 0)))
	draft := work && m.focus == paneDraft
	lists := (m.screen != screenWork && !m.quitting) || (work && m.focus != paneInterview) ||
		m.overlay == overlayCoverage || m.overlay == overlayAnswers || m.overlay == overlayLanguage || (typing && m.iv.Picking())
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom} {
		b.SetEnabled(lists)
	}
	k.Choose.SetEnabled((m.screen != screenWork && m.sp.confirm == "") || (work && m.focus == paneReview) ||
		m.overlay == overlayCoverage || m.overlay == overlayAnswers || m.overlay == overlayExport || m.overlay == overlayLanguage)
	k.NextSec.SetEnabled(draft)
	k.PrevSec.SetEnabled(draft)
	k.FedBy.SetEnabled(draft)
	k.CopyDraft.SetEnabled(draft)
	picker := m.screen == screenSessions && m.overlay == overlayNone
	k.NewSession.SetEnabled(picker && m.sp.confirm == "" && m.opts.New != nil)
	k.Delete.SetEnabled(picker && m.sp.confirm == "" && len(m.sp.sessions) > 0)
	k.Confirm.SetEnabled(picker && m.sp.confirm != "")
	k.Deny.SetEnabled(picker && m.sp.confirm != "")
	dialog := m.overlay == overlayExport
	picking := m.screen == screenTemplates && m.overlay == overlayNone && len(m.opts.Languages) > 1
	k.Toggle.SetEnabled(dialog)
	k.Left.SetEnabled(dialog || picking)
	k.Right.SetEnabled(dialog || picking)
	k.NextField.SetEnabled(dialog)
	k.HelpPlain.SetEnabled((!typing || m.iv.Empty()) && m.sp.confirm == "")
	k.QuitPlain.SetEnabled(m.screen != screenWork && m.overlay == overlayNone && m.sp.confirm == "")
	k.ClosePane.SetEnabled(work && (m.left == paneReview || m.focus != paneInterview))
	k.Help.SetEnabled(true)
	k.Quit.SetEnabled(true)
	k.Suspend.SetEnabled(true)
}

// Closed reports whether the session was closed (saved, lock given up) and
// how that went.
func (m *Model) Closed() (bool, error) { return m.closed, m.closeErr }

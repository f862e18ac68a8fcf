package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"propose/interview"
	"propose/proposal"
	"propose/templates"
	"propose/tui"
)

// programOptions are added to the interface's program options. Tests set
// them to drive the interface through a pipe rather than a terminal.
var programOptions []tea.ProgramOption

// fileLayer, when set, is what the session store goes through. Tests set it
// to fill the disk or refuse reads.
var fileLayer interview.FileLayer

// app holds the flags and the wiring shared by the subcommands.
type app struct {
	stdout, stderr io.Writer
	dataDir        string
	offline        bool
	model          string
	baseURL        string
	models         modelSetup // the model configuration, read once (engine.go)
	logger         *slog.Logger
	st             *interview.Store // opened once (store)
	tidied         bool             // housekeeping done (writableStore)
	set            *templates.Set   // loaded once (templates)
	// interactive is set by the commands that open the interface: notes
	// from housekeeping go to its screen rather than to stderr.
	interactive bool
	notes       []string
}

// log is where details of failures go: propose.log in the session folder,
// readable only by its owner (the screen and stderr get one plain line).
// Nothing secret is logged; the model client redacts its key. It is opened
// once and stays open until the process ends.
func (a *app) log() *slog.Logger {
	if a.logger != nil {
		return a.logger
	}
	a.logger = slog.New(slog.DiscardHandler)
	if st, err := a.store(); err == nil {
		if f, err := os.OpenFile(filepath.Join(st.Dir(), "propose.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600); err == nil {
			a.logger = slog.New(slog.NewTextHandler(f, nil))
		}
	}
	return a.logger
}

// store opens the session folder once, warning when others can read it.
// Commands that only read use it as it is; see writableStore.
func (a *app) store() (*interview.Store, error) {
	if a.st != nil {
		return a.st, nil
	}
	dir := a.dataDir
	if dir == "" {
		dir = interview.DefaultDir()
	}
	st, err := interview.OpenStore(dir)
	if errors.Is(err, interview.ErrNotFolder) {
		return nil, fmt.Errorf("%w; give another with --data-dir", err)
	}
	if err != nil {
		return nil, err
	}
	if fileLayer != nil {
		st = st.WithFileLayer(fileLayer)
	}
	if w := st.Warning(); w != "" {
		fmt.Fprintln(a.stderr, "propose: warning: "+w)
	}
	a.st = st
	return st, nil
}

// writableStore is the store for commands that write sessions: the first
// time, it tidies the folder (stale temporary and lock files) and brings
// back sessions an emergency save put elsewhere, saying so.
func (a *app) writableStore() (*interview.Store, error) {
	st, err := a.store()
	if err != nil || a.tidied {
		return st, err
	}
	a.tidied = true
	for _, note := range st.Tidy() {
		if a.interactive {
			a.notes = append(a.notes, note)
		} else {
			fmt.Fprintln(a.stderr, "propose: "+note)
		}
	}
	return st, nil
}

// sessions lists the saved sessions, newest first.
func (a *app) sessions() ([]interview.Summary, error) {
	st, err := a.store()
	if err != nil {
		return nil, err
	}
	return st.List()
}

// templates loads the built-in and user templates; problems with user files
// are reported and the rest still load.
func (a *app) templates() *templates.Set {
	if a.set != nil {
		return a.set
	}
	set, errs := templates.LoadWith(templates.UserDir(), templates.LanguagesDir())
	for _, err := range errs {
		fmt.Fprintln(a.stderr, "propose: warning: "+err.Error())
	}
	a.set = set
	return set
}

func (a *app) template(set *templates.Set, id string) (*templates.Template, error) {
	if id == "" {
		id = templates.DefaultID
	}
	t, ok := set.Get(id)
	if !ok {
		var ids []string
		for _, t := range set.List() {
			ids = append(ids, t.ID)
		}
		return nil, usageError("no template %q: use one of %s", id, strings.Join(ids, ", "))
	}
	return t, nil
}

// openSession loads a session by id or prefix and opens an engine on it,
// holding its lock.
func (a *app) openSession(ctx context.Context, prefix string, events bool) (*interview.Engine, interview.LoadInfo, error) {
	st, err := a.writableStore()
	if err != nil {
		return nil, interview.LoadInfo{}, err
	}
	id, err := st.Find(prefix)
	if err != nil {
		return nil, interview.LoadInfo{}, usageError("%v", err)
	}
	lock, err := st.Lock(id)
	if err != nil {
		return nil, interview.LoadInfo{}, err
	}
	s, info, err := st.Load(id)
	if err != nil {
		lock.Release()
		return nil, info, err
	}
	t, note, err := a.sessionTemplate(s)
	if err != nil {
		lock.Release()
		return nil, info, err
	}
	info.TemplateNote = note
	if note == "" && !info.ReadOnly {
		s.KeepTemplate(t)
	}
	cfg, err := a.engineConfig(ctx)
	if err != nil {
		lock.Release()
		return nil, info, err
	}
	cfg.Store, cfg.Lock, cfg.Events, cfg.ReadOnly = st, lock, events, info.ReadOnly
	return interview.Open(t, s, cfg), info, nil
}

// peekSession opens a session for reading only: nothing on disk is renamed,
// migrated or written, and no lock is taken, so it works on a session that
// another propose holds (reading its last saved state, and saying so).
func (a *app) peekSession(ctx context.Context, prefix string) (*interview.Engine, interview.LoadInfo, error) {
	st, err := a.store()
	if err != nil {
		return nil, interview.LoadInfo{}, err
	}
	id, err := st.Find(prefix)
	if err != nil {
		return nil, interview.LoadInfo{}, usageError("%v", err)
	}
	s, info, err := st.Peek(id)
	if err != nil {
		return nil, info, err
	}
	info.InUse = st.InUse(id)
	t, note, err := a.sessionTemplate(s)
	if err != nil {
		return nil, info, err
	}
	info.TemplateNote = note
	cfg, err := a.engineConfig(ctx)
	if err != nil {
		return nil, info, err
	}
	cfg.ReadOnly = true
	return interview.Open(t, s, cfg), info, nil
}

// sessionTemplate is the template a session is opened with: the installed
// one, else the copy the session keeps (with a note saying so).
func (a *app) sessionTemplate(s *interview.Session) (*templates.Template, string, error) {
	if t, ok := a.templates().Get(s.Template); ok {
		return t, "", nil
	}
	if t := s.SavedTemplate(); t != nil {
		return t, fmt.Sprintf("The template %q is not installed or did not load; this session uses the copy of it kept with the session.", s.Template), nil
	}
	return nil, "", interview.NoTemplateError(fmt.Sprintf("session %s was made with the template %q, which is not installed or did not load (see any warning above), and the session keeps no copy of it: put the template file back in %s to open it",
		s.ID, s.Template, templates.UserDir()))
}

// orphans tells of answers to fields the template no longer asks: they stay
// in the session and are listed here so that nothing given seems lost.
func orphans(w io.Writer, t *templates.Template, facts proposal.Facts) {
	list := interview.Orphans(t, facts)
	if len(list) == 0 {
		return
	}
	fmt.Fprintf(w, "Answers no longer asked by the template %q (kept in the session):\n", t.ID)
	for _, f := range list {
		fmt.Fprintf(w, "  %s: %s\n", f.Field, clip(strings.Join(strings.Fields(proposal.Sanitize(f.Value)), " "), 100))
	}
}

// newSession starts a session on a template and opens an engine on it,
// holding its lock.
func (a *app) newSession(ctx context.Context, t *templates.Template, events bool) (*interview.Engine, error) {
	st, err := a.writableStore()
	if err != nil {
		return nil, err
	}
	s := interview.NewSession(t, time.Now())
	lock, err := st.Lock(s.ID)
	if err != nil {
		return nil, err
	}
	cfg, err := a.engineConfig(ctx)
	if err != nil {
		lock.Release()
		return nil, err
	}
	cfg.Store, cfg.Lock, cfg.Events = st, lock, events
	return interview.Open(t, s, cfg), nil
}

// engineConfig picks the engine: offline unless a model is configured
// (see llmEngineConfig in engine.go).
func (a *app) engineConfig(context.Context) (interview.Config, error) {
	return a.llmEngineConfig()
}

// needTerminal refuses the interface where it cannot be drawn, before
// anything is opened or created (tests give the program its own input and
// output through programOptions).
func (a *app) needTerminal() error {
	if len(programOptions) > 0 {
		return nil
	}
	return checkTerminal(os.Stdin, os.Stdout, os.Getenv("TERM"))
}

func (a *app) runTUI(cmd *cobra.Command, args []string) error {
	if err := a.needTerminal(); err != nil {
		return err
	}
	a.interactive = true
	return a.tui(cmd.Context(), tui.StartSessions, nil, "")
}

// tui runs the terminal interface, on eng's session when it is given.
func (a *app) tui(ctx context.Context, start tui.StartAt, eng *interview.Engine, notice string) error {
	st, err := a.writableStore()
	if err != nil {
		if eng != nil {
			eng.Close()
		}
		return err
	}
	set := a.templates()
	wd, _ := os.Getwd()
	logger := a.log()
	if len(a.notes) > 0 {
		notice = strings.TrimSpace(strings.Join(append(a.notes, notice), " "))
	}
	return tui.Run(tui.Options{
		Context:   ctx,
		Engine:    eng,
		Notice:    notice,
		Start:     start,
		Sessions:  st,
		Templates: set.List(),
		Open: func(ctx context.Context, id string) (*interview.Engine, interview.LoadInfo, error) {
			return a.openSession(ctx, id, true)
		},
		New: func(ctx context.Context, t *templates.Template) (*interview.Engine, error) {
			return a.newSession(ctx, t, true)
		},
		Languages:    set.Languages().List(),
		Language:     a.defaultLanguageFor(set),
		SaveLanguage: saveDefaultLanguage,
		Model:        a.model,
		WorkDir:      wd,
		NoColor:      os.Getenv("NO_COLOR") != "",
		ASCII:        !tui.UTF8Locale(os.Getenv),
		Log:          logger,
		Exited:       func(e tui.ExitInfo) { fmt.Fprintln(a.stdout, resumeHint(e)) },
	}, programOptions...)
}

// resumeHint is what the terminal keeps after the interface closes: which
// proposal was saved, how far it got, and the command that reopens it.
func resumeHint(e tui.ExitInfo) string {
	title := e.Title
	if title == "" {
		title = "Untitled proposal"
	}
	return fmt.Sprintf("Saved “%s” (%d of %d answered). Resume with: propose resume %s",
		title, e.Progress.Answered, e.Progress.Total, e.ID)
}

// runSignals cancels the returned context on Ctrl+C or SIGTERM, so every
// request in flight stops at once. code reports the exit code the signal
// asks for: 130 for an interrupt, 143 for SIGTERM, 0 when none came. stop
// stops listening.
func runSignals(parent context.Context) (ctx context.Context, code func() int, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	var got atomic.Int32
	caught := make(chan struct{})
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			if sig == syscall.SIGTERM {
				got.Store(143)
			} else {
				got.Store(130)
			}
			close(caught)
			cancel()
		case <-done:
		}
	}()
	code = func() int {
		if ctx.Err() != nil {
			// The parent may have seen the signal first (main listens too):
			// give this listener a moment to say which one it was.
			select {
			case <-caught:
			case <-time.After(200 * time.Millisecond):
			}
		}
		return int(got.Load())
	}
	var once sync.Once
	stop = func() { once.Do(func() { close(done); signal.Stop(sigs); cancel() }) }
	return ctx, code, stop
}

// interrupted saves the session after a signal and says how to go on.
func (a *app) interrupted(e *interview.Engine, code int) error {
	e.CancelDrafts()
	e.Wait()
	info := e.Info()
	if err := e.Save(); err != nil {
		return &exitError{code: code, err: fmt.Errorf("interrupted; saving the session failed: %w", err)}
	}
	return &exitError{code: code, err: fmt.Errorf("interrupted: session %s is saved; resume it with propose resume %s", info.ID, info.ID)}
}

package tui

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/editor"

	"propose/interview"
	"propose/proposal"
	"propose/templates"
)

// The messages the Cmds below send back. Every call that may block (the
// engine's answers, reviews and exports, the store, files) runs in a Cmd and
// comes back as one of these; Update alone changes the model.
type (
	// sessionOpenedMsg: an engine is ready on a session.
	sessionOpenedMsg struct {
		eng    *interview.Engine
		notice string
		snap   snapshot
		err    error
	}
	sessionsLoadedMsg struct {
		list []interview.Summary
		err  error
	}
	sessionDeletedMsg struct {
		id  string
		err error
	}
	startedMsg struct {
		gen int
		err error
	}
	// movedMsg: a command that moves to a question (answer, skip, assume,
	// back, edit) is done. Where it led arrives as the engine's View.
	movedMsg struct {
		gen int
		err error
		// kind says what was done.
		kind string
	}
	// reviewedMsg: a review is done; view is the engine's View after it
	// (applied unless a newer one came first).
	reviewedMsg struct {
		gen  int
		view interview.View
		err  error
	}
	exportedMsg struct {
		gen  int
		path string
		err  error
	}
	closedMsg      struct{ err error }
	editorReadyMsg struct {
		path string
		err  error
	}
	editorExitedMsg struct {
		path string
		err  error
	}
	editorDoneMsg struct {
		text string
		err  error
	}
	flushMsg  struct{}
	reflowMsg struct{ gen int }
	tickMsg   struct{}
)

// snapshot is what the screens show of an engine: the fields of the last
// View applied, under the names the screens read, and the View itself.
type snapshot struct {
	view     interview.View
	info     interview.Info
	progress interview.Progress
	coverage []interview.SectionCoverage
	cover    proposal.Cover
	draft    proposal.Draft
	facts    proposal.Facts
	findings []proposal.Finding
	turns    int
	usage    map[string]interview.Usage
	current  *interview.Question
	readOnly bool
	// drafting are the sections being redrafted as the snapshot was taken.
	drafting []string
	// modelOff says why the model is switched off ("" when in use).
	modelOff string
	// fallbacks are the sections an export now would carry in the standard
	// wording, and why (the export dialog lists them).
	fallbacks []proposal.Fallback
}

// snapshotOf reads a View. The View shares nothing with the engine, so
// neither does the snapshot.
func snapshotOf(v interview.View) snapshot {
	return snapshot{
		view:      v,
		info:      v.Info,
		progress:  v.Progress,
		coverage:  v.Coverage,
		cover:     v.Cover,
		draft:     v.Draft,
		facts:     v.Facts,
		findings:  v.Findings,
		turns:     v.Turns,
		usage:     v.Usage,
		current:   v.Question,
		readOnly:  v.ReadOnly,
		drafting:  v.Drafting(),
		modelOff:  v.ModelOff,
		fallbacks: v.Fallbacks,
	}
}

func openedCmd(eng *interview.Engine, notice string) tea.Cmd {
	return func() tea.Msg {
		return sessionOpenedMsg{eng: eng, notice: notice, snap: snapshotOf(eng.View())}
	}
}

// switchCmd closes the open engine (if any), then runs open.
func switchCmd(old *interview.Engine, open func() (*interview.Engine, string, error)) tea.Cmd {
	return func() tea.Msg {
		if old != nil {
			_ = old.Close()
		}
		eng, notice, err := open()
		if err != nil {
			return sessionOpenedMsg{err: err}
		}
		return sessionOpenedMsg{eng: eng, notice: notice, snap: snapshotOf(eng.View())}
	}
}

// openByID opens the saved session id through opts.Open (for switchCmd).
func openByID(opts Options, id string) func() (*interview.Engine, string, error) {
	ctx, open := opts.Context, opts.Open
	return func() (*interview.Engine, string, error) {
		if open == nil {
			return nil, "", errors.New("sessions cannot be opened here")
		}
		eng, info, err := open(ctx, id)
		return eng, info.Notice(), err
	}
}

// startOn starts a session on template t through opts.New (for
// switchCmd).
func startOn(opts Options, t *templates.Template) func() (*interview.Engine, string, error) {
	ctx, create := opts.Context, opts.New
	return func() (*interview.Engine, string, error) {
		if create == nil {
			return nil, "", errors.New("new sessions cannot be started here")
		}
		eng, err := create(ctx, t)
		return eng, "", err
	}
}

func loadSessionsCmd(s Sessions) tea.Cmd {
	return func() tea.Msg {
		if s == nil {
			return sessionsLoadedMsg{}
		}
		list, err := s.List()
		return sessionsLoadedMsg{list: list, err: err}
	}
}

func deleteSessionCmd(s Sessions, id string) tea.Cmd {
	return func() tea.Msg {
		return sessionDeletedMsg{id: id, err: s.Delete(id)}
	}
}

func startCmd(ctx context.Context, gen int, e *interview.Engine) tea.Cmd {
	return func() tea.Msg {
		return startedMsg{gen: gen, err: e.Start(ctx)}
	}
}

// moveCmd runs a command that moves to a question; the question itself
// arrives with the engine's next View.
func moveCmd(gen int, kind string, f func() error) tea.Cmd {
	return func() tea.Msg {
		return movedMsg{gen: gen, err: f(), kind: kind}
	}
}

func reviewCmd(ctx context.Context, gen int, e *interview.Engine) tea.Cmd {
	return func() tea.Msg {
		_, err := e.Review(ctx) // the findings are in the View
		return reviewedMsg{gen: gen, view: e.View(), err: err}
	}
}

func exportCmd(gen int, e *interview.Engine, req interview.ExportRequest) tea.Cmd {
	return func() tea.Msg {
		if rest, ok := strings.CutPrefix(req.Path, "~/"); ok {
			if home, err := os.UserHomeDir(); err == nil {
				req.Path = filepath.Join(home, rest)
			}
		}
		path, err := e.Export(req)
		return exportedMsg{gen: gen, path: path, err: err}
	}
}

func cancelDraftsCmd(e *interview.Engine) tea.Cmd {
	return func() tea.Msg {
		e.CancelDrafts()
		return nil
	}
}

func retryCmd(e *interview.Engine, ids []string) tea.Cmd {
	return func() tea.Msg {
		for _, id := range ids {
			e.RetrySection(id)
		}
		return nil
	}
}

// retryModelCmd switches the model on again after it was switched off.
func retryModelCmd(e *interview.Engine) tea.Cmd {
	return func() tea.Msg {
		e.RetryModel()
		return nil
	}
}

func closeCmd(e *interview.Engine) tea.Cmd {
	return func() tea.Msg {
		if e == nil {
			return closedMsg{}
		}
		return closedMsg{err: e.Close()}
	}
}

// editorCmd writes the answer to a temporary file and builds the command
// that opens it in the user's editor ($EDITOR, through
// charmbracelet/x/editor) at the line the cursor was on; Update then gives
// the editor the terminal until it exits (editorOpenMsg).
func editorCmd(text string, line int) tea.Cmd {
	return func() tea.Msg {
		f, err := os.CreateTemp("", "propose-answer-*.md")
		if err != nil {
			return editorReadyMsg{err: err}
		}
		_, err = f.WriteString(text)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		path := f.Name()
		var c *exec.Cmd
		if err == nil {
			c, err = editorCommand(path, line)
		}
		if err != nil {
			_ = os.Remove(path)
			return editorReadyMsg{path: path, err: err}
		}
		return editorOpenMsg{cmd: c, path: path}
	}
}

// editorCommand is the editor's command line for path: $VISUAL, else
// $EDITOR (either may carry arguments), else nano, opened at line.
func editorCommand(path string, line int) (*exec.Cmd, error) {
	if v := strings.TrimSpace(os.Getenv("VISUAL")); v != "" && os.Getenv("EDITOR") != v {
		// x/editor reads $EDITOR only; $VISUAL comes first, as git and
		// most terminal tools have it.
		os.Setenv("EDITOR", v)
	}
	return editor.Command("propose", path, editor.LineNumber(line))
}

// readAnswerCmd reads the answer back once the editor exits, and removes
// the file. When the editor failed, the box keeps what it had.
func readAnswerCmd(path string, editErr error) tea.Cmd {
	return func() tea.Msg {
		defer os.Remove(path)
		if editErr != nil {
			return editorDoneMsg{err: editErr}
		}
		b, err := os.ReadFile(path)
		return editorDoneMsg{text: strings.TrimRight(string(b), "\n"), err: err}
	}
}

// timer returns a Cmd that sends msg after d. Tests replace it to run
// timers at once.
type timer func(d time.Duration, msg tea.Msg) tea.Cmd

// realTimer waits on a real clock; it gives up when life ends (the program
// exited), so no timer outlives the program.
func realTimer(life context.Context) timer {
	return func(d time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
				return msg
			case <-life.Done():
				return nil
			}
		}
	}
}

// The timers the model uses: the draft's throttled flush (at most about 20
// renders a second while text streams), the settle time after a resize, and
// the status bar's clock.
const (
	flushEvery  = 50 * time.Millisecond
	reflowAfter = 80 * time.Millisecond
	clockEvery  = time.Second
	// bgWait is how long the first frame waits for the terminal to say its
	// background; most answer within milliseconds, some never do.
	bgWait = 150 * time.Millisecond
)

// bgWaitMsg ends the wait for the terminal's background.
type bgWaitMsg struct{}

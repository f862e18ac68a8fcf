package tui

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"propose/interview"
)

// probe wraps the model in a running program and keeps the last screen it
// drew, so a test can wait for what a person would see.
type probe struct {
	m      *Model
	screen *atomic.Value
}

func (p probe) Init() tea.Cmd { return p.m.Init() }
func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.m.Update(msg)
	return p, cmd
}
func (p probe) View() tea.View {
	v := p.m.View()
	p.screen.Store(plain(v.Content))
	return v
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String is everything written so far.
func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// program is a running propose interface fed through a pipe as a terminal
// would feed it: bytes, not messages.
type program struct {
	t      *testing.T
	in     *io.PipeWriter
	screen atomic.Value
	done   chan error
	// out is what the program wrote to the terminal.
	out *lockedBuffer
}

func startProgram(t *testing.T, opts Options, w, h int) *program {
	t.Helper()
	pr, pw := io.Pipe()
	p := &program{t: t, in: pw, done: make(chan error, 1), out: &lockedBuffer{}}
	p.screen.Store("")
	m := New(opts)
	go func() {
		p.done <- run(m, func(m *Model) tea.Model { return probe{m: m, screen: &p.screen} },
			tea.WithInput(pr), tea.WithOutput(p.out), tea.WithWindowSize(w, h),
			tea.WithColorProfile(colorprofile.Ascii), tea.WithoutSignals())
		pr.Close()
	}()
	return p
}

func (p *program) send(s string) {
	p.t.Helper()
	if _, err := io.WriteString(p.in, s); err != nil {
		p.t.Fatal(err)
	}
}

func (p *program) now() string { return p.screen.Load().(string) }

// waitFor waits until the screen satisfies ok.
func (p *program) waitFor(what string, ok func(string) bool) string {
	p.t.Helper()
	var shown string
	if !waitUntil(15*time.Second, func() bool { shown = p.now(); return ok(shown) }, nil) {
		p.t.Fatalf("waiting for %s; the screen is:\n%s", what, shown)
	}
	return shown
}

func (p *program) waitText(text string) string {
	p.t.Helper()
	return p.waitFor(text, func(s string) bool { return strings.Contains(s, text) })
}

func (p *program) wait() error {
	p.t.Helper()
	select {
	case err := <-p.done:
		return err
	case <-time.After(15 * time.Second):
		p.t.Fatalf("the program did not exit; the screen is:\n%s", p.now())
	}
	return nil
}

var answeredRE = regexp.MustCompile(`(\d+) of \d+ answered`)

func answeredCount(s string) string {
	if m := answeredRE.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// breadcrumb is the "Section › Label" line of the interview pane.
func breadcrumb(screen string) string {
	lines := strings.Split(left(screen), "\n")
	if len(lines) < 2 {
		return ""
	}
	return strings.TrimSpace(answeredRE.ReplaceAllString(lines[1], ""))
}

// answerOf picks the sample answer for the question on screen, by its
// breadcrumb ("Section › Label", or the section alone when they agree).
func answerOf(t *testing.T, screen string) string {
	lines := strings.Split(left(screen), "\n")
	if len(lines) < 2 {
		return answerFor("")
	}
	crumb := strings.TrimSpace(answeredRE.ReplaceAllString(lines[1], ""))
	sec, label, ok := strings.Cut(crumb, " › ")
	tp := consulting(t)
	for _, ts := range tp.Sections {
		if ts.Title != sec {
			continue
		}
		for _, f := range ts.Fields {
			if (ok && f.Label == label) || (!ok && (f.Label == sec || f.Label == "")) {
				return answerFor(f.ID)
			}
		}
		if !ok && len(ts.Fields) > 0 {
			return answerFor(ts.Fields[0].ID)
		}
	}
	return answerFor("")
}

// TestProgramInterviewExportResume runs the whole program on a pipe: a new
// consulting proposal answered from the first question to the last, exported
// to Markdown, then quit; opened again, the same question and draft are back.
func TestProgramInterviewExportResume(t *testing.T) {
	var defaults []string
	for _, sec := range consulting(t).Sections {
		for _, f := range sec.Fields {
			if f.Default != "" {
				defaults = append(defaults, f.Question[:min(len(f.Question), 30)])
			}
		}
	}
	// offered names the default-offering question on the screen, or "".
	offered := func(s string) string {
		for _, q := range defaults {
			if strings.Contains(s, q) {
				return q
			}
		}
		return ""
	}
	offersDefault := func(s string) bool { return offered(s) != "" }
	st := openStore(t)
	out := t.TempDir()
	opts := options(t, st, nil)
	opts.Start = StartTemplates
	opts.Now = time.Now
	var exited []ExitInfo
	opts.Exited = func(e ExitInfo) { exited = append(exited, e) }
	p := startProgram(t, opts, 120, 36)

	p.waitText("Start a new proposal")
	p.send("\r") // the consulting template is preselected
	p.waitText("What title should the proposal carry")

	for i := 0; i < 80; i++ {
		s := p.waitFor("a question or the end", func(s string) bool {
			return strings.Contains(s, "Every question has an answer.") || strings.Contains(s, "Follow-up") ||
				strings.Contains(s, "Type your answer…") || offersDefault(s) || strings.Contains(s, "Other…")
		})
		if strings.Contains(s, "Every question has an answer.") {
			break
		}
		before := answeredCount(s)
		if strings.Contains(s, "Follow-up") {
			p.send("\x13") // ctrl+s: skip the follow-up
			p.waitFor("the follow-up to go", func(s string) bool { return !strings.Contains(s, "Follow-up") })
			continue
		}
		if q := offered(s); q != "" {
			// The box offers the field's default (today's date, a validity
			// period): Enter accepts it. Wait for the question itself to go,
			// not just the count: the count can change a frame earlier.
			p.send("\r")
			p.waitFor("the default to be taken", func(s string) bool {
				return answeredCount(s) != before && !strings.Contains(s, q)
			})
			continue
		}
		if strings.Contains(s, "Other…") {
			// A choice question's list: Enter takes the first choice.
			crumb := breadcrumb(s)
			p.send("\r")
			p.waitFor("the choice to be taken", func(s string) bool {
				return answeredCount(s) != before && breadcrumb(s) != crumb
			})
			continue
		}
		ans := answerOf(t, s) // a LF in it is ctrl+j: a new line in the box
		p.send(ans)
		p.waitFor("the answer to be typed", func(s string) bool {
			last := ans[strings.LastIndexByte(ans, '\n')+1:]
			return strings.Contains(s, last[:min(len(last), 20)])
		})
		crumb := breadcrumb(s)
		p.send("\r")
		p.waitFor("the next question", func(s string) bool {
			// The count can change a frame before the question does: wait
			// for the question itself (a follow-up keeps the breadcrumb).
			return (answeredCount(s) != before && breadcrumb(s) != crumb) || strings.Contains(s, "Follow-up") ||
				strings.Contains(s, "Every question has an answer.")
		})
	}
	p.waitText("Every question has an answer.")
	p.waitText("## Terms and acceptance") // the draft pane has the last section

	p.send("\x18") // ctrl+x: export
	p.waitText("Export the proposal")
	p.send("\t\x15") // tab to the path, ctrl+u: clear it
	path := filepath.Join(out, "acme.md")
	p.send(path)
	p.waitText("acme.md")
	s := p.now()
	if strings.Contains(s, "blocker") {
		p.send("\t") // to "Export anyway"
		p.send(" ")
	}
	p.send("\r")
	p.waitText("Wrote")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "# Order-to-Cash Turnaround\n") || !strings.Contains(string(data), "## Investment") {
		t.Fatalf("the export is not the proposal:\n%s", data)
	}
	p.send("\r") // close the dialog

	// Go back to the buyer question, then quit: it must be there on resume.
	p.send("\x05") // ctrl+e: earlier answers
	p.waitText("Change an earlier answer")
	p.send("\x1b[B\x1b[B") // down, down: the signatory
	p.send("\r")
	p.waitText("Who will sign the proposal")
	before := p.now()
	p.send("\x03") // ctrl+c: save and quit
	if err := p.wait(); err != nil {
		t.Fatal(err)
	}

	list, err := st.List()
	if err != nil || len(list) != 1 {
		t.Fatalf("want one saved session, got %v (%v)", list, err)
	}
	// On exit the caller hears which session was saved, to say how to resume it.
	if len(exited) != 1 || exited[0].ID != list[0].ID || exited[0].Title != "Order-to-Cash Turnaround" ||
		exited[0].Progress.Answered == 0 {
		t.Fatalf("exit reported %+v, want the saved session %s", exited, list[0].ID)
	}
	eng, _, err := opts.Open(t.Context(), list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	wantMD := eng.Markdown()
	if cur := eng.View().Question; cur == nil || cur.Field != "buyer" {
		t.Fatalf("the saved session is at %+v, not the buyer question", cur)
	}
	opts.Engine = eng
	p2 := startProgram(t, opts, 120, 36)
	after := p2.waitText("Who will sign the proposal")
	p2.waitText("Maria Jensen, Chief Operating Officer")
	if left(after) != left(before) {
		t.Errorf("the question on resume differs:\nbefore:\n%s\nafter:\n%s", left(before), left(after))
	}
	if !strings.Contains(after, "Order-to-Cash Turnaround") || !strings.Contains(after, "## Situation") {
		t.Errorf("the draft is not back:\n%s", after)
	}
	p2.send("\x03")
	if err := p2.wait(); err != nil {
		t.Fatal(err)
	}
	eng2, _, err := opts.Open(t.Context(), list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	defer eng2.Close()
	if eng2.Markdown() != wantMD {
		t.Error("the draft changed across quit and resume")
	}
	_ = interview.ErrLocked
}

// left is the interview pane of a side-by-side screen, minus the status
// lines (which hold the time since the last save).
func left(screen string) string {
	var b strings.Builder
	lines := strings.Split(screen, "\n")
	for _, l := range lines[:max(len(lines)-2, 0)] {
		if i := strings.Index(l, "│"); i >= 0 {
			l = l[:i]
		}
		b.WriteString(strings.TrimRight(l, " ") + "\n")
	}
	return b.String()
}

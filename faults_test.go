package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"propose/interview"
	"propose/llm/llmtest"
	"propose/proposal/pdf/pdftest"
)

// screenBuffer is the terminal the interface draws on in a test.
type screenBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *screenBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// since is what was drawn after the first n bytes, without escape sequences
// or white space (the renderer moves the cursor over blanks rather than
// writing them). The window is narrow, so the interview has the whole width
// and its lines come out whole when the screen is drawn afresh.
func (s *screenBuffer) since(n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return squeeze(ansi.Strip(s.b.String()[min(n, s.b.Len()):]))
}

func (s *screenBuffer) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// waitFor polls until ok holds, or fails the test after a while.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		if ok() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// keyLeaks says where the key, or a telling piece of it, is in s.
func keyLeaks(s string) string {
	for _, piece := range []string{mainTestKey, "PROPOSE-main", "7b1e44c2a9"} {
		if i := strings.Index(s, piece); i >= 0 {
			return s[max(0, i-60):min(len(s), i+60)]
		}
	}
	return ""
}

// TestFault11KeyNeverWrittenAfterAPIErrors runs propose as a consultant
// would, against a server that fails every way it can and quotes the key
// back each time: a headless run, the interface (answers, a review, a
// Markdown export through the dialog, quit) and a PDF export from the
// command line. Every request carries the key; afterwards no session file,
// backup, lock, log, export (the PDF read back as text), output or screen
// holds it, the log did record the failures, and every answer is saved.
func TestFault11KeyNeverWrittenAfterAPIErrors(t *testing.T) {
	data := setup(t)
	t.Setenv("OPENAI_API_KEY", mainTestKey)
	echo := func(x *llmtest.Exchange) string {
		return strings.TrimPrefix(x.R.Header.Get("Authorization"), "Bearer ")
	}
	var interviewer, drafter, reviewer atomic.Int32
	withServer(t, llmtest.StepFunc(func(x *llmtest.Exchange) {
		if echo(x) != mainTestKey {
			t.Errorf("a request went out without the key: %q", echo(x))
		}
		switch {
		case x.Req.Stream: // the drafter: an error object inside the stream, or a 500
			if drafter.Add(1)%2 == 1 {
				llmtest.StreamError("We propose ", "server_error", "", "bad key "+echo(x)).Serve(x)
				return
			}
			llmtest.Status(500, "server_error", "", "upstream refused key {key}").Header("Retry-After", "0").Serve(x)
		case strings.Contains(x.Req.LastUser(), "Just asked ("): // the interviewer: 500s, then a 401
			if interviewer.Add(1) <= 3 {
				llmtest.Status(500, "server_error", "", "upstream refused key {key}").Header("Retry-After", "0").Serve(x)
				return
			}
			llmtest.Unauthorized().Serve(x)
		default: // the reviewer
			reviewer.Add(1)
			llmtest.Unauthorized().Serve(x)
		}
	}))
	outputs := map[string]string{}
	dir := t.TempDir()

	// A headless run records the first answers and saves the session.
	answers := filepath.Join(dir, "answers.yaml")
	if err := os.WriteFile(answers, []byte("template: consulting\nanswers:\n"+
		"  title: Order-to-Cash Turnaround\n  client: Acme Components Ltd\n  buyer: Maria Jensen, Chief Operating Officer\n"+
		"  consultant: Northbridge Advisory, Tom Keller\n  date: 2027-01-11\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t, data, "run", "--answers", answers)
	if code != 1 || !strings.Contains(stderr, "uses the standard wording") || !strings.Contains(stderr, "review blockers remain") {
		t.Errorf("run: exit %d, want 1 for the blockers and a warning for the failed drafts\n%s\n%s", code, stdout, stderr)
	}
	outputs["run stdout"], outputs["run stderr"] = stdout, stderr
	st, err := interview.OpenStore(data)
	if err != nil {
		t.Fatal(err)
	}
	id := loadOnly(t, data).ID
	load := func() *interview.Session {
		s, _, err := st.Load(id)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	// The interface, on that session, through a pipe.
	in, keys := io.Pipe()
	screen := &screenBuffer{}
	programOptions = []tea.ProgramOption{tea.WithInput(in), tea.WithOutput(screen), tea.WithWindowSize(90, 30),
		tea.WithColorProfile(colorprofile.Ascii), tea.WithoutSignals()}
	t.Cleanup(func() { programOptions = nil })
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, stdout, stderr := cli(t, data, "resume", id)
		in.Close()
		done <- result{code, stdout, stderr}
	}()
	send := func(s string) {
		t.Helper()
		if _, err := io.WriteString(keys, s); err != nil {
			t.Fatal(err)
		}
	}
	// onScreen waits until text is on screen. Frames after the first only
	// draw what changed, so it asks for the screen afresh (a terminal's
	// in-band size report makes the program draw all of it) and reads what
	// was drawn after.
	onScreen := func(what, text string) {
		t.Helper()
		text = squeeze(text)
		mark := 0
		waitFor(t, what, func() bool {
			if strings.Contains(screen.since(mark), text) {
				return true
			}
			mark = screen.len()
			send("\x1b[8;30;90t")
			time.Sleep(50 * time.Millisecond)
			return strings.Contains(screen.since(mark), text)
		})
	}
	typed := map[string]string{}
	for i := 0; i < 2; i++ {
		q := load().Pending
		if q == nil {
			t.Fatal("the session has no question waiting")
		}
		answer := "Answer " + q.Field + ": order to cash grew from 38 to 61 days; cut it to 40 by 30 September 2027."
		typed[q.Field] = answer
		onScreen("the question", q.Text)
		send(answer + "\r")
		waitFor(t, "the answer to be saved", func() bool {
			s := load()
			return s.Facts.Value(q.Field) == answer && s.Pending != nil && s.Pending.Field != q.Field
		})
	}
	onScreen("the next question", load().Pending.Text)
	send("\x12") // ctrl+r: the review
	waitFor(t, "the review", func() bool { return !load().Reviewed.IsZero() && reviewer.Load() > 0 })
	if err := os.Mkdir(filepath.Join(dir, "exports"), 0o700); err != nil {
		t.Fatal(err)
	}
	mdPath := filepath.Join(dir, "exports", "proposal.md")
	send("\x18\t\x15" + mdPath + "\r") // ctrl+x, tab to the path, clear it, type it, export
	send(" \r")                        // blockers remain: tick "Export anyway", export
	waitFor(t, "the Markdown export", func() bool { _, err := os.Stat(mdPath); return err == nil })
	onScreen("the export to be confirmed", "Wrote "+mdPath)
	send("\x03") // ctrl+c
	var r result
	select {
	case r = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the interface did not quit")
	}
	if r.code != 0 {
		t.Errorf("resume: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	outputs["resume stdout"], outputs["resume stderr"], outputs["the screen"] = r.stdout, r.stderr, screen.b.String()

	// A PDF from the command line; opening the session redrafts the failed
	// sections, which fail again.
	pdfPath := filepath.Join(dir, "exports", "proposal.pdf")
	code, stdout, stderr = cli(t, data, "export", id, "--format", "pdf", "--out", pdfPath, "--force")
	if code != 0 {
		t.Errorf("export: exit %d\n%s\n%s", code, stdout, stderr)
	}
	outputs["export stdout"], outputs["export stderr"] = stdout, stderr

	// Every agent failed, each with the key in its reply.
	if interviewer.Load() < 4 || drafter.Load() < 4 || reviewer.Load() < 1 {
		t.Errorf("requests: interviewer %d, drafter %d, reviewer %d", interviewer.Load(), drafter.Load(), reviewer.Load())
	}
	for name, s := range outputs {
		if leak := keyLeaks(s); leak != "" {
			t.Errorf("the key is in %s: …%s…", name, leak)
		}
		if leak := keyLeaks(ansi.Strip(s)); leak != "" {
			t.Errorf("the key is in %s: …%s…", name, leak)
		}
	}
	files := 0
	for _, root := range []string{data, filepath.Join(dir, "exports")} {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files++
			text := string(b)
			if strings.HasSuffix(path, ".pdf") {
				if text, err = pdftest.Text(b); err != nil {
					return err
				}
				if leak := keyLeaks(string(b)); leak != "" {
					t.Errorf("the key is in the bytes of %s", filepath.Base(path))
				}
			}
			if leak := keyLeaks(text); leak != "" {
				t.Errorf("the key is in %s: …%s…", filepath.Base(path), leak)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	// The files checked are the ones that matter, and the log recorded the
	// failures (with the key redacted) rather than nothing.
	for _, name := range []string{id + ".json", id + ".json.bak", "propose.log"} {
		if _, err := os.Stat(filepath.Join(data, name)); err != nil {
			t.Errorf("%s was not written: %v", name, err)
		}
	}
	log, _ := os.ReadFile(filepath.Join(data, "propose.log"))
	if !strings.Contains(string(log), "level=ERROR") || !strings.Contains(string(log), "[redacted]") {
		t.Errorf("the log did not record the failures:\n%s", log)
	}
	t.Logf("%d files checked; the log:\n%s", files, log)

	// Nothing answered was lost.
	s := load()
	for field, want := range typed {
		if got := s.Facts.Value(field); got != want {
			t.Errorf("%s saved as %q", field, got)
		}
	}
	if s.Facts.Value("client") != "Acme Components Ltd" || len(s.Turns) < 7 {
		t.Errorf("the headless answers were lost: %d turns", len(s.Turns))
	}
}

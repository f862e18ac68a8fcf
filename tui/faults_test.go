package tui

// The fault suite (issue 6), the cases that run through the interface: what
// the user sees when things go wrong, and that nothing they submitted is
// lost. Items 1-4, 6 and 7 live beside the store, the exporters and the
// templates; item 11 beside main.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"go.uber.org/goleak"

	"propose/interview"
	"propose/llm"
	"propose/llm/llmtest"
	"propose/proposal"
	"propose/proposal/pdf/pdftest"
)

// The payloads of the hostile sequences below: none may be seen anywhere.
var hostilePayloads = []string{"PWNED-TITLE", "evil.example", "UFdORUQtQ0xJUA==", "PWNED-DCS"}

// hostile wraps words a person should see in every kind of sequence a
// terminal acts on: clear screen and cursor home (CSI), window title (OSC
// 0), hyperlink (OSC 8), clipboard write (OSC 52), a device control string
// (DCS), an 8-bit CSI, and a right-to-left override (the sixth and seventh
// word of a text are wrapped in it: "tnuocsid" would read as "discount").
func hostile(words ...string) string {
	seqs := []string{
		"\x1b[2J\x1b[H",
		"\x1b]0;PWNED-TITLE\x07",
		"\x1b]8;;https://evil.example/brief\x1b\\",
		"\x1b]8;;\x1b\\",
		"\x1b]52;c;UFdORUQtQ0xJUA==\x07",
		"\u202e",
		"\u202c",
		"\x1bP1$qPWNED-DCS\x1b\\",
		"\u009b2J",
	}
	var b strings.Builder
	for i, w := range words {
		b.WriteString(w)
		b.WriteString(seqs[i%len(seqs)])
	}
	return b.String()
}

// checkInert fails if s holds anything a terminal would act on rather than
// show: an escape sequence other than the colours the interface draws with
// (SGR, ESC [ ... m), another control character, a bidi control, or one of
// the hostile payloads.
func checkInert(t testing.TB, where, s string) {
	t.Helper()
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b:
			j := i + 1
			if j < len(s) && s[j] == '[' {
				j++
				for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
					j++
				}
				if j < len(s) && s[j] == 'm' {
					i = j + 1
					continue
				}
			}
			t.Fatalf("%s: an escape sequence other than a colour at byte %d: %q", where, i, s[i:min(i+24, len(s))])
		case r == '\n':
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			t.Fatalf("%s: control character %U at byte %d: %q", where, r, i, s[max(0, i-20):min(i+20, len(s))])
		case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c:
			t.Fatalf("%s: bidi control %U at byte %d: %q", where, r, i, s[max(0, i-20):min(i+20, len(s))])
		}
		i += size
	}
	for _, p := range hostilePayloads {
		if strings.Contains(s, p) {
			t.Fatalf("%s: the payload %q is there", where, p)
		}
	}
}

// checkFrame checks a whole frame: the screen and the window title.
func checkFrame(t testing.TB, v tea.View) {
	t.Helper()
	checkInert(t, "the screen", v.Content)
	checkInert(t, "the window title", v.WindowTitle)
}

// checkExports writes the proposal as Markdown and PDF and checks that
// neither holds an escape, a bidi control or a payload, and that both hold
// every phrase in want.
func checkExports(t *testing.T, e *interview.Engine, want ...string) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range proposal.Formats {
		path, err := e.Export(interview.ExportRequest{Format: f, Path: filepath.Join(dir, "out."+f.ID), IgnoreBlockers: true})
		if err != nil {
			t.Fatalf("export %s: %v", f.ID, err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if f.ID == "pdf" {
			// The body is compressed: read back what a reader sees.
			if text, err = pdftest.Text(data); err != nil {
				t.Fatal(err)
			}
			for _, p := range hostilePayloads {
				if strings.Contains(string(data), p) {
					t.Fatalf("the PDF's bytes hold the payload %q", p)
				}
			}
		}
		checkInert(t, "the "+f.Name+" export", text)
		if strings.Contains(text, "\x1b") {
			t.Fatalf("the %s export holds an ESC", f.Name)
		}
		flat := strings.Join(strings.Fields(text), " ")
		for _, w := range want {
			if !strings.Contains(flat, w) {
				t.Errorf("the %s export lost %q", f.Name, w)
			}
		}
	}
}

// answerTo answers the questions with the sample answers, skipping
// follow-ups, until field is asked.
func answerTo(t *testing.T, hs *harness, field string) {
	t.Helper()
	for i := 0; i < 40; i++ {
		asks, follow := asked(t, hs), followUp(hs)
		if asks == "" {
			t.Fatalf("the interview ended before %s:\n%s", field, hs.screen())
		}
		if asks == field && !follow {
			return
		}
		if follow {
			hs.press("ctrl+s")
			continue
		}
		hs.answer(answerFor(asks))
	}
	t.Fatalf("%s was never asked", field)
}

// TestFault05EscapesInPastesRenderInert: answers pasted with escape
// sequences and bidi overrides show as their plain words in the answer box,
// the draft, the status bar and the window title, are saved as shown, and
// reach neither the Markdown nor the PDF export.
func TestFault05EscapesInPastesRenderInert(t *testing.T) {
	st := openStore(t)
	hs := newHarness(t, options(t, st, newEngine(t, st, "fa017005")), 140, 40)
	hs.onView = func(v tea.View) { checkFrame(t, v) }

	title := hostile("Order-to-Cash", " Turnaround")
	hs.send(tea.PasteMsg{Content: title})
	if got, want := boxText(hs), proposal.Sanitize(title); got != want {
		t.Fatalf("the box holds %q, want the words alone: %q", got, want)
	}
	hs.press("enter")

	answerTo(t, hs, "situation")
	situation := hostile("Acme ships 14,000 orders a month", " from two plants. Since the ERP migration",
		" order-to-cash has grown from 38 to 61 days (see", " the brief", "). Disputed invoices have doubled;",
		" the ", "tnuocsid", " terms were never applied.", " Cash is", " tight.")
	hs.send(tea.PasteMsg{Content: situation})
	shown := proposal.Sanitize(situation)
	if got := boxText(hs); squeeze(got) != squeeze(shown) {
		t.Fatalf("the box shows %q, want the words alone: %q", got, shown)
	}
	t.Run("box", func(t *testing.T) { golden.RequireEqual(t, hs.screen()) })

	hs.press("enter")
	if !strings.Contains(hs.screen(), "Acme ships 14,000 orders a month from two plants.") {
		t.Fatalf("the draft does not show the pasted words:\n%s", hs.screen())
	}
	t.Run("draft", func(t *testing.T) { golden.RequireEqual(t, hs.screen()) })

	s, _, err := st.Load("fa017005")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Facts.Value("title"); got != "Order-to-Cash Turnaround" {
		t.Errorf("title saved as %q", got)
	}
	if got := s.Facts.Value("situation"); got != strings.TrimSpace(shown) {
		t.Errorf("situation saved as %q, want what the box showed: %q", got, shown)
	}
	checkExports(t, hs.m.Engine(), "Order-to-Cash Turnaround", "Acme ships 14,000 orders a month from two plants.",
		"the tnuocsid terms were never applied.")

	// Nor does the copy to the clipboard (ctrl+y) carry them.
	_, cmd := hs.m.Update(keyMsg("ctrl+y"))
	clip := fmt.Sprint(cmd())
	checkInert(t, "the clipboard", clip)
	if !strings.Contains(clip, "Acme ships 14,000 orders a month from two plants.") {
		t.Errorf("the clipboard lacks the pasted words:\n%s", clip)
	}
}

// faultModel is the name the fake server's model goes by in the status bar.
const faultModel = "fault-model"

// llmEngine opens an engine whose drafter (and reviewer) is a model behind
// the fake server; the interviewer is the offline one, so the questions are
// the template's. The session is seeded with the sample answers to fields
// and waits at the question for next.
func llmEngine(t *testing.T, st *interview.Store, id string, step llmtest.Step, fields []string, next string) (*interview.Engine, *llmtest.Server, *llm.Client) {
	t.Helper()
	t.Setenv("OPENAI_API_KEY", "")
	srv := llmtest.New(t)
	srv.Otherwise(step)
	client, err := llm.New(llm.Config{BaseURL: srv.URL(), Model: faultModel, Timeouts: llm.Timeouts{Idle: time.Minute}},
		llm.WithSleep(func(ctx context.Context, _ time.Duration) error { return ctx.Err() }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	tp := consulting(t)
	s := interview.NewSession(tp, clock)
	s.ID = id
	for i, f := range fields {
		s.Facts[f] = proposal.Fact{Field: f, Value: answerFor(f), Origin: proposal.Stated, Turn: i + 1, At: clock}
		s.Turns = append(s.Turns, interview.Turn{N: i + 1, Field: f, Answer: answerFor(f), Kind: interview.Answered, At: clock})
	}
	s.Pending = interview.QuestionFor(tp, s.Facts, next)
	lock, err := st.Lock(id)
	if err != nil {
		t.Fatal(err)
	}
	cfg := interview.LLMConfig(client, nil)
	cfg.Interviewer = nil
	cfg.Drafter.(*proposal.LLMDrafter).Now = fixedNow
	cfg.Model = faultModel
	cfg.Store, cfg.Lock, cfg.Events, cfg.Now = st, lock, true, fixedNow
	return interview.Open(tp, s, cfg), srv, client
}

// coverFields are the questions before the situation.
var coverFields = []string{"title", "client", "buyer", "consultant", "date"}

// sectionOf is the section a drafting request is for.
func sectionOf(x *llmtest.Exchange) string {
	_, rest, _ := strings.Cut(x.Req.LastUser(), `Write the section "`)
	title, _, _ := strings.Cut(rest, `"`)
	return title
}

// TestFault05EscapesInModelOutputRenderInert: a drafter streaming text full
// of escape sequences, cut into pieces that split them, never draws one:
// not while it streams, not when done; the finished section keeps its words
// and neither export holds a sequence. Server text shown as a notice is
// cleaned the same way.
func TestFault05EscapesInModelOutputRenderInert(t *testing.T) {
	prose := hostile("We will trace 200 orders", " from order to cash", " and rank every delay by its cost (see",
		" our method", "). The review covers both plants;", " the ", "tnuocsid", " rules are checked first.", " Then",
		" we report.")
	step := llmtest.StepFunc(func(x *llmtest.Exchange) {
		if !x.Req.Stream {
			llmtest.JSON(map[string]any{"findings": []any{}}).Serve(x)
			return
		}
		if sectionOf(x) == "Situation" {
			llmtest.Reply(prose).Chunk(5).Serve(x)
			return
		}
		llmtest.Reply("We set out below what this part of the work involves.").Chunk(16).Serve(x)
	})
	st := openStore(t)
	eng, _, _ := llmEngine(t, st, "fa017105", step, coverFields, "situation")
	hs := newHarness(t, options(t, st, eng), 140, 40)
	frames := 0
	hs.onView = func(v tea.View) { frames++; checkFrame(t, v) }

	hs.answer(sample["situation"])
	want := strings.TrimSpace(proposal.Sanitize(prose))
	s, _, err := st.Load("fa017105")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Draft.Section("situation").Body; got != want {
		t.Fatalf("the section saved as %q, want the model's words: %q", got, want)
	}
	if s.Facts.Value("situation") != sample["situation"] {
		t.Errorf("the answer was not saved whole: %q", s.Facts.Value("situation"))
	}
	if !strings.Contains(hs.screen(), "We will trace 200 orders from order to cash and rank every delay") {
		t.Fatalf("the section is not on screen:\n%s", hs.screen())
	}
	golden.RequireEqual(t, hs.screen())
	t.Logf("%d frames checked", frames)
	checkExports(t, hs.m.Engine(), "We will trace 200 orders from order to cash", "the tnuocsid rules are checked first.")

	// What a server says comes back as a notice; it is shown cleaned.
	notice := hostile("The server said:", " the key was refused.")
	eng.Post(interview.NoticeEvent{Text: notice})
	hs.settle()
	if !strings.Contains(hs.screen(), "The server said: the key was refused.") {
		t.Fatalf("the notice is not shown:\n%s", hs.screen())
	}
}

// TestFault08TinyTerminalsAndResizeStorm: at 0x0, 1x1 and 20x5 nothing
// panics, nothing is drawn past the edges, the tiny one says so and keys
// typed meanwhile go nowhere; a storm of resizes never panics or overflows,
// and 200 resizes in a second, debounced by the real timer, cost one render
// per section at the width they settle on. Text typed before it all is still
// in the box and is saved when submitted.
func TestFault08TinyTerminalsAndResizeStorm(t *testing.T) {
	hs := answered(t, 80, 24, 12)
	field := asked(t, hs)
	typed := "Half a sentence, typed before the window went mad"
	hs.typeText(typed)

	for _, c := range []struct {
		w, h int
		see  string
	}{{0, 0, ""}, {1, 1, "T"}, {20, 5, "Terminal too small"}} {
		hs.send(tea.WindowSizeMsg{Width: c.w, Height: c.h})
		hs.settle()
		hs.press("x", "enter", "tab", "ctrl+r", "esc") // nothing is typed, submitted or opened
		v := hs.m.View().Content
		checkFits(t, v, c.w, c.h)
		if c.see == "" && v != "" {
			t.Errorf("%dx%d: drew %q", c.w, c.h, v)
		}
		if !strings.Contains(plain(v), c.see) {
			t.Errorf("%dx%d: %q is not shown:\n%s", c.w, c.h, c.see, plain(v))
		}
	}

	sizes := [][2]int{{0, 0}, {1, 1}, {0, 40}, {200, 0}, {39, 11}, {40, 12}, {99, 30}, {100, 30}, {3, 200}, {300, 100}}
	for i := 0; i < 300; i++ {
		s := sizes[i%len(sizes)]
		hs.send(tea.WindowSizeMsg{Width: s[0] + i%7, Height: s[1] + i%5})
		checkFits(t, hs.m.View().Content, s[0]+i%7, s[1]+i%5)
	}
	for _, s := range sizes {
		hs.send(tea.WindowSizeMsg{Width: s[0], Height: s[1]})
		hs.settle()
		for _, k := range []string{"tab", "f1", "esc", "ctrl+g", "esc", "ctrl+x", "esc", "ctrl+r", "esc"} {
			hs.press(k)
			checkFits(t, hs.m.View().Content, s[0], s[1])
		}
	}
	hs.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	hs.settle()

	// 200 resizes in a second, through the timer the program uses: the
	// draft is laid out again once, when the size settles.
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	hs.m.after = realTimer(ctx)
	renders := hs.m.dp.r.renders
	var slowest time.Duration
	// pauses counts gaps between resizes longer than the debounce (a busy
	// machine): each may fairly cost one more layout.
	pauses := 0
	start, last := time.Now(), time.Now()
	for i := 0; i < 200; i++ {
		t0 := time.Now()
		if t0.Sub(last) > reflowAfter {
			pauses++
		}
		last = t0
		hs.send(tea.WindowSizeMsg{Width: 100 + i%50, Height: 30 + i%10})
		slowest = max(slowest, time.Since(t0))
		for drained := false; !drained; {
			select {
			case msg := <-hs.msgs:
				hs.handle(msg)
			default:
				drained = true
			}
		}
		time.Sleep(time.Until(start.Add(time.Duration(i+1) * 5 * time.Millisecond)))
	}
	storm := time.Since(start)
	hs.settle()
	shown := 0
	for _, s := range hs.m.dp.secs {
		if len(s.lines) > 0 {
			shown++
		}
	}
	got := hs.m.dp.r.renders - renders
	t.Logf("200 resizes in %v (%d pauses): %d glamour renders for %d sections; slowest resize %v", storm, pauses, got, shown, slowest)
	if got > shown*(1+pauses) {
		t.Errorf("200 resizes rendered %d sections, want %d (one render per section, once)", got, shown*(1+pauses))
	}
	if slowest > time.Second {
		t.Errorf("one resize took %v", slowest)
	}
	checkFits(t, hs.m.View().Content, 149, 39)
	if !strings.Contains(hs.screen(), "## Situation") {
		t.Errorf("the draft is not back after the storm:\n%s", hs.screen())
	}

	// Nothing typed was lost, and it is saved when submitted.
	if got := boxText(hs); got != typed {
		t.Fatalf("the box holds %q after the storm, want %q", got, typed)
	}
	hs.press("enter")
	if got := hs.saved("c0ffee01").Facts.Value(field); got != typed {
		t.Fatalf("%s saved as %q", field, got)
	}
}

// timed feeds one message as the program would and returns how long Update
// and View took.
func timed(hs *harness, msg tea.Msg) (update, view time.Duration) {
	start := time.Now()
	_, cmd := hs.m.Update(msg)
	update = time.Since(start)
	start = time.Now()
	_ = hs.m.View()
	view = time.Since(start)
	hs.dispatch(cmd)
	return update, view
}

// TestFault09HugePasteStaysWholeAndResponsive: a 5 MB bracketed paste goes
// into the answer box as a token; taking it in, drawing it, typing after it,
// submitting it and drawing the draft that holds it each cost no more than
// a bound set by a normal keystroke measured here; the text reaches the
// session file whole.
func TestFault09HugePasteStaysWholeAndResponsive(t *testing.T) {
	st := openStore(t)
	hs := newHarness(t, options(t, st, newEngine(t, st, "fa017009")), 80, 24)
	answerTo(t, hs, "situation")

	// A normal keystroke in this box, at this size: the yardstick.
	var keys []time.Duration
	for _, r := range "A normal sentence typed key by key." {
		u, v := timed(hs, tea.KeyPressMsg{Code: r, Text: string(r)})
		keys = append(keys, u+v)
	}
	hs.settle()
	hs.press("ctrl+u")
	if got := boxText(hs); got != "" {
		t.Fatalf("the box was not cleared: %q", got)
	}
	slices.Sort(keys)
	keystroke := keys[len(keys)/2]
	// 50 keystrokes, or 250 ms when a keystroke is quicker than 5 ms: a
	// blink either way. Under the race detector the floor is a second: the
	// engine encoding and reviewing 5 MB beside the screen starves it on a
	// busy two-core machine (CI saw 279 ms, a loaded machine 833 ms), which
	// says nothing about what a user waits for; .ci/run checks this test
	// again without the detector.
	bound := max(50*keystroke, raceSlowdown*250*time.Millisecond)
	t.Logf("a keystroke takes %v; the bound is %v", keystroke, bound)
	check := func(what string, d time.Duration) {
		t.Helper()
		if d > keystroke*5 {
			t.Logf("%s took %v", what, d)
		}
		if d > bound {
			t.Errorf("%s took %v, more than %v (a keystroke takes %v)", what, d, bound, keystroke)
		}
	}

	var b strings.Builder
	for i := 0; b.Len() < 5<<20; i++ {
		fmt.Fprintf(&b, "Line %d of the client's brief: order-to-cash at Müller & Søn grew to 61 days (€4.2m tied up).\n", i)
	}
	text := strings.TrimSpace(b.String())
	u, v := timed(hs, tea.PasteMsg{Content: text})
	check("taking the paste in", u)
	check("drawing the box with the paste", v)
	for _, r := range " And more." {
		u, v := timed(hs, tea.KeyPressMsg{Code: r, Text: string(r)})
		check("a keystroke after the paste", u+v)
	}
	if !strings.Contains(hs.screen(), "[pasted text #1:") || !strings.Contains(hs.screen(), "5.0 MB]") {
		t.Fatalf("the paste is not shown as a token:\n%s", hs.screen())
	}
	want := text + " And more." // whole on disk once submitted (below)

	u, v = timed(hs, keyMsg("enter"))
	check("submitting", u+v)
	hs.slowest = 0
	hs.settle()
	check("the slowest screen after submitting", hs.slowest)
	u, v = timed(hs, keyMsg("a"))
	check("a keystroke on the next question", u+v)
	u, v = timed(hs, keyMsg("tab"))
	check("showing the draft", u+v)
	if !strings.Contains(hs.screen(), "## Situation") || !strings.Contains(hs.screen(), "Line 0 of the client's brief") {
		t.Fatalf("the draft does not show the pasted text:\n%s", hs.screen())
	}
	u, v = timed(hs, keyMsg("G"))
	check("scrolling to the end of the draft", u+v)
	if !strings.Contains(hs.screen(), "more in this section, not shown here; the export has all of it.") {
		t.Errorf("the draft does not say that it shows part of the section:\n%s", hs.screen())
	}

	// Whole on disk, in the fact and in the transcript.
	s, _, err := st.Load("fa017009")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Facts.Value("situation"); got != want {
		t.Fatalf("the session file holds %d bytes of the answer, want %d", len(got), len(want))
	}
	if n := len(s.Turns); n == 0 || s.Turns[n-1].Answer != want {
		t.Fatal("the transcript lost part of the answer")
	}
}

// TestFault10CtrlCDuringStreamedRedraft: Ctrl+C while the drafter streams a
// section (and the stream then stalls) ends the program at once: the stream
// is cancelled, the answer that started it is on disk, the half-written
// section is not, no goroutine is left, and the terminal is given back
// (alternate screen left, cursor shown, paste and mouse modes off).
func TestFault10CtrlCDuringStreamedRedraft(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	var cancelled atomic.Int32
	step := llmtest.StepFunc(func(x *llmtest.Exchange) {
		if !x.Req.Stream {
			llmtest.JSON(map[string]any{"findings": []any{}}).Serve(x)
			return
		}
		if sectionOf(x) != "Situation" {
			llmtest.Reply("We set out below what this part of the work involves.").Chunk(16).Serve(x)
			return
		}
		// Three pieces, then nothing: the client must give up.
		llmtest.Reply("We begin where Acme stands today: orders wait, invoices wait, cash waits.").Chunk(12).StallAfter(3).Serve(x)
		if x.R.Context().Err() != nil {
			cancelled.Add(1)
		}
	})
	st := openStore(t)
	eng, srv, client := llmEngine(t, st, "fa01700a", step, coverFields, "situation")
	p := startProgram(t, options(t, st, eng), 140, 40)
	p.waitText("what is their situation today")
	p.waitFor("the seeded sections to be drafted", func(s string) bool {
		return strings.Contains(s, "## Terms and acceptance") && !strings.Contains(s, "drafting")
	})
	answer := sample["situation"]
	p.send(answer)
	p.waitText("from 38 to 61 days.")
	p.send("\r")
	p.waitFor("the section to stream", func(s string) bool {
		return strings.Contains(s, "drafting Situation") && strings.Contains(s, "We begin where Acme")
	})

	start := time.Now()
	p.send("\x03") // ctrl+c
	if err := p.wait(); err != nil {
		t.Fatalf("the program ended with %v", err)
	}
	took := time.Since(start)
	t.Logf("ctrl+c to exit: %v", took)
	if took > 5*time.Second {
		t.Errorf("quitting waited %v for the stalled stream", took)
	}
	waitUntil(5*time.Second, func() bool { return cancelled.Load() > 0 }, nil)
	if cancelled.Load() != 1 {
		t.Errorf("the server saw %d cancelled streams, want 1", cancelled.Load())
	}

	// The answer is saved; the half-written section is not.
	s, _, err := st.Load("fa01700a")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Facts.Value("situation"); got != answer {
		t.Errorf("the answer saved as %q", got)
	}
	if sec := s.Draft.Section("situation"); strings.Contains(sec.Body, "We begin") || sec.Truncated {
		t.Errorf("the cancelled stream was saved as the section: %+v", sec)
	}
	if s.Pending == nil || s.Pending.Field == "situation" {
		t.Errorf("the next question was not saved: %+v", s.Pending)
	}
	l, err := st.Lock("fa01700a")
	if err != nil {
		t.Fatalf("the session is still locked: %v", err)
	}
	l.Release()

	// The terminal is given back: after the last frame, the alternate
	// screen is left and the cursor shown, and nothing is drawn after that.
	out := p.out.String()
	exit := strings.LastIndex(out, ansi.ResetModeAltScreenSaveCursor)
	if exit < 0 || exit < strings.LastIndex(out, ansi.SetModeAltScreenSaveCursor) {
		t.Fatalf("the program did not leave the alternate screen; its output ends %q", out[max(0, len(out)-200):])
	}
	tail := out[exit:]
	restore := []string{ansi.SetModeTextCursorEnable, ansi.ResetModeBracketedPaste}
	if strings.Contains(out, ansi.SetModeMouseButtonEvent) { // only the draft pane captures the mouse
		restore = append(restore, ansi.ResetModeMouseButtonEvent)
	}
	for _, seq := range restore {
		if !strings.Contains(tail, seq) {
			t.Errorf("%q is not restored on exit; the output ends %q", seq, tail)
		}
	}
	if strings.TrimSpace(ansi.Strip(tail)) != "" {
		t.Errorf("text drawn after leaving the alternate screen: %q", tail)
	}

	client.Close()
	srv.Close()
	goleak.VerifyNone(t, ignore)
}

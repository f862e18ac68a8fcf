package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"propose/interview"
	"propose/proposal"
)

func TestNewlineKeysAndEnterSubmits(t *testing.T) {
	hs := answered(t, 80, 24, 0)
	hs.typeText("line one")
	hs.press("ctrl+j")
	hs.typeText("line two")
	hs.press("alt+enter")
	hs.typeText("three")
	hs.press("shift+enter")
	hs.typeText("four")
	if f := asked(t, hs); f != "title" {
		t.Fatalf("a newline key moved on: %q", f)
	}
	if got := boxText(hs); got != "line one\nline two\nthree\nfour" {
		t.Fatalf("box = %q", got)
	}
	hs.press("enter")
	if f := asked(t, hs); f != "client" {
		t.Fatalf("enter did not submit: %q", f)
	}
	if v := hs.saved("c0ffee01").Facts.Value("title"); v != "line one\nline two\nthree\nfour" {
		t.Fatalf("saved %q", v)
	}
}

func TestSkipBackAndPrefill(t *testing.T) {
	hs := answered(t, 80, 24, 2)
	if asked(t, hs) != "buyer" {
		t.Fatalf("at %s", asked(t, hs))
	}
	hs.press("ctrl+s")
	if asked(t, hs) == "buyer" {
		t.Fatal("skip did not move on")
	}
	hs.press("ctrl+b")
	hs.press("ctrl+b")
	if f := asked(t, hs); f != "client" || boxText(hs) != sample["client"] {
		t.Fatalf("back went to %s with %q", f, boxText(hs))
	}
	if !strings.Contains(hs.screen(), sample["client"]) {
		t.Fatalf("the earlier answer is not in the box:\n%s", hs.screen())
	}
}

func TestAssumeStatesTheAssumption(t *testing.T) {
	hs := answered(t, 80, 24, 0)
	for asked(t, hs) != "" && asked(t, hs) != "date" {
		if !strings.Contains(hs.screen(), "ctrl+s skip") {
			t.Fatalf("the help line does not offer skip while a question is on screen:\n%s", hs.screen())
		}
		hs.answer(answerFor(asked(t, hs)))
		if n, _ := strconv.Atoi(answeredCount(hs.screen())); n > 8 {
			break
		}
	}
	before, _ := strconv.Atoi(answeredCount(hs.screen()))
	hs.press("ctrl+a")
	if after, _ := strconv.Atoi(answeredCount(hs.screen())); after != before+1 && !strings.Contains(hs.screen(), "assumption") {
		t.Fatalf("assume neither answered nor explained:\n%s", hs.screen())
	}
}

func TestReviewEnterGoesToTheQuestion(t *testing.T) {
	hs := answered(t, 80, 24, 2)
	hs.press("ctrl+r")
	if front(hs) != paneReview || !strings.Contains(hs.screen(), "Blockers: fix before export") {
		t.Fatalf("ctrl+r did not open the review:\n%s", hs.screen())
	}
	if f := selectedFinding(t, hs, "c0ffee01"); f.Severity != proposal.Blocker {
		t.Fatalf("first finding %+v", f)
	}
	hs.press("down")
	f := selectedFinding(t, hs, "c0ffee01")
	hs.press("enter")
	if front(hs) != paneInterview || asked(t, hs) != f.Field {
		t.Fatalf("enter on %q led to %q:\n%s", f.Field, asked(t, hs), hs.screen())
	}
	// The review follows each change.
	hs.press("ctrl+r")
	n := findingsShown(hs.screen())
	hs.press("esc")
	hs.answer(answerFor(f.Field))
	hs.press("tab", "tab") // the review pane, as the engine last reported it
	if m := findingsShown(hs.screen()); m < 0 || m >= n {
		t.Fatalf("findings did not refresh: %d then %d", n, m)
	}
}

func TestExportBlockersOverrideAndOverwrite(t *testing.T) {
	hs := answered(t, 140, 40, 5)
	dir := t.TempDir()
	path := filepath.Join(dir, "out.md")
	hs.press("ctrl+x")
	if !strings.Contains(hs.screen(), "▸ Format") {
		t.Fatalf("the dialog does not open on the format, where ←/→ work:\n%s", hs.screen())
	}
	hs.press("tab", "ctrl+u")
	hs.typeText(path)
	hs.press("enter")
	if _, err := os.Stat(path); err == nil {
		t.Fatal("exported despite blockers without the override")
	}
	if !strings.Contains(hs.screen(), "▸ [ ] Export anyway") {
		t.Fatalf("no override offered:\n%s", hs.screen())
	}
	hs.press("space", "enter")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("not written: %v\n%s", err, hs.screen())
	}
	if !strings.Contains(hs.screen(), "Wrote") || !strings.Contains(hs.screen(), "out.md") {
		t.Fatalf("the written path is not shown:\n%s", hs.screen())
	}
	hs.press("enter")
	// Again, to the same file: it is not overwritten without a tick.
	hs.press("ctrl+x", "tab", "ctrl+u")
	hs.typeText(path)
	hs.press("tab", "space", "enter")
	if !strings.Contains(hs.screen(), "[ ] Overwrite the existing file") {
		t.Fatalf("no overwrite question:\n%s", hs.screen())
	}
	hs.press("space", "enter")
	if !strings.Contains(hs.screen(), "Wrote") {
		t.Fatalf("overwrite failed:\n%s", hs.screen())
	}
	// PDF is offered; whatever it does, the dialog shows a sentence, not a crash.
	hs.press("enter", "ctrl+x", "right")
	if s := hs.screen(); !strings.Contains(s, "(•) PDF") || !regexp.MustCompile(`Path +\S+\.pdf`).MatchString(s) {
		t.Fatalf("PDF not chosen, or the path does not follow it:\n%s", s)
	}
}

func TestEveryFormatIsOffered(t *testing.T) {
	hs := answered(t, 140, 40, 1)
	hs.press("ctrl+x")
	for _, f := range proposal.Formats {
		if !strings.Contains(hs.screen(), f.Name) {
			t.Errorf("format %s missing from the dialog", f.Name)
		}
	}
}

// checkFits fails if the screen is wider or taller than the terminal.
func checkFits(t *testing.T, s string, w, h int) {
	t.Helper()
	if s == "" {
		return
	}
	lines := strings.Split(s, "\n")
	if len(lines) > max(h, 1) {
		t.Fatalf("%d lines on a %dx%d terminal", len(lines), w, h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Fatalf("line %d is %d wide on a %dx%d terminal: %q", i, lw, w, h, ansi.Strip(l))
		}
	}
}

func TestLockedSessionSaysSo(t *testing.T) {
	st := openStore(t)
	savedSessions(t, st)
	other, err := st.Lock("aa11bb22")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Release()
	hs := newHarness(t, options(t, st, nil), 80, 24)
	hs.press("enter")
	if onSession(hs.screen()) || !strings.Contains(hs.screen(), "open in another propose") {
		t.Fatalf("no plain message for a locked session:\n%s", hs.screen())
	}
	hs.press("down", "enter")
	if !onSession(hs.screen()) || !strings.Contains(statusLine(hs.screen()), "Warehouse network") {
		t.Fatalf("the other session did not open:\n%s", hs.screen())
	}
}

func TestDeleteAsksFirst(t *testing.T) {
	st := openStore(t)
	savedSessions(t, st)
	hs := newHarness(t, options(t, st, nil), 80, 24)
	hs.press("d", "n")
	if list, _ := st.List(); len(list) != 2 {
		t.Fatal("deleted without a yes")
	}
	hs.press("d", "y")
	if list, _ := st.List(); len(list) != 1 {
		t.Fatalf("not deleted: %v", list)
	}
	if !strings.Contains(hs.screen(), "1 saved") {
		t.Fatalf("the list was not refreshed:\n%s", hs.screen())
	}
}

func TestSwitchSessionAndBack(t *testing.T) {
	st := openStore(t)
	savedSessions(t, st)
	hs := newHarness(t, options(t, st, nil), 140, 40)
	hs.press("enter")
	first := "aa11bb22" // the newest, under the cursor
	status := func() string { l := strings.Split(hs.screen(), "\n"); return l[len(l)-2] }
	if !strings.Contains(status(), "Order-to-Cash Turnaround") {
		t.Fatalf("the newest session did not open:\n%s", hs.screen())
	}
	hs.press("ctrl+l")
	if !strings.Contains(hs.screen(), "Your proposals") || !strings.Contains(hs.screen(), "(open now)") {
		t.Fatalf("ctrl+l did not list the sessions:\n%s", hs.screen())
	}
	hs.press("esc")
	if !strings.Contains(status(), "Order-to-Cash Turnaround") || !strings.Contains(hs.screen(), "of 35 answered") {
		t.Fatalf("esc did not go back to the open session:\n%s", hs.screen())
	}
	hs.press("ctrl+l", "down", "enter")
	if !strings.Contains(status(), "Warehouse network review") || !strings.Contains(hs.screen(), "of 35 answered") {
		t.Fatalf("did not switch:\n%s", hs.screen())
	}
	// The first session's lock was given up.
	l, err := st.Lock(first)
	if err != nil {
		t.Fatalf("the old session is still locked: %v", err)
	}
	l.Release()
}

func TestNewFromThePicker(t *testing.T) {
	st := openStore(t)
	savedSessions(t, st)
	hs := newHarness(t, options(t, st, nil), 80, 24)
	hs.press("n")
	if !strings.Contains(hs.screen(), "Start a new proposal") {
		t.Fatalf("n did not offer the templates:\n%s", hs.screen())
	}
	hs.press("enter")
	if asked(t, hs) != "title" {
		t.Fatalf("no new interview:\n%s", hs.screen())
	}
}

func TestQuitClosesTheSession(t *testing.T) {
	st := openStore(t)
	eng := newEngine(t, st, "c0ffee01")
	hs := newHarness(t, options(t, st, eng), 80, 24)
	hs.answer("A title")
	hs.press("ctrl+c")
	if !hs.quit {
		t.Fatal("ctrl+c did not quit")
	}
	if closed, err := hs.m.Closed(); !closed || err != nil {
		t.Fatalf("closed %v, %v", closed, err)
	}
	l, err := st.Lock("c0ffee01")
	if err != nil {
		t.Fatalf("the lock was kept: %v", err)
	}
	l.Release()
	s, _, err := st.Load("c0ffee01")
	if err != nil || s.Facts.Value("title") != "A title" {
		t.Fatalf("not saved: %v %v", err, s)
	}
}

func TestSuspendAndResumeRepaint(t *testing.T) {
	hs := answered(t, 80, 24, 0)
	_, cmd := hs.m.Update(keyMsg("ctrl+z"))
	if cmd == nil {
		t.Fatal("ctrl+z does nothing")
	}
	if _, ok := cmd().(tea.SuspendMsg); !ok {
		t.Fatal("ctrl+z does not suspend")
	}
	_, cmd = hs.m.Update(tea.ResumeMsg{})
	if cmd == nil || fmt.Sprintf("%T", cmd()) != "tea.clearScreenMsg" {
		t.Fatal("no repaint on resume")
	}
}

func TestCopyMarkdown(t *testing.T) {
	hs := answered(t, 80, 24, 12)
	_, cmd := hs.m.Update(keyMsg("ctrl+y"))
	if cmd == nil {
		t.Fatal("ctrl+y does nothing")
	}
	msg := fmt.Sprint(cmd())
	if !strings.HasPrefix(msg, "# Order-to-Cash Turnaround") || !strings.Contains(msg, "## Situation") {
		t.Fatalf("the clipboard gets %q", msg)
	}
	if e := hs.m.Engine(); e != nil && msg != e.Markdown() {
		t.Fatal("the copy differs from the engine's Markdown")
	}
}

func TestHelpHidesKeysThatDoNothing(t *testing.T) {
	hs := answered(t, 140, 40, 1)
	hs.press("f1")
	h := hs.screen()
	for _, want := range []string{"submit", "skip", "review", "export", "earlier answers"} {
		if !strings.Contains(h, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if strings.Contains(h, "retry section") || strings.Contains(h, "delete") {
		t.Error("help shows keys that do nothing here")
	}
	hs.press("esc", "ctrl+r")
	if strings.Contains(hs.screen(), "ctrl+s skip") {
		t.Error("the review's help line offers skip")
	}
}

func TestThemesAndNoColor(t *testing.T) {
	hs := answered(t, 80, 24, 3)
	hs.press("tab") // the draft in front
	// What only the dark styles draw: the palette's dim text (the bars),
	// and glamour's dark style (the draft).
	lightDim, darkDim := sgr(newStyles(false, false).dim), sgr(newStyles(true, false).dim)
	md := "## Situation\n\nAcme **ships** orders, *fast*: `ERP`.\n\n- one\n- two"
	darkDraft := sgrs(strings.Join(newMarkdownRenderer("dark").Lines(md, 60, 60), "\n"))
	for q := range sgrs(strings.Join(newMarkdownRenderer("light").Lines(md, 60, 60), "\n")) {
		delete(darkDraft, q)
	}
	if lightDim == darkDim || len(darkDraft) == 0 {
		t.Fatal("the light and dark styles draw alike: nothing to tell them apart by")
	}
	drawnDark := func(screen string) (bars bool, draft []string) {
		lines := strings.Split(screen, "\n")
		body := strings.Join(lines[1:len(lines)-2], "\n")
		for q := range sgrs(body) {
			if darkDraft[q] {
				draft = append(draft, q)
			}
		}
		return strings.Contains(screen, darkDim), draft
	}
	if bars, draft := drawnDark(hs.m.View().Content); !bars || len(draft) == 0 {
		t.Fatalf("on a dark background the screen is not drawn dark (bars %v, draft %q)", bars, draft)
	}
	hs.send(tea.BackgroundColorMsg{Color: ansiWhite{}})
	light := hs.m.View().Content
	if bars, draft := drawnDark(light); bars || len(draft) > 0 || !strings.Contains(light, lightDim) {
		t.Fatalf("a light background keeps the dark style (bars %v, draft %q)", bars, draft)
	}
	st := openStore(t)
	opts := options(t, st, newEngine(t, st, "c0ffee02"))
	opts.NoColor = true
	hs2 := newHarness(t, opts, 80, 24)
	hs2.answer(sample["title"])
	hs2.press("tab") // the draft, rendered too
	if v := hs2.m.View().Content; strings.Contains(v, "\x1b[38") || strings.Contains(v, "\x1b[48") {
		t.Fatalf("NO_COLOR still draws colours:\n%q", v)
	}
}

type ansiWhite struct{}

func (ansiWhite) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

// TestLongSectionIsLaidOutOnce: a section far longer than the pane shows
// (a pasted brief) is laid out once: not again at each flush while the rest
// of it streams in, and not again when it is done. Each layout of its shown
// part is a hitch the user feels after pressing Enter.
func TestLongSectionIsLaidOutOnce(t *testing.T) {
	hs := answered(t, 140, 40, 16)
	m := hs.m
	sec := "terms"
	var para strings.Builder
	for para.Len() < 2000 {
		para.WriteString("The client's brief runs on, page after page, about order-to-cash. ")
	}
	var full strings.Builder
	before := -1
	m.Update(hs.engineMsg(interview.DraftStartedEvent{Section: sec}))
	for i := 0; i < 100; i++ {
		chunk := fmt.Sprintf("Paragraph %d. %s\n\n", i, para.String())
		full.WriteString(chunk)
		m.Update(hs.engineMsg(interview.DraftDeltaEvent{Section: sec, Text: chunk}))
		m.Update(flushMsg{})
		if before < 0 && full.Len() > maxShownBytes {
			before = m.dp.r.renderedBytes // the shown part is laid out
		}
	}
	// The stream ends: the section's whole text comes with the engine's View.
	m.Update(hs.engineMsg(interview.ChangedEvent{View: finished(m.Engine().View(), sec, strings.TrimSpace(full.String()), false)}))
	// Once the shown part is laid out, only the one-line note saying how
	// much more there is changes: about 100 bytes at each flush.
	if got := m.dp.r.renderedBytes - before; got > 200*100 {
		t.Fatalf("after the section passed the %d KB the pane shows, 90 more flushes and the end of the stream laid out %d KB of Markdown again", maxShownBytes>>10, got>>10)
	}
	hs.press("tab", "G") // the draft, at its end
	if s := hs.screen(); !strings.Contains(s, "more in this section, not shown here") || strings.Contains(s, "drafting") {
		t.Fatalf("the pane does not say it shows part of the finished section:\n%s", s)
	}
}

func TestStreamedDraftIsThrottledAndFollowed(t *testing.T) {
	hs := answered(t, 140, 40, 16)
	m := hs.m
	sec := "terms"
	// The pane keeps the current question's section in view: go to a
	// question of the section about to be streamed (the coverage map's
	// last row), so its growing tail is followed.
	hs.press("ctrl+g", "G", "enter")
	if s, _ := consulting(t).Field(asked(t, hs)); s == nil || s.ID != sec {
		t.Fatalf("the coverage map did not lead to a question of %s:\n%s", sec, hs.screen())
	}
	renders := m.dp.r.renders
	// 2,000 small deltas (about 13 KB, all of it shown) arrive in one burst:
	// each message is absorbed without rendering; the flush renders the
	// section once.
	var evs []interview.Event
	evs = append(evs, interview.DraftStartedEvent{Section: sec})
	for i := 0; i < 2000; i++ {
		evs = append(evs, interview.DraftDeltaEvent{Section: sec, Text: fmt.Sprintf("w%d ", i)})
	}
	for i := 0; i < len(evs); i += 100 {
		m.Update(hs.engineMsg(evs[i:min(i+100, len(evs))]...))
	}
	if got := m.dp.r.renders - renders; got > 2 {
		t.Fatalf("20 batches of deltas rendered %d times before the flush", got)
	}
	m.Update(flushMsg{})
	if !strings.Contains(plain(m.View().Content), "w1999") {
		t.Fatalf("the streamed tail is not in view:\n%s", plain(m.View().Content))
	}
	if !strings.Contains(plain(m.View().Content), "drafting") {
		t.Fatal("the section being drafted is not marked")
	}
	// Scrolling away stops the following.
	m.Update(keyMsg("tab"))
	m.Update(keyMsg("g"))
	m.Update(hs.engineMsg(interview.DraftDeltaEvent{Section: sec, Text: "more "}))
	m.Update(flushMsg{})
	if s := plain(m.View().Content); strings.Contains(s, "w1999") || !strings.Contains(s, "Prepared for:") {
		t.Fatalf("the pane followed the draft after the user scrolled away:\n%s", s)
	}
	// The finished text comes with the next View and shows at once.
	v := finished(hs.m.Engine().View(), sec, "Final terms.", false)
	m.Update(hs.engineMsg(interview.ChangedEvent{View: v}))
	m.Update(keyMsg("G"))
	if s := hs.screen(); !strings.Contains(s, "Final terms.") || strings.Contains(s, "w1999") || strings.Contains(s, "drafting") ||
		strings.Contains(s, "retry section") {
		t.Fatalf("the finished text is not shown in place of the stream:\n%s", s)
	}
	// A truncated section is marked and offers the retry key.
	v = finished(v, sec, "Final terms.", true)
	m.Update(hs.engineMsg(interview.ChangedEvent{View: v}))
	m.Update(keyMsg("G"))
	if s := hs.screen(); !strings.Contains(s, "retry section") || !strings.Contains(s, "stopped early") {
		t.Fatalf("truncation not shown:\n%s", s)
	}
}

func TestListenKeepsEveryEventInOrder(t *testing.T) {
	ch := make(chan interview.Event, 4096)
	stop := make(chan struct{})
	defer close(stop)
	want := ""
	for i := 0; i < 1500; i++ {
		ch <- interview.DraftDeltaEvent{Section: "s", Text: "x"}
		want += "x"
		if i%500 == 0 {
			ch <- interview.DraftStartedEvent{Section: "s"}
			want += "|S"
		}
	}
	ch <- interview.ChangedEvent{}
	want += "|V"
	got := ""
	for len(ch) > 0 {
		msg := listen(1, ch, stop, nil)().(engineEventsMsg)
		for _, ev := range msg.events {
			switch ev := ev.(type) {
			case interview.DraftDeltaEvent:
				got += ev.Text
			case interview.DraftStartedEvent:
				got += "|S"
			case interview.ChangedEvent:
				got += "|V"
			}
		}
	}
	if got != want {
		t.Fatalf("events lost or reordered: got %d bytes, want %d", len(got), len(want))
	}
}

func TestTooSmallThenLargeAgain(t *testing.T) {
	hs := answered(t, 80, 24, 3)
	hs.send(tea.WindowSizeMsg{Width: 20, Height: 5})
	if !strings.Contains(hs.screen(), "too small") {
		t.Fatal("no message on a tiny terminal")
	}
	hs.press("a") // ignored, not typed into a hidden box
	hs.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	hs.settle()
	if boxText(hs) != "" || !strings.Contains(hs.screen(), "Prepared by") && !strings.Contains(hs.screen(), "Who is") {
		t.Fatalf("did not come back:\n%s", hs.screen())
	}
}

// TestTypedTextSurvivesQuit: text typed but not submitted comes back in the
// box when the session is opened again.
func TestTypedTextSurvivesQuit(t *testing.T) {
	st := openStore(t)
	eng := newEngine(t, st, "c0ffee02")
	hs := newHarness(t, options(t, st, eng), 80, 24)
	hs.answer("A title")
	hs.typeText("Acme half-typ")
	hs.press("ctrl+c")
	if !hs.quit {
		t.Fatal("ctrl+c did not quit")
	}
	s, _, err := st.Load("c0ffee02")
	if err != nil || s.Pending == nil || s.Pending.Typed != "Acme half-typ" {
		t.Fatalf("typed text not saved: %v %+v", err, s.Pending)
	}
	lock, err := st.Lock("c0ffee02")
	if err != nil {
		t.Fatal(err)
	}
	eng2 := interview.Open(consulting(t), s, interview.Config{Store: st, Lock: lock, Events: true, Now: fixedNow})
	t.Cleanup(func() { _ = eng2.Close() })
	hs2 := newHarness(t, options(t, st, eng2), 80, 24)
	if got := boxText(hs2); got != "Acme half-typ" {
		t.Fatalf("box after resume = %q, want the typed text back", got)
	}
	hs2.press("enter")
	s, _, _ = st.Load("c0ffee02")
	if s.Facts.Value("client") != "Acme half-typ" || (s.Pending != nil && s.Pending.Typed != "") {
		t.Fatalf("after submitting: client %q pending %+v", s.Facts.Value("client"), s.Pending)
	}
}

// TestNoticeShownWhicheverArrivesFirst: the notice that comes with the next
// question ("Kept as written: … is not a date") is shown whether the View
// carrying it arrives before or after the answer's result, and the answer
// sent is not kept as unsent text for its question either way.
func TestNoticeShownWhicheverArrivesFirst(t *testing.T) {
	for _, viewFirst := range []bool{true, false} {
		hs := answered(t, 80, 24, 1)
		m := hs.m
		cur, next := asked(t, hs), &interview.Question{Field: "buyer", Section: "cover", Text: "Who is the economic buyer?"}
		hs.send(tea.PasteMsg{Content: "Acme Components Ltd"})
		m.Update(keyMsg("enter")) // busy until the result comes back; the engine never hears of it
		v := m.Engine().View()
		v.Seq++
		v.Asked++
		v.Turns++
		v.Question, v.Notice = next, "Kept as written: soon is not a date."
		changed := hs.engineMsg(interview.ChangedEvent{View: v})
		result := hs.moveMsg("answer", nil)
		if viewFirst {
			m.Update(changed)
			m.Update(result)
		} else {
			m.Update(result)
			m.Update(changed)
		}
		if !strings.Contains(plain(m.View().Content), "Kept as written: soon is not a date.") {
			t.Errorf("view first %v: the notice for %s (after %s) is not shown:\n%s", viewFirst, next.Field, cur, plain(m.View().Content))
		}
		// Quitting saves the text typed for other questions and left: the
		// answer sent is not among it.
		hs.press("ctrl+c")
		if u, ok := hs.saved("c0ffee01").Unsent[cur]; ok {
			t.Errorf("view first %v: the answer sent is kept as unsent text %q", viewFirst, u)
		}
	}
}

// finished is v with a section's redraft ended: its text, and whether it
// stopped early.
func finished(v interview.View, id, body string, truncated bool) interview.View {
	v.Seq++
	v.Draft.Sections = slices.Clone(v.Draft.Sections)
	v.Sections = slices.Clone(v.Sections)
	if d := v.Draft.Section(id); d != nil {
		d.Body, d.Truncated = body, truncated
	}
	if s := v.Section(id); s != nil {
		s.Drafting, s.Truncated = false, truncated
		s.Rounds++
		if truncated {
			s.Err = proposal.ErrTruncated
		}
	}
	return v
}

// An export to the dialog's default, relative path lands in the folder the
// dialog names (Options.WorkDir), not wherever the process happens to run.
func TestExportRelativePathLandsInWorkDir(t *testing.T) {
	st := openStore(t)
	eng := newEngine(t, st, "c0ffee01")
	opts := options(t, st, eng)
	opts.WorkDir = t.TempDir()
	cwd := t.TempDir()
	t.Chdir(cwd)
	hs := newHarness(t, opts, 140, 40)
	hs.answer(answerFor(asked(t, hs)))
	hs.press("ctrl+x", "tab", "ctrl+u")
	hs.typeText("out.md")
	hs.press("tab", "space", "enter")
	if _, err := os.Stat(filepath.Join(opts.WorkDir, "out.md")); err != nil {
		t.Fatalf("not written to the dialog's folder %s: %v\n%s", opts.WorkDir, err, hs.screen())
	}
	if _, err := os.Stat(filepath.Join(cwd, "out.md")); err == nil {
		t.Fatal("written to the process's folder, not the one the dialog shows")
	}
}

// Every finding can be read whole: at 80x24 (and 60x15) the selected
// finding's last wrapped line is on screen, the last finding's included.
func TestReviewShowsEachFindingWhole(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		hs := answered(t, size[0], size[1], 1)
		hs.press("ctrl+r")
		n := findingsShown(hs.screen())
		if n < 3 {
			t.Fatalf("want several findings, got %d", n)
		}
		for i := 0; i < n; i++ {
			f := selectedFinding(t, hs, "c0ffee01")
			words := strings.Fields(proposal.Sanitize(f.Message))
			last := words[len(words)-1]
			flat := strings.Join(strings.Fields(hs.screen()), " ")
			if !strings.Contains(flat, strings.Join(words[max(0, len(words)-3):], " ")) {
				t.Fatalf("%dx%d: finding %d of %d cut; its end %q is not on screen:\n%s", size[0], size[1], i+1, n, last, hs.screen())
			}
			hs.press("down")
		}
	}
}

// Text typed but not submitted survives moving away from the question and
// back: by ctrl+b, by a jump to an earlier answer, and by ctrl+a on
// another question.
func TestTypedTextSurvivesNavigation(t *testing.T) {
	hs := answered(t, 140, 40, 3)
	field := asked(t, hs)
	hs.press("ctrl+u")
	hs.typeText("half-written thought about the client")
	hs.press("ctrl+b")
	if asked(t, hs) == "" || asked(t, hs) == field {
		t.Fatalf("ctrl+b did not move:\n%s", hs.screen())
	}
	// Back to the question through the earlier-answers list is not possible
	// (it is unanswered), so answer forward until it is asked again.
	for i := 0; i < 5 && asked(t, hs) != "" && asked(t, hs) != field; i++ {
		hs.press("enter")
	}
	if asked(t, hs) == "" || asked(t, hs) != field {
		t.Fatalf("never came back to %s", field)
	}
	if got := boxText(hs); got != "half-written thought about the client" {
		t.Fatalf("typed text lost after ctrl+b and back: box holds %q", got)
	}
	// Submitted text is not brought back as a stale draft later.
	hs.press("enter")
	hs.press("ctrl+b")
	for asked(t, hs) != "" && asked(t, hs) != field {
		hs.press("ctrl+b")
	}
	if got := boxText(hs); got != "half-written thought about the client" {
		t.Fatalf("the answer itself should be offered for editing, got %q", got)
	}
}

// Tab goes Interview → Draft → Review and round again, side by side as in
// tabs; q closes the draft or review pane and never quits from them.
func TestTabCyclesThreePanesAndQClosesPanes(t *testing.T) {
	for _, size := range [][2]int{{140, 40}, {80, 24}} {
		hs := answered(t, size[0], size[1], 1)
		want := []pane{paneDraft, paneReview, paneInterview, paneDraft}
		for i, p := range want {
			hs.press("tab")
			if front(hs) != p {
				t.Fatalf("%dx%d: tab %d focused %v, want %v", size[0], size[1], i+1, front(hs), p)
			}
		}
		hs.press("shift+tab")
		if front(hs) != paneInterview {
			t.Fatalf("%dx%d: shift+tab from draft focused %v", size[0], size[1], front(hs))
		}
		for i, p := range []pane{paneDraft, paneReview} {
			for j := 0; j <= i; j++ {
				hs.press("tab")
			}
			if front(hs) != p {
				t.Fatalf("%dx%d: focus %v, want %v", size[0], size[1], front(hs), p)
			}
			hs.press("q")
			if hs.quit || strings.Contains(hs.screen(), "Saving and closing") {
				t.Fatalf("%dx%d: q in the %v pane quit the program", size[0], size[1], p)
			}
			if front(hs) != paneInterview {
				t.Fatalf("%dx%d: q in the %v pane left focus on %v", size[0], size[1], p, front(hs))
			}
		}
	}
}

// ctrl+z where no shell can continue the program says so and keeps the
// screen, instead of stopping in all but name.
func TestSuspendWithoutJobControlIsRefusedWithANotice(t *testing.T) {
	hs := answered(t, 140, 40, 1)
	hs.m.canSuspend = func() bool { return false }
	before := asked(t, hs)
	hs.press("ctrl+z")
	if !strings.Contains(hs.screen(), "no job control") || !strings.Contains(hs.screen(), "ctrl+c saves and quits") {
		t.Fatalf("no notice:\n%s", hs.screen())
	}
	if hs.quit || asked(t, hs) != before {
		t.Fatal("ctrl+z changed the session")
	}
}

// The answered count stays beside a long breadcrumb: the breadcrumb gives
// way, not the count.
func TestAnsweredCountBesideLongLabel(t *testing.T) {
	km := DefaultKeyMap()
	s := newInterviewScreen(common{st: newStyles(true, false), keys: &km})
	s.SetSize(44, 20)
	s.SetProgress(interview.Progress{Answered: 3, Total: 26})
	s.SetQuestion(&interview.Question{Field: "deliverables", Text: "What will the client receive?"}, false,
		"Approach and options › Deliverables and acceptance criteria", "")
	first := strings.Split(plain(s.View()), "\n")[0]
	if !strings.Contains(first, "3 of 26 answered") || !strings.Contains(first, "Approach") {
		t.Fatalf("breadcrumb line %q lost the count or the section", first)
	}
}

// The title in the status bar keeps its place while "saved … ago" ticks.
func TestStatusTitleDoesNotJitter(t *testing.T) {
	st := openStore(t)
	opts := options(t, st, newEngine(t, st, "c0ffee01"))
	now := clock // the engine saves at clock
	opts.Now = func() time.Time { return now }
	hs := newHarness(t, opts, 80, 24)
	hs.answer(answerFor(asked(t, hs)))
	var at []int
	for _, d := range []time.Duration{0, 5 * time.Second, 45 * time.Second, 3 * time.Minute} {
		now = clock.Add(d)
		lines := strings.Split(hs.screen(), "\n")
		bar := lines[len(lines)-2]
		if !strings.Contains(bar, "saved") {
			t.Fatalf("no save time in the status bar %q", bar)
		}
		at = append(at, strings.Index(bar, "answered"))
	}
	for _, i := range at[1:] {
		if i != at[0] {
			t.Fatalf("the status bar's left side moved as the save time aged: %v", at)
		}
	}
}

// Under NO_COLOR the draft is still rendered Markdown: bold stays bold and
// no literal ** markers show.
func TestNoColorDraftRendersMarkdown(t *testing.T) {
	r := newMarkdownRenderer(newStyles(true, true).glamourStyle())
	out := strings.Join(r.Lines("**Acceptance.** This proposal is accepted when signed.", 60, 60), "\n")
	if strings.Contains(out, "**") {
		t.Fatalf("literal markers under NO_COLOR: %q", out)
	}
	if !strings.Contains(out, "\x1b[1m") && !strings.Contains(out, "\x1b[1;") {
		t.Fatalf("bold lost under NO_COLOR: %q", out)
	}
	if strings.Contains(out, "38;") {
		t.Fatalf("colour under NO_COLOR: %q", out)
	}
}

// Under LANG=C the interface's symbols and borders are ASCII; the user's
// own text is untouched.
func TestASCIIFallbackForNonUTF8Locale(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if UTF8Locale(env(map[string]string{"LANG": "C"})) || !UTF8Locale(env(map[string]string{"LANG": "de_DE.UTF-8"})) ||
		UTF8Locale(env(map[string]string{"LC_ALL": "POSIX", "LANG": "en_US.UTF-8"})) || !UTF8Locale(env(nil)) {
		t.Fatal("locale detection is wrong")
	}
	st := openStore(t)
	eng := newEngine(t, st, "c0ffee01")
	opts := options(t, st, eng)
	opts.ASCII = true
	hs := newHarness(t, opts, 140, 40)
	hs.answer("Müller & Søn: Order-to-Cash")
	for _, r := range hs.screen() {
		if r > 0x7f && !strings.ContainsRune("Müller & Søn", r) {
			t.Fatalf("non-ASCII %q on an ASCII screen:\n%s", r, hs.screen())
		}
	}
}

// The draft pane shows the section the current question feeds: after each
// answer, after a step back, and on the review's findings.
func TestDraftFollowsTheQuestion(t *testing.T) {
	hs := answered(t, 140, 40, 12)
	tp := consulting(t)
	visible := func(section string) bool {
		s := tp.Section(section)
		if s == nil || s.NoHeading {
			return true
		}
		if d := hs.saved("c0ffee01").Draft.Section(section); d == nil || d.Body == "" {
			return true // nothing drafted there yet
		}
		return strings.Contains(hs.screen(), "## "+s.Title)
	}
	// section is the section of the question on screen ("" when none is).
	section := func() string {
		if s, _ := tp.Field(asked(t, hs)); s != nil {
			return s.ID
		}
		return ""
	}
	for i := 0; i < 14 && asked(t, hs) != ""; i++ {
		field, sec := asked(t, hs), section()
		if !visible(sec) {
			t.Fatalf("question %q (section %s) but the draft shows:\n%s", field, sec, hs.screen())
		}
		if followUp(hs) {
			hs.press("ctrl+s")
		} else {
			hs.answer(answerFor(field))
		}
	}
	for i := 0; i < 6; i++ {
		hs.press("ctrl+b")
		if sec := section(); sec != "" && !visible(sec) {
			t.Fatalf("after ctrl+b at %q (section %s) the draft shows:\n%s", asked(t, hs), sec, hs.screen())
		}
	}
	hs.press("ctrl+r")
	for n, i := findingsShown(hs.screen()), 0; i < n; i++ {
		f := selectedFinding(t, hs, "c0ffee01")
		if f.Section != "" && !visible(f.Section) {
			t.Fatalf("finding on %s but the draft shows:\n%s", f.Section, hs.screen())
		}
		hs.press("down")
	}
}

// At 80x24 the fed-by box fits between the bars, keeps its border and the
// status bar, and scrolls to its last answer.
func TestFedByFitsAndScrolls(t *testing.T) {
	hs := answered(t, 80, 24, 18)
	hs.press("tab") // the draft
	for i := 0; i < 3; i++ {
		hs.press("n")
	}
	hs.press("f")
	s := hs.screen()
	lines := strings.Split(s, "\n")
	if !strings.Contains(s, "╰") || !strings.Contains(s, "╭") {
		t.Fatalf("the box lost its border:\n%s", s)
	}
	if !strings.Contains(lines[len(lines)-2], "answered") {
		t.Fatalf("the box covers the status bar:\n%s", s)
	}
	hs.press("esc")
	if strings.Contains(hs.screen(), "╭") {
		t.Fatalf("esc did not close the box:\n%s", hs.screen())
	}
}

// A text overlay taller than its room scrolls to its last line and never
// draws taller than the room.
func TestTextOverlayScrolls(t *testing.T) {
	km := DefaultKeyMap()
	var body []string
	for i := 1; i <= 60; i++ {
		body = append(body, fmt.Sprintf("answer line %d", i))
	}
	o := newTextOverlay(common{st: newStyles(true, false), keys: &km}, "What fed “Investment”", strings.Join(body, "\n"), 0, 60, 20)
	if h := strings.Count(o.View(), "\n") + 1; h > 20 {
		t.Fatalf("box is %d rows in a room of 20", h)
	}
	if strings.Contains(plain(o.View()), "answer line 60") || !o.scrolls() {
		t.Fatal("the whole text shows in a box too small for it")
	}
	var act action
	for i := 0; i < 70 && act == nil; i++ {
		act, _ = o.Update(keyMsg("down"))
	}
	if act != nil || !strings.Contains(plain(o.View()), "answer line 60") {
		t.Fatalf("scrolling did not reach the end:\n%s", plain(o.View()))
	}
	if act, _ = o.Update(keyMsg("esc")); act != (closeOverlayAction{}) {
		t.Fatal("esc does not close")
	}
}

// The earlier-answers list keeps a list answer's items apart.
func TestEarlierAnswersKeepListItemsApart(t *testing.T) {
	hs := answered(t, 140, 40, 14)
	hs.press("ctrl+e")
	if !strings.Contains(hs.screen(), "Bring order-to-cash back below 40 days · Give the COO") {
		t.Fatalf("list items run together:\n%s", hs.screen())
	}
}

// After growing the terminal, the answer box shows its first lines again
// (it grew, so nothing needs to be scrolled out of sight), cursor still in view.
func TestAnswerBoxShowsAllLinesAfterGrowing(t *testing.T) {
	hs := answered(t, 60, 15, 5)
	hs.press("ctrl+u")
	for i := 1; i <= 8; i++ {
		hs.typeText(fmt.Sprintf("line %d of the situation", i))
		if i < 8 {
			hs.press("ctrl+j")
		}
	}
	hs.send(tea.WindowSizeMsg{Width: 160, Height: 48})
	s := hs.screen()
	if !strings.Contains(s, "line 1 of the situation") || !strings.Contains(s, "line 8 of the situation") {
		t.Fatalf("after growing, the box hides lines:\n%s", s)
	}
}

// The mouse is captured only in the draft pane (wheel scrolling), so text
// can be selected everywhere else without holding Shift.
func TestMouseCapturedOnlyInTheDraft(t *testing.T) {
	hs := answered(t, 140, 40, 2)
	if hs.m.View().MouseMode != tea.MouseModeNone {
		t.Fatal("mouse captured in the interview pane")
	}
	hs.press("tab")
	if hs.m.View().MouseMode != tea.MouseModeCellMotion {
		t.Fatal("no wheel scrolling in the draft pane")
	}
	hs.press("f1")
	if flat := strings.Join(strings.Fields(strings.ReplaceAll(hs.screen(), "│", " ")), " "); !strings.Contains(flat, "shift+drag select text in the draft") {
		t.Fatalf("help does not say how to select text:\n%s", hs.screen())
	}
}

// A choice question is a list of its choices with "Other…" last: arrows
// and Enter answer it; Other opens the box for an answer of one's own.
func TestChoiceQuestionIsAPicker(t *testing.T) {
	hs := answered(t, 140, 40, 0)
	for i := 0; i < 40 && asked(t, hs) != "" && asked(t, hs) != "pricing"; i++ {
		if followUp(hs) {
			hs.press("ctrl+s")
			continue
		}
		hs.answer(answerFor(asked(t, hs)))
	}
	if asked(t, hs) == "" || asked(t, hs) != "pricing" {
		t.Skip("the pricing question was never asked")
	}
	s := hs.screen()
	for _, want := range []string{"fixed fee", "time and materials", "Other…", "choose"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the picker lacks %q:\n%s", want, s)
		}
	}
	hs.press("down", "enter")
	if got := hs.saved("c0ffee01").Facts.Value("pricing"); got != "time and materials" {
		t.Fatalf("pricing recorded as %q", got)
	}
	hs.press("ctrl+b")
	if asked(t, hs) != "pricing" {
		t.Fatalf("ctrl+b did not go back to the pricing question:\n%s", hs.screen())
	}
	if !strings.Contains(hs.screen(), "▸ time and materials") {
		t.Fatalf("back on the question, the list is not on the answer:\n%s", hs.screen())
	}
	hs.press("end", "enter") // Other…
	if strings.Contains(hs.screen(), "Other…") || !strings.Contains(hs.screen(), "Type your answer") {
		t.Fatalf("Other… did not open the box:\n%s", hs.screen())
	}
	hs.typeText("success fee on savings")
	hs.press("enter")
	if got := hs.saved("c0ffee01").Facts.Value("pricing"); got != "success fee on savings" {
		t.Fatalf("own answer recorded as %q", got)
	}
}

// TestExportDialogKeepsAssumptionMarks: the dialog offers the internal
// draft's assumption marks as a tick, off by default, and the export request
// carries it.
func TestExportDialogKeepsAssumptionMarks(t *testing.T) {
	hs := answered(t, 140, 40, 5)
	hs.press("ctrl+x")
	if !strings.Contains(hs.screen(), "[ ] Keep the (assumption) marks") {
		t.Fatalf("marks are kept by default or not offered:\n%s", hs.screen())
	}
	hs.press("shift+tab", "space")
	if !strings.Contains(hs.screen(), "[x] Keep the (assumption) marks") {
		t.Fatalf("the tick does not reach the request:\n%s", hs.screen())
	}
}

// TestEnterOnTheNextQuestionIsNeverLost: the next question is on screen
// (the engine's View brought it) while the command that recorded the last
// answer is still finishing (a save on a slow disk). Enter pressed on it
// then is not dropped: the answer goes as soon as that command is back. An
// Enter pressed twice on the same question is still sent once.
func TestEnterOnTheNextQuestionIsNeverLost(t *testing.T) {
	st := openStore(t)
	hs := newHarness(t, options(t, st, newEngine(t, st, "a4ead001")), 120, 36)
	hs.held = make(chan tea.Msg, 4)
	first := asked(t, hs)
	hs.press("ctrl+u")
	hs.send(tea.PasteMsg{Content: answerFor(first)})
	hs.settle()
	hs.send(keyMsg("enter"))
	hs.send(keyMsg("enter")) // pressed twice on the same question
	hs.settle()
	second := asked(t, hs)
	if second == first || second == "" {
		t.Fatalf("the next question is not on screen:\n%s", hs.screen())
	}
	moved := <-hs.held // the first answer's command is not back yet

	hs.press("ctrl+u")
	hs.send(tea.PasteMsg{Content: answerFor(second)})
	hs.settle()
	hs.send(keyMsg("enter"))
	hs.settle()
	if a := answerFor(second); !strings.Contains(hs.screen(), a[:min(len(a), 20)]) {
		t.Fatalf("the answer typed ahead left the box before it could be sent:\n%s", hs.screen())
	}
	hs.held = nil
	hs.send(moved)
	hs.settle()
	if got := asked(t, hs); got == second {
		t.Fatalf("Enter pressed on %q while the last answer was being saved was lost:\n%s", second, hs.screen())
	}
	s := hs.saved("a4ead001")
	if got := s.Facts.Value(second); got != answerFor(second) {
		t.Fatalf("%s = %q, want the answer typed ahead", second, got)
	}
	if got := s.Facts.Value(first); got != answerFor(first) {
		t.Fatalf("%s = %q, want the first answer", first, got)
	}
	if n := len(s.Turns); n != 2 {
		t.Fatalf("%d turns in the transcript, want 2 (the double Enter sent once)", n)
	}
}

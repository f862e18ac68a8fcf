package tui

import (
	"context"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"go.uber.org/goleak"

	"propose/interview"
	"propose/templates"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// clock is the fixed time every test runs at.
var clock = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return clock }

func consulting(t testing.TB) *templates.Template {
	t.Helper()
	tp := builtinConsulting()
	if tp == nil {
		t.Fatal("no consulting template")
	}
	return tp
}

// builtinConsulting is loaded once: the screen helpers ask for it at every
// step, and parsing the built-in templates each time was a fifth of the
// package's test time.
var builtinConsulting = sync.OnceValue(func() *templates.Template {
	set, _ := templates.Load("")
	tp, _ := set.Get("consulting")
	return tp
})

func allTemplates(t testing.TB) []*templates.Template {
	set, _ := templates.Load("")
	return set.List()
}

// newEngine opens an engine with events on a fresh session in a store under
// dir, with a fixed id and clock so screens are the same every run.
func newEngine(t testing.TB, st *interview.Store, id string) *interview.Engine {
	t.Helper()
	tp := consulting(t)
	s := interview.NewSession(tp, clock)
	s.ID = id
	lock, err := st.Lock(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	e := interview.Open(tp, s, interview.Config{Store: st, Lock: lock, Events: true, Now: fixedNow})
	t.Cleanup(func() { _ = e.Close() }) // its saver and publisher end; a second Close does nothing
	return e
}

func openStore(t testing.TB) *interview.Store {
	t.Helper()
	st, err := interview.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// options wires a model to a store the way commands.go does.
func options(t testing.TB, st *interview.Store, eng *interview.Engine) Options {
	tp := consulting(t)
	return Options{
		Engine:    eng,
		Sessions:  st,
		Templates: allTemplates(t),
		Open: func(ctx context.Context, id string) (*interview.Engine, interview.LoadInfo, error) {
			lock, err := st.Lock(id)
			if err != nil {
				return nil, interview.LoadInfo{}, err
			}
			s, info, err := st.Load(id)
			if err != nil {
				lock.Release()
				return nil, info, err
			}
			e := interview.Open(tp, s, interview.Config{Store: st, Lock: lock, Events: true, Now: fixedNow})
			t.Cleanup(func() { _ = e.Close() })
			return e, info, nil
		},
		New: func(ctx context.Context, tt *templates.Template) (*interview.Engine, error) {
			s := interview.NewSession(tt, clock)
			s.ID = "5e551011"
			lock, err := st.Lock(s.ID)
			if err != nil {
				return nil, err
			}
			e := interview.Open(tt, s, interview.Config{Store: st, Lock: lock, Events: true, Now: fixedNow})
			t.Cleanup(func() { _ = e.Close() })
			return e, nil
		},
		WorkDir: "/home/consultant/proposals",
		Now:     fixedNow,
	}
}

// harness drives a Model without a running program: it feeds messages to
// Update and runs the Cmds that come back (each in its own goroutine, as
// the program would), delivering their messages in turn. Timers fire at
// once, except the status clock, which never does.
type harness struct {
	t testing.TB
	// held, when set, takes the ends of commands that move to a question
	// (movedMsg) instead of the model: a test hands one over when it
	// chooses, as a save that takes its time does.
	held     chan tea.Msg
	m        *Model
	msgs     chan tea.Msg
	inflight atomic.Int64
	quit     bool
	// received counts the engine events taken in, per session (gen): the
	// model has seen all the engine sent when it equals Engine.Sent.
	received map[int]uint64
	// slowest is the longest Update plus View: what a person waits for.
	slowest time.Duration
	// store is where the sessions are saved (options' Sessions), for tests
	// that read the work on disk.
	store *interview.Store
	// onView, when set, sees every frame drawn (the fault suite checks that
	// each one is free of escape sequences).
	onView func(tea.View)
}

type timerFired struct{ msg tea.Msg }

func newHarness(t testing.TB, opts Options, w, h int) *harness {
	t.Helper()
	m := New(opts)
	m.canSuspend = func() bool { return true } // whatever shell runs the tests
	m.after = func(_ time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg { return timerFired{msg} }
	}
	hs := &harness{t: t, m: m, msgs: make(chan tea.Msg, 1024), received: map[int]uint64{}}
	hs.store, _ = opts.Sessions.(*interview.Store)
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.dispatch(m.Init())
	hs.settle()
	t.Cleanup(hs.close)
	return hs
}

// close ends the session as quitting would, and waits for every Cmd.
func (h *harness) close() {
	if h.m.sess.eng != nil {
		e := h.m.sess.eng
		h.m.sess.detach()
		_ = e.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for h.inflight.Load() > 0 && time.Now().Before(deadline) {
		select {
		case <-h.msgs:
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (h *harness) dispatch(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	h.inflight.Add(1)
	go func() {
		defer h.inflight.Add(-1)
		msg := cmd()
		if _, moved := msg.(movedMsg); moved && h.held != nil {
			h.held <- msg
			return
		}
		h.msgs <- msg
	}()
}

func (h *harness) send(msg tea.Msg) {
	start := time.Now()
	_, cmd := h.m.Update(msg)
	v := h.m.View()
	if d := time.Since(start); d > h.slowest {
		h.slowest = d
	}
	if h.onView != nil {
		h.onView(v)
	}
	h.dispatch(cmd)
}

func (h *harness) handle(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.dispatch(c)
		}
	case timerFired:
		if _, clock := msg.msg.(tickMsg); clock {
			return
		}
		h.send(msg.msg)
	case tea.QuitMsg:
		h.quit = true
	case engineEventsMsg:
		h.received[msg.gen] += uint64(msg.n)
		h.send(msg)
	default:
		h.send(msg)
	}
}

// settle delivers messages until the model and its engine are idle: no
// Cmd running but the engine's event listener, nothing in flight in the
// engine (commands, redrafts, saves, a change not yet sent) and every event
// it sent taken in by the model. It waits on those signals, never on quiet
// time.
func (h *harness) settle() {
	h.t.Helper()
	h.poll("the model to settle", func() bool {
		for {
			select {
			case msg := <-h.msgs:
				h.handle(msg)
				continue
			default:
			}
			return h.idle()
		}
	})
}

// idle reports whether nothing is left to deliver or run.
func (h *harness) idle() bool {
	waiting := h.m.sess.listening.Load() // a listener blocked on the channel is idle
	busy := h.inflight.Load() - waiting
	if len(h.msgs) > 0 {
		return false // read after the count: a Cmd that ended has pushed its message
	}
	if busy > 0 {
		return false
	}
	e := h.m.sess.eng
	if e == nil {
		return true
	}
	if e.InFlight() > 0 {
		return false
	}
	return e.Sent() == h.received[h.m.sess.gen]
}

// poll checks cond until it holds, waking on any message for the model,
// the engine going idle or a Cmd ending (checked every millisecond).
func (h *harness) poll(what string, cond func() bool) {
	h.t.Helper()
	ok := waitUntil(90*time.Second, cond, func() {
		var idle <-chan struct{} // nil: never ready
		if e := h.m.sess.eng; e != nil && e.InFlight() > 0 {
			idle = e.Idle()
		}
		select {
		case msg := <-h.msgs:
			h.handle(msg)
		case <-idle:
		case <-time.After(time.Millisecond):
		}
	})
	if !ok {
		h.t.Fatalf("timed out waiting for %s; %d cmds running", what, h.inflight.Load())
	}
}

// waitUntil is the one polling helper of the tests: it checks cond until
// it holds, calling wake between checks (nil: wait a millisecond), and
// reports false after limit (generous: the race detector is slow on
// megabytes). It waits for a condition, never for quiet.
func waitUntil(limit time.Duration, cond func() bool, wake func()) bool {
	if wake == nil {
		wake = func() { time.Sleep(time.Millisecond) }
	}
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		wake()
	}
	return true
}

// press feeds keys (see keyMsg) and settles after each.
func (h *harness) press(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(keyMsg(k))
		h.settle()
	}
}

// typeText types text key by key.
func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	h.settle()
}

// answer puts text in the box, as a paste, and submits it. (Typing is
// tested key by key where it matters, with typeText; a paste of the same
// text leaves the same answer and costs one frame instead of one a key.)
func (h *harness) answer(s string) {
	h.t.Helper()
	h.m.iv.SetAnswer("") // what the box offers (a default) is replaced
	h.send(tea.PasteMsg{Content: s})
	h.settle()
	h.press("enter")
}

// screen is the view without colour, as compared with golden files.
func (h *harness) screen() string { return plain(h.m.View().Content) }

func plain(s string) string {
	lines := strings.Split(ansi.Strip(s), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	return strings.Join(lines, "\n")
}

// keyMsg builds a key press from a name like "enter", "ctrl+s" or "a".
func keyMsg(name string) tea.KeyPressMsg {
	var k tea.KeyPressMsg
	parts := strings.Split(name, "+")
	base := parts[len(parts)-1]
	for _, p := range parts[:len(parts)-1] {
		switch p {
		case "ctrl":
			k.Mod |= tea.ModCtrl
		case "alt":
			k.Mod |= tea.ModAlt
		case "shift":
			k.Mod |= tea.ModShift
		}
	}
	switch base {
	case "enter":
		k.Code = tea.KeyEnter
	case "esc":
		k.Code = tea.KeyEscape
	case "tab":
		k.Code = tea.KeyTab
	case "up":
		k.Code = tea.KeyUp
	case "down":
		k.Code = tea.KeyDown
	case "left":
		k.Code = tea.KeyLeft
	case "right":
		k.Code = tea.KeyRight
	case "pgdown":
		k.Code = tea.KeyPgDown
	case "pgup":
		k.Code = tea.KeyPgUp
	case "space":
		k.Code, k.Text = tea.KeySpace, " "
	case "backspace":
		k.Code = tea.KeyBackspace
	case "f1":
		k.Code = tea.KeyF1
	default:
		r := []rune(base)[0]
		k.Code = r
		if k.Mod == 0 || k.Mod == tea.ModShift {
			k.Text = base
		}
	}
	return k
}

// sample answers the first questions of the consulting template well.
var sample = map[string]string{
	"title":           "Order-to-Cash Turnaround",
	"client":          "Acme Components Ltd",
	"buyer":           "Maria Jensen, Chief Operating Officer",
	"consultant":      "Northbridge Advisory, Tom Keller",
	"date":            "2027-01-11",
	"situation":       "Acme ships 14,000 orders a month from two plants. Since the ERP migration the time from order to cash has grown from 38 to 61 days.",
	"trigger":         "Working capital tied up in receivables has risen by 4.2 million euros; the bank covenant review in June will look at it.",
	"objectives":      "Bring order-to-cash back below 40 days\nGive the COO one weekly view of cash at risk",
	"measures":        "Days sales outstanding below 40 by 30 September 2027\nDisputed invoices under 2% of invoices issued",
	"value":           "Releasing 3.8 million euros of working capital and saving about 420,000 euros a year.",
	"phases":          "Diagnose: trace 200 orders end to end\nRedesign: agree the new rules with the process owners\nEmbed: pilot in Leeds, then Derby",
	"deliverables":    "Order-to-cash diagnostic ranked by cash impact\nRedesigned process and ERP rule changes\nWeekly cash-at-risk dashboard",
	"options":         "Diagnose only: findings and a costed plan: €24.000\nDiagnose and redesign: the new process: €52.000\nFull turnaround: both plants: €86.500",
	"start":           "2027-02-01",
	"milestones":      "2027-02-26: Diagnostic presented to the COO\n2027-04-09: Redesign signed off\n2027-07-30: Derby live",
	"client_provides": "A project sponsor for a fortnightly steering meeting\nAccess to ERP order and invoice data",
	"team":            "Tom Keller, engagement lead: 3 days a week\nAna Ruiz, process analyst: full time",
	"pricing":         "fixed fee",
	"fees":            "Diagnose: €24.000\nRedesign: €28.000\nEmbed: €34.500",
	// A schedule that does not add up to 100% is a blocker: give a real one.
	"payment_schedule": "Signature of this proposal: 30%\nRedesign signed off: 70%",
	"payment_terms":    "40% on signature, 30% at redesign sign-off, 30% at handover; 30 days net",
	"expenses":         "Travel at cost, capped at 5% of fees",
	"assumptions":      "Process owners are available half a day a week\nERP data is available by week 2",
	"out_of_scope":     "ERP configuration changes beyond the rules agreed\nHiring or restructuring decisions",
	"risks":            "ERP data quality: we sample early and adjust",
	"validity":         "Valid for 30 days",
	"terms":            "Northbridge standard terms of business apply",
}

// answerFor is the sample answer to a field, or a generic one.
func answerFor(field string) string {
	if a, ok := sample[field]; ok {
		return a
	}
	return "A considered answer about " + field + " with 3 numbers: 10%, €5.000 and 2027-03-01."
}

func TestMainHelpers(t *testing.T) {
	if keyMsg("ctrl+s").String() != "ctrl+s" || keyMsg("enter").String() != "enter" || keyMsg("a").String() != "a" ||
		keyMsg("alt+enter").String() != "alt+enter" || keyMsg("?").String() != "?" {
		t.Fatal("keyMsg builds the wrong keys")
	}
	_ = os.Getenv
}

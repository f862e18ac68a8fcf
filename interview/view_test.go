package interview

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestViewIsOneConsistentSnapshot: a View taken while answers are being
// recorded is one moment of the session: its progress, coverage, facts,
// transcript and question agree with each other (separate getters could
// straddle an answer).
func TestViewIsOneConsistentSnapshot(t *testing.T) {
	e, _ := newEngine(t)
	tm := e.Template()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 40; i++ {
			q := e.View().Question
			if q == nil {
				return
			}
			if err := e.Answer(context.Background(), "An answer about "+q.Field+" with 3 numbers: 10%, €5.000 and 2027-03-01."); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	views := 0
	for running := true; running; views++ {
		select {
		case <-done:
			running = false
		default:
		}
		v := e.View()
		answered, covered := 0, 0
		for _, sec := range tm.Sections {
			for _, f := range sec.Fields {
				if v.Facts.Has(f.ID) {
					answered++
				}
			}
		}
		for _, c := range v.Coverage {
			covered += c.Answered
		}
		if v.Progress.Answered != answered || covered != answered || v.Turns < answered {
			t.Fatalf("view %d: progress %d, coverage %d, facts %d, turns %d", views, v.Progress.Answered, covered, answered, v.Turns)
		}
		if q := v.Question; q != nil && q.Prefill == "" && v.Facts.Has(q.Field) && !q.FollowUp {
			t.Fatalf("view %d: the question on %s is asked afresh though the facts have it", views, q.Field)
		}
		if v.Done != (v.Question == nil) {
			t.Fatalf("view %d: done %v with question %+v", views, v.Done, v.Question)
		}
	}
	if e.View().Progress.Answered == 0 {
		t.Fatal("nothing was answered")
	}
	t.Logf("%d views checked", views)
}

// TestViewSharesNothingWithTheEngine: a View kept and changed by its reader
// changes nothing in the engine.
func TestViewSharesNothingWithTheEngine(t *testing.T) {
	e, _ := newEngine(t)
	answer(t, e, "Order-to-Cash Turnaround")
	answer(t, e, "Acme Components Ltd")
	e.Wait()
	v := e.View()
	v.Facts["title"] = v.Facts["client"]
	v.Question.Text = "changed"
	v.Coverage[0].Answered = 99
	for i := range v.Draft.Sections {
		v.Draft.Sections[i].Body = "changed"
		v.Draft.Sections[i].Fields = append(v.Draft.Sections[i].Fields[:0:0], "changed")
	}
	w := e.View()
	if w.Facts.Value("title") != "Order-to-Cash Turnaround" || w.Question.Text == "changed" || w.Coverage[0].Answered == 99 {
		t.Fatal("a change to a View reached the engine")
	}
	for _, s := range w.Draft.Sections {
		if s.Body == "changed" {
			t.Fatal("a change to a View's draft reached the engine")
		}
	}
}

// gateLayer holds every save's write until the test lets it through, and
// keeps what each save wrote.
type gateLayer struct {
	osLayer
	entered chan struct{}
	gate    chan struct{}
	once    sync.Once
	mu      sync.Mutex
	written [][]byte
}

// release lets every write through from now on.
func (l *gateLayer) release() { l.once.Do(func() { close(l.gate) }) }

type gateFile struct {
	*os.File
	l *gateLayer
}

func (f gateFile) Write(p []byte) (int, error) {
	f.l.entered <- struct{}{}
	<-f.l.gate
	f.l.mu.Lock()
	f.l.written = append(f.l.written, bytes.Clone(p))
	f.l.mu.Unlock()
	return f.File.Write(p)
}

func (l *gateLayer) CreateTemp(dir, pattern string) (TempFile, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return gateFile{f, l}, nil
}

// gatedEngine is an engine whose saves wait at the gate.
func gatedEngine(t *testing.T) (*Engine, *Store, *gateLayer) {
	t.Helper()
	st := openTestStore(t)
	gl := &gateLayer{entered: make(chan struct{}, 64), gate: make(chan struct{})}
	tm := consulting(t)
	s := NewSession(tm, clock())
	e := Open(tm, s, Config{Store: st.WithFileLayer(gl), Now: clock})
	t.Cleanup(func() { gl.release(); e.Close() })
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e, st, gl
}

// within fails when f does not return: it blocked. The gate stays shut
// until the test ends, so a call that waits on the save never returns; the
// minute only bounds how long a failing run takes, and is long enough that
// a loaded machine never fails a call that was merely slow.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%s blocked while a save was stuck on the disk", what)
	}
}

// TestSlowSaveBlocksNothing: while a save is stuck on the disk (a slow or
// hung file system), the screen's View, text kept as typed and the next
// answers all go on; the engine says it is not idle; once the disk moves,
// everything is saved.
func TestSlowSaveBlocksNothing(t *testing.T) {
	e, st, gl := gatedEngine(t)
	ctx := context.Background()
	answered := make(chan error, 1)
	go func() { answered <- e.Answer(ctx, "Order-to-Cash Turnaround") }()
	within(t, "waiting for the save", func() { <-gl.entered })
	within(t, "Answer", func() {
		if err := <-answered; err != nil {
			t.Error(err)
		}
	})
	within(t, "View", func() {
		if v := e.View(); v.Facts.Value("title") != "Order-to-Cash Turnaround" || v.Question == nil {
			t.Errorf("view while saving: %+v", v.Question)
		}
	})
	within(t, "KeepTyped", func() { e.KeepTyped("Acme Comp") })
	within(t, "a second answer", func() {
		if err := e.Answer(ctx, "Acme Components Ltd"); err != nil {
			t.Error(err)
		}
	})
	if e.InFlight() == 0 {
		t.Fatal("the engine says it is idle while a save is stuck")
	}
	select {
	case <-e.Idle():
		t.Fatal("the idle signal fired while a save is stuck")
	default:
	}
	gl.release()
	if err := e.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	s, _, err := st.Load(e.Info().ID)
	if err != nil {
		t.Fatal(err)
	}
	if s.Facts.Value("title") != "Order-to-Cash Turnaround" || s.Facts.Value("client") != "Acme Components Ltd" {
		t.Fatalf("saved facts %v", s.Facts)
	}
	if v := e.View(); v.SaveErr != nil || v.Info.Dirty {
		t.Fatalf("after the disk moved: error %v, dirty %v", v.SaveErr, v.Info.Dirty)
	}
}

// TestLatestSaveWins: saves made while one is being written replace each
// other: once the disk moves, only the newest is written after the one in
// progress, and an older state is never written after a newer one.
func TestLatestSaveWins(t *testing.T) {
	e, st, gl := gatedEngine(t)
	ctx := context.Background()
	first := make(chan error, 1)
	go func() { first <- e.Answer(ctx, "Order-to-Cash Turnaround") }()
	within(t, "waiting for the save", func() { <-gl.entered })
	within(t, "the first answer", func() {
		if err := <-first; err != nil {
			t.Error(err)
		}
	})
	for _, a := range []string{"Acme Components Ltd", "Maria Jensen, Chief Operating Officer", "Northbridge Advisory, Tom Keller"} {
		within(t, "an answer", func() {
			if err := e.Answer(ctx, a); err != nil {
				t.Error(err)
			}
		})
	}
	e.Wait() // the redrafts the answers started have saved too
	gl.release()
	if err := e.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	gl.mu.Lock()
	written := slicesClone(gl.written)
	gl.mu.Unlock()
	if len(written) != 2 {
		t.Fatalf("%d saves written, want 2: the one on the disk and the latest", len(written))
	}
	turns := func(b []byte) int {
		var s Session
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		return len(s.Turns)
	}
	// The save on the disk was made before the first answer was recorded
	// or just after; the second is the newest state.
	if a, b := turns(written[0]), turns(written[1]); a > 1 || b != 4 {
		t.Fatalf("saves hold %d then %d turns, want at most 1 then 4", a, b)
	}
	s, _, err := st.Load(e.Info().ID)
	if err != nil || len(s.Turns) != 4 {
		t.Fatalf("the session on disk: %v, %d turns", err, len(s.Turns))
	}
	if _, err := os.Stat(filepath.Join(st.Dir(), e.Info().ID+".json")); err != nil {
		t.Fatal(err)
	}
}

func slicesClone(b [][]byte) [][]byte { return append([][]byte(nil), b...) }

// BenchmarkEngineView is the cost of one engine View of a whole interview
// (taken under one lock, copied whole): what every change costs the screen.
func BenchmarkEngineView(b *testing.B) {
	st, err := OpenStore(filepath.Join(b.TempDir(), "sessions"))
	if err != nil {
		b.Fatal(err)
	}
	tm := consulting(b)
	s := NewSession(tm, clock())
	e := Open(tm, s, Config{Store: st, Now: clock})
	b.Cleanup(func() { e.Close() })
	if err := e.RecordAnswers(exampleAnswers(b)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = e.View()
	}
}

// TestKeepTypedNeverWaitsOnTheLock: the screen keeps what is typed from its
// Update; it returns at once even while the engine's lock is held (a big
// session being encoded for a save), and the text is taken in by the next
// View, or dropped when the question changed meanwhile.
func TestKeepTypedNeverWaitsOnTheLock(t *testing.T) {
	e, _ := newEngine(t)
	e.mu.Lock()
	within(t, "KeepTyped under a held lock", func() { e.KeepTyped("Order-to-Ca") })
	e.mu.Unlock()
	if q := e.View().Question; q == nil || q.Typed != "Order-to-Ca" {
		t.Fatalf("typed text not taken in: %+v", q)
	}
	e.mu.Lock()
	within(t, "KeepTyped under a held lock", func() { e.KeepTyped("Order-to-Cash Turn") })
	e.mu.Unlock()
	answer(t, e, "Order-to-Cash Turnaround")
	if q := e.View().Question; q == nil || q.Typed != "" {
		t.Fatalf("text typed for the title reached the next question: %+v", q)
	}
}

// TestUnsentTextSurvivesAResume: text typed for other questions and left
// unsubmitted is saved with the session at close and comes back in the View
// of the reopened session; an empty entry is not kept.
func TestUnsentTextSurvivesAResume(t *testing.T) {
	e, st := newEngine(t)
	id := e.View().Info.ID
	e.mu.Lock()
	within(t, "KeepUnsent under a held lock", func() {
		e.KeepUnsent(map[string]string{"situation": "Acme ships 14,000 orders a", "why_now": "  "})
	})
	e.mu.Unlock()
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	back, _, err := st.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	lock, err := st.Lock(id)
	if err != nil {
		t.Fatal(err)
	}
	e2 := Open(consulting(t), back, Config{Store: st, Lock: lock, Now: clock})
	t.Cleanup(func() { e2.Close() })
	got := e2.View().Unsent
	if len(got) != 1 || got["situation"] != "Acme ships 14,000 orders a" {
		t.Fatalf("unsent text after a resume: %q", got)
	}
}

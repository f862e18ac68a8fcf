package interview

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"propose/proposal"
	"propose/templates"
)

// Config wires an engine to its agents and its store.
type Config struct {
	// Store saves the session; nil keeps it in memory only.
	Store *Store
	// Lock is the session's write lock, released by Close.
	Lock *Lock
	// Interviewer, Drafter and Reviewer are the three agents; nil means the
	// offline one. The rule reviewer always runs as well as Reviewer.
	Interviewer Interviewer
	Drafter     proposal.Drafter
	Reviewer    proposal.Reviewer
	// EngineName is "offline" or "llm"; a change of engine redrafts.
	EngineName string
	// Render holds what every export of the session shares unless the
	// request says otherwise: the consultancy's branding and extra fonts
	// from the config file.
	Render proposal.RenderOptions
	// Model says which model and server the LLM engine uses, for the status
	// bar ("gpt-4o-mini via api.openai.com"); "" offline.
	Model string
	// Attach, when set, is called once by Open with the new engine, so that
	// parts built before it (an LLM client reporting retry waits) can Post
	// events to it.
	Attach func(*Engine)
	// Usage, when set, reports tokens spent per agent so far in this run.
	Usage func() map[string]Usage
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Events turns the event channel on (the TUI reads it; headless runs
	// leave it off).
	Events bool
	// ReadOnly refuses every change (a session from a newer propose).
	ReadOnly bool
	// Language is the proposal's language (BCP 47; "" means the session's);
	// every agent's prompts ask for it, and SetLanguage changes it for all
	// three at once (it travels in each request, never set on the agents).
	Language string
}

// Engine runs the interviewer, drafter and reviewer on one session. Its
// methods are safe to call from the TUI; long work happens in the engine's
// own goroutines, whose panics become errors the View shows. A screen reads
// the session through View (one lock, an immutable copy) and hears of
// changes on Events; commands (Answer, Skip, Edit, …) return only an
// error. Saves are encoded under the lock and written by one saver
// goroutine outside it.
type Engine struct {
	cfg    Config
	t      *templates.Template
	ctx    context.Context
	cancel context.CancelFunc
	events chan Event

	mu       sync.Mutex
	s        *Session
	inflight map[string]*draftJob
	busy     bool
	backPos  int
	dirty    bool
	baseUse  map[string]Usage
	failed   map[string]error // sections whose last redraft failed, for Settle
	// drafting counts redrafts in flight; idle is signalled (with mu held)
	// when it drops to zero. A WaitGroup would race: Wait may run while an
	// answer starts new redrafts.
	drafting int
	idle     *sync.Cond
	// rev counts changes to the facts and the draft; assembled caches the
	// document assembled at a rev, since assembling re-runs every
	// section's drafting text (a 5 MB answer makes that slow).
	rev       uint64
	assembled *assembly
	// off is set when the model failed in a way no retry mends (a refused
	// key, no quota, an unknown model): the engine runs offline until
	// RetryModel.
	off error

	// What the View shows besides the session: whether Start ran, the
	// questions asked and the remark on the last answer, each section's
	// finished redrafts, notes for the status bar, the last retry wait,
	// and how the last save went.
	started     bool
	asked       uint64
	notice      string
	rounds      map[string]uint64
	notes       []Note
	noteSeq     uint64
	retry       *Retry
	savedAt     time.Time
	saveErr     error
	saveSeq     uint64 // the latest save handed to the saver
	saver       *saver
	seq         uint64 // counts changes (View.Seq)
	active      int    // work in flight (InFlight)
	idleCh      chan struct{}
	kick        chan struct{} // wakes the publisher; nil without events
	published   chan struct{}
	viewPending bool
	closed      bool
	// sendMu orders what goes on the event channel (see publish).
	sendMu sync.Mutex
	sent   atomic.Uint64
	// tmpl is e.t, readable without the lock (the screen asks for it from
	// its Update); askedNow is e.asked, for KeepTyped.
	tmpl     atomic.Pointer[templates.Template]
	askedNow atomic.Uint64
	// typed is text kept as typed (KeepTyped) and not yet taken into the
	// session: it has a lock of its own, so the screen never waits on the
	// engine's.
	typedMu sync.Mutex
	typed   *typedText
	// unsent is the text typed for other questions (KeepUnsent), not yet
	// taken into the session; nil when there is nothing new.
	unsent map[string]string
}

// typedText is text typed for the question asked as number asked.
type typedText struct {
	asked uint64
	text  string
}

// ErrBusy is returned when an answer arrives while the last is still being
// worked on.
var ErrBusy = errors.New("still working on the last answer")

// closedIdle is the Idle channel of an engine with nothing in flight.
var closedIdle = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// Open starts an engine on a session, with the template in the session's
// language.
func Open(t *templates.Template, s *Session, cfg Config) *Engine {
	t = t.In(s.Language)
	if cfg.Language == "" {
		cfg.Language = t.Language() // every request to the agents names it
	}
	if cfg.Interviewer == nil {
		cfg.Interviewer = OfflineInterviewer{}
	}
	if cfg.Drafter == nil {
		cfg.Drafter = proposal.OfflineDrafter{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.EngineName == "" {
		cfg.EngineName = "offline"
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Engine{cfg: cfg, t: t, s: s, ctx: ctx, cancel: cancel, inflight: map[string]*draftJob{},
		backPos: -1, baseUse: maps.Clone(s.Usage), failed: map[string]error{}, rounds: map[string]uint64{},
		idleCh: closedIdle}
	e.idle = sync.NewCond(&e.mu)
	e.tmpl.Store(t)
	if !s.Updated.IsZero() {
		e.savedAt = s.Updated
	}
	if cfg.Store != nil && !cfg.ReadOnly {
		e.saver = newSaver(cfg.Store, s.ID, e.saved)
	}
	if cfg.Events {
		e.events = make(chan Event, 4096)
		e.kick = make(chan struct{}, 1)
		e.published = make(chan struct{})
		go e.publish()
	}
	s.Draft.Align(t)
	if s.Facts == nil {
		s.Facts = proposal.Facts{}
	}
	if s.Skipped == nil {
		s.Skipped = map[string]bool{}
	}
	if s.FollowedUp == nil {
		s.FollowedUp = map[string]bool{}
	}
	if cfg.Attach != nil {
		cfg.Attach(e)
	}
	return e
}

// Events is the engine's one event channel (nil unless Config.Events): a
// ChangedEvent after each burst of changes, and the text of sections as a
// model streams it.
func (e *Engine) Events() <-chan Event { return e.events }

// Template is the session's template.
func (e *Engine) Template() *templates.Template { return e.tmpl.Load() }

// EngineName is "offline" or "llm".
func (e *Engine) EngineName() string { return e.cfg.EngineName }

// Model says which model and server the LLM engine uses ("" offline).
func (e *Engine) Model() string { return e.cfg.Model }

// Post tells the screen something from outside the engine: a NoticeEvent
// or an ErrorEvent becomes a Note of the View, a RetryEvent (an LLM retry
// wait reported by the client) its Retry. Other events are ignored.
func (e *Engine) Post(ev Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch ev := ev.(type) {
	case NoticeEvent:
		e.noteLocked(ev.Text, nil)
	case ErrorEvent:
		if ev.Err != nil {
			e.noteLocked(ev.Err.Error(), ev.Err)
		}
	case RetryEvent:
		e.retry = &Retry{RetryEvent: ev, At: e.cfg.Now()}
		e.touchLocked()
	}
}

// send puts streamed text on the event channel (nothing else goes there
// but the publisher's Views). A delta the screen has no room for is
// dropped: the View brings the whole text.
func (e *Engine) send(ev Event) {
	if e.events == nil {
		return
	}
	e.sendMu.Lock()
	defer e.sendMu.Unlock()
	if _, delta := ev.(DraftDeltaEvent); delta {
		select {
		case e.events <- ev:
			e.sent.Add(1)
		default:
		}
		return
	}
	select {
	case e.events <- ev:
		e.sent.Add(1)
	case <-e.ctx.Done():
	}
}

// Start shows where the session stands: the pending question (or the next
// one), and redrafts whatever is stale.
func (e *Engine) Start(ctx context.Context) error {
	e.hold()
	defer e.release()
	e.mu.Lock()
	pending := e.s.Pending
	e.mu.Unlock()
	if pending == nil {
		q, err := e.next(ctx)
		if err != nil {
			return err
		}
		pending = q
	}
	e.mu.Lock()
	e.started = true
	e.askLocked(pending, "")
	e.redraftLocked()
	e.reviewLocked()
	e.mu.Unlock()
	return nil
}

// saveLocked encodes the session and hands it to the saver, which writes
// it outside the lock (the View's SavedAt and SaveErr say how it went).
// Without a store it records the save at once.
func (e *Engine) saveLocked() {
	e.takeTypedLocked()
	e.touchLocked()
	if e.cfg.Usage != nil {
		e.s.Usage = e.usageLocked()
	}
	if e.saver == nil {
		if !e.cfg.ReadOnly {
			e.savedAt = e.cfg.Now()
		}
		return
	}
	e.s.Engine = e.cfg.EngineName
	data, err := encodeForSave(e.s)
	e.saveSeq++
	// A session that cannot be encoded still takes its turn in the queue,
	// so that a flush reports why.
	if !e.saver.put(e.saveSeq, data, err) {
		e.holdLocked()
	}
}

// saved hears a write's outcome from the saver.
func (e *Engine) saved(seq uint64, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case err != nil:
		e.dirty = true
		e.saveErr = err
	case seq == e.saveSeq:
		e.dirty = false
		e.saveErr = nil
		e.savedAt = e.cfg.Now()
	default:
		e.savedAt = e.cfg.Now() // a newer save is on its way
		e.saveErr = nil
	}
	e.touchLocked()
	e.releaseLocked()
}

// flush waits for every save handed to the saver and returns the outcome of
// the last.
func (e *Engine) flush() error {
	if e.saver == nil {
		return nil
	}
	return e.saver.flush()
}

// Save saves now and reports the error, if any.
func (e *Engine) Save() error {
	e.mu.Lock()
	e.saveLocked()
	e.mu.Unlock()
	return e.flush()
}

// Facts returns a copy of the facts.
func (e *Engine) Facts() proposal.Facts {
	e.mu.Lock()
	defer e.mu.Unlock()
	return maps.Clone(e.s.Facts)
}

// Turns returns a copy of the transcript.
func (e *Engine) Turns() []Turn {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.s.Turns)
}

// Info is the session's identity for the status bar and the picker.
type Info struct {
	ID, Title, Client, Template string
	Updated                     time.Time
	Dirty                       bool
}

// Info returns the session's identity.
func (e *Engine) Info() Info {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.infoLocked()
}

func (e *Engine) infoLocked() Info {
	return Info{ID: e.s.ID, Title: e.s.Title(), Client: e.s.Client(), Template: e.s.Template, Updated: e.s.Updated, Dirty: e.dirty}
}

// Markdown returns the whole proposal as Markdown.
func (e *Engine) Markdown() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return proposal.Markdown(proposal.CoverOf(e.t, e.s.Facts, e.s.Today()), e.draftCopy())
}

// Close stops redrafts, saves (waiting for the write) and gives the
// session's lock up. A save that fails makes an emergency save elsewhere
// (rescue.go), and the error says where.
func (e *Engine) Close() error {
	e.mu.Lock()
	closed := e.closed
	e.closed = true
	e.mu.Unlock()
	if closed {
		return nil
	}
	e.CancelDrafts()
	e.Wait()
	err := e.SaveOrRescue()
	if e.saver != nil {
		e.saver.close()
	}
	e.cancel()
	if e.published != nil {
		<-e.published
	}
	e.cfg.Lock.Release()
	return err
}

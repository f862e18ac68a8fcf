package interview

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"propose/llm"
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

type assembly struct {
	rev   uint64
	draft proposal.Draft
	falls []proposal.Fallback
}

type draftJob struct {
	inputs string
	cancel context.CancelFunc
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

func (e *Engine) state() State {
	return State{
		Template:   e.t,
		Facts:      maps.Clone(e.s.Facts),
		Skipped:    maps.Clone(e.s.Skipped),
		FollowedUp: maps.Clone(e.s.FollowedUp),
		Coverage:   e.s.Coverage(e.t),
		Turn:       len(e.s.Turns) + 1,
		Last:       e.lastExchange(),
		Language:   e.cfg.Language,
	}
}

func (e *Engine) lastExchange() *Exchange {
	if len(e.s.Turns) == 0 {
		return nil
	}
	t := e.s.Turns[len(e.s.Turns)-1]
	q := QuestionFor(e.t, nil, t.Field)
	if q == nil {
		return nil
	}
	q.Text = t.Question
	return &Exchange{Question: *q, Answer: t.Answer}
}

func (e *Engine) next(ctx context.Context) (*Question, error) {
	e.mu.Lock()
	st := e.state()
	e.mu.Unlock()
	q, err := e.cfg.Interviewer.Next(ctx, st)
	if err != nil {
		// The offline walk never fails; fall back to it so the interview goes on.
		q, _ = OfflineInterviewer{}.Next(ctx, st)
		e.Post(NoticeEvent{Text: "The model could not pick the next question; asking the template's own. (" + err.Error() + ")"})
	}
	e.mu.Lock()
	e.offerDefault(q)
	e.mu.Unlock()
	return q, nil
}

// offerDefault puts a field's default in the answer box of a question that
// has no answer yet, so Enter accepts it ("26 November 2026" for a date that
// defaults to today).
func (e *Engine) offerDefault(q *Question) {
	if q == nil || q.Prefill != "" || q.FollowUp {
		return
	}
	_, f := e.t.Field(q.Field)
	if f == nil || strings.TrimSpace(f.Default) == "" {
		return
	}
	q.Prefill = proposal.RenderField(f, nil, e.s.Today())
}

// Answer records the answer to the pending question, saves, starts
// redrafting the sections it changed and moves on to the next question
// (the View's Question; Done when the interview is complete). "assume"
// states an assumption instead. An answer the interviewer cannot use asks
// the same question again, with the View's Notice saying why.
func (e *Engine) Answer(ctx context.Context, text string) error {
	return e.respond(ctx, text, Answered)
}

// Skip leaves the pending question unanswered and moves on.
func (e *Engine) Skip(ctx context.Context) error {
	return e.respond(ctx, "", Skipped)
}

// Assume has the interviewer state an assumption for the pending question.
func (e *Engine) Assume(ctx context.Context) error {
	return e.respond(ctx, AssumeWord, Answered)
}

func (e *Engine) begin() (*Question, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cfg.ReadOnly {
		return nil, ErrReadOnly
	}
	if e.busy {
		return nil, ErrBusy
	}
	if e.s.Pending == nil {
		return nil, ErrInterviewComplete
	}
	e.busy = true
	e.holdLocked()
	e.touchLocked()
	q := *e.s.Pending
	return &q, nil
}

func (e *Engine) end() {
	e.mu.Lock()
	e.busy = false
	e.touchLocked()
	e.releaseLocked()
	e.mu.Unlock()
}

func (e *Engine) respond(ctx context.Context, text string, kind TurnKind) (err error) {
	q, err := e.begin()
	if err != nil {
		return err
	}
	defer e.end()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error while recording the answer (it is kept): %v", r)
			e.Post(ErrorEvent{Err: fmt.Errorf("%w\n%s", err, debug.Stack())})
		}
	}()
	var ab Absorbed
	if kind == Answered {
		e.mu.Lock()
		st := e.state()
		e.mu.Unlock()
		ab, err = e.cfg.Interviewer.Absorb(ctx, st, *q, text)
		if err != nil {
			return err
		}
		if ab.Retry != "" {
			e.mu.Lock()
			e.askLocked(e.s.Pending, ab.Retry) // the same question again, saying why
			e.mu.Unlock()
			return nil
		}
		if _, own := ParseAssume(text); own {
			kind = Assumed
		}
	}

	e.mu.Lock()
	now := e.cfg.Now()
	turn := Turn{N: len(e.s.Turns) + 1, Field: q.Field, Question: q.Text, Answer: CleanAnswer(text), Kind: kind, FollowUp: q.FollowUp, At: now}
	if kind == Skipped {
		turn.Answer = ""
		if !q.FollowUp {
			e.s.Skipped[q.Field] = true
		}
	}
	e.s.Turns = append(e.s.Turns, turn)
	for _, f := range ab.Facts {
		f.Turn, f.At = turn.N, now
		if e.acceptsDefault(q, f, text) {
			f.Origin = proposal.Default
		}
		e.s.Facts[f.Field] = f
		e.rev++
		delete(e.s.Skipped, f.Field)
	}
	if q.FollowUp {
		e.s.FollowedUp[q.Field] = true
	}
	if ab.FollowUp != nil {
		e.s.FollowedUp[q.Field] = true
	}
	e.s.Pending = nil
	e.s.Updated = now
	e.backPos = -1
	e.saveLocked()
	e.redraftLocked()
	e.reviewLocked()
	e.mu.Unlock()

	var next *Question
	if ab.FollowUp != nil {
		next = ab.FollowUp
	} else if next, err = e.next(ctx); err != nil {
		return err
	}
	e.mu.Lock()
	e.askLocked(next, ab.Notice)
	e.saveLocked()
	e.mu.Unlock()
	return nil
}

// acceptsDefault reports whether an answer to q takes the field's default
// exactly as it was offered (Enter on the prefilled box): the fact then
// keeps the template's wording rather than becoming the user's words.
func (e *Engine) acceptsDefault(q *Question, f proposal.Fact, text string) bool {
	if q.FollowUp || f.Field != q.Field || f.Origin != proposal.Stated {
		return false
	}
	if old, ok := e.s.Facts[f.Field]; ok && old.Origin != proposal.Default {
		return false
	}
	_, tf := e.t.Field(q.Field)
	if tf == nil || strings.TrimSpace(tf.Default) == "" {
		return false
	}
	offered := strings.TrimSpace(proposal.RenderField(tf, nil, e.s.Today()))
	return offered != "" && strings.TrimSpace(text) == offered
}

// KeepTyped remembers text typed for the pending question but not yet
// submitted, so quitting (or a crash that still closes the engine) does not
// lose it. It is saved by the next save or by Close and offered again on
// resume; submitting an answer clears it. It never waits on the engine's
// lock (a save being encoded): the text is taken in by the next save or
// View, and dropped if the question changed meanwhile.
func (e *Engine) KeepTyped(text string) {
	if e.cfg.ReadOnly {
		return
	}
	e.typedMu.Lock()
	e.typed = &typedText{asked: e.askedNow.Load(), text: text}
	e.typedMu.Unlock()
	if e.mu.TryLock() { // take it in now when nobody holds the lock
		e.takeTypedLocked()
		e.mu.Unlock()
	}
}

// KeepUnsent remembers the text typed for other questions than the
// pending one and left unsubmitted, by field, so that it comes back after a
// resume as it does within a session. It replaces what was kept before, and
// like KeepTyped never waits on the engine's lock.
func (e *Engine) KeepUnsent(unsent map[string]string) {
	if e.cfg.ReadOnly {
		return
	}
	kept := map[string]string{}
	for f, t := range unsent {
		if strings.TrimSpace(t) != "" {
			kept[f] = t
		}
	}
	e.typedMu.Lock()
	e.unsent = kept
	e.typedMu.Unlock()
	if e.mu.TryLock() {
		e.takeTypedLocked()
		e.mu.Unlock()
	}
}

// takeTypedLocked takes text kept by KeepTyped into the pending question,
// and text kept by KeepUnsent into the session.
func (e *Engine) takeTypedLocked() {
	e.typedMu.Lock()
	kept, unsent := e.typed, e.unsent
	e.typed, e.unsent = nil, nil
	e.typedMu.Unlock()
	if unsent != nil && !maps.Equal(unsent, e.s.Unsent) {
		e.s.Unsent = unsent
		if len(unsent) == 0 {
			e.s.Unsent = nil
		}
		e.dirty = true
		e.touchLocked()
	}
	if kept == nil || kept.asked != e.asked || e.s.Pending == nil {
		return
	}
	text := kept.text
	if strings.TrimSpace(text) == strings.TrimSpace(e.s.Pending.Prefill) {
		text = ""
	}
	if e.s.Pending.Typed != text {
		e.s.Pending.Typed = text
		e.dirty = true
		e.touchLocked()
	}
}

// Edit goes back to any field's question, offering its current answer.
func (e *Engine) Edit(field string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.editLocked(field)
}

func (e *Engine) editLocked(field string) error {
	if e.busy {
		return ErrBusy
	}
	q := QuestionFor(e.t, e.s.Facts, field)
	if q == nil {
		return fmt.Errorf("the template has no question %q", field)
	}
	e.offerDefault(q)
	e.askLocked(q, "")
	e.saveLocked()
	return nil
}

// Back goes to the question answered before the one on screen; pressed
// again, to the one before that.
func (e *Engine) Back() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	pos := e.backPos
	if pos < 0 {
		pos = len(e.s.Turns)
	}
	cur := ""
	if e.s.Pending != nil {
		cur = e.s.Pending.Field
	}
	field := ""
	for i := pos - 1; i >= 0; i-- {
		if f := e.s.Turns[i].Field; f != cur {
			field, pos = f, i
			break
		}
	}
	if field == "" {
		return ErrFirstQuestion
	}
	err := e.editLocked(field)
	if err == nil {
		e.backPos = pos
	}
	return err
}

// Record sets a fact directly, as an answers file does in a headless run.
func (e *Engine) Record(field, value string, origin proposal.Origin) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, f := e.t.Field(field)
	if f == nil {
		return fmt.Errorf("the template %q has no field %q", e.t.ID, field)
	}
	now := e.cfg.Now()
	value = CleanAnswer(value)
	turn := Turn{N: len(e.s.Turns) + 1, Field: field, Question: f.Question, Answer: value, Kind: Answered, At: now}
	if origin == proposal.Assumed {
		turn.Kind = Assumed
	}
	e.s.Turns = append(e.s.Turns, turn)
	e.s.Facts[field] = proposal.Fact{Field: field, Value: normalise(f, value), Origin: origin, Turn: turn.N, At: now}
	e.rev++
	e.s.Updated = now
	e.touchLocked()
	return nil
}

// Settle picks the next question after Record calls, redrafts, reviews and
// saves: the end of a headless interview. A section whose redraft failed
// keeps its last good text and is saved that way; Settle then reports the
// failure (the first, in template order), since no screen shows it.
//
// Cancelling ctx (Ctrl+C, SIGTERM) cancels every request in flight at once;
// the session is saved as it stands and ctx's error returned.
func (e *Engine) Settle(ctx context.Context) error {
	e.hold()
	defer e.release()
	stop := context.AfterFunc(ctx, e.CancelDrafts)
	defer stop()
	q, err := e.next(ctx)
	if err != nil {
		return err
	}
	e.mu.Lock()
	e.started = true
	e.askLocked(q, "")
	clear(e.failed)
	e.redraftLocked()
	e.mu.Unlock()
	e.Wait()
	e.mu.Lock()
	e.reviewLocked()
	e.saveLocked()
	e.mu.Unlock()
	if err := e.flush(); err != nil {
		return err
	}
	return ctx.Err()
}

// DraftFailures sums up the sections whose last redraft failed, naming the
// first in template order and why; nil when none did. The document carries
// the standard wording for them (Fallbacks).
func (e *Engine) DraftFailures() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.draftFailureLocked()
}

// draftFailureLocked sums up the sections whose last redraft failed, naming
// the first in template order and why.
func (e *Engine) draftFailureLocked() error {
	var first error
	title, n := "", 0
	for _, ts := range e.t.Sections {
		if err := e.failed[ts.ID]; err != nil {
			if first == nil {
				first, title = err, ts.Title
			}
			n++
		}
	}
	switch {
	case n == 0:
		return nil
	case n == 1:
		return fmt.Errorf("the %s section could not be drafted: %w", title, first)
	}
	return fmt.Errorf("the %s section and %d %s could not be drafted: %w", title, n-1, plural(n-1, "other", "others"), first)
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

// redraftLocked starts a redraft of every section whose inputs changed and
// drops sections that have nothing to say.
func (e *Engine) redraftLocked() {
	e.touchLocked()
	values := proposal.FieldValues(e.t, e.s.Facts, e.s.Today())
	for i := range e.t.Sections {
		ts := &e.t.Sections[i]
		ds := e.s.Draft.Section(ts.ID)
		if !proposal.HasContent(ts, e.s.Facts) {
			if job := e.inflight[ts.ID]; job != nil {
				job.cancel()
				delete(e.inflight, ts.ID)
			}
			if ds.Body != "" || ds.Truncated || ds.Inputs != "" {
				ds.Body, ds.Fields, ds.Inputs, ds.Truncated, ds.Fallback = "", nil, "", false, ""
				e.rev++
				e.rounds[ts.ID]++
			}
			continue
		}
		in := proposal.Inputs(ts, values, e.cfg.EngineName)
		if in == ds.Inputs && !ds.Truncated {
			continue
		}
		if job := e.inflight[ts.ID]; job != nil {
			if job.inputs == in {
				continue
			}
			job.cancel() // a newer answer makes that redraft stale
		}
		if e.off != nil && e.cfg.EngineName == "llm" {
			// The model is off: the section reads the standard wording
			// (Assemble) until the model is tried again.
			continue
		}
		ctx, cancel := context.WithCancel(e.ctx)
		job := &draftJob{inputs: in, cancel: cancel}
		e.inflight[ts.ID] = job
		req := proposal.DraftRequest{Template: e.t, Section: ts, Facts: maps.Clone(e.s.Facts), Values: values,
			Today: e.s.Today(), Language: e.cfg.Language}
		e.drafting++
		e.holdLocked()
		go e.draft(ctx, job, req)
	}
}

// draft runs one section's redraft in the background.
func (e *Engine) draft(ctx context.Context, job *draftJob, req proposal.DraftRequest) {
	defer func() {
		e.mu.Lock()
		e.drafting--
		if e.drafting == 0 {
			e.idle.Broadcast()
		}
		e.touchLocked()
		e.releaseLocked()
		e.mu.Unlock()
	}()
	defer job.cancel()
	id := req.Section.ID
	defer func() {
		if r := recover(); r != nil {
			err := fmt.Errorf("drafting %s failed: %v", req.Section.Title, r)
			e.mu.Lock()
			if e.inflight[id] == job {
				delete(e.inflight, id)
				e.failed[id] = err
				e.rounds[id]++
			}
			e.mu.Unlock()
		}
	}()
	e.send(DraftStartedEvent{Section: id})
	// A sequence split between two deltas is cleaned whole: its tail never
	// shows as text while the section streams.
	var clean proposal.StreamSanitizer
	body, err := e.cfg.Drafter.DraftSection(ctx, req, func(delta string) {
		if text := clean.Write(delta); text != "" {
			e.send(DraftDeltaEvent{Section: id, Text: text})
		}
	})
	e.mu.Lock()
	if e.inflight[id] != job {
		e.mu.Unlock() // stale: a newer redraft replaced it
		return
	}
	delete(e.inflight, id)
	ds := e.s.Draft.Section(id)
	var fb *proposal.FallbackError
	if errors.As(err, &fb) {
		// The model's figures did not hold up twice: the section carries
		// the standard wording for these answers, and says so.
		delete(e.failed, id)
		ds.Body, ds.Fallback, ds.Truncated = "", fb.Reason, false
		ds.Fields = proposal.FedBy(req.Section, req.Facts)
		ds.Inputs = job.inputs
		e.rev++
		e.rounds[id]++
		e.noteLocked("The "+req.Section.Title+" section uses the standard wording: "+fb.Reason+".", nil)
		e.reviewLocked()
		e.saveLocked()
		e.mu.Unlock()
		return
	}
	if err != nil {
		truncated := errors.Is(err, proposal.ErrTruncated)
		if truncated {
			ds.Truncated = true
			e.rev++
			e.saveLocked()
		}
		if ctx.Err() != nil && !truncated {
			e.mu.Unlock()
			return // cancelled: the user or a newer answer stopped it
		}
		// The section shows what the document would carry (the View's
		// Draft): the standard wording on the current answers, never a
		// table from before.
		e.failed[id] = err
		e.rounds[id]++
		e.degradeLocked(err)
		e.mu.Unlock()
		return
	}
	delete(e.failed, id)
	ds.Body = proposal.StoredProse(req.Section, req.Values, proposal.Sanitize(body))
	ds.Fields = proposal.FedBy(req.Section, req.Facts)
	ds.Inputs = job.inputs
	ds.Truncated, ds.Fallback = false, ""
	e.rev++
	e.rounds[id]++
	e.reviewLocked()
	if len(e.inflight) == 0 {
		e.saveLocked()
	}
	e.mu.Unlock()
}

// degradeLocked switches the model off for the rest of the session after a
// failure no retry mends, cancelling the model's other work (those sections
// show the standard wording), and says so in a Note. Nothing happens when
// err is not such a failure or the model is already off.
func (e *Engine) degradeLocked(err error) {
	if e.off != nil || e.cfg.EngineName != "llm" {
		return
	}
	le := llm.Classify(err)
	if le == nil || !permanent(le) {
		return
	}
	e.off = le
	for id, job := range e.inflight {
		job.cancel()
		delete(e.inflight, id)
		e.rounds[id]++
	}
	if iv, ok := e.cfg.Interviewer.(*LLMInterviewer); ok {
		iv.switchOff(le)
	}
	e.noteLocked(le.Message+" The model is off for this session: sections use the standard wording.", nil)
}

// Degrade switches the model off for the rest of the session when err is a
// failure no retry mends (a refused key, no quota, an unknown model); other
// errors are left alone.
func (e *Engine) Degrade(err error) {
	e.mu.Lock()
	e.degradeLocked(err)
	e.mu.Unlock()
}

// RetryModel switches the model on again after it was switched off (the
// key was fixed, the quota topped up) and redrafts what it has not drafted.
func (e *Engine) RetryModel() {
	e.mu.Lock()
	if e.off == nil {
		e.mu.Unlock()
		return
	}
	e.off = nil
	if iv, ok := e.cfg.Interviewer.(*LLMInterviewer); ok {
		iv.switchOff(nil)
	}
	clear(e.failed)
	e.redraftLocked()
	e.mu.Unlock()
}

// RetrySection redrafts a section: one whose last redraft failed, stalled,
// stopped early or fell back to the standard wording, or any other on
// request.
func (e *Engine) RetrySection(id string) {
	e.mu.Lock()
	if ds := e.s.Draft.Section(id); ds != nil {
		ds.Inputs, ds.Fallback = "", ""
		e.rev++
	}
	if e.off != nil {
		// Asking for the model's draft is asking for the model.
		e.off = nil
		if iv, ok := e.cfg.Interviewer.(*LLMInterviewer); ok {
			iv.switchOff(nil)
		}
	}
	e.redraftLocked()
	e.mu.Unlock()
}

// CancelDrafts stops every redraft in flight (Esc). Sections keep their last
// good text.
func (e *Engine) CancelDrafts() {
	e.mu.Lock()
	for id, job := range e.inflight {
		job.cancel()
		delete(e.inflight, id)
	}
	e.touchLocked()
	e.mu.Unlock()
}

// Wait blocks until every redraft in flight has finished.
func (e *Engine) Wait() {
	e.mu.Lock()
	for e.drafting > 0 {
		e.idle.Wait()
	}
	e.mu.Unlock()
}

// reviewLocked runs the rule reviewer and stores its findings, keeping any
// other reviewer's findings from the last full review.
func (e *Engine) reviewLocked() {
	rules, _ := proposal.RuleReviewer{}.Review(e.ctx, e.reviewRequest())
	var others []proposal.Finding
	for _, f := range e.s.Findings {
		if f.Source != "rules" {
			others = append(others, f)
		}
	}
	e.s.Findings = proposal.Merge(rules, others)
	proposal.SortFindings(e.t, e.s.Findings)
	e.touchLocked()
}

func (e *Engine) reviewRequest() proposal.ReviewRequest {
	return proposal.ReviewRequest{Template: e.t, Facts: maps.Clone(e.s.Facts), Draft: e.draftCopy(), Today: e.s.Today(),
		Language: e.cfg.Language}
}

// draftCopy is the document as it stands: the stored prose with every block
// rebuilt from the current facts, and the offline text wherever the model's
// prose cannot be used (proposal.Assemble).
func (e *Engine) draftCopy() proposal.Draft {
	d, _ := e.assembleLocked()
	return d
}

func (e *Engine) assembleLocked() (proposal.Draft, []proposal.Fallback) {
	if a := e.assembled; a == nil || a.rev != e.rev {
		d, fs := proposal.Assemble(e.t, e.s.Facts, e.s.Today(), proposal.Draft{Sections: slices.Clone(e.s.Draft.Sections)}, e.cfg.EngineName)
		e.assembled = &assembly{rev: e.rev, draft: d, falls: fs}
	}
	a := e.assembled
	return proposal.Draft{Sections: slices.Clone(a.draft.Sections)}, slices.Clone(a.falls)
}

// Fallbacks lists the sections the document carries in the offline
// drafter's words because the model's prose cannot be used (never drafted,
// failed, stopped early, drafted from earlier answers, figures the answers
// do not hold), each with the reason; the export dialog and the CLI show
// it. Sections still being redrafted are listed too: an export made now
// would carry the standard wording for them.
func (e *Engine) Fallbacks() []proposal.Fallback {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.fallbacksLocked()
}

func (e *Engine) fallbacksLocked() []proposal.Fallback {
	_, fs := e.assembleLocked()
	for i := range fs {
		switch {
		case e.off != nil:
			fs[i].Reason = "the model is off: " + plainReason(e.off)
		case e.failed[fs[i].Section] != nil && fs[i].Reason != proposal.ReasonTruncated:
			fs[i].Reason = "the model failed: " + plainReason(e.failed[fs[i].Section])
		case e.inflight[fs[i].Section] != nil:
			fs[i].Reason = "the model is still drafting it"
		}
	}
	return fs
}

// plainReason is an error's message as one short sentence without its
// final stop, for "the model failed: …".
func plainReason(err error) string {
	msg := strings.TrimSpace(err.Error())
	if i := strings.Index(msg, ". "); i > 0 {
		msg = msg[:i]
	}
	return strings.TrimSuffix(msg, ".")
}

// Review waits for redrafts, runs the rules and, when there is one, the
// engine's own reviewer on a fresh context (draft and facts, never the
// transcript), and returns the merged findings.
func (e *Engine) Review(ctx context.Context) ([]proposal.Finding, error) {
	e.hold()
	defer e.release()
	e.Wait()
	e.mu.Lock()
	req := e.reviewRequest()
	e.mu.Unlock()
	rules, _ := proposal.RuleReviewer{}.Review(ctx, req)
	var others []proposal.Finding
	var rerr error
	e.mu.Lock()
	off := e.off
	e.mu.Unlock()
	if e.cfg.Reviewer != nil && off == nil {
		others, rerr = e.cfg.Reviewer.Review(ctx, req)
		for i := range others {
			if others[i].Source == "" {
				others[i].Source = "llm"
			}
		}
	}
	e.mu.Lock()
	if rerr != nil { // keep the model's earlier findings rather than none
		for _, f := range e.s.Findings {
			if f.Source != "rules" {
				others = append(others, f)
			}
		}
	}
	e.s.Findings = proposal.Merge(rules, others)
	proposal.SortFindings(e.t, e.s.Findings)
	e.s.Reviewed = e.cfg.Now()
	fs := slices.Clone(e.s.Findings)
	e.saveLocked()
	e.mu.Unlock()
	if rerr != nil {
		return fs, fmt.Errorf("the model's review failed, so only the rule review is shown: %w", rerr)
	}
	if off != nil && e.cfg.Reviewer != nil {
		return fs, fmt.Errorf("the model is off for this session, so only the rule review is shown: %w", off)
	}
	return fs, nil
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

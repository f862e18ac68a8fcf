package interview

import (
	"context"
	"maps"
	"slices"
	"time"

	"propose/proposal"
)

// View is everything a screen shows of a session at one moment, taken
// under one acquisition of the engine's lock. It is a value: it shares no
// slice or map with the engine, so it may be kept and read from any
// goroutine while the engine goes on.
type View struct {
	// Seq numbers the engine's changes; a later View has a larger Seq.
	Seq uint64
	// Info is the session's identity.
	Info Info
	// ReadOnly is set for a session from a newer propose: changes are refused.
	ReadOnly bool
	// Engine is "offline" or "llm"; Model says which model and server the
	// LLM engine uses ("" offline).
	Engine, Model string

	// Started is set once Start has shown where the session stands; before
	// that Question is nil without the interview being Done.
	Started bool
	// Question is the question on screen (a copy), nil when Done.
	Question *Question
	// Done is set when the interview has nothing left to ask.
	Done bool
	// Asked counts the questions put to the user; it changes whenever a
	// question is asked, the same one again included (with a Notice saying
	// why).
	Asked uint64
	// Notice is a remark about the last answer ("kept as written"), or why
	// the same question is asked again.
	Notice string
	// Busy is set while an answer is being recorded.
	Busy bool

	Progress Progress
	Coverage []SectionCoverage
	// Facts are the answers given so far; Turns counts the transcript.
	Facts proposal.Facts
	Turns int

	// Cover and Draft are the document as an export now would carry it.
	Cover proposal.Cover
	Draft proposal.Draft
	// Sections say how each section's drafting stands, in template order.
	Sections []SectionState
	// Fallbacks are the sections the document carries in the standard
	// wording, and why.
	Fallbacks []proposal.Fallback

	Findings []proposal.Finding
	// Usage is tokens spent per agent over the whole session.
	Usage map[string]Usage
	// ModelOff says why the model is switched off for the session ("" when
	// it is in use, or the engine is offline by choice).
	ModelOff string
	// Retry is the last wait before retrying a call to the model, if any.
	Retry *Retry

	// SavedAt is when the session was last saved; SaveErr why the last save
	// failed (nil once a save succeeds again).
	SavedAt time.Time
	SaveErr error
	// Notes are the latest remarks for the status bar, oldest first; each
	// has a Seq, so a screen shows only those it has not shown.
	Notes []Note
	// Unsent is text typed for other questions and not submitted, by
	// field (see Session.Unsent).
	Unsent map[string]string
}

// SectionState is how one section's drafting stands.
type SectionState struct {
	ID string
	// Drafting is set while a redraft is in flight.
	Drafting bool
	// Rounds counts the redrafts of the section that ended (finished, failed
	// or fell back to the standard wording): a change means its outcome is
	// new, even when the text is the same.
	Rounds uint64
	// Err is why the last redraft failed, or nil.
	Err error
	// Truncated marks a body whose drafting stopped early.
	Truncated bool
}

// Note is a remark for the status bar: a notice, or a failure (Err set).
type Note struct {
	Seq  uint64
	Text string
	Err  error
}

// Retry is a wait before retrying a call to the model, and when it began.
type Retry struct {
	RetryEvent
	At time.Time
}

// maxNotes is how many notes a View keeps.
const maxNotes = 8

// Drafting lists the sections being redrafted.
func (v View) Drafting() []string {
	var ids []string
	for _, s := range v.Sections {
		if s.Drafting {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// Section is the state of one section, or nil.
func (v View) Section(id string) *SectionState {
	for i := range v.Sections {
		if v.Sections[i].ID == id {
			return &v.Sections[i]
		}
	}
	return nil
}

// SectionChanges lists the sections whose outcome changed from prev to
// next, in template order: a DraftDoneEvent for a section whose text
// changed or whose redraft finished, a DraftFailedEvent for one whose
// redraft failed or stopped early. A section still being redrafted in next
// is left for a later View.
func SectionChanges(prev, next View) []Event {
	var evs []Event
	for _, s := range next.Sections {
		if s.Drafting {
			continue // its outcome is told when the redraft ends
		}
		body := ""
		if d := next.Draft.Section(s.ID); d != nil {
			body = d.Body
		}
		old, oldBody := prev.Section(s.ID), ""
		if d := prev.Draft.Section(s.ID); d != nil {
			oldBody = d.Body
		}
		if old != nil && old.Rounds == s.Rounds && oldBody == body && old.Truncated == s.Truncated {
			continue
		}
		if old == nil && body == "" {
			continue
		}
		if s.Err != nil || s.Truncated {
			evs = append(evs, DraftFailedEvent{Section: s.ID, Err: s.Err, Truncated: s.Truncated, Body: body})
			continue
		}
		evs = append(evs, DraftDoneEvent{Section: s.ID, Body: body})
	}
	return evs
}

// View is the session as it stands now.
func (e *Engine) View() View {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.viewLocked()
}

func (e *Engine) viewLocked() View {
	e.takeTypedLocked()
	v := View{
		Seq:      e.seq,
		Info:     e.infoLocked(),
		ReadOnly: e.cfg.ReadOnly,
		Engine:   e.cfg.EngineName,
		Model:    e.cfg.Model,
		Started:  e.started,
		Asked:    e.asked,
		Notice:   e.notice,
		Unsent:   maps.Clone(e.s.Unsent),
		Busy:     e.busy,
		Progress: e.s.Progress(e.t),
		Coverage: e.s.Coverage(e.t),
		Facts:    maps.Clone(e.s.Facts),
		Turns:    len(e.s.Turns),
		Cover:    proposal.CoverOf(e.t, e.s.Facts, e.s.Today()),
		Findings: slices.Clone(e.s.Findings),
		Usage:    e.usageLocked(),
		SavedAt:  e.savedAt,
		SaveErr:  e.saveErr,
		Notes:    slices.Clone(e.notes),
	}
	if p := e.s.Pending; p != nil {
		q := *p
		q.Choices = slices.Clone(p.Choices)
		v.Question = &q
	}
	v.Done = e.started && v.Question == nil
	d, _ := e.assembleLocked()
	for i := range d.Sections {
		d.Sections[i].Fields = slices.Clone(d.Sections[i].Fields)
	}
	v.Draft = d
	v.Sections = make([]SectionState, 0, len(e.t.Sections))
	for _, ts := range e.t.Sections {
		st := SectionState{ID: ts.ID, Drafting: e.inflight[ts.ID] != nil, Rounds: e.rounds[ts.ID], Err: e.failed[ts.ID]}
		if ds := e.s.Draft.Section(ts.ID); ds != nil {
			st.Truncated = ds.Truncated
		}
		v.Sections = append(v.Sections, st)
	}
	v.Fallbacks = e.fallbacksLocked()
	if e.off != nil {
		v.ModelOff = plainReason(e.off)
	}
	if e.retry != nil {
		r := *e.retry
		v.Retry = &r
	}
	return v
}

// usageLocked is tokens spent per agent over the whole session: what the
// session had when it opened and what this run's client has counted.
func (e *Engine) usageLocked() map[string]Usage {
	if e.cfg.Usage == nil {
		return maps.Clone(e.s.Usage)
	}
	use := maps.Clone(e.baseUse)
	if use == nil {
		use = map[string]Usage{}
	}
	for agent, u := range e.cfg.Usage() {
		b := use[agent]
		b.PromptTokens += u.PromptTokens
		b.CompletionTokens += u.CompletionTokens
		b.Estimated = b.Estimated || u.Estimated
		use[agent] = b
	}
	return use
}

// noteLocked adds a remark for the status bar.
func (e *Engine) noteLocked(text string, err error) {
	e.noteSeq++
	e.notes = append(e.notes, Note{Seq: e.noteSeq, Text: text, Err: err})
	if len(e.notes) > maxNotes {
		e.notes = slices.Clone(e.notes[len(e.notes)-maxNotes:])
	}
	e.touchLocked()
}

// askLocked puts q on screen (nil: the interview is complete) with a
// remark about the last answer.
func (e *Engine) askLocked(q *Question, notice string) {
	e.takeTypedLocked() // typed for the question going away
	e.s.Pending = q
	e.asked++
	e.askedNow.Store(e.asked)
	e.notice = notice
	e.touchLocked()
}

// touchLocked records a change: the next View is newer, and a ChangedEvent
// carrying it is sent (changes made before the publisher takes the View
// share it).
func (e *Engine) touchLocked() {
	e.seq++
	if e.kick == nil || e.viewPending {
		return
	}
	e.viewPending = true
	e.holdLocked()
	select {
	case e.kick <- struct{}{}:
	default:
	}
}

// publish sends a ChangedEvent after each burst of changes, until the
// engine closes. It holds the send lock from taking the View to sending
// it, so a View never overtakes the text events sent before it nor
// follows those sent after.
func (e *Engine) publish() {
	defer close(e.published)
	for {
		select {
		case <-e.kick:
		case <-e.ctx.Done():
			return
		}
		e.sendMu.Lock()
		e.mu.Lock()
		e.viewPending = false
		v := e.viewLocked()
		e.mu.Unlock()
		select {
		case e.events <- ChangedEvent{View: v}:
			e.sent.Add(1)
		case <-e.ctx.Done():
		}
		e.sendMu.Unlock()
		e.mu.Lock()
		e.releaseLocked()
		e.mu.Unlock()
	}
}

// holdLocked counts a piece of work in flight (a command, a redraft, a
// save, a View not yet sent).
func (e *Engine) holdLocked() {
	if e.active == 0 {
		e.idleCh = make(chan struct{})
	}
	e.active++
}

// releaseLocked ends a piece of work counted by holdLocked.
func (e *Engine) releaseLocked() {
	e.active--
	if e.active == 0 {
		close(e.idleCh)
	}
}

func (e *Engine) hold() {
	e.mu.Lock()
	e.holdLocked()
	e.mu.Unlock()
}

func (e *Engine) release() {
	e.mu.Lock()
	e.releaseLocked()
	e.mu.Unlock()
}

// InFlight counts the work in flight: commands being carried out,
// redrafts, saves not yet written and a change not yet sent as a View.
func (e *Engine) InFlight() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.active
}

// Idle returns a channel that is closed once nothing is in flight (at once
// when nothing is). Work started later takes a new channel.
func (e *Engine) Idle() <-chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.idleCh
}

// WaitIdle blocks until nothing is in flight, or ctx ends.
func (e *Engine) WaitIdle(ctx context.Context) error {
	for {
		ch := e.Idle()
		select {
		case <-ch:
			if e.InFlight() == 0 {
				return nil
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Sent counts the events put on the event channel so far (dropped deltas
// not included): a reader that has taken as many has seen every one.
func (e *Engine) Sent() uint64 { return e.sent.Load() }

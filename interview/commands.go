package interview

import (
	"context"
	"fmt"
	"maps"
	"runtime/debug"
	"strings"

	"propose/proposal"
)

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

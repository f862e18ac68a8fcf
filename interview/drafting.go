package interview

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"propose/llm"
	"propose/proposal"
)

type assembly struct {
	rev   uint64
	draft proposal.Draft
	falls []proposal.Fallback
}

type draftJob struct {
	inputs string
	cancel context.CancelFunc
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

package interview

import (
	"time"

	"propose/proposal"
)

// Event is something the engine tells the screen: a question to show, a save,
// a piece of draft, findings. The TUI reads them from Engine.Events.
type Event interface{ event() }

// QuestionEvent carries the next question, or Done when nothing is left.
type QuestionEvent struct {
	Question *Question
	// Done is set when the interview has nothing left to ask.
	Done bool
	// Notice is a remark about the last answer ("kept as written"), or a
	// reason the same question is asked again.
	Notice string
}

// SavedEvent reports a save.
type SavedEvent struct{ At time.Time }

// SaveFailedEvent reports a save that failed; the work is still in memory
// and the next change saves again.
type SaveFailedEvent struct{ Err error }

// DraftStartedEvent reports that a section is being redrafted.
type DraftStartedEvent struct{ Section string }

// DraftDeltaEvent carries text as a section is drafted. Deltas may be
// coalesced or dropped under load; DraftDoneEvent always carries the whole.
type DraftDeltaEvent struct {
	Section string
	Text    string
}

// DraftDoneEvent carries a section's finished body ("" when it was dropped
// because it has nothing to say).
type DraftDoneEvent struct {
	Section string
	Body    string
}

// DraftFailedEvent reports a redraft that failed; Truncated marks a stream
// that stopped early. Body is what the document now carries for the
// section: the offline drafter's text on the current answers (the model's
// prose from earlier answers could state figures that no longer hold).
type DraftFailedEvent struct {
	Section   string
	Err       error
	Truncated bool
	Body      string
}

// FindingsEvent carries a fresh review.
type FindingsEvent struct{ Findings []proposal.Finding }

// NoticeEvent is a quiet remark for the status bar.
type NoticeEvent struct{ Text string }

// ErrorEvent reports a failure the user should know about.
type ErrorEvent struct{ Err error }

// RetryEvent reports a wait before retrying a call to the model.
type RetryEvent struct {
	Agent   string
	Attempt int
	Max     int
	Wait    time.Duration
	Reason  string
}

// UsageEvent reports tokens spent so far in the session, per agent.
type UsageEvent struct{ Usage map[string]Usage }

// ModelEvent reports that the model was switched off for the rest of the
// session after a failure no retry can mend (a refused key, no quota, an
// unknown model), or switched on again. Off says why, in a sentence; ""
// means the model is in use again.
type ModelEvent struct{ Off string }

func (QuestionEvent) event()     {}
func (SavedEvent) event()        {}
func (SaveFailedEvent) event()   {}
func (DraftStartedEvent) event() {}
func (DraftDeltaEvent) event()   {}
func (DraftDoneEvent) event()    {}
func (DraftFailedEvent) event()  {}
func (FindingsEvent) event()     {}
func (NoticeEvent) event()       {}
func (ErrorEvent) event()        {}
func (RetryEvent) event()        {}
func (UsageEvent) event()        {}
func (ModelEvent) event()        {}

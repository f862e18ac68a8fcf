package interview

import (
	"time"
)

// Event is something the engine tells the screen. On Engine.Events there
// are only three kinds: ChangedEvent (the session changed: here is the
// whole of it as it now stands) and, for text as a model streams it,
// DraftStartedEvent and DraftDeltaEvent. Everything else (the question,
// the draft, findings, usage, saves, notices) is read from the View.
type Event interface{ event() }

// ChangedEvent says the session changed and carries the View taken after
// the change. Changes close together share one View; a View is never
// older than the text events sent before it.
type ChangedEvent struct{ View View }

// DraftStartedEvent reports that a section is being redrafted.
type DraftStartedEvent struct{ Section string }

// DraftDeltaEvent carries text as a section is drafted. Deltas may be
// coalesced or dropped under load; the View carries the finished whole.
type DraftDeltaEvent struct {
	Section string
	Text    string
}

// DraftDoneEvent is a section's redraft finished, as SectionChanges reads
// it from two Views: Body is what the document now carries for it ("" when
// the section was dropped because it has nothing to say). It is never sent
// on Engine.Events.
type DraftDoneEvent struct {
	Section string
	Body    string
}

// DraftFailedEvent is a section's redraft failed, as SectionChanges reads
// it from two Views; Truncated marks a stream that stopped early. Body is
// what the document now carries for the section: the offline drafter's
// text on the current answers (the model's prose from earlier answers could
// state figures that no longer hold). It is never sent on Engine.Events.
type DraftFailedEvent struct {
	Section   string
	Err       error
	Truncated bool
	Body      string
}

// NoticeEvent is a quiet remark for the status bar. Post it to the engine
// (from outside: a configuration warning, an export's font warning); it
// reaches the screen as a Note of the View.
type NoticeEvent struct{ Text string }

// ErrorEvent is a failure the user should know about. Posted, it reaches
// the screen as a Note (with Err set) of the View.
type ErrorEvent struct{ Err error }

// RetryEvent is a wait before retrying a call to the model. Posted (by
// the LLM client's RetryReporter), it becomes the View's Retry.
type RetryEvent struct {
	Agent   string
	Attempt int
	Max     int
	Wait    time.Duration
	Reason  string
}

func (ChangedEvent) event()      {}
func (DraftStartedEvent) event() {}
func (DraftDeltaEvent) event()   {}
func (DraftDoneEvent) event()    {}
func (DraftFailedEvent) event()  {}
func (NoticeEvent) event()       {}
func (ErrorEvent) event()        {}
func (RetryEvent) event()        {}

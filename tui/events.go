package tui

import (
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"propose/interview"
)

// maxBatch caps how many waiting events one message carries.
const maxBatch = 512

// engineEventsMsg carries the events that were waiting on the engine's
// channel, in order. gen names the session they belong to, so events from
// a session already closed are ignored.
type engineEventsMsg struct {
	gen    int
	events []interview.Event
	// n counts the events read off the channel (joined deltas count each).
	n int
}

// listen reads the engine's events: it waits for one, then takes whatever
// else is already waiting (up to maxBatch), so a burst of streamed text
// costs one Update. Consecutive deltas of one section are joined. The Cmd is
// armed again by Update after each message; stop ends it when the session
// closes. No event is dropped here. waiting, when set, counts the
// listeners blocked on the channel (a test harness's idle signal).
func listen(gen int, ch <-chan interview.Event, stop <-chan struct{}, waiting *atomic.Int64) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		var first interview.Event
		if waiting != nil {
			waiting.Add(1)
		}
		select {
		case ev := <-ch:
			first = ev
		case <-stop:
		}
		if waiting != nil {
			waiting.Add(-1)
		}
		if first == nil {
			return nil
		}
		batch, n := []interview.Event{first}, 1
		for len(batch) < maxBatch {
			select {
			case ev := <-ch:
				batch = appendEvent(batch, ev)
				n++
				continue
			default:
			}
			break
		}
		return engineEventsMsg{gen: gen, events: batch, n: n}
	}
}

// appendEvent adds ev, joining it to the last event when both are text for
// the same section.
func appendEvent(batch []interview.Event, ev interview.Event) []interview.Event {
	if d, ok := ev.(interview.DraftDeltaEvent); ok && len(batch) > 0 {
		if last, ok := batch[len(batch)-1].(interview.DraftDeltaEvent); ok && last.Section == d.Section {
			last.Text += d.Text
			batch[len(batch)-1] = last
			return batch
		}
	}
	return append(batch, ev)
}

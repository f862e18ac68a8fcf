package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2"

	"propose/interview"
	"propose/proposal"
)

// bigDraft is a 40-page proposal: every section of the template drafted
// long, about 20,000 words (500 words a page), with lists and a table.
func bigDraft(t testing.TB) (proposal.Cover, proposal.Draft) {
	tp := consulting(t)
	d := proposal.NewDraft(tp)
	words := 0
	for i := range d.Sections {
		var b strings.Builder
		for p := 0; words < (i+1)*20000/len(d.Sections); p++ {
			fmt.Fprintf(&b, "Paragraph %d of %s. The client ships fourteen thousand orders a month from two plants, "+
				"and the time from order to cash has grown from 38 to 61 days since the ERP migration; "+
				"each week of delay ties up about €80,000 of working capital that the business needs elsewhere. "+
				"We will trace orders end to end, agree new rules with the process owners and embed them.\n\n", p, d.Sections[i].Title)
			words += 60
			if p%6 == 5 {
				b.WriteString("- First point with a number: 12%\n- Second point, due 2027-03-01\n- Third point at €4.500\n\n")
				b.WriteString("| Option | Scope | Investment |\n|---|---|---|\n| A | Diagnose | €24.000 |\n| B | Redesign | €52.000 |\n\n")
				words += 40
			}
		}
		d.Sections[i].Body = strings.TrimSpace(b.String())
	}
	c := proposal.Cover{Title: "Order-to-Cash Turnaround", PreparedFor: "Acme Components Ltd", Date: "1 March 2027"}
	return c, d
}

// benchModel is the full screen at 140x40 showing the 40-page draft.
func benchModel(b *testing.B) *Model {
	st := openStore(b)
	eng := newEngine(b, st, "be4c0001")
	b.Cleanup(func() { eng.Close() })
	m := New(options(b, st, eng))
	c, d := bigDraft(b)
	v := eng.View()
	v.Draft, v.Cover, v.Info.Title = d, c, c.Title
	m.opened(sessionOpenedMsg{eng: eng, snap: snapshotOf(v)})
	m.Update(bgWaitMsg{}) // the first frame waits for the background
	m.Update(tea.WindowSizeMsg{Width: 140, Height: 40})
	m.dp.Flush()
	return m
}

// BenchmarkFullGlamourRender is one glamour render of the whole 40-page
// proposal at the draft pane's width: what a pane without a cache pays for
// every change.
func BenchmarkFullGlamourRender(b *testing.B) {
	c, d := bigDraft(b)
	md := proposal.Markdown(c, d)
	m := benchModel(b)
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("dark"), glamour.WithWordWrap(m.dp.wrapWidth()))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(md)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := r.Render(md); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkView is View() of the full screen (interview, 40-page draft,
// status and help) as the program calls it after every message.
func BenchmarkView(b *testing.B) {
	m := benchModel(b)
	if n := len(m.dp.lines); n < 1500 {
		b.Fatalf("the draft is only %d lines", n)
	}
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// deltas streams n small deltas (a word each) into one section of the big
// draft, as the engine's events would arrive, flushing the pane on the
// model's throttle: one flush per 50 ms of stream at 100 deltas a second
// (an LLM's pace), so one flush every 5 deltas.
func streamDeltas(b *testing.B, m *Model, n int, perFlush int) {
	sec := m.dp.secs[len(m.dp.secs)/2].id
	m.dp.Apply(interview.DraftStartedEvent{Section: sec})
	for i := 0; i < n; i++ {
		text := "word "
		if i%60 == 59 {
			text = "end.\n\n" // a paragraph every 60 words, as prose comes
		}
		m.events(engineEventsMsg{gen: m.sess.gen, events: []interview.Event{interview.DraftDeltaEvent{Section: sec, Text: text}}})
		if i%perFlush == perFlush-1 {
			m.update(flushMsg{})
		}
	}
	m.update(flushMsg{})
}

// BenchmarkStream5000Deltas absorbs 5,000 small deltas into the 40-page
// draft the way the model does: coalesced, rendered at most 20 times a
// second, only the section that changed.
func BenchmarkStream5000Deltas(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		m := benchModel(b)
		b.StartTimer()
		streamDeltas(b, m, 5000, 5)
	}
}

// BenchmarkStreamRenderWholePerDelta is the naive way: the whole draft
// rendered again for every delta. It is measured on 50 deltas; multiply
// ns/op by 100 for 5,000.
func BenchmarkStreamRenderWholePerDelta50(b *testing.B) {
	c, d := bigDraft(b)
	m := benchModel(b)
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("dark"), glamour.WithWordWrap(m.dp.wrapWidth()))
	if err != nil {
		b.Fatal(err)
	}
	mid := len(d.Sections) / 2
	b.ResetTimer()
	for b.Loop() {
		body := d.Sections[mid].Body
		for i := 0; i < 50; i++ {
			if i%60 == 59 {
				body += "end.\n\n"
			} else {
				body += "word "
			}
			d.Sections[mid].Body = body
			if _, err := r.Render(proposal.Markdown(c, d)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

package interview

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"propose/llm"
	"propose/llm/llmtest"
	"propose/proposal"
)

// llmTestKey is long and distinctive, so a leak of it anywhere is easy to find.
const llmTestKey = "sk-test-PROPOSE-interview-5f3a9c0e7d"

// The models name the agent, so the fake server can tell requests apart
// while the interviewer, the drafter and the reviewer run at once.
const (
	ivModel = "iv-model"
	drModel = "dr-model"
	rvModel = "rv-model"
)

// exampleAnswers are the answers of examples/acme-operations.yaml.
func exampleAnswers(t testing.TB) *Answers {
	t.Helper()
	a, err := LoadAnswers("../examples/acme-operations.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// parsedTurn is what the fake model reads out of an interviewer prompt.
type parsedTurn struct {
	Asked, Answer string
	Open          []string
	Assume        bool
	FollowUpOK    bool
}

var (
	askedRE  = regexp.MustCompile(`Just asked \(([a-z_]+),`)
	answerRE = regexp.MustCompile(`(?s)\nThe answer:\n(.*)\n\n(?:Follow-up allowed|No follow-up allowed)\.`)
	openRE   = regexp.MustCompile(`(?m)^- ([a-z_]+) \| `)
)

func parseTurn(prompt string) parsedTurn {
	var p parsedTurn
	if m := askedRE.FindStringSubmatch(prompt); m != nil {
		p.Asked = m[1]
	}
	if m := answerRE.FindStringSubmatch(prompt); m != nil {
		p.Answer = m[1]
	}
	for _, m := range openRE.FindAllStringSubmatch(prompt, -1) {
		p.Open = append(p.Open, m[1])
	}
	p.Assume = strings.Contains(prompt, "The consultant asked you to assume this one.")
	p.FollowUpOK = strings.Contains(prompt, "\nFollow-up allowed.")
	return p
}

// brain plays the model. The interviewer records the answer for the asked
// field and asks the first open field (or a follow-up, for the fields in
// followUp); the drafter writes two sentences naming the section; the
// reviewer finds one thing. Any hook may take over a request.
type brain struct {
	followUp map[string]bool
	// interviewer, drafter and reviewer, when set and returning a Step,
	// answer the request instead.
	interviewer func(x *llmtest.Exchange, p parsedTurn) llmtest.Step
	drafter     func(x *llmtest.Exchange, title string) llmtest.Step
	reviewer    func(x *llmtest.Exchange) llmtest.Step

	questions map[string]*Question // the template's, set by newLLMRig

	mu        sync.Mutex
	followed  map[string]bool
	ivPrompts []string // interviewer prompts, in order
}

var titleRE = regexp.MustCompile(`Write the section "([^"]+)"`)

func (b *brain) Serve(x *llmtest.Exchange) {
	switch x.Req.Model {
	case ivModel:
		prompt := firstUser(x.Req)
		b.mu.Lock()
		b.ivPrompts = append(b.ivPrompts, prompt)
		b.mu.Unlock()
		p := parseTurn(prompt)
		if b.interviewer != nil {
			if s := b.interviewer(x, p); s != nil {
				s.Serve(x)
				return
			}
		}
		llmtest.JSON(b.interviewReply(p)).Chunk(40).Serve(x)
	case drModel:
		title := ""
		if m := titleRE.FindStringSubmatch(x.Req.LastUser()); m != nil {
			title = m[1]
		}
		if b.drafter != nil {
			if s := b.drafter(x, title); s != nil {
				s.Serve(x)
				return
			}
		}
		llmtest.Reply(draftProse(title)).Chunk(24).Serve(x)
	case rvModel:
		if b.reviewer != nil {
			if s := b.reviewer(x); s != nil {
				s.Serve(x)
				return
			}
		}
		llmtest.JSON(map[string]any{"findings": []map[string]any{
			{"rule": "vague-deliverables", "severity": "warning", "section": "approach", "field": "deliverables",
				"message": "The handover pack is not described: say what it contains."},
		}}).Serve(x)
	default:
		x.JSON(400, map[string]any{"error": map[string]any{"message": "unknown model " + x.Req.Model}})
	}
}

// modelQuestion is how the fake model rephrases a template question: about
// as long, and recognisably its own.
func modelQuestion(text string) string {
	return "Next, " + strings.ToLower(text[:1]) + text[1:]
}

// firstUser is the turn's own message, also in a repair request (whose last
// message is the repair note).
func firstUser(r llmtest.Recorded) string {
	for _, m := range r.Messages {
		if m.Role == "user" {
			return m.Content
		}
	}
	return ""
}

// draftProse is what the fake drafter writes for a section.
func draftProse(title string) string {
	return "We have drafted the " + title + " section from the facts you gave.\n\nIt reads plainly and keeps every commitment."
}

func (b *brain) interviewReply(p parsedTurn) map[string]any {
	facts := []map[string]any{}
	if !p.Assume {
		facts = append(facts, map[string]any{"field": p.Asked, "value": p.Answer, "origin": "stated"})
	} else {
		facts = append(facts, map[string]any{"field": p.Asked, "value": "We assume the usual terms.", "origin": "assumed"})
	}
	next := map[string]any{"field": "", "question": "", "why": "", "example": "", "follow_up": false}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.followed == nil {
		b.followed = map[string]bool{}
	}
	switch {
	case b.followUp[p.Asked] && p.FollowUpOK && !b.followed[p.Asked]:
		b.followed[p.Asked] = true
		next = map[string]any{"field": p.Asked, "question": "Could you make " + p.Asked + " sharper?",
			"why": "A sharper answer convinces the buyer.", "example": "", "follow_up": true}
	case len(p.Open) > 0:
		// As a model would: the template's question in its own words.
		q := b.questions[p.Open[0]]
		next = map[string]any{"field": p.Open[0], "question": modelQuestion(q.Text),
			"why": q.Why, "example": q.Example, "follow_up": false}
	}
	return map[string]any{"facts": facts, "next": next}
}

func (b *brain) prompts() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.ivPrompts...)
}

// llmRig is an engine on the LLM agents, against the fake server over HTTP.
type llmRig struct {
	srv    *llmtest.Server
	client *llm.Client
	store  *Store
	eng    *Engine
	brain  *brain
	id     string
}

type rigOptions struct {
	edit    func(*llm.Config)
	session *Session // resume this one instead of a new session
	noStart bool
	events  bool
}

func newLLMRig(t testing.TB, b *brain, o rigOptions) *llmRig {
	t.Helper()
	t.Setenv("OPENAI_API_KEY", llmTestKey)
	tm := consulting(t)
	b.questions = map[string]*Question{}
	for _, s := range tm.Sections {
		for _, f := range s.Fields {
			b.questions[f.ID] = QuestionFor(tm, nil, f.ID)
		}
	}
	srv := llmtest.New(t)
	srv.Otherwise(b)
	cfg := llm.Config{BaseURL: srv.URL(), Models: llm.Models{Interviewer: ivModel, Drafter: drModel, Reviewer: rvModel},
		Timeouts: llm.Timeouts{Idle: 5 * time.Second}}
	if o.edit != nil {
		o.edit(&cfg)
	}
	retries := &RetryReporter{}
	client, err := llm.New(cfg, llm.WithOnRetry(retries.Report),
		llm.WithSleep(func(ctx context.Context, _ time.Duration) error { return ctx.Err() }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	st, err := OpenStore(filepath.Join(t.TempDir(), "sessions"))
	if err != nil {
		t.Fatal(err)
	}
	s := o.session
	if s == nil {
		s = NewSession(tm, clock())
	}
	lock, err := st.Lock(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	ec := LLMConfig(client, retries)
	ec.Store, ec.Lock, ec.Now, ec.Events = st, lock, clock, o.events
	for _, a := range []any{ec.Interviewer, ec.Drafter, ec.Reviewer} {
		switch a := a.(type) {
		case *LLMInterviewer:
			a.Now = clock
		case *proposal.LLMDrafter:
			a.Now = clock
		case *proposal.LLMReviewer:
			a.Now = clock
		}
	}
	e := Open(tm, s, ec)
	t.Cleanup(func() { e.Close() })
	if !o.noStart {
		if err := e.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	return &llmRig{srv: srv, client: client, store: st, eng: e, brain: b, id: s.ID}
}

// reload reads the session back from the store, as a restart would.
func (r *llmRig) reload(t *testing.T) *Session {
	t.Helper()
	if err := r.eng.WaitIdle(context.Background()); err != nil { // saves are written off the lock
		t.Fatal(err)
	}
	s, _, err := r.store.Load(r.id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// requests returns the recorded requests for one model.
func (r *llmRig) requests(model string) []llmtest.Recorded {
	var out []llmtest.Recorded
	for _, q := range r.srv.Requests() {
		if q.Model == model {
			out = append(out, q)
		}
	}
	return out
}

// unread holds, per engine, what the tests took off its event channel:
// how many events, and the events expanded from the View a waitFor found
// its match in, other than the match, which the next waitFor or drain gets
// first. A View may carry several changes at once (a retry and the redraft
// it led to, when the publisher ran late), so none of them is lost.
var unread sync.Map // *Engine → *readEvents

type readEvents struct {
	got    uint64  // events taken off the channel
	queued []Event // expanded, not yet handed out
}

func readOf(e *Engine) *readEvents {
	r, _ := unread.LoadOrStore(e, &readEvents{})
	return r.(*readEvents)
}

// drain reads the events so far without waiting for more, each View
// followed by what changed since the last (see expand).
func drain(e *Engine) []Event {
	_ = e.WaitIdle(context.Background()) // every change so far is on the channel
	rd := readOf(e)
	evs := rd.queued
	rd.queued = nil
	for {
		select {
		case ev := <-e.Events():
			rd.got++
			evs = append(evs, expand(e, ev)...)
		default:
			return evs
		}
	}
}

// waitFor reads events (expanded) until one satisfies ok; the other events
// of the View that held it stay for the next waitFor or drain. It fails as
// soon as the engine is idle with every event it sent read and none
// satisfying ok: nothing more is coming. The long stop is only for an
// engine that never goes idle (a hang), so a loaded machine cannot make it
// fail.
func waitFor(t *testing.T, e *Engine, ok func(Event) bool) Event {
	t.Helper()
	rd := readOf(e)
	for len(rd.queued) > 0 {
		x := rd.queued[0]
		rd.queued = rd.queued[1:]
		if ok(x) {
			return x
		}
	}
	read := func(ev Event) (Event, bool) {
		rd.got++
		xs := expand(e, ev)
		for i, x := range xs {
			if ok(x) {
				// What one View tells happened together: the rest of it,
				// before the match or after, is still to be seen.
				rd.queued = append(append(rd.queued, xs[:i]...), xs[i+1:]...)
				return x, true
			}
		}
		return nil, false
	}
	hang := time.After(3 * time.Minute)
	for {
		select {
		case ev := <-e.Events():
			if x, found := read(ev); found {
				return x
			}
		case <-e.Idle():
			// The engine is idle only after its last send, and Sent counts
			// an event once it is on the channel: with nothing in flight
			// and the counts equal, every event has been read.
			if e.InFlight() > 0 {
				continue // busy again
			}
			if e.Sent() == rd.got {
				t.Fatal("the engine went idle without sending the event awaited")
				return nil
			}
			if x, found := read(<-e.Events()); found { // one is on the channel
				return x
			}
		case <-hang:
			t.Fatal("the engine is still busy after 3 minutes without sending the event awaited")
			return nil
		}
	}
}

// lastViews is the last View each engine sent, for expand.
var lastViews sync.Map

// expand reads a ChangedEvent the way a screen does: the View, then each
// section whose outcome changed (SectionChanges), each new note (as a
// NoticeEvent or an ErrorEvent) and a new retry wait (as a RetryEvent).
func expand(e *Engine, ev Event) []Event {
	ce, ok := ev.(ChangedEvent)
	if !ok {
		return []Event{ev}
	}
	var prev View
	if p, ok := lastViews.Load(e); ok {
		prev = p.(View)
	}
	lastViews.Store(e, ce.View)
	out := append([]Event{ce}, SectionChanges(prev, ce.View)...)
	var seen uint64
	if n := len(prev.Notes); n > 0 {
		seen = prev.Notes[n-1].Seq
	}
	for _, n := range ce.View.Notes {
		switch {
		case n.Seq <= seen:
		case n.Err != nil:
			out = append(out, ErrorEvent{Err: n.Err})
		default:
			out = append(out, NoticeEvent{Text: n.Text})
		}
	}
	if r := ce.View.Retry; r != nil && (prev.Retry == nil || *prev.Retry != *r) {
		out = append(out, r.RetryEvent)
	}
	return out
}

// mustJSON marshals v for comparisons.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// modeVar is a test's switch, read by the fake server's goroutines.
type modeVar struct {
	mu sync.Mutex
	s  string
	n  int
}

func (m *modeVar) set(s string) { m.mu.Lock(); m.s = s; m.mu.Unlock() }
func (m *modeVar) get() string  { m.mu.Lock(); defer m.mu.Unlock(); return m.s }

// next counts calls: 1 for the first.
func (m *modeVar) next() int { m.mu.Lock(); defer m.mu.Unlock(); m.n++; return m.n }

// sectionOf returns a copy of one drafted section.
func sectionOf(e *Engine, id string) proposal.Section {
	d := e.View().Draft
	if s := d.Section(id); s != nil {
		return *s
	}
	return proposal.Section{}
}

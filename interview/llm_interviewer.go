package interview

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"propose/llm"
	"propose/proposal"
	"propose/templates"
)

// LLMInterviewer asks adaptive questions and extracts facts through a model.
// It makes one call per answer: Absorb sends the sections' coverage, the
// facts so far (shortened), the open fields and the exchange at hand (the
// question just asked and its answer), never the transcript, and gets back
// the facts to record and the next question, which it keeps for the
// following Next. Next makes no call: it returns that question, or the
// template's own question for the next gap when there is none to hand (the
// first turn, after a skip or an edit).
//
// When the model's reply is unusable even after the one repair request, or
// the call fails, that turn is absorbed by the offline interviewer and the
// user is told once, quietly, until the model works again. When the server
// refuses the key (or the account, or the model), the user is told plainly
// what to fix, and the rest of the run uses the offline walk.
type LLMInterviewer struct {
	// Client talks to the model.
	Client *llm.Client
	// Now dates the prompts; nil means time.Now.
	Now func() time.Time
	// Language is the proposal's language (BCP 47; "" means English): the
	// questions, reasons and examples are asked for in it. A State's
	// Language, which the engine always gives, takes its place.
	Language string
	// MaxFactBytes caps one extracted fact; a longer one is dropped and the
	// typed answer stands. Zero means llm.DefaultFactBytes.
	MaxFactBytes int

	mu      sync.Mutex
	post    func(Event)
	onOff   func(error)      // the engine degrades as a whole
	stash   *stashedQuestion // the question the last Absorb returned
	failing bool             // told the user the model failed; not yet working again
	off     error            // set when the model cannot work for the rest of the run
}

var _ Interviewer = (*LLMInterviewer)(nil)

// stashedQuestion is a next question, valid for the turn it was made for
// and in the language it was asked for.
type stashedQuestion struct {
	turn int
	lang string
	q    *Question
}

// Limits on what a turn's prompt carries, so that it stays about the same
// size however long the interview runs.
const (
	openFieldsShown  = 2    // open fields listed with their question; the rest by id
	factChars        = 40   // each recorded fact, shortened
	currentFactChars = 600  // the asked field's current value, when editing
	interviewerReply = 1536 // a short JSON object, with room for a reasoning model's thinking
)

// SetPost gives the interviewer a way to tell the user about a failure that
// needs action (a refused key). The engine's Post is the usual one.
func (iv *LLMInterviewer) SetPost(post func(Event)) {
	iv.mu.Lock()
	iv.post = post
	iv.mu.Unlock()
}

// language is the language a turn is asked for: the State's, else the
// interviewer's own.
func (iv *LLMInterviewer) language(st State) string {
	if st.Language != "" {
		return st.Language
	}
	return iv.Language
}

func (iv *LLMInterviewer) now() time.Time {
	if iv.Now != nil {
		return iv.Now()
	}
	return time.Now()
}

// Next returns the question the model chose when it absorbed the last
// answer, if it still fits the interview; otherwise the template's own
// question for the next gap.
func (iv *LLMInterviewer) Next(ctx context.Context, st State) (*Question, error) {
	iv.mu.Lock()
	s := iv.stash
	iv.stash = nil
	iv.mu.Unlock()
	if s != nil && s.turn == st.Turn && s.lang == iv.language(st) && s.q != nil && stillOpen(st, s.q) {
		q := *s.q
		return &q, nil
	}
	return OfflineInterviewer{}.Next(ctx, st)
}

// stillOpen reports whether a question still makes sense: its field is open,
// or it is a follow-up on an answered field that had none yet.
func stillOpen(st State, q *Question) bool {
	if _, f := st.Template.Field(q.Field); f == nil {
		return false
	}
	if q.FollowUp {
		return st.Facts.Has(q.Field) && !st.FollowedUp[q.Field]
	}
	return !st.Facts.Has(q.Field) && !st.Skipped[q.Field]
}

// interviewReply is the JSON the model returns for a turn.
type interviewReply struct {
	Facts []replyFact    `json:"facts"`
	Next  *replyQuestion `json:"next"`
}

type replyFact struct {
	Field  string `json:"field"`
	Value  string `json:"value"`
	Origin string `json:"origin"`
}

type replyQuestion struct {
	Field    string `json:"field"`
	Question string `json:"question"`
	Why      string `json:"why"`
	Example  string `json:"example"`
	FollowUp bool   `json:"follow_up"`
}

// absorbTurn is one Absorb: what was asked, what came back, and what the model
// may and may not do with it.
type absorbTurn struct {
	iv         *LLMInterviewer
	st         State
	q          Question
	field      *templates.Field
	answer     string
	assume     bool
	assumption string // fixed by the user or the template; "" asks the model
	followUpOK bool
}

// Absorb sends the answer to the model and returns the facts it found; the
// next question it chose is kept for Next, or returned as the follow-up.
func (iv *LLMInterviewer) Absorb(ctx context.Context, st State, q Question, answer string) (Absorbed, error) {
	iv.mu.Lock()
	iv.stash = nil
	off := iv.off
	iv.mu.Unlock()

	_, f := st.Template.Field(q.Field)
	answer = CleanAnswer(answer)
	own, assume := ParseAssume(answer)
	if f == nil || (answer == "" && !assume) || off != nil || iv.Client == nil {
		return OfflineInterviewer{}.Absorb(ctx, st, q, answer)
	}
	tn := &absorbTurn{iv: iv, st: st, q: q, field: f, answer: answer, assume: assume,
		followUpOK: !q.FollowUp && !st.FollowedUp[q.Field]}
	if assume {
		tn.assumption = own
		if tn.assumption == "" {
			tn.assumption = strings.TrimSpace(f.Assume)
		}
	}

	prompt, err := iv.turnPrompt(tn)
	if err != nil {
		return iv.fallback(ctx, tn, err)
	}
	req := llm.Request{
		Agent:           llm.AgentInterviewer,
		Messages:        []llm.Message{llm.System(interviewerSystem), llm.User(prompt)},
		ResponseFormat:  llm.ResponseFormat{Name: "interview_turn", Strict: true},
		MaxOutputTokens: interviewerReply,
		Check:           func(v any) error { return tn.check(v.(*interviewReply)) },
	}
	var reply interviewReply
	if err := iv.Client.ChatJSON(ctx, req, interviewerSchema, &reply); err != nil {
		return iv.fallback(ctx, tn, err)
	}
	ab, next := tn.absorbed(&reply)
	iv.mu.Lock()
	iv.failing = false
	if next != nil {
		iv.stash = &stashedQuestion{turn: st.Turn + 1, lang: iv.language(st), q: next}
	}
	iv.mu.Unlock()
	return ab, nil
}

// fallback absorbs the answer offline after the model failed, and says so:
// plainly when the user must fix something, otherwise once and quietly.
func (iv *LLMInterviewer) fallback(ctx context.Context, tn *absorbTurn, cause error) (Absorbed, error) {
	ab, err := OfflineInterviewer{}.Absorb(ctx, tn.st, tn.q, tn.answer)
	if err != nil {
		return ab, err
	}
	e := llm.Classify(cause)
	var notice string
	var post func(Event)
	iv.mu.Lock()
	switch {
	case ctx.Err() != nil || e.Class == llm.ClassCanceled:
		// The user stopped it; the answer is kept and nothing needs saying.
	case permanent(e):
		iv.off = e
		post = iv.post
		notice = e.Message + " Until then the interview goes on with the template's own questions."
		if iv.onOff != nil {
			defer iv.onOff(e)
		}
	case !iv.failing:
		iv.failing = true
		notice = fmt.Sprintf("The model gave no usable reply (%s), so the template's own question comes next; the interview goes on.", e.Class)
	}
	iv.mu.Unlock()
	if post != nil {
		post(ErrorEvent{Err: e})
	}
	ab.Notice = joinNotices(notice, ab.Notice)
	return ab, nil
}

// SetOnOff is told when the interviewer meets a failure no retry mends, so
// the engine can switch the whole model off (Engine.Degrade).
func (iv *LLMInterviewer) SetOnOff(f func(error)) {
	iv.mu.Lock()
	iv.onOff = f
	iv.mu.Unlock()
}

// switchOff stops (err set) or restarts (nil) the model for the rest of the
// run, as the engine decides when another agent met a failure no retry
// mends.
func (iv *LLMInterviewer) switchOff(err error) {
	iv.mu.Lock()
	iv.off = err
	iv.failing = false
	iv.mu.Unlock()
}

// permanent reports failures that will not mend themselves during a run: a
// refused key, an exhausted account, a model or endpoint the server lacks.
func permanent(e *llm.Error) bool {
	switch e.Class {
	case llm.ClassAuth, llm.ClassQuota, llm.ClassModelNotFound:
		return true
	case llm.ClassBadRequest:
		return e.Status == 404
	}
	return false
}

func joinNotices(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

// Prompt data: everything the turn template reads.
type (
	turnData struct {
		Today       string
		Coverage    []SectionCoverage
		Facts       []promptFact
		Open        []openField
		MoreOpen    string // the other open fields' ids
		Asked       askedField
		Answer      string
		Assume      bool
		Assumption  string
		MayFollowUp bool
		Language    string
	}
	promptFact struct {
		Field, Value string
		Assumed      bool
	}
	openField struct {
		Field, Kind, Question, Choices string
		Required                       bool
	}
	askedField struct {
		Field, Kind, Question, Current string
		Required, FollowUp             bool
	}
)

// turnPrompt writes the turn's message: coverage, shortened facts, the next
// few open fields and the exchange at hand, never the transcript. Its size
// hardly grows with the number of turns: an answered field trades its place
// among the open fields for a short fact.
func (iv *LLMInterviewer) turnPrompt(tn *absorbTurn) (string, error) {
	st, t := tn.st, tn.st.Template
	d := turnData{
		Today:       proposal.FormatDate(iv.now()),
		Answer:      tn.answer,
		Assume:      tn.assume,
		Assumption:  tn.assumption,
		MayFollowUp: tn.followUpOK,
		Language:    llm.LanguageName(iv.language(tn.st)),
		Asked: askedField{Field: tn.field.ID, Kind: string(tn.field.Kind),
			Question: tn.q.Text, Required: tn.field.Required, FollowUp: tn.q.FollowUp},
	}
	for _, c := range st.Coverage {
		if c.State != Covered {
			d.Coverage = append(d.Coverage, c)
		}
	}
	if cur := st.Facts[tn.field.ID]; strings.TrimSpace(cur.Value) != "" {
		d.Asked.Current = clipRunes(cur.Value, currentFactChars)
	}
	for _, s := range t.Sections {
		for _, f := range s.Fields {
			if f.ID == tn.field.ID || !st.Facts.Has(f.ID) {
				continue
			}
			fact := st.Facts[f.ID]
			d.Facts = append(d.Facts, promptFact{Field: f.ID, Value: shorten(fact.Value, factChars), Assumed: fact.Origin == proposal.Assumed})
		}
	}
	var more []string
	for _, required := range []bool{true, false} {
		for _, s := range t.Sections {
			for _, f := range s.Fields {
				if f.Required != required || f.ID == tn.field.ID || st.Facts.Has(f.ID) || st.Skipped[f.ID] {
					continue
				}
				if len(d.Open) == openFieldsShown {
					more = append(more, f.ID)
					continue
				}
				d.Open = append(d.Open, openField{Field: f.ID, Kind: string(f.Kind), Question: f.Question,
					Required: f.Required, Choices: strings.Join(f.Choices, ", ")})
			}
		}
	}
	d.MoreOpen = strings.Join(more, ", ")
	return renderPrompt("interviewer_turn.tmpl", d)
}

// check is what the reply must satisfy beyond its shape; a problem here gets
// the one repair request, naming it.
func (tn *absorbTurn) check(r *interviewReply) error {
	t := tn.st.Template
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	recorded := map[string]bool{tn.field.ID: true} // the asked field is recorded either way
	assumedHere := false
	for i, f := range r.Facts {
		_, tf := t.Field(f.Field)
		if tf == nil {
			bad("facts[%d].field %q is not a field id of this template", i, f.Field)
			continue
		}
		value := CleanAnswer(f.Value)
		if value == "" {
			bad("facts[%d] (%s) has an empty value", i, f.Field)
			continue
		}
		if f.Origin != "" && f.Origin != string(proposal.Stated) && f.Origin != string(proposal.Assumed) {
			bad("facts[%d].origin must be stated or assumed", i)
		}
		assumed := f.Origin == string(proposal.Assumed)
		if assumed && tn.assume && f.Field == tn.field.ID {
			assumedHere = true
		}
		if !assumed || tf.Kind == templates.KindMoneyList {
			if n := inventedNumber(tf, value, tn.answer, tn.st.Facts.Value(f.Field), tn.assumption); n != "" {
				bad("facts[%d] (%s) has the number %s, which the answer does not give; copy numbers exactly as written", i, f.Field, n)
			}
		}
		recorded[f.Field] = true
	}
	if tn.assume && tn.assumption == "" && !assumedHere {
		bad("state the assumption for %s as a fact with origin assumed", tn.field.ID)
	}
	if n := r.Next; n != nil && strings.TrimSpace(n.Field) != "" {
		_, tf := t.Field(n.Field)
		switch {
		case tf == nil:
			bad("next.field %q is not a field id of this template", n.Field)
		case CleanAnswer(n.Question) == "":
			bad("next.question is empty")
		case n.FollowUp && (n.Field != tn.field.ID || !tn.followUpOK):
			bad("a follow-up is not allowed on %s: ask an open field with follow_up false", n.Field)
		case !n.FollowUp && (recorded[n.Field] || tn.st.Facts.Has(n.Field)):
			bad("next.field %s is already answered: pick one of the open fields", n.Field)
		case !n.FollowUp && tn.st.Skipped[n.Field]:
			bad("next.field %s was skipped by the consultant: pick another open field", n.Field)
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// absorbed turns a checked reply into the facts to record and the next
// question. The answer is never lost: if the model recorded nothing for the
// asked field, the answer is recorded as written, as the offline walk does.
func (tn *absorbTurn) absorbed(r *interviewReply) (Absorbed, *Question) {
	t := tn.st.Template
	var ab Absorbed
	byField := map[string]int{}
	add := func(f proposal.Fact) {
		if i, ok := byField[f.Field]; ok {
			ab.Facts[i] = f
			return
		}
		byField[f.Field] = len(ab.Facts)
		ab.Facts = append(ab.Facts, f)
	}
	var notices []string
	for _, rf := range r.Facts {
		_, tf := t.Field(rf.Field)
		value := normalise(tf, CleanAnswer(rf.Value))
		origin := proposal.Stated
		if rf.Origin != string(proposal.Assumed) {
			kept, ok, notice := tn.iv.guardFact(tn, tf, value)
			if notice != "" {
				notices = append(notices, notice)
			}
			if !ok {
				continue
			}
			value = kept
		}
		if rf.Origin == string(proposal.Assumed) {
			// Only what the user asked to have assumed is recorded as an
			// assumption; the model does not get to assume on its own.
			if !tn.assume || rf.Field != tn.field.ID {
				continue
			}
			origin = proposal.Assumed
		}
		if old, ok := tn.st.Facts[rf.Field]; ok && rf.Field != tn.field.ID && old.Value == value && old.Origin == origin {
			continue // the same fact again: recording it would only redraft
		}
		add(proposal.Fact{Field: rf.Field, Value: value, Origin: origin, Turn: tn.st.Turn})
	}
	if tn.assume && tn.assumption != "" {
		add(proposal.Fact{Field: tn.field.ID, Value: tn.assumption, Origin: proposal.Assumed, Turn: tn.st.Turn})
	} else if _, ok := byField[tn.field.ID]; !ok && !tn.assume {
		add(proposal.Fact{Field: tn.field.ID, Value: normalise(tn.field, tn.answer), Origin: proposal.Stated, Turn: tn.st.Turn})
	}
	if i, ok := byField[tn.field.ID]; ok && ab.Facts[i].Origin == proposal.Stated {
		ab.Notice = kindNotice(tn.field, ab.Facts[i].Value)
	}
	for _, n := range notices {
		ab.Notice = joinNotices(ab.Notice, n)
	}

	n := r.Next
	if n == nil || strings.TrimSpace(n.Field) == "" {
		return ab, nil // Next falls back on the walk, which knows when it is done
	}
	after := maps.Clone(tn.st.Facts)
	if after == nil {
		after = proposal.Facts{}
	}
	for _, f := range ab.Facts {
		after[f.Field] = f
	}
	q := QuestionFor(t, after, n.Field)
	q.Text = clipRunes(CleanAnswer(n.Question), 600)
	if why := CleanAnswer(n.Why); why != "" {
		q.Why = clipRunes(why, 400)
	}
	if ex := CleanAnswer(n.Example); ex != "" {
		q.Example = clipRunes(ex, 600)
	}
	if n.FollowUp {
		q.FollowUp = true
		q.Prefill = after.Value(n.Field)
		ab.FollowUp = q
		return ab, nil
	}
	return ab, q
}

// kindNotice is the offline walk's remark on a date or choice kept as written.
func kindNotice(f *templates.Field, value string) string {
	switch f.Kind {
	case templates.KindDate:
		if _, ok := proposal.ParseDate(value); !ok {
			return "Kept as written: " + value + " is not a date I can place on a calendar, so it cannot be checked against milestones."
		}
	case templates.KindChoice:
		if !matchesChoice(f, value) {
			return "Kept as written; the usual answers are " + strings.Join(f.Choices, ", ") + "."
		}
	}
	return ""
}

// inventedNumber returns the first number in a fact's value that none of the
// sources contains, or "". Numbers are compared as runs of digits without
// leading zeros, so "€18.000" and "€18,000" agree, and list numbering is not
// taken for a number.
func inventedNumber(f *templates.Field, value string, sources ...string) string {
	if f.Kind == templates.KindList || f.Kind == templates.KindMoneyList {
		value = strings.Join(proposal.Items(value), "\n")
	}
	have := map[string]bool{}
	for _, s := range sources {
		for _, n := range digitRuns(s) {
			have[n] = true
		}
	}
	for _, n := range digitRuns(value) {
		if !have[n] {
			return n
		}
	}
	return ""
}

func digitRuns(s string) []string {
	var out []string
	start := -1
	flush := func(end int) {
		if start >= 0 {
			n := strings.TrimLeft(s[start:end], "0")
			if n == "" {
				n = "0"
			}
			out = append(out, n)
			start = -1
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return out
}

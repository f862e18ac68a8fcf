package interview

import (
	"context"
	"fmt"
	"strings"

	"propose/proposal"
	"propose/templates"
)

// State is what an interviewer knows when it picks a question or absorbs an
// answer: the template, the facts and the walk's bookkeeping, and the last
// exchange. Never the whole transcript: that keeps a long interview cheap.
type State struct {
	Template   *templates.Template
	Facts      proposal.Facts
	Skipped    map[string]bool
	FollowedUp map[string]bool
	Coverage   []SectionCoverage
	// Turn is the number the next answer will get.
	Turn int
	// Last is the previous question and its answer, if any.
	Last *Exchange
	// Language is the proposal's language as it stands now (BCP 47; ""
	// leaves it to the interviewer): a model interviewer asks for it in
	// every request, so a change of language reaches the next question.
	Language string
}

// Exchange is one question and the answer given.
type Exchange struct {
	Question Question
	Answer   string
}

// Absorbed is what an interviewer made of an answer.
type Absorbed struct {
	// Facts to record (one or more; an LLM interviewer may find several in
	// one answer).
	Facts []proposal.Fact
	// FollowUp, when set, is asked next: the answer was weak.
	FollowUp *Question
	// Notice is a short remark for the user ("kept as written").
	Notice string
	// Retry, when set, means the answer could not be used and the same
	// question is asked again with this explanation.
	Retry string
}

// Interviewer asks the questions and turns answers into facts. The offline
// and LLM interviewers both implement it.
type Interviewer interface {
	// Next picks the next question, or returns nil when nothing is left to ask.
	Next(ctx context.Context, st State) (*Question, error)
	// Absorb turns the answer to q into facts.
	Absorb(ctx context.Context, st State, q Question, answer string) (Absorbed, error)
}

// OfflineInterviewer walks the template in its own order, asking each
// question with no answer; one follow-up for a weak measure or a fee line
// with no amount.
type OfflineInterviewer struct{}

var _ Interviewer = OfflineInterviewer{}

// QuestionFor builds the template's question for a field, offering the
// current answer for editing.
func QuestionFor(t *templates.Template, facts proposal.Facts, field string) *Question {
	sec, f := t.Field(field)
	if f == nil {
		return nil
	}
	q := &Question{Field: f.ID, Section: sec.ID, Text: f.Question, Why: f.Why, Example: f.Example,
		Kind: f.Kind, Choices: f.Choices, Required: f.Required}
	if fact, ok := facts[f.ID]; ok {
		switch fact.Origin {
		case proposal.Stated:
			q.Prefill = fact.Value
		case proposal.Assumed:
			// Offered in the words that state it, so that it stays an
			// assumption unless the user rewrites it.
			q.Prefill = AssumeWord + ": " + fact.Value
		}
		// A default accepted as offered is offered again as the default
		// (see Engine.offerDefault), in the proposal's language.
	}
	return q
}

// NextGap returns the field the walk asks next: the first field with no
// answer that was not skipped, in the template's order (sections in order,
// each section's questions in order, optional ones in their place). Skipped
// questions are not asked again here: the end of the interview counts them
// and offers to go through them.
func NextGap(t *templates.Template, facts proposal.Facts, skipped map[string]bool) string {
	for _, s := range t.Sections {
		for _, f := range s.Fields {
			if !facts.Has(f.ID) && !skipped[f.ID] {
				return f.ID
			}
		}
	}
	return ""
}

// Next asks the next gap of the walk.
func (OfflineInterviewer) Next(_ context.Context, st State) (*Question, error) {
	id := NextGap(st.Template, st.Facts, st.Skipped)
	if id == "" {
		return nil, nil
	}
	return QuestionFor(st.Template, st.Facts, id), nil
}

// AssumeWord is what the user types to have the interviewer state an
// assumption instead of an answer; "assume: text" states their own.
const AssumeWord = "assume"

// ParseAssume reports whether an answer asks for an assumption, and the
// user's own wording of it if they gave one.
func ParseAssume(answer string) (own string, ok bool) {
	a := strings.TrimSpace(answer)
	low := strings.ToLower(a)
	if low == AssumeWord {
		return "", true
	}
	if strings.HasPrefix(low, AssumeWord+":") {
		return strings.TrimSpace(a[len(AssumeWord)+1:]), true
	}
	return "", false
}

// Absorb records the answer as the question's fact, states an assumption
// when asked to, and follows up once on a weak measure or an unpriced fee.
func (OfflineInterviewer) Absorb(_ context.Context, st State, q Question, answer string) (Absorbed, error) {
	_, f := st.Template.Field(q.Field)
	if f == nil {
		return Absorbed{}, fmt.Errorf("the template has no field %q", q.Field)
	}
	answer = CleanAnswer(answer)
	if own, ok := ParseAssume(answer); ok {
		text := own
		if text == "" {
			text = strings.TrimSpace(f.Assume)
		}
		if text == "" {
			return Absorbed{Retry: "There is no standard assumption for this question: type assume: followed by the assumption to state, or skip it."}, nil
		}
		return Absorbed{Facts: []proposal.Fact{{Field: f.ID, Value: text, Origin: proposal.Assumed, Turn: st.Turn}}}, nil
	}
	if answer == "" {
		return Absorbed{Retry: "The answer is empty: type an answer, or skip the question."}, nil
	}
	out := Absorbed{Facts: []proposal.Fact{{Field: f.ID, Value: normalise(f, answer), Origin: proposal.Stated, Turn: st.Turn}}}
	switch f.Kind {
	case templates.KindDate:
		if _, ok := proposal.ParseDate(answer); !ok {
			out.Notice = "Kept as written: " + answer + " is not a date I can place on a calendar, so it cannot be checked against milestones."
		}
	case templates.KindChoice:
		if !matchesChoice(f, answer) {
			out.Notice = "Kept as written; the usual answers are " + strings.Join(f.Choices, ", ") + "."
		}
	}
	if !st.FollowedUp[f.ID] {
		out.FollowUp = followUp(st.Template, f, out.Facts[0].Value)
	}
	return out, nil
}

// CleanAnswer sanitises a typed or pasted answer and trims its edges.
func CleanAnswer(s string) string {
	return strings.TrimSpace(proposal.Sanitize(s))
}

// normalise tidies an answer to its field's kind: list lines trimmed, empty
// lines dropped, choice answers spelled as the template spells them.
func normalise(f *templates.Field, answer string) string {
	switch f.Kind {
	case templates.KindList, templates.KindMoneyList:
		var lines []string
		for _, l := range strings.Split(answer, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		return strings.Join(lines, "\n")
	case templates.KindChoice:
		for _, c := range f.Choices {
			if strings.EqualFold(c, answer) {
				return c
			}
		}
	}
	return answer
}

func matchesChoice(f *templates.Field, answer string) bool {
	for _, c := range f.Choices {
		if strings.EqualFold(c, strings.TrimSpace(answer)) {
			return true
		}
	}
	return false
}

// followUp asks once for a number on measures that have none, for the
// amount of fee lines that have none, and for the currency of a budget
// written without one.
func followUp(t *templates.Template, f *templates.Field, value string) *Question {
	sec, _ := t.Field(f.ID)
	q := &Question{Field: f.ID, Section: sec.ID, Kind: f.Kind, Required: f.Required, FollowUp: true, Prefill: value, Example: f.Example}
	switch {
	case f.HasRole(templates.RoleMeasure):
		var weak []string
		for _, it := range proposal.Items(value) {
			if !proposal.HasNumber(it) {
				weak = append(weak, it)
			}
		}
		if len(weak) == 0 {
			return nil
		}
		q.Text = fmt.Sprintf("How will you know %q happened? Add a number, percentage, amount or date to it.", weak[0])
		if len(weak) > 1 {
			q.Text = fmt.Sprintf("%d of these measures have no number, percentage, amount or date (%q first). Add one to each.", len(weak), weak[0])
		}
		q.Why = "A measure without a number cannot be checked: the client cannot tell whether the work succeeded, and neither can you."
		return q
	case f.Kind == templates.KindMoneyList:
		var unpriced []string
		for _, l := range proposal.ParseFees(value) {
			if !l.HasAmount {
				unpriced = append(unpriced, l.Item)
			}
		}
		if len(unpriced) == 0 {
			return nil
		}
		q.Text = fmt.Sprintf("What does %q cost? Add the amount after a colon, e.g. \"%s: €4.500\".", unpriced[0], unpriced[0])
		if len(unpriced) > 1 {
			q.Text = fmt.Sprintf("%d fee lines have no amount (%q first). Add an amount after a colon on each, or write what it is (\"at cost\").", len(unpriced), unpriced[0])
		}
		q.Why = "Every line of the fees needs an amount: the total is computed from them, and an unpriced line invites a dispute."
		return q
	case f.HasRole(templates.RoleBudget):
		if _, ok := proposal.ParseBudget(value); ok || !proposal.HasNumber(value) {
			return nil // a range the review can read, or "not discussed"
		}
		q.Text = "Which currency is that budget in? Write it with the currency, e.g. \"€40,000 to €60,000\" or \"up to £50,000\"."
		q.Why = "With a currency, the review can check the options and fees against the budget; without one it cannot."
		return q
	}
	return nil
}

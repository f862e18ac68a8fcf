// Package interview holds the session and its memory, the interviewer agent,
// the engine that runs the interviewer, drafter and reviewer together, and
// the store that keeps sessions on disk.
package interview

import (
	"crypto/rand"
	"encoding/hex"
	"sort"
	"strings"
	"time"

	"propose/proposal"
	"propose/templates"
)

// SchemaVersion is the version of the session file this build writes.
// Version 1 also saved each drafted section's title and heading flag; from
// version 2 those come from the template when a session is opened.
const SchemaVersion = 2

// TurnKind says what the user did with a question.
type TurnKind string

// The things a user can do with a question.
const (
	Answered TurnKind = "answer"
	Skipped  TurnKind = "skip"
	Assumed  TurnKind = "assume"
)

// Turn is one question and what the user did with it.
type Turn struct {
	N        int       `json:"n"`
	Field    string    `json:"field"`
	Question string    `json:"question"`
	Answer   string    `json:"answer,omitempty"`
	Kind     TurnKind  `json:"kind"`
	FollowUp bool      `json:"follow_up,omitempty"`
	At       time.Time `json:"at"`
}

// Question is what the interviewer asks next.
type Question struct {
	// Field is the fact the answer becomes.
	Field string `json:"field"`
	// Section is the id of the section the field belongs to.
	Section string `json:"section"`
	// Text, Why and Example are shown on the interview screen.
	Text    string `json:"text"`
	Why     string `json:"why,omitempty"`
	Example string `json:"example,omitempty"`
	// Kind and Choices describe the answer's shape.
	Kind    templates.Kind `json:"kind"`
	Choices []string       `json:"choices,omitempty"`
	// Required questions must be answered before export.
	Required bool `json:"required,omitempty"`
	// FollowUp marks a question asked because an answer was weak.
	FollowUp bool `json:"follow_up,omitempty"`
	// Prefill is the current answer, offered for editing.
	Prefill string `json:"prefill,omitempty"`
	// Typed is what the user had typed but not submitted when the session
	// was last closed; it comes back in the answer box on resume.
	Typed string `json:"typed,omitempty"`
}

// Usage counts tokens spent by one agent.
type Usage struct {
	PromptTokens     int  `json:"prompt_tokens"`
	CompletionTokens int  `json:"completion_tokens"`
	Estimated        bool `json:"estimated,omitempty"`
}

// Session is one proposal being written: everything needed to resume it.
type Session struct {
	SchemaVersion int    `json:"schema_version"`
	ID            string `json:"id"`
	Template      string `json:"template"`
	// Language is the proposal's BCP 47 tag ("es", "de-AT"): every word the
	// program writes into it is in this language. "" is English, as in
	// sessions saved before proposals had a language.
	Language string    `json:"language,omitempty"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	// Head repeats what the session list shows; it is written by the store
	// near the top of the file so that a list reads only that much.
	Head *Head `json:"head,omitempty"`
	// Engine names the engine that last worked on it ("offline", "llm").
	Engine string `json:"engine,omitempty"`
	// Facts are the agents' memory.
	Facts proposal.Facts `json:"facts"`
	// Turns are the transcript, kept for the user; agents read facts.
	Turns []Turn `json:"turns"`
	// Skipped fields are not asked again by the walk.
	Skipped map[string]bool `json:"skipped,omitempty"`
	// FollowedUp fields had their one follow-up question.
	FollowedUp map[string]bool `json:"followed_up,omitempty"`
	// Pending is the question on screen when the session was saved.
	Pending *Question `json:"pending,omitempty"`
	// Unsent is text typed for other questions (by field) and left
	// unsubmitted when the user moved on; it comes back in the box when
	// the question is asked again, also after a resume.
	Unsent map[string]string `json:"unsent,omitempty"`
	// Draft is the proposal as drafted so far.
	Draft proposal.Draft `json:"draft"`
	// Findings are the latest review.
	Findings []proposal.Finding `json:"findings,omitempty"`
	// Reviewed is when the findings were made.
	Reviewed time.Time `json:"reviewed,omitzero"`
	// Usage is tokens spent per agent.
	Usage map[string]Usage `json:"usage,omitempty"`

	// TemplateCopy is the template the session was last worked on with, so
	// that the session outlives it: a template that is removed or no longer
	// loads falls back to this copy.
	TemplateCopy *templates.Template `json:"template_copy,omitempty"`
}

// NewSession starts an empty session on a template, in the template's
// language (see templates.Template.In; English is stored as "").
func NewSession(t *templates.Template, now time.Time) *Session {
	lang := t.Language()
	if lang == templates.DefaultLanguage {
		lang = ""
	}
	return &Session{
		SchemaVersion: SchemaVersion,
		ID:            NewID(),
		Template:      t.ID,
		Language:      lang,
		Created:       now,
		Updated:       now,
		Facts:         proposal.Facts{},
		Skipped:       map[string]bool{},
		FollowedUp:    map[string]bool{},
		Draft:         proposal.NewDraft(t),
		TemplateCopy:  t,
	}
}

// KeepTemplate records t as the template the session is worked on with.
func (s *Session) KeepTemplate(t *templates.Template) { s.TemplateCopy = t }

// SavedTemplate is the copy of its template the session keeps, checked, or
// nil when it has none that works.
func (s *Session) SavedTemplate() *templates.Template {
	if s.TemplateCopy == nil || s.TemplateCopy.ID == "" || len(s.TemplateCopy.Sections) == 0 {
		return nil
	}
	t := *s.TemplateCopy
	t.Source = "the copy kept with the session"
	if t.Validate() != nil {
		return nil
	}
	return &t
}

// Orphans are the answers to fields the template no longer has (a field
// renamed or removed in the user's own template), in the order they were
// given. They stay in the session and are shown as answers no longer asked.
func (s *Session) Orphans(t *templates.Template) []proposal.Fact { return Orphans(t, s.Facts) }

// Orphans are the facts that answer no field of t, in the order they were
// given.
func Orphans(t *templates.Template, facts proposal.Facts) []proposal.Fact {
	var out []proposal.Fact
	for id, f := range facts {
		if _, field := t.Field(id); field == nil && strings.TrimSpace(f.Value) != "" {
			if f.Field == "" {
				f.Field = id
			}
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Turn != out[j].Turn {
			return out[i].Turn < out[j].Turn
		}
		return out[i].Field < out[j].Field
	})
	return out
}

// NewID returns a short random session id: eight hex digits.
func NewID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Title is the proposal's title, or a stand-in while none is given.
func (s *Session) Title() string {
	if t := strings.TrimSpace(s.Facts.Value("title")); t != "" {
		return oneLine(t)
	}
	return "Untitled proposal"
}

// Client is the client's name, or "".
func (s *Session) Client() string { return oneLine(s.Facts.Value("client")) }

func oneLine(s string) string { return strings.Join(strings.Fields(proposal.Sanitize(s)), " ") }

// Today is the day the proposal is dated when no date is given: the day the
// session started, so a proposal resumed later keeps its date.
func (s *Session) Today() time.Time { return s.Created }

// Coverage says how much of a section the interview has established.
type Coverage string

// The states of a section's coverage.
const (
	Missing Coverage = "missing"
	Partial Coverage = "partial"
	Covered Coverage = "covered"
)

// SectionCoverage is one section's coverage.
type SectionCoverage struct {
	Section  string
	Title    string
	State    Coverage
	Answered int
	Total    int
}

// Coverage reports each section's state: missing (nothing answered), covered
// (every required field answered and every other one answered or skipped) or
// partial.
func (s *Session) Coverage(t *templates.Template) []SectionCoverage {
	out := make([]SectionCoverage, 0, len(t.Sections))
	for _, sec := range t.Sections {
		c := SectionCoverage{Section: sec.ID, Title: sec.Title, Total: len(sec.Fields)}
		done := 0
		requiredGap := false
		for _, f := range sec.Fields {
			has := s.Facts.Has(f.ID)
			if has {
				c.Answered++
			}
			if has || (!f.Required && s.Skipped[f.ID]) {
				done++
			}
			if f.Required && !has {
				requiredGap = true
			}
		}
		switch {
		case c.Answered == 0:
			c.State = Missing
			if !requiredGap && done == c.Total {
				c.State = Covered
			}
		case done == c.Total && !requiredGap:
			c.State = Covered
		default:
			c.State = Partial
		}
		out = append(out, c)
	}
	return out
}

// Progress counts answered questions: required answered of required, and all
// answered of all.
type Progress struct {
	RequiredAnswered, Required int
	Answered, Total            int
	SectionsCovered, Sections  int
}

// Progress reports how far the interview has come.
func (s *Session) Progress(t *templates.Template) Progress {
	var p Progress
	for _, sec := range t.Sections {
		for _, f := range sec.Fields {
			p.Total++
			has := s.Facts.Has(f.ID)
			if has {
				p.Answered++
			}
			if f.Required {
				p.Required++
				if has {
					p.RequiredAnswered++
				}
			}
		}
	}
	for _, c := range s.Coverage(t) {
		p.Sections++
		if c.State == Covered {
			p.SectionsCovered++
		}
	}
	return p
}

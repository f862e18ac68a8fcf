package proposal

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"propose/llm"
	"propose/templates"
)

// LLMReviewer reads the draft through a model with fresh eyes: a new
// conversation holding the draft, the facts and what the rule checks found,
// never the interview's transcript. Its findings come back as JSON and are
// checked against the template; the engine merges them with the rule
// findings, which always run.
//
// A model's findings never block an export: a blocker it returns is kept as
// a warning, so that whether a proposal may go out is decided by the rules
// alone, the same way every time.
type LLMReviewer struct {
	// Client talks to the model.
	Client *llm.Client
	// Now dates the prompts; nil means time.Now.
	Now func() time.Time
	// Language is the proposal's language (BCP 47; "" means English): the
	// findings' messages are asked for in it. A request's Language, which
	// the engine always gives, takes its place.
	Language string
}

var _ Reviewer = (*LLMReviewer)(nil)

const (
	reviewerReply  = 1500
	maxLLMFindings = 12
)

// reviewReply is the JSON the model returns.
type reviewReply struct {
	Findings []replyFinding `json:"findings"`
}

type replyFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Section  string `json:"section"`
	Field    string `json:"field"`
	Message  string `json:"message"`
}

// Prompt data for a review.
type (
	reviewData struct {
		Today    string
		Outline  []reviewOutline
		Facts    []reviewFact
		Rules    []Finding
		Draft    string
		Language string
	}
	reviewOutline struct{ ID, Title, Fields string }
	reviewFact    struct {
		Field, Value string
		Assumed      bool
	}
)

func (r *LLMReviewer) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Review asks the model for findings and returns those that hold up: placed
// in a section of the template, not repeating a rule finding, one each.
func (r *LLMReviewer) Review(ctx context.Context, req ReviewRequest) ([]Finding, error) {
	if r.Client == nil {
		return nil, nil
	}
	rules, _ := RuleReviewer{}.Review(ctx, req)
	msgs, err := r.messages(req, rules)
	if err != nil {
		return nil, err
	}
	var reply reviewReply
	err = r.Client.ChatJSON(ctx, llm.Request{
		Agent:           llm.AgentReviewer,
		Messages:        msgs,
		ResponseFormat:  llm.ResponseFormat{Name: "review", Strict: true},
		MaxOutputTokens: reviewerReply,
		Check:           func(v any) error { return checkFindings(req.Template, v.(*reviewReply)) },
	}, reviewerSchema, &reply)
	if err != nil {
		return nil, err
	}
	return findingsFrom(req.Template, rules, reply.Findings), nil
}

// Fact caps the reviewer's budget falls back on, in characters.
var reviewFactCaps = []int{0, 400, 120}

// messages builds the review request within the model's context window, by
// this rule: the reviewer gets the outline, the facts and the prose of each
// section (tables and signature lines are left out: code built them from
// the facts it already has). When that does not fit with room for the
// reply, every section's prose is cut to one common length, so the longest
// are cut first and most, to the longest length that fits; when even empty
// sections do not fit, each fact is cut to 400 characters, then 120. A
// draft that grew never gets the review refused.
func (r *LLMReviewer) messages(req ReviewRequest, rules []Finding) ([]llm.Message, error) {
	sections := reviewSections(req)
	longest := 0
	for _, s := range sections {
		longest = max(longest, len(s.prose))
	}
	build := func(sectionCap, factCap int) ([]llm.Message, int, error) {
		p, err := r.prompt(req, rules, sections, sectionCap, factCap)
		if err != nil {
			return nil, 0, err
		}
		msgs := []llm.Message{llm.System(reviewerSystem), llm.User(p)}
		return msgs, r.Client.Overflow(llm.Request{Messages: msgs, MaxOutputTokens: reviewerReply}), nil
	}
	var msgs []llm.Message
	for _, factCap := range reviewFactCaps {
		m, over, err := build(-1, factCap)
		if err != nil || over <= 0 {
			return m, err
		}
		if _, over0, _ := build(0, factCap); over0 > 0 {
			msgs = m
			continue // even without prose it does not fit: cut the facts
		}
		lo, hi := 0, longest // lo fits, hi does not
		for hi-lo > 16 {
			mid := (lo + hi) / 2
			if _, o, _ := build(mid, factCap); o <= 0 {
				lo = mid
			} else {
				hi = mid
			}
		}
		m, _, err = build(lo, factCap)
		return m, err
	}
	// Nothing fits: send the smallest and let the client say so plainly.
	return msgs, nil
}

// reviewSection is one section's prose for the reviewer.
type reviewSection struct {
	title, prose string
}

func reviewSections(req ReviewRequest) []reviewSection {
	var out []reviewSection
	for _, s := range req.Draft.Sections {
		body := strings.TrimSpace(Sanitize(s.Body))
		if body == "" {
			continue
		}
		var lines []string
		for _, line := range strings.Split(proseLines(body), "\n") {
			if !strings.Contains(line, "___") {
				lines = append(lines, line)
			}
		}
		prose := strings.TrimSpace(blankLinesRE.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
		title := s.Title
		if s.NoHeading {
			title = ""
		}
		out = append(out, reviewSection{title: title, prose: prose})
	}
	return out
}

// prompt writes the review request; sectionCap and factCap cut each
// section's prose and each fact to that many characters (-1 and 0: whole).
func (r *LLMReviewer) prompt(req ReviewRequest, rules []Finding, sections []reviewSection, sectionCap, factCap int) (string, error) {
	t := req.Template
	var draft strings.Builder
	for _, s := range sections {
		if draft.Len() > 0 {
			draft.WriteString("\n\n")
		}
		if s.title != "" {
			draft.WriteString("## " + oneLine(Sanitize(s.title)) + "\n\n")
		}
		prose := s.prose
		switch {
		case sectionCap >= 0 && sectionCap < 8 && prose != "":
			prose = "[…]"
		case sectionCap >= 0 && len(prose) > sectionCap:
			prose = clipText(prose, sectionCap) + " […]"
		}
		draft.WriteString(prose)
	}
	// The internal section (discovery) is the consultant's own: its answers,
	// and the findings that quote them, stay out of the model's prompt.
	var shown []Finding
	for _, f := range rules {
		if !t.Internal(f.Field) && !discoveryRule(f.Rule) {
			shown = append(shown, f)
		}
	}
	data := reviewData{
		Today:    FormatDate(r.now()),
		Rules:    shown,
		Draft:    draft.String(),
		Language: llm.LanguageName(cmp.Or(req.Language, r.Language)),
	}
	for _, s := range t.Sections {
		if s.Internal {
			continue
		}
		ids := make([]string, 0, len(s.Fields))
		for _, f := range s.Fields {
			ids = append(ids, f.ID)
		}
		data.Outline = append(data.Outline, reviewOutline{ID: s.ID, Title: s.Title, Fields: strings.Join(ids, ", ")})
		for _, f := range s.Fields {
			if req.Facts.Has(f.ID) {
				fact := req.Facts[f.ID]
				v := Sanitize(fact.Value)
				if factCap > 0 && len(v) > factCap {
					v = clipText(v, factCap) + " […]"
				}
				data.Facts = append(data.Facts, reviewFact{Field: f.ID, Value: indent(v), Assumed: fact.Origin == Assumed})
			}
		}
	}
	return renderPrompt("reviewer_request.tmpl", data)
}

// place finds the section and field a finding belongs to, mending what can
// be mended: an unknown field is dropped when the section is known, and a
// missing or unknown section is taken from the field.
func place(t *templates.Template, f replyFinding) (section, field string, ok bool) {
	section, field = strings.TrimSpace(f.Section), strings.TrimSpace(f.Field)
	fs, ff := t.Field(field)
	if ff == nil {
		field = ""
	}
	if t.Section(section) == nil {
		if fs == nil {
			return "", "", false
		}
		section = fs.ID
	}
	return section, field, true
}

// checkFindings asks for a repair only for what cannot be mended: a finding
// with no message, or one that names no section or field of the template.
func checkFindings(t *templates.Template, r *reviewReply) error {
	var problems []string
	for i, f := range r.Findings {
		if strings.TrimSpace(Sanitize(f.Message)) == "" {
			problems = append(problems, fmt.Sprintf("findings[%d] has no message", i))
			continue
		}
		if _, _, ok := place(t, f); !ok {
			problems = append(problems, fmt.Sprintf("findings[%d] names section %q and field %q, neither of which is in the outline", i, f.Section, f.Field))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

var ruleIDRE = regexp.MustCompile(`[^a-z0-9]+`)

// findingsFrom turns the reply into findings: placed, severities capped at
// warning, without repeats among themselves or of a rule finding (the engine's
// Merge drops the rest: same rule and field, or same field and message).
func findingsFrom(t *templates.Template, rules []Finding, in []replyFinding) []Finding {
	missing := map[string]bool{}
	for _, r := range rules {
		if r.Rule == "missing-required" && r.Field != "" {
			missing[r.Field] = true
		}
	}
	var out []Finding
	seen := map[string]bool{}
	for _, f := range in {
		section, field, ok := place(t, f)
		msg := strings.Join(strings.Fields(Sanitize(f.Message)), " ")
		if !ok || msg == "" || missing[field] {
			continue // nothing to add to "this question is not answered yet"
		}
		rule := strings.Trim(ruleIDRE.ReplaceAllString(strings.ToLower(Sanitize(f.Rule)), "-"), "-")
		if rule == "" {
			rule = "review"
		}
		sev := Severity(strings.ToLower(strings.TrimSpace(f.Severity)))
		if sev != Suggestion {
			sev = Warning
		}
		key := rule + "\x00" + field + "\x00" + strings.ToLower(msg)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, Finding{Rule: rule, Severity: sev, Section: section, Field: field, Message: clipText(msg, 600), Source: "llm"})
		if len(out) == maxLLMFindings {
			break
		}
	}
	return out
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

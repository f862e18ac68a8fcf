package proposal

import (
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
		Today   string
		Outline []reviewSection
		Facts   []reviewFact
		Rules   []Finding
		Draft   string
	}
	reviewSection struct{ ID, Title, Fields string }
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
	prompt, err := r.prompt(req, rules)
	if err != nil {
		return nil, err
	}
	var reply reviewReply
	err = r.Client.ChatJSON(ctx, llm.Request{
		Agent:           llm.AgentReviewer,
		Messages:        []llm.Message{llm.System(reviewerSystem), llm.User(prompt)},
		ResponseFormat:  llm.ResponseFormat{Name: "review", Strict: true},
		MaxOutputTokens: reviewerReply,
		Check:           func(v any) error { return checkFindings(req.Template, v.(*reviewReply)) },
	}, reviewerSchema, &reply)
	if err != nil {
		return nil, err
	}
	return findingsFrom(req.Template, rules, reply.Findings), nil
}

func (r *LLMReviewer) prompt(req ReviewRequest, rules []Finding) (string, error) {
	t := req.Template
	data := reviewData{
		Today: FormatDate(r.now()),
		Rules: rules,
		Draft: strings.TrimSpace(Markdown(CoverOf(t, req.Facts, req.Today), req.Draft)),
	}
	for _, s := range t.Sections {
		ids := make([]string, 0, len(s.Fields))
		for _, f := range s.Fields {
			ids = append(ids, f.ID)
		}
		data.Outline = append(data.Outline, reviewSection{ID: s.ID, Title: s.Title, Fields: strings.Join(ids, ", ")})
		for _, f := range s.Fields {
			if req.Facts.Has(f.ID) {
				fact := req.Facts[f.ID]
				data.Facts = append(data.Facts, reviewFact{Field: f.ID, Value: indent(Sanitize(fact.Value)), Assumed: fact.Origin == Assumed})
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

package proposal

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"propose/templates"
)

// Severity says how much a finding matters. Blockers stop an export.
type Severity string

// The severities, from most to least serious.
const (
	Blocker    Severity = "blocker"
	Warning    Severity = "warning"
	Suggestion Severity = "suggestion"
)

// Rank orders severities: blockers first.
func (s Severity) Rank() int {
	switch s {
	case Blocker:
		return 0
	case Warning:
		return 1
	default:
		return 2
	}
}

// Finding is one thing the reviewer would fix before the proposal goes out.
type Finding struct {
	// Rule is a stable id such as "missing-required".
	Rule string `json:"rule"`
	// Severity is blocker, warning or suggestion.
	Severity Severity `json:"severity"`
	// Section is the id of the section it concerns.
	Section string `json:"section"`
	// Field is the question that fixes it.
	Field string `json:"field,omitempty"`
	// Message says what is wrong in plain words.
	Message string `json:"message"`
	// Source is "rules" or the reviewer that found it ("llm").
	Source string `json:"source,omitempty"`
}

// ReviewRequest is what a reviewer reads: the draft and the facts, never the
// transcript.
type ReviewRequest struct {
	Template *templates.Template
	Facts    Facts
	Draft    Draft
	Today    time.Time
	// Language is the proposal's language as a BCP 47 tag, for a model
	// reviewer's messages; "" leaves it to the reviewer's own Language.
	Language string
}

// Reviewer reads the draft with fresh eyes and returns findings.
type Reviewer interface {
	Review(ctx context.Context, req ReviewRequest) ([]Finding, error)
}

// RuleReviewer checks the proposal against fixed rules. It always runs,
// whatever engine is in use.
type RuleReviewer struct{}

var _ Reviewer = RuleReviewer{}

// Blockers counts the blocker findings.
func Blockers(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if f.Severity == Blocker {
			n++
		}
	}
	return n
}

// SortFindings orders findings by severity, then by section order in the
// template, keeping the rules' own order within a section.
func SortFindings(t *templates.Template, fs []Finding) {
	pos := map[string]int{}
	for i, s := range t.Sections {
		pos[s.ID] = i
	}
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Severity.Rank() != fs[j].Severity.Rank() {
			return fs[i].Severity.Rank() < fs[j].Severity.Rank()
		}
		return pos[fs[i].Section] < pos[fs[j].Section]
	})
}

// Merge adds findings from another reviewer to the rule findings, leaving out
// any that repeat one already there (same rule and field, or same field and
// the same message).
func Merge(rules, others []Finding) []Finding {
	out := append([]Finding(nil), rules...)
	for _, o := range others {
		dup := false
		for _, r := range out {
			if (o.Rule == r.Rule && o.Field == r.Field) ||
				(o.Field != "" && o.Field == r.Field && strings.EqualFold(strings.TrimSpace(o.Message), strings.TrimSpace(r.Message))) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, o)
		}
	}
	return out
}

// A rule checks one thing a client's reader would catch and adds its
// findings to the run (r.add). Rules read the run's template, facts, draft
// and dates; none of them changes anything.
type rule func(r *ruleRun)

// rules are the rules RuleReviewer runs, in order. missingRequired comes
// first: others leave alone what it already reports. A rule kept in its own
// file adds itself with one line there:
//
//	func init() { registerRule((*ruleRun).numberMismatch) }
var rules = []rule{
	(*ruleRun).missingRequired,
	(*ruleRun).templateRoles,
	(*ruleRun).placeholders,
	(*ruleRun).measures,
	(*ruleRun).fees,
	(*ruleRun).feeUnparsed,
	(*ruleRun).mixedCurrency,
	(*ruleRun).paymentTermsSum,
	(*ruleRun).staleFigures,
	(*ruleRun).optionMismatch,
	(*ruleRun).objectives,
	(*ruleRun).outOfScope,
	(*ruleRun).value,
	(*ruleRun).noPaymentTerms,
	(*ruleRun).unansweredOptional,
	(*ruleRun).milestones,
	(*ruleRun).datesInPast,
	(*ruleRun).datesUnparsed,
	(*ruleRun).choicesNotOffered,
	(*ruleRun).risksWithoutMitigation,
	(*ruleRun).repeatedText,
	(*ruleRun).options,
	(*ruleRun).noAcceptance,
}

// registerRule adds a rule to those RuleReviewer runs. Call it from an init
// function in the rule's own file.
func registerRule(fn rule) { rules = append(rules, fn) }

// Review runs every rule.
func (RuleReviewer) Review(_ context.Context, req ReviewRequest) ([]Finding, error) {
	r := ruleRun{t: req.Template, facts: req.Facts, draft: req.Draft, today: req.Today}
	for _, fn := range rules {
		fn(&r)
	}
	SortFindings(r.t, r.out)
	return r.out, nil
}

// ruleRun is one review: what the rules read, and the findings so far.
type ruleRun struct {
	t       *templates.Template
	facts   Facts
	draft   Draft
	today   time.Time
	out     []Finding
	missing map[string]bool // required fields with no answer (missing-required)
}

// field returns the template's field with the id, or nil.
func (r *ruleRun) field(id string) *templates.Field {
	_, f := r.t.Field(id)
	return f
}

// stated reports whether the field holds an answer the user wrote (not an
// assumption the template stated for them).
func (r *ruleRun) stated(id string) bool {
	return r.facts.Has(id) && r.facts[id].Origin != Assumed
}

// proposalDate is the date the proposal carries: its date field, else today.
func (r *ruleRun) proposalDate() time.Time {
	for _, f := range r.t.FieldsWithRole(templates.RoleDate) {
		if d, ok := ParseDate(r.facts.Value(f.ID)); ok {
			return d
		}
	}
	return time.Date(r.today.Year(), r.today.Month(), r.today.Day(), 0, 0, 0, 0, time.UTC)
}

func (r *ruleRun) add(rule string, sev Severity, field, msg string, args ...any) {
	section := ""
	if s, _ := r.t.Field(field); s != nil {
		section = s.ID
	}
	r.out = append(r.out, Finding{Rule: rule, Severity: sev, Section: section, Field: field,
		Message: fmt.Sprintf(msg, args...), Source: "rules"})
}

func label(f *templates.Field) string {
	if f.Label != "" {
		return f.Label
	}
	return f.ID
}

func (r *ruleRun) missingRequired() {
	r.missing = map[string]bool{}
	for _, s := range r.t.Sections {
		for i := range s.Fields {
			f := &s.Fields[i]
			if f.Required && !r.facts.Has(f.ID) && f.Default == "" {
				r.missing[f.ID] = true
				r.add("missing-required", Blocker, f.ID, "%s is required and not answered yet.", label(f))
			}
		}
	}
}

func (r *ruleRun) measures() {
	for _, f := range r.t.FieldsWithRole(templates.RoleMeasure) {
		if !r.facts.Has(f.ID) || r.facts[f.ID].Origin == Assumed {
			continue
		}
		items := Items(r.facts.Value(f.ID))
		var weak []string
		for _, it := range items {
			if !HasNumber(it) {
				weak = append(weak, it)
			}
		}
		if len(items) > 0 && len(weak) == len(items) {
			r.add("unmeasurable-success", Blocker, f.ID,
				"None of the %s has a number, percentage, amount or date, so nobody can tell whether the work succeeded.", strings.ToLower(label(f)))
			continue
		}
		for _, w := range weak {
			r.add("unmeasurable-success", Warning, f.ID, "%q has no number, percentage, amount or date to check it against.", w)
		}
	}
}

func (r *ruleRun) fees() {
	fields := r.t.FieldsWithRole(templates.RoleFees)
	if len(fields) == 0 {
		return
	}
	priced, answered, unparsed := false, false, false
	type unpriced struct{ field, line string }
	var lines []unpriced
	for _, f := range fields {
		if !r.facts.Has(f.ID) {
			continue
		}
		answered = true
		for _, l := range ParseFees(r.facts.Value(f.ID)) {
			switch {
			case l.HasAmount:
				priced = true
			case l.Unparsed:
				unparsed = true // fee-unparsed says it
			default:
				lines = append(lines, unpriced{f.ID, l.Raw})
			}
		}
	}
	if !priced {
		// One blocker says it all; a warning per line would repeat it.
		if !(r.missing[fields[0].ID] && !answered) && !unparsed {
			r.add("no-fees", Blocker, fields[0].ID, "No fee line has an amount: the client cannot see what this costs. Write one line per item as \"item: amount\".")
		}
		return
	}
	for _, l := range lines {
		r.add("fee-without-amount", Warning, l.field, "The fee line %q has no amount: add it after a colon, or say what it is (\"at cost\").", l.line)
	}
}

// Words that open an objective phrased as an activity or a deliverable rather
// than a business outcome.
var taskVerbs = map[string]bool{
	"conduct": true, "deliver": true, "run": true, "hold": true, "perform": true, "create": true,
	"write": true, "produce": true, "prepare": true, "develop": true, "build": true, "implement": true,
	"facilitate": true, "interview": true, "analyse": true, "analyze": true, "review": true,
	"assess": true, "audit": true, "document": true, "design": true, "draft": true, "organise": true,
	"organize": true, "provide": true, "complete": true, "carry": true, "do": true, "set": true,
	"install": true, "configure": true, "map": true, "present": true, "hand": true, "study": true,
	"research": true, "survey": true, "benchmark": true, "evaluate": true, "investigate": true,
	"explore": true, "support": true, "help": true, "assist": true, "coordinate": true, "manage": true,
}

var deliverableNouns = map[string]bool{
	"report": true, "workshop": true, "workshops": true, "presentation": true, "document": true,
	"deck": true, "roadmap": true, "assessment": true, "analysis": true, "interviews": true,
	"slides": true, "study": true, "review": true, "audit": true, "survey": true, "training": true,
	"recommendations": true, "memo": true, "playbook": true, "framework": true, "diagnostic": true,
}

// IsTask reports whether an objective reads as an activity or deliverable
// ("Conduct interviews", "A report on...") rather than an outcome.
func IsTask(objective string) bool {
	words := strings.Fields(strings.ToLower(objective))
	for len(words) > 0 && (words[0] == "to" || words[0] == "we" || words[0] == "will") {
		words = words[1:]
	}
	if len(words) == 0 {
		return false
	}
	first := strings.Trim(words[0], ".,:;!")
	if taskVerbs[first] {
		return true
	}
	for len(words) > 0 && (words[0] == "a" || words[0] == "an" || words[0] == "the") {
		words = words[1:]
	}
	if len(words) == 0 {
		return false
	}
	return deliverableNouns[strings.Trim(words[0], ".,:;!")]
}

func (r *ruleRun) objectives() {
	for _, f := range r.t.FieldsWithRole(templates.RoleObjective) {
		if r.facts[f.ID].Origin == Assumed {
			continue
		}
		for _, it := range Items(r.facts.Value(f.ID)) {
			if IsTask(it) {
				r.add("objective-is-task", Warning, f.ID,
					"%q is an activity or deliverable, not a business outcome: say what changes for the client.", it)
			}
		}
	}
}

func (r *ruleRun) outOfScope() {
	for _, f := range r.t.FieldsWithRole(templates.RoleOutOfScope) {
		if !r.facts.Has(f.ID) {
			r.add("no-out-of-scope", Warning, f.ID, "Nothing is listed as out of scope: say what this work does not include, before the client assumes it does.")
		}
	}
}

func (r *ruleRun) value() {
	for _, f := range r.t.FieldsWithRole(templates.RoleValue) {
		switch {
		case r.missing[f.ID]:
		case !r.facts.Has(f.ID):
			r.add("value-unquantified", Warning, f.ID, "The value to the client is not stated: put a number on what the outcome is worth.")
		case r.facts[f.ID].Origin != Assumed && !HasNumber(r.facts.Value(f.ID)):
			r.add("value-unquantified", Warning, f.ID, "The value to the client has no number: say what the outcome is worth in money, time or percentage.")
		}
	}
}

func (r *ruleRun) options() {
	opts := r.t.FieldsWithRole(templates.RoleOptions)
	if len(opts) == 0 {
		return
	}
	for _, f := range opts {
		if len(Items(r.facts.Value(f.ID))) > 1 {
			return
		}
	}
	r.add("single-option", Suggestion, opts[0].ID,
		"The client has one price and no options: two or three options let them choose how to say yes.")
}

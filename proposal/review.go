package proposal

import (
	"context"
	"fmt"
	"regexp"
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

var placeholderRE = regexp.MustCompile(`(?i)\b(TBD|TBC|TODO|XXX+|FIXME|lorem ipsum)\b|\[insert|\?\?`)

// Placeholder returns the first placeholder in s ("TBD", "[insert"...), or "".
//
// The regexp is slow on long text, and a pasted brief of megabytes is
// reviewed after every answer (seconds each time under the race detector).
// So one pass over the bytes finds where a match could start, and the
// regexp only looks at a short window there. The result is the regexp's.
func Placeholder(s string) string {
	for p := 0; p < len(s); p++ {
		if !placeholderMayStart(s[p:]) {
			continue
		}
		// The window holds the byte before p (for \b), the longest match
		// (11 runes of up to 4 bytes, or a run of x of any length) and the
		// rune after it (for \b again).
		end := p + 52
		q := p
		for q < len(s) && s[q]|0x20 == 'x' {
			q++
		}
		end = min(max(end, q+4), len(s))
		start := max(p-1, 0)
		w := s[start:end]
		if loc := placeholderRE.FindStringIndex(w); loc != nil && loc[0] == p-start {
			return w[loc[0]:loc[1]]
		}
	}
	return ""
}

// placeholderNeedles are the placeholders in lower case, as the regexp
// spells them (XXX+ starts with xxx).
var placeholderNeedles = []string{"tbd", "tbc", "todo", "xxx", "fixme", "lorem ipsum", "[insert", "??"}

// placeholderMayStart reports whether a placeholder could start s: s starts
// with a needle, ignoring ASCII case, or with a needle's first character
// followed by a byte outside ASCII (a case fold such as ſ for s, which the
// regexp then judges). The first characters have no folds outside ASCII.
func placeholderMayStart(s string) bool {
	c := s[0] | 0x20
	if c != 't' && c != 'x' && c != 'f' && c != 'l' && s[0] != '[' && s[0] != '?' {
		return false
	}
	for _, n := range placeholderNeedles {
		if n[0] != c && n[0] != s[0] {
			continue
		}
		i := 0
		for ; i < len(n) && i < len(s); i++ {
			b := s[i]
			if b >= 0x80 {
				return true
			}
			if b >= 'A' && b <= 'Z' {
				b |= 0x20
			}
			if b != n[i] {
				break
			}
		}
		if i == len(n) {
			return true
		}
	}
	return false
}

// Review runs every rule.
func (RuleReviewer) Review(_ context.Context, req ReviewRequest) ([]Finding, error) {
	r := ruleRun{t: req.Template, facts: req.Facts, draft: req.Draft, today: req.Today}
	r.missingRequired()
	r.placeholders()
	r.measures()
	r.fees()
	r.objectives()
	r.outOfScope()
	r.value()
	r.milestones()
	r.options()
	r.out = append(r.out, NumberMismatches(req)...)
	SortFindings(r.t, r.out)
	return r.out, nil
}

type ruleRun struct {
	t       *templates.Template
	facts   Facts
	draft   Draft
	today   time.Time
	out     []Finding
	missing map[string]bool
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

func (r *ruleRun) placeholders() {
	flagged := map[string]bool{}
	for _, s := range r.t.Sections {
		for i := range s.Fields {
			f := &s.Fields[i]
			if p := Placeholder(r.facts.Value(f.ID)); p != "" {
				flagged[f.ID] = true
				r.add("placeholder", Blocker, f.ID, "%s still holds the placeholder %q: replace it with the real answer.", label(f), p)
			}
		}
	}
	for _, sec := range r.draft.Sections {
		p := Placeholder(sec.Body)
		if p == "" {
			continue
		}
		ts := r.t.Section(sec.ID)
		if ts == nil {
			continue
		}
		fromFact := false
		for _, id := range sec.Fields {
			fromFact = fromFact || flagged[id]
		}
		if fromFact {
			continue
		}
		field := ""
		if len(ts.Fields) > 0 {
			field = ts.Fields[0].ID
		}
		r.out = append(r.out, Finding{Rule: "placeholder", Severity: Blocker, Section: sec.ID, Field: field,
			Message: fmt.Sprintf("The %s section contains the placeholder %q.", ts.Title, p), Source: "rules"})
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
	priced, answered := false, false
	type unpriced struct{ field, line string }
	var lines []unpriced
	for _, f := range fields {
		if !r.facts.Has(f.ID) {
			continue
		}
		answered = true
		for _, l := range ParseFees(r.facts.Value(f.ID)) {
			if l.HasAmount {
				priced = true
			} else {
				lines = append(lines, unpriced{f.ID, l.Raw})
			}
		}
	}
	if !priced {
		// One blocker says it all; a warning per line would repeat it.
		if !(r.missing[fields[0].ID] && !answered) {
			r.add("no-fees", Blocker, fields[0].ID, "No fee line has an amount: the client cannot see what this costs.")
		}
		return
	}
	for _, l := range lines {
		r.add("fee-without-amount", Warning, l.field, "The fee line %q has no amount.", l.line)
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

func (r *ruleRun) milestones() {
	var start time.Time
	for _, f := range r.t.FieldsWithRole(templates.RoleStart) {
		if d, ok := ParseDate(r.facts.Value(f.ID)); ok {
			start = d
		}
	}
	for _, f := range r.t.FieldsWithRole(templates.RoleMilestones) {
		var prev time.Time
		prevText := ""
		for _, it := range Items(r.facts.Value(f.ID)) {
			d, ok := ParseDate(SplitColumns(it, 2)[0])
			if !ok {
				continue
			}
			if !start.IsZero() && d.Before(start) {
				r.add("milestones-out-of-order", Warning, f.ID, "The milestone %q falls before the start date (%s).", it, FormatDate(start))
			}
			if !prev.IsZero() && d.Before(prev) {
				r.add("milestones-out-of-order", Warning, f.ID, "The milestone %q comes before %q: list milestones in date order.", it, prevText)
			}
			prev, prevText = d, it
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

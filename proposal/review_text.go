package proposal

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"propose/templates"
)

// The rules on what the answers say: nothing missing a client expects,
// nothing said twice, every risk with its answer.

// Fields the built-in templates ask for that have no role yet, found by id.
const (
	teamField     = "team"
	termsField    = "terms"
	triggerField  = "trigger"
	risksField    = "risks"
	validityField = "validity"
)

// unansweredOptional: optional questions whose absence a client notices.
// Required ones are missing-required already.
func (r *ruleRun) unansweredOptional() {
	ask := func(id, rule string, sev Severity, msg string) {
		if f := r.field(id); f != nil && !r.facts.Has(id) && !r.missing[id] && strings.TrimSpace(f.Default) == "" {
			r.add(rule, sev, id, "%s", msg)
		}
	}
	ask(teamField, "no-team", Warning,
		"No one is named to do the work: list the team, one person a line as \"Name, role: what they do\".")
	ask(termsField, "no-terms", Warning,
		"No terms are stated: say which terms govern the work (your standard terms, notice, who owns what is produced), or answer \"assume\".")
	ask(triggerField, "no-why-now", Suggestion,
		"Nothing says why the client should act now: write what waiting costs them, in their own numbers.")
	for _, f := range r.t.FieldsWithRole(templates.RoleMilestones) {
		ask(f.ID, "no-milestones", Warning,
			"No milestones are dated: list them as \"date: milestone\", so the client knows when they will see progress.")
	}
}

// choicesNotOffered: a choice answered with something that is not one of
// its choices loses the drafting text written for each choice.
func (r *ruleRun) choicesNotOffered() {
	for _, s := range r.t.Sections {
		for i := range s.Fields {
			f := &s.Fields[i]
			if f.Kind != templates.KindChoice || len(f.Choices) == 0 || !r.stated(f.ID) {
				continue
			}
			v := strings.TrimSpace(r.facts.Value(f.ID))
			ok := false
			for _, c := range f.Choices {
				ok = ok || strings.EqualFold(c, v)
			}
			if !ok {
				r.add("choice-not-offered", Warning, f.ID, "%s is %q, which is not one of its choices: answer one of %s.",
					label(f), v, strings.Join(f.Choices, ", "))
			}
		}
	}
}

// mitigationRE finds a risk line that says how it is handled without a
// separator: "we will", "mitigated by".
var mitigationRE = regexp.MustCompile(`(?i)\b(?:we will|we'll|we would|mitigat\w*|managed by|to manage|handled by|covered by|contingency)\b`)

// hasMitigation reports whether a risk line says how the risk is managed:
// "risk: how we manage it" (or a dash or semicolon between them), or words
// that say so.
func hasMitigation(line string) bool {
	for _, sep := range []string{":", " — ", " – ", " - ", ";", " -> ", " → "} {
		if i := strings.Index(line, sep); i > 0 {
			if len(strings.Fields(line[i+len(sep):])) >= 2 {
				return true
			}
		}
	}
	return mitigationRE.MatchString(line)
}

// risksWithoutMitigation: a risk named with no answer to it worries a client
// more than saying nothing.
func (r *ruleRun) risksWithoutMitigation() {
	f := r.field(risksField)
	if f == nil || !r.stated(f.ID) {
		return
	}
	for _, it := range Items(r.facts.Value(f.ID)) {
		if !hasMitigation(it) {
			r.add("risk-without-mitigation", Warning, f.ID,
				"The risk %q does not say how it is managed: add it after a colon, as \"%s: what we will do about it\".", it, strings.TrimRight(it, ". "))
		}
	}
}

// A sentence is repeated when it is this long or longer, written again.
const (
	repeatMinWords = 6
	repeatMinBytes = 30
)

// repeatScanBytes is how much of each answer the repetition checks read: a
// pasted brief of megabytes is reviewed after every answer, and a slip of
// copy and paste shows long before its end.
const repeatScanBytes = 256 << 10

// scanned is the part of an answer the repetition checks read.
func scanned(text string) string {
	if len(text) <= repeatScanBytes {
		return text
	}
	return text[:repeatScanBytes]
}

// sentences splits text into sentences: at ".", "!" or "?" followed by a
// space or the end, and at line breaks. One pass over the bytes: a pasted
// brief of megabytes is reviewed after every answer.
func sentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		end := c == '\n'
		if c == '.' || c == '!' || c == '?' {
			end = i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n' || text[i+1] == '\t' || text[i+1] == '\r'
		}
		if end {
			if s := strings.TrimSpace(text[start:i]); s != "" {
				out = append(out, s)
			}
			start = i + 1
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// normSentence is a sentence as compared: lower case, single spaces, no
// surrounding punctuation.
func normSentence(s string) string {
	return strings.Trim(strings.ToLower(strings.Join(strings.Fields(s), " ")), " .,;:!?\"'*-•")
}

// repeatedText: the same sentence written twice, in one answer or in two,
// reads as a copy-and-paste slip (or padding) to a client.
func (r *ruleRun) repeatedText() {
	type first struct {
		field string
		text  string
	}
	seen := map[string]first{}
	counts := map[string]int{}
	norm := map[string]string{}
	type repeat struct{ key, field string } // field: where it is written again
	var repeats []repeat
	for _, s := range r.t.Sections {
		if s.Internal {
			continue // the consultant's notes: never read by the client
		}
		for i := range s.Fields {
			f := &s.Fields[i]
			if !r.stated(f.ID) {
				continue
			}
			for _, raw := range sentences(scanned(r.facts.Value(f.ID))) {
				if len(raw) < repeatMinBytes {
					continue
				}
				key, ok := norm[raw]
				if !ok { // a pasted repeat is normalised once
					key = normSentence(trimBullet(raw))
					if len(key) < repeatMinBytes || len(strings.Fields(key)) < repeatMinWords {
						key = "" // too short to count as repeated text
					}
					norm[raw] = key
				}
				if key == "" {
					continue
				}
				if _, ok := seen[key]; !ok {
					seen[key] = first{f.ID, raw}
				}
				if counts[key]++; counts[key] == 2 {
					repeats = append(repeats, repeat{key, f.ID})
				}
			}
		}
	}
	if len(repeats) == 0 {
		r.repeatedPassage()
		return
	}
	for _, rp := range repeats {
		fst := seen[rp.key]
		where := label(r.field(fst.field))
		if rp.field != fst.field {
			where = fmt.Sprintf("%s and %s", where, label(r.field(rp.field)))
		}
		r.add("repeated-text", Warning, rp.field, "The sentence %q is written %d times (%s): say it once, where it belongs.",
			clipText(fst.text, 80), counts[rp.key], where)
	}
}

// passageWords is how long a run of words written twice must be to count as
// a pasted passage rather than a common phrase.
const passageWords = 12

// word is one word of an answer: where it is and its hash.
type word struct {
	start, end int
	hash       uint64
}

// answerWords splits text into words (letters and digits, in lower case for
// the hash).
func answerWords(text string) []word {
	var out []word
	start := -1
	var h uint64
	for i, c := range text {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			if start < 0 {
				start, h = i, 14695981039346656037
			}
			h = (h ^ uint64(unicode.ToLower(c))) * 1099511628211
			continue
		}
		if start >= 0 {
			out = append(out, word{start, i, h})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{start, len(text), h})
	}
	return out
}

// repeatedPassage: a run of passageWords words or more written twice, as
// when part of a sentence is pasted into another answer. It runs only when
// no whole sentence is repeated, which already says it.
func (r *ruleRun) repeatedPassage() {
	type answer struct {
		field string
		text  string
		words []word
	}
	var answers []answer
	total := 0
	for _, s := range r.t.Sections {
		if s.Internal {
			continue
		}
		for i := range s.Fields {
			f := &s.Fields[i]
			if !r.stated(f.ID) || f.Kind == templates.KindMoneyList {
				continue
			}
			text := scanned(r.facts.Value(f.ID))
			ws := answerWords(text)
			answers = append(answers, answer{f.ID, text, ws})
			total += len(ws)
		}
	}
	// Each run's hash -> where it was first seen: answer<<32 | word.
	seen := make(map[uint64]uint64, total)
	for ai, a := range answers {
		ws := a.words
		for k := 0; k+passageWords <= len(ws); k++ {
			var h uint64 = 1469598103934665603
			for _, w := range ws[k : k+passageWords] {
				h = (h ^ w.hash) * 1099511628211
			}
			at, ok := seen[h]
			if !ok {
				seen[h] = uint64(ai)<<32 | uint64(k)
				continue
			}
			p, pk := answers[at>>32], int(at&0xffffffff)
			if int(at>>32) == ai && k-pk < passageWords {
				continue // overlapping itself ("very very very …")
			}
			if !samePassage(p.text, p.words[pk:pk+passageWords], a.text, ws[k:k+passageWords]) {
				continue
			}
			// Report from the first repeated word to the end of the run.
			end := k + passageWords
			for end < len(ws) && pk+end-k < len(p.words) &&
				strings.EqualFold(a.text[ws[end].start:ws[end].end], p.text[p.words[pk+end-k].start:p.words[pk+end-k].end]) {
				end++
			}
			where := label(r.field(p.field))
			if p.field != a.field {
				where += " and " + label(r.field(a.field))
			}
			r.add("repeated-text", Warning, a.field, "The passage %q is written twice (%s): say it once, where it belongs.",
				clipText(a.text[ws[k].start:ws[end-1].end], 80), where)
			return
		}
	}
}

// samePassage reports whether two runs of words are the same words,
// ignoring case (a hash is not proof).
func samePassage(at string, a []word, bt string, b []word) bool {
	for i := range a {
		if !strings.EqualFold(at[a[i].start:a[i].end], bt[b[i].start:b[i].end]) {
			return false
		}
	}
	return true
}

package proposal

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
	"golang.org/x/text/language"

	"propose/templates"
)

// The rules about the proposal's language.
const (
	// RuleLanguageMismatch: the answers are clearly in another language than
	// the proposal, which would come out in two languages.
	RuleLanguageMismatch = "language-mismatch"
	// RuleUntranslated: some of the document's own text has no version in
	// the proposal's language and stays in English.
	RuleUntranslated = "untranslated"
)

// minDetectLetters is how many letters of answers the language detection
// needs before it is trusted: below it, a few names and figures could look
// like any language. Measured on the seven answers files in
// interview/testdata/language (TestAnswerLanguageDetection): whatlanggo
// names each language correctly and reliably from 30 to 120 letters of its
// prose, and from 100 letters on it is never reliable and wrong; 200 leaves
// a margin for a consultant's short answers.
const minDetectLetters = 200

// nameRoles are the fields whose answers are names, not prose: they say
// nothing about the language the consultant writes in.
var nameRoles = []string{templates.RoleClient, templates.RoleConsultant, templates.RoleSignatory,
	templates.RoleDate, templates.RoleReference, templates.RoleStart, templates.RoleFees}

// AnswerLanguage returns the language the answers are written in, as a BCP 47
// base tag ("es"), when there is enough prose to tell and the detection is
// confident; ok is false otherwise.
func AnswerLanguage(t *templates.Template, facts Facts) (tag string, ok bool) {
	tag, _, ok = detectAnswers(t, facts)
	return tag, ok
}

// detectAnswers is AnswerLanguage that also gives the language's English
// name, for languages no catalog names.
func detectAnswers(t *templates.Template, facts Facts) (tag, name string, ok bool) {
	var b strings.Builder
	for _, s := range t.Sections {
		for _, f := range s.Fields {
			if f.Kind == templates.KindDate || f.Kind == templates.KindChoice || isName(&f) {
				continue
			}
			fact, has := facts[f.ID]
			if !has || fact.Origin == Assumed {
				continue // assumptions are the template's words, in its language
			}
			// A sample is enough to tell a language, and detection grows
			// with the text: a pasted brief of megabytes would make every
			// review take seconds.
			b.WriteString(headOf(fact.Value, detectFieldBytes))
			b.WriteString("\n")
			if b.Len() >= detectTotalBytes {
				break
			}
		}
	}
	text := b.String()
	letters := 0
	for _, r := range text {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < minDetectLetters {
		return "", "", false
	}
	detected.Lock()
	defer detected.Unlock()
	if detected.text != text {
		info := whatlanggo.Detect(text)
		detected.text, detected.code, detected.name = text, info.Lang.Iso6391(), info.Lang.String()
		detected.ok = detected.code != "" && info.IsReliable()
	}
	if !detected.ok {
		return "", "", false
	}
	return detected.code, detected.name, true
}

// detected is the last detection: the review runs after every answer, and
// most answers leave the prose the detector reads as it was.
var detected struct {
	sync.Mutex
	text, code, name string
	ok               bool
}

// How much of the answers language detection reads: the start of each
// prose answer, and no more than a few pages in all.
const (
	detectFieldBytes = 2 << 10
	detectTotalBytes = 16 << 10
)

// headOf is the first n bytes of s, cut at a character boundary.
func headOf(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isName(f *templates.Field) bool {
	for _, r := range nameRoles {
		if f.HasRole(r) {
			return true
		}
	}
	return false
}

// languageFindings are the language rules: a warning when the answers are
// clearly in another language than the proposal, and one listing what stays
// in English for want of a translation. The messages are in the proposal's
// language.
func languageFindings(req ReviewRequest) []Finding {
	t := req.Template
	w := t.Words()
	var out []Finding
	proposalTag := language.Make(t.Language())
	proposalBase, _ := proposalTag.Base()
	if got, name, ok := detectAnswers(t, req.Facts); ok && got != proposalBase.String() {
		out = append(out, Finding{Rule: RuleLanguageMismatch, Severity: Warning,
			Message: w.Text("review.language_mismatch",
				"answers", languageName(w, got, name), "answers_tag", got, "proposal", languageName(w, proposalBase.String(), w.Name)),
			Source: "rules"})
	}
	if u := t.Untranslated(); len(u) > 0 {
		which := u
		if len(which) > 6 {
			which = append(append([]string(nil), which[:6]...), "…")
		}
		out = append(out, Finding{Rule: RuleUntranslated, Severity: Warning,
			Message: w.Plural("review.translation_missing", len(u),
				"language", languageName(w, proposalBase.String(), w.Name), "which", strings.Join(which, ", ")),
			Source: "rules"})
	}
	return out
}

// languageName names a language (a base tag such as "es") in the catalog's
// language, from its languages.* words, else from English's, else as
// fallback says.
func languageName(w *templates.Catalog, tag, fallback string) string {
	if n := w.Word("languages." + tag); n != "languages."+tag {
		return n
	}
	return fallback
}

func init() {
	registerRule(func(r *ruleRun) {
		r.out = append(r.out, languageFindings(ReviewRequest{Template: r.t, Facts: r.facts, Draft: r.draft, Today: r.today})...)
	})
}

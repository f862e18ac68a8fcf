package proposal

import (
	"strings"
	"unicode"

	"github.com/abadojack/whatlanggo"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

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
			b.WriteString(fact.Value)
			b.WriteString("\n")
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
		return "", false
	}
	info := whatlanggo.Detect(text)
	code := info.Lang.Iso6391()
	if code == "" || !info.IsReliable() {
		return "", false
	}
	return code, true
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
	if got, ok := AnswerLanguage(t, req.Facts); ok && got != proposalBase.String() {
		namer := display.Tags(language.Make(w.Tag.String()))
		answers := language.Make(got)
		out = append(out, Finding{Rule: RuleLanguageMismatch, Severity: Warning,
			Message: w.Text("review.language_mismatch",
				"answers", namer.Name(answers), "answers_tag", got, "proposal", namer.Name(proposalTag)),
			Source: "rules"})
	}
	if u := t.Untranslated(); len(u) > 0 {
		which := u
		if len(which) > 6 {
			which = append(append([]string(nil), which[:6]...), "…")
		}
		namer := display.Tags(language.Make(w.Tag.String()))
		out = append(out, Finding{Rule: RuleUntranslated, Severity: Warning,
			Message: w.Plural("review.translation_missing", len(u),
				"language", namer.Name(proposalTag), "which", strings.Join(which, ", ")),
			Source: "rules"})
	}
	return out
}

package interview

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"propose/proposal"
	"propose/templates"
)

// builtinLanguages are the languages every built-in template is written in.
var builtinLanguages = []string{"en", "es", "de", "fr", "pt", "it", "nl"}

// proposalIn runs the answers file testdata/language/<lang>.yaml headless, as
// propose run does, and returns the exported Markdown and the findings.
func proposalIn(t *testing.T, lang string) (string, []proposal.Finding) {
	t.Helper()
	a, err := LoadAnswers(filepath.Join("testdata", "language", lang+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	set, errs := templates.Load("")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	base, _ := set.Get(a.Template)
	if a.Language != lang {
		t.Fatalf("%s.yaml names language %q", lang, a.Language)
	}
	tl := base.In(a.Language)
	if err := a.Check(tl); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)
	s := NewSession(tl, now)
	e := Open(base, s, Config{Now: func() time.Time { return now }})
	defer e.Close()
	if err := e.RecordAnswers(a); err != nil {
		t.Fatal(err)
	}
	if err := e.Settle(context.Background()); err != nil {
		t.Fatal(err)
	}
	findings, err := e.Review(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return e.Markdown(), findings
}

// TestLanguageGoldens exports one full consulting proposal in each built-in
// language (update with go test ./interview -run TestLanguageGoldens -update).
func TestLanguageGoldens(t *testing.T) {
	for _, lang := range builtinLanguages {
		t.Run(lang, func(t *testing.T) {
			md, findings := proposalIn(t, lang)
			for _, f := range findings {
				t.Errorf("finding on a complete %s proposal: %s %s: %s", lang, f.Severity, f.Rule, f.Message)
			}
			golden.RequireEqual(t, md)
		})
	}
}

// englishBoilerplate is every phrase the program or the English consulting
// template writes on its own: the literal text of the drafting texts, split
// at actions and punctuation, and the English catalog's words. Phrases that
// a language writes the same way (its own text contains them) are left out
// for that language.
func englishBoilerplate(t *testing.T, lang string) []string {
	return englishBoilerplateOf(t, "consulting", lang)
}

func englishBoilerplateOf(t *testing.T, id, lang string) []string {
	t.Helper()
	set, _ := templates.Load("")
	base, _ := set.Get(id)
	local := base.In(lang)
	var ownText strings.Builder
	for _, s := range local.Sections {
		ownText.WriteString(s.Title + "\n" + s.Draft + "\n")
		for _, f := range s.Fields {
			ownText.WriteString(f.Assume + "\n" + f.Default + "\n" + strings.Join(f.Columns, "\n") + "\n")
		}
	}
	w := local.Words()
	for _, k := range w.Keys() {
		ownText.WriteString(w.Word(k) + "\n" + w.Plural(k, 2) + "\n")
	}
	own := ownText.String()

	split := regexp.MustCompile(`\{\{[^}]*\}\}|\{[a-z_]+\}|[.,;:!?()*\n]`)
	seen := map[string]bool{}
	var out []string
	add := func(text string, min int) {
		for _, p := range split.Split(text, -1) {
			p = strings.TrimSpace(p)
			if len([]rune(p)) < min || seen[p] || strings.Contains(own, p) {
				continue
			}
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, s := range base.Sections {
		if !s.NoHeading {
			add(s.Title, 4)
		}
		add(s.Draft, 8)
		for _, f := range s.Fields {
			add(f.Assume, 8)
			add(f.Default, 8)
		}
	}
	en := templates.BuiltinLanguages().English()
	for _, k := range en.Keys() {
		// Unit words are read in every language, never printed from the catalog.
		if strings.HasPrefix(k, "date.") || strings.HasPrefix(k, "number.") || strings.HasPrefix(k, "units.") {
			continue
		}
		add(en.Word(k), 5)
		add(en.Plural(k, 2), 8)
	}
	sort.Strings(out)
	return out
}

// TestNoEnglishBoilerplate checks that a proposal in another language carries
// none of the words the program writes in English: every heading, lead-in,
// label, table header, total, date and assumption is in the proposal's
// language.
func TestNoEnglishBoilerplate(t *testing.T) {
	for _, lang := range builtinLanguages[1:] {
		t.Run(lang, func(t *testing.T) {
			md, _ := proposalIn(t, lang)
			phrases := englishBoilerplate(t, lang)
			if len(phrases) < 60 {
				t.Fatalf("only %d English phrases to look for; the list is broken", len(phrases))
			}
			for _, p := range phrases {
				if strings.Contains(md, p) {
					t.Errorf("the %s proposal contains the English %q", lang, p)
				}
			}
			for _, month := range []string{"January", "February", "March"} {
				if strings.Contains(md, month) {
					t.Errorf("the %s proposal writes the English month %q", lang, month)
				}
			}
		})
	}
}

// TestEnglishBoilerplateIsFound is the check above on the English proposal:
// it must find the phrases there, or it could never fail.
func TestEnglishBoilerplateIsFound(t *testing.T) {
	md, _ := proposalIn(t, "en")
	phrases := englishBoilerplate(t, "es")
	found := 0
	for _, p := range phrases {
		if strings.Contains(md, p) {
			found++
		}
	}
	if found < 40 {
		t.Errorf("only %d of %d English phrases found in the English proposal", found, len(phrases))
	}
}

// TestSetLanguageRedrafts changes a finished proposal's language: headings,
// drafted text, dates and table headers follow, and the answers stay.
func TestSetLanguageRedrafts(t *testing.T) {
	set, _ := templates.Load("")
	base, _ := set.Get("consulting")
	now := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)
	s := NewSession(base, now)
	e := Open(base, s, Config{Now: func() time.Time { return now }})
	defer e.Close()
	for id, v := range map[string]string{"title": "Cash", "client": "Ejemplo S.L.", "start": "2027-03-01",
		"fees": "Diagnóstico: 18.000 €\nRediseño: 21.000 €", "situation": "Las ventas han caído."} {
		if err := e.Record(id, v, proposal.Stated); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Settle(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := e.Markdown()
	if !strings.Contains(before, "## Situation") || !strings.Contains(before, "1 March 2027") {
		t.Fatalf("English draft:\n%s", before)
	}
	if err := e.SetLanguage("es"); err != nil {
		t.Fatal(err)
	}
	after := e.Markdown()
	for _, want := range []string{"## Situación", "**Fecha de inicio.** 1 de marzo de 2027", "| Concepto | Importe |",
		"| **Total** | **39.000 €** |", "Las ventas han caído.", "**Preparado para:** Ejemplo S.L."} {
		if !strings.Contains(after, want) {
			t.Errorf("after switching to Spanish, no %q in:\n%s", want, after)
		}
	}
	if s.Language != "es" || e.Language() != "es" {
		t.Errorf("session language %q, engine %q", s.Language, e.Language())
	}
	if err := e.SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	if got := e.Markdown(); got != before {
		t.Errorf("back to English, the draft differs:\n%s", got)
	}
}

// TestAnswerLanguageDetection measures the detection the language-mismatch
// rule rests on: on every answers file, every prefix of its prose from the
// rule's threshold on is detected as its own language or not at all, never
// confidently as another.
func TestAnswerLanguageDetection(t *testing.T) {
	set, _ := templates.Load("")
	base, _ := set.Get("consulting")
	for _, lang := range builtinLanguages {
		a, err := LoadAnswers(filepath.Join("testdata", "language", lang+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		facts := proposal.Facts{}
		checked := 0
		for _, id := range a.Order {
			facts[id] = proposal.Fact{Field: id, Value: a.Values[id], Origin: proposal.Stated}
			got, ok := proposal.AnswerLanguage(base, facts)
			if ok {
				checked++
				if got != lang {
					t.Errorf("%s answers up to %s detected as %s", lang, id, got)
				}
			}
		}
		if checked < 10 {
			t.Errorf("%s: detected on only %d of %d prefixes", lang, checked, len(a.Order))
		}
	}
}

// TestLanguageMismatchFinding: Spanish answers in an English proposal raise a
// warning naming both languages, in the proposal's language; answers in the
// proposal's own language raise none.
func TestLanguageMismatchFinding(t *testing.T) {
	a, err := LoadAnswers(filepath.Join("testdata", "language", "es.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	set, _ := templates.Load("")
	base, _ := set.Get("consulting")
	facts := proposal.Facts{}
	for id, v := range a.Values {
		facts[id] = proposal.Fact{Field: id, Value: v, Origin: proposal.Stated}
	}
	find := func(t *templates.Template) []proposal.Finding {
		fs, _ := proposal.RuleReviewer{}.Review(context.Background(), proposal.ReviewRequest{Template: t, Facts: facts})
		var out []proposal.Finding
		for _, f := range fs {
			if f.Rule == proposal.RuleLanguageMismatch {
				out = append(out, f)
			}
		}
		return out
	}
	en := find(base)
	if len(en) != 1 || en[0].Severity != proposal.Warning ||
		!strings.HasPrefix(en[0].Message, "The answers look Spanish (es); the proposal is in English.") {
		t.Errorf("English proposal, Spanish answers: %+v", en)
	}
	de := find(base.In("de"))
	if len(de) != 1 || !strings.HasPrefix(de[0].Message, "Die Antworten scheinen auf Spanisch (es) zu sein; das Angebot ist auf Deutsch.") {
		t.Errorf("German proposal, Spanish answers: %+v", de)
	}
	if es := find(base.In("es")); len(es) != 0 {
		t.Errorf("Spanish proposal, Spanish answers: %+v", es)
	}
}

// TestUntranslatedFinding: a translation that lacks texts leaves them in
// English, and the review lists them, in the proposal's language.
func TestUntranslatedFinding(t *testing.T) {
	dir := t.TempDir()
	tr := "template: consulting\nlanguage: es\nsections:\n  situation:\n    title: Situación\n"
	if err := os.WriteFile(filepath.Join(dir, "consulting-es.yaml"), []byte(tr), 0o600); err != nil {
		t.Fatal(err)
	}
	set, errs := templates.Load(dir)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	base, _ := set.Get("consulting")
	fs, _ := proposal.RuleReviewer{}.Review(context.Background(), proposal.ReviewRequest{Template: base.In("es"), Facts: proposal.Facts{}})
	var msg string
	for _, f := range fs {
		if f.Rule == proposal.RuleUntranslated {
			msg = f.Message
		}
	}
	if !strings.Contains(msg, "textos no tienen versión en español y quedan en inglés: ") ||
		!strings.Contains(msg, `section "situation" text`) || strings.Contains(msg, `section "situation" heading`) {
		t.Errorf("untranslated finding: %q", msg)
	}
	fs, _ = proposal.RuleReviewer{}.Review(context.Background(), proposal.ReviewRequest{Template: base, Facts: proposal.Facts{}})
	for _, f := range fs {
		if f.Rule == proposal.RuleUntranslated {
			t.Errorf("English proposal: %s", f.Message)
		}
	}
}

// TestEveryTemplateNoEnglishBoilerplate drafts every built-in template in
// every other language with every field answered (and every choice tried)
// and checks that none of the template's English text or the program's
// English words appears.
func TestEveryTemplateNoEnglishBoilerplate(t *testing.T) {
	set, _ := templates.Load("")
	now := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)
	for _, base := range set.List() {
		for _, lang := range builtinLanguages[1:] {
			phrases := englishBoilerplateOf(t, base.ID, lang)
			tl := base.In(lang)
			choices := 1
			for _, s := range tl.Sections {
				for _, f := range s.Fields {
					choices = max(choices, len(f.Choices))
				}
			}
			for c := 0; c < choices; c++ {
				facts := proposal.Facts{}
				for _, s := range tl.Sections {
					for _, f := range s.Fields {
						v := "Qzx"
						switch f.Kind {
						case templates.KindMoneyList:
							v = "Qzx: 1000 €\nQzy: 2000 €"
						case templates.KindDate:
							v = "2027-03-01"
						case templates.KindChoice:
							v = f.Choices[c%len(f.Choices)]
						}
						facts[f.ID] = proposal.Fact{Field: f.ID, Value: v, Origin: proposal.Stated}
					}
				}
				values := proposal.FieldValues(tl, facts, now)
				var doc strings.Builder
				for i := range tl.Sections {
					s := &tl.Sections[i]
					body, err := s.RenderDraft(values)
					if err != nil {
						t.Fatal(err)
					}
					doc.WriteString(s.Title + "\n" + body + "\n")
				}
				doc.WriteString(proposal.Markdown(proposal.CoverOf(tl, facts, now), proposal.Draft{}))
				for _, p := range phrases {
					if strings.Contains(doc.String(), p) {
						t.Errorf("%s in %s (choice %d) contains the English %q", base.ID, lang, c, p)
					}
				}
			}
		}
	}
}

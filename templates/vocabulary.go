package templates

import (
	"strings"
	"unicode"
)

// Vocabulary returns the words the template writes with a small letter in
// its own text, in its language: drafting text, sentence frames, assumed
// and default answers, column names and the catalog's words (and, for a
// template in English, its questions, reasons and examples, which are
// written in English). A capitalised word that opens an answer and is one of
// these is an ordinary word, not a name ("Data migration", "Formación de
// usuarios"), and takes a small letter inside a sentence frame.
func (t *Template) Vocabulary() map[string]bool {
	out := map[string]bool{}
	add := func(text string) {
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if r := []rune(w); len(r) > 1 && unicode.IsLower(r[0]) {
				out[w] = true
			}
		}
	}
	english := t.Words().IsEnglish()
	for _, s := range t.Sections {
		add(s.Draft)
		for _, f := range s.Fields {
			add(f.Frame)
			add(f.FrameEnd)
			add(f.Assume)
			add(f.Default)
			add(strings.Join(f.Columns, " "))
			if english {
				add(f.Question)
				add(f.Why)
				add(f.Example)
			}
		}
	}
	w := t.Words()
	for _, k := range w.Keys() {
		add(w.Word(k))
		add(w.Plural(k, 2))
	}
	return out
}

package proposal

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"propose/templates"
)

// Short answers as sentences. A consultant answers "How long is the
// proposal valid?" with "30 days", and a list with one item is not a list:
// printed as typed, both read like a form. A field's sentence frame (see
// templates.Field.Frame) turns such an answer into a sentence. Answers that
// are already sentences, and assumed or default answers (the template's own
// sentences), are written as they stand.

// maxFragmentWords is the longest answer still taken for a fragment.
const maxFragmentWords = 20

// isFragment reports whether an answer is a short phrase rather than
// sentences: one line, at most maxFragmentWords words, not ending like a
// sentence. A full stop alone at the end does not make a sentence of a
// short phrase ("Up to 4 days a month.", "45 días naturales."); a second
// sentence inside does.
func isFragment(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.Contains(s, "\n") {
		return false
	}
	words := len(strings.Fields(s))
	if words > maxFragmentWords {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune(".!?…", last) {
		if last != '.' || strings.HasSuffix(s, "..") {
			return false
		}
		inner := strings.TrimSuffix(s, ".")
		return words <= maxStoppedFragmentWords && !strings.Contains(inner, ". ") && !strings.ContainsAny(inner, "!?;")
	}
	return true
}

// maxStoppedFragmentWords is the longest answer ending in a full stop still
// taken for a fragment: longer ones are sentences ("We hold these prices
// until the end of March.").
const maxStoppedFragmentWords = 6

// stripOpening takes off answer's opening words when they are one of the
// comma-separated phrases of the catalog key ("valid for" before "45 days"
// in a frame that says "valid for" already).
func stripOpening(w *templates.Catalog, key, answer string) string {
	phrases := strings.Split(w.Word(key), ",")
	slices.SortFunc(phrases, func(a, b string) int { return len(strings.TrimSpace(b)) - len(strings.TrimSpace(a)) })
	l := strings.ToLower(answer)
	for _, ph := range phrases {
		ph = strings.TrimSpace(ph)
		if ph == "" || !strings.HasPrefix(l, ph) {
			continue
		}
		rest := answer[len(ph):]
		if rest == "" || rest[0] != ' ' {
			continue
		}
		return strings.TrimSpace(rest)
	}
	return answer
}

// opensWith reports whether answer's first word (up to an apostrophe:
// "jusqu’au") is one of the comma-separated words of the catalog key.
func opensWith(w *templates.Catalog, key, answer string) bool {
	fs := strings.Fields(answer)
	if len(fs) == 0 {
		return false
	}
	first := strings.ToLower(strings.Trim(fs[0], ".,;:"))
	if i := strings.IndexAny(first, "'’"); i > 0 {
		first = first[:i]
	}
	for _, u := range strings.Split(w.Word(key), ",") {
		if strings.TrimSpace(u) == first {
			return true
		}
	}
	return false
}

// frameFits reports whether the answer can go into the frame: not when it
// repeats one of the frame's words ("Valid until March" into "This proposal
// is valid for {validity}"), which would say it twice, nor when it starts
// with a word the language lists as opening an end rather than a length
// ("until 31 March", "hasta el 31 de marzo": prose.unframed).
func frameFits(w *templates.Catalog, frame, answer string) bool {
	if isSentenceAnswer(w, frame, answer) {
		return false
	}
	first := strings.ToLower(strings.Trim(strings.Fields(answer)[0], ".,;:"))
	if i := strings.IndexAny(first, "'’"); i > 0 {
		first = first[:i] // "jusqu’au"
	}
	for _, u := range strings.Split(w.Word("prose.unframed"), ",") {
		if u = strings.TrimSpace(u); u != "" && u == first && !upToAmount(w, answer) {
			return false
		}
	}
	for _, w := range strings.Fields(strings.ToLower(frame)) {
		if strings.Trim(w, ".,;:") == first && len(first) > 3 {
			return false
		}
	}
	return true
}

// upToAmount reports whether an answer that opens with a word such as
// "hasta" or "bis" sets a limit on an amount ("hasta 4 días al mes", "bis
// zu 4 Tage im Monat"), which reads well in a frame, rather than naming an
// end ("hasta el 31 de marzo", "bis 31. März 2027"): it holds a figure, and
// no year and no month name of the language.
func upToAmount(w *templates.Catalog, answer string) bool {
	if strings.IndexFunc(answer, unicode.IsDigit) < 0 {
		return false
	}
	months := map[string]bool{}
	for m := time.January; m <= time.December; m++ {
		for _, f := range strings.FieldsFunc(FormatDateIn(w, time.Date(2027, m, 3, 0, 0, 0, 0, time.UTC)), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if r := []rune(strings.ToLower(f)); len(r) > 2 {
				months[string(r)] = true
				months[string(r[:3])] = true // "31 Mar"
			}
		}
	}
	for _, f := range strings.FieldsFunc(answer, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if months[strings.ToLower(f)] || (len(f) == 4 && isDigits(f) && (f[0] == '1' || f[0] == '2')) {
			return false
		}
	}
	return true
}

// isSentenceAnswer reports whether an answer is already a sentence or
// already negated, so that a frame would say it twice ("does not cover not
// included: ERP development", "does not cover we do not migrate data"): it
// has a subject pronoun (wording.subjects), or a negation
// (wording.negations) where the frame negates too.
func isSentenceAnswer(w *templates.Catalog, frame, answer string) bool {
	has := func(text, key string) bool {
		l := strings.ToLower(text)
		words := strings.FieldsFunc(l, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' })
		for _, k := range strings.Split(w.Word(key), ",") {
			k = strings.TrimSpace(k)
			if k == "" {
				continue
			}
			if strings.ContainsAny(k, "'’") {
				if strings.Contains(strings.ReplaceAll(l, "’", "'"), strings.ReplaceAll(k, "’", "'")) {
					return true
				}
				continue
			}
			if slices.Contains(words, k) {
				return true
			}
		}
		return false
	}
	if has(answer, "wording.subjects") {
		return true
	}
	rest := framePlaceholderRE.ReplaceAllString(frame, " ")
	return has(answer, "wording.negations") && has(rest, "wording.negations")
}

// opensSentence reports whether the frame puts the field's answer at the
// start of a sentence of its own: after the frame's full stop, not inside
// its clause.
func opensSentence(frame, id string) bool {
	before, _, ok := strings.Cut(frame, "{"+id+"}")
	before = strings.TrimSpace(before)
	return ok && before != "" && strings.ContainsAny(before[len(before)-1:], ".!?")
}

// properNoun reports whether answer opens with a name, which keeps its
// capital inside a frame. It does not when the first word is a common word
// (wording.common: "Up to 4 days"). It does when some answer writes the
// word with a capital in the middle of a sentence ("warehouses in Zaragoza
// and Madrid" makes "Madrid rollout" a name). Otherwise the word is taken
// for an ordinary one when an answer or the template's own text (vocab, see
// templates.Template.Vocabulary) writes it with a small letter, or it ends
// like an ordinary word of the language (wording.endings: "Data
// migration", "Formación de usuarios"), or it opens more than one answer or
// item; a word seen nowhere else is a name the answers give once ("Sevilla
// y sus almacenes") and keeps its capital.
func properNoun(w *templates.Catalog, vocab func() map[string]bool, facts Facts, answer string) bool {
	fs := strings.Fields(answer)
	if len(fs) == 0 || opensWith(w, "wording.common", answer) {
		return false
	}
	word := strings.Trim(fs[0], ".,;:")
	if r, _ := utf8.DecodeRuneInString(word); !unicode.IsUpper(r) {
		return false
	}
	small := strings.ToLower(word)
	seenSmall := false
	starts := 0
	for _, f := range facts {
		v := f.Value
		if !seenSmall && small != word && containsWord(v, small) {
			seenSmall = true
		}
		for _, l := range strings.Split(v, "\n") {
			if l = strings.TrimLeft(trimBullet(strings.TrimSpace(l)), " "); strings.HasPrefix(l, word) && wordEdge(l, 0, len(word)) {
				starts++
			}
		}
		for i := 0; ; {
			j := strings.Index(v[i:], word)
			if j < 0 {
				break
			}
			at := i + j
			i = at + len(word)
			if !wordEdge(v, at, at+len(word)) {
				continue
			}
			before := strings.TrimRight(v[:at], " \t")
			if before == v[:at] {
				continue
			}
			r, _ := utf8.DecodeLastRuneInString(before)
			if unicode.IsLower(r) || r == ',' {
				return true
			}
		}
	}
	// A word that opens two answers or items and is never written in the
	// middle of a sentence is capitalised for where it stands ("Gross
	// margin above 34%" as an objective and as a measure), not a name.
	if seenSmall || starts > 1 || vocab()[small] {
		return false
	}
	// An acronym or a word with capitals inside ("SAP", "McKinsey") is
	// left as written by lowerFirst in any case.
	for _, e := range strings.Split(w.Word("wording.endings"), ",") {
		if e = strings.TrimSpace(e); e != "" && strings.HasSuffix(small, e) && len(small) > len(e)+1 {
			return false
		}
	}
	return true
}

// writtenSmall reports whether the first word of answer, capitalised, is
// written with a small letter in some answer or in the template's own text.
func writtenSmall(vocab func() map[string]bool, facts Facts, answer string) bool {
	fs := strings.Fields(answer)
	if len(fs) == 0 {
		return false
	}
	word := strings.Trim(fs[0], ".,;:")
	small := strings.ToLower(word)
	if small == word || small == "" {
		return false
	}
	if vocab()[small] {
		return true
	}
	for _, f := range facts {
		if containsWord(f.Value, small) {
			return true
		}
	}
	return false
}

// lowerFirstRune starts s with a small letter unless its first word is an
// acronym ("ERP", "SAP") or has capitals inside ("McKinsey").
func lowerFirstRune(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) {
		return s
	}
	word, _, _ := strings.Cut(s, " ")
	if strings.IndexFunc(word[n:], unicode.IsUpper) >= 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// containsWord reports whether s holds word as a whole word.
func containsWord(s, word string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		at := i + j
		if wordEdge(s, at, at+len(word)) {
			return true
		}
		i = at + len(word)
	}
}

// framePlaceholderRE finds the {id} places in a frame.
var framePlaceholderRE = regexp.MustCompile(`\{[^{}]*\}`)

// asSentence starts an answer with a capital and ends it with a full stop.
func asSentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = upperFirst(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if !strings.ContainsRune(".!?…:;", last) {
		s += "."
	}
	return s
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}

// frameValues puts the short answers of t's fields into their sentence
// frames, in place: values are the rendered field values (FieldValues).
func frameValues(t *templates.Template, facts Facts, values map[string]string) {
	w := t.Words()
	lower := w.Word("prose.lower_fragment") != "no"
	var vocabulary map[string]bool
	vocab := func() map[string]bool {
		if vocabulary == nil {
			vocabulary = t.Vocabulary()
		}
		return vocabulary
	}
	// opening returns an answer ready for its frame, and whether the frame
	// may still start it with a small letter. A common word that opens it
	// ("Up to", "Bis zu", "Zwei Tage") is written small mid-sentence in
	// every language; where nouns keep their capital (German) nothing else
	// is, but a word the answers or the template write small ("Montags").
	opening := func(a string, f *templates.Field) (string, bool) {
		// Where nouns keep their capital, a sentence after a colon starts
		// with one too ("Annahme: Die Unterlagen liegen vor"): an answer
		// that opens like one (wording.sentence_openers) stays as typed.
		if !lower && strings.Contains(f.Frame, ": {"+f.ID+"}") && opensWith(w, "wording.sentence_openers", a) {
			return a, false
		}
		if opensWith(w, "wording.common", a) || (!lower && writtenSmall(vocab, facts, a)) {
			return lowerFirstRune(a), false
		}
		return a, lower && !properNoun(w, vocab, facts, a)
	}
	framed := map[string]string{}
	for si := range t.Sections {
		for fi := range t.Sections[si].Fields {
			f := &t.Sections[si].Fields[fi]
			fact, ok := facts[f.ID]
			if !ok || fact.Origin == Assumed || fact.Origin == Default || strings.TrimSpace(fact.Value) == "" {
				continue
			}
			v := values[f.ID]
			if f.FrameEnd != "" {
				v = stripOpening(w, "wording.valid_for", strings.TrimSpace(v))
			}
			switch {
			case f.Kind == templates.KindText && f.FrameEnd != "" && isFragment(v) && opensWith(w, "wording.until", v):
				if out, ok := f.FillFrameEnd(v, values, true); ok {
					framed[f.ID] = out
				}
			case f.Kind == templates.KindText && f.Frame != "" && isFragment(v):
				// A name keeps its capital: "Madrid rollout".
				a, low := opening(v, f)
				if out, ok := f.FillFrame(a, values, low); ok {
					if frameFits(w, f.Frame, v) {
						framed[f.ID] = out
					} else {
						framed[f.ID] = asSentence(v)
					}
				}
			case f.Kind == templates.KindList && len(f.Columns) == 0 && !strings.Contains(v, "\n") && strings.HasPrefix(v, "- "):
				// Without a frame the item stays a bullet under its lead-in,
				// which says what the item is (a risk, an exclusion).
				item := strings.TrimPrefix(v, "- ")
				a, low := opening(item, f)
				if opensSentence(f.Frame, f.ID) {
					// The frame says what the item is in a sentence of its
					// own ("One risk could affect the outcomes, and we have
					// planned for it."); the item follows as it was written.
					a, low = item, false
				}
				if out, ok := f.FillFrame(a, values, low); ok {
					if isSentenceAnswer(w, f.Frame, item) && !opensSentence(f.Frame, f.ID) {
						framed[f.ID] = asSentence(item)
					} else {
						framed[f.ID] = out
					}
				}
			}
		}
	}
	for id, v := range framed {
		values[id] = v
	}
}

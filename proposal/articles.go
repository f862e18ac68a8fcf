package proposal

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"propose/templates"
)

// clientArticles gives the client's name its article in a language that
// writes company names with one (Portuguese: "para que a Exemplo Logística
// alcance", "a situação da Exemplo Logística", "do Grupo Nabeiro"), as the
// catalog's client.* keys say; names is the legal and the short name. A
// name that already follows an article or a determiner ("A Exemplo
// Logística processa", "a sua") is left, and so are table rows and
// signature lines. In a language whose catalog gives no article, p is
// returned as it is.
func clientArticles(w *templates.Catalog, p string, names ...string) string {
	article := strings.TrimSpace(w.Word("client.article"))
	if article == "" || article == "client.article" {
		return p
	}
	lines := strings.Split(p, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "|") || strings.Contains(t, "___") {
			continue
		}
		for _, name := range names {
			if name != "" {
				l = articleBefore(w, l, name, article)
			}
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// articleBefore writes the article before each mention of name in l that
// lacks one, joined to the preposition before it where the language joins
// them.
func articleBefore(w *templates.Catalog, l, name, article string) string {
	first, _, _ := strings.Cut(name, " ")
	if list(w, "client.masculine")[strings.ToLower(first)] {
		article = strings.TrimSpace(w.Word("client.article_masculine"))
	}
	determiners := list(w, "client.determiners")
	joined := map[string]string{}
	for _, c := range strings.Split(w.Word("client.contractions"), ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(c), "="); ok {
			joined[strings.ToLower(strings.Join(strings.Fields(k), " "))] = strings.TrimSpace(v)
		}
	}
	var b strings.Builder
	for {
		i := strings.Index(l, name)
		if i < 0 {
			b.WriteString(l)
			return b.String()
		}
		if !wordEdge(l, i, i+len(name)) {
			b.WriteString(l[:i+len(name)])
			l = l[i+len(name):]
			continue
		}
		before := l[:i]
		trimmed := strings.TrimRight(before, " ")
		start := strings.LastIndexFunc(trimmed, func(r rune) bool { return !unicode.IsLetter(r) }) + 1
		prev := trimmed[start:]
		prevLow := strings.ToLower(prev)
		// Two words that join with the article ("Namen von die=Namen der").
		head := strings.TrimRight(trimmed[:start], " ")
		start2 := strings.LastIndexFunc(head, func(r rune) bool { return !unicode.IsLetter(r) }) + 1
		prev2 := head[start2:]
		two := strings.ToLower(prev2) + " " + prevLow + " " + article
		switch {
		case trimmed != before && prev != "" && determiners[prevLow]:
			b.WriteString(before)
		case trimmed != before && prev2 != "" && joined[two] != "":
			b.WriteString(head[:start2] + sameCase(prev2, joined[two]) + " ")
		case trimmed != before && prev != "" && joined[prevLow+" "+article] != "":
			b.WriteString(trimmed[:start] + sameCase(prev, joined[prevLow+" "+article]) + " ")
		case sentenceStart(trimmed):
			b.WriteString(before + upperFirst(article) + " ")
		default:
			b.WriteString(before + article + " ")
		}
		b.WriteString(name)
		l = l[i+len(name):]
	}
}

// articleNames returns the names of the client that take an article: both,
// or where the language gives one to a legal name only (client.legal_only:
// German "die Beispiel GmbH" but "Beispiel"), the legal name when it ends
// in a legal form.
func articleNames(w *templates.Catalog, legal, short string) []string {
	if w.Word("client.legal_only") != "yes" {
		return []string{legal, short}
	}
	words := strings.Fields(legal)
	if len(words) < 2 {
		return nil
	}
	last := strings.ReplaceAll(strings.ToLower(strings.Trim(words[len(words)-1], ",;")), ".", "")
	if last == "" || !slices.Contains(legalForms, last) || last == "&" || last == "and" || last == "und" {
		return nil
	}
	return []string{legal}
}

// sentenceStart reports whether text before a word ends a sentence (or is
// empty, or a bold label such as "**Acceptance.**").
func sentenceStart(before string) bool {
	before = strings.TrimSuffix(strings.TrimSpace(before), "**")
	if before == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune(".!?:", r) && !strings.HasSuffix(before, ":")
}

// sameCase writes word with a capital when like starts with one.
func sameCase(like, word string) string {
	if r, _ := utf8.DecodeRuneInString(like); unicode.IsUpper(r) {
		return upperFirst(word)
	}
	return word
}

// list reads a comma-separated catalog key as a set of lower-case words.
func list(w *templates.Catalog, key string) map[string]bool {
	out := map[string]bool{}
	for _, s := range strings.Split(w.Word(key), ",") {
		if s = strings.TrimSpace(strings.ToLower(s)); s != "" {
			out[s] = true
		}
	}
	return out
}

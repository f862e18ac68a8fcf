package proposal

import (
	"fmt"
	"regexp"
	"strings"
)

// placeholderRE finds text left to fill in: the usual words (TBD, TODO,
// XXX, lorem ipsum), question marks, and the shapes a template or a
// colleague leaves behind: [client name], <date>, {{amount}}, "insert the
// client's name". Bracketed candidates are checked further by
// placeholderShape.
// TODO counts only in capitals: "todo" is Spanish and Portuguese for "all".
var placeholderRE = regexp.MustCompile(`(?i:\b(?:TBD|TBC|XXX+|FIXME|lorem ipsum)\b)|\bTODO\b|\?\?` +
	`|\[[^\[\]\n]{1,60}\]|<[^<>\n]{1,60}>|\{\{[^{}\n]{0,60}\}\}` +
	`|(?i:\binsert\s{1,3}(?:(?:the|your|client'?s?|company|their|our)\s{1,3}){0,2}(?:name|date|amount|figure|number|title|here|logo|details|text|role|price|fee)\b)`)

// htmlTags are tags a pasted answer may hold that are not placeholders.
var htmlTags = map[string]bool{"br": true, "b": true, "i": true, "u": true, "p": true, "em": true, "strong": true,
	"sub": true, "sup": true, "small": true, "hr": true, "span": true, "div": true, "ul": true, "ol": true, "li": true}

// placeholderShape tells a bracketed placeholder ("[client name]", "<date>")
// from brackets a proposal may hold: a footnote "[1]", a Markdown link
// "[text](url)", a bound "<40 days and >30", an address "<tom@x.com>", a tag.
func placeholderShape(s string, loc []int) bool {
	m := s[loc[0]:loc[1]]
	inner := m[1 : len(m)-1]
	switch m[0] {
	case '[':
		if loc[1] < len(s) && s[loc[1]] == '(' {
			return false
		}
		return strings.ContainsFunc(inner, isLetter) || strings.Contains(inner, "…") || strings.Contains(inner, "...")
	case '<':
		if inner == "" || !isLetter(rune(inner[0])) && inner[0] < 0x80 {
			return false
		}
		if strings.ContainsAny(inner, "@=") || strings.Contains(inner, "://") {
			return false
		}
		return !htmlTags[strings.ToLower(strings.TrimPrefix(strings.TrimSpace(inner), "/"))]
	}
	return true
}

func isLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80 && r != '…'
}

// placeholderWindow is how far past its start a placeholder can reach: a
// bracketed one holds up to 60 runes of up to 4 bytes.
const placeholderWindow = 256

// Placeholder returns the first placeholder in s ("TBD", "[client name]",
// "<date>", "insert name"...), or "".
//
// The regexp is slow on long text, and a pasted brief of megabytes is
// reviewed after every answer (seconds each time under the race detector).
// So one pass over the bytes finds where a match could start, and an
// anchored regexp only looks at a short window there.
func Placeholder(s string) string {
	for p := 0; p < len(s); p++ {
		if !placeholderMayStart(s[p:]) {
			continue
		}
		// The window holds the longest match (or a run of x of any
		// length) and the rune after it (for \b, and the "(" of a link).
		q := p
		for q < len(s) && s[q]|0x20 == 'x' {
			q++
		}
		end := min(max(p+placeholderWindow, q+4), len(s))
		if m := placeholderAt(s[:end], p); m != "" {
			return m
		}
	}
	return ""
}

// placeholderAtRE is placeholderRE anchored: it matches only at the start
// of the text it is given, so trying it costs the length of the match.
var placeholderAtRE = regexp.MustCompile(`^(?:` + placeholderRE.String() + `)`)

// placeholderAt returns the placeholder that starts at p in s, or "".
func placeholderAt(s string, p int) string {
	loc := placeholderAtRE.FindStringIndex(s[p:])
	if loc == nil {
		return ""
	}
	// The regexp's leading \b cannot see the byte before p: check it here.
	if p > 0 && asciiWord(s[p]) && asciiWord(s[p-1]) {
		return ""
	}
	if !placeholderShape(s[p:], loc) {
		return ""
	}
	return s[p : p+loc[1]]
}

// asciiWord reports whether b is a word byte to \b: an ASCII letter, digit
// or underscore.
func asciiWord(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
}

// placeholderNeedles are the placeholders' beginnings in lower case.
var placeholderNeedles = []string{"tbd", "tbc", "todo", "xxx", "fixme", "lorem ipsum", "[", "??", "<", "{{", "insert"}

// needlesByFirst holds the needles by their first byte, in both cases.
var needlesByFirst = func() (t [256][]string) {
	for _, n := range placeholderNeedles {
		t[n[0]] = append(t[n[0]], n)
		if c := n[0]; c >= 'a' && c <= 'z' {
			t[c-'a'+'A'] = append(t[c-'a'+'A'], n)
		}
	}
	return t
}()

// placeholderMayStart reports whether a placeholder could start s: s starts
// with a needle, ignoring ASCII case, or with a needle's first character
// followed by a byte outside ASCII (a case fold such as ſ for s, which the
// regexp then judges). The first characters have no folds outside ASCII.
func placeholderMayStart(s string) bool {
	for _, n := range needlesByFirst[s[0]] {
		i := 1
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

// placeholders flags placeholder text in any answer, and in drafted text
// that did not come from an answer (a model's or a template's).
func (r *ruleRun) placeholders() {
	flagged := map[string]bool{}
	for _, s := range r.t.Sections {
		if s.Internal {
			continue // notes never printed may say "TBD"
		}
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
			Message: fmt.Sprintf("The %s section contains the placeholder %q: replace it with the real text.", ts.Title, p), Source: "rules"})
	}
}

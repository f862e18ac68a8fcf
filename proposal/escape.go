package proposal

import (
	"regexp"
	"strings"
)

// EscapeMarkdown makes text a user typed (or a template gave) show as typed
// in any Markdown renderer: characters that would start emphasis, code,
// links, strikethrough or a table cell break are escaped with a backslash,
// "<" and ">" are written as "&lt;" and "&gt;" (so no tag is left), and a line that would start a heading, a list, a quote or a
// rule has its first mark escaped. Line breaks are kept; leading spaces are
// dropped so that no line becomes a code block. Money, dates, hyphens inside
// words and "$" are left alone, so what the reviewer reads is unchanged.
func EscapeMarkdown(s string) string {
	if !strings.ContainsAny(s, "\\`*_[]<>|~&#+-=.)!:") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = escapeLine(strings.TrimLeft(l, " \t"))
	}
	return strings.Join(lines, "\n")
}

// listItemRE matches a line a user typed as a list item: "- ", "* ", "+ ",
// "1. " or "1) " and then text.
var listItemRE = regexp.MustCompile(`^([-+*]|[0-9]{1,9}[.)])[ \t]+\S`)

// escapeProse is EscapeMarkdown for a prose answer, which may hold a list
// the user typed ("- first\n- second"): such lines stay list items, in the
// Markdown as in the PDF; everything else is escaped.
func escapeProse(s string) string {
	if !strings.ContainsAny(s, "\\`*_[]<>|~&#+-=.)!:") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = strings.TrimLeft(l, " \t")
		if m := listItemRE.FindString(l); m != "" {
			marker := strings.TrimRight(m[:len(m)-1], " \t")
			lines[i] = marker + " " + escapeChars(strings.TrimLeft(l[len(marker):], " \t"))
			continue
		}
		lines[i] = escapeLine(l)
	}
	return strings.Join(lines, "\n")
}

// escapeInline is EscapeMarkdown for one line that follows other text on
// its line (a label, "# "), where no block can start: only the inline
// marks are escaped.
func escapeInline(s string) string {
	return escapeChars(s)
}

// entityRE matches what a Markdown renderer would read as an HTML entity.
var entityRE = regexp.MustCompile(`^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// blockStartRE matches a line start a renderer reads as a block: "1." or
// "1)" (an ordered list), "-", "+" or "=" runs (a list, a rule, a setext
// underline), ">" (a quote), "#" (a heading).
var blockStartRE = regexp.MustCompile(`^([0-9]{1,9})([.)])(\s|$)`)

func escapeLine(l string) string {
	var b strings.Builder
	b.Grow(len(l) + 8)
	if m := blockStartRE.FindStringSubmatch(l); m != nil {
		b.WriteString(m[1] + `\` + m[2])
		l = l[len(m[1])+1:]
	} else if l != "" && strings.ContainsRune("-+=#", rune(l[0])) {
		b.WriteString(`\` + l[:1])
		l = l[1:]
	}
	b.WriteString(escapeChars(l))
	return b.String()
}

func escapeChars(l string) string {
	if !strings.ContainsAny(l, "\\`*_[]<>|~&") {
		return l
	}
	var b strings.Builder
	b.Grow(len(l) + 8)
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch c {
		case '<': // as a reference, not "\<": no "<...>" is left for a
			// renderer, or a reader of the source, to take for a tag
			b.WriteString("&lt;")
			continue
		case '>':
			b.WriteString("&gt;")
			continue
		case '\\', '`', '*', '_', '[', ']', '|', '~':
			b.WriteByte('\\')
		case '&':
			if entityRE.MatchString(l[i:]) {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

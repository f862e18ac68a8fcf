package templates

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// dropLeadIns takes out the lead-ins that no longer lead into anything.
// Drafting text introduces a list with a sentence ending in a colon ("We
// will judge the work by these measures:"); when the list has one item, the
// drafter writes that item as a sentence (its field's frame), and a colon
// before a sentence reads like a form, so the lead-in goes. And a section
// whose body is one lead-in and one paragraph of the answer is written as
// that paragraph alone. data holds the section's rendered answers, which
// tell the template's own sentences from the user's.
func dropLeadIns(s *Section, text string, data map[string]string) string {
	paras := strings.Split(text, "\n\n")
	answer := func(p string) bool {
		p = strings.TrimSpace(p)
		if p == "" {
			return false
		}
		for _, f := range s.Fields {
			if v := strings.TrimSpace(data[f.ID]); v != "" && strings.Contains(v, p) {
				return true
			}
		}
		return false
	}
	isAnswer := make([]bool, len(paras))
	for i, p := range paras {
		isAnswer[i] = answer(p)
	}
	var out []string
	var outAnswer []bool
	for i, p := range paras {
		t := strings.TrimSpace(p)
		// A lead-in the next paragraph opens with (a frame that says the
		// same words before its one item) goes too, or it would be read
		// twice.
		repeated := i+1 < len(paras) && strings.HasPrefix(strings.TrimSpace(paras[i+1]), t)
		if (!isAnswer[i] || repeated) && strings.HasSuffix(t, ":") && !strings.Contains(t, "___") &&
			(i+1 == len(paras) || !isBlock(paras[i+1])) {
			continue
		}
		out = append(out, p)
		outAnswer = append(outAnswer, isAnswer[i])
	}
	if len(out) == 2 && !outAnswer[0] && outAnswer[1] && !isBlock(out[1]) &&
		!strings.HasPrefix(strings.TrimSpace(out[0]), "**") && !strings.Contains(out[0], "___") {
		out = out[1:]
	}
	for i, p := range out {
		out[i] = labelledSentence(p)
	}
	return strings.Join(out, "\n\n")
}

// labelledSentence ends a bold-led line ("**Initial term.** 12 months",
// "**Expenses.** At cost, capped at $400", "Al coste, con un máximo de
// 400 €") with a full stop when the answer
// after the label has none, and starts it with a capital, so that a short
// answer reads as a sentence after its label; a bare figure is left as it
// is.
func labelledSentence(p string) string {
	if !strings.HasPrefix(p, "**") || strings.Contains(p, "\n") {
		return p
	}
	end := strings.Index(p[2:], "**")
	if end < 0 || strings.TrimSpace(p[end+4:]) == "" {
		return p
	}
	label, rest := p[:end+4], p[end+4:]
	body := strings.TrimSpace(rest)
	// A bare figure ("**Participants.** 12", "**Start.** 09:30") is a
	// value, not a phrase: it takes no full stop and stays as it is.
	if strings.IndexFunc(body, unicode.IsLetter) < 0 || isDateValue(body) {
		return p
	}
	// "**Initial term.** until 31 December 2027" reads as a sentence:
	// a capital after the label and a full stop at the end.
	if r, n := utf8.DecodeRuneInString(body); unicode.IsLower(r) {
		rest = rest[:len(rest)-len(body)] + strings.ToUpper(string(r)) + body[n:]
	}
	last, _ := utf8.DecodeLastRuneInString(p)
	if unicode.IsLetter(last) || unicode.IsDigit(last) || last == '%' || unicode.Is(unicode.Sc, last) {
		return label + rest + "."
	}
	return label + rest
}

// isBlock reports whether a paragraph is a list or a table.
func isBlock(p string) bool {
	p = strings.TrimSpace(p)
	if strings.HasPrefix(p, "- ") || strings.HasPrefix(p, "* ") || strings.HasPrefix(p, "|") {
		return true
	}
	i := 0
	for i < len(p) && p[i] >= '0' && p[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(p) && (p[i] == '.' || p[i] == ')') && p[i+1] == ' '
}

// isDateValue reports whether a labelled answer is a date alone ("1
// February 2027", "1. Februar 2027", "1 de febrero de 2027"): it opens with
// the day and ends with the year, with no comma. Like a figure it is a
// value and takes no full stop.
func isDateValue(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' || strings.Contains(s, ",") {
		return false
	}
	f := strings.Fields(s)
	y := f[len(f)-1]
	if len(f) < 2 || len(f) > 5 || len(y) != 4 {
		return false
	}
	for _, r := range y {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

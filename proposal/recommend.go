package proposal

import (
	"regexp"
	"strings"
	"sync"

	"propose/templates"
)

// The recommended option. A consultant marks it by writing "(recommended)"
// after the option's name, in any of the built-in languages ("Transform
// (recomendada): ...: 46.000 €"). The options table then names it so in the
// proposal's language, and the drafting text gets its name as
// .recommended_option; with no option marked the text speaks of the options
// neutrally.

// parenRE finds a word or two in parentheses.
var parenRE = regexp.MustCompile(`\s*\(\s*([^()]{3,40}?)\s*\)`)

var recommendStems = sync.OnceValue(func() []string {
	var out []string
	for _, c := range templates.BuiltinLanguages().List() {
		w := []rune(strings.ToLower(c.Word("option.recommended")))
		if len(w) > 7 {
			w = w[:7]
		}
		if len(w) >= 5 {
			out = append(out, string(w))
		}
	}
	return out
})

// recommendedMark takes the recommended mark out of an option's line and
// reports whether it was there.
func recommendedMark(line string) (string, bool) {
	for _, m := range parenRE.FindAllStringSubmatchIndex(line, -1) {
		word := strings.ToLower(line[m[2]:m[3]])
		for _, stem := range recommendStems() {
			if strings.HasPrefix(word, stem) {
				return strings.TrimSpace(line[:m[0]] + line[m[1]:]), true
			}
		}
	}
	return line, false
}

// RecommendedOption returns the name of the option the answer marks as
// recommended (the first cell of its line), or "".
func RecommendedOption(f *templates.Field, value string) string {
	if !f.HasRole(templates.RoleOptions) {
		return ""
	}
	for _, it := range Items(value) {
		if line, ok := recommendedMark(it); ok {
			return optionName(f, line)
		}
	}
	return ""
}

// recommendedValue is the recommended option's name for drafting data,
// escaped, from the first options field that marks one.
func recommendedValue(t *templates.Template, facts Facts) string {
	for _, f := range t.FieldsWithRole(templates.RoleOptions) {
		if fact, ok := facts[f.ID]; ok && fact.Origin != Assumed {
			if name := RecommendedOption(f, fact.Value); name != "" {
				return EscapeMarkdown(name)
			}
		}
	}
	return ""
}

// FeesOption returns the name of the option whose price the fee total
// equals, or "" when no option, or more than one, does. With options at
// different prices, it tells which one the fees and the payments computed
// from them belong to.
func FeesOption(t *templates.Template, facts Facts) string {
	total, ok := feeTotalPer(t, facts) // a retainer's monthly fee names its level too
	if !ok {
		return ""
	}
	name := ""
	for _, f := range t.FieldsWithRole(templates.RoleOptions) {
		fact, ok := facts[f.ID]
		if !ok || fact.Origin == Assumed {
			continue
		}
		for _, it := range Items(fact.Value) {
			line, _ := recommendedMark(it)
			l := ParseFeeLine(line)
			if !l.HasAmount || l.Unparsed || l.Currency != total.Currency || normPeriod(l.Period) != normPeriod(total.Period) || l.Amount != total.Amount {
				continue
			}
			if name != "" {
				return "" // two options at the fees' price: which one is not for code to say
			}
			name = optionName(f, line)
		}
	}
	return name
}

// optionName is the first cell of an option's line: its name.
func optionName(f *templates.Field, line string) string {
	if len(f.Columns) > 0 {
		return SplitCells(f, line)[0]
	}
	name, _, _ := strings.Cut(line, ":")
	return strings.TrimSpace(name)
}

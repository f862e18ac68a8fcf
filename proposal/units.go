package proposal

import (
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"propose/templates"
)

// Fee units. A fee written with a unit after its amount ("€1,200 per
// meeting", "€900 / day", "1.400 € al giorno") is a rate or a recurring fee:
// it keeps its unit wherever it prints, and it is added only to lines with
// the same recurring unit ("a month" with "/ month"). The words come from
// the "units" block of every built-in catalog, so a unit typed in any of
// them is read whatever the proposal's language; "/" before any word is a
// unit everywhere.

// unitVocabulary is the union of the catalogs' unit words.
type unitVocabulary struct {
	re        *regexp.Regexp    // a unit right after an amount
	canonical map[string]string // recurring unit word -> "week", "month", "quarter" or "year"
}

var recurringKinds = []string{"week", "month", "quarter", "year"}

var units = sync.OnceValue(func() unitVocabulary {
	v := unitVocabulary{canonical: map[string]string{}}
	var conns, words []string
	seen := map[*[]string]map[string]bool{&conns: {}, &words: {}}
	add := func(list *[]string, w string) {
		w = strings.ToLower(strings.TrimSpace(w))
		if w != "" && !seen[list][w] {
			seen[list][w] = true
			*list = append(*list, w)
		}
	}
	for _, c := range templates.BuiltinLanguages().List() {
		for _, w := range strings.Split(c.Word("units.per"), ",") {
			add(&conns, w)
		}
		for _, kind := range recurringKinds {
			for _, w := range strings.Split(c.Word("units."+kind), ",") {
				w = strings.ToLower(strings.TrimSpace(w))
				if w == "" {
					continue
				}
				if _, ok := v.canonical[w]; !ok {
					v.canonical[w] = kind
				}
				add(&words, w)
			}
		}
		for _, w := range strings.Split(c.Word("units.rate"), ",") {
			add(&words, w)
		}
	}
	// Longest first, so "mese" is tried before "mes" and "a la" before "a".
	byLength := func(s []string) {
		sort.Slice(s, func(i, j int) bool {
			if len(s[i]) != len(s[j]) {
				return len(s[i]) > len(s[j])
			}
			return s[i] < s[j]
		})
	}
	byLength(conns)
	byLength(words)
	var spaced, joined []string // "per" takes a space before its unit; "all'" may not
	for _, c := range conns {
		r, _ := utf8.DecodeLastRuneInString(c)
		if unicode.IsLetter(r) {
			spaced = append(spaced, regexp.QuoteMeta(c))
		} else {
			joined = append(joined, regexp.QuoteMeta(c))
		}
	}
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = regexp.QuoteMeta(w)
	}
	pattern := `(?i)^\s*(?:/\s*(\pL+)`
	conn := []string{}
	if len(spaced) > 0 {
		conn = append(conn, `(?:`+strings.Join(spaced, "|")+`)\s+`)
	}
	if len(joined) > 0 {
		conn = append(conn, `(?:`+strings.Join(joined, "|")+`)\s*`)
	}
	if len(conn) > 0 && len(words) > 0 {
		pattern += `|(?:` + strings.Join(conn, "|") + `)(` + strings.Join(quoted, "|") + `)`
	}
	pattern += `)`
	v.re = regexp.MustCompile(pattern)
	return v
})

// unitAfter returns the unit written at the start of rest ("per meeting"
// in " per meeting, invoiced monthly"), trimmed, and its length in rest; ""
// and 0 when rest starts with no unit.
func unitAfter(rest string) (string, int) {
	loc := units().re.FindStringSubmatchIndex(rest)
	if loc == nil {
		return "", 0
	}
	// The unit is a whole word: "mes" is not the start of "meses".
	if r, _ := utf8.DecodeRuneInString(rest[loc[1]:]); unicode.IsLetter(r) {
		return "", 0
	}
	return strings.TrimSpace(rest[:loc[1]]), loc[1]
}

// normPeriod reduces a unit as written to the unit it names: "month" for
// "a month", "/ Monat" and "al mes"; the unit word itself, lower case, for a
// rate ("meeting" for "per meeting"); "" for a one-off.
func normPeriod(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	if p == "" {
		return ""
	}
	word := p
	if i := strings.LastIndexFunc(p, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		_, n := utf8.DecodeRuneInString(p[i:])
		word = p[i+n:]
	}
	if k, ok := units().canonical[word]; ok {
		return k
	}
	return word
}

// isRate reports whether a unit as written charges by something other than
// the passing of time ("per day", "/ participant"): such fees are never
// added up, to one another or to anything else.
func isRate(p string) bool {
	n := normPeriod(p)
	if n == "" {
		return false
	}
	for _, k := range recurringKinds {
		if n == k {
			return false
		}
	}
	return true
}

func isMonth(p string) bool { return p == "month" }
func isYear(p string) bool  { return p == "year" }

// termRE finds a count and the word after it: "18 months", "2 Jahre".
var termRE = regexp.MustCompile(`(\d{1,3})\s*(\pL+)`)

// termWords maps each catalog's words for a term's length to the months
// one of them counts: 1 for "months", "Monate"; 12 for "years", "años".
var termWords = sync.OnceValue(func() map[string]int {
	out := map[string]int{}
	for _, c := range templates.BuiltinLanguages().List() {
		for key, months := range map[string]int{"units.months": 1, "units.years": 12} {
			for _, w := range strings.Split(c.Word(key), ",") {
				if w = strings.ToLower(strings.TrimSpace(w)); w != "" {
					out[w] = months
				}
			}
		}
	}
	return out
})

// TermMonths reads the length of an initial term in months from the answer
// of the template's term field ("18 months, then month to month": 18; "2
// years": 24); 0 when there is none, it is assumed, or its length is not
// written as a number of months or years.
func TermMonths(t *templates.Template, facts Facts) int {
	for _, f := range t.FieldsWithRole(templates.RoleTerm) {
		fact, ok := facts[f.ID]
		if !ok || fact.Origin != Stated {
			continue
		}
		for _, m := range termRE.FindAllStringSubmatch(fact.Value, -1) {
			if per, ok := termWords()[strings.ToLower(m[2])]; ok {
				n := 0
				for _, d := range m[1] {
					n = n*10 + int(d-'0')
				}
				return n * per
			}
		}
	}
	return 0
}

package proposal

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"propose/templates"
)

// The number guard: every amount, percentage and date written in a section's
// prose must be one the facts hold or the code derived from them (a total,
// the proposal's date). A drafter, model or template, may word things as it
// likes; it may not bring a figure of its own. Numbers written out in words
// ("fifty thousand") are not recognised, and bare numbers without a currency,
// a percent sign or a month ("12 weeks", "3 workshops") are not checked:
// they are counts, not figures a client pays or signs against.

// FigureKind says what a figure in prose is.
type FigureKind string

// The kinds of figure the guard checks.
const (
	FigureAmount  FigureKind = "amount"
	FigurePercent FigureKind = "percentage"
	FigureDate    FigureKind = "date"
	// FigureClaim is a multiple or a payback ("eight times the
	// investment", "pays for itself in four months"): known when an answer
	// states it or the fees and the value answer support it.
	FigureClaim FigureKind = "claim"
)

// Figure is one amount, percentage or date found in text.
type Figure struct {
	Kind FigureKind
	// Text is the figure as written.
	Text  string
	key   string
	claim *valueClaim
}

// KnownFigures is every figure the facts hold or the code derived: what
// prose may state.
type KnownFigures struct {
	keys  map[string]bool
	basis claimBasis // what a multiple or payback is checked against
}

var (
	monthNames   = `(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?`
	dateFigureRE = regexp.MustCompile(`(?i)\b(?:` +
		`\d{1,2}(?:st|nd|rd|th)?\s+` + monthNames + `,?\s+\d{4}` + // 12 March 2027
		`|` + monthNames + `\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}` + // March 12, 2027
		`|\d{4}-\d{2}-\d{2}` + // 2027-03-12
		`|\d{1,2}\.\d{1,2}\.\d{4}` + // 12.03.2027
		`|` + monthNames + `\s+\d{4}` + // March 2027
		`)\b`)
	percentFigureRE = regexp.MustCompile(`(?i)(\d+(?:[.,]\d+)?)\s?(?:%|percent\b|per cent\b)`)
	// Any run of digits with grouping, for the known side (lenient: a number
	// anywhere in the facts may be stated as an amount).
	anyNumberRE = regexp.MustCompile(`\d{1,3}(?:[ \x{00a0}\x{202f}.,']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?`)
)

// guardScanBytes is how much of one text the guard reads: all of any
// model's section (capped far below it), the first 128 KB of a pasted
// answer. A figure past it in an answer is not known, so prose quoting it
// falls back to the standard wording: the safe side.
const guardScanBytes = 128 << 10

// figureCache keeps the figures of texts read recently: the review runs
// after every redraft over the same facts and sections.
var figureCache = struct {
	sync.Mutex
	m map[string][]Figure
}{m: map[string][]Figure{}}

// Figures finds the amounts (a number with a currency mark, or a "k"),
// percentages and dates in text, in the order they appear. Only the first
// 128 KB of text is read.
func Figures(text string) []Figure {
	if len(text) > guardScanBytes {
		cut := guardScanBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	if len(text) < 256 {
		return figures(text)
	}
	figureCache.Lock()
	fs, ok := figureCache.m[text]
	figureCache.Unlock()
	if ok {
		return fs
	}
	fs = figures(text)
	figureCache.Lock()
	if len(figureCache.m) >= 256 {
		clear(figureCache.m)
	}
	figureCache.m[text] = fs
	figureCache.Unlock()
	return fs
}

func figures(text string) []Figure {
	var out []Figure
	taken := make([]bool, len(text))
	mark := func(a, b int) {
		for i := a; i < b; i++ {
			taken[i] = true
		}
	}
	free := func(a, b int) bool {
		for i := a; i < b; i++ {
			if taken[i] {
				return false
			}
		}
		return true
	}
	for _, m := range dateFigureRE.FindAllStringIndex(text, -1) {
		s := text[m[0]:m[1]]
		if k := dateKey(s); k != "" {
			out = append(out, Figure{Kind: FigureDate, Text: s, key: k})
			mark(m[0], m[1])
		}
	}
	for _, m := range percentFigureRE.FindAllStringSubmatchIndex(text, -1) {
		if !free(m[0], m[1]) {
			continue
		}
		out = append(out, Figure{Kind: FigurePercent, Text: text[m[0]:m[1]], key: "%" + numberKey(text[m[2]:m[3]])})
		mark(m[0], m[1])
	}
	for _, c := range findClaims(text) {
		if !free(c.start, c.end) {
			continue
		}
		c := c
		out = append(out, Figure{Kind: FigureClaim, Text: c.text, key: claimKey(c), claim: &c})
		mark(c.start, c.end)
	}
	for _, m := range moneyRE.FindAllStringSubmatchIndex(text, -1) {
		if !free(m[0], m[1]) {
			continue
		}
		get := func(name string) string {
			i := moneyRE.SubexpIndex(name)
			if m[2*i] < 0 {
				return ""
			}
			return text[m[2*i]:m[2*i+1]]
		}
		pre, post, k := get("pre"), get("post"), get("k")
		if (pre == "" || !isCurrencyMark(pre)) && (post == "" || !isCurrencyMark(post)) && k == "" {
			continue
		}
		amount, _, ok := parseNumber(get("num"))
		if !ok {
			continue
		}
		if k != "" {
			amount *= 1000
		}
		ft := strings.TrimSpace(text[m[0]:m[1]])
		// The money pattern takes the brackets of an amount written in
		// them ("(€2.000)", a credit); the figure is the amount itself.
		ft = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(ft, "("), ")"))
		out = append(out, Figure{Kind: FigureAmount, Text: ft, key: amountKey(amount)})
		mark(m[0], m[1])
	}
	return out
}

func amountKey(a Amount) string { return "$" + strconv.FormatInt(int64(a), 10) }

// numberKey writes a number the same way however it was written: "12,5"
// and "12.50" agree.
func numberKey(s string) string {
	s = strings.ReplaceAll(s, ",", ".")
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	s = strings.TrimLeft(s, "0")
	if s == "" || s[0] == '.' {
		s = "0" + s
	}
	return s
}

// dateKey is "d2027-03-12" for a day, "m2027-03" for a month, "" for text
// that is no date.
func dateKey(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), ".", "")
	if t, ok := ParseDate(s); ok {
		if hasDay(s) {
			return "d" + t.Format("2006-01-02")
		}
		return "m" + t.Format("2006-01")
	}
	// "Sept" and abbreviations with a dot that ParseDate does not take.
	s = strings.Replace(s, "Sept ", "Sep ", 1)
	if t, ok := ParseDate(s); ok {
		if hasDay(s) {
			return "d" + t.Format("2006-01-02")
		}
		return "m" + t.Format("2006-01")
	}
	return ""
}

// hasDay reports whether a date names a day, not only a month.
func hasDay(s string) bool {
	n := 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '-' || r == '/' }) {
		if w = stripOrdinal(w); isDigits(w) {
			n++
		}
	}
	return n >= 2 || strings.Count(s, "-") == 2
}

// Known gathers the figures a section's prose may state: everything in the
// facts as typed and as rendered (tables with their computed totals, dates
// written out, defaults), and the proposal's date.
func Known(t *templates.Template, facts Facts, today time.Time) KnownFigures {
	k := KnownFigures{keys: map[string]bool{}, basis: claimBasisOf(t, facts)}
	add := func(text string) {
		for _, key := range knownKeys(text) {
			k.keys[key] = true
		}
	}
	for id, f := range facts {
		if t != nil && t.Internal(id) {
			continue // never printed: a figure only discovery holds is not the document's
		}
		add(f.Value)
	}
	if t != nil {
		// What the code derives: totals of money lists, dates written out,
		// defaults. Text answers are already in as typed (rendering a long
		// one again would only cost time).
		for si := range t.Sections {
			for fi := range t.Sections[si].Fields {
				f := &t.Sections[si].Fields[fi]
				if t.Sections[si].Internal {
					continue
				}
				if f.HasRole(templates.RolePayments) {
					add(RenderFieldIn(t, f, facts, today)) // with the amounts computed from the fees
					continue
				}
				if (f.Kind == templates.KindText || f.Kind == templates.KindChoice) && facts.Has(f.ID) && facts[f.ID].Origin != Assumed {
					continue
				}
				add(RenderField(f, facts, today))
			}
		}
		c := CoverOf(t, facts, today)
		add(c.Date)
		// The payment schedule's amounts, computed from the total.
		if terms := facts.Value(PaymentTermsField); terms != "" {
			if total, ok := FeeTotal(t, facts); ok {
				add(ScheduleText(terms, total))
			}
		}
	}
	add(FormatDate(today))
	return k
}

// knownKeysCache keeps what knownKeys found in texts read recently: the
// review runs after every answer over mostly the same facts.
var knownKeysCache = struct {
	sync.Mutex
	m map[string][]string
}{m: map[string][]string{}}

// knownKeys are the figures a text vouches for: its figures (a day also
// vouches for its month) and every number in it as an amount. Only the
// first guardScanBytes are read.
func knownKeys(text string) []string {
	if len(text) > guardScanBytes {
		cut := guardScanBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	cache := text != ""
	if cache {
		knownKeysCache.Lock()
		keys, ok := knownKeysCache.m[text]
		knownKeysCache.Unlock()
		if ok {
			return keys
		}
	}
	var keys []string
	for _, f := range Figures(text) {
		keys = append(keys, f.key)
		if strings.HasPrefix(f.key, "d") {
			keys = append(keys, "m"+f.key[1:8])
		}
	}
	for _, n := range anyNumberRE.FindAllString(text, -1) {
		if a, _, ok := parseNumber(n); ok {
			keys = append(keys, amountKey(a))
		}
	}
	if cache {
		knownKeysCache.Lock()
		if len(knownKeysCache.m) >= 1024 {
			clear(knownKeysCache.m)
		}
		knownKeysCache.m[text] = keys
		knownKeysCache.Unlock()
	}
	return keys
}

// Has reports whether the figure is one the facts hold.
func (k KnownFigures) Has(f Figure) bool {
	if k.keys[f.key] {
		return true
	}
	if f.claim != nil {
		v, _ := k.basis.judge(*f.claim)
		return v == claimSupported
	}
	return false
}

// Stray returns the figures in prose that no fact holds, leaving out code
// blocks (table rows and signature lines), which code built from the facts.
func (k KnownFigures) Stray(prose string) []Figure {
	var out []Figure
	seen := map[string]bool{}
	for _, f := range Figures(proseLines(prose)) {
		if !k.Has(f) && !seen[f.Text] {
			seen[f.Text] = true
			out = append(out, f)
		}
	}
	return out
}

// proseLines drops table rows from text.
func proseLines(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "|") {
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// FigureList writes figures for a message: "€150.000, 1 March 2027".
func FigureList(fs []Figure) string {
	parts := make([]string, 0, len(fs))
	for _, f := range fs {
		parts = append(parts, f.Text)
	}
	if len(parts) > 5 {
		parts = append(parts[:5], "…")
	}
	return strings.Join(parts, ", ")
}

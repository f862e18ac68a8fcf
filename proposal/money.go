package proposal

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"propose/templates"
)

// Amount is a sum of money in minor units (hundredths), exact.
type Amount int64

// Notation is how the user writes money: where the currency goes and which
// characters group thousands and mark decimals. Totals are written in it.
type Notation struct {
	Prefix    string // written before the number, e.g. "€" or "EUR "
	Suffix    string // written after it, e.g. " €"
	Thousands string // "," "." " " or "" for none
	Decimal   string // "." or ","
	Decimals  bool   // whether cents were written
}

// FeeLine is one line of a money-list answer.
type FeeLine struct {
	Item      string   // what the money is for ("Diagnostic")
	Amount    Amount   // parsed amount; meaningful when HasAmount; negative for a discount or credit
	HasAmount bool     // false when the line names no amount, or one that cannot be read exactly
	Unparsed  bool     // the line writes an amount that cannot be read exactly (never guessed)
	Currency  string   // ISO code when known ("EUR"), the written mark otherwise, or ""
	Period    string   // recurrence as written, e.g. "/ month", "per day"; "" for one-off
	Raw       string   // the line as typed
	Notation  Notation // how this line wrote its amount
}

// Total is the computed sum of the fee lines that share a currency and period.
type Total struct {
	Currency string
	Period   string
	Amount   Amount
	Notation Notation
}

var currencySymbols = map[string]string{
	"€": "EUR", "$": "USD", "US$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR",
	"A$": "AUD", "C$": "CAD", "NZ$": "NZD", "R$": "BRL", "Fr.": "CHF", "kr": "SEK",
}

// The amount is a number with optional thousands groups and decimals,
// optionally a k (thousands), with a currency mark before or after it; a
// unit may follow ("/ month", "per day": see unitAfter). A sign (- or −) written right
// against the number or its currency, or parentheses around them, make it
// negative.
var moneyRE = regexp.MustCompile(
	`(?i)(?P<open>\()?(?P<sign1>[-−])?(?P<pre>US\$|A\$|C\$|NZ\$|R\$|[€$£¥₹]|\b(?-i:[A-Z]{3}))?\s?(?P<sign2>[-−])?` +
		`(?P<num>\d{1,3}(?:[ \x{00a0}\x{202f}.,']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)` +
		`(?P<k>[kK]\b)?(?P<close1>\))?` +
		`(?:\s?(?P<post>[€$£¥₹]|(?-i:[A-Z]{3})\b|Fr\.|kr\b))?(?P<close2>\))?`)

// reductionRE finds the words that make a fee line count against the total.
var reductionRE = regexp.MustCompile(`(?i)\b(?:discount|rebate|credit|reduction|deduction|refund|waiver|waived)\b`)

// IsReduction reports whether a fee line's item names a discount or credit
// ("Loyalty discount", "Credit for last year's audit"), which counts against
// the total whatever sign its amount is written with.
func IsReduction(item string) bool {
	for _, m := range reductionRE.FindAllStringIndex(item, -1) {
		rest := strings.ToLower(strings.TrimSpace(item[m[1]:]))
		if strings.HasPrefix(rest, "card") { // "credit card fees" are a cost
			continue
		}
		return true
	}
	return false
}

// moneyMatch is one amount found in a piece of text.
type moneyMatch struct {
	start, end int    // the whole match
	numStart   int    // where the digits begin
	numEnd     int    // where the digits (and k) end
	pre, post  string // currency marks, "" when none (or not a known mark)
	num        string
	k          bool
	negative   bool // a sign or parentheses
	badSign    bool // two signs, or a sign and parentheses
	period     string
	glued      bool // letters, digits or number marks run into it ("1e308", "12.345,67.89", "10%")
}

func (m moneyMatch) marked() bool { return m.pre != "" || m.post != "" }

// moneyLike reports whether a number without a currency is written as money
// (grouped, with decimals or a k) rather than as a count ("3 weeks").
func (m moneyMatch) moneyLike() bool {
	return m.k || strings.ContainsAny(m.num, ".,' \u00a0\u202f")
}

// findMoney returns every amount-like match in text, in order.
func findMoney(text string) []moneyMatch {
	locs := moneyRE.FindAllStringSubmatchIndex(text, -1)
	out := make([]moneyMatch, 0, len(locs))
	for _, loc := range locs {
		get := func(name string) (string, int, int) {
			i := moneyRE.SubexpIndex(name)
			if loc[2*i] < 0 {
				return "", -1, -1
			}
			return text[loc[2*i]:loc[2*i+1]], loc[2*i], loc[2*i+1]
		}
		m := moneyMatch{start: loc[0], end: loc[1]}
		m.num, m.numStart, m.numEnd = get("num")
		k, _, kEnd := get("k")
		m.k = k != ""
		if m.k {
			m.numEnd = kEnd
		}
		m.pre, _, _ = get("pre")
		m.post, _, _ = get("post")
		if !isCurrencyMark(m.pre) {
			m.pre = ""
		}
		if !isCurrencyMark(m.post) {
			m.post = ""
		}
		open, _, _ := get("open")
		s1, _, s1End := get("sign1")
		s2, _, _ := get("sign2")
		c1, _, _ := get("close1")
		c2, _, _ := get("close2")
		parens := open != "" && (c1 != "" || c2 != "")
		signs := 0
		for _, s := range []string{s1, s2} {
			if s != "" {
				signs++
			}
		}
		if parens {
			signs++
		}
		m.negative = signs == 1
		// "− 500": a sign standing apart from the number may be a dash.
		m.badSign = signs > 1 || s1 != "" && m.pre == "" && strings.TrimSpace(text[s1End:m.numStart]) != text[s1End:m.numStart]
		// A unit after the amount ("per meeting", "/ Tag") belongs to it.
		if p, n := unitAfter(text[m.end:]); n > 0 {
			m.period, m.end = p, m.end+n
		}
		m.glued = gluedBefore(text, m.start) || gluedAfter(text, m.end)
		out = append(out, m)
	}
	return out
}

// gluedBefore reports whether the text just before i runs into a number:
// a letter or digit, or a number mark after a digit ("7.89").
func gluedBefore(text string, i int) bool {
	r, n := utf8.DecodeLastRuneInString(text[:i])
	if n == 0 {
		return false
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return true
	}
	if r == '.' || r == ',' || r == '\'' {
		p, _ := utf8.DecodeLastRuneInString(text[:i-n])
		return unicode.IsDigit(p)
	}
	return false
}

// gluedAfter reports whether the text from i runs on from a number: a letter,
// a digit, a percent sign, or a number mark before a digit.
func gluedAfter(text string, i int) bool {
	r, n := utf8.DecodeRuneInString(text[i:])
	if n == 0 {
		return false
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '%' {
		return true
	}
	if r == '.' || r == ',' || r == '\'' {
		p, _ := utf8.DecodeRuneInString(text[i+n:])
		return unicode.IsDigit(p)
	}
	return false
}

// ParseFeeLine reads one "item: amount" line. A line with a colon takes its
// amount from the text after the last colon; a line without one needs a
// currency mark so that a number in a description is not taken for a price.
//
// It tells rather than guesses: a line whose amount cannot be read as one
// exact figure (two amounts, a sign that is not clear, digits run into
// letters, more decimals than money has, a number too large) is Unparsed,
// with no amount. A discount or credit counts against the total.
func ParseFeeLine(line string) FeeLine {
	raw := strings.TrimSpace(line)
	fl := FeeLine{Raw: raw, Item: trimBullet(raw)}
	text := fl.Item
	item, tail := "", text
	colon := false
	if i := strings.LastIndex(text, ":"); i >= 0 {
		item, tail, colon = strings.TrimSpace(text[:i]), strings.TrimSpace(text[i+1:]), true
	}
	if item != "" {
		fl.Item = item
	}
	ms := findMoney(tail)
	if len(ms) == 0 {
		return fl
	}
	var marked []moneyMatch
	for _, m := range ms {
		if m.marked() {
			marked = append(marked, m)
		}
	}
	var m moneyMatch
	switch {
	case len(marked) > 1:
		fl.Unparsed = true // "€100 + €200": which is the price?
		return fl
	case len(marked) == 1:
		m = marked[0]
		// Counts may stand beside the price ("€24.000 (3 weeks)"), another
		// figure written as money may not ("€24.000 for 2,5 days"). Without a
		// colon, numbers before the price belong to the item.
		for _, o := range ms {
			if o.marked() {
				continue
			}
			// "€5.000 incl. 20%", "€1e5"; and "89 EUR 6375": whose is the EUR?
			if (o.moneyLike() || o.glued) && (colon || o.start > m.start) ||
				m.post != "" && o.start >= m.end && strings.TrimSpace(tail[m.end:o.start]) == "" ||
				m.pre != "" && o.end <= m.start && strings.TrimSpace(tail[o.end:m.start]) == "" {
				fl.Unparsed = true
				return fl
			}
		}
	case !colon:
		return fl // no colon and no currency: not a price
	case len(ms) > 1:
		fl.Unparsed = true
		return fl
	default:
		m = ms[0]
		// A bare number is the price only when nothing else is written
		// beside it: "Support: until 2027" is not 2027 of anything.
		rest := tail[:m.start] + " " + tail[m.end:]
		for _, r := range rest {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				fl.Unparsed = true
				return fl
			}
		}
	}
	if m.glued || m.badSign || m.pre != "" && m.post != "" { // "€300 119 000 €"
		fl.Unparsed = true
		return fl
	}
	// "Item: - €500" (a dash standing apart may be a minus) or "-(€500)"
	// (two signs). Without a colon, "Discovery - €4500" is a separator.
	before := strings.TrimSpace(tail[:m.start])
	if (colon || m.negative) && (strings.HasSuffix(before, "-") || strings.HasSuffix(before, "−")) {
		fl.Unparsed = true
		return fl
	}
	amount, nota, ok := parseNumber(m.num)
	if !ok {
		fl.Unparsed = true
		return fl
	}
	if m.k {
		if amount > maxAmount/1000 {
			fl.Unparsed = true
			return fl
		}
		amount *= 1000
		nota.Decimals = false
	}
	pre, post := m.pre, m.post
	if pre != "" {
		nota.Prefix = pre
		if strings.Contains(tail[m.start:m.numStart], " ") {
			nota.Prefix = pre + " "
		}
	}
	if post != "" {
		nota.Suffix = " " + post
		if i := strings.Index(tail[m.numEnd:m.end], post); i >= 0 && !strings.Contains(tail[m.numEnd:m.numEnd+i], " ") {
			nota.Suffix = post
		}
	}
	if item == "" {
		item = strings.TrimRight(strings.TrimSpace(tail[:m.start]), "-–—:,")
	}
	fl.Item = strings.TrimSpace(item)
	if m.negative || IsReduction(fl.Item) {
		amount = -amount
	}
	fl.Amount, fl.HasAmount = amount, true
	fl.Period = m.period
	fl.Notation = nota
	fl.Currency = currencyCode(pre + post)
	return fl
}

func isCurrencyMark(s string) bool {
	if _, ok := currencySymbols[s]; ok {
		return true
	}
	if len(s) == 3 && strings.ToUpper(s) == s {
		return knownCodes[s]
	}
	return false
}

var knownCodes = map[string]bool{
	"EUR": true, "USD": true, "GBP": true, "CHF": true, "JPY": true, "AUD": true,
	"CAD": true, "NZD": true, "SEK": true, "NOK": true, "DKK": true, "PLN": true,
	"CZK": true, "HUF": true, "INR": true, "BRL": true, "MXN": true, "ZAR": true,
	"SGD": true, "HKD": true, "CNY": true, "AED": true, "SAR": true, "ILS": true,
	"TRY": true, "KRW": true, "RON": true, "ARS": true, "CLP": true, "COP": true,
}

func currencyCode(mark string) string {
	mark = strings.TrimSpace(mark)
	if c, ok := currencySymbols[mark]; ok {
		return c
	}
	return mark
}

// maxAmount is the largest amount read, in minor units: a thousand million
// million. Anything larger is not a fee.
const maxAmount = Amount(1e17)

// parseNumber reads digits with grouping and decimal marks. A group of
// exactly three digits after the last dot or comma is a thousands group;
// anything else after it is decimals. It refuses what it cannot read exactly:
// more than two decimals, grouping marks that differ or match the decimal
// mark, a number too large.
func parseNumber(s string) (Amount, Notation, bool) {
	var n Notation
	last := strings.LastIndexAny(s, ".,")
	intPart, frac := s, ""
	if last >= 0 && len(s)-last-1 != 3 {
		intPart, frac = s[:last], s[last+1:]
		n.Decimal = s[last : last+1]
		n.Decimals = true
	}
	var digits strings.Builder
	for _, r := range intPart {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		default:
			mark := string(r)
			if r == '\u00a0' || r == '\u202f' {
				mark = " "
			}
			if n.Thousands == "" {
				n.Thousands = mark
			} else if n.Thousands != mark {
				return 0, n, false // "1,234.567": which is the decimal mark?
			}
		}
	}
	if n.Thousands != "" && n.Thousands == n.Decimal {
		return 0, n, false // "1,234,56"
	}
	if len(frac) > 2 { // "1.2345": more precision than money has
		return 0, n, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	whole, err := strconv.ParseInt(digits.String(), 10, 64)
	if err != nil || whole > int64(maxAmount)/100 {
		return 0, n, false
	}
	cents, _ := strconv.ParseInt(frac, 10, 64)
	return Amount(whole*100 + cents), n, true
}

// ParseFees reads every line of a money-list answer.
func ParseFees(value string) []FeeLine {
	var out []FeeLine
	for _, line := range strings.Split(value, "\n") {
		if strings.TrimSpace(trimBullet(line)) == "" {
			continue
		}
		out = append(out, ParseFeeLine(line))
	}
	return out
}

// Totals adds up the fee lines that have amounts, one total per currency and
// period, in the order each first appears. Rates ("per day", "/ meeting")
// are never added up: two people's day rates make no day's price. Each total is written in the
// notation of the first line of its group.
func Totals(lines []FeeLine) []Total {
	var out []Total
	for _, l := range lines {
		if !l.HasAmount || isRate(l.Period) {
			continue
		}
		found := false
		for i := range out {
			if out[i].Currency == l.Currency && normPeriod(out[i].Period) == normPeriod(l.Period) {
				out[i].Amount += l.Amount
				out[i].Notation = mergeNotation(out[i].Notation, l.Notation)
				found = true
				break
			}
		}
		if !found {
			out = append(out, Total{Currency: l.Currency, Period: l.Period, Amount: l.Amount, Notation: l.Notation})
		}
	}
	return out
}

// mergeNotation fills what the first line left unsaid (its grouping or
// decimal mark) from a later line, and keeps cents if any line had them.
func mergeNotation(a, b Notation) Notation {
	if a.Thousands == "" && b.Thousands != "" && b.Thousands != a.Decimal {
		a.Thousands = b.Thousands
	}
	if a.Decimal == "" && b.Decimal != "" && b.Decimal != a.Thousands {
		a.Decimal = b.Decimal
	}
	a.Decimals = a.Decimals || b.Decimals
	return a
}

// Format writes the amount in the notation.
func (n Notation) Format(a Amount) string {
	neg := a < 0
	if neg {
		a = -a
	}
	whole, cents := int64(a)/100, int64(a)%100
	dec := n.Decimal
	if dec == "" {
		dec = "."
		if n.Thousands == "." {
			dec = ","
		}
	}
	th := n.Thousands
	if th == "" && whole >= 10000 {
		// The user wrote no grouping (their amounts were small); a large total
		// still reads better grouped, in the convention their decimal implies.
		th = ","
		if dec == "," {
			th = "."
		}
	}
	digits := strconv.FormatInt(whole, 10)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(th)
		}
		b.WriteRune(r)
	}
	s := b.String()
	if n.Decimals || cents != 0 {
		s += dec + strconv.FormatInt(cents/10, 10) + strconv.FormatInt(cents%10, 10)
	}
	if neg {
		return "-" + n.Prefix + s + n.Suffix
	}
	return n.Prefix + s + n.Suffix
}

// String writes the line's amount in its own notation, with its period.
func (l FeeLine) String() string {
	if !l.HasAmount {
		return ""
	}
	s := l.Notation.Format(l.Amount)
	if l.Period != "" {
		s += " " + l.Period
	}
	return s
}

// String writes the total in its notation, with its period.
func (t Total) String() string {
	s := t.Notation.Format(t.Amount)
	if t.Period != "" {
		s += " " + t.Period
	}
	return s
}

// HasNumber reports whether the text holds something a measure can be checked
// against: a number, a percentage, an amount or a date all contain a digit.
func HasNumber(s string) bool {
	for _, r := range s {
		if r >= '0' && r <= '9' {
			return true
		}
	}
	return false
}

// languageNotation is how a document in the catalog's language writes an
// amount typed in notation n. The language decides which mark is the
// decimal one: an amount typed with marks that read the other way in it
// ("€24.000" in an English document, "€24,000" in a German one) is written
// with the language's marks ("€24,000", "€24.000"), so that no reader takes
// twenty-four thousand for twenty-four. The amount itself was never in
// doubt: money has no third decimal, so "24.000" is read as thousands in
// every language (parseNumber). Marks no language reads as a decimal (a
// space, an apostrophe) are kept as typed, and so is the Swiss
// "CHF 24'000.50" whole, and where the currency goes. An amount typed with no mark at all takes the language's once it
// is large enough to group.
func languageNotation(w *templates.Catalog, n Notation, a Amount) Notation {
	group, dec := w.Word("number.group"), w.Word("number.decimal")
	switch {
	case n.Thousands == "" && n.Decimal == "":
		if a >= 10000*100 || a <= -10000*100 {
			n.Thousands, n.Decimal = group, dec
		}
	case n.Thousands == "'":
		// Swiss ("CHF 24'000.50"): no reader takes it for anything else.
	case dec != "" && (n.Thousands == dec || n.Decimal != "" && n.Decimal != dec):
		n.Thousands, n.Decimal = group, dec
	}
	return n
}

// moneyCell writes the amounts in a money column's cell with the marks the
// language reads them by (languageNotation), leaving the rest of the cell
// as typed.
func moneyCell(w *templates.Catalog, f *templates.Field, col int, cell string) string {
	if f.ColumnType(col) != templates.ColumnMoney {
		return cell
	}
	return amountsInLanguage(w, cell)
}

// amountsInLanguage rewrites the marks of each amount with a currency in s
// that reads the other way in the catalog's language: "€24.000" becomes
// "€24,000" in English. Amounts it cannot read exactly are left alone.
func amountsInLanguage(w *templates.Catalog, s string) string {
	var b strings.Builder
	last := 0
	for _, m := range findMoney(s) {
		if !m.marked() || m.glued || m.badSign || m.k {
			continue
		}
		a, written, ok := parseNumber(m.num)
		if !ok {
			continue
		}
		n := languageNotation(w, written, a)
		if n.Thousands == written.Thousands && n.Decimal == written.Decimal {
			continue
		}
		out := Notation{Thousands: n.Thousands, Decimal: n.Decimal, Decimals: written.Decimals}.Format(a)
		b.WriteString(s[last:m.numStart])
		b.WriteString(out)
		last = m.numEnd
	}
	b.WriteString(s[last:])
	return b.String()
}

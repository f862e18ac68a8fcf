package proposal

import (
	"regexp"
	"strconv"
	"strings"
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
	Amount    Amount   // parsed amount; meaningful when HasAmount
	HasAmount bool     // false when the line names no amount
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
// optionally a k (thousands), with a currency mark before or after it, and an
// optional period ("/ month", "per day").
var moneyRE = regexp.MustCompile(
	`(?i)(?P<pre>US\$|A\$|C\$|NZ\$|R\$|[€$£¥₹]|\b(?-i:[A-Z]{3})\b)?\s?` +
		`(?P<num>\d{1,3}(?:[ \x{00a0}\x{202f}.,']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)` +
		`(?P<k>[kK]\b)?` +
		`(?:\s?(?P<post>[€$£¥₹]|\b(?-i:[A-Z]{3})\b|Fr\.|kr\b))?` +
		`(?P<period>\s*(?:/|per|a|an)\s*(?:hour|hr|day|week|month|mo|quarter|year|yr|annum|session|participant|person|head|workshop|seat)\b)?`)

// ParseFeeLine reads one "item: amount" line. A line with a colon takes its
// amount from the text after the last colon; a line without one needs a
// currency mark so that a number in a description is not taken for a price.
func ParseFeeLine(line string) FeeLine {
	raw := strings.TrimSpace(line)
	fl := FeeLine{Raw: raw, Item: trimBullet(raw)}
	text := fl.Item
	item, tail := "", text
	if i := strings.LastIndex(text, ":"); i >= 0 {
		item, tail = strings.TrimSpace(text[:i]), strings.TrimSpace(text[i+1:])
	}
	if item != "" {
		fl.Item = item
	}
	locs := moneyRE.FindAllStringSubmatchIndex(tail, -1)
	if len(locs) == 0 {
		return fl
	}
	m := locs[len(locs)-1]
	get := func(name string) string {
		i := moneyRE.SubexpIndex(name)
		if m[2*i] < 0 {
			return ""
		}
		return tail[m[2*i]:m[2*i+1]]
	}
	pre, post := get("pre"), get("post")
	if pre != "" && !isCurrencyMark(pre) {
		pre = ""
	}
	if post != "" && !isCurrencyMark(post) {
		post = ""
	}
	if item == "" && pre == "" && post == "" {
		return fl // no colon and no currency: not a price
	}
	amount, nota, ok := parseNumber(get("num"))
	if !ok {
		return fl
	}
	if get("k") != "" {
		amount *= 1000
		nota.Decimals = false
	}
	fl.Amount, fl.HasAmount = amount, true
	fl.Period = strings.TrimSpace(get("period"))
	start := m[0]
	if pre != "" {
		nota.Prefix = pre
		if get("num") != "" && strings.Contains(tail[m[0]:m[2*moneyRE.SubexpIndex("num")]], " ") {
			nota.Prefix = pre + " "
		}
	}
	if post != "" {
		nota.Suffix = " " + post
		if !strings.Contains(tail[m[2*moneyRE.SubexpIndex("num")+1]:m[2*moneyRE.SubexpIndex("post")]], " ") {
			nota.Suffix = post
		}
	}
	fl.Notation = nota
	fl.Currency = currencyCode(pre + post)
	if item == "" {
		item = strings.TrimRight(strings.TrimSpace(tail[:start]), "-–—:,")
	}
	fl.Item = strings.TrimSpace(item)
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

// parseNumber reads digits with grouping and decimal marks. A group of
// exactly three digits after the last dot or comma is a thousands group;
// anything else after it is decimals.
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
		case n.Thousands == "":
			n.Thousands = string(r)
			if r == '\u00a0' || r == '\u202f' {
				n.Thousands = " "
			}
		}
	}
	if len(frac) > 2 { // "1.2345": more precision than money has
		frac = frac[:2]
	}
	for len(frac) < 2 {
		frac += "0"
	}
	whole, err := strconv.ParseInt(digits.String(), 10, 64)
	if err != nil || whole > 1e15 {
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
// period, in the order each first appears. Each total is written in the
// notation of the first line of its group.
func Totals(lines []FeeLine) []Total {
	var out []Total
	for _, l := range lines {
		if !l.HasAmount {
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

func normPeriod(p string) string {
	p = strings.ToLower(strings.Join(strings.Fields(p), ""))
	p = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(p, "per"), "/"), "a")
	return strings.TrimPrefix(p, "n")
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
		s = "-" + s
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

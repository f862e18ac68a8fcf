package proposal

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"propose/templates"
)

// The rules on money: every figure a client can add up must add up.

// feeLines are the fee lines of every fees field, with the field each is in.
func (r *ruleRun) feeLines() (lines []FeeLine, fields []string) {
	for _, f := range r.t.FieldsWithRole(templates.RoleFees) {
		for _, l := range ParseFees(r.facts.Value(f.ID)) {
			lines = append(lines, l)
			fields = append(fields, f.ID)
		}
	}
	return lines, fields
}

// inDoc writes an amount typed in notation n as the document prints it:
// with the marks of the proposal's language (languageNotation), so that a
// finding quotes the figure the client would read.
func (r *ruleRun) inDoc(n Notation, a Amount) string {
	return languageNotation(r.t.Words(), n, a).Format(a)
}

// lineInDoc writes a fee line's amount and period as the document prints it.
func (r *ruleRun) lineInDoc(l FeeLine) string {
	l.Notation = languageNotation(r.t.Words(), l.Notation, l.Amount)
	return l.String()
}

// totalInDoc writes a total and its period as the document prints it.
func (r *ruleRun) totalInDoc(t Total) string {
	t.Notation = languageNotation(r.t.Words(), t.Notation, t.Amount)
	return t.String()
}

// feeExample writes an example amount in the user's own notation.
func feeExample(lines []FeeLine) string {
	for _, l := range lines {
		if l.HasAmount && (l.Notation.Prefix != "" || l.Notation.Suffix != "") {
			return l.Notation.Format(1250000)
		}
	}
	return "€12.500"
}

// feeUnparsed: a fee line with an amount that cannot be read exactly is
// never guessed at; the total leaves it out, so the total would be wrong.
func (r *ruleRun) feeUnparsed() {
	lines, fields := r.feeLines()
	for i, l := range lines {
		if l.Unparsed {
			r.add("fee-unparsed", Blocker, fields[i],
				"The fee line %q has an amount that cannot be read as one exact figure, so it is left out of the total: write one amount after the colon, e.g. \"%s: %s\" (a discount as \"-%s\").",
				l.Raw, l.Item, feeExample(lines), feeExample(lines))
		}
	}
}

// mixedCurrency: fee lines of one period in more than one currency have no
// single total.
func (r *ruleRun) mixedCurrency() {
	lines, fields := r.feeLines()
	seen := map[string][]string{} // period -> currencies in order
	field := map[string]string{}
	for i, l := range lines {
		if !l.HasAmount {
			continue
		}
		p := normPeriod(l.Period)
		cur := l.Currency
		if cur == "" {
			cur = "no currency"
		}
		if !contains(seen[p], cur) {
			seen[p] = append(seen[p], cur)
			field[p] = fields[i]
		}
	}
	periods := make([]string, 0, len(seen))
	for p := range seen {
		periods = append(periods, p)
	}
	sort.Strings(periods)
	for _, p := range periods {
		if cs := seen[p]; len(cs) > 1 {
			r.add("mixed-currency", Warning, field[p],
				"The fees are written in %s, so there is no single total: write every fee in one currency (and say which rate converted any other).",
				strings.Join(cs, " and "))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// percent writes hundredths of a percent as a percentage: 3000 is "30%".
func percent(h int64) string {
	return strconv.FormatFloat(float64(h)/100, 'f', -1, 64) + "%"
}

// paymentTermsSum: the shares in the payment terms must share out the whole
// fee, no more and no less (unless "the balance" takes the rest).
func (r *ruleRun) paymentTermsSum() {
	f := r.field(PaymentTermsField)
	if f == nil || !r.facts.Has(f.ID) {
		return
	}
	p := ParsePaymentTerms(r.facts.Value(f.ID))
	sum := p.Sum()
	switch {
	case len(p.Shares) == 0 || sum == 10000:
	case sum > 10000:
		r.add("payment-terms-sum", Blocker, f.ID,
			"The payment terms invoice %s of the fee: make the shares add up to 100%%.", percent(sum))
	case p.Balance:
	case len(p.Shares) > 1:
		r.add("payment-terms-sum", Blocker, f.ID,
			"The payment terms invoice only %s of the fee: make the shares add up to 100%%, or say when the remaining %s is due.", percent(sum), percent(10000-sum))
	default:
		r.add("payment-terms-sum", Warning, f.ID,
			"The payment terms say when %s of the fee is invoiced but not the remaining %s: say when that is due.", percent(sum), percent(10000-sum))
	}
}

// near reports whether two amounts agree to the unit: a figure rounded to
// whole euros is not stale.
func near(a, b Amount) bool {
	d := a - b
	return d > -100 && d < 100
}

// totalClaimRE finds words that claim an amount is the fees' total.
var totalClaimRE = regexp.MustCompile(`(?i)\b(?:total(?:\s+(?:fees?|investment|price|cost))?|fees?\s+(?:of|totall?ing|come\s+to|amount\s+to)|investment\s+(?:of|is)|price\s+(?:of|is))\b`)

// claimWords are where a total claim can start, in lower case.
var claimWords = []string{"total", "fee", "investment", "price"}

// totalClaims calls yield with each of totalClaimRE's matches in text, in
// order, until yield returns false. It does not run the regexp over the
// whole text (slow on a pasted brief of megabytes): a scan for the words a
// match starts with, then the regexp on a short window at each.
func totalClaims(text string, yield func(loc []int) bool) {
	b := []byte(text)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	low := string(b) // ASCII case only, so offsets stay those of text
	var starts []int
	for _, w := range claimWords {
		for from := 0; ; {
			i := strings.Index(low[from:], w)
			if i < 0 {
				break
			}
			starts = append(starts, from+i)
			from += i + len(w)
		}
	}
	sort.Ints(starts)
	next := 0
	for _, p := range starts {
		if p < next || p > 0 && asciiWord(text[p-1]) {
			continue
		}
		end := min(len(text), p+64)
		if loc := totalClaimRE.FindStringIndex(text[p:end]); loc != nil && loc[0] == 0 {
			if !yield([]int{p, p + loc[1]}) {
				return
			}
			next = p + loc[1]
		}
	}
}

// staleFigures: figures the user wrote by hand that code can check against
// the fees: the amount beside a share of the payment terms, amounts that
// should add up to the total, and "a total of €X" in any other answer.
func (r *ruleRun) staleFigures() {
	total, ok := FeeTotal(r.t, r.facts)
	if !ok {
		return
	}
	tot := r.inDoc(total.Notation, total.Amount)
	if f := r.field(PaymentTermsField); f != nil && r.stated(f.ID) {
		p := ParsePaymentTerms(r.facts.Value(f.ID))
		if p.Sum() <= 10000 {
			amounts := p.Schedule(total.Amount)
			for i, s := range p.Shares {
				if s.HasWritten && s.Currency == total.Currency && !near(s.Written, amounts[i]) {
					want := r.inDoc(total.Notation, amounts[i])
					r.add("stale-figure", Blocker, f.ID,
						"The payment terms give %s for the %s share, but %s of the current total (%s) is %s: write %s, or leave the amount out and it is computed for you.",
						s.WrittenText, percent(s.Percent), percent(s.Percent), tot, want, want)
				}
			}
		}
		var sum Amount
		var same []FeeLine
		for _, a := range p.Amounts {
			if a.Currency == total.Currency && a.Amount > 0 {
				same = append(same, a)
				sum += a.Amount
			}
		}
		switch {
		case len(p.Shares) == 0 && !p.Balance && len(same) > 1 && !near(sum, total.Amount):
			r.add("stale-figure", Blocker, f.ID,
				"The payment terms add up to %s, but the fees total %s: correct the amounts, or write them as shares (\"30%% on signature\") and they are computed for you.",
				r.inDoc(total.Notation, sum), tot)
		default:
			for _, a := range same {
				if a.Amount > total.Amount+99 {
					r.add("stale-figure", Blocker, f.ID,
						"The payment terms mention %s, more than the fees' total of %s: correct the amount, or write it as a share (\"30%% on signature\").",
						r.inDoc(a.Notation, a.Amount), tot)
				}
			}
		}
	}
	// "The total investment is €X" in any other answer.
	skip := map[string]bool{PaymentTermsField: true}
	for _, role := range []string{templates.RoleFees, templates.RoleOptions} {
		for _, f := range r.t.FieldsWithRole(role) {
			skip[f.ID] = true
		}
	}
	for _, s := range r.t.Sections {
		for i := range s.Fields {
			f := &s.Fields[i]
			if skip[f.ID] || !r.stated(f.ID) {
				continue
			}
			text := r.facts.Value(f.ID)
			totalClaims(text, func(c []int) bool {
				window := text[c[1]:min(len(text), c[1]+30)]
				for _, m := range findMoney(window) {
					if !m.marked() || m.glued || m.start > 12 {
						continue
					}
					l := ParseFeeLine("x: " + strings.Trim(strings.TrimSpace(window[m.start:m.end]), "()"))
					if l.HasAmount && l.Currency == total.Currency && l.Period == "" && !near(l.Amount, total.Amount) {
						r.add("stale-figure", Blocker, f.ID,
							"%s says %q, but the fees now total %s: write %s, or leave the figure out.",
							label(f), strings.TrimSpace(text[c[0]:c[1]+m.end]), tot, tot)
						return false // one finding a field says it; the fix is the same
					}
					break
				}
				return true
			})
		}
	}
}

// optionMismatch: with options on the table, the fees are the recommended
// option's (the consulting template says so): their total must be one
// option's price.
func (r *ruleRun) optionMismatch() {
	total, ok := feeTotalPer(r.t, r.facts) // a retainer's monthly fee is a level's fee
	if !ok {
		return
	}
	var prices []string
	for _, f := range r.t.FieldsWithRole(templates.RoleOptions) {
		for _, it := range Items(r.facts.Value(f.ID)) {
			l := ParseFeeLine(it)
			if !l.HasAmount || l.Currency != total.Currency || normPeriod(l.Period) != normPeriod(total.Period) {
				continue
			}
			if near(l.Amount, total.Amount) {
				return
			}
			name, _, _ := strings.Cut(l.Item, ":") // "Name: scope: amount"
			prices = append(prices, strings.TrimSpace(name)+" "+r.lineInDoc(l))
		}
	}
	if len(prices) == 0 {
		return
	}
	fees := r.t.FieldsWithRole(templates.RoleFees)[0].ID
	what := r.optionWord()
	r.add("option-mismatch", Blocker, fees,
		"The fees total %s, but no %s costs that (%s): give the fees of the %s you recommend, or correct that %s's price.",
		r.totalInDoc(total), what, strings.Join(prices, "; "), what, what)
}

// optionWord is what the template's options are called in findings:
// "level" for a retainer's levels of access, "option" otherwise.
func (r *ruleRun) optionWord() string {
	if opts := r.t.FieldsWithRole(templates.RoleOptions); len(opts) > 0 && strings.Contains(strings.ToLower(label(opts[0])), "level") {
		return "level"
	}
	return "option"
}

// noPaymentTerms: fees with no word on when they are invoiced and paid.
func (r *ruleRun) noPaymentTerms() {
	f := r.field(PaymentTermsField)
	if f == nil || r.facts.Has(f.ID) || r.missing[f.ID] {
		return
	}
	for _, p := range r.t.FieldsWithRole(templates.RolePayments) {
		if r.facts.Has(p.ID) {
			return // the schedule says when
		}
	}
	lines, _ := r.feeLines()
	for _, l := range lines {
		if l.HasAmount {
			r.add("no-payment-terms", Warning, f.ID,
				"The fees do not say when they are invoiced or paid: write the payment terms, e.g. \"50%% on signature, 50%% on completion; invoices payable within 30 days\".")
			return
		}
	}
}

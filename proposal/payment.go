package proposal

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"propose/templates"
)

// PaymentTermsField is the id of the field that holds the payment terms in
// every built-in template. Templates have no role for it yet, so it is found
// by id.
const PaymentTermsField = "payment_terms"

// PaymentShare is one share of the fee that the payment terms state ("30% on
// signature"), with the amount written beside it, if any.
type PaymentShare struct {
	// Percent is the share in hundredths of a percent: 30% is 3000.
	Percent int64
	// Start and End are where the percentage is written in the text.
	Start, End int
	// Written is the amount the user wrote for this share ("€25.950"), when
	// HasWritten; WrittenText is it as typed.
	Written     Amount
	HasWritten  bool
	WrittenText string
	// Currency of the written amount (ISO code when known).
	Currency string
}

// PaymentTerms is what code can read in payment terms: the shares of the
// fee, whether the rest is left to "the balance", and amounts written apart
// from any share.
type PaymentTerms struct {
	Shares []PaymentShare
	// Balance is true when the terms leave the rest to "the balance" or
	// "the remainder".
	Balance bool
	// Amounts are amounts written with a currency that belong to no share.
	Amounts []FeeLine
}

// percentRE finds a percentage: "30%", "12,5 %", "50 per cent".
var percentRE = regexp.MustCompile(`(?i)(\d{1,3}(?:[.,]\d{1,2})?)\s?(?:%|per ?cent\b)`)

// notScheduleRE marks a percentage that is not a share of the fee: interest,
// a discount for early payment, tax, a monthly charge.
var notScheduleRE = regexp.MustCompile(`(?i)\b(?:interest|late|penalt\w*|surcharge|discount|vat|tax\w*|per month|a month|monthly|per annum|p\.a\.|a year|per year|annual\w*|above|over the base)\b`)

var balanceRE = regexp.MustCompile(`(?i)\b(?:balance|remainder|rest|remaining)\b`)

// linkDistance is how far (in bytes) an amount may be written from its share
// ("30% on signature (€25.950)") and still belong to it.
const linkDistance = 40

// ParsePaymentTerms reads the shares, the balance and the written amounts in
// payment terms.
func ParsePaymentTerms(text string) PaymentTerms {
	var p PaymentTerms
	for _, loc := range percentRE.FindAllStringSubmatchIndex(text, -1) {
		if gluedBefore(text, loc[0]) {
			continue
		}
		before := text[max(0, loc[0]-25):loc[0]]
		after := text[loc[1]:min(len(text), loc[1]+30)]
		if i := strings.IndexAny(after, ",;"); i >= 0 {
			after = after[:i]
		}
		if notScheduleRE.MatchString(before) || notScheduleRE.MatchString(after) {
			continue
		}
		n := strings.Replace(text[loc[2]:loc[3]], ",", ".", 1)
		f, err := strconv.ParseFloat(n, 64)
		if err != nil || f <= 0 || f > 100 {
			continue
		}
		p.Shares = append(p.Shares, PaymentShare{Percent: int64(f*100 + 0.5), Start: loc[0], End: loc[1]})
	}
	p.Balance = balanceRE.MatchString(text)
	// Amounts with a currency, each given to its share.
	for _, m := range findMoney(text) {
		if !m.marked() || m.glued || m.badSign {
			continue
		}
		// In prose, parentheses set an amount aside; they do not negate it.
		written := strings.Trim(strings.TrimSpace(text[m.start:m.end]), "()")
		l := ParseFeeLine("x: " + written)
		if !l.HasAmount {
			continue
		}
		// An amount belongs to the share written before it in the same
		// clause ("30% on signature (€25.950)"), or to one written right
		// after it ("€25.950 (30%) on signature").
		best := -1
		for i, s := range p.Shares {
			if s.Start >= m.end {
				if strings.Trim(text[m.end:s.Start], " (") == "" && s.Start-m.end <= 3 {
					best = i
				}
				break
			}
			if m.start-s.End <= linkDistance {
				best = i
			}
		}
		if best >= 0 && p.Shares[best].HasWritten {
			best = -1
		}
		if best < 0 {
			p.Amounts = append(p.Amounts, l)
			continue
		}
		s := &p.Shares[best]
		s.Written, s.HasWritten, s.WrittenText, s.Currency = l.Amount, true, written, l.Currency
	}
	return p
}

// Sum is the shares' total in hundredths of a percent (10000 is 100%).
func (p PaymentTerms) Sum() int64 {
	var n int64
	for _, s := range p.Shares {
		n += s.Percent
	}
	return n
}

// Schedule computes each share's amount from the total: the share of it,
// rounded to the cent; when the shares make 100%, the last takes what
// rounding left so the schedule adds up to the total exactly.
func (p PaymentTerms) Schedule(total Amount) []Amount {
	out := make([]Amount, len(p.Shares))
	var sum Amount
	for i, s := range p.Shares {
		out[i] = shareOf(total, s.Percent)
		sum += out[i]
	}
	if n := len(out); n > 0 && p.Sum() == 10000 {
		out[n-1] += total - sum
	}
	return out
}

// shareOf is pct hundredths of a percent of a, rounded half away from zero.
func shareOf(a Amount, pct int64) Amount {
	x := new(big.Int).Mul(big.NewInt(int64(a)), big.NewInt(pct))
	half := big.NewInt(5000)
	if x.Sign() < 0 {
		half.Neg(half)
	}
	x.Add(x, half)
	x.Quo(x, big.NewInt(10000))
	return Amount(x.Int64())
}

// FeeTotal is the one total the fees come to, when there is exactly one
// (one currency, one-off) and every fee line was read exactly; ok is false
// otherwise, since shares of a monthly fee or of a total that may be wrong
// are not worth computing.
func FeeTotal(t *templates.Template, facts Facts) (Total, bool) {
	total, ok := feeTotalPer(t, facts)
	if !ok || total.Period != "" {
		return Total{}, false
	}
	return total, true
}

// feeTotalPer is the fees' total when they have one, one-off or recurring
// ("£6,500 per month"): one currency, one period, more than nothing. Rates
// ("per day") are in no total. Options and levels of access are priced the
// same way, so this is what one is matched against.
func feeTotalPer(t *templates.Template, facts Facts) (Total, bool) {
	var lines []FeeLine
	for _, f := range t.FieldsWithRole(templates.RoleFees) {
		for _, l := range ParseFees(facts.Value(f.ID)) {
			if l.Unparsed {
				return Total{}, false
			}
			lines = append(lines, l)
		}
	}
	totals := Totals(lines)
	if len(totals) != 1 || totals[0].Amount <= 0 {
		return Total{}, false
	}
	return totals[0], true
}

// ScheduleText writes the computed amount after each share in rendered
// payment terms that has none written beside it: "30% (€25.950) on
// signature". The text is otherwise left as it is. Shares that add up to
// more than 100% are left alone: the review flags them.
func ScheduleText(text string, total Total) string {
	p := ParsePaymentTerms(text)
	if len(p.Shares) == 0 || p.Sum() > 10000 {
		return text
	}
	amounts := p.Schedule(total.Amount)
	var b strings.Builder
	last := 0
	for i, s := range p.Shares {
		if s.HasWritten {
			continue
		}
		b.WriteString(text[last:s.End])
		b.WriteString(" (" + total.Notation.Format(amounts[i]) + ")")
		last = s.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// withSchedule returns the drafting values with the computed amounts in
// the payment terms (see ScheduleText), for the offline drafter: the values
// themselves are left as they are, since a model's prompt must carry no
// amounts to restate. values is returned unchanged when there is nothing
// to add.
func withSchedule(req DraftRequest) map[string]string {
	v := req.Values[PaymentTermsField]
	if v == "" || req.Template == nil || req.Section == nil || !contains(SectionFields(req.Section), PaymentTermsField) {
		return req.Values
	}
	total, ok := FeeTotal(req.Template, req.Facts)
	if !ok {
		return req.Values
	}
	scheduled := ScheduleText(v, total)
	if scheduled == v {
		return req.Values
	}
	out := make(map[string]string, len(req.Values))
	for k, x := range req.Values {
		out[k] = x
	}
	out[PaymentTermsField] = scheduled
	return out
}

// lineShare reads the share of the fee a payment line states ("Target
// process signed off: 40%"): the percentage in its last cell, else anywhere
// in the line.
func lineShare(f *templates.Field, line string) (int64, bool) {
	cells := SplitCells(f, line)
	for _, text := range []string{cells[len(cells)-1], line} {
		if p := ParsePaymentTerms(text); len(p.Shares) > 0 {
			return p.Shares[len(p.Shares)-1].Percent, true
		}
	}
	return 0, false
}

// PaymentAmounts computes each payment line's amount from the fees' total
// and the line's share, rounded to the cent; when the shares make 100%, the
// last line with a share takes what rounding left, so the amounts add up to
// the total exactly. ok is false when the fees have no single one-off total
// (see FeeTotal); has[i] is false for a line without a share.
func PaymentAmounts(t *templates.Template, f *templates.Field, facts Facts, items []string) (amounts []Amount, has []bool, total Total, ok bool) {
	total, ok = FeeTotal(t, facts)
	if !ok {
		return nil, nil, total, false
	}
	amounts, has = make([]Amount, len(items)), make([]bool, len(items))
	var sum Amount
	var pcts int64
	last := -1
	for i, it := range items {
		pct, found := lineShare(f, it)
		if !found {
			continue
		}
		amounts[i], has[i] = shareOf(total.Amount, pct), true
		sum += amounts[i]
		pcts += pct
		last = i
	}
	if last >= 0 && pcts == 10000 {
		amounts[last] += total.Amount - sum
	}
	return amounts, has, total, true
}

// paymentTable lays a payment schedule out as its columns and an amount
// for each line, computed from the fees (PaymentAmounts) and written in
// the fee lines' notation, with a total row. Without a single one-off fee
// total the lines are laid out as they are.
func paymentTable(w *templates.Catalog, t *templates.Template, f *templates.Field, facts Facts, items []string, esc func(string) string) string {
	amounts, has, total, ok := PaymentAmounts(t, f, facts, items)
	if !ok {
		return columnTable(w, f, items, esc)
	}
	n := localNotation(w, total.Notation, total.Amount)
	rows := columnRows(w, f, items, esc)
	var sum Amount
	for i := range rows {
		cell := ""
		if has[i] {
			cell = n.Format(amounts[i])
			sum += amounts[i]
		}
		rows[i] = append(rows[i], cell)
	}
	header := make([]string, 0, len(f.Columns)+1)
	right := make([]bool, 0, len(f.Columns)+1)
	for c, name := range f.Columns {
		header = append(header, EscapeMarkdown(name))
		right = append(right, f.ColumnType(c) == templates.ColumnMoney)
	}
	right[len(right)-1] = true // the shares, written as percentages
	header = append(header, w.Word("schedule.amount"))
	right = append(right, true)
	if len(rows) > 1 {
		tr := make([]string, len(header))
		tr[0] = "**" + w.Word("table.total") + "**"
		tr[len(tr)-1] = "**" + n.Format(sum) + "**"
		rows = append(rows, tr)
	}
	return table(header, right, rows)
}

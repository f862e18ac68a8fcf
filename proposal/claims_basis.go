package proposal

import (
	"math"
	"strconv"
	"strings"

	"propose/templates"
)

// claimKey writes a claim the same way however it was worded, so that a
// claim an answer makes is known when prose repeats it.
func claimKey(c valueClaim) string {
	if c.kind == claimMultiple {
		return "x" + strconv.FormatFloat(c.mult, 'f', -1, 64) + "/" + strconv.Itoa(int(math.Round(c.horizon)))
	}
	return "p" + strconv.Itoa(int(math.Round(c.days)))
}

// claimBasis is what a claim is checked against: the fees (one-off and
// per year) and the value the answers give (one-off and per year), in the
// fees' currency.
type claimBasis struct {
	feeOnce, feeYear float64 // in currency units
	valOnce, valYear float64
	fees             string // the fees as the messages name them: "€52,000", "£6,500 per month"
	value            string // the value answer's own words, clipped
	valueField       string // the question that gives the value
	hasFees          bool
}

// multiple is how many times the value covers the fees over the horizon
// (a year when none is said); false when there is nothing to divide.
func (b claimBasis) multiple(horizon float64) (float64, bool) {
	years := horizon / daysPerYear
	if years <= 0 {
		years = 1
	}
	fee := b.feeOnce + b.feeYear*years
	val := b.valOnce + b.valYear*years
	if fee <= 0 || val <= 0 {
		return 0, false
	}
	return val / fee, true
}

// payback is how many days the value per year takes to cover the fees;
// +Inf when recurring fees outrun it; false when the value has no period.
func (b claimBasis) payback() (float64, bool) {
	if b.valYear <= 0 {
		return 0, false
	}
	switch {
	case b.feeOnce > 0 && b.feeYear > 0:
		if b.valYear <= b.feeYear {
			return math.Inf(1), true
		}
		return b.feeOnce / (b.valYear - b.feeYear) * daysPerYear, true
	case b.feeYear > 0:
		if b.valYear < b.feeYear {
			return math.Inf(1), true
		}
		return b.feeYear / b.valYear * daysPerMonth, true // the first month's fee, within the month
	default:
		return b.feeOnce / b.valYear * daysPerYear, true
	}
}

// claimVerdict is what the answers say about a claim.
type claimVerdict int

const (
	claimSupported    claimVerdict = iota
	claimOptimistic                // beyond what the answers give, by up to half as much again
	claimContradicted              // far beyond it
	claimUnsupported               // nothing in the answers to check it against
)

// claimTolerance is the rounding a claim may take ("about eight times"
// for 7.2); claimFarOff is where optimistic becomes wrong.
const (
	claimTolerance = 1.15
	claimFarOff    = 1.5
)

// judge checks a claim against the basis, and returns what the answers
// support (a multiple, or a payback in days).
func (b claimBasis) judge(c valueClaim) (claimVerdict, float64) {
	if !b.hasFees {
		return claimUnsupported, 0
	}
	var ratio, supported float64
	switch c.kind {
	case claimMultiple:
		m, ok := b.multiple(c.horizon)
		if !ok {
			return claimUnsupported, 0
		}
		ratio, supported = c.mult/m, m
	default:
		d, ok := b.payback()
		if !ok {
			return claimUnsupported, 0
		}
		ratio, supported = d/math.Max(c.days, 1), d
	}
	switch {
	case ratio <= claimTolerance:
		return claimSupported, supported
	case ratio <= claimFarOff:
		return claimOptimistic, supported
	default:
		return claimContradicted, supported
	}
}

// claimBasisOf gathers the basis from the facts: the fee lines (rates
// left out, recurring fees by the year) and every amount in the value
// answer in the fees' currency, generously: all of them added up, by the
// year where the answer says they recur. (The cost of inaction is not
// read: "each day of delay costs €62.000" is no return on the fees.)
func claimBasisOf(t *templates.Template, facts Facts) claimBasis {
	var b claimBasis
	if t == nil {
		return b
	}
	var lines []FeeLine
	for _, f := range t.FieldsWithRole(templates.RoleFees) {
		lines = append(lines, ParseFees(facts.Value(f.ID))...)
	}
	totals := Totals(lines)
	currency := ""
	var named []string
	for i, tot := range totals {
		if i > 0 && tot.Currency != currency {
			return claimBasis{} // two currencies: mixed-currency says so
		}
		currency = tot.Currency
		a := float64(tot.Amount) / 100
		switch normPeriod(tot.Period) {
		case "":
			b.feeOnce += a
		case "week":
			b.feeYear += a * 52
		case "month":
			b.feeYear += a * 12
		case "quarter":
			b.feeYear += a * 4
		case "year":
			b.feeYear += a
		default:
			continue
		}
		tot.Notation = localNotation(t.Words(), tot.Notation, tot.Amount)
		named = append(named, tot.String())
	}
	b.hasFees = b.feeOnce+b.feeYear > 0
	b.fees = strings.Join(named, " + ")
	for _, f := range t.FieldsWithRole(templates.RoleValue) {
		if b.valueField == "" {
			b.valueField = f.ID
		}
		fact, ok := facts[f.ID]
		if !ok || fact.Origin == Assumed {
			continue
		}
		once, year := valueAmounts(fact.Value, currency)
		b.valOnce += once
		b.valYear += year
		if once+year > 0 && b.value == "" {
			b.value = clipText(strings.Join(strings.Fields(fact.Value), " "), 120)
		}
	}
	return b
}

// valueAmounts adds up the amounts in a value answer in the currency (any
// currency when it is ""): those it says recur, by the year; the rest
// once. "€3.8 million", "£2.4m", "2,1 millones de euros" are read whole.
func valueAmounts(text, currency string) (once, perYear float64) {
	text = scanPart(text)
	p := claimRE()
	ms := findMoney(text)
	prevEnd := 0
	for i, m := range ms {
		rest := text[m.numEnd:]
		sc := p.scale.FindStringSubmatchIndex(rest)
		scale, cur, after := 1.0, currencyCode(m.pre+m.post), m.end
		if sc != nil {
			if si := p.scale.SubexpIndex("s"); sc[2*si] >= 0 {
				scale = scaleOf[strings.ToLower(rest[sc[2*si]:sc[2*si+1]])]
				after = max(after, m.numEnd+sc[1])
			}
			if ci := p.scale.SubexpIndex("c"); sc[2*ci] >= 0 && cur == "" {
				w := rest[sc[2*ci]:sc[2*ci+1]]
				if c, ok := currencyWords[strings.ToLower(w)]; ok {
					cur = c
				} else {
					cur = currencyCode(w)
				}
				after = max(after, m.numEnd+sc[1])
			}
		}
		if m.k {
			scale = 1 // the k is in the number already
		}
		if cur == "" || currency != "" && cur != currency || m.badSign {
			prevEnd = after
			continue
		}
		// Digits run into letters ("A4", "2027-03") are no amount; a
		// scale letter ("£2.4m") is part of one.
		if m.pre == "" && gluedBefore(text, m.numStart) || scale == 1 && !m.k && gluedAfter(text, m.numEnd) {
			prevEnd = after
			continue
		}
		a, _, ok := parseNumber(m.num)
		if !ok {
			prevEnd = after
			continue
		}
		amount := float64(a) / 100 * scale
		if m.k {
			amount *= 1000
		}
		// The period the answer gives it: just after it, or just before
		// ("annual savings of"), never across another amount.
		next := len(text)
		if i+1 < len(ms) {
			next = ms[i+1].start
		}
		win := text[after:min(next, after+48)]
		if j := strings.IndexAny(win, ";,:"); j >= 0 {
			win = win[:j]
		}
		if j := strings.Index(win, ". "); j >= 0 {
			win = win[:j]
		}
		before := text[max(prevEnd, m.start-32, 0):m.start]
		if j := strings.LastIndexAny(before, ";:"); j >= 0 {
			before = before[j+1:]
		}
		if j := strings.LastIndex(before, ". "); j >= 0 {
			before = before[j+2:]
		}
		if m.period != "" {
			win = m.period + " " + win
		}
		switch {
		case p.perYear.MatchString(win) || p.perYear.MatchString(before):
			perYear += amount
		case p.perMonth.MatchString(win) || p.perMonth.MatchString(before):
			perYear += amount * 12
		case p.perQtr.MatchString(win) || p.perQtr.MatchString(before):
			perYear += amount * 4
		case p.perWeek.MatchString(win) || p.perWeek.MatchString(before):
			perYear += amount * 52
		default:
			once += amount
		}
		prevEnd = after
	}
	return once, perYear
}

package proposal

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"propose/templates"
)

// The review reads the internal discovery section (never printed) to check
// the proposal against what the buyer said: the options and fees against
// the budget range, the validity and the start against the decision date,
// the value section against the alternatives the client weighs.

func init() {
	registerRule((*ruleRun).budgetRange)
	registerRule((*ruleRun).decisionDate)
	registerRule((*ruleRun).alternatives)
	registerRule((*ruleRun).paymentSchedule)
}

// discoveryRules are the rules whose messages quote the internal discovery
// answers (the budget, the decision date, what the client weighs): they are
// for the consultant and stay out of any model's prompt.
var discoveryRules = map[string]bool{
	"outside-budget": true, "below-budget": true, "no-budget": true,
	"expires-before-decision": true, "starts-before-decision": true,
	"inaction-unanswered": true, "why-us-unanswered": true,
}

func discoveryRule(rule string) bool { return discoveryRules[rule] }

// Budget is the range the buyer indicated, read from the discovery's budget
// answer: Low and High in the currency's cents, High MaxInt64 for "at least".
type Budget struct {
	Low, High Amount
	Currency  string
	// Period is the amounts' recurrence as written ("/ month"); "" one-off.
	Period   string
	Notation Notation
}

var (
	budgetCeilingRE = regexp.MustCompile(`(?i)\b(?:up to|max\w*|at most|no more than|not more than|under|below|less than|ceiling|cap\w*|within|hasta|como máximo|bis zu|höchstens|maximal|jusqu'?à|au plus|até|no máximo|fino a|al massimo|tot|hoogstens|maximaal)\b`)
	budgetFloorRE   = regexp.MustCompile(`(?i)\b(?:at least|from|min\w*|more than|over|above|desde|al menos|ab|mindestens|à partir de|au moins|a partir de|pelo menos|da|almeno|vanaf|minstens)\b`)
)

// ParseBudget reads a budget answer: two amounts give a range ("€40,000 to
// €60,000", "€40k–60k"), one amount a ceiling ("up to £50,000", "about
// £50,000") or, after "at least" or "from", a floor. Amounts without a
// currency take the one written beside the others. ok is false when the
// answer holds no amount with a currency.
func ParseBudget(text string) (Budget, bool) {
	var b Budget
	var amounts []Amount
	for _, m := range findMoney(text) {
		// A match may start at the space before its number ("bis 100.000 €"):
		// what counts is what touches the number or its currency mark.
		start := m.numStart
		if m.pre != "" {
			start = m.start
		}
		if gluedBefore(text, start) || gluedAfter(text, m.end) || m.badSign || (!m.marked() && !m.moneyLike() && b.Currency == "") {
			continue
		}
		l := ParseFeeLine("x: " + strings.Trim(strings.TrimSpace(text[m.start:m.end]), "()-−"))
		if !l.HasAmount {
			continue
		}
		if l.Currency != "" {
			if b.Currency != "" && l.Currency != b.Currency {
				return Budget{}, false // two currencies: no range to compare with
			}
			if b.Currency == "" {
				b.Notation = l.Notation
			}
			b.Currency = l.Currency
		}
		if l.Period != "" {
			b.Period = l.Period
		}
		amounts = append(amounts, max(l.Amount, -l.Amount))
	}
	if b.Currency == "" || len(amounts) == 0 {
		return Budget{}, false
	}
	sort.Slice(amounts, func(i, j int) bool { return amounts[i] < amounts[j] })
	switch {
	case len(amounts) > 1:
		b.Low, b.High = amounts[0], amounts[len(amounts)-1]
	case budgetFloorRE.MatchString(text) && !budgetCeilingRE.MatchString(text):
		b.Low, b.High = amounts[0], Amount(math.MaxInt64)
	default:
		b.High = amounts[0]
	}
	return b, true
}

// String writes the range in its notation: "€40,000–€60,000", "up to
// €50,000", "at least €50,000".
func (b Budget) String() string {
	f := func(a Amount) string {
		s := b.Notation.Format(a)
		if b.Period != "" {
			s += " " + b.Period
		}
		return s
	}
	switch {
	case b.High == Amount(math.MaxInt64):
		return "at least " + f(b.Low)
	case b.Low == 0:
		return "up to " + f(b.High)
	}
	return f(b.Low) + "–" + f(b.High)
}

// perYear brings an amount with a period to a common footing with another:
// a monthly amount is compared with a yearly one at twelve times. ok is
// false when the two cannot be compared (a day rate against a project).
func comparable(a Amount, period, want string) (Amount, bool) {
	p, w := normPeriod(period), normPeriod(want)
	switch {
	case p == w:
		return a, true
	case isMonth(p) && isYear(w):
		return a * 12, true
	case isYear(p) && isMonth(w):
		return a / 12, true
	}
	return 0, false
}

// within reports where an amount falls against the budget: -1 below, 0
// within, 1 above.
func (b Budget) within(a Amount) int {
	switch {
	case a > b.High:
		return 1
	case a < b.Low:
		return -1
	}
	return 0
}

// budgetRange: the options and the fees against the budget range the buyer
// indicated. The fix is the options (offer one within the range) or, in a
// template without options, the fees.
func (r *ruleRun) budgetRange() {
	fields := r.t.FieldsWithRole(templates.RoleBudget)
	if len(fields) == 0 {
		return
	}
	bf := fields[0]
	if !r.facts.Has(bf.ID) {
		if lines, _ := r.feeLines(); len(lines) > 0 {
			r.add("no-budget", Suggestion, bf.ID,
				"The budget range the buyer indicated is not recorded: ask for it, so that the options can be sized to it (it is never printed).")
		}
		return
	}
	b, ok := ParseBudget(r.facts.Value(bf.ID))
	if !ok {
		return
	}
	// The options, each at its price in the budget's terms.
	var opts []string
	inRange := false
	optField := ""
	for _, f := range r.t.FieldsWithRole(templates.RoleOptions) {
		for _, it := range Items(r.facts.Value(f.ID)) {
			l := ParseFeeLine(it)
			if !l.HasAmount || l.Currency != b.Currency {
				continue
			}
			a, ok := comparable(l.Amount, l.Period, b.Period)
			if !ok {
				continue
			}
			optField = f.ID
			name, _, _ := strings.Cut(l.Item, ":")
			opts = append(opts, strings.TrimSpace(name)+" "+r.lineInDoc(l))
			if b.within(a) == 0 {
				inRange = true
			}
		}
	}
	if optField != "" && !inRange {
		r.add("outside-budget", Warning, optField,
			"No option falls within the budget the buyer indicated (%s): %s. Offer one that does, or say in the value section why the difference pays for itself.",
			b.String(), strings.Join(opts, "; "))
	}
	// The fees' total, when there is one.
	lines, _ := r.feeLines()
	totals := Totals(lines)
	if len(totals) != 1 || totals[0].Currency != b.Currency {
		return
	}
	total := totals[0]
	a, ok := comparable(total.Amount, total.Period, b.Period)
	if !ok {
		return
	}
	fees := r.t.FieldsWithRole(templates.RoleFees)[0].ID
	switch b.within(a) {
	case 1:
		if optField != "" && !inRange {
			return // said above, for the options
		}
		r.add("outside-budget", Warning, fees,
			"The fees come to %s, above the budget the buyer indicated (%s): bring them within it, offer an option that fits, or show in the value section why the difference pays for itself.",
			r.totalInDoc(total), b.String())
	case -1:
		r.add("below-budget", Suggestion, fees,
			"The fees come to %s, below the budget the buyer indicated (%s): a fuller option may serve the client better, and is worth offering.",
			r.totalInDoc(total), b.String())
	}
}

var (
	spanRE = regexp.MustCompile(`(?i)\b(\d{1,3})\s*(working |business |werk)?` +
		`(days?|días|dias|tage?n?|jours?|giorni|dagen|dag|weeks?|semanas?|wochen?|semaines?|settimane|settimana|weken|months?|meses|mês|monate?n?|mois|mesi|mese|maanden|maand)\b` +
		`(\s+(?:hábiles|ouvrés|ouvrables|úteis|lavorativi))?`)
	isoDateRE = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

	dayUnits  = []string{"day", "days", "días", "dias", "tag", "tage", "tagen", "jour", "jours", "giorni", "dag", "dagen"}
	weekUnits = []string{"week", "weeks", "semana", "semanas", "woche", "wochen", "semaine", "semaines", "settimana", "settimane", "weken"}
)

// ValidUntil reads when a proposal's validity ends: a date written in it
// ("valid until 28 February 2027"), or a span from the proposal's date
// ("valid for 30 days from its date", in any of the catalogs' languages).
// Working days count as calendar days at seven for five.
func ValidUntil(text string, from time.Time) (time.Time, bool) {
	for _, m := range append(isoDateRE.FindAllString(text, -1), dateInTextRE.FindAllString(text, -1)...) {
		if d, ok := ParseDate(m); ok {
			return lastDayOf(m, d), true
		}
	}
	if d, ok := ParseDate(text); ok {
		return d, true
	}
	m := spanRE.FindStringSubmatch(text)
	if m == nil {
		return time.Time{}, false
	}
	n, _ := strconv.Atoi(m[1])
	unit := strings.ToLower(m[3])
	switch {
	case contains(dayUnits, unit):
		if m[2] != "" || m[4] != "" {
			n = (n*7 + 4) / 5
		}
		return from.AddDate(0, 0, n), true
	case contains(weekUnits, unit):
		return from.AddDate(0, 0, 7*n), true
	}
	return from.AddDate(0, n, 0), true
}

// decisionDate: a proposal that lapses before the client has decided, or
// work that starts before they have, is a proposal to redo.
func (r *ruleRun) decisionDate() {
	fields := r.t.FieldsWithRole(templates.RoleDecisionDate)
	if len(fields) == 0 || !r.stated(fields[0].ID) {
		return
	}
	decide, ok := ParseDate(r.facts.Value(fields[0].ID))
	if !ok {
		return
	}
	if f := r.field(validityField); f != nil {
		text := r.facts.Value(f.ID)
		if !r.facts.Has(f.ID) || r.facts[f.ID].Origin == Default {
			text = f.Default
		}
		if r.facts[f.ID].Origin == Assumed {
			text = f.Assume
		}
		if until, ok := ValidUntil(text, r.proposalDate()); ok && until.Before(decide) {
			r.add("expires-before-decision", Warning, f.ID,
				"The proposal lapses on %s, before the client's decision date (%s): make it valid until at least that date.",
				FormatDate(until), FormatDate(decide))
		}
	}
	for _, f := range r.t.FieldsWithRole(templates.RoleStart) {
		if !r.stated(f.ID) {
			continue
		}
		if start, ok := ParseDate(r.facts.Value(f.ID)); ok && start.Before(decide) {
			r.add("starts-before-decision", Warning, f.ID,
				"The work starts on %s, before the client decides (%s): move the start to after the decision.",
				FormatDate(start), FormatDate(decide))
		}
	}
}

// alternatives: what the client weighs must be answered in the document: a
// client weighing doing nothing needs the cost of inaction; one weighing
// their own people or another firm needs to read why this firm.
func (r *ruleRun) alternatives() {
	weighs := map[string]string{}
	for _, f := range r.t.FieldsWithRole(templates.RoleAlternatives) {
		for k, v := range r.t.Weighs(r.facts.Value(f.ID)) {
			weighs[k] = v
		}
	}
	unanswered := func(role string) *templates.Field {
		for _, f := range r.t.FieldsWithRole(role) {
			if !r.facts.Has(f.ID) && !r.missing[f.ID] {
				return f
			}
		}
		return nil
	}
	if f := unanswered(templates.RoleInaction); f != nil {
		if weighs[templates.WeighsInaction] != "" {
			r.add("inaction-unanswered", Warning, f.ID,
				"The client is weighing doing nothing, and the proposal does not say what that costs them: state the cost of inaction in their numbers.")
		} else {
			r.add("no-cost-of-inaction", Suggestion, f.ID,
				"Nothing says what doing nothing would cost the client: a cost of inaction in their own numbers makes delay look expensive.")
		}
	}
	if f := unanswered(templates.RoleWhyUs); f != nil && (weighs[templates.WeighsInHouse] != "" || weighs[templates.WeighsFirm] != "") {
		who := "another firm"
		if weighs[templates.WeighsFirm] == "" {
			who = "doing the work with their own people"
		}
		r.add("why-us-unanswered", Warning, f.ID,
			"The client is weighing %s, and the proposal does not say why they should choose you: answer it in their terms.", who)
	}
}

// paymentSchedule: the payment lines share out the whole fee, each with a
// share, so the amounts the program computes add up to the total.
func (r *ruleRun) paymentSchedule() {
	for _, f := range r.t.FieldsWithRole(templates.RolePayments) {
		if !r.facts.Has(f.ID) {
			// Terms that say when the fee is invoiced ("50% on signature")
			// stand in for a schedule; terms that only say how fast invoices
			// are paid do not.
			terms := r.field(PaymentTermsField)
			if terms != nil && r.facts.Has(terms.ID) && len(ParsePaymentTerms(r.facts.Value(terms.ID)).Shares) == 0 {
				if lines, _ := r.feeLines(); len(Totals(lines)) == 1 && Totals(lines)[0].Period == "" {
					r.add("no-payment-schedule", Warning, f.ID,
						"Nothing says when the fees are invoiced: list the payments, one a line as \"milestone: share\", each tied to the milestone or deliverable it follows.")
				}
			}
			continue
		}
		if !r.stated(f.ID) {
			continue
		}
		var sum int64
		for _, it := range Items(r.facts.Value(f.ID)) {
			pct, ok := lineShare(f, it)
			if !ok {
				r.add("payment-without-share", Warning, f.ID,
					"The payment %q has no share of the fee: write it as \"milestone: 30%%\".", it)
				continue
			}
			sum += pct
		}
		// The schedule is a commitment on figures: its computed amounts
		// print beside the fee table, so a schedule that does not add up
		// to the fee contradicts it, over or under.
		switch {
		case sum == 0 || sum == 10000:
		case sum > 10000:
			r.add("payment-schedule-sum", Blocker, f.ID,
				"The payment schedule invoices %s of the fee, more than the fee total: make the shares add up to 100%%.", percent(sum))
		default:
			r.add("payment-schedule-sum", Blocker, f.ID,
				"The payment schedule invoices only %s of the fee, so its total falls short of the fee total: add a payment for the remaining %s, tied to the milestone it follows, or correct the shares to add up to 100%%.", percent(sum), percent(10000-sum))
		}
	}
}

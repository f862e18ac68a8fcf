package proposal

import (
	"regexp"
	"sort"
	"strings"
	"sync"

	"propose/templates"
)

func init() {
	registerRule((*ruleRun).ratesWithoutEstimate)
	registerRule((*ruleRun).feesNotRecommendedOption)
	registerRule((*ruleRun).feesOverApprovalLimit)
}

// ratesWithoutEstimate: time and materials priced by rates alone ("Partner:
// €1.800 a day") gives the buyer nothing to approve. Rates are never added
// up, so an estimate or a cap has to be a line of its own, with an amount.
func (r *ruleRun) ratesWithoutEstimate() {
	if !r.timeAndMaterials() {
		return
	}
	lines, fields := r.feeLines()
	rates, field := 0, ""
	for i, l := range lines {
		if !l.HasAmount {
			continue
		}
		if !isRate(l.Period) {
			return // an amount that adds up: an estimate, a cap or a fixed part
		}
		if field == "" {
			field = fields[i]
		}
		rates++
	}
	if rates == 0 {
		return
	}
	r.add("rates-without-estimate", Warning, field,
		"The fees are time and materials with rates only, so the client cannot see what the work will cost: add an estimate or a cap as a line of its own (\"Estimated total: %s\" or \"Cap: %s\").",
		feeExample(lines), feeExample(lines))
}

// timeAndMaterials reports whether a choice field that offers time and
// materials is answered so (a capped variant included: its cap still has
// to be written down).
func (r *ruleRun) timeAndMaterials() bool {
	for _, s := range r.t.Sections {
		for i := range s.Fields {
			f := &s.Fields[i]
			if f.Kind != templates.KindChoice || !r.facts.Has(f.ID) {
				continue
			}
			offers := false
			for _, c := range f.Choices {
				offers = offers || strings.Contains(strings.ToLower(c), "time and materials")
			}
			if offers && strings.Contains(strings.ToLower(r.facts.Value(f.ID)), "time and materials") {
				return true
			}
		}
	}
	return false
}

// feesNotRecommendedOption: the fees add up to one option's price while
// another is marked recommended. The text then says the fees are for the
// option they add up to, which is not the one recommended: one of the two
// answers is stale. (Fees that match no option are option-mismatch.)
func (r *ruleRun) feesNotRecommendedOption() {
	fees := r.t.FieldsWithRole(templates.RoleFees)
	if len(fees) == 0 {
		return
	}
	recommended := ""
	for _, f := range r.t.FieldsWithRole(templates.RoleOptions) {
		if r.stated(f.ID) && recommended == "" {
			recommended = RecommendedOption(f, r.facts.Value(f.ID))
		}
	}
	matched := FeesOption(r.t, r.facts)
	if recommended == "" || matched == "" || matched == recommended {
		return
	}
	r.add("fees-not-recommended-option", Warning, fees[0].ID,
		"The fees add up to the price of %s, but %s is marked recommended: give the fees of the %s you recommend, or move the mark.",
		matched, recommended, r.optionWord())
}

// overRE finds the words that put an approval limit before an amount ("the
// CFO approves anything over $30,000"), in every built-in language.
var overRE = sync.OnceValue(func() *regexp.Regexp {
	var words []string
	seen := map[string]bool{}
	for _, c := range templates.BuiltinLanguages().List() {
		for _, w := range strings.Split(c.Word("units.over"), ",") {
			if w = strings.ToLower(strings.TrimSpace(w)); w != "" && !seen[w] {
				seen[w] = true
				words = append(words, regexp.QuoteMeta(w))
			}
		}
	}
	sort.Slice(words, func(i, j int) bool { return len(words[i]) > len(words[j]) })
	return regexp.MustCompile(`(?i)(?:^|[^\pL])(?:` + strings.Join(words, "|") + `)\s*$`)
})

// feesOverApprovalLimit: the discovery notes say amounts over a limit need
// another approval, and the fees go over it. The notes are never printed;
// the finding names only the two figures.
func (r *ruleRun) feesOverApprovalLimit() {
	total, ok := FeeTotal(r.t, r.facts)
	fees := r.t.FieldsWithRole(templates.RoleFees)
	if !ok || len(fees) == 0 {
		return
	}
	for _, s := range r.t.Sections {
		if !s.Internal {
			continue
		}
		for _, f := range s.Fields {
			if !r.stated(f.ID) {
				continue
			}
			text := r.facts.Value(f.ID)
			for _, m := range findMoney(text) {
				if !m.marked() || !overRE().MatchString(text[:m.start]) {
					continue
				}
				l := ParseFeeLine("x: " + strings.TrimSpace(text[m.start:m.end]))
				if !l.HasAmount || l.Period != "" || l.Currency != total.Currency || total.Amount <= l.Amount {
					continue
				}
				l.Notation = total.Notation
				r.add("fees-over-approval-limit", Warning, fees[0].ID,
					"The fees total %s, over the %s your discovery notes say needs another approval: make sure that approver is part of the decision, or offer an option within the limit.",
					r.totalInDoc(total), r.inDoc(l.Notation, l.Amount))
				return
			}
		}
	}
}

package proposal

import (
	"strings"

	"propose/templates"
)

func init() {
	registerRule((*ruleRun).ratesWithoutEstimate)
	registerRule((*ruleRun).feesNotRecommendedOption)
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
		"The fees add up to the price of %s, but %s is marked recommended: give the fees of the option you recommend, or move the mark.",
		matched, recommended)
}

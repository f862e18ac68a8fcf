package proposal

import (
	"strings"

	"propose/templates"
)

func init() { registerRule((*ruleRun).ratesWithoutEstimate) }

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

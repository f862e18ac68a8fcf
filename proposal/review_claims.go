package proposal

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// RuleValueClaim is the rule id for a multiple or a payback ("eight times
// the investment", "pays for itself in four months") that the fees and the
// value answer do not support.
const RuleValueClaim = "value-claim"

func init() { registerRule((*ruleRun).valueClaims) }

// valueClaims: a claim an answer makes is checked against the fees and the
// value answer. A claim they support passes, however conservative. One a
// little beyond them (up to half as much again) is a warning; one far
// beyond them is a blocker: the client can check it against the figures on
// the next page, and a partner would not send it. A claim with nothing to
// check it against leads to the value question. A claim a model wrote that
// the answers do not support never reaches the document (the section keeps
// its standard wording: Assemble); the review says so, once per section.
func (r *ruleRun) valueClaims() {
	basis := claimBasisOf(r.t, r.facts)
	if !basis.hasFees {
		return // no-fees and fee-unparsed say what to do first
	}
	valueField := basis.valueField
	for _, s := range r.t.Sections {
		if s.Internal {
			continue // the consultant's own notes are never printed
		}
		for i := range s.Fields {
			f := &s.Fields[i]
			if !r.stated(f.ID) {
				continue
			}
			for _, c := range findClaims(r.facts.Value(f.ID)) {
				r.claimFinding(basis, c, f.ID, label(f)+" says", valueField)
			}
		}
	}
	// The model's claims the answers do not support: the section fell back.
	for _, ds := range r.draft.Sections {
		if !strings.HasPrefix(ds.Fallback, ReasonFigures) {
			continue
		}
		title := ds.Title
		if _, ts := sectionOf(r.t, ds.ID); ts != nil {
			title = ts.Title
		}
		for _, c := range findClaims(ds.Fallback) {
			r.claimFinding(basis, c, valueField, "The model wrote in the "+title+" section", valueField)
			break // one finding a section: the fix is the same
		}
	}
}

// claimFinding adds the finding a claim calls for, if any. who says where
// the claim was made ("Why us says", "The model wrote in the Value
// section"); a claim by the model leads to the value question whatever its
// verdict, since the model's text is not the consultant's to correct.
func (r *ruleRun) claimFinding(b claimBasis, c valueClaim, field, who, valueField string) {
	byModel := strings.HasPrefix(who, "The model")
	verdict, supported := b.judge(c)
	if verdict == claimSupported {
		return
	}
	if valueField == "" {
		valueField = field
	}
	tail := ""
	if byModel {
		tail = " Until then that section uses the standard wording, not the model's."
	}
	switch verdict {
	case claimUnsupported:
		what := "the value answer gives no amount in the fees' currency to check it against: write what the outcome is worth in money"
		if c.kind == claimPayback && b.valOnce > 0 {
			what = "the value answer gives no amount per year or per month, so no payback can be checked: say what the outcome is worth per year"
		}
		end := ", or take the claim out"
		if byModel {
			end = ", and redraft the section"
		}
		r.add(RuleValueClaim, Warning, valueField, "%s %q, but %s%s.%s", who, c.text, what, end, tail)
	default:
		sev := Warning
		if verdict == claimContradicted && !byModel {
			sev = Blocker
		}
		fix := "correct the claim, or the value if it is understated"
		if byModel {
			field = valueField
			fix = "if the value is understated, correct it and redraft the section"
		}
		r.add(RuleValueClaim, sev, field, "%s %q, but the fees (%s) and the value (%q) support %s: %s.%s",
			who, c.text, b.fees, b.value, supportedText(c, supported), fix, tail)
	}
}

// supportedText says what the answers support: "about 8 times the fees in
// a year", "a payback of about 1.5 months", "no payback: the value per year
// is less than the fees".
func supportedText(c valueClaim, supported float64) string {
	if c.kind == claimMultiple {
		over := "in a year"
		if c.horizon > 0 {
			over = "over " + roundText(c.horizon/daysPerYear) + " years"
			if c.horizon < daysPerYear {
				over = "over " + roundText(c.horizon/daysPerMonth) + " months"
			}
		}
		return fmt.Sprintf("about %s times the fees %s", roundText(supported), over)
	}
	switch {
	case math.IsInf(supported, 1):
		return "no payback at all: the value per year is less than the fees"
	case supported < daysPerMonth:
		return fmt.Sprintf("a payback of about %s weeks", roundText(supported/7))
	default:
		return fmt.Sprintf("a payback of about %s months", roundText(supported/daysPerMonth))
	}
}

// roundText writes a figure for a message: one decimal below 10, whole
// above.
func roundText(v float64) string {
	if v >= 10 {
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

package interview

import (
	"fmt"
	"slices"
	"strings"

	"propose/llm"
	"propose/proposal"
	"propose/templates"
)

// computedWith reports whether the code computes with a field: fee, option
// and milestone lines, dates, payment terms, measures, tables. Such a
// field's fact is what the consultant typed; the model may only rewrite it
// when every line and every amount survives (keepsFigures).
func computedWith(f *templates.Field) bool {
	if f == nil {
		return false
	}
	switch {
	case f.Kind == templates.KindMoneyList, f.Kind == templates.KindDate,
		f.Kind == templates.KindList && len(f.Columns) > 0,
		f.HasRole(templates.RoleFees), f.HasRole(templates.RoleOptions), f.HasRole(templates.RoleMilestones),
		f.HasRole(templates.RoleStart), f.HasRole(templates.RoleDate), f.HasRole(templates.RoleMeasure),
		strings.Contains(f.ID, "payment"):
		return true
	}
	return false
}

// keepsFigures reports whether rewritten keeps every line and every amount
// of typed: for a money list, the same (item, amount) pairs, one for one, so
// a swapped or dropped fee line fails; for anything else, the same numbers
// as often and at least as many lines.
func keepsFigures(f *templates.Field, typed, rewritten string) bool {
	if f.Kind == templates.KindMoneyList {
		return slices.Equal(feePairs(typed), feePairs(rewritten))
	}
	a, b := digitRuns(typed), digitRuns(rewritten)
	slices.Sort(a)
	slices.Sort(b)
	if !slices.Equal(a, b) {
		return false
	}
	if f.Kind == templates.KindList {
		return len(proposal.Items(rewritten)) >= len(proposal.Items(typed))
	}
	return true
}

// feePairs lists a money answer's lines as "item=amount currency period",
// sorted, for comparing two versions of it.
func feePairs(value string) []string {
	var out []string
	for _, l := range proposal.ParseFees(value) {
		item := strings.ToLower(strings.Join(strings.Fields(l.Item), " "))
		amount := "none"
		if l.HasAmount {
			amount = fmt.Sprintf("%d %s %s", l.Amount, l.Currency, strings.ToLower(l.Period))
		}
		out = append(out, item+"="+amount)
	}
	slices.Sort(out)
	return out
}

// guardFact decides what is recorded for a fact the model extracted: value
// as it came, the consultant's own text, or nothing (ok false). notice, when
// set, tells the consultant what was kept and why.
func (iv *LLMInterviewer) guardFact(tn *absorbTurn, tf *templates.Field, value string) (kept string, ok bool, notice string) {
	asked := tf.ID == tn.field.ID
	limit := 0
	if iv != nil {
		limit = iv.MaxFactBytes
	}
	if limit <= 0 {
		limit = llm.DefaultFactBytes
	}
	typed := ""
	if asked {
		typed = tn.answer
	} else if old, has := tn.st.Facts[tf.ID]; has {
		typed = old.Value
	}
	if len(value) > limit {
		msg := fmt.Sprintf("The model's version of %s was over %s, so it was not used", label(tf), kb(limit))
		if asked {
			return normalise(tf, typed), true, msg + "; your answer is kept as typed."
		}
		return "", false, msg + "."
	}
	if !computedWith(tf) || strings.TrimSpace(typed) == "" || keepsFigures(tf, typed, value) {
		return value, true, ""
	}
	if asked {
		return normalise(tf, typed), true, fmt.Sprintf("Kept %s as you typed it: the model's version changed a line or an amount.", label(tf))
	}
	return "", false, fmt.Sprintf("Kept %s as recorded: the model's rewrite changed a line or an amount.", label(tf))
}

func label(f *templates.Field) string {
	if f.Label != "" {
		return f.Label
	}
	return f.ID
}

func kb(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", max(n>>10, 1))
}

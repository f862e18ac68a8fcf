package interview

import (
	"context"
	"testing"
	"time"

	"propose/proposal"
	"propose/templates"
)

// TestDiscoveryFindingsLeadToTheirQuestion: a budget the options miss and a
// decision after the proposal lapses are findings; each opens the question
// that fixes it, and answering that question clears it.
func TestDiscoveryFindingsLeadToTheirQuestion(t *testing.T) {
	set, errs := templates.Load("")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tm, _ := set.Get("consulting")
	a, err := LoadAnswers("../examples/acme-operations.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a.Values["budget"] = "€15.000 to €20.000"
	a.Values["decision_date"] = "2027-02-26"
	a.Values["start"] = "2027-03-01"
	a.Values["milestones"] = "2027-03-26: Diagnostic presented to the COO\n2027-05-07: Redesign signed off"
	now := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)
	e := Open(tm, NewSession(tm, now), Config{Now: func() time.Time { return now }})
	defer e.Close()
	if err := e.RecordAnswers(a); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	find := func(rule string) *proposal.Finding {
		t.Helper()
		if err := e.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		fs, err := e.Review(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := range fs {
			if fs[i].Rule == rule {
				return &fs[i]
			}
		}
		return nil
	}
	for _, c := range []struct {
		rule, field, answer string
	}{
		// No option fits: the options are the question.
		{"outside-budget", "options", "Diagnose only: findings and a costed plan: €18.000\nDiagnose and redesign: the new process: €52.000"},
		// One option fits now, but the fees (the recommended option) do
		// not: the fees are the question.
		{"outside-budget", "fees", "Diagnose: €18.000"},
		{"expires-before-decision", "validity", "This proposal is valid until 31 March 2027."},
	} {
		f := find(c.rule)
		if f == nil {
			t.Fatalf("no %s finding", c.rule)
		}
		if err := e.Edit(f.Field); err != nil {
			t.Fatal(err)
		}
		if q := e.View().Question; q == nil || q.Field != c.field {
			t.Fatalf("%s opens %q, want %q", c.rule, q.Field, c.field)
		}
		if err := e.Answer(ctx, c.answer); err != nil {
			t.Fatal(err)
		}
		if f := find(c.rule); f != nil && f.Field == c.field {
			t.Errorf("after answering %s, still: %s", c.field, f.Message)
		}
	}
	if f := find("outside-budget"); f != nil {
		t.Errorf("the budget finding stayed: %s", f.Message)
	}
}

// TestBudgetWithoutCurrencyFollowUp: a budget the review cannot read (no
// currency) gets one follow-up asking for it; a readable one, or "not
// discussed", none.
func TestBudgetWithoutCurrencyFollowUp(t *testing.T) {
	set, errs := templates.Load("")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tm, _ := set.Get("consulting")
	_, f := tm.Field("budget")
	for value, want := range map[string]bool{"40 to 60 thousand": true, "€40,000 to €60,000": false, "not discussed yet": false} {
		if q := followUp(tm, f, value); (q != nil) != want {
			t.Errorf("%q: follow-up %+v, want one: %v", value, q, want)
		}
	}
}

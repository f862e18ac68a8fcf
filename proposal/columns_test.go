package proposal

import (
	"strings"
	"testing"

	"propose/templates"
)

func builtin(t *testing.T, id string) *templates.Template {
	t.Helper()
	set, errs := templates.Load(t.TempDir())
	if len(errs) > 0 {
		t.Fatalf("templates: %v", errs)
	}
	tm, ok := set.Get(id)
	if !ok {
		t.Fatalf("no %s template", id)
	}
	return tm
}

func stated(pairs ...string) Facts {
	f := Facts{}
	for i := 0; i+1 < len(pairs); i += 2 {
		f[pairs[i]] = Fact{Field: pairs[i], Value: pairs[i+1], Origin: Stated, Turn: 1}
	}
	return f
}

// TestAgendaTimesStayWhole: the workshop template's own agenda format,
// "09:30: Welcome", gives the time 09:30 and the session, not "09" and
// "30: Welcome".
func TestAgendaTimesStayWhole(t *testing.T) {
	tm := builtin(t, "workshop")
	_, f := tm.Field("agenda")
	got := RenderFieldIn(tm, f, stated("agenda", "09:30: Welcome and objectives\n10:15:The GROW model: practice in threes\n12:30 – 13:15: Lunch"), today)
	for _, row := range []string{"| 09:30 | Welcome and objectives |", "| 10:15 | The GROW model: practice in threes |", "| 12:30 – 13:15 | Lunch |"} {
		if !strings.Contains(got, row) {
			t.Errorf("agenda lacks the row %q:\n%s", row, got)
		}
	}
}

// TestOnlyMoneyColumnsAlignRight: text columns whose every cell holds a
// digit stay left-aligned; the options' investment column aligns right.
func TestOnlyMoneyColumnsAlignRight(t *testing.T) {
	sow := builtin(t, "sow")
	_, deliverables := sow.Field("deliverables")
	got := RenderFieldIn(sow, deliverables, stated("deliverables", "Report v2: 3 workshops held by week 6\nDashboard 1: 12 KPIs live\nPlaybook 3: 40 pages signed off"), today)
	if !strings.Contains(got, "\n|---|---|\n") {
		t.Errorf("digit-bearing text columns are aligned:\n%s", got)
	}
	consulting := builtin(t, "consulting")
	_, options := consulting.Field("options")
	got = RenderFieldIn(consulting, options, stated("options", "Lean: 2 plants, 3 weeks: €24.000\nFull: 5 plants: €52.000"), today)
	if !strings.Contains(got, "\n|---|---|---:|\n") {
		t.Errorf("only the investment column should align right:\n%s", got)
	}
	_, milestones := consulting.Field("milestones")
	got = RenderFieldIn(consulting, milestones, stated("milestones", "2027-04-09: Redesign signed off\nEnd of Q2: Handover"), today)
	if !strings.Contains(got, "| 9 April 2027 | Redesign signed off |") || !strings.Contains(got, "| End of Q2 | Handover |") || !strings.Contains(got, "\n|---|---|\n") {
		t.Errorf("a date column writes dates the proposal's way and keeps other text:\n%s", got)
	}
}

// TestSplitIsTheTemplates: a field that splits its lines at " | " keeps
// colons inside its cells.
func TestSplitIsTheTemplates(t *testing.T) {
	f := &templates.Field{ID: "steps", Kind: templates.KindList, Columns: []string{"Step", "Note"}, Split: "|"}
	if got := SplitCells(f, "Kick-off: 2 hours | Agenda: see annex"); got[0] != "Kick-off: 2 hours" || got[1] != "Agenda: see annex" {
		t.Errorf("cells = %q", got)
	}
	if got := SplitColumns("Option A: 3:1 ratio: €5.000", 3); got[0] != "Option A" || got[1] != "3:1 ratio" || got[2] != "€5.000" {
		t.Errorf("cells = %q", got)
	}
}

// TestNameEndingInFullStop: no drafted sentence of a built-in template, in
// English or Spanish, doubles the full stop of "S.L.".
func TestNameEndingInFullStop(t *testing.T) {
	for _, lang := range []string{"en", "es"} {
		tm := consulting(t).In(lang)
		facts := completeFacts()
		facts["client"] = Fact{Field: "client", Value: "Ejemplo Logística S.L.", Origin: Stated, Turn: 1}
		md := Markdown(CoverOf(tm, facts, today), draftAll(t, tm, facts))
		if strings.Contains(md, "S.L..") {
			t.Errorf("%s: doubled full stop:\n%s", lang, md)
		}
		if !strings.Contains(md, "S.L.") {
			t.Errorf("%s: the name is gone:\n%s", lang, md)
		}
	}
}

// TestAmountGoesToTheMoneyColumn: an option typed as "Name: amount" (no
// scope) puts its amount under Investment, not under Scope, and a scope
// with no amount stays under Scope.
func TestAmountGoesToTheMoneyColumn(t *testing.T) {
	consulting := builtin(t, "consulting")
	_, options := consulting.Field("options")
	got := RenderFieldIn(consulting, options, stated("options", "Diagnose only: £24,000\nDiagnose and redesign: 2 plants, 3 workshops: £52,000\nPilot: one plant"), today)
	for _, row := range []string{"| Diagnose only |  | £24,000 |", "| Diagnose and redesign | 2 plants, 3 workshops | £52,000 |", "| Pilot | one plant |  |"} {
		if !strings.Contains(got, row) {
			t.Errorf("options lack the row %q:\n%s", row, got)
		}
	}
}

// TestScopeWithAFigureStaysScope: a scope that names a sum among other
// words is not taken for the price.
func TestScopeWithAFigureStaysScope(t *testing.T) {
	consulting := builtin(t, "consulting")
	_, options := consulting.Field("options")
	got := RenderFieldIn(consulting, options, stated("options", "Lean: savings of £40,000 a year targeted\nRetainer: £4,000 / month"), today)
	for _, row := range []string{"| Lean | savings of £40,000 a year targeted |  |", "| Retainer |  | £4,000 / month |"} {
		if !strings.Contains(got, row) {
			t.Errorf("options lack the row %q:\n%s", row, got)
		}
	}
}

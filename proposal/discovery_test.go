package proposal

import (
	"context"
	"strings"
	"testing"
	"time"

	"propose/llm/llmtest"
	"propose/proposal/pdf/pdftest"
	"propose/templates"
)

// secretFacts is a complete consulting proposal whose internal discovery
// answers carry words found nowhere else, and a budget the options miss, so
// the discovery findings fire and quote it.
func secretFacts() (Facts, []string) {
	facts := completeFacts()
	secrets := map[string]string{
		"decision_makers":   "Zebulon Quist approves; the Marmalade Committee must agree",
		"budget":            "€11.111 to €22.222",
		"alternatives":      "Doing nothing\nHiring Quillfeather Partners",
		"previous_attempts": "The Bramblewick project failed in 2025",
		"stakeholders":      "Ophelia Snodgrass, treasury: fewer overdrafts",
	}
	for k, v := range secrets {
		facts[k] = Fact{Field: k, Value: v, Origin: Stated}
	}
	return facts, []string{"Zebulon", "Marmalade", "Quillfeather", "Bramblewick", "Snodgrass", "11.111", "22.222"}
}

func leaks(text string, secrets []string) []string {
	var out []string
	for _, s := range secrets {
		if strings.Contains(text, s) {
			out = append(out, s)
		}
	}
	return out
}

// TestInternalSectionNeverPrinted: the discovery answers reach neither the
// Markdown nor the PDF, while the review uses them.
func TestInternalSectionNeverPrinted(t *testing.T) {
	tm := consulting(t)
	facts, secrets := secretFacts()
	d, _ := Assemble(tm, facts, today, draftAll(t, tm, facts), "offline")
	c := CoverOf(tm, facts, today)
	md := Markdown(c, d)
	if l := leaks(md, secrets); len(l) > 0 {
		t.Errorf("the Markdown holds discovery answers %q:\n%s", l, md)
	}
	if strings.Contains(md, tm.Section("discovery").Title) {
		t.Errorf("the Markdown has the discovery heading:\n%s", md)
	}
	data, err := Render(Format{ID: "pdf"}, c, d, RenderOptions{Now: func() time.Time { return today }})
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdftest.Text(data)
	if err != nil {
		t.Fatal(err)
	}
	if l := leaks(text, secrets); len(l) > 0 {
		t.Errorf("the PDF holds discovery answers %q", l)
	}
	// The review reads them all the same.
	fs := review(t, tm, facts)
	found := false
	for _, f := range fs {
		found = found || (f.Rule == "outside-budget" && strings.Contains(f.Message, "€11.111–€22.222"))
	}
	if !found {
		t.Errorf("no outside-budget finding quoting the range: %+v", fs)
	}
}

// TestInternalSectionNeverSentToModels: a model drafting every section,
// and a model reviewing the draft, get none of the discovery answers, nor
// the findings that quote them.
func TestInternalSectionNeverSentToModels(t *testing.T) {
	tm := consulting(t)
	facts, secrets := secretFacts()
	srv := llmtest.New(t)
	srv.Otherwise(llmtest.Reply("We will work closely with the client."))
	d := &LLMDrafter{Client: testClient(t, srv), Now: func() time.Time { return today }}
	values := FieldValues(tm, facts, today)
	for i := range tm.Sections {
		s := &tm.Sections[i]
		body, err := d.DraftSection(context.Background(), DraftRequest{Template: tm, Section: s, Facts: facts, Values: values, Today: today}, nil)
		if err != nil {
			t.Fatalf("%s: %v", s.ID, err)
		}
		if s.Internal && body != "" {
			t.Errorf("the internal section was drafted: %q", body)
		}
	}
	n := srv.RequestCount()
	if n == 0 {
		t.Fatal("no section was sent to the model")
	}
	rs := llmtest.New(t)
	rs.Script(llmtest.JSON(map[string]any{"findings": []map[string]any{}}))
	r := &LLMReviewer{Client: testClient(t, rs), Now: func() time.Time { return today }}
	if _, err := r.Review(context.Background(), ReviewRequest{Template: tm, Facts: facts, Draft: draftAll(t, tm, facts), Today: today}); err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for i := 0; i < n; i++ {
		bodies = append(bodies, string(srv.Request(i).Body))
	}
	bodies = append(bodies, string(rs.Request(0).Body))
	for i, body := range bodies {
		if l := leaks(body, secrets); len(l) > 0 {
			t.Errorf("request %d holds discovery answers %q", i, l)
		}
		for _, id := range []string{"decision_makers", "previous_attempts", "outside-budget"} {
			if strings.Contains(body, id) {
				t.Errorf("request %d names %q", i, id)
			}
		}
	}
}

// TestInternalSectionLoader: the loader refuses what would print an
// internal answer, and a user's template may have an internal section.
func TestInternalSectionLoader(t *testing.T) {
	base := `id: mine
name: Mine
sections:
  - id: notes
    title: Notes
    internal: true
    fields:
      - id: budget
        kind: text
        roles: [budget]
        question: What budget did the buyer indicate?
%s
  - id: fees
    title: Fees
    fields:
      - id: fees
        kind: money-list
        roles: [fees]
        question: What are the fees?
%s
    draft: |-
      %s
`
	cases := []struct{ notesDraft, feeField, feesDraft, want string }{
		{"", "", "{{.fees}}", ""},
		{`    draft: "{{.budget}}"`, "", "{{.fees}}", "internal: it is never printed"},
		{"", "", "{{.fees}} within {{.budget}}", `uses .budget, a field of the internal section "notes"`},
		{"", "      - id: decide\n        kind: date\n        roles: [decision-date]\n        question: When?", "{{.fees}}", "for the consultant only"},
	}
	for _, c := range cases {
		tm, err := templates.Parse("mine.yaml", []byte(strings.Replace(strings.Replace(strings.Replace(base, "%s", c.notesDraft, 1), "%s", c.feeField, 1), "%s", c.feesDraft, 1)))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("a template with an internal section was refused: %v", err)
		case c.want == "" && (!tm.Section("notes").Internal || !tm.Internal("budget")):
			t.Error("the notes section is not internal")
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("got %v, want an error saying %q", err, c.want)
		}
	}
	// An internal section last: the acceptance ends the last printed one.
	last := "id: mine\nname: Mine\nsections:\n" +
		"  - id: fees\n    title: Fees\n    fields:\n      - id: client\n        kind: text\n        roles: [client]\n        question: Client?\n    draft: \"{{.client}}\"\n" +
		"  - id: notes\n    title: Notes\n    internal: true\n    fields:\n      - id: budget\n        kind: text\n        roles: [budget]\n        question: Budget?\n"
	tm, err := templates.Parse("last.yaml", []byte(last))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tm.Section("fees").Draft, "_____") || strings.Contains(tm.Section("notes").Draft, "_____") {
		t.Errorf("the acceptance is not at the end of the last printed section: fees %q, notes %q", tm.Section("fees").Draft, tm.Section("notes").Draft)
	}
}

// TestPaymentScheduleFromMilestones: each payment line names its
// milestone, and its amount is the fees' total times its share, in the fee
// lines' notation, the amounts adding up to the total exactly.
func TestPaymentScheduleFromMilestones(t *testing.T) {
	tm := consulting(t)
	facts := completeFacts()
	facts["fees"] = Fact{Field: "fees", Value: "Diagnose: €33.333,33\nRedesign: €66.666,68", Origin: Stated}
	facts["options"] = Fact{Field: "options", Value: "Lean: findings: €50.000\nAll: everything: €100.000,01", Origin: Stated}
	facts["budget"] = Fact{Field: "budget", Value: "€80.000 to €120.000", Origin: Stated}
	facts["payment_schedule"] = Fact{Field: "payment_schedule", Value: "Signature of this proposal: 33%\nDiagnostic presented: 33%\nRedesign signed off: 34%", Origin: Stated}
	_, f := tm.Field("payment_schedule")
	items := Items(facts.Value("payment_schedule"))
	amounts, has, total, ok := PaymentAmounts(tm, f, facts, items)
	if !ok || total.Amount != 10000001 {
		t.Fatalf("total %v ok %v", total, ok)
	}
	var sum Amount
	for i, a := range amounts {
		if !has[i] {
			t.Errorf("line %d has no amount", i)
		}
		sum += a
	}
	if sum != total.Amount {
		t.Errorf("the amounts %v add up to %d, not the total %d", amounts, sum, total.Amount)
	}
	got := RenderFieldIn(tm, f, facts, today)
	for _, want := range []string{
		"| Milestone | Share | Amount |",
		"| Signature of this proposal | 33% | €33,000.00 |", // typed continental: printed the English way
		"| Diagnostic presented | 33% | €33,000.00 |",
		"| Redesign signed off | 34% | €34,000.01 |",
		"| **Total** |  | **€100,000.01** |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the schedule lacks %q:\n%s", want, got)
		}
	}
	if fs := review(t, tm, facts); len(fs) != 0 {
		t.Errorf("a schedule that adds up raised findings: %+v", fs)
	}
	// In Spanish, the amount column's heading is the catalog's.
	es := tm.In("es")
	_, fes := es.Field("payment_schedule")
	if got := RenderFieldIn(es, fes, facts, today); !strings.Contains(got, "| Hito | Porcentaje | Importe |") {
		t.Errorf("Spanish schedule:\n%s", got)
	}
}

// TestRetainerAnnualTotal: a monthly fee gets its yearly total, twelve
// times the month, computed by the program.
func TestRetainerAnnualTotal(t *testing.T) {
	set, errs := templates.Load("")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tm, _ := set.Get("retainer")
	_, f := tm.Field("fees")
	for _, c := range []struct{ fees, want string }{
		{"Retainer, Adviser level: £6,500 / month", "| **Per year (12 months)** | **£78,000** |"},
		{"Retainer: €4.250,50 per month\nBoard meetings: €1.000 per month", "| **Per year (12 months)** | **€63,006.00** |"}, // English marks
	} {
		facts := Facts{"fees": {Field: "fees", Value: c.fees, Origin: Stated}}
		if got := RenderFieldIn(tm, f, facts, today); !strings.Contains(got, c.want) {
			t.Errorf("%q: the fees lack %q:\n%s", c.fees, c.want, got)
		}
	}
	facts := Facts{"fees": {Field: "fees", Value: "Set-up: £2,000\nRetainer: £6,500 / month", Origin: Stated}}
	if got := RenderFieldIn(tm, f, facts, today); strings.Contains(got, "12 months") {
		t.Errorf("a one-off fee beside the monthly one got a yearly total:\n%s", got)
	}
	es := tm.In("es")
	_, fes := es.Field("fees")
	facts = Facts{"fees": {Field: "fees", Value: "Iguala: 6.500 € / month", Origin: Stated}}
	if got := RenderFieldIn(es, fes, facts, today); !strings.Contains(got, "Al año (12 meses)") {
		t.Errorf("Spanish yearly total:\n%s", got)
	}
}

// TestValidUntil reads validity periods in the catalogs' languages.
func TestValidUntil(t *testing.T) {
	from := time.Date(2027, 1, 11, 0, 0, 0, 0, time.UTC)
	for text, want := range map[string]string{
		"This proposal is valid for 30 days from its date.":                 "2027-02-10",
		"Esta propuesta tiene una validez de 30 días a partir de su fecha.": "2027-02-10",
		"Dieses Angebot ist ab seinem Datum 30 Tage gültig.":                "2027-02-10",
		"Valid for 2 weeks.":                             "2027-01-25",
		"Valid for 10 working days.":                     "2027-01-25",
		"This proposal is valid until 28 February 2027.": "2027-02-28",
		"Valid for three months":                         "",
	} {
		got, ok := ValidUntil(text, from)
		switch {
		case want == "" && ok:
			t.Errorf("%q: read %s, want nothing", text, got.Format(time.DateOnly))
		case want != "" && (!ok || got.Format(time.DateOnly) != want):
			t.Errorf("%q: %s %v, want %s", text, got.Format(time.DateOnly), ok, want)
		}
	}
}

// TestParseBudget reads the ways a buyer's range is written.
func TestParseBudget(t *testing.T) {
	for text, want := range map[string]string{
		"£40,000 to £60,000 this financial year": "£40,000–£60,000",
		"€40k–60k":                 "€40,000–€60,000",
		"up to $50,000":            "up to $50,000",
		"at least €20.000":         "at least €20.000",
		"£5,000 to £7,000 a month": "£5,000 a month–£7,000 a month",
		"not discussed":            "",
	} {
		b, ok := ParseBudget(text)
		if got := b.String(); (want == "") == ok || (ok && got != want) {
			t.Errorf("%q: %q %v, want %q", text, got, ok, want)
		}
	}
}

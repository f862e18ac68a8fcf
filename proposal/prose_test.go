package proposal

import (
	"context"
	"strings"
	"testing"
	"time"

	"propose/llm/llmtest"
	"propose/templates"
)

// assembled drafts every section offline and assembles the document in the
// template's language.
func assembled(t *testing.T, id, lang string, facts Facts) Draft {
	t.Helper()
	tm := builtin(t, id).In(lang)
	doc, _ := Assemble(tm, facts, today, draftAll(t, tm, facts), "offline")
	return doc
}

// TestFragmentBecomesSentence: "30 days" for the validity prints as the
// template's sentence in English and in Spanish; an answer that is already a
// sentence prints as written.
func TestFragmentBecomesSentence(t *testing.T) {
	en := assembled(t, "consulting", "en", stated("client", "Acme Components Ltd", "validity", "30 days"))
	if got := en.Section("terms").Body; !strings.HasPrefix(got, "This proposal is valid for 30 days from its date.\n") {
		t.Errorf("en terms:\n%s", got)
	}
	es := assembled(t, "consulting", "es", stated("client", "Ejemplo Logística S.L.", "validity", "30 días"))
	if got := es.Section("terms").Body; !strings.HasPrefix(got, "Esta propuesta tiene una validez de 30 días a partir de su fecha.\n") {
		t.Errorf("es terms:\n%s", got)
	}
	own := assembled(t, "consulting", "en", stated("client", "Acme", "validity", "We hold these prices until the end of March."))
	if got := own.Section("terms").Body; !strings.HasPrefix(got, "We hold these prices until the end of March.\n") {
		t.Errorf("a sentence was changed:\n%s", got)
	}
	ret := assembled(t, "retainer", "en", stated("client", "Acme Components Ltd", "availability", "Up to 4 days a month"))
	if got := ret.Section("availability").Body; got != "We will be available to Acme Components Ltd for up to 4 days a month." {
		t.Errorf("availability:\n%s", got)
	}
}

// TestOneItemListIsASentenceWithoutLeadIn: a single exclusion prints as the
// field's sentence, and the "The following are outside...:" lead-in goes.
func TestOneItemListIsASentenceWithoutLeadIn(t *testing.T) {
	doc := assembled(t, "consulting", "en", stated("client", "Acme", "assumptions", "Data is available", "out_of_scope", "ERP development"))
	got := doc.Section("assumptions").Body
	if !strings.Contains(got, "This proposal does not cover ERP development; we would be glad to propose for it separately.") ||
		strings.Contains(got, "The following are outside") || strings.Contains(got, "- ERP") {
		t.Errorf("assumptions:\n%s", got)
	}
}

// TestNoLeadInOnSingleParagraph: a section that is one answer paragraph is
// printed without the sentence that introduced it.
func TestNoLeadInOnSingleParagraph(t *testing.T) {
	doc := assembled(t, "consulting", "en", stated("client", "Acme", "value", "Each day of debtor days is worth £310,000."))
	if got := doc.Section("value").Body; got != "Each day of debtor days is worth £310,000." {
		t.Errorf("value:\n%s", got)
	}
}

// TestShortNameAfterFirstMention: the body names the client in full once,
// then by its short name; the acceptance and signature lines and the cover
// keep the legal name.
func TestShortNameAfterFirstMention(t *testing.T) {
	for legal, short := range map[string]string{
		"Acme Components Ltd":    "Acme",
		"Ejemplo Logística S.L.": "Ejemplo Logística",
		"Müller GmbH & Co. KG":   "Müller",
		"Dupont SARL":            "Dupont",
		"Rossi S.p.A.":           "Rossi",
		"Voorbeeld B.V.":         "Voorbeeld",
		"Silva & Filhos Lda":     "Silva & Filhos",
		"Northwind":              "Northwind",
	} {
		if got := ShortName(legal); got != short {
			t.Errorf("ShortName(%q) = %q, want %q", legal, got, short)
		}
	}
	tm := builtin(t, "consulting")
	facts := completeFacts()
	facts["client"] = Fact{Field: "client", Value: "Acme Components Ltd", Origin: Stated}
	doc, _ := Assemble(tm, facts, today, draftAll(t, tm, facts), "offline")
	body := Body(doc)
	if first := strings.Index(body, "Acme"); first < 0 || !strings.HasPrefix(body[first:], "Acme Components Ltd") {
		t.Fatalf("the first mention is not the legal name:\n%s", body)
	}
	if !strings.Contains(body, "Acme will receive") {
		t.Errorf("no short name after the first mention:\n%s", body)
	}
	accept := strings.Index(body, "**Acceptance.**")
	if n := strings.Count(body[:accept], "Acme Components Ltd"); n != 1 {
		t.Errorf("legal name %d times before the acceptance, want 1:\n%s", n, body[:accept])
	}
	if !strings.Contains(body[accept:], "on behalf of Acme Components Ltd") || !strings.Contains(body[accept:], "For Acme Components Ltd:") {
		t.Errorf("acceptance lost the legal name:\n%s", body[accept:])
	}
	if c := CoverOf(tm, facts, today); c.PreparedFor != "Acme Components Ltd" {
		t.Errorf("cover: %q", c.PreparedFor)
	}
}

// TestRecommendationOnlyWhenMarked: "These fees are for the recommended
// option" appears only when an option is marked, in any language.
func TestRecommendationOnlyWhenMarked(t *testing.T) {
	tm := builtin(t, "consulting")
	facts := completeFacts()
	facts["options"] = Fact{Field: "options", Value: "Lean: diagnostic: €24,000\nFull: diagnostic and redesign: €52,000", Origin: Stated}
	doc, _ := Assemble(tm, facts, today, draftAll(t, tm, facts), "offline")
	if got := Body(doc); strings.Contains(got, "recommended") {
		t.Errorf("a recommendation is claimed with no option marked:\n%s", doc.Section("investment").Body)
	}
	facts["options"] = Fact{Field: "options", Value: "Lean: diagnostic: €24,000\nFull (recommended): diagnostic and redesign: €52,000", Origin: Stated}
	doc, _ = Assemble(tm, facts, today, draftAll(t, tm, facts), "offline")
	if got := doc.Section("investment").Body; !strings.Contains(got, "These fees are for the recommended option, “Full”;") {
		t.Errorf("investment:\n%s", got)
	}
	if got := doc.Section("approach").Body; !strings.Contains(got, "| Full (recommended) | diagnostic and redesign | €52,000 |") {
		t.Errorf("options table:\n%s", got)
	}
	es := tm.In("es")
	facts["options"] = Fact{Field: "options", Value: "Lean: diagnóstico: 24.000 €\nCompleta (recomendada): diagnóstico y rediseño: 52.000 €", Origin: Stated}
	doc, _ = Assemble(es, facts, today, draftAll(t, es, facts), "offline")
	if got := doc.Section("investment").Body; !strings.Contains(got, "opción recomendada, «Completa»;") {
		t.Errorf("es investment:\n%s", got)
	}
}

// TestProseFollowsDocumentNotation: an amount in prose takes the
// document's marks, which are the language's (fees typed "€24.000" in an
// English document print "€24,000", and so does prose), an ISO date in a
// measure is written out, and the number guard still finds no stray figure.
func TestProseFollowsDocumentNotation(t *testing.T) {
	tm := builtin(t, "consulting")
	facts := completeFacts() // fees written "€24.000"
	facts["value"] = Fact{Field: "value", Value: "Releasing working capital saves about €35,000 a year.", Origin: Stated}
	facts["measures"] = Fact{Field: "measures", Value: "Debtor days below 45 by 2027-06-30\nDisputes under 2%", Origin: Stated}
	doc, _ := Assemble(tm, facts, today, draftAll(t, tm, facts), "offline")
	if got := doc.Section("value").Body; !strings.Contains(got, "€35,000 a year") {
		t.Errorf("value:\n%s", got)
	}
	if got := doc.Section("measures").Body; !strings.Contains(got, "by 30 June 2027") || strings.Contains(got, "2027-06-30") {
		t.Errorf("measures:\n%s", got)
	}
	k := Known(tm, facts, today)
	for _, s := range doc.Sections {
		if stray := k.Stray(s.Body); len(stray) > 0 {
			t.Errorf("%s: stray figures %v", s.ID, FigureList(stray))
		}
	}
}

// TestModelProseLosesSpanishMarkAndDoubleStop: the model is never shown
// the Spanish assumption mark as part of a fact, and its prose does not
// keep a doubled full stop after a name ending in one.
func TestModelProseLosesSpanishMarkAndDoubleStop(t *testing.T) {
	srv := llmtest.New(t)
	srv.Script(llmtest.Reply("Trabajaremos con Ejemplo Logística S.L.. Los gastos se facturan al coste."))
	d := &LLMDrafter{Client: testClient(t, srv), Now: func() time.Time { return today }}
	tm := consulting(t).In("es")
	facts := completeFacts()
	facts["client"] = Fact{Field: "client", Value: "Ejemplo Logística S.L.", Origin: Stated}
	_, f := tm.Field("expenses")
	facts["expenses"] = Fact{Field: "expenses", Value: f.Assume, Origin: Assumed}
	req := DraftRequest{Template: tm, Section: tm.Section("investment"), Facts: facts, Values: FieldValues(tm, facts, today), Today: today, Language: "es"}
	body, err := d.DraftSection(context.Background(), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(body, "S.L..") {
		t.Errorf("double full stop kept: %q", body)
	}
	reqs := srv.Requests()
	if len(reqs) == 0 {
		t.Fatal("no request reached the model")
	}
	prompt := reqs[len(reqs)-1].LastUser()
	if strings.Contains(prompt, "(supuesto)") {
		t.Errorf("the prompt carries the Spanish assumption mark:\n%s", prompt)
	}
}

// TestModelProseQuotesAnswersAsTyped: a title with Markdown characters that
// the model quotes shows as typed, as it does in the offline text.
func TestModelProseQuotesAnswersAsTyped(t *testing.T) {
	srv := llmtest.New(t)
	srv.Script(llmtest.Reply("This proposal, Margin *uplift* for Q&A_Corp <pilot>, sets out a fixed fee."))
	d := &LLMDrafter{Client: testClient(t, srv), Now: func() time.Time { return today }}
	req := draftRequest(t, "investment")
	req.Facts["title"] = Fact{Field: "title", Value: "Margin *uplift* for Q&A_Corp <pilot>", Origin: Stated}
	body, err := d.DraftSection(context.Background(), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := `Margin \*uplift\* for Q&A\_Corp &lt;pilot&gt;`; !strings.Contains(body, want) {
		t.Errorf("body %q lacks %q", body, want)
	}
}

// TestShortNameAsked: a template that asks for the short name uses the
// answer; the cover keeps the legal name.
func TestShortNameAsked(t *testing.T) {
	src := `id: mine
name: Mine
sections:
  - id: cover
    title: Cover
    no_heading: true
    fields:
      - id: client
        question: Who is the client?
        roles: [client]
      - id: short
        question: What do they call themselves?
        roles: [short-name]
    draft: ""
  - id: offer
    title: Offer
    fields:
      - id: offer
        question: What do you offer?
    draft: |-
      We offer {{.client}} a review. {{.offer}} We look forward to working with {{.client}}.
`
	tm, err := templates.Parse("mine.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	facts := stated("client", "Brandt & Partner Beteiligungs GmbH & Co. KG", "short", "Brandt", "offer", "It takes two days.")
	doc, _ := Assemble(tm, facts, today, draftAll(t, tm, facts), "offline")
	want := "We offer Brandt & Partner Beteiligungs GmbH & Co. KG a review. It takes two days. We look forward to working with Brandt."
	if got := doc.Section("offer").Body; !strings.HasPrefix(got, want) {
		t.Errorf("offer:\n%s\nwant it to start\n%s", got, want)
	}
}

// TestEndDateIsNotFramedAsALength: "until 28 February 2027" is not put
// into "valid for {validity}" but into the valid-until frame.
func TestEndDateIsNotFramedAsALength(t *testing.T) {
	en := assembled(t, "consulting", "en", stated("client", "Acme", "validity", "until 28 February 2027"))
	if got := en.Section("terms").Body; !strings.HasPrefix(got, "This proposal is valid until 28 February 2027.\n") {
		t.Errorf("en terms:\n%s", got)
	}
	es := assembled(t, "consulting", "es", stated("client", "Acme", "validity", "hasta el 28 de febrero de 2027"))
	if got := es.Section("terms").Body; !strings.HasPrefix(got, "Esta propuesta es válida hasta el 28 de febrero de 2027.\n") {
		t.Errorf("es terms:\n%s", got)
	}
}

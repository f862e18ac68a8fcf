package proposal

import (
	"strings"
	"testing"
)

// TestShortNameKeepsStopOnlyAtSentenceEnd: "Ejemplo Logística S.L." shortened
// mid-sentence loses the full stop of "S.L." in German, where a capital
// after it is a noun ("für Ejemplo Logística Folgendes wert"), and keeps it
// only where the sentence ends; in English a capital after it does end one.
func TestShortNameKeepsStopOnlyAtSentenceEnd(t *testing.T) {
	de := assembled(t, "consulting", "de", stated("client", "Ejemplo Logística S.L.", "buyer", "Lucía Fernández, Directora Financiera", "situation", "Ejemplo Logística S.L. liefert Aufträge aus.", "value", "Etwa 180.000 € pro Jahr.\n\nDazu kommt die Zeit der Buchhaltung."))
	all := ""
	for _, s := range de.Sections {
		all += s.Body + "\n\n"
	}
	if strings.Contains(all, "Logística. so") || !strings.Contains(all, "für Ejemplo Logística so.") {
		t.Errorf("de keeps the stop of S.L. mid-sentence:\n%s", all)
	}
	if got, _ := shortenClient("für Ejemplo Logística S.L. Folgendes wert", "Ejemplo Logística S.L.", "Ejemplo Logística", false, true); got != "für Ejemplo Logística Folgendes wert" {
		t.Errorf("de capital noun after the name: %q", got)
	}
	ret := assembled(t, "retainer", "de", stated("client", "Brandt & Partner GmbH & Co. KG."))
	all = ""
	for _, s := range ret.Sections {
		all += s.Body + "\n\n"
	}
	if strings.Contains(all, "Partner. Folgendes") {
		t.Errorf("de retainer keeps the stop mid-sentence:\n%s", all)
	}
	if got, _ := shortenClient("Wir danken Ejemplo Logística S.L.", "Ejemplo Logística S.L.", "Ejemplo Logística", false, true); got != "Wir danken Ejemplo Logística." {
		t.Errorf("de end of paragraph: %q", got)
	}
	if got, _ := shortenClient("We thank Ejemplo Logística S.L. The team", "Ejemplo Logística S.L.", "Ejemplo Logística", false, false); got != "We thank Ejemplo Logística. The team" {
		t.Errorf("en sentence end: %q", got)
	}
	if got, _ := shortenClient("We thank Ejemplo Logística S.L. and its team", "Ejemplo Logística S.L.", "Ejemplo Logística", false, false); got != "We thank Ejemplo Logística and its team" {
		t.Errorf("en mid-sentence: %q", got)
	}
	if got, _ := shortenClient("Wir danken Ejemplo Logística S.L.\nDas Team", "Ejemplo Logística S.L.", "Ejemplo Logística", false, true); got != "Wir danken Ejemplo Logística.\nDas Team" {
		t.Errorf("de end of line: %q", got)
	}
}

// TestNegatedOrSentenceAnswerIsNotFramed: an exclusion typed already
// negated ("not included: ERP development") or as a sentence ("we do not
// migrate data") prints as written, not inside "does not cover …".
func TestNegatedOrSentenceAnswerIsNotFramed(t *testing.T) {
	for _, c := range []struct{ id, lang, answer, want, bad string }{
		{"consulting", "en", "not included: ERP development", "Not included: ERP development.", "does not cover not"},
		{"sow", "en", "we do not migrate data", "We do not migrate data.", "does not cover we"},
		{"consulting", "es", "no incluye la migración de datos", "No incluye la migración de datos.", "no cubre no"},
		{"consulting", "de", "keine ERP-Entwicklung", "Keine ERP-Entwicklung.", "Folgendes: keine"},
	} {
		doc := assembled(t, c.id, c.lang, stated("client", "Acme", "out_of_scope", c.answer))
		all := ""
		for _, s := range doc.Sections {
			all += s.Body + "\n\n"
		}
		if strings.Contains(all, c.bad) || !strings.Contains(all, c.want) {
			t.Errorf("%s %s %q:\n%s", c.id, c.lang, c.answer, all)
		}
	}
	// A plain fragment is still framed.
	doc := assembled(t, "consulting", "en", stated("client", "Acme", "out_of_scope", "ERP development"))
	if got := doc.Section("assumptions").Body; !strings.Contains(got, "This proposal does not cover ERP development;") {
		t.Errorf("plain exclusion:\n%s", got)
	}
}

// TestValidityFragmentsAreFramed: an end date goes into the valid-until
// frame, "valid for" is not said twice, and a trailing full stop does not
// keep a short answer from its frame, in every language.
func TestValidityFragmentsAreFramed(t *testing.T) {
	for _, c := range []struct{ id, lang, answer, want string }{
		{"consulting", "en", "until 28 February 2027", "This proposal is valid until 28 February 2027."},
		{"consulting", "en", "Valid for 45 days.", "This proposal is valid for 45 days from its date."},
		{"sow", "en", "45 days", "This statement of work is valid for 45 days from its date."},
		{"retainer", "en", "until 28 February 2027", "This retainer agreement is open for signature until 28 February 2027."},
		{"consulting", "de", "bis zum 28. Februar 2027", "Dieses Angebot ist gültig bis zum 28. Februar 2027."},
		{"consulting", "de", "gültig für 45 Tage", "Dieses Angebot ist 45 Tage ab Angebotsdatum gültig."},
		{"consulting", "es", "hasta el 28 de febrero de 2027", "Esta propuesta es válida hasta el 28 de febrero de 2027."},
		{"consulting", "es", "45 días naturales.", "Esta propuesta tiene una validez de 45 días naturales a partir de su fecha."},
		{"workshop", "es", "válida durante 45 días", "Esta propuesta tiene una validez de 45 días a partir de su fecha."},
		{"consulting", "fr", "jusqu’au 28 février 2027", "Cette proposition est valable jusqu’au 28 février 2027."},
		{"consulting", "it", "fino al 28 febbraio 2027", "La presente proposta è valida fino al 28 febbraio 2027."},
		{"consulting", "nl", "tot 28 februari 2027", "Dit voorstel is geldig tot 28 februari 2027."},
		{"consulting", "pt", "até 28 de fevereiro de 2027", "Esta proposta é válida até 28 de fevereiro de 2027."},
	} {
		doc := assembled(t, c.id, c.lang, stated("client", "Acme", "validity", c.answer))
		if got := doc.Section("terms").Body; !strings.HasPrefix(got, c.want) {
			t.Errorf("%s %s %q:\n%s\nwant it to start %q", c.id, c.lang, c.answer, got, c.want)
		}
	}
	ret := assembled(t, "retainer", "en", stated("client", "Acme Components Ltd", "availability", "Up to 4 days a month."))
	if got := ret.Section("availability").Body; got != "We will be available to Acme Components Ltd for up to 4 days a month." {
		t.Errorf("availability:\n%s", got)
	}
}

// TestProperNounsKeepTheirCapitalInFrames: "Madrid rollout" and "Zaragoza
// DSO", names the answers write with a capital mid-sentence, keep it inside
// a frame; "Data migration" still reads "data migration".
func TestProperNounsKeepTheirCapitalInFrames(t *testing.T) {
	doc := assembled(t, "consulting", "en", stated("client", "Acme", "situation", "Acme runs warehouses in Zaragoza and Madrid.", "out_of_scope", "Madrid rollout", "measures", "Zaragoza DSO under 45 days"))
	all := ""
	for _, s := range doc.Sections {
		all += s.Body + "\n\n"
	}
	if !strings.Contains(all, "does not cover Madrid rollout") || !strings.Contains(all, "by one measure: Zaragoza DSO") {
		t.Errorf("en:\n%s", all)
	}
	es := assembled(t, "consulting", "es", stated("client", "Acme", "situation", "Acme tiene almacenes en Zaragoza y Madrid.", "out_of_scope", "Madrid y su almacén"))
	if got := es.Section("assumptions").Body; !strings.Contains(got, "no cubre Madrid y su almacén") {
		t.Errorf("es:\n%s", got)
	}
	es = assembled(t, "consulting", "es", stated("client", "Acme", "out_of_scope", "La migración de datos"))
	if got := es.Section("assumptions").Body; !strings.Contains(got, "no cubre la migración de datos") {
		t.Errorf("es article:\n%s", got)
	}
	en := assembled(t, "consulting", "en", stated("client", "Acme", "situation", "Acme runs warehouses in Zaragoza and Madrid.", "out_of_scope", "Data migration"))
	if got := en.Section("assumptions").Body; !strings.Contains(got, "does not cover data migration") {
		t.Errorf("en common noun:\n%s", got)
	}
}

// TestLeadInsTakeNounPhrases: the workshop's preparation and the retainer's
// client duties are introduced by lead-ins that read with a noun phrase
// ("A 15-minute call with each lead's manager"), not "participants will:".
func TestLeadInsTakeNounPhrases(t *testing.T) {
	for _, c := range []struct{ id, lang, field, want, bad string }{
		{"workshop", "en", "preparation", "To prepare for the workshop:", "participants will:"},
		{"workshop", "es", "preparation", "Como preparación para el taller:", "los participantes:"},
		{"workshop", "de", "preparation", "Zur Vorbereitung auf den Workshop:", "werden die Teilnehmenden:"},
		{"retainer", "en", "client_provides", "we need the following from Acme:", "Acme will:"},
		{"retainer", "pt", "client_provides", "por parte da Acme:", "compromete-se a:"},
	} {
		doc := assembled(t, c.id, c.lang, stated("client", "Acme", c.field, "A 15-minute call with each lead's manager\nA named contact in finance"))
		all := ""
		for _, s := range doc.Sections {
			all += s.Body + "\n\n"
		}
		if !strings.Contains(all, c.want) || strings.Contains(all, c.bad) {
			t.Errorf("%s %s: want %q, not %q:\n%s", c.id, c.lang, c.want, c.bad, all)
		}
	}
}

// TestLabelledAnswersEndWithAStop: a short answer after a bold label ends
// with a full stop and starts with a capital, unless it is a bare figure.
func TestLabelledAnswersEndWithAStop(t *testing.T) {
	doc := assembled(t, "workshop", "en", stated("client", "Acme", "expenses", "At cost, capped at $400", "duration", "One day, 09:30 to 16:30", "participants", "12"))
	all := ""
	for _, s := range doc.Sections {
		all += s.Body + "\n\n"
	}
	for _, want := range []string{"** At cost, capped at $400.", "** One day, 09:30 to 16:30.", "** 12\n"} {
		if !strings.Contains(all, want) {
			t.Errorf("want %q in:\n%s", want, all)
		}
	}
	ret := assembled(t, "retainer", "en", stated("client", "Acme", "duration", "until 31 December 2027"))
	all = ""
	for _, s := range ret.Sections {
		all += s.Body + "\n\n"
	}
	if !strings.Contains(all, "** Until 31 December 2027.") {
		t.Errorf("retainer term:\n%s", all)
	}
}

// TestGermanAndSpanishWording: the reviewer's wording fixes.
func TestGermanAndSpanishWording(t *testing.T) {
	facts := stated("client", "Beispiel GmbH", "buyer", "Dr. Katrin Huber, Geschäftsführerin Finanzen",
		"milestones", "1. März 2027: Analyse\n1. April 2027: Entwurf", "client_provides", "Zugang zu den Daten\nEin Ansprechpartner")
	de := assembled(t, "consulting", "de", facts)
	all := ""
	for _, s := range de.Sections {
		all += s.Body + "\n\n"
	}
	for _, want := range []string{"Für die Arbeit sind folgende Meilensteine geplant:", "durch Dr. Katrin Huber, Geschäftsführerin Finanzen.", "30 Tage ab Angebotsdatum gültig"} {
		if !strings.Contains(all, want) {
			t.Errorf("de consulting lacks %q:\n%s", want, all)
		}
	}
	sow := assembled(t, "sow", "de", facts)
	if got := sow.Section("terms").Body; !strings.Contains(got, "mit unserer Unterschrift und der Unterschrift unten im Namen der Beispiel GmbH durch Dr. Katrin Huber, Geschäftsführerin Finanzen.") {
		t.Errorf("de sow acceptance:\n%s", got)
	}
	es := assembled(t, "consulting", "es", stated("client", "Acme", "client_provides", "Acceso a los datos\nUna persona de contacto"))
	all = ""
	for _, s := range es.Sections {
		all += s.Body + "\n\n"
	}
	if !strings.Contains(all, "se plantea como una colaboración") {
		t.Errorf("es:\n%s", all)
	}
}

// TestDocumentsUseTheirOwnNoun: the sow's and the retainer's wording name
// the document they are, the sow's payments follow "its milestone", and the
// value lead-in does not repeat "worth to <client>" that the answer says.
func TestDocumentsUseTheirOwnNoun(t *testing.T) {
	sow := assembled(t, "sow", "en", stated("client", "Acme", "validity", "45 days", "payment_schedule", "Design accepted: 50%\nGo-live accepted: 50%"))
	all := ""
	for _, s := range sow.Sections {
		all += s.Body + "\n\n"
	}
	for _, want := range []string{"This statement of work is valid for 45 days from its date.", "Each payment is invoiced when its milestone is accepted:"} {
		if !strings.Contains(all, want) {
			t.Errorf("sow lacks %q:\n%s", want, all)
		}
	}
	ret := assembled(t, "retainer", "en", stated("client", "Acme"))
	if got := ret.Section("terms").Body; strings.Contains(got, "this proposal") || !strings.Contains(got, "This retainer agreement takes effect when it is signed") {
		t.Errorf("retainer terms:\n%s", got)
	}
	con := assembled(t, "consulting", "en", stated("client", "Ejemplo Logística S.L.", "value", "About €180.000 a year to Ejemplo Logística.\n\nAnd the team's time."))
	if got := con.Section("value").Body; strings.Contains(got, "worth to") {
		t.Errorf("value lead-in repeats 'worth to':\n%s", got)
	}
}

// TestNamesNamedOnceKeepTheirCapital: a place the answers name only once,
// at the start of a short answer put into a sentence frame, keeps its
// capital in every language ("no cubre Sevilla y sus almacenes", not
// "sevilla"); a common word opening such an answer still takes a small
// letter ("no cubre formación de usuarios").
func TestNamesNamedOnceKeepTheirCapital(t *testing.T) {
	for _, c := range []struct{ lang, answer, want string }{
		{"en", "Leeds plant rollout", "does not cover Leeds plant rollout"},
		{"es", "Sevilla y sus almacenes", "no cubre Sevilla y sus almacenes"},
		{"fr", "Marseille et son entrepôt", "le point suivant\u00a0: Marseille et son entrepôt"},
		{"it", "Napoli e il suo magazzino", "non comprende Napoli e il suo magazzino"},
		{"nl", "Eindhoven en het magazijn daar", "het volgende: Eindhoven en het magazijn daar"},
		{"pt", "Braga e o seu armazém", "não abrange Braga e o seu armazém"},
		{"de", "Hamburg und das dortige Lager", "gehört: Hamburg und das dortige Lager"},
		{"es", "Formación de usuarios", "no cubre formación de usuarios"},
		{"fr", "Formation des utilisateurs", "le point suivant\u00a0: formation des utilisateurs"},
		{"it", "Formazione degli utenti", "non comprende formazione degli utenti"},
		{"nl", "Training van gebruikers", "het volgende: training van gebruikers"},
		{"pt", "Formação de utilizadores", "não abrange formação de utilizadores"},
		{"en", "Recruitment of finance staff", "does not cover recruitment of finance staff"},
	} {
		doc := assembled(t, "consulting", c.lang, stated("client", "Acme", "situation", "Acme ships 9,000 orders a month.", "out_of_scope", c.answer))
		if got := doc.Section("assumptions").Body; !strings.Contains(got, c.want) {
			t.Errorf("%s %q: want %q in\n%s", c.lang, c.answer, c.want, got)
		}
	}
}

// TestGermanFramesLowerOnlyCommonWords: German keeps its nouns' capitals
// inside a frame, but a preposition or article that opens the answer
// ("Bis zu 4 Tage im Monat") is written small mid-sentence; a sentence
// after a colon keeps its capital ("Annahme: Die Unterlagen liegen vor").
func TestGermanFramesLowerOnlyCommonWords(t *testing.T) {
	for answer, want := range map[string]string{
		"Bis zu 4 Tage im Monat":          "Wir stehen Acme wie folgt zur Verfügung: bis zu 4 Tage im Monat.",
		"Zwei Tage pro Woche":             "Wir stehen Acme wie folgt zur Verfügung: zwei Tage pro Woche.",
		"Montags und donnerstags vor Ort": "Wir stehen Acme wie folgt zur Verfügung: montags und donnerstags vor Ort.",
		"Jeden Montag in der Zentrale":    "Wir stehen Acme wie folgt zur Verfügung: jeden Montag in der Zentrale.",
	} {
		doc := assembled(t, "retainer", "de", stated("client", "Acme", "availability", answer))
		if got := doc.Section("availability").Body; !strings.Contains(got, want) {
			t.Errorf("%q: want %q in\n%s", answer, want, got)
		}
	}
	doc := assembled(t, "retainer", "de", stated("client", "Acme", "assumptions", "Die Unterlagen liegen uns 5 Arbeitstage vor jeder Sitzung vor"))
	if got := doc.Section("assumptions").Body; !strings.Contains(got, "Annahme: Die Unterlagen liegen uns") {
		t.Errorf("de sentence after a colon:\n%s", got)
	}
	// "Hasta" and "bis" before an amount mean "up to", not "until".
	for _, c := range []struct{ lang, answer, want string }{
		{"es", "Hasta 4 días al mes", "Estaremos a disposición de Acme hasta 4 días al mes."},
		{"pt", "Até 4 dias por mês", "até 4 dias por mês"},
		{"de", "Bis 31. März 2027", "Bis 31. März 2027."},
		{"es", "Hasta el 31 de marzo", "Hasta el 31 de marzo."},
	} {
		doc := assembled(t, "retainer", c.lang, stated("client", "Acme", "availability", c.answer))
		if got := doc.Section("availability").Body; !strings.Contains(got, c.want) {
			t.Errorf("%s %q: want %q in\n%s", c.lang, c.answer, c.want, got)
		}
	}
}

// TestPortugueseNamesTakeTheirArticle: in Portuguese a company's name takes
// the article ("em nome da Exemplo Logística", "para que a Exemplo
// Logística alcance"), masculine for a name that opens with a masculine
// noun ("do Grupo Nabeiro"); the consultant's own "A Exemplo Logística"
// keeps its one article, and other languages are left as they are.
func TestPortugueseNamesTakeTheirArticle(t *testing.T) {
	facts := stated("client", "Exemplo Logística, Lda.", "buyer", "Marta Silva, Diretora Financeira",
		"situation", "A Exemplo Logística processa 8.000 encomendas por mês.", "objectives", "Reduzir o prazo\nResolver as reclamações",
		"measures", "Prazo inferior a 50 dias\nReclamações abaixo de 2 %", "client_provides", "Acesso aos dados\nUm patrocinador")
	all := Body(assembled(t, "consulting", "pt", facts))
	for _, want := range []string{"para que a Exemplo Logística, Lda. alcance", "Em conjunto com a Exemplo Logística", "A Exemplo Logística processa", "em nome da Exemplo Logística, Lda."} {
		if !strings.Contains(all, want) {
			t.Errorf("pt lacks %q:\n%s", want, all)
		}
	}
	for _, bad := range []string{"A a Exemplo", "da a Exemplo", "de Exemplo", "que Exemplo"} {
		if strings.Contains(all, bad) {
			t.Errorf("pt holds %q:\n%s", bad, all)
		}
	}
	facts["client"] = Fact{Field: "client", Value: "Grupo Nabeiro, S.A.", Origin: Stated}
	facts["situation"] = Fact{Field: "situation", Value: "O Grupo Nabeiro torra café.", Origin: Stated}
	if all := Body(assembled(t, "consulting", "pt", facts)); !strings.Contains(all, "para que o Grupo Nabeiro") || !strings.Contains(all, "com o Grupo Nabeiro") {
		t.Errorf("pt masculine:\n%s", all)
	}
	if all := Body(assembled(t, "consulting", "es", stated("client", "Ejemplo Logística S.L.", "situation", "Ejemplo Logística gestiona pedidos."))); !strings.Contains(all, "en nombre de Ejemplo Logística S.L.") {
		t.Errorf("es changed:\n%s", all)
	}
}

// TestFrenchPunctuationKeepsItsSpace: in French the space before a colon,
// a semicolon and a closing guillemet is a no-break space, in the
// template's text and the consultant's alike, so that no line starts with
// one; other languages are left as written.
func TestFrenchPunctuationKeepsItsSpace(t *testing.T) {
	fr := Body(assembled(t, "consulting", "fr", stated("client", "Exemple SAS", "situation", "Deux sites : Lyon et Grenoble ; un seul ERP.", "phases", "Diagnostic : 3 semaines\nRefonte : 6 semaines")))
	for _, want := range []string{"Deux sites\u00a0: Lyon et Grenoble\u00a0; un seul ERP.", "Diagnostic\u00a0: 3 semaines", "en plusieurs phases\u00a0:"} {
		if !strings.Contains(fr, want) {
			t.Errorf("fr lacks %q:\n%s", want, fr)
		}
	}
	if strings.Contains(fr, " :") || strings.Contains(fr, " ;") {
		t.Errorf("fr keeps a breaking space before punctuation:\n%s", fr)
	}
	if es := Body(assembled(t, "consulting", "es", stated("client", "Acme", "situation", "Dos sedes : Madrid y Zaragoza."))); !strings.Contains(es, "Dos sedes : Madrid") {
		t.Errorf("es changed:\n%s", es)
	}
}

// TestGermanLegalNamesTakeTheirArticle: German writes a legal name with
// its article ("bei der Beispiel Antriebstechnik GmbH", "im Namen der
// …"), the short name without ("erhält Beispiel Antriebstechnik"), and a
// name with no legal form as it is.
func TestGermanLegalNamesTakeTheirArticle(t *testing.T) {
	facts := stated("client", "Beispiel Antriebstechnik GmbH", "buyer", "Dr. Katrin Huber, Geschäftsführerin",
		"situation", "Beispiel Antriebstechnik liefert Aufträge aus.\n\nDie Forderungen steigen.", "deliverables", "Analyse\nCockpit")
	all := Body(assembled(t, "consulting", "de", facts))
	for _, want := range []string{"Ausgangslage bei der Beispiel Antriebstechnik GmbH", "im Namen der Beispiel Antriebstechnik GmbH durch", "Als Ergebnis erhält Beispiel Antriebstechnik:"} {
		if !strings.Contains(all, want) {
			t.Errorf("de lacks %q:\n%s", want, all)
		}
	}
	facts["client"] = Fact{Field: "client", Value: "Northwind", Origin: Stated}
	if all := Body(assembled(t, "consulting", "de", facts)); !strings.Contains(all, "Ausgangslage bei Northwind") {
		t.Errorf("de without a legal form:\n%s", all)
	}
}

package proposal

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"propose/templates"
)

// One voice for the whole document, applied when it is assembled, to the
// offline drafter's text and the model's prose alike:
//
//   - the client is named in full (its legal name) at its first mention in
//     the body and by its short name after that; the cover, the acceptance
//     paragraph and the signature lines keep the legal name;
//   - amounts in prose are written with the fee table's marks (€35.000
//     where the table has €24.000), and dates written out in the
//     language's long form (30 June 2027, not 2027-06-30).
//
// Neither changes a figure: the number guard reads the same values after.

// legalForms are the endings that make a company name a legal one, in the
// languages the program writes, compared without dots and case.
var legalForms = []string{
	"ltd", "limited", "plc", "llp", "llc", "inc", "incorporated", "corp", "corporation", "co",
	"gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "ug", "ev", "se", "gbr",
	"sl", "slu", "sa", "sau", "sll", "scp", "sc",
	"sarl", "sas", "sasu", "eurl", "sci", "snc",
	"spa", "srl", "srls", "sapa", "snc", "sas",
	"bv", "nv", "vof", "cv",
	"lda", "ltda", "unipessoal", "me", "epp", "eireli",
	"&", "and", "y", "und", "et", "e", "en",
}

// descriptors are English words that describe a company rather than name
// it ("Acme Components" is "Acme" to its people). Other languages' names
// keep theirs ("Ejemplo Logística"), but for a few German ones.
var descriptors = []string{
	"components", "holdings", "group", "industries", "international", "systems", "solutions",
	"technologies", "technology", "services", "enterprises", "manufacturing", "logistics",
	"company", "partners", "consulting", "ventures", "global", "worldwide",
	// German names put these before the legal form ("Brandt
	// Beteiligungs GmbH"); they describe, they do not name.
	"beteiligungs", "holding", "verwaltungs",
}

// ShortName derives the name a client is called by after its first mention:
// the legal form and English descriptors dropped ("Acme Components Ltd" ->
// "Acme", "Müller GmbH & Co. KG" -> "Müller", "Ejemplo Logística S.L." ->
// "Ejemplo Logística"). A name with nothing to drop is returned as it is.
func ShortName(legal string) string {
	words := strings.Fields(strings.TrimSpace(legal))
	norm := func(w string) string {
		w = strings.ToLower(strings.Trim(w, ",;"))
		return strings.ReplaceAll(w, ".", "")
	}
	for len(words) > 1 && slices.Contains(legalForms, norm(words[len(words)-1])) {
		words = words[:len(words)-1]
	}
	for len(words) > 1 && slices.Contains(descriptors, norm(words[len(words)-1])) {
		words = words[:len(words)-1]
	}
	out := strings.TrimRight(strings.Join(words, " "), ",;&")
	if strings.TrimSpace(out) == "" {
		return strings.TrimSpace(legal)
	}
	return strings.TrimSpace(out)
}

// polish applies the rules above to an assembled draft, in place.
func polish(t *templates.Template, facts Facts, d *Draft) {
	w := t.Words()
	legal, short := clientNames(t, facts)
	n := documentNotation(t, facts)
	first := true
	// Where nouns keep their capital (German), a capital after the name
	// does not show that the sentence ended.
	nounCaps := w.Word("prose.lower_fragment") == "no"
	for i := range d.Sections {
		s := &d.Sections[i]
		if s.NoHeading || strings.TrimSpace(s.Body) == "" {
			continue
		}
		paras := strings.Split(s.Body, "\n\n")
		protected := acceptanceParas(w, paras)
		for j, p := range paras {
			p = harmonize(w, n, p)
			if legal != "" && short != legal && !protected[j] {
				p, first = shortenClient(p, legal, short, first, nounCaps)
			} else if legal != "" && strings.Contains(p, legal) {
				first = false
			}
			if legal != "" {
				p = clientArticles(w, p, articleNames(w, legal, short)...)
			}
			p = noBreakSpaces(w, p)
			paras[j] = p
		}
		s.Body = strings.Join(paras, "\n\n")
	}
}

// clientNames returns the client's legal name as the body writes it, and
// its short name written the same way: the answer of a short-name field
// when the template asks for one, else ShortName's.
func clientNames(t *templates.Template, facts Facts) (string, string) {
	answer := func(role string) string {
		for _, f := range t.FieldsWithRole(role) {
			fact, ok := facts[f.ID]
			v := strings.TrimSpace(Sanitize(fact.Value))
			if ok && v != "" && fact.Origin != Assumed && fact.Origin != Default && !strings.Contains(v, "\n") {
				return v
			}
		}
		return ""
	}
	legal := answer(templates.RoleClient)
	if legal == "" {
		return "", ""
	}
	short := answer(templates.RoleShortName)
	if short == "" {
		short = ShortName(legal)
	}
	return escapeProse(legal), escapeProse(short)
}

// acceptanceParas marks the paragraphs that must name the client in full:
// the acceptance paragraph (led by the language's bold "Acceptance."), the
// signature lines and the "For ...:" line before them.
func acceptanceParas(w *templates.Catalog, paras []string) map[int]bool {
	out := map[int]bool{}
	lead := "**" + w.Word("acceptance.label") + ".**"
	for i, p := range paras {
		t := strings.TrimSpace(p)
		if strings.HasPrefix(t, lead) || strings.Contains(t, "___") {
			out[i] = true
			if strings.Contains(t, "___") && i > 0 && isLabelLine(paras[i-1]) {
				out[i-1] = true
			}
		}
	}
	return out
}

// shortenClient writes the short name for every mention of the legal one
// in p but the document's first. nounCaps says the language capitalises
// its nouns, so that a capital word after the name is no sign of a
// sentence end.
func shortenClient(p, legal, short string, first, nounCaps bool) (string, bool) {
	var b strings.Builder
	for {
		i := strings.Index(p, legal)
		if i < 0 {
			b.WriteString(p)
			return b.String(), first
		}
		if !wordEdge(p, i, i+len(legal)) {
			b.WriteString(p[:i+len(legal)])
			p = p[i+len(legal):]
			continue
		}
		b.WriteString(p[:i])
		rest := p[i+len(legal):]
		if first {
			b.WriteString(legal)
			first = false
		} else {
			b.WriteString(short)
			// "S.L." ending a sentence carried its full stop.
			if strings.HasSuffix(legal, ".") && !strings.HasSuffix(short, ".") && endsSentence(rest, nounCaps) {
				b.WriteString(".")
			}
		}
		p = rest
	}
}

// wordEdge reports whether p[i:j] stands as whole words.
func wordEdge(p string, i, j int) bool {
	if r, _ := utf8.DecodeLastRuneInString(p[:i]); i > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(p[j:]); j < len(p) && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return false
	}
	return true
}

// endsSentence reports whether what follows a name ending in "." shows the
// full stop ended the sentence: the end of the paragraph or of the line,
// or, in a language that writes its nouns in small letters, a capital
// after spaces.
func endsSentence(rest string, nounCaps bool) bool {
	t := strings.TrimLeft(rest, " \t")
	if t == "" || strings.HasPrefix(t, "\n") {
		return true
	}
	if nounCaps {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t)
	return rest != t && unicode.IsUpper(r)
}

// documentNotation is how the document writes money: the fee table's
// marks, or the language's when there are no fees.
func documentNotation(t *templates.Template, facts Facts) Notation {
	w := t.Words()
	n := Notation{Thousands: w.Word("number.group"), Decimal: w.Word("number.decimal")}
	for _, f := range t.FieldsWithRole(templates.RoleFees) {
		totals := Totals(ParseFees(facts.Value(f.ID)))
		if len(totals) == 0 {
			continue
		}
		ln := localNotation(w, totals[0].Notation, totals[0].Amount)
		if ln.Thousands != "" {
			n.Thousands = ln.Thousands
		}
		if ln.Decimal != "" {
			n.Decimal = ln.Decimal
		} else if ln.Thousands == "." {
			n.Decimal = ","
		} else if ln.Thousands != "" {
			n.Decimal = "."
		}
		break
	}
	if n.Thousands == n.Decimal {
		n.Thousands = ""
	}
	return n
}

// maxHarmonize is the longest paragraph harmonize rewrites: pages of prose,
// far beyond any drafted paragraph.
const maxHarmonize = 32 << 10

// dayDateRE finds the dates harmonize rewrites: the forms the number guard
// reads as dates.
var dayDateRE = dateFigureRE

// harmonize writes a paragraph's amounts in notation n and its dates in
// the language's long form. Table rows and signature lines are left: code
// wrote them already in the document's notation.
//
// A paragraph longer than maxHarmonize (a pasted brief of megabytes) is
// left as typed: it is the consultant's own document, and rewriting it would
// hold up every redraft and review for seconds.
func harmonize(w *templates.Catalog, n Notation, p string) string {
	if len(p) > maxHarmonize {
		return p
	}
	lines := strings.Split(p, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "|") || strings.Contains(t, "___") {
			continue
		}
		lines[i] = harmonizeDates(w, harmonizeMoney(n, l))
	}
	return strings.Join(lines, "\n")
}

func harmonizeMoney(n Notation, l string) string {
	ms := findMoney(l)
	if len(ms) == 0 {
		return l
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		if !m.marked() || m.glued || m.badSign || m.k {
			continue
		}
		a, written, ok := parseNumber(m.num)
		if !ok || a < 0 {
			continue
		}
		var out string
		switch {
		case written.Thousands != "" || written.Decimal != "":
			// The same digits, with the document's marks.
			var nb strings.Builder
			for _, r := range m.num {
				switch {
				case r >= '0' && r <= '9':
					nb.WriteRune(r)
				case written.Decimal != "" && string(r) == written.Decimal:
					nb.WriteString(n.Decimal)
				default:
					nb.WriteString(n.Thousands)
				}
			}
			out = nb.String()
		case a >= 10000*100:
			out = Notation{Thousands: n.Thousands, Decimal: n.Decimal}.Format(a)
		default:
			continue
		}
		if out == m.num {
			continue
		}
		b.WriteString(l[last:m.numStart])
		b.WriteString(out)
		last = m.numEnd
	}
	b.WriteString(l[last:])
	return b.String()
}

func harmonizeDates(w *templates.Catalog, l string) string {
	return dayDateRE.ReplaceAllStringFunc(l, func(s string) string {
		if !hasDay(s) {
			return s
		}
		d, ok := ParseDate(s)
		if !ok {
			if d, ok = ParseDate(strings.ReplaceAll(s, ".", "-")); !ok {
				return s
			}
		}
		return FormatDateIn(w, d)
	})
}

// noBreakSpaces makes the space before the punctuation the language sets
// apart (prose.nbsp_before: French "Date : 4 mars", "; ", "?") and after
// its opening quotation mark (prose.nbsp_after: "« ") a no-break space, so
// that no line of the PDF starts with a colon or ends with a lone «. The
// consultant's text gets the same, as a French typesetter would do.
func noBreakSpaces(w *templates.Catalog, p string) string {
	before, after := w.Word("prose.nbsp_before"), w.Word("prose.nbsp_after")
	if before == "" && after == "" || before == "prose.nbsp_before" {
		return p
	}
	var b strings.Builder
	rs := []rune(p)
	for i, r := range rs {
		if r == ' ' && ((i+1 < len(rs) && strings.ContainsRune(before, rs[i+1])) ||
			(i > 0 && strings.ContainsRune(after, rs[i-1]))) {
			b.WriteRune('\u00a0')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

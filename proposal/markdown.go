package proposal

import (
	"strings"
	"time"

	"propose/proposal/pdf"
	"propose/templates"
)

// Cover is what the title block and the PDF cover page show.
type Cover struct {
	Title       string
	PreparedFor string // the client organisation
	Attention   string // the economic buyer who signs
	PreparedBy  string
	Date        string
	Reference   string
	// Kind names the document: the template's own ("Statement of work"), in
	// the proposal's language.
	Kind string
	// Language is the proposal's BCP 47 tag ("es"); "" is English.
	Language string
	// Labels are the words around the values, in the proposal's language.
	Labels Labels
	// Draft marks an export made despite review blockers: the Markdown's
	// first line says DRAFT (the PDF's cover and footers do, through
	// RenderOptions.Draft).
	Draft bool
}

// Labels are the words the title block, the PDF cover and its footers write
// around the proposal's own text, from the proposal language's catalog.
type Labels struct {
	PreparedFor string // "Prepared for"
	Attention   string // "Attention"
	PreparedBy  string // "Prepared by"
	Date        string // "Date"
	Reference   string // "Reference"
	// PageOf is the footer, with {page} and {pages} for the page and the
	// count: "Page {page} of {pages}".
	PageOf string
	// Draft marks an export made despite blockers: "DRAFT".
	Draft string
	// The signature block: the heading over each party ("For {party}") and
	// the captions under the rules.
	For       string // "For {party}"
	Signature string // "Signature"
	Name      string // "Name"
	Title     string // "Title": the signatory's role
	SignedOn  string // "Date"
	// Acceptance is the acceptance clause, with {client}.
	Acceptance string
	// Label writes a label before its value, with {label}: "{label}:" in
	// English, "{label} :" in French.
	Label string
	// Assumption is the mark drafted after an assumed answer, " *(assumption)*":
	// exports leave it out (see ForExport).
	Assumption string
}

// LabelsFor returns the labels in a catalog's language (nil: English).
func LabelsFor(w *templates.Catalog) Labels {
	if w == nil {
		w = templates.BuiltinLanguages().English()
	}
	return Labels{
		PreparedFor: w.Word("cover.prepared_for"),
		Attention:   w.Word("cover.attention"),
		PreparedBy:  w.Word("cover.prepared_by"),
		Date:        w.Word("cover.date"),
		Reference:   w.Word("cover.reference"),
		PageOf:      w.Word("footer.page_of"),
		Draft:       w.Word("draft.mark"),
		Label:       w.Word("cover.label"),
		For:         w.Word("signature.for"),
		Signature:   w.Word("signature.signature"),
		Name:        w.Word("signature.name"),
		Title:       w.Word("signature.title"),
		SignedOn:    w.Word("signature.date"),
		Acceptance:  w.Word("acceptance.text"),
		Assumption:  MarkFor(w),
	}
}

// ForExport returns the cover and draft as an export writes them. The client
// reads assumed answers as the template's own wording, so their marks are
// left out unless showAssumptions asks for them (an internal draft). An
// export made despite blockers is marked DRAFT.
func ForExport(c Cover, d Draft, blockers int, showAssumptions bool) (Cover, Draft) {
	c.Draft = blockers > 0
	if showAssumptions {
		return c, d
	}
	mark := c.Labels.Assumption
	if mark == "" {
		mark = LabelsFor(nil).Assumption
	}
	out := Draft{Sections: make([]Section, len(d.Sections))}
	copy(out.Sections, d.Sections)
	for i := range out.Sections {
		out.Sections[i].Body = strings.ReplaceAll(out.Sections[i].Body, mark, "")
	}
	return c, out
}

// CoverOf reads the cover from the facts by role, so every template gets one.
// Its labels and dates are in the template's language.
func CoverOf(t *templates.Template, facts Facts, today time.Time) Cover {
	w := t.Words()
	mark := MarkFor(w)
	get := func(role string) string {
		for _, f := range t.FieldsWithRole(role) {
			if v := plainField(t, f, facts, today); v != "" {
				return strings.TrimSuffix(oneLine(v), mark)
			}
		}
		return ""
	}
	c := Cover{
		Title:       get(templates.RoleTitle),
		PreparedFor: get(templates.RoleClient),
		Attention:   get(templates.RoleSignatory),
		PreparedBy:  get(templates.RoleConsultant),
		Date:        get(templates.RoleDate),
		Reference:   get(templates.RoleReference),
		Kind:        t.Document,
		Language:    t.Language(),
		Labels:      LabelsFor(w),
	}
	if c.Kind == "" {
		c.Kind = w.Word("kind.proposal")
	}
	if c.Title == "" {
		c.Title = t.Name
	}
	if c.Date == "" {
		c.Date = FormatDateIn(w, today)
	}
	return c
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Body writes the drafted sections as Markdown, each under its "## " heading,
// leaving out sections with nothing to say.
func Body(d Draft) string {
	var b strings.Builder
	for _, s := range d.Sections {
		body := strings.TrimSpace(Sanitize(s.Body))
		if body == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		if !s.NoHeading {
			b.WriteString("## ")
			b.WriteString(oneLine(Sanitize(s.Title)))
			b.WriteString("\n\n")
		}
		b.WriteString(body)
	}
	return b.String()
}

// Markdown writes the whole proposal: the title block, then the sections,
// ending with the acceptance text and a signature block for both parties.
// Everything that came from a user or a model is sanitised on the way out.
// The title block's labels are the cover's (English when it has none).
func Markdown(c Cover, d Draft) string { return markdownDoc(c, d, nil) }

// markdownDoc is Markdown with the consultancy's branding, when there is
// one: its logo as an image reference above the title, its name and
// contact line under the title block, its name on its signature block.
func markdownDoc(c Cover, d Draft, brand *pdf.Branding) string {
	if c.Labels == (Labels{}) {
		c.Labels = LabelsFor(nil)
	}
	var b strings.Builder
	if c.Draft {
		b.WriteString("**" + escapeInline(c.Labels.Draft) + "**\n\n")
	}
	firm, contact := "", ""
	if brand != nil {
		firm, contact = oneLine(Sanitize(brand.Firm)), oneLine(Sanitize(brand.Contact))
		if logo := strings.TrimSpace(brand.Logo); logo != "" {
			alt := firm
			if alt == "" {
				alt = "Logo"
			}
			b.WriteString("![" + escapeInline(alt) + "](<" + strings.NewReplacer("<", "%3C", ">", "%3E", "\n", "").Replace(logo) + ">)\n\n")
		}
	}
	b.WriteString("# ")
	b.WriteString(escapeInline(oneLine(Sanitize(c.Title))))
	b.WriteString("\n\n")
	line := func(k, v string) {
		if v = escapeInline(oneLine(Sanitize(v))); v != "" {
			b.WriteString("**" + strings.ReplaceAll(c.Labels.Label, "{label}", k) + "** " + v + "  \n")
		}
	}
	line(c.Labels.PreparedFor, c.PreparedFor)
	line(c.Labels.Attention, c.Attention)
	line(c.Labels.PreparedBy, c.PreparedBy)
	line(c.Labels.Date, c.Date)
	line(c.Labels.Reference, c.Reference)
	if by := strings.Trim(strings.Join([]string{firm, contact}, " · "), " ·"); by != "" {
		b.WriteString("\n*" + escapeInline(by) + "*\n")
	}
	body, signing := signingOf(Body(d), c, brand)
	if signing != nil {
		body = strings.TrimSpace(body + "\n\n" + signing.Acceptance + "\n\n" + signatureTable(c.Labels, signing))
	}
	if body != "" {
		b.WriteString("\n")
		b.WriteString(body)
	}
	return strings.TrimRight(b.String(), " \n") + "\n"
}

// signatureTable is the signing block in Markdown: a column for each
// party, the client first, with lines to sign and date and the printed name
// and title of whoever signs (a line to fill in where the answers name
// nobody).
func signatureTable(l Labels, sg *pdf.Signing) string {
	var parties []pdf.Signatory
	for _, p := range sg.Parties {
		if strings.TrimSpace(p.Party+p.Name) != "" {
			parties = append(parties, p)
		}
	}
	if len(parties) == 0 {
		return ""
	}
	sg = &pdf.Signing{Acceptance: sg.Acceptance, Parties: parties}
	const rule, dateRule = "______________________", "____________"
	label := func(k string) string { return strings.ReplaceAll(l.Label, "{label}", k) }
	cell := func(s string) string {
		return strings.ReplaceAll(escapeInline(oneLine(s)), "|", "\\|")
	}
	or := func(s, blank string) string {
		if s = cell(s); s != "" {
			return s
		}
		return blank
	}
	row := func(f func(p pdf.Signatory) string) string {
		var cells []string
		for _, p := range sg.Parties {
			cells = append(cells, f(p))
		}
		return "| " + strings.Join(cells, " | ") + " |\n"
	}
	var b strings.Builder
	b.WriteString(row(func(p pdf.Signatory) string {
		if p.Party == "" {
			return ""
		}
		return "**" + cell(strings.ReplaceAll(l.For, "{party}", p.Party)) + "**"
	}))
	b.WriteString("|" + strings.Repeat("---|", len(sg.Parties)) + "\n")
	b.WriteString(row(func(pdf.Signatory) string { return label(l.Signature) + " " + rule }))
	b.WriteString(row(func(p pdf.Signatory) string { return label(l.Name) + " " + or(p.Name, rule) }))
	b.WriteString(row(func(p pdf.Signatory) string { return label(l.Title) + " " + or(p.Title, rule) }))
	b.WriteString(row(func(pdf.Signatory) string { return label(l.SignedOn) + " " + dateRule }))
	return strings.TrimRight(b.String(), "\n")
}

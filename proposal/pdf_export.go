package proposal

import (
	"io"
	"regexp"
	"strings"

	"propose/proposal/pdf"
)

// pdf are the labels as the PDF takes them; any left empty are English.
func (l Labels) pdf() pdf.Labels {
	return pdf.Labels{PreparedFor: l.PreparedFor, PreparedBy: l.PreparedBy, Attention: l.Attention, Date: l.Date,
		Reference: l.Reference, Page: l.PageOf, Draft: l.Draft, For: l.For, Signature: l.Signature, Name: l.Name,
		SignatoryRole: l.Title, SignedOn: l.SignedOn}
}

// renderPDF lays the proposal out as a PDF: a cover page from the title
// block, the drafted sections, then the acceptance text and both parties'
// signature blocks on one page. What the PDF could not show as written goes
// to opts.Warn.
func renderPDF(w io.Writer, c Cover, d Draft, opts RenderOptions) error {
	body, signing := signingOf(Body(d), c, opts.Branding)
	kind, lang, labels := opts.Kind, opts.Lang, opts.Labels
	if kind == "" {
		kind = c.Kind
	}
	if lang == "" {
		lang = c.Language
	}
	if labels == (pdf.Labels{}) {
		labels = c.Labels.pdf()
	}
	meta := pdf.Meta{
		Title:       Sanitize(c.Title),
		Kind:        Sanitize(kind),
		PreparedFor: Sanitize(c.PreparedFor),
		Attention:   Sanitize(c.Attention),
		PreparedBy:  Sanitize(c.PreparedBy),
		Date:        Sanitize(c.Date),
		Reference:   Sanitize(c.Reference),
		Author:      Sanitize(c.PreparedBy),
		Lang:        lang,
		Draft:       opts.Draft,
		Labels:      labels,
		Branding:    opts.Branding,
		Signing:     signing,
	}
	if meta.PreparedFor == "" {
		meta.PreparedFor, meta.Attention = meta.Attention, ""
	}
	warnings, err := pdf.Render(w, meta, []byte(body), pdf.Options{
		PageSize: pdf.PageSize(opts.PageSize),
		Fonts:    opts.Fonts,
		Now:      opts.Now,
	})
	if err != nil {
		return err
	}
	if opts.Warn != nil {
		for _, msg := range warnings {
			opts.Warn(msg)
		}
	}
	return nil
}

// signatureLine is a typed signature line of a draft: a word and a colon
// before a run of underscores, once or twice ("Signed: ____  Date: ____"),
// in any language.
var signatureLine = regexp.MustCompile(`^\s*[^\s:_][^:_]{0,40}:\s*_{5,}(\s+[^\s:_][^:_]{0,40}:\s*_{5,})?\s*$`)

// partyLine is the short line that names who signs above a signature line:
// "For Acme Components Ltd: Maria Jensen, COO".
var partyLine = regexp.MustCompile(`^\s*[^\n]{1,200}\s*$`)

// signingOf takes the typed signature lines out of a body (the "For …:"
// line and the "Signed: ____ Date: ____" line under it, in any language)
// together with the acceptance paragraph before them, and returns them as
// the PDF's signing page: the acceptance text and a block for each party,
// the client first, then the consultant, named from the cover. Every
// template gets the page, also one whose draft types no signature lines, as
// long as the cover names a client.
func signingOf(body string, c Cover, b *pdf.Branding) (string, *pdf.Signing) {
	paras := strings.Split(body, "\n\n")
	var keep []string
	var parties []string
	acceptance := ""
	found := false
	for i := 0; i < len(paras); i++ {
		p := paras[i]
		if !signatureLine.MatchString(p) {
			keep = append(keep, p)
			continue
		}
		found = true
		// The party line just before the signature line.
		if n := len(keep); n > 0 && partyLine.MatchString(keep[n-1]) && !strings.HasPrefix(strings.TrimSpace(keep[n-1]), "#") &&
			!strings.HasPrefix(strings.TrimSpace(keep[n-1]), "**") && strings.Contains(keep[n-1], ":") {
			parties = append(parties, strings.TrimSpace(keep[n-1]))
			keep = keep[:n-1]
		}
		// The acceptance paragraph: the bold-led paragraph before the first
		// signature block.
		if acceptance == "" {
			if n := len(keep); n > 0 && strings.HasPrefix(strings.TrimSpace(keep[n-1]), "**") {
				acceptance = strings.TrimSpace(keep[n-1])
				keep = keep[:n-1]
			}
		}
	}
	if !found && strings.TrimSpace(c.PreparedFor+c.Attention) == "" {
		// Nobody to sign for: no signature page.
		return body, nil
	}
	client := pdf.Signatory{Party: Sanitize(c.PreparedFor)}
	client.Name, client.Title = nameAndTitle(Sanitize(c.Attention))
	if client.Party == "" && len(parties) > 0 {
		client.Party, _, _ = strings.Cut(strings.TrimPrefix(parties[0], "For "), ":")
	}
	consultant := pdf.Signatory{}
	firm, person := splitFirm(Sanitize(c.PreparedBy))
	if b != nil && strings.TrimSpace(b.Firm) != "" {
		// The configured firm name is the one that signs.
		firm = oneLine(Sanitize(b.Firm))
	}
	if firm == "" {
		firm, person = person, ""
	}
	consultant.Party = firm
	consultant.Name, consultant.Title = nameAndTitle(person)
	return strings.TrimSpace(strings.Join(keep, "\n\n")), &pdf.Signing{
		Acceptance: acceptance,
		Parties:    []pdf.Signatory{client, consultant},
	}
}

// nameAndTitle splits "Maria Jensen, Chief Operating Officer".
func nameAndTitle(s string) (name, title string) {
	s = oneLine(s)
	name, title, _ = strings.Cut(s, ", ")
	return strings.TrimSpace(name), strings.TrimSpace(title)
}

// splitFirm splits who prepared the proposal into the firm and the person:
// "Northbridge Advisory — Tom Keller", "Sam Okafor, Principal, Okafor
// Advisory Ltd", "Alex Moreau, Lead Facilitator, Brightline Learning", "Lena
// Brandt, Brandt & Partner Consulting". When it cannot
// tell which part is the firm it returns the whole as the person.
func splitFirm(s string) (firm, person string) {
	s = oneLine(s)
	for _, sep := range []string{" — ", " – ", " - ", " | "} {
		if a, b, ok := strings.Cut(s, sep); ok {
			a, b = strings.TrimSpace(a), strings.TrimSpace(b)
			if firmLike(b) && !firmLike(a) {
				return b, a
			}
			return a, b
		}
	}
	parts := strings.Split(s, ", ")
	switch {
	case len(parts) >= 3:
		// "Name, role and firm", as the templates ask for it.
		return parts[len(parts)-1], strings.Join(parts[:len(parts)-1], ", ")
	case len(parts) >= 2 && firmLike(parts[0]) && !firmLike(parts[1]):
		return parts[0], strings.Join(parts[1:], ", ")
	case len(parts) == 2 && firmLike(parts[1]):
		return parts[1], parts[0]
	}
	return "", s
}

// firmWords mark an organisation's name in the languages the catalogs cover.
var firmWords = regexp.MustCompile(`(?i)(\b(ltd|limited|llc|llp|plc|inc|corp|co|gmbh|ag|kg|sa|s\.a|sl|s\.l|sarl|sas|bv|b\.v|nv|n\.v|srl|s\.r\.l|spa|s\.p\.a|k\.k|kk|lda|consulting|consultants?|consultores|consultoria|conseil|beratung|advisory|advisors|advisers|partners?|partnerschaft|associates|asociados|associados|associés|group|gruppe|grupo|groupe|company|compañía|firm|studio|agency|agencia)\b\.?|&)`)

func firmLike(s string) bool { return firmWords.MatchString(s) }

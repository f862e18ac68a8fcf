package templates

import "strings"

// acceptanceDraft is drafting text that ends a proposal with the acceptance
// paragraph and the client's signature line, in the catalog's language, for
// a template whose own drafting text has no signature line: every template
// that names a client (or a signatory) gets them, not only the built-ins,
// whose last section writes its own. It is "" when the template has its own
// signature line or names no one to sign.
func acceptanceDraft(t *Template, w *Catalog) string {
	if len(t.Sections) == 0 {
		return ""
	}
	for _, s := range t.Sections {
		if strings.Contains(s.Draft, "_____") {
			return ""
		}
	}
	return acceptanceText(t, w)
}

// acceptanceText is acceptanceDraft whatever the template's own text holds.
func acceptanceText(t *Template, w *Catalog) string {
	first := func(role string) string {
		if fs := t.FieldsWithRole(role); len(fs) > 0 {
			return fs[0].ID
		}
		return ""
	}
	party, signatory := first(RoleClient), first(RoleSignatory)
	if party == "" {
		party, signatory = signatory, ""
	}
	if party == "" {
		return ""
	}
	ref := "{{." + party + "}}"
	label := func(word string) string {
		return strings.ReplaceAll(w.Word("cover.label"), "{label}", w.Word(word))
	}
	var b strings.Builder
	b.WriteString("\n\n{{if ." + party + "}}**" + w.Word("acceptance.label") + ".** ")
	b.WriteString(oneLineText(strings.ReplaceAll(w.Word("acceptance.text"), "{client}", ref)))
	b.WriteString("\n\n" + strings.ReplaceAll(w.Word("signature.for"), "{party}", ref))
	if signatory != "" {
		b.WriteString("{{if ." + signatory + "}}: {{." + signatory + "}}{{end}}")
	}
	b.WriteString("\n\n" + label("signature.signature") + " ______________________  " + label("signature.date") + " ____________{{end}}")
	return b.String()
}

// lastPrinted is the template's last section that is printed (not
// internal): the one the acceptance paragraph ends.
func lastPrinted(t *Template) *Section {
	for i := len(t.Sections) - 1; i >= 0; i-- {
		if !t.Sections[i].Internal {
			return &t.Sections[i]
		}
	}
	return nil
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

// addAcceptance appends acceptanceDraft to the template's last section and
// parses the section again, after its own text was checked (so a problem in
// the user's text is reported as theirs). If the whole fails to parse, which
// only a catalog word holding "{{" could cause, the section keeps its text.
//
// A translated copy whose last section kept the template's text (the
// translation gives none) has the English paragraph: it is written again in
// the copy's language.
func addAcceptance(t *Template, w *Catalog) {
	if len(t.Sections) == 0 {
		return
	}
	last := lastPrinted(t)
	if last == nil {
		return
	}
	own := last.Draft
	if en := acceptanceText(t, BuiltinLanguages().English()); en != "" && !w.IsEnglish() && strings.HasSuffix(own, en) {
		own = strings.TrimSuffix(own, en)
	} else if acceptanceDraft(t, w) == "" {
		return
	}
	text := strings.TrimRight(own, " \n") + acceptanceText(t, w)
	fields := map[string]bool{}
	for _, s := range t.Sections {
		for _, f := range s.Fields {
			fields[f.ID] = true
		}
	}
	if pd, prob := checkDraft(last.ID, text, fields); prob == nil {
		last.Draft, last.parsed = text, pd
	}
}

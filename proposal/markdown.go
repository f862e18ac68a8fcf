package proposal

import (
	"strings"
	"time"

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
}

// CoverOf reads the cover from the facts by role, so every template gets one.
func CoverOf(t *templates.Template, facts Facts, today time.Time) Cover {
	get := func(role string) string {
		for _, f := range t.FieldsWithRole(role) {
			if v := RenderField(f, facts, today); v != "" {
				return strings.TrimSuffix(oneLine(v), AssumptionMark)
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
	}
	if c.Title == "" {
		c.Title = t.Name
	}
	if c.Date == "" {
		c.Date = FormatDate(today)
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

// Markdown writes the whole proposal: the title block, then the sections.
// Everything that came from a user or a model is sanitised on the way out.
func Markdown(c Cover, d Draft) string {
	var b strings.Builder
	b.WriteString("# ")
	b.WriteString(oneLine(Sanitize(c.Title)))
	b.WriteString("\n\n")
	line := func(k, v string) {
		if v = oneLine(Sanitize(v)); v != "" {
			b.WriteString("**" + k + ":** " + v + "  \n")
		}
	}
	line("Prepared for", c.PreparedFor)
	line("Attention", c.Attention)
	line("Prepared by", c.PreparedBy)
	line("Date", c.Date)
	line("Reference", c.Reference)
	if body := Body(d); body != "" {
		b.WriteString("\n")
		b.WriteString(body)
	}
	return strings.TrimRight(b.String(), " \n") + "\n"
}

package proposal

import (
	"strings"

	"propose/templates"
)

// The rules on the document as a whole.

// neededRoles are the roles without which the review cannot vouch for a
// proposal: who it is for, who signs, what it costs.
var neededRoles = []string{templates.RoleClient, templates.RoleSignatory, templates.RoleFees}

// templateRoles: a template (a user's own, usually) that gives no field one
// of the roles a proposal needs. The rules that read those roles cannot run,
// so the proposal could go out unsigned or unpriced without a word.
func (r *ruleRun) templateRoles() {
	src := r.t.Source
	if src == "" {
		src = r.t.ID
	}
	for _, role := range neededRoles {
		if len(r.t.FieldsWithRole(role)) == 0 {
			r.add("template-roles", Warning, "",
				"The template %q (%s) has no field with the role %q, so the review cannot check it: add \"roles: [%s]\" to the question that asks for it.",
				r.t.ID, src, role, role)
		}
	}
}

// isSignatureLine reports whether a line is a place to sign: a run of at
// least five underscores (whatever language the words around it are in).
func isSignatureLine(line string) bool {
	return strings.Contains(line, "_____")
}

// noAcceptance: a proposal the client has nowhere to accept. The section
// holding the signature line must also hold acceptance text: it names who
// accepts (the client or the signatory), as every built-in's does, or says
// "accept".
func (r *ruleRun) noAcceptance() {
	drafted := false
	for _, s := range r.draft.Sections {
		if strings.TrimSpace(s.Body) == "" {
			continue
		}
		drafted = true
		if !strings.ContainsFunc(s.Body, func(c rune) bool { return c == '_' }) {
			continue
		}
		signs := false
		for _, l := range strings.Split(s.Body, "\n") {
			signs = signs || isSignatureLine(l)
		}
		if !signs {
			continue
		}
		names := 0
		named := false
		for _, role := range []string{templates.RoleClient, templates.RoleSignatory} {
			for _, f := range r.t.FieldsWithRole(role) {
				if v := strings.TrimSpace(Sanitize(r.facts.Value(f.ID))); v != "" {
					names++
					named = named || strings.Contains(s.Body, v) || strings.Contains(s.Body, EscapeMarkdown(v))
				}
			}
		}
		// Names tell in any language; "accept" is the English fallback for
		// a user's template that names no one.
		if named || names == 0 || strings.Contains(strings.ToLower(s.Body), "accept") {
			return
		}
	}
	if !drafted {
		return
	}
	field, section := "", ""
	if fs := r.t.FieldsWithRole(templates.RoleSignatory); len(fs) > 0 {
		field = fs[0].ID
	}
	if n := len(r.t.Sections); n > 0 {
		section = r.t.Sections[n-1].ID
	}
	r.out = append(r.out, Finding{Rule: "no-acceptance", Severity: Blocker, Section: section, Field: field, Source: "rules",
		Message: "The proposal has no acceptance text naming who signs, or no line to sign on: the client has nowhere to say yes. " +
			"Add both to the last section's drafting text in the template (see the built-in templates' \"Acceptance\" paragraph and \"Signed: ____\" line)."})
}

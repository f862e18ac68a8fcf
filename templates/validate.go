package templates

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// idRE is the shape of template, section and field ids: they appear in
// drafting text as .id and in answers files as keys, so they stay simple.
var idRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// maxIDLen keeps ids readable in coverage maps and answers files.
const maxIDLen = 64

// roleKinds are the roles whose readers expect a particular kind of answer.
var roleKinds = map[string]Kind{
	RoleFees:       KindMoneyList,
	RoleDate:       KindDate,
	RoleStart:      KindDate,
	RoleOptions:    KindList,
	RoleMilestones: KindList,
	RoleShortName:  KindText,
	RolePayments:   KindList,

	RoleDecisionDate: KindDate,
	RoleAlternatives: KindList,
}

// singleRoles are the roles at most one field of a template may play: the
// program reads one value for each.
var singleRoles = []string{RoleTitle, RoleClient, RoleSignatory, RoleConsultant,
	RoleDate, RoleReference, RoleStart, RoleShortName, RoleDecisionDate, RoleBudget}

// validate checks what a template means, after decoding has checked its
// shape: ids, kinds, roles and drafting text. It returns each section's
// parsed drafting text, or the first problem, placed with l (nil for a
// template built in code).
func validate(t *Template, l *lines, file string) ([]*parsedDraft, *LoadError) {
	fail := func(line int, format string, args ...any) *LoadError {
		return &LoadError{File: file, Line: line, Problem: fmt.Sprintf(format, args...)}
	}
	tp := l.tmplPos()
	switch {
	case t.ID == "":
		return nil, fail(tp.at("id"), `missing "id": give the template a short id such as "board_advisory"`)
	case !validID(t.ID):
		return nil, fail(tp.at("id"), "template id %s", badID(t.ID, "board_advisory"))
	case t.Name == "":
		return nil, fail(tp.at("name"), `missing "name": give the template a short name people pick it by, such as "Board advisory"`)
	case len(t.Sections) == 0:
		return nil, fail(tp.at("sections"), `missing "sections": a template needs at least one section with fields`)
	}

	sectionLine := map[string]int{}
	fieldLine := map[string]int{}
	roleField := map[string]string{}
	for i := range t.Sections {
		s := &t.Sections[i]
		sp := l.section(i)
		ctx := fmt.Sprintf("section %d", i+1)
		switch {
		case s.ID == "":
			return nil, fail(sp.at("id"), `%s: missing "id": give the section a short id such as "approach"`, ctx)
		case !validID(s.ID):
			return nil, fail(sp.at("id"), "%s: section id %s", ctx, badID(s.ID, "approach"))
		}
		ctx = fmt.Sprintf("section %q", s.ID)
		if first, dup := sectionLine[s.ID]; dup {
			return nil, fail(sp.at("id"), "%s is defined twice (first on line %d); give each section its own id", ctx, first)
		}
		sectionLine[s.ID] = sp.at("id")
		if s.Title == "" && !s.NoHeading {
			return nil, fail(sp.at("title"), `%s: missing "title": add the heading the proposal shows, or set no_heading: true`, ctx)
		}
		if len(s.Fields) == 0 {
			return nil, fail(sp.at("fields"), `%s has no fields: add at least one field under "fields", or remove the section`, ctx)
		}
		if s.Internal && strings.TrimSpace(s.Draft) != "" {
			return nil, fail(sp.at("draft"), "%s is internal: it is never printed, so it has no drafting text; remove its draft", ctx)
		}
		for j := range s.Fields {
			f := &s.Fields[j]
			if err := validateField(f, l.field(i, j), ctx, j, fieldLine, roleField, fail); err != nil {
				return nil, err
			}
			if err := internalRoles(s, f, l.field(i, j), fail); err != nil {
				return nil, err
			}
		}
	}
	printed := false
	internal := map[string]string{} // field id -> its internal section
	for _, s := range t.Sections {
		printed = printed || !s.Internal
		for _, f := range s.Fields {
			if s.Internal {
				internal[f.ID] = s.ID
			}
		}
	}
	if !printed {
		return nil, fail(tp.at("sections"), "every section is internal, so the proposal would print nothing; make at least one section a printed one")
	}

	fields := map[string]bool{}
	for id := range fieldLine {
		fields[id] = true
	}
	for i := range t.Sections {
		for j := range t.Sections[i].Fields {
			f := &t.Sections[i].Fields[j]
			if f.FrameEnd != "" {
				if msg := checkFrame(f, f.FrameEnd, fields); msg != "" {
					return nil, fail(l.field(i, j).at("frame_end"), "field %q: %s", f.ID, msg)
				}
			}
			if f.Frame == "" {
				continue
			}
			if msg := checkFrame(f, f.Frame, fields); msg != "" {
				return nil, fail(l.field(i, j).at("frame"), "field %q: %s", f.ID, msg)
			}
		}
	}
	drafts := make([]*parsedDraft, len(t.Sections))
	for i := range t.Sections {
		s := &t.Sections[i]
		pd, prob := checkDraft(s.ID, s.Draft, fields)
		if prob != nil {
			sp := l.section(i)
			line := sp.at("draft")
			where := ""
			switch {
			case sp == nil || prob.line == 0:
			case sp.draftExact:
				line = sp.draftFirst + prob.line - 1
			default:
				where = fmt.Sprintf(" (line %d of the drafting text)", prob.line)
			}
			return nil, fail(line, "draft of section %q%s %s", s.ID, where, prob.msg)
		}
		drafts[i] = pd
		for _, id := range pd.fields {
			if in, ok := internal[id]; ok {
				return nil, fail(l.section(i).at("draft"),
					"draft of section %q uses .%s, a field of the internal section %q: its answer is never printed; leave it out, or move the field to a printed section",
					s.ID, id, in)
			}
		}
	}
	return drafts, nil
}

// internalRoles checks that a field plays only roles that fit its section:
// the discovery roles (InternalRoles) in an internal section, and the
// document's roles (everything the cover, the tables and the acceptance
// print) outside one.
func internalRoles(s *Section, f *Field, fp *pos, fail func(int, string, ...any) *LoadError) *LoadError {
	for k, r := range f.Roles {
		switch {
		case s.Internal && !contains(InternalRoles, r):
			return fail(fp.item("roles", k), "field %q: role %q is printed in the proposal, but section %q is internal and never printed; move the field to a printed section or remove the role",
				f.ID, r, s.ID)
		case !s.Internal && contains(InternalRoles, r):
			return fail(fp.item("roles", k), "field %q: role %q is for the consultant only (the client must not read it); put the field in a section with internal: true",
				f.ID, r)
		}
	}
	if f.HasRole(RolePayments) && len(f.Columns) < 2 {
		return fail(fp.at("roles"), `field %q: role "payments" needs columns, such as [Payment on acceptance of, Share], for lines written "milestone: share"`, f.ID)
	}
	return nil
}

func (l *lines) tmplPos() *pos {
	if l == nil {
		return nil
	}
	return l.tmpl
}

// validateField checks one field; seen and roles carry what earlier fields
// of the template used, so ids and single roles stay unique.
func validateField(f *Field, fp *pos, sectionCtx string, j int, seen map[string]int, roles map[string]string,
	fail func(int, string, ...any) *LoadError) *LoadError {
	ctx := fmt.Sprintf("%s: field %d", sectionCtx, j+1)
	switch {
	case f.ID == "":
		return fail(fp.at("id"), `%s: missing "id": give the field a short id such as "objectives"`, ctx)
	case !validID(f.ID):
		return fail(fp.at("id"), "%s: field id %s", ctx, badID(f.ID, "objectives"))
	case isDraftKey(f.ID):
		return fail(fp.at("id"), "%s: field id %q is kept for the drafting text (.%s is filled in by the drafter); choose another id",
			ctx, f.ID, f.ID)
	}
	ctx = fmt.Sprintf("field %q", f.ID)
	if first, dup := seen[f.ID]; dup {
		return fail(fp.at("id"), "%s is defined twice (first on line %d); field ids must be unique across the whole template", ctx, first)
	}
	seen[f.ID] = fp.at("id")
	if f.Question == "" {
		return fail(fp.at("question"), `%s: missing "question": add the question the interviewer asks, in one clear sentence`, ctx)
	}
	if !contains(kindNames(), string(f.Kind)) {
		if f.Kind == "" {
			return fail(fp.at("kind"), `%s: missing "kind" (use one of %s)`, ctx, strings.Join(kindNames(), ", "))
		}
		return fail(fp.at("kind"), "%s: unknown kind %q (use one of %s)", ctx, f.Kind, strings.Join(kindNames(), ", "))
	}

	if f.Kind == KindChoice && len(f.Choices) == 0 {
		return fail(fp.at("kind"), `%s: a choice field needs "choices", the answers it offers, such as [fixed fee, time and materials]`, ctx)
	}
	if f.Kind != KindChoice && len(f.Choices) > 0 {
		return fail(fp.at("choices"), `%s: "choices" only apply to choice fields; set kind: choice or remove them`, ctx)
	}
	seenChoice := map[string]bool{}
	for k, c := range f.Choices {
		if c == "" {
			return fail(fp.item("choices", k), "%s: choice %d is empty; remove it or write the answer", ctx, k+1)
		}
		if seenChoice[strings.ToLower(c)] {
			return fail(fp.item("choices", k), "%s: choice %q is listed twice; remove one", ctx, c)
		}
		seenChoice[strings.ToLower(c)] = true
	}

	if len(f.Columns) > 0 {
		if f.Kind != KindList {
			return fail(fp.at("columns"), `%s: "columns" only apply to list fields; set kind: list or remove them`, ctx)
		}
		if len(f.Columns) < 2 {
			return fail(fp.at("columns"), `%s: "columns" needs at least two names, one for each part of an "a: b" line`, ctx)
		}
		for k, c := range f.Columns {
			if c == "" {
				return fail(fp.item("columns", k), "%s: column %d has no name; name it or remove it", ctx, k+1)
			}
		}
		if len(f.ColumnTypes) > 0 && len(f.ColumnTypes) != len(f.Columns) {
			return fail(fp.at("columns"), "%s: %d column types for %d columns; give each column one type", ctx, len(f.ColumnTypes), len(f.Columns))
		}
		for k, ct := range f.ColumnTypes {
			if !containsType(ColumnTypes, ct) {
				return fail(fp.item("columns", k), "%s: column %q has the unknown type %q; use one of %s", ctx, f.Columns[k], ct, columnTypeNames())
			}
		}
	}
	if f.Split != "" && len(f.Columns) == 0 {
		return fail(fp.at("split"), `%s: "split" only applies to a list field with columns; add columns or remove it`, ctx)
	}

	for k, r := range f.Roles {
		line := fp.item("roles", k)
		if !contains(Roles, r) {
			hint := ""
			if c := closest(r, Roles); c != "" {
				hint = fmt.Sprintf("did you mean %q? ", c)
			}
			return fail(line, "%s: unknown role %q (%suse one of %s)", ctx, r, hint, strings.Join(Roles, ", "))
		}
		if want, ok := roleKinds[r]; ok && f.Kind != want {
			return fail(line, "%s: role %q needs kind %s, not %s; change the kind or remove the role", ctx, r, want, f.Kind)
		}
		if contains(singleRoles, r) {
			if other, taken := roles[r]; taken && other != f.ID {
				return fail(line, "%s: role %q is already played by field %q; a template has one %s field", ctx, r, other, r)
			}
			roles[r] = f.ID
		}
	}

	if f.Default != "" {
		switch f.Kind {
		case KindDate:
			if _, err := time.Parse("2006-01-02", f.Default); f.Default != "today" && err != nil {
				return fail(fp.at("default"), `%s: default %q is not a date; use "today" or a date written 2027-01-31`, ctx, f.Default)
			}
		case KindChoice:
			if !containsFold(f.Choices, f.Default) {
				return fail(fp.at("default"), "%s: default %q is not one of the choices (%s)", ctx, f.Default, strings.Join(f.Choices, ", "))
			}
		}
	}
	return nil
}

func validID(id string) bool { return len(id) <= maxIDLen && idRE.MatchString(id) }

// badID explains what is wrong with an id and shows a good one.
func badID(id, example string) string {
	if len(id) > maxIDLen {
		return fmt.Sprintf("%q is longer than %d characters; shorten it", clip(id, 20), maxIDLen)
	}
	return fmt.Sprintf("%q is not valid: use lower-case letters, digits and _, starting with a letter (such as %q)", id, example)
}

func kindNames() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = string(k)
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// hiddenChars are the bidirectional controls and invisible format characters
// a template may not hold: shown in the terminal or written to a proposal,
// they hide text or make it read in another order than it is stored
// ("Trojan Source"), so what the user reviewed is not what the client gets.
var hiddenChars = map[rune]string{
	0x061C: "arabic letter mark", 0x200B: "zero width space", 0x200E: "left-to-right mark",
	0x200F: "right-to-left mark", 0x202A: "left-to-right embedding", 0x202B: "right-to-left embedding",
	0x202C: "pop directional formatting", 0x202D: "left-to-right override", 0x202E: "right-to-left override",
	0x2060: "word joiner", 0x2061: "function application", 0x2062: "invisible times",
	0x2063: "invisible separator", 0x2064: "invisible plus", 0x2066: "left-to-right isolate",
	0x2067: "right-to-left isolate", 0x2068: "first strong isolate", 0x2069: "pop directional isolate",
	0x180E: "mongolian vowel separator", 0xFEFF: "zero width no-break space", 0xFFF9: "interlinear annotation anchor",
	0xFFFA: "interlinear annotation separator", 0xFFFB: "interlinear annotation terminator",
}

// maxCharProblems caps how many rejected characters one message lists.
const maxCharProblems = 20

// scanChars refuses a template file holding control characters, bidirectional
// controls or invisible format characters anywhere, naming every one with its
// line, so the user can find each: the YAML library reports a raw control
// byte without a line, and a bidi control would otherwise reach the screen.
// A byte order mark at the very start is allowed.
func scanChars(name string, data []byte) *LoadError {
	var found []string
	first, count := 0, 0
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		var what string
		switch {
		case r == utf8.RuneError && size == 1:
			what = fmt.Sprintf("the byte 0x%02X (not UTF-8; save the file as UTF-8)", data[i])
		case r == '\n':
			line++
		case r == '\t' || r == '\r':
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			what = fmt.Sprintf("the control character U+%04X", r)
		case r == 0xFEFF && i == 0:
		case r >= 0xE0000 && r <= 0xE007F:
			what = fmt.Sprintf("U+%04X (an invisible tag character)", r)
		default:
			if n, ok := hiddenChars[r]; ok {
				what = fmt.Sprintf("U+%04X (%s)", r, n)
			}
		}
		if what != "" {
			if count == 0 {
				first = line
			}
			count++
			if len(found) < maxCharProblems {
				found = append(found, what+" on line "+strconv.Itoa(line))
			}
		}
		i += size
	}
	if count == 0 {
		return nil
	}
	list := strings.Join(found, ", ")
	if count > len(found) {
		list += fmt.Sprintf(" and %d more", count-len(found))
	}
	return &LoadError{File: name, Line: first, Problem: "holds characters a template may not: " + list +
		"; remove them (control characters and invisible or direction-changing ones can hide or reorder text on screen)"}
}

func containsType(list []ColumnType, t ColumnType) bool {
	for _, x := range list {
		if x == t {
			return true
		}
	}
	return false
}

func columnTypeNames() string {
	names := make([]string, len(ColumnTypes))
	for i, t := range ColumnTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

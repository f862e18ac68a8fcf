// Package templates holds proposal templates: the sections of a proposal, the
// questions that fill them and the offline drafting text for each section. The
// built-in templates are YAML files embedded in the binary; a user's own folder
// can add templates or override a built-in one with the same id.
package templates

// Kind says what shape of answer a field takes.
type Kind string

// The kinds of field a template may use.
const (
	// KindText is free prose.
	KindText Kind = "text"
	// KindList is one item a line.
	KindList Kind = "list"
	// KindMoneyList is one "item: amount" a line; amounts are parsed and totalled.
	KindMoneyList Kind = "money-list"
	// KindDate is a calendar date.
	KindDate Kind = "date"
	// KindChoice is one of the field's Choices.
	KindChoice Kind = "choice"
)

// Kinds lists every valid Kind, in the order the documentation gives them.
var Kinds = []Kind{KindText, KindList, KindMoneyList, KindDate, KindChoice}

// ColumnType says what a table column holds.
type ColumnType string

// The column types a list field's columns may declare.
const (
	ColumnText     ColumnType = "text"
	ColumnMoney    ColumnType = "money"
	ColumnDate     ColumnType = "date"
	ColumnTime     ColumnType = "time"
	ColumnDuration ColumnType = "duration"
)

// ColumnTypes lists every column type, in the order the documentation gives them.
var ColumnTypes = []ColumnType{ColumnText, ColumnMoney, ColumnDate, ColumnTime, ColumnDuration}

// ColumnType returns the type of column i: text when the template gives none.
func (f *Field) ColumnType(i int) ColumnType {
	if i < len(f.ColumnTypes) && f.ColumnTypes[i] != "" {
		return f.ColumnTypes[i]
	}
	return ColumnText
}

// Separator is what splits a line of the field into its cells: ":" unless
// the template gives another.
func (f *Field) Separator() string {
	if f.Split != "" {
		return f.Split
	}
	return ":"
}

// Field is one question of a section and the fact its answer becomes.
type Field struct {
	// ID names the fact; answers files and drafting text refer to it.
	ID string `yaml:"id" json:"id"`
	// Label is a short name for the field, shown in coverage maps and tables.
	Label string `yaml:"label" json:"label"`
	// Question is what the interviewer asks.
	Question string `yaml:"question" json:"question"`
	// Why says why the question matters to the proposal.
	Why string `yaml:"why" json:"why"`
	// Example shows a good answer.
	Example string `yaml:"example" json:"example"`
	// Kind is the answer's shape.
	Kind Kind `yaml:"kind" json:"kind"`
	// Required fields must be answered before the proposal can be exported.
	Required bool `yaml:"required" json:"required"`
	// Choices are the allowed answers of a choice field.
	Choices []string `yaml:"choices,omitempty" json:"choices,omitempty"`
	// Default is used when the field is never answered: "today" for a date
	// field means the day the proposal is drafted.
	Default string `yaml:"default,omitempty" json:"default,omitempty"`
	// Assume is the assumption stated when the user answers "assume".
	Assume string `yaml:"assume,omitempty" json:"assume,omitempty"`
	// Columns, for a list field whose lines are "a: b: c", names the table
	// columns the drafter lays the lines out in (e.g. Option, Scope, Investment).
	Columns []string `yaml:"columns,omitempty" json:"columns,omitempty"`
	// ColumnTypes, parallel to Columns, say what each column holds: text (a
	// column given as a plain name), money, date, time or duration. Only
	// money columns align right; date columns are written the way the rest
	// of the proposal writes dates. A translation renames columns, never
	// retypes them.
	ColumnTypes []ColumnType `yaml:"-" json:"column_types,omitempty"`
	// Split is what separates the cells of a line: ":" when not given. A
	// colon between two digits (the one in 09:30) never splits.
	Split string `yaml:"split,omitempty" json:"split,omitempty"`
	// Frame is a sentence the drafter writes a short answer into: a
	// fragment such as "30 days" or, for a list, a single item becomes
	// "This proposal is valid for 30 days from its date." {id} marks where
	// the answer goes (the field's own id); other fields may be named the
	// same way ({client}). An answer that is already sentences, or a list
	// of more than one item, is written as it stands.
	Frame string `yaml:"frame,omitempty" json:"frame,omitempty"`
	// FrameEnd is the frame for an answer that names an end rather than a
	// length ("until 28 February 2027", which starts with a word of the
	// catalog's wording.until): "This proposal is valid {validity}." The
	// answer goes in with its opening word.
	FrameEnd string `yaml:"frame_end,omitempty" json:"frame_end,omitempty"`
	// Roles say what the field means to the rest of the program, whatever its
	// id: the title block, the reviewer's rules and the PDF cover read fields by
	// role. See Roles in this package for the known ones.
	Roles []string `yaml:"roles,omitempty" json:"roles,omitempty"`
}

// Section is one part of the proposal, drafted from its fields.
type Section struct {
	// ID names the section.
	ID string `yaml:"id" json:"id"`
	// Title is the section's heading in the proposal.
	Title string `yaml:"title" json:"title"`
	// Fields are the section's questions, in the order they are asked.
	Fields []Field `yaml:"fields" json:"fields"`
	// Draft is the offline drafting text: a Go text/template over the section's
	// facts (see the package documentation in README.md of this folder).
	Draft string `yaml:"draft" json:"draft"`
	// NoHeading, when true, drafts the section without a heading (the cover).
	NoHeading bool `yaml:"no_heading,omitempty" json:"no_heading,omitempty"`
	// Internal, when true, makes the section the consultant's own notes from
	// discovery (who decides and by when, the budget, the alternatives):
	// asked like any other, never printed, never drafted and never sent to
	// a model that drafts or reviews. The offline drafter and the reviewer
	// read its fields by role (budget, decision-date, alternatives). An
	// internal section has no drafting text, and no other section's
	// drafting text may use its fields.
	Internal bool `yaml:"internal,omitempty" json:"internal,omitempty"`

	// parsed is the drafting text checked and parsed at load, so the drafter
	// does not parse it again for every redraft. It is set once, before the
	// template is shared, and only read afterwards.
	parsed *parsedDraft
}

// Template is a kind of proposal: its sections in order.
type Template struct {
	// ID names the template, e.g. "consulting".
	ID string `yaml:"id" json:"id"`
	// Name is a short human name, e.g. "Consulting engagement".
	Name string `yaml:"name" json:"name"`
	// Description says when to use the template.
	Description string `yaml:"description" json:"description"`
	// Document names the kind of document the template writes, as the cover
	// shows it: "Proposal", "Statement of work". A translation gives its own.
	Document string `yaml:"document,omitempty" json:"document,omitempty"`
	// Sections are the proposal's parts, in document order.
	Sections []Section `yaml:"sections" json:"sections"`
	// Source is "built-in" or the path of the user's file it came from.
	Source string `yaml:"-" json:"-"`

	// The template's languages (see localize.go): the translations loaded
	// with it, the catalogs it writes with, and for a translated copy its
	// language and what it lacks.
	l10n *l10n
}

// The roles a field can play. A template may give a field any of these; the
// program finds fields by role so that every template gets the title block,
// the cover page and the review rules without naming field ids in code.
const (
	RoleTitle       = "title"        // the proposal's title
	RoleClient      = "client"       // the client organisation ("prepared for")
	RoleSignatory   = "signatory"    // the person who signs for the client
	RoleConsultant  = "consultant"   // who prepares it ("prepared by")
	RoleDate        = "date"         // the proposal's date
	RoleReference   = "reference"    // an optional reference number
	RoleStart       = "start"        // the start date milestones follow
	RoleObjective   = "objective"    // business outcomes, not tasks
	RoleMeasure     = "measure"      // measures of success: each needs a number or date
	RoleValue       = "value"        // the value to the client, best quantified
	RoleFees        = "fees"         // money lines with amounts, totalled
	RoleOptions     = "options"      // priced options ("Name: scope: amount")
	RoleMilestones  = "milestones"   // "date: milestone" lines, in order
	RoleOutOfScope  = "out-of-scope" // what is explicitly excluded
	RoleAssumptions = "assumptions"  // the assumptions the price rests on
	RoleShortName   = "short-name"   // what the client is called after its first mention
	RoleInaction    = "inaction"     // what doing nothing costs the client
	RoleWhyUs       = "why-us"       // why the client should choose this firm
	RolePayments    = "payments"     // "milestone: share" lines; amounts computed from the fees
	RoleTerm        = "term"         // the initial term of a monthly fee ("18 months"): its total is computed

	// Discovery roles: played only by fields of an internal section.
	RoleDecisionDate = "decision-date" // when the client will decide
	RoleBudget       = "budget"        // the budget range the buyer indicated
	RoleAlternatives = "alternatives"  // what else the client weighs: doing nothing, in-house, another firm
)

// Roles lists every known role.
var Roles = []string{RoleTitle, RoleClient, RoleSignatory, RoleConsultant, RoleDate,
	RoleReference, RoleStart, RoleObjective, RoleMeasure, RoleValue, RoleFees,
	RoleOptions, RoleMilestones, RoleOutOfScope, RoleAssumptions, RoleShortName, RoleInaction, RoleWhyUs,
	RolePayments, RoleTerm, RoleDecisionDate, RoleBudget, RoleAlternatives}

// InternalRoles are the roles only a field of an internal section may play:
// their answers are for the consultant, never for the client.
var InternalRoles = []string{RoleDecisionDate, RoleBudget, RoleAlternatives}

// Internal reports whether the field with the id belongs to an internal
// section: its answer is never printed or sent to a drafting model.
func (t *Template) Internal(id string) bool {
	s, _ := t.Field(id)
	return s != nil && s.Internal
}

// HasRole reports whether the field plays the role.
func (f *Field) HasRole(role string) bool {
	for _, r := range f.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Field returns the field with the id and the section that holds it.
func (t *Template) Field(id string) (*Section, *Field) {
	for i := range t.Sections {
		s := &t.Sections[i]
		for j := range s.Fields {
			if s.Fields[j].ID == id {
				return s, &s.Fields[j]
			}
		}
	}
	return nil, nil
}

// FieldsWithRole returns every field that plays the role, in template order.
func (t *Template) FieldsWithRole(role string) []*Field {
	var out []*Field
	for i := range t.Sections {
		for j := range t.Sections[i].Fields {
			if f := &t.Sections[i].Fields[j]; f.HasRole(role) {
				out = append(out, f)
			}
		}
	}
	return out
}

// Section returns the section with the id, or nil.
func (t *Template) Section(id string) *Section {
	for i := range t.Sections {
		if t.Sections[i].ID == id {
			return &t.Sections[i]
		}
	}
	return nil
}

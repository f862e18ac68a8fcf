package templates

import (
	"math/rand"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func builtins(t *testing.T) *Set {
	t.Helper()
	set, errs := Load("")
	for _, err := range errs {
		t.Errorf("built-in template does not load: %v", err)
	}
	return set
}

func TestBuiltinsLoad(t *testing.T) {
	set := builtins(t)
	var ids []string
	for _, tp := range set.List() {
		ids = append(ids, tp.ID)
		if tp.Source != SourceBuiltIn {
			t.Errorf("%s: Source = %q, want %q", tp.ID, tp.Source, SourceBuiltIn)
		}
		if err := tp.Validate(); err != nil {
			t.Errorf("%s: Validate: %v", tp.ID, err)
		}
		if tp.Name == "" || tp.Description == "" {
			t.Errorf("%s: needs a name and a description", tp.ID)
		}
	}
	want := []string{"consulting", "retainer", "sow", "workshop"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("List() ids = %v, want %v", ids, want)
	}
	if d := set.Default(); d == nil || d.ID != DefaultID {
		t.Errorf("Default() = %v, want consulting", d)
	}
}

// TestConsultingFields pins the consulting template's field ids: answers
// files written by users and other programs rely on them.
func TestConsultingFields(t *testing.T) {
	tp, ok := builtins(t).Get("consulting")
	if !ok {
		t.Fatal("no consulting template")
	}
	type want struct {
		section  string
		kind     Kind
		required bool
		role     string
	}
	fields := map[string]want{
		"title":           {"cover", KindText, true, RoleTitle},
		"client":          {"cover", KindText, true, RoleClient},
		"buyer":           {"cover", KindText, true, RoleSignatory},
		"consultant":      {"cover", KindText, true, RoleConsultant},
		"date":            {"cover", KindDate, false, RoleDate},
		"situation":       {"situation", KindText, true, ""},
		"trigger":         {"situation", KindText, false, ""},
		"objectives":      {"objectives", KindList, true, RoleObjective},
		"measures":        {"measures", KindList, true, RoleMeasure},
		"value":           {"value", KindText, false, RoleValue},
		"phases":          {"approach", KindList, true, ""},
		"deliverables":    {"approach", KindList, true, ""},
		"options":         {"approach", KindList, false, RoleOptions},
		"start":           {"timing", KindDate, true, RoleStart},
		"milestones":      {"timing", KindList, false, RoleMilestones},
		"client_provides": {"accountabilities", KindList, false, ""},
		"team":            {"accountabilities", KindList, false, ""},
		"pricing":         {"investment", KindChoice, false, ""},
		"fees":            {"investment", KindMoneyList, true, RoleFees},
		"payment_terms":   {"investment", KindText, false, ""},
		"expenses":        {"investment", KindText, false, ""},
		"assumptions":     {"assumptions", KindList, true, RoleAssumptions},
		"out_of_scope":    {"assumptions", KindList, false, RoleOutOfScope},
		"risks":           {"assumptions", KindList, false, ""},
		"validity":        {"terms", KindText, false, ""},
		"terms":           {"terms", KindText, false, ""},

		"decision_makers":   {"discovery", KindText, false, ""},
		"decision_date":     {"discovery", KindDate, false, RoleDecisionDate},
		"budget":            {"discovery", KindText, false, RoleBudget},
		"alternatives":      {"discovery", KindList, false, RoleAlternatives},
		"previous_attempts": {"discovery", KindText, false, ""},
		"stakeholders":      {"discovery", KindList, false, ""},
		"cost_of_inaction":  {"value", KindText, false, RoleInaction},
		"why_us":            {"value", KindText, false, RoleWhyUs},
		"payment_schedule":  {"investment", KindList, false, RolePayments},
	}
	got := 0
	for _, s := range tp.Sections {
		got += len(s.Fields)
	}
	if got != len(fields) {
		t.Errorf("consulting has %d fields, want exactly %d", got, len(fields))
	}
	for id, w := range fields {
		t.Run(id, func(t *testing.T) {
			s, f := tp.Field(id)
			if f == nil {
				t.Fatalf("no field %q", id)
			}
			if s.ID != w.section {
				t.Errorf("section = %q, want %q", s.ID, w.section)
			}
			if f.Kind != w.kind {
				t.Errorf("kind = %q, want %q", f.Kind, w.kind)
			}
			if f.Required != w.required {
				t.Errorf("required = %v, want %v", f.Required, w.required)
			}
			if w.role != "" && !f.HasRole(w.role) {
				t.Errorf("roles = %v, want %q among them", f.Roles, w.role)
			}
		})
	}
	if _, f := tp.Field("date"); f.Default != "today" {
		t.Errorf(`date default = %q, want "today"`, f.Default)
	}
	if _, f := tp.Field("options"); !reflect.DeepEqual(f.Columns, []string{"Option", "Scope", "Investment"}) {
		t.Errorf("options columns = %v", f.Columns)
	}
	if _, f := tp.Field("milestones"); !reflect.DeepEqual(f.Columns, []string{"Date", "Milestone"}) {
		t.Errorf("milestones columns = %v", f.Columns)
	}
	if _, f := tp.Field("pricing"); !reflect.DeepEqual(f.Choices, []string{"fixed fee", "time and materials", "retainer", "value-based"}) {
		t.Errorf("pricing choices = %v", f.Choices)
	}
	if c := tp.Section("cover"); c == nil || !c.NoHeading {
		t.Error("cover must have no heading")
	}
	if d := tp.Section("discovery"); d == nil || !d.Internal {
		t.Error("discovery must be internal")
	}
	var sections []string
	for _, s := range tp.Sections {
		sections = append(sections, s.ID)
	}
	wantSections := []string{"cover", "discovery", "situation", "objectives", "measures", "value", "approach", "timing",
		"accountabilities", "investment", "assumptions", "terms"}
	if !reflect.DeepEqual(sections, wantSections) {
		t.Errorf("sections = %v, want %v", sections, wantSections)
	}
}

// TestBuiltinRoles checks every built-in gives the program what its title
// block, cover and review rules look for.
func TestBuiltinRoles(t *testing.T) {
	for _, tp := range builtins(t).List() {
		t.Run(tp.ID, func(t *testing.T) {
			cover := tp.Sections[0]
			for _, role := range []string{RoleTitle, RoleClient, RoleSignatory, RoleConsultant, RoleDate} {
				fs := tp.FieldsWithRole(role)
				if len(fs) != 1 {
					t.Errorf("role %q: %d fields, want 1", role, len(fs))
					continue
				}
				if s, _ := tp.Field(fs[0].ID); s.ID != cover.ID {
					t.Errorf("role %q is on field %q outside the cover", role, fs[0].ID)
				}
			}
			wantKind := map[string]Kind{
				RoleFees: KindMoneyList, RoleMeasure: KindList, RoleObjective: KindList,
				RoleOutOfScope: KindList, RoleStart: KindDate, RoleAssumptions: KindList,
			}
			for role, kind := range wantKind {
				fs := tp.FieldsWithRole(role)
				if len(fs) == 0 {
					t.Errorf("no field plays role %q", role)
				}
				for _, f := range fs {
					if f.Kind != kind {
						t.Errorf("role %q on %q: kind %s, want %s", role, f.ID, f.Kind, kind)
					}
				}
			}
			for _, id := range []string{"title", "client", "buyer", "consultant", "date", "start", "fees", "out_of_scope", "objectives", "measures"} {
				if _, f := tp.Field(id); f == nil {
					t.Errorf("no field %q (shared ids keep answers files portable)", id)
				}
			}
		})
	}
}

var placeholderRE = regexp.MustCompile(`(?i)\bTBD\b|\bTODO\b|XXX|\?\?|\[insert|lorem|<no value>`)

// TestBuiltinFieldsComplete holds the built-ins to the standard a user's
// template is judged by: every field asks one clear question, says why, and
// shows a good answer.
func TestBuiltinFieldsComplete(t *testing.T) {
	for _, tp := range builtins(t).List() {
		for _, s := range tp.Sections {
			if !s.NoHeading && !s.Internal && strings.TrimSpace(s.Draft) == "" {
				t.Errorf("%s/%s: no drafting text", tp.ID, s.ID)
			}
			if placeholderRE.MatchString(s.Draft) {
				t.Errorf("%s/%s: drafting text holds placeholder text", tp.ID, s.ID)
			}
			for _, f := range s.Fields {
				where := tp.ID + "/" + f.ID
				if f.Label == "" || f.Question == "" || f.Why == "" || f.Example == "" {
					t.Errorf("%s: needs label, question, why and example", where)
				}
				if !strings.HasSuffix(f.Question, "?") && !strings.HasSuffix(f.Question, ".") {
					t.Errorf("%s: question should end with ? or a full stop: %q", where, f.Question)
				}
				if n := strings.Count(f.Why, ". ") + 1; n > 2 {
					t.Errorf("%s: why has %d sentences, keep it to one or two", where, n)
				}
				for _, text := range []string{f.Question, f.Why, f.Example, f.Assume, f.Default, f.Label} {
					if placeholderRE.MatchString(text) {
						t.Errorf("%s: placeholder text in %q", where, text)
					}
				}
				if f.Kind == KindChoice && !containsFold(f.Choices, f.Example) {
					t.Errorf("%s: example %q is not one of the choices", where, f.Example)
				}
				if f.Kind == KindMoneyList || len(f.Columns) > 0 {
					for _, line := range strings.Split(f.Example, "\n") {
						if want := max(2, len(f.Columns)); len(strings.Split(line, ": ")) < want {
							t.Errorf("%s: example line %q should have %d parts split by \": \"", where, line, want)
						}
					}
				}
			}
		}
	}
}

// TestBuiltinDraftsRender drafts every built-in with all, none and random
// subsets of its fields answered (stated or assumed), as the drafter would,
// and checks the prose is clean: no gaps, no stray markup, lists and tables
// set off by blank lines, and every answer that was given appears.
func TestBuiltinDraftsRender(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, tp := range builtins(t).List() {
		for trial := 0; trial < 300; trial++ {
			var answered func(*Field) bool
			switch trial {
			case 0:
				answered = all
			case 1:
				answered = func(*Field) bool { return false }
			default:
				answered = func(*Field) bool { return rng.Intn(2) == 0 }
			}
			data := exampleData(tp, answered, trial%3 == 2)
			for i := range tp.Sections {
				s := &tp.Sections[i]
				out, err := s.RenderDraft(data)
				if err != nil {
					t.Fatalf("%s/%s: %v", tp.ID, s.ID, err)
				}
				checkDraftOutput(t, tp, s, data, out)
			}
		}
	}
}

func checkDraftOutput(t *testing.T, tp *Template, s *Section, data map[string]string, out string) {
	t.Helper()
	where := tp.ID + "/" + s.ID
	if strings.Contains(out, "\n\n\n") || out != strings.TrimSpace(out) {
		t.Errorf("%s: untidy blank lines:\n%s", where, out)
	}
	if placeholderRE.MatchString(out) || strings.Contains(out, "{{") || strings.Contains(out, "  \n") {
		t.Errorf("%s: stray text in draft:\n%s", where, out)
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		block := strings.HasPrefix(l, "- ") || strings.HasPrefix(l, "|")
		if !block {
			continue
		}
		if i > 0 && lines[i-1] != "" && !sameBlock(lines[i-1], l) {
			t.Errorf("%s: list or table without a blank line before it:\n%s", where, out)
		}
		if i+1 < len(lines) && lines[i+1] != "" && !sameBlock(lines[i+1], l) {
			t.Errorf("%s: list or table without a blank line after it:\n%s", where, out)
		}
	}
	// Every answered field of the section must show in its draft, unless the
	// section has no heading (the exporter draws the cover from roles) or
	// is internal (never printed: it has no drafting text at all).
	if s.Internal && out != "" {
		t.Errorf("%s: an internal section drafted text:\n%s", where, out)
	}
	if s.NoHeading || s.Internal {
		return
	}
	for _, f := range s.Fields {
		if v := data[f.ID]; v != "" && !strings.Contains(out, v) {
			t.Errorf("%s: the answer to %q is missing from the draft:\n%s", where, f.ID, out)
		}
	}
}

func sameBlock(a, b string) bool {
	return strings.HasPrefix(a, "- ") == strings.HasPrefix(b, "- ") && strings.HasPrefix(a, "|") == strings.HasPrefix(b, "|")
}

// TestKnownKeysMatchTags keeps the decoder's key lists in step with the
// struct tags others code against.
func TestKnownKeysMatchTags(t *testing.T) {
	for _, c := range []struct {
		v    any
		keys []string
	}{{Template{}, templateKeys}, {Section{}, sectionKeys}, {Field{}, fieldKeys}} {
		var tags []string
		rt := reflect.TypeOf(c.v)
		for i := 0; i < rt.NumField(); i++ {
			tag := strings.Split(rt.Field(i).Tag.Get("yaml"), ",")[0]
			if tag != "" && tag != "-" {
				tags = append(tags, tag)
			}
		}
		if !reflect.DeepEqual(tags, c.keys) {
			t.Errorf("%s: yaml tags %v, decoder keys %v", rt.Name(), tags, c.keys)
		}
	}
}

// TestReadmeExample keeps the README's complete example a working template.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "```yaml\nid: board_advisory\nname: Board advisory\ndescription: A short")
	if start < 0 {
		t.Fatal("README has no complete example")
	}
	body := text[start+len("```yaml\n"):]
	body = body[:strings.Index(body, "```")]
	tp, err := Parse("README.md", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	data := exampleData(tp, all, false)
	for i := range tp.Sections {
		out, err := tp.Sections[i].RenderDraft(data)
		if err != nil {
			t.Fatal(err)
		}
		checkDraftOutput(t, tp, &tp.Sections[i], data, out)
	}
}

package templates

import (
	"errors"
	"strings"
	"testing"
)

// minimal is a small valid template; the problem cases below change one
// thing in it. Its lines are numbered in the comments so expected lines read
// easily.
const minimal = `id: mini
name: Mini
sections:
  - id: intro
    title: Introduction
    fields:
      - id: client
        question: Who is the client?
        roles: [client]
      - id: fees
        kind: money-list
        question: What are the fees?
    draft: |-
      For {{.client}}:

      {{.fees}}
`

func TestParseMinimal(t *testing.T) {
	tp, err := Parse("mini.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if tp.Source != "mini.yaml" || tp.ID != "mini" || len(tp.Sections) != 1 {
		t.Fatalf("unexpected template %+v", tp)
	}
	_, f := tp.Field("client")
	if f.Kind != KindText {
		t.Errorf("kind left out should mean text, got %q", f.Kind)
	}
	if f.Label != "Client" {
		t.Errorf("label left out should come from the id, got %q", f.Label)
	}
	if got := DraftFields(&tp.Sections[0]); strings.Join(got, ",") != "client,fees" {
		t.Errorf("DraftFields = %v", got)
	}
}

// TestParseProblems checks each problem a template file can have is reported
// on the right line, with a message that says what to do.
func TestParseProblems(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		line int
		want string
	}{
		{"empty file", "", 0, "the file is empty"},
		{"only a comment", "# nothing\n", 0, "the file is empty"},
		{"not a mapping", "- a\n- b\n", 1, "should be a mapping of keys"},
		{"bad yaml", "id: x\nname: [unclosed\n", 2, "not valid YAML"},
		{"bad indentation", "id: x\nname: X\nsections:\n  - id: a\n   title: b\n", 4, "not valid YAML: did not find expected '-' indicator"},
		{"colon in plain text", "id: x\nname: X\ndescription: Use it: always\n", 3, "not valid YAML: mapping values are not allowed"},
		{"tab indentation", "id: x\nname: X\nsections:\n\t- id: a\n", 4, "not valid YAML"},
		{"two documents", minimal + "---\nid: other\n", 17, "keep one template per file"},
		{"unknown top key", strings.Replace(minimal, "name: Mini", "nmae: Mini", 1), 2, `unknown key "nmae" at the top level; did you mean "name"?`},
		{"unknown section key", strings.Replace(minimal, "    title: Introduction", "    heading: Introduction", 1), 5, `section "intro": unknown key "heading" in a section; the keys of a section are id, title, fields, draft, no_heading`},
		{"unknown field key", strings.Replace(minimal, "        question: Who is the client?", "        qestion: Who is the client?", 1), 8, `field "client": unknown key "qestion" in a field; did you mean "question"?`},
		{"duplicate key", strings.Replace(minimal, "name: Mini", "name: Mini\nname: Again", 1), 3, `"name" is given twice (first on line 2)`},
		{"alias", strings.Replace(minimal, "name: Mini", "name: &n Mini\ndescription: *n", 1), 3, "aliases"},
		{"missing id", strings.Replace(minimal, "id: mini\n", "", 1), 1, `missing "id"`},
		{"bad template id", strings.Replace(minimal, "id: mini", "id: Mini-Proposal", 1), 1, `template id "Mini-Proposal" is not valid: use lower-case letters`},
		{"missing name", strings.Replace(minimal, "name: Mini\n", "", 1), 1, `missing "name"`},
		{"missing sections", "id: x\nname: X\n", 1, `missing "sections"`},
		{"empty sections", "id: x\nname: X\nsections: []\n", 3, `missing "sections"`},
		{"sections not a list", "id: x\nname: X\nsections: lots\n", 3, `"sections" should be a list`},
		{"section missing id", strings.Replace(minimal, "  - id: intro\n    title", "  - title", 1), 4, `section 1: missing "id"`},
		{"bad section id", strings.Replace(minimal, "id: intro", "id: 1intro", 1), 4, `section id "1intro" is not valid`},
		{"duplicate section id", minimal + "  - id: intro\n    title: Again\n    fields:\n      - id: other\n        question: Q?\n", 17, `section "intro" is defined twice (first on line 4)`},
		{"section missing title", strings.Replace(minimal, "    title: Introduction\n", "", 1), 4, `section "intro": missing "title"`},
		{"section without fields", minimal + "  - id: empty\n    title: Empty\n", 17, `section "empty" has no fields`},
		{"field missing id", strings.Replace(minimal, "      - id: fees\n", "      - label: Fees\n", 1), 10, `section "intro": field 2: missing "id"`},
		{"bad field id", strings.Replace(minimal, "id: fees", "id: Fees", 1), 10, `field id "Fees" is not valid`},
		{"reserved field id", strings.Replace(minimal, "id: fees", "id: today", 1), 10, `field id "today" is kept for the drafting text`},
		{"duplicate field id", minimal + "  - id: more\n    title: More\n    fields:\n      - id: client\n        question: Again?\n", 20, `field "client" is defined twice (first on line 7); field ids must be unique across the whole template`},
		{"missing question", strings.Replace(minimal, "        question: What are the fees?\n", "", 1), 10, `field "fees": missing "question"`},
		{"unknown kind", strings.Replace(minimal, "kind: money-list", "kind: mony", 1), 11, `field "fees": unknown kind "mony" (use one of text, list, money-list, date, choice)`},
		{"choice without choices", strings.Replace(minimal, "kind: money-list", "kind: choice", 1), 11, `field "fees": a choice field needs "choices"`},
		{"choices on text", strings.Replace(minimal, "        roles: [client]", "        choices: [a, b]", 1), 9, `"choices" only apply to choice fields`},
		{"duplicate choice", strings.Replace(minimal, "kind: money-list", "kind: choice\n        choices: [a, b, A]", 1), 12, `choice "A" is listed twice`},
		{"choice default not a choice", strings.Replace(minimal, "kind: money-list", "kind: choice\n        choices: [a, b]\n        default: c", 1), 13, `default "c" is not one of the choices`},
		{"bad date default", strings.Replace(minimal, "kind: money-list", "kind: date\n        default: soon", 1), 12, `default "soon" is not a date`},
		{"unknown role", strings.Replace(minimal, "roles: [client]", "roles: [title, clent]", 1), 9, `field "client": unknown role "clent" (did you mean "client"? use one of title, client`},
		{"role on wrong kind", strings.Replace(minimal, "roles: [client]", "roles: [fees]", 1), 9, `role "fees" needs kind money-list, not text`},
		{"single role twice", strings.Replace(minimal, "        question: What are the fees?", "        question: What are the fees?\n        roles: [client]", 1), 13, `role "client" is already played by field "client"`},
		{"columns on text", strings.Replace(minimal, "        roles: [client]", "        columns: [A, B]", 1), 9, `"columns" only apply to list fields`},
		{"one column", strings.Replace(minimal, "kind: money-list", "kind: list\n        columns: [Only]", 1), 12, `"columns" needs at least two names`},
		{"required not bool", strings.Replace(minimal, "        roles: [client]", "        required: yes", 1), 9, `"required" must be true or false, not "yes"`},
		{"question not text", strings.Replace(minimal, "question: Who is the client?", "question: [a, b]", 1), 8, `field "client": "question" should be text, not a list`},
		{"field not a mapping", strings.Replace(minimal, "      - id: fees\n        kind: money-list\n        question: What are the fees?\n", "      - fees\n", 1), 10, `a field should be a mapping of keys`},
		{"control character", strings.Replace(minimal, "question: Who is the client?", `question: "Who is \e[31mthe client?"`, 1), 8, `contains the control character U+001B`},
		{"draft parse error", strings.Replace(minimal, "{{.fees}}", "{{.fees", 1), 16, `draft of section "intro" does not parse`},
		{"draft unknown field", strings.Replace(minimal, "{{.fees}}", "{{.fee}}", 1), 16, `draft of section "intro" uses .fee, which is not a field of this template (did you mean .fees?)`},
		{"draft unknown function", strings.Replace(minimal, "{{.fees}}", "{{upper .fees}}", 1), 16, `uses the function "upper", which drafting text may not use`},
		{"draft range", strings.Replace(minimal, "{{.fees}}", "{{range 100000000}}x{{end}}", 1), 16, `uses {{range}}`},
		{"draft folded", strings.Replace(minimal, "draft: |-\n      For {{.client}}:\n\n      {{.fees}}", "draft: >-\n      For {{.client}}\n      {{.nope}}", 1), 13, `(line 1 of the drafting text) uses .nope`},
		{"draft quoted", strings.Replace(minimal, "draft: |-\n      For {{.client}}:\n\n      {{.fees}}", `draft: "For {{.nope}}"`, 1), 13, `uses .nope`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(c.yaml))
			if err == nil {
				t.Fatalf("no error; want %q", c.want)
			}
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error %T is not a *LoadError: %v", err, err)
			}
			if le.File != "x.yaml" {
				t.Errorf("File = %q", le.File)
			}
			if le.Line != c.line {
				t.Errorf("Line = %d, want %d (%v)", le.Line, c.line, err)
			}
			if !strings.Contains(le.Problem, c.want) {
				t.Errorf("Problem = %q\nwant it to contain %q", le.Problem, c.want)
			}
		})
	}
}

func TestParseTooBig(t *testing.T) {
	data := []byte(minimal + "# " + strings.Repeat("x", MaxFileSize) + "\n")
	_, err := Parse("big.yaml", data)
	if err == nil || !strings.Contains(err.Error(), "more than the 1 MiB") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseAcceptsSingleRoleAndQuotedText(t *testing.T) {
	src := strings.Replace(minimal, "roles: [client]", "roles: client", 1)
	src = strings.Replace(src, "question: Who is the client?", "question: 'Who is the client: name it?'", 1)
	tp, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, f := tp.Field("client"); !f.HasRole(RoleClient) || f.Question != "Who is the client: name it?" {
		t.Errorf("field = %+v", f)
	}
}

func TestLoadErrorMessage(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	e := &LoadError{File: home + "/.config/propose/templates/x.yaml", Line: 12,
		Problem: `field "fees": unknown kind "mony" (use one of text, list, money-list, date, choice)`}
	want := `~/.config/propose/templates/x.yaml:12: field "fees": unknown kind "mony" (use one of text, list, money-list, date, choice)`
	if got := e.Error(); got != want {
		t.Errorf("Error() = %q\nwant %q", got, want)
	}
	e.Line = 0
	if got := e.Error(); !strings.HasPrefix(got, "~/.config/propose/templates/x.yaml: field") {
		t.Errorf("Error() without a line = %q", got)
	}
}

func TestValidateBuiltInCode(t *testing.T) {
	tp := &Template{ID: "code", Name: "Code", Source: "code", Sections: []Section{{
		ID: "s", Title: "S", Draft: "{{.a}} {{.b}}",
		Fields: []Field{{ID: "a", Question: "A?", Kind: KindText}},
	}}}
	err := tp.Validate()
	if err == nil || !strings.Contains(err.Error(), "uses .b, which is not a field") {
		t.Fatalf("Validate = %v", err)
	}
	tp.Sections[0].Draft = "{{.a}}"
	if err := tp.Validate(); err != nil {
		t.Fatal(err)
	}
	tp.Sections[0].Fields[0].Kind = ""
	if err := tp.Validate(); err == nil || !strings.Contains(err.Error(), `missing "kind"`) {
		t.Fatalf("Validate = %v", err)
	}
}

// TestHiddenCharactersRefusedWithEveryLine is finding 9 of issue 12: bidi
// controls and invisible characters in a template's text reached the
// terminal, and a raw control byte was reported without its line. Every
// rejected character is named with its line, raw or written as an escape.
func TestHiddenCharactersRefusedWithEveryLine(t *testing.T) {
	raw := strings.Replace(minimal, "Who is the client?", "Who is \u202Ethe client?", 1)
	raw = strings.Replace(raw, "What are the fees?", "What are\u200B the fees?\x07", 1)
	_, err := Parse("x.yaml", []byte(raw))
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("bidi and invisible characters accepted: %v", err)
	}
	for _, want := range []string{"U+202E (right-to-left override) on line 8", "U+200B (zero width space) on line 12",
		"control character U+0007 on line 12"} {
		if !strings.Contains(le.Problem, want) {
			t.Errorf("problem lacks %q:\n%s", want, le.Problem)
		}
	}
	if le.Line != 8 {
		t.Errorf("Line = %d, want 8 (the first)", le.Line)
	}
	// Written as a YAML escape, the character is only there after decoding.
	escaped := strings.Replace(minimal, "question: Who is the client?", `question: "Who is \u2067the client?"`, 1)
	if _, err := Parse("x.yaml", []byte(escaped)); err == nil || !strings.Contains(err.Error(), "x.yaml:8:") ||
		!strings.Contains(err.Error(), "U+2067") {
		t.Errorf("escaped isolate: %v", err)
	}
	// A byte order mark at the start is how some editors save UTF-8: allowed.
	if _, err := Parse("x.yaml", []byte("\uFEFF"+minimal)); err != nil {
		t.Errorf("a leading byte order mark refused: %v", err)
	}
}

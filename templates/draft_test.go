package templates

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// templateWithDraft returns a template whose one section has fields a, b
// and c and the drafting text.
func templateWithDraft(draft string) string {
	var b strings.Builder
	b.WriteString("id: t\nname: T\nsections:\n  - id: s\n    title: S\n    fields:\n")
	for _, id := range []string{"a", "b", "c"} {
		fmt.Fprintf(&b, "      - id: %s\n        question: %s?\n", id, id)
	}
	b.WriteString("    draft: |-\n")
	for _, line := range strings.Split(draft, "\n") {
		b.WriteString("      " + line + "\n")
	}
	return b.String()
}

// draftLine is the file line of the first line of templateWithDraft's draft.
const draftLine = 14

func TestUnsafeDraftsRejected(t *testing.T) {
	cases := []struct {
		name, draft string
		line        int // line within the draft
		want        string
	}{
		{"range over a number", "{{range 100000000}}x{{end}}", 1, "uses {{range}}"},
		{"range over a field", "ok\n{{range .a}}x{{end}}", 2, "uses {{range}}"},
		{"call", "{{call .a}}", 1, `uses the function "call"`},
		{"template", `{{template "a"}}`, 1, "uses {{template}}"},
		{"define", "text\n" + `{{define "x"}}y{{end}}`, 2, "uses {{define}}"},
		{"block", `{{block "x" .}}y{{end}}`, 1, "{{block}}"},
		{"wide printf", `{{printf "%9999999d" 1}}`, 1, "more than 3 digits"},
		{"wide precision", `{{printf "%.10000s" .a}}`, 1, "more than 3 digits"},
		{"star width", `{{printf "%*d" 999999999 1}}`, 1, "(*)"},
		{"indexed star width", `{{printf "%[2]*[1]d" 1 999999999}}`, 1, "(*)"},
		{"printf without a literal format", `{{printf .a 1}}`, 1, "printf without a quoted format"},
		{"piped format", `{{"%d" | printf}}`, 1, "printf without a quoted format"},
		{"unknown function", `{{upper .a}}`, 1, `uses the function "upper"`},
		{"index", `{{index .a 0}}`, 1, `uses the function "index"`},
		{"html", `{{html .a}}`, 1, `uses the function "html"`},
		{"println", `{{println .a}}`, 1, `uses the function "println"`},
		{"unknown field", "fine\n\n{{.d}}", 3, "uses .d, which is not a field of this template"},
		{"unknown field in a condition", "{{if .zz}}x{{end}}", 1, "uses .zz, which is not a field"},
		{"unknown field via $", "{{$.zz}}", 1, "uses .zz, which is not a field"},
		{"field of a field", "{{.a.b}}", 1, "fields hold text and have no parts"},
		{"field inside with", "{{with .a}}{{.b}}{{end}}", 1, "inside {{with}}"},
		{"whole data", "{{.}}", 1, "would print every answer"},
		{"whole data via $", "{{$}}", 1, "would print every answer"},
		{"variable field", "{{$x := .a}}{{$x.y}}", 1, "refer to fields as .field"},
		{"chain", "{{(.a).b}}", 1, "fields hold text and have no parts"},
		{"fails when drafted", "{{len 3}}", 1, "fails when drafted"},
		{"bad comparison", "{{if eq .a 1}}x{{end}}", 1, "fails when drafted"},
		{"unclosed action", "{{if .a}}x", 1, "does not parse"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(templateWithDraft(c.draft)))
			if err == nil {
				t.Fatalf("accepted %q; want %q", c.draft, c.want)
			}
			le := err.(*LoadError)
			if !strings.Contains(le.Problem, c.want) || !strings.HasPrefix(le.Problem, `draft of section "s" `) {
				t.Errorf("Problem = %q\nwant it to contain %q", le.Problem, c.want)
			}
			if want := draftLine + c.line - 1; le.Line != want {
				t.Errorf("Line = %d, want %d (%v)", le.Line, want, err)
			}
		})
	}
}

func TestSafeDraftsAccepted(t *testing.T) {
	for _, draft := range []string{
		"",
		"Plain text only.",
		"{{.a}} {{.b}} {{.c}} {{.today}}",
		"{{if .a}}A{{else if .b}}B{{else}}none{{end}}",
		"{{with .a}}Hello {{.}} and {{$.b}}{{else}}{{.c}}{{end}}",
		`{{if and .a (not .b)}}{{or .c "none"}}{{end}}`,
		`{{if eq .a "x"}}{{else if ne .b "y"}}{{end}}`,
		`{{len .a}} {{print .a .b}} {{printf "%-10s|%3d|%.2f|%%|%[1]s" .a 5 1.5}}`,
		`{{$x := .a}}{{$x}}{{/* a comment */}}`,
		"{{- .a -}}\n\n{{.b}}",
	} {
		if _, err := Parse("t.yaml", []byte(templateWithDraft(draft))); err != nil {
			t.Errorf("%q rejected: %v", draft, err)
		}
	}
}

func TestDraftFields(t *testing.T) {
	src := templateWithDraft(`{{.today}}{{if .c}}{{with .a}}{{.}} {{$.b}}{{end}}{{end}} {{.c}} {{or .a "x"}}`)
	tp, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	s := &tp.Sections[0]
	want := []string{"c", "a", "b"}
	if got := DraftFields(s); !reflect.DeepEqual(got, want) {
		t.Errorf("DraftFields = %v, want %v", got, want)
	}
	// The caller's slice is its own.
	DraftFields(s)[0] = "changed"
	if got := DraftFields(s); got[0] != "c" {
		t.Errorf("DraftFields shares its slice: %v", got)
	}
	// A section built in code is parsed on demand.
	code := &Section{ID: "x", Draft: "{{.b}} {{.a}} {{.b}}"}
	if got := DraftFields(code); !reflect.DeepEqual(got, []string{"b", "a"}) {
		t.Errorf("DraftFields(code) = %v", got)
	}
	if got := DraftFields(&Section{ID: "x", Draft: "{{range .a}}{{end}}"}); got != nil {
		t.Errorf("DraftFields of an unsafe draft = %v, want nil", got)
	}
}

func TestBuiltinDraftFields(t *testing.T) {
	tp, _ := builtins(t).Get("consulting")
	got := DraftFields(tp.Section("terms"))
	want := []string{"validity", "terms", "client", "buyer"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("terms DraftFields = %v, want %v", got, want)
	}
}

func TestParsedDraftIsCachedAndConcurrent(t *testing.T) {
	tp, _ := builtins(t).Get("consulting")
	s := tp.Section("investment")
	t1, err := s.ParsedDraft()
	if err != nil {
		t.Fatal(err)
	}
	t2, _ := s.ParsedDraft()
	if t1 != t2 {
		t.Error("ParsedDraft parses again on each call")
	}
	data := exampleData(tp, all, false)
	want, err := s.RenderDraft(data)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				if got, err := s.RenderDraft(data); err != nil || got != want {
					t.Errorf("concurrent render differs: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestParsedDraftBuiltInCode(t *testing.T) {
	s := &Section{ID: "x", Draft: "Hi {{.name}}"}
	out, err := s.RenderDraft(map[string]string{"name": "Ada"})
	if err != nil || out != "Hi Ada" {
		t.Errorf("RenderDraft = %q, %v", out, err)
	}
	// Missing keys read as empty text, never "<no value>".
	out, err = s.RenderDraft(nil)
	if err != nil || out != "Hi" {
		t.Errorf("RenderDraft(nil) = %q, %v", out, err)
	}
	bad := &Section{ID: "x", Draft: "{{call .f}}"}
	if _, err := bad.ParsedDraft(); err == nil || !strings.Contains(err.Error(), `draft of section "x" (line 1 of the drafting text) uses the function "call"`) {
		t.Errorf("ParsedDraft = %v", err)
	}
}

func TestTidyMarkdown(t *testing.T) {
	in := "\n\n  \nFirst  \n\n\n \nSecond\n- a\n- b\n\n\n"
	want := "First\n\nSecond\n- a\n- b"
	if got := TidyMarkdown(in); got != want {
		t.Errorf("TidyMarkdown = %q, want %q", got, want)
	}
}

func TestCheckFormat(t *testing.T) {
	for f, ok := range map[string]bool{
		"%s": true, "%%": true, "%-999s": true, "%.3f": true, "%+08.2f": true, "%[2]s %[1]s": true,
		"100%": true, "%1000d": false, "%.1000f": false, "%*d": false, "%.*f": false, "%[1]*d": false,
	} {
		if got := checkFormat(f) == ""; got != ok {
			t.Errorf("checkFormat(%q) ok = %v, want %v", f, got, ok)
		}
	}
}

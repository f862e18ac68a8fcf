package templates

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzParse feeds Parse arbitrary bytes: it must never panic, every failure
// must be a *LoadError naming the file, and whatever it accepts must be a
// valid template that survives a round trip through YAML unchanged.
func FuzzParse(f *testing.F) {
	// Small seeds keep each run fast enough for the fuzzer to explore; the
	// built-in templates are checked in full by the other tests.
	f.Add([]byte(minimal))
	f.Add([]byte(templateWithDraft(`{{with .a}}{{.}}{{end}}{{printf "%5s" .b}}`)))
	f.Add([]byte("id: x\nname: X\nsections:\n  - id: s\n    title: S\n    fields: [{id: a, question: q, kind: choice, choices: [y, n]}]\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("- - - - -\n"))
	f.Add([]byte("{{{{"))
	f.Add([]byte(strings.Replace(minimal, "roles: [client]", "roles: [client]\n        columns: [A, B]\n        kind: list", 1)))
	f.Add([]byte("id: x\nname: \"\\e[2J\"\nsections: []\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tp, err := Parse("fuzz.yaml", data)
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) || le.File != "fuzz.yaml" || le.Problem == "" || le.Line < 0 {
				t.Fatalf("bad error %T %v", err, err)
			}
			return
		}
		if err := tp.Validate(); err != nil {
			t.Fatalf("Parse accepted a template that does not validate: %v", err)
		}
		for i := range tp.Sections {
			s := &tp.Sections[i]
			if _, err := s.ParsedDraft(); err != nil {
				t.Fatalf("section %q: %v", s.ID, err)
			}
			for _, id := range DraftFields(s) {
				if _, f := tp.Field(id); f == nil {
					t.Fatalf("section %q refers to unknown field %q", s.ID, id)
				}
			}
			data := map[string]string{TodayKey: "1 January 2027"}
			for _, sec := range tp.Sections {
				for _, f := range sec.Fields {
					data[f.ID] = strings.Repeat("answer ", 3)
				}
			}
			if _, err := s.RenderDraft(data); err != nil {
				t.Fatalf("section %q does not draft: %v", s.ID, err)
			}
		}
		// JSON is YAML too, and its encoder has no edge cases with block
		// scalars, so the round trip tests Parse rather than an encoder.
		out, err := json.Marshal(tp)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		again, err := Parse("again.yaml", out)
		if err != nil {
			t.Fatalf("round trip does not parse: %v\n%s", err, out)
		}
		a, b := canon(tp), canon(again)
		if a != b {
			t.Fatalf("round trip changed the template:\n%s\n---\n%s", a, b)
		}
	})
}

// canon is a template's content as JSON (Source is left out by its tag).
func canon(tp *Template) string {
	out, _ := json.Marshal(tp)
	return string(out)
}

package interview

import (
	"strings"
	"testing"
)

func TestParseAnswers(t *testing.T) {
	a, err := ParseAnswers([]byte(`template: consulting
answers:
  title: "Order-to-Cash"
  start: 2027-02-01
  fees:
    - Diagnose: €24.000
    - "Redesign: €28.000"
  objectives:
    - Cut disputes
  empty:
`))
	if err != nil {
		t.Fatal(err)
	}
	if a.Template != "consulting" || a.Values["start"] != "2027-02-01" {
		t.Errorf("template %q start %q", a.Template, a.Values["start"])
	}
	if a.Values["fees"] != "Diagnose: €24.000\nRedesign: €28.000" {
		t.Errorf("fees = %q", a.Values["fees"])
	}
	if strings.Join(a.Order, ",") != "title,start,fees,objectives,empty" {
		t.Errorf("order = %v", a.Order)
	}
}

func TestParseAnswersErrorsNameTheLine(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"answers: [1, 2]", "1: answers: must map"},
		{"template: consulting\nanswers:\n  title: a\n  title: b\n", "4: \"title\" is answered twice"},
		{"template: consulting\nanswrs:\n  title: a\n", "2: unknown key \"answrs\""},
		{"template: consulting\nanswers:\n  fees:\n    - [a, b]\n", "4: fees:"},
		{"template: consulting\nanswers:\n  title: \"unterminated\n", "3:"},
		{"- just\n- a list\n", "1: expected a mapping"},
	}
	for _, c := range cases {
		_, err := ParseAnswers([]byte(c.yaml))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("ParseAnswers(%q) error = %v, want prefix %q", c.yaml, err, c.want)
		}
	}
}

func TestAnswersCheckNamesUnknownFields(t *testing.T) {
	a, _ := ParseAnswers([]byte("answers:\n  title: x\n  feez: y\n"))
	err := a.Check(consulting(t))
	if err == nil || !strings.Contains(err.Error(), "feez (line 3)") || !strings.Contains(err.Error(), "fees") {
		t.Fatalf("Check = %v", err)
	}
}

func FuzzParseAnswers(f *testing.F) {
	f.Add([]byte("template: consulting\nanswers:\n  title: x\n  fees:\n    - a: 1\n"))
	f.Add([]byte("answers: &a\n  x: *a\n"))
	f.Add([]byte("answers:\n  x: !!binary aGVsbG8=\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseAnswers(data)
		if err != nil {
			if msg := err.Error(); msg == "" || msg[0] < '0' || msg[0] > '9' {
				t.Fatalf("error without a line number: %q", msg)
			}
			return
		}
		for _, id := range a.Order {
			if _, ok := a.Values[id]; !ok {
				t.Fatalf("field %q in order but not in values", id)
			}
		}
	})
}

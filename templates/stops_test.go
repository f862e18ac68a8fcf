package templates

import "testing"

// TestNoDoubledFullStop: a name that ends in "." followed by the drafting
// text's own full stop gives one full stop; an ellipsis, a path and a
// version stay as written.
func TestNoDoubledFullStop(t *testing.T) {
	s := &Section{ID: "value", Draft: `Lo que vale para {{.client}}. Véase {{.note}}`}
	got, err := s.RenderDraft(map[string]string{"client": "Ejemplo Logística S.L.", "note": "../anexo y más..."})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Lo que vale para Ejemplo Logística S.L. Véase ../anexo y más..."; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	for in, want := range map[string]string{
		"Acme Inc..":                   "Acme Inc.",
		"Wait...":                      "Wait...",
		"Ltd..\nNext":                  "Ltd.\nNext",
		"v1.2..":                       "v1.2.",
		"see ../x":                     "see ../x",
		"Acme Inc.. *(assumption)*":    "Acme Inc. *(assumption)*",
		"to Müller GmbH & Co. KG.. Ok": "to Müller GmbH & Co. KG. Ok",
	} {
		if got := OneFullStop(in); got != want {
			t.Errorf("OneFullStop(%q) = %q, want %q", in, got, want)
		}
	}
}

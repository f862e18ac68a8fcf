package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFrameUnknownPlaceholderNamesLine: a frame naming no field of the
// template is refused with its line and what to write instead.
func TestFrameUnknownPlaceholderNamesLine(t *testing.T) {
	src := `id: mine
name: Mine
sections:
  - id: terms
    title: Terms
    fields:
      - id: validity
        question: How long is it valid?
        frame: "This proposal is valid for {valdity} from its date."
    draft: "{{.validity}}"
`
	_, err := Parse("mine.yaml", []byte(src))
	if err == nil {
		t.Fatal("a frame with an unknown placeholder loaded")
	}
	for _, want := range []string{"mine.yaml:9:", "{valdity}", "did you mean {validity}?"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, err := Parse("mine.yaml", []byte(strings.Replace(src, "{valdity}", "30 days", 1))); err == nil || !strings.Contains(err.Error(), "write {validity} in it") {
		t.Errorf("a frame without its own place: %v", err)
	}
	if _, err := Parse("mine.yaml", []byte(strings.Replace(src, "{valdity}", "{validity}", 1))); err != nil {
		t.Errorf("a good frame: %v", err)
	}
}

// TestFillFrame: the answer goes in the frame without its own full stop,
// starting small mid-sentence unless it is an acronym.
func TestFillFrame(t *testing.T) {
	f := &Field{ID: "x", Frame: "We reserve {x} for {client}."}
	got, ok := f.FillFrame("Up to 4 days a month.", map[string]string{"client": "Acme"}, true)
	if !ok || got != "We reserve up to 4 days a month for Acme." {
		t.Errorf("got %q %v", got, ok)
	}
	if got, _ := f.FillFrame("SAP support", map[string]string{"client": "Acme"}, true); got != "We reserve SAP support for Acme." {
		t.Errorf("acronym: %q", got)
	}
	for _, name := range []string{"Tom Keller's time", "Northwind’s Leeds office", "Leeds Office support"} {
		if got, _ := f.FillFrame(name, map[string]string{"client": "Acme"}, true); got != "We reserve "+name+" for Acme." {
			t.Errorf("a name lost its capital: %q", got)
		}
	}
	if _, ok := f.FillFrame("x", map[string]string{}, true); ok {
		t.Error("a frame naming an empty field was used")
	}
}

// TestTranslationFrameUnknownPlaceholderNamesLine: a translation's frame is
// checked like the template's, and the problem names its file and line.
func TestTranslationFrameUnknownPlaceholderNamesLine(t *testing.T) {
	dir := t.TempDir()
	text := "template: consulting\nlanguage: es\nfields:\n  validity:\n    frame: \"Válida durante {validez}.\"\n"
	if err := os.WriteFile(filepath.Join(dir, "v.yaml"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	set, errs := Load(dir)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	errs = set.CheckTranslations()
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "v.yaml:5:") || !strings.Contains(errs[0].Error(), "{validez}") {
		t.Errorf("got %v", errs)
	}
}

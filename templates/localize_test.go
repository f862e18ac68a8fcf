package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var builtinTags = []string{"en", "es", "de", "fr", "pt", "it", "nl"}

// TestEveryCatalogHasEveryKey: each built-in catalog has exactly the English
// keys, with every plural form its language's rules can ask for.
func TestEveryCatalogHasEveryKey(t *testing.T) {
	langs, errs := LoadLanguages("")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := langs.Tags(); strings.Join(got, ",") != "en,de,es,fr,it,nl,pt" {
		t.Fatalf("built-in languages %v", got)
	}
	en := langs.English()
	for _, tag := range builtinTags {
		c, ok := langs.Match(tag)
		if !ok || c.Tag.String() != tag {
			t.Fatalf("no catalog for %s", tag)
		}
		if m := c.Missing(); len(m) > 0 {
			t.Errorf("%s lacks %v", tag, m)
		}
		for _, k := range c.Keys() {
			if !en.Has(k) {
				t.Errorf("%s has %q, which English lacks (a typo?)", tag, k)
			}
		}
		if c.Name == "" {
			t.Errorf("%s has no name", tag)
		}
		for _, k := range c.Keys() {
			for _, n := range []int{0, 1, 2, 5, 21} {
				if got := c.Plural(k, n); strings.Contains(got, "{n}") || got == k {
					t.Errorf("%s %s for %d: %q", tag, k, n, got)
				}
			}
		}
	}
}

// TestEveryBuiltinIsTranslated: each built-in template has a translation for
// each built-in language that leaves nothing in English.
func TestEveryBuiltinIsTranslated(t *testing.T) {
	set, errs := Load("")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, tmpl := range set.List() {
		for _, tag := range builtinTags[1:] {
			l := tmpl.In(tag)
			if l.Language() != tag {
				t.Errorf("%s in %s writes %s", tmpl.ID, tag, l.Language())
			}
			if u := l.Untranslated(); len(u) > 0 {
				t.Errorf("%s in %s leaves in English: %v", tmpl.ID, tag, u)
			}
			if l.Document == tmpl.Document {
				t.Errorf("%s in %s keeps the document kind %q", tmpl.ID, tag, l.Document)
			}
		}
	}
}

func TestInKeepsTheBaseAndCaches(t *testing.T) {
	set, _ := Load("")
	base, _ := set.Get("consulting")
	es := base.In("es-MX")
	if es.Language() != "es" || es.Section("situation").Title != "Situación" {
		t.Fatalf("es-MX: language %s, heading %q", es.Language(), es.Section("situation").Title)
	}
	if base.Section("situation").Title != "Situation" {
		t.Error("translating changed the base template")
	}
	if es.In("de").Base() != base || base.In("es") != es {
		t.Error("copies are not made once per language from the base")
	}
	if _, f := es.Field("validity"); !strings.Contains(f.Default, "validez de 30 días") {
		t.Errorf("validity default %q", f.Default)
	}
	if got := base.In("ja"); got.Language() != "en" {
		t.Errorf("a language without a catalog gives %s, want English", got.Language())
	}
}

// TestUserLanguageAndTranslation: a user adds Polish by dropping a catalog
// into the languages folder and translates their own template; what the
// translation lacks stays English and is listed.
func TestUserLanguageAndTranslation(t *testing.T) {
	dir := t.TempDir()
	tdir, ldir := filepath.Join(dir, "templates"), filepath.Join(dir, "languages")
	for _, d := range []string{tdir, ldir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path, text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(ldir, "pl.yaml"), `language: pl
name: Polski
words:
  cover:
    prepared_for: Przygotowano dla
  date:
    locale: pl_PL
    long: "{day} January 2006"
    day:
      other: "{n}"
`)
	write(filepath.Join(tdir, "audit.yaml"), `id: audit
name: Audit
document: Audit proposal
sections:
  - id: scope
    title: Scope
    fields:
      - id: scope
        label: Scope
        kind: text
        question: What is in scope?
    draft: "We will audit {{.scope}}."
  - id: fees
    title: Fees
    fields:
      - id: fee
        label: Fee
        kind: text
        question: What is the fee?
    draft: "The fee is {{.fee}}."
`)
	write(filepath.Join(tdir, "audit-pl.yaml"), `template: audit
language: pl
document: Oferta audytu
sections:
  scope:
    title: Zakres
    draft: "Przeprowadzimy audyt: {{.scope}}."
`)
	set, errs := LoadWith(tdir, ldir)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if _, err := set.Languages().ParseLanguage("pl"); err != nil {
		t.Fatal(err)
	}
	a, _ := set.Get("audit")
	pl := a.In("pl")
	if pl.Document != "Oferta audytu" || pl.Section("scope").Title != "Zakres" {
		t.Errorf("Polish audit: %q, %q", pl.Document, pl.Section("scope").Title)
	}
	got, _ := pl.Section("scope").RenderDraft(map[string]string{"scope": "finanse"})
	if got != "Przeprowadzimy audyt: finanse." {
		t.Errorf("Polish draft %q", got)
	}
	if pl.Section("fees").Title != "Fees" {
		t.Errorf("an untranslated heading should stay English, got %q", pl.Section("fees").Title)
	}
	u := strings.Join(pl.Untranslated(), "; ")
	for _, want := range []string{`section "fees" heading`, `section "fees" text`, "word cover.attention"} {
		if !strings.Contains(u, want) {
			t.Errorf("untranslated %q lacks %q", u, want)
		}
	}
	w := pl.Words()
	if w.Word("cover.prepared_for") != "Przygotowano dla" || w.Word("cover.attention") != "Attention" {
		t.Errorf("Polish words: %q, %q", w.Word("cover.prepared_for"), w.Word("cover.attention"))
	}
	if _, err := set.Languages().ParseLanguage("xx-invalid-"); err == nil {
		t.Error("a bad tag was accepted")
	}
	if _, err := set.Languages().ParseLanguage("ja"); err == nil || !strings.Contains(err.Error(), "pl") {
		t.Errorf("a language without a catalog: %v", err)
	}
}

// TestBadTranslationIsReported: a translation naming a section the template
// lacks, with unsafe drafting text or the wrong number of columns is refused
// with the file named: by CheckTranslations (propose templates), and in the
// template's Untranslated list (so the review says so) when its language is
// used; the template then stays English.
func TestBadTranslationIsReported(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"x.yaml": "template: consulting\nlanguage: es\nsections:\n  nowhere:\n    title: X\n",
		"y.yaml": "template: consulting\nlanguage: de\nsections:\n  value:\n    draft: \"{{range .value}}x{{end}}\"\n",
		"z.yaml": "template: consulting\nlanguage: fr\nfields:\n  options:\n    columns: [A, B]\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	set, errs := Load(dir)
	if len(errs) > 0 {
		t.Fatalf("problems at load, before the languages are used: %v", errs)
	}
	base, _ := set.Get("consulting")
	es := base.In("es")
	if u := es.Untranslated(); len(u) == 0 || !strings.Contains(u[0], `x.yaml: section "nowhere" is not a section`) {
		t.Errorf("untranslated: %v", u)
	}
	if es.Section("situation").Title != "Situation" {
		t.Errorf("a broken translation is used: %q", es.Section("situation").Title)
	}
	errs = set.CheckTranslations()
	if len(errs) != 3 {
		t.Fatalf("got %d problems, want 3: %v", len(errs), errs)
	}
	all := ""
	for _, e := range errs {
		all += e.Error() + "\n"
	}
	for _, want := range []string{`x.yaml: section "nowhere" is not a section`, "y.yaml: draft of section \"value\"", "z.yaml: field \"options\": 2 columns"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in:\n%s", want, all)
		}
	}
	if errs := func() []error { s, _ := Load(""); return s.CheckTranslations() }(); len(errs) > 0 {
		t.Errorf("built-in translations: %v", errs)
	}
}

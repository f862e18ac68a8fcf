package llm

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"strings"
	"text/template"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Prompts is a set of prompt template files (text/template), embedded by the
// agent that owns them. Prompts live in files, not string literals, so they
// can be read and changed as prose.
type Prompts struct {
	files fs.FS
	tmpl  *template.Template
}

// MustPrompts parses every file matching pattern in files; a prompt that
// does not parse is a build mistake, so it panics.
func MustPrompts(files fs.FS, pattern string) *Prompts {
	return &Prompts{files: files, tmpl: template.Must(template.New("prompts").ParseFS(files, pattern))}
}

// Render executes one prompt template and trims the result.
func (p *Prompts) Render(name string, data any) (string, error) {
	var b strings.Builder
	if err := p.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}

// MustRender renders a prompt that takes no data (a static system prompt).
func (p *Prompts) MustRender(name string, data any) string {
	s, err := p.Render(name, data)
	if err != nil {
		panic(err)
	}
	return s
}

// MustJSON reads a JSON file (a reply schema) from the set, compacted.
func (p *Prompts) MustJSON(path string) json.RawMessage {
	raw, err := fs.ReadFile(p.files, path)
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		panic(err)
	}
	return json.RawMessage(b.Bytes())
}

// LanguageName names a BCP 47 tag in English for a prompt: "es" is
// "Spanish", "pt-BR" "Brazilian Portuguese"; "" is English. A tag it
// cannot read is named as written.
func LanguageName(tag string) string {
	tag = strings.TrimSpace(tag)
	if tag == "" {
		return "English"
	}
	t, err := language.Parse(tag)
	if err != nil {
		return "the language tagged " + tag
	}
	if n := display.English.Tags().Name(t); n != "" {
		return n
	}
	return "the language tagged " + tag
}

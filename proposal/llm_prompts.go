package proposal

import (
	"bytes"
	"embed"
	"encoding/json"
	"strings"
	"text/template"
)

// The drafter's and reviewer's prompts are template files, not string
// literals. Their system prompts are static and come first in every call, so
// providers that cache prompt prefixes reuse them.
//
//go:embed prompts/*.tmpl prompts/*.json
var promptFiles embed.FS

var (
	prompts        = template.Must(template.New("prompts").ParseFS(promptFiles, "prompts/*.tmpl"))
	drafterSystem  = mustRender("drafter_system.tmpl", nil)
	reviewerSystem = mustRender("reviewer_system.tmpl", nil)
	reviewerSchema = mustCompactJSON("prompts/reviewer_reply.schema.json")
)

// renderPrompt executes one prompt template.
func renderPrompt(name string, data any) (string, error) {
	var b strings.Builder
	if err := prompts.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}

func mustRender(name string, data any) string {
	s, err := renderPrompt(name, data)
	if err != nil {
		panic(err)
	}
	return s
}

func mustCompactJSON(path string) json.RawMessage {
	raw, err := promptFiles.ReadFile(path)
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		panic(err)
	}
	return json.RawMessage(b.Bytes())
}

// indent puts every line after the first under a list item.
func indent(s string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n  ")
}

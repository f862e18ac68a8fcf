package proposal

import (
	"embed"
	"strings"

	"propose/llm"
)

// The drafter's and reviewer's prompts are template files, not string
// literals. Their system prompts are static and come first in every call, so
// providers that cache prompt prefixes reuse them.
//
//go:embed prompts/*.tmpl prompts/*.json
var promptFiles embed.FS

var (
	prompts        = llm.MustPrompts(promptFiles, "prompts/*.tmpl")
	drafterSystem  = prompts.MustRender("drafter_system.tmpl", nil)
	reviewerSystem = prompts.MustRender("reviewer_system.tmpl", nil)
	reviewerSchema = prompts.MustJSON("prompts/reviewer_reply.schema.json")
)

// renderPrompt executes one prompt template.
func renderPrompt(name string, data any) (string, error) {
	return prompts.Render(name, data)
}

// indent puts every line after the first under a list item.
func indent(s string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n  ")
}

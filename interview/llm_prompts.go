package interview

import (
	"embed"
	"strings"
	"unicode/utf8"

	"propose/llm"
)

// The interviewer's prompts are template files, not string literals, so they
// can be read and changed as prose. The system prompt is static: it comes
// first in every call, so providers that cache prompt prefixes reuse it.
//
//go:embed prompts/*.tmpl prompts/*.json
var promptFiles embed.FS

var (
	interviewerPrompts = llm.MustPrompts(promptFiles, "prompts/*.tmpl")
	interviewerSystem  = interviewerPrompts.MustRender("interviewer_system.tmpl", nil)
	interviewerSchema  = interviewerPrompts.MustJSON("prompts/interviewer_reply.schema.json")
)

// renderPrompt executes one prompt template.
func renderPrompt(name string, data any) (string, error) {
	return interviewerPrompts.Render(name, data)
}

// shorten puts text on one line and cuts it to at most n runes: the facts in
// an interviewer prompt are reminders, not the record.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " / ")), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// clipRunes cuts text to at most n runes, keeping its lines.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

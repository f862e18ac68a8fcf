package interview

import (
	"bytes"
	"embed"
	"encoding/json"
	"strings"
	"text/template"
	"unicode/utf8"
)

// The interviewer's prompts are template files, not string literals, so they
// can be read and changed as prose. The system prompt is static: it comes
// first in every call, so providers that cache prompt prefixes reuse it.
//
//go:embed prompts/*.tmpl prompts/*.json
var promptFiles embed.FS

var (
	interviewerPrompts = template.Must(template.New("prompts").ParseFS(promptFiles, "prompts/*.tmpl"))
	interviewerSystem  = mustRender("interviewer_system.tmpl", nil)
	interviewerSchema  = mustCompactJSON("prompts/interviewer_reply.schema.json")
)

// renderPrompt executes one prompt template.
func renderPrompt(name string, data any) (string, error) {
	var b strings.Builder
	if err := interviewerPrompts.ExecuteTemplate(&b, name, data); err != nil {
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

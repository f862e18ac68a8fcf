package proposal

import (
	"strings"
	"time"
)

// Origin says whether a fact was stated by the user or assumed on their behalf.
type Origin string

const (
	// Stated facts are what the user said.
	Stated Origin = "stated"
	// Assumed facts are assumptions the user asked the interviewer to state;
	// the draft shows them as assumptions.
	Assumed Origin = "assumed"
	// Default facts are a field's default that the user accepted as it was
	// offered: the proposal shows the template's own wording for it, in the
	// proposal's language, whatever language that later becomes.
	Default Origin = "default"
)

// Fact is one thing the interview has established, keyed by field id.
type Fact struct {
	// Field is the template field the fact answers.
	Field string `json:"field"`
	// Value is the answer text; a list holds one item a line.
	Value string `json:"value"`
	// Origin is stated, assumed or default.
	Origin Origin `json:"origin"`
	// Turn is the interview turn the fact came from (1-based).
	Turn int `json:"turn"`
	// At is when the fact was recorded.
	At time.Time `json:"at"`
}

// Facts are the proposal's memory: what is known, by field id.
type Facts map[string]Fact

// Has reports whether the field has a non-empty fact.
func (f Facts) Has(field string) bool {
	return strings.TrimSpace(f[field].Value) != ""
}

// Value returns the text of the field's fact, or "".
func (f Facts) Value(field string) string { return f[field].Value }

// Items splits a list answer into its items: one a line, with bullets,
// numbering and surrounding space removed, empty lines dropped.
func Items(value string) []string {
	var out []string
	for _, line := range strings.Split(value, "\n") {
		if item := trimBullet(line); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// trimBullet removes a leading "-", "*", "•" or "1." / "1)" marker.
func trimBullet(line string) string {
	s := strings.TrimSpace(line)
	for _, b := range []string{"- ", "* ", "• ", "– ", "+ "} {
		if strings.HasPrefix(s, b) {
			return strings.TrimSpace(s[len(b):])
		}
	}
	if s == "-" || s == "*" || s == "•" {
		return ""
	}
	i := 0
	for i < len(s) && i < 3 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && s[i+1] == ' ' && !germanDate(s) {
		return strings.TrimSpace(s[i+2:])
	}
	return s
}

// germanDate reports whether a line starts with a date written "1. März
// 2027" (German, among others), which looks like a numbered item but is not.
func germanDate(s string) bool {
	w := strings.Fields(strings.SplitN(s, ":", 2)[0])
	if len(w) < 3 {
		return false
	}
	_, ok := ParseDate(strings.Join(w[:3], " "))
	return ok
}

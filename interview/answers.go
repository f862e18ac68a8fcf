package interview

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"propose/proposal"
	"propose/templates"
)

// Answers is an answers file: the interview's answers written down ahead of
// time, for a headless run.
type Answers struct {
	// Template is the template id the file names, or "".
	Template string
	// Language is the proposal's language tag the file names ("es"), or "".
	Language string
	// Values maps field id to answer; lists are one item a line.
	Values map[string]string
	// Lines maps field id to its line in the file, for messages.
	Lines map[string]int
	// Order is the field ids in file order.
	Order []string
}

// maxAnswersBytes caps an answers file: a real one is a few kilobytes.
const maxAnswersBytes = 4 << 20

// LoadAnswers reads an answers file.
func LoadAnswers(path string) (*Answers, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("answers file %s does not exist", path)
		}
		return nil, fmt.Errorf("cannot read answers file %s: %w", path, err)
	}
	a, err := ParseAnswers(data)
	if err != nil {
		return nil, fmt.Errorf("%s:%w", path, err)
	}
	return a, nil
}

// ParseAnswers parses an answers file's YAML: a "template:" id, an optional
// "language:" tag and an "answers:" mapping of field id to a string or a list of strings. Unquoted
// dates are taken as written. A list item written "Item: amount" (which YAML
// reads as a one-key mapping) is taken as that line. Errors start with the
// line number.
func ParseAnswers(data []byte) (*Answers, error) {
	if len(data) > maxAnswersBytes {
		return nil, fmt.Errorf("1: the file is larger than 4 MB; an answers file holds a few pages of text")
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s", yamlProblem(err))
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("1: expected a mapping with the keys template, language and answers")
	}
	root := doc.Content[0]
	a := &Answers{Values: map[string]string{}, Lines: map[string]int{}}
	var answers *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "template":
			if v.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("%d: template: must be a template id such as consulting", v.Line)
			}
			a.Template = strings.TrimSpace(v.Value)
		case "language":
			if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
				return nil, fmt.Errorf("%d: language: must be a language tag such as es or de", v.Line)
			}
			a.Language = strings.TrimSpace(v.Value)
		case "answers":
			if v.Kind != yaml.MappingNode {
				return nil, fmt.Errorf("%d: answers: must map each field id to an answer", v.Line)
			}
			answers = v
		default:
			return nil, fmt.Errorf("%d: unknown key %q: an answers file has the keys template, language and answers", k.Line, k.Value)
		}
	}
	if answers == nil {
		return nil, fmt.Errorf("1: no answers: mapping; see examples/ for the layout")
	}
	for i := 0; i+1 < len(answers.Content); i += 2 {
		k, v := answers.Content[i], answers.Content[i+1]
		id := strings.TrimSpace(k.Value)
		if _, dup := a.Values[id]; dup {
			return nil, fmt.Errorf("%d: %q is answered twice (first on line %d)", k.Line, id, a.Lines[id])
		}
		val, err := answerText(v)
		if err != nil {
			return nil, fmt.Errorf("%d: %s: %v", v.Line, id, err)
		}
		a.Values[id] = val
		a.Lines[id] = k.Line
		a.Order = append(a.Order, id)
	}
	return a, nil
}

func answerText(v *yaml.Node) (string, error) {
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return "", nil
		}
		return v.Value, nil
	case yaml.SequenceNode:
		var lines []string
		for _, item := range v.Content {
			switch {
			case item.Kind == yaml.ScalarNode:
				lines = append(lines, strings.ReplaceAll(item.Value, "\n", " "))
			case item.Kind == yaml.MappingNode && len(item.Content) == 2 && item.Content[1].Kind == yaml.ScalarNode:
				lines = append(lines, item.Content[0].Value+": "+item.Content[1].Value)
			default:
				return "", errors.New("each list item must be a line of text (quote it if it holds a colon and more)")
			}
		}
		return strings.Join(lines, "\n"), nil
	case yaml.AliasNode:
		return answerText(v.Alias)
	}
	return "", errors.New("an answer must be text or a list of lines")
}

func yamlProblem(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if strings.HasPrefix(msg, "line ") {
		msg = strings.TrimPrefix(msg, "line ")
		if i := strings.Index(msg, ":"); i > 0 {
			return msg[:i] + ": " + strings.TrimSpace(msg[i+1:])
		}
	}
	return "1: " + msg
}

// Check makes sure every answered field exists in the template, naming the
// ones that do not and listing the template's own.
func (a *Answers) Check(t *templates.Template) error {
	var unknown []string
	for _, id := range a.Order {
		if _, f := t.Field(id); f == nil {
			unknown = append(unknown, fmt.Sprintf("%s (line %d)", id, a.Lines[id]))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	var ids []string
	for _, s := range t.Sections {
		for _, f := range s.Fields {
			ids = append(ids, f.ID)
		}
	}
	sort.Strings(ids)
	return fmt.Errorf("the %s template has no field %s; its fields are: %s",
		t.ID, strings.Join(unknown, ", "), strings.Join(ids, ", "))
}

// RecordAnswers records an answers file's values in its order, as a
// headless run does: "assume" states the template's assumption for the
// field (in the proposal's language), "assume: text" the user's own.
func (e *Engine) RecordAnswers(a *Answers) error {
	for _, id := range a.Order {
		value, origin := a.Values[id], proposal.Stated
		if own, ok := ParseAssume(value); ok {
			origin, value = proposal.Assumed, own
			if value == "" {
				if _, f := e.Template().Field(id); f != nil {
					value = f.Assume
				}
			}
		}
		if err := e.Record(id, value, origin); err != nil {
			return err
		}
	}
	return nil
}

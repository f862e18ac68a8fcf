package templates

import (
	"strings"
)

// drafterValue renders a field's answer roughly as the drafter does, so the
// built-in drafting text can be checked against realistic data.
func drafterValue(f *Field, answer string) string {
	if answer == "" {
		return ""
	}
	switch f.Kind {
	case KindList:
		var items []string
		for _, l := range strings.Split(answer, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				items = append(items, l)
			}
		}
		if len(f.Columns) == 0 {
			return "- " + strings.Join(items, "\n- ")
		}
		var b strings.Builder
		b.WriteString("| " + strings.Join(f.Columns, " | ") + " |\n|")
		for range f.Columns {
			b.WriteString(" --- |")
		}
		for _, it := range items {
			parts := strings.SplitN(it, ": ", len(f.Columns))
			for len(parts) < len(f.Columns) {
				parts = append(parts, "")
			}
			b.WriteString("\n| " + strings.Join(parts, " | ") + " |")
		}
		return b.String()
	case KindMoneyList:
		var b strings.Builder
		b.WriteString("| Item | Amount |\n| --- | ---: |")
		for _, l := range strings.Split(answer, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				i := strings.LastIndex(l, ": ")
				b.WriteString("\n| " + l[:i] + " | " + l[i+2:] + " |")
			}
		}
		b.WriteString("\n| **Total** | **£46,000** |")
		return b.String()
	}
	return answer
}

// exampleData fills the fields picked by answered with their examples
// (assumed answers where assume is true and the field has an assumption),
// and every other field with "".
func exampleData(t *Template, answered func(*Field) bool, assume bool) map[string]string {
	data := map[string]string{TodayKey: "12 January 2027"}
	for i := range t.Sections {
		for j := range t.Sections[i].Fields {
			f := &t.Sections[i].Fields[j]
			data[f.ID] = ""
			if !answered(f) {
				continue
			}
			if assume && f.Assume != "" {
				data[f.ID] = f.Assume + " *(assumption)*"
				continue
			}
			data[f.ID] = drafterValue(f, f.Example)
		}
	}
	return data
}

func all(*Field) bool { return true }

package templates

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// framePlaceholderRE finds the {id} places in a sentence frame.
var framePlaceholderRE = regexp.MustCompile(`\{([^{}]*)\}`)

// FramePlaceholders returns the field ids a frame names, in order.
func FramePlaceholders(frame string) []string {
	var out []string
	for _, m := range framePlaceholderRE.FindAllStringSubmatch(frame, -1) {
		out = append(out, m[1])
	}
	return out
}

// checkFrame says what is wrong with a field's sentence frame ("" when
// nothing): it must name the field itself, where the answer goes, and may
// name only fields of the template.
func checkFrame(f *Field, frame string, fields map[string]bool) string {
	if msg := checkText(frame); msg != "" {
		return "frame " + msg
	}
	if strings.Contains(frame, "{{") {
		return "frame uses {{ }}, which is for drafting text; write {" + f.ID + "} where the answer goes"
	}
	own := false
	for _, id := range FramePlaceholders(frame) {
		if id == f.ID {
			own = true
			continue
		}
		if !fields[id] {
			known := make([]string, 0, len(fields))
			for k := range fields {
				known = append(known, k)
			}
			hint := ""
			if c := closest(id, known); c != "" {
				hint = fmt.Sprintf(" (did you mean {%s}?)", c)
			}
			return fmt.Sprintf("frame %q uses {%s}, which is not a field of this template%s; write {%s} where the answer goes", clip(frame, 60), id, hint, f.ID)
		}
	}
	if !own {
		return fmt.Sprintf("frame %q does not say where the answer goes; write {%s} in it", clip(frame, 60), f.ID)
	}
	return ""
}

// FillFrame writes a short answer into the field's frame. values gives the
// other fields a frame names; ok is false when the field has no frame or a
// field the frame names has no value (the answer is then written as it
// stands). lower, when set, starts the answer with a small letter where it
// does not open the sentence ("Up to 4 days" reads "up to 4 days" after
// "We reserve").
func (f *Field) FillFrame(answer string, values map[string]string, lower bool) (string, bool) {
	return f.fill(f.Frame, answer, values, lower)
}

// FillFrameEnd is FillFrame with the field's end frame (FrameEnd).
func (f *Field) FillFrameEnd(answer string, values map[string]string, lower bool) (string, bool) {
	return f.fill(f.FrameEnd, answer, values, lower)
}

func (f *Field) fill(frame, answer string, values map[string]string, lower bool) (string, bool) {
	frame = strings.TrimSpace(frame)
	if frame == "" {
		return "", false
	}
	answer = strings.TrimSpace(answer)
	ok := true
	out := framePlaceholderRE.ReplaceAllStringFunc(frame, func(m string) string {
		id := m[1 : len(m)-1]
		if id == f.ID {
			return "\x00"
		}
		v := strings.TrimSpace(values[id])
		if v == "" || strings.Contains(v, "\n") {
			ok = false
		}
		return v
	})
	if !ok {
		return "", false
	}
	i := strings.IndexByte(out, 0)
	before, after := out[:i], out[i+1:]
	a := answer
	if !strings.HasSuffix(a, "...") && !strings.HasSuffix(a, "…") {
		a = strings.TrimRight(a, ".;:")
	}
	if strings.TrimSpace(before) == "" {
		a = upperFirst(a)
	} else if lower {
		a = lowerFirst(a)
	}
	return strings.ReplaceAll(before+a+after, "\x00", ""), true
}

// upperFirst starts s with a capital letter.
func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// lowerFirst starts s with a small letter when its first word is an
// ordinary capitalised word ("Up", "Work"), not an acronym ("SAP", "ERP"),
// a word with capitals inside ("McKinsey", "iPhone"), a possessive
// ("Northwind's") or the first of a name ("Tom Keller", "Leeds Office").
func lowerFirst(s string) string {
	words := strings.Fields(s)
	if len(words) == 0 || strings.ContainsAny(words[0], "'’") {
		return s
	}
	if len(words) > 1 {
		// "Tom Keller", not "The WMS vendor": a capitalised word, not an
		// acronym, follows.
		if r := []rune(words[1]); unicode.IsUpper(r[0]) && strings.IndexFunc(string(r[1:]), unicode.IsLower) >= 0 {
			return s
		}
	}
	word := strings.TrimRight(words[0], ",;:.")
	rs := []rune(word)
	if len(rs) < 2 {
		return s
	}
	if strings.ToUpper(string(rs[0])) != string(rs[0]) || strings.ToLower(string(rs[0])) == string(rs[0]) {
		return s
	}
	if strings.ToLower(string(rs[1:])) != string(rs[1:]) {
		return s
	}
	return strings.ToLower(string(rs[0])) + s[len(string(rs[0])):]
}

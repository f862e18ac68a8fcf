package proposal

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzEscapeMarkdownShowsAsTyped: whatever a user types on one line, the
// Markdown renderer shows it as typed once escaped, with no inline Markdown
// or HTML of its own.
func FuzzEscapeMarkdownShowsAsTyped(f *testing.F) {
	for _, s := range []string{"Margin *uplift* for Q&A_Corp <pilot>", "`code` and [link](x) ~~gone~~", "# heading", "1. item",
		"- item", "> quote", "a | b", "&amp; &#38; &copy;", `back\slash\`, "***", "___", "<!-- c -->", "![img](x.png)",
		"=====", "+ plus", "2) two", "**bold**", "_a_b_", "<http://x.y>", "a\\*b", "~", "[^1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\n\r\t\x00\f\v") || len(s) > 200 {
			return
		}
		for _, r := range s {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xfffd || r == 0x2028 || r == 0x2029 || r == 0x85 {
				return
			}
		}
		want := strings.Join(strings.Fields(s), " ")
		if want == "" {
			return
		}
		// After other text, and at the start of a line. A bare web address
		// may become a link: it still shows as typed.
		visible := func(t *testing.T, md string) (string, []string) {
			got, kinds := visible(t, md)
			var own []string
			for _, k := range kinds {
				if k != "AutoLink" {
					own = append(own, k)
				}
			}
			return got, own
		}
		got, kinds := visible(t, "Text: "+EscapeMarkdown(s)+"\n")
		got = strings.TrimPrefix(got, "Text: ")
		if got != want || len(kinds) > 0 {
			t.Errorf("%q escaped as %q shows %q (%v)", s, EscapeMarkdown(s), got, kinds)
		}
		if got, kinds := visible(t, EscapeMarkdown(s)+"\n"); got != want || len(kinds) > 0 {
			t.Errorf("%q escaped as %q shows %q at the start of a line (%v)", s, EscapeMarkdown(s), got, kinds)
		}
		// In a table cell, which stays one cell.
		row := table([]string{"A", "B"}, []bool{false, false}, [][]string{{"x", EscapeMarkdown(s)}})
		if got, kinds := visible(t, row+"\n"); got != "A B x "+want || len(kinds) > 0 {
			t.Errorf("%q in a table cell shows %q (%v):\n%s", s, got, kinds, row)
		}
	})
}

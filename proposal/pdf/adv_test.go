package pdf

import (
	"strings"
	"testing"
)

// TestAdversarialInputs renders shapes of Markdown that stress layout:
// deep nesting, huge tables, words longer than a page, nothing but emoji.
func TestAdversarialInputs(t *testing.T) {
	var nested strings.Builder
	for i := range 100 {
		nested.WriteString(strings.Repeat("  ", i) + "- item\n")
	}
	cases := map[string]string{
		"deep quotes":    strings.Repeat(">", 2000) + " deep",
		"deep lists":     strings.Repeat("- ", 500) + "deep",
		"nested lists":   nested.String(),
		"emphasis":       strings.Repeat("*a **b", 2000),
		"many columns":   "|" + strings.Repeat("a|", 300) + "\n|" + strings.Repeat("-|", 300) + "\n|" + strings.Repeat("1|", 300) + "\n",
		"huge cell":      "|a|b|\n|-|-|\n|" + strings.Repeat("word ", 3000) + "|1|\n",
		"heading levels": strings.Repeat("###### x\n## h\n# y\n#### z\n", 30),
		"long word":      strings.Repeat("x", 20000),
		"anchor links":   strings.Repeat("[a](#b) [c](#) ", 300) + "\n\n## B\n\n##\n",
		"only emoji":     strings.Repeat("😀", 5000),
		"huge heading":   "## " + strings.Repeat("word ", 800),
		"long code":      "```\n" + strings.Repeat(strings.Repeat("x", 500)+"\n", 30) + "```\n",
		"empty table":    "|a|\n|-|\n",
		"ragged table":   "|a|b|c|\n|-|-|-|\n|1|\n|1|2|3|4|5|\n",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := openPDF(t, renderT(t, Meta{Title: name}, []byte(body), Options{}))
			if ctx.PageCount < 2 {
				t.Errorf("%d pages, want a body page", ctx.PageCount)
			}
		})
	}
}

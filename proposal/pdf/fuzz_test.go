package pdf

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRender feeds arbitrary Markdown and metadata to Render: it must
// return a valid PDF or an error, and never panic. Render recovers panics
// into "internal error" errors, so those count as failures here.
func FuzzRender(f *testing.F) {
	f.Add(sampleBody, sampleMeta.Title, false)
	f.Add(unsafeBody, "😀", true)
	f.Add("| a | b |\n|---|--:|\n| 1 | **2** |\n", "", false)
	f.Add("> > > - [ ] 1. *a **b** c*\n>\n> ```\n> x\n", "\x00", false)
	f.Add("###### deep\n# top\n### skip\n## back\n", "t", true)
	f.Add(strings.Repeat("- ", 200)+"x\n", "nest", false)
	f.Add(strings.Repeat("a", 5000), strings.Repeat("T", 500), false)
	f.Add("\U0010FFFF\xed\xa0\x80\xff [x](javascript:y) <b>z</b> &#0; &#x110000;", "\xff", true)
	f.Fuzz(func(t *testing.T, body, title string, letter bool) {
		opts := Options{}
		if letter {
			opts.PageSize = Letter
		}
		meta := Meta{Title: title, PreparedFor: title, PreparedBy: body[:min(len(body), 40)], Date: title, Reference: title}
		var buf bytes.Buffer
		_, err := Render(&buf, meta, []byte(body), pinned(opts))
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("Render panicked: %v", err)
			}
			return
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
			t.Fatalf("not a PDF")
		}
		ctx := openPDF(t, buf.Bytes())
		if ctx.PageCount < 1 {
			t.Fatalf("no pages")
		}
		// Any word of plain ASCII letters survives somewhere in the text.
		if w := firstWord(body); w != "" && ctx.PageCount < 40 {
			text := strings.Join(strings.Fields(strings.Join(allText(t, ctx), "")), "")
			if !strings.Contains(text, w) {
				t.Fatalf("word %q lost", w)
			}
		}
	})
}

// firstWord returns a word of 6+ ASCII letters standing alone in s (a
// space or line start before and after), which must reach the page.
// Markdown can legitimately hide other text (link destinations, fences'
// info strings, reference definitions), so only such a plain word counts,
// and only when the body holds no Markdown punctuation at all.
func firstWord(s string) string {
	if !utf8.ValidString(s) || strings.ContainsAny(s, "[]()<>`*_~\\&#|:!=-+.>") {
		return ""
	}
	for _, w := range strings.Fields(s) {
		if len(w) < 6 || len(w) > 40 {
			continue
		}
		ok := true
		for _, r := range w {
			if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
				ok = false
				break
			}
		}
		if ok {
			return w
		}
	}
	return ""
}

func BenchmarkRender30Pages(b *testing.B) {
	body := longBody(30)
	var size int
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if _, err := Render(&buf, sampleMeta, body, pinned(Options{})); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	var buf bytes.Buffer
	if _, err := Render(&buf, sampleMeta, body, pinned(Options{})); err != nil {
		b.Fatal(err)
	}
	ctx := openPDF(b, buf.Bytes())
	b.ReportMetric(float64(size), "bytes/pdf")
	b.ReportMetric(float64(ctx.PageCount), "pages")
}

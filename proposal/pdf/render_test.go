package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
)

// testNow is the export time of every test render.
var testNow = time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)

// pinned makes a render independent of the machine: a fixed clock and, unless
// the test names folders, no system fonts.
func pinned(opts Options) Options {
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	if opts.FontDirs == nil {
		opts.FontDirs = []string{}
	}
	return opts
}

// renderT renders or fails the test.
func renderT(t testing.TB, meta Meta, body []byte, opts Options) []byte {
	t.Helper()
	data, _ := renderW(t, meta, body, opts)
	return data
}

// renderW renders or fails the test, and returns the warnings too.
func renderW(t testing.TB, meta Meta, body []byte, opts Options) ([]byte, []string) {
	t.Helper()
	var buf bytes.Buffer
	warnings, err := Render(&buf, meta, body, pinned(opts))
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("output is not a PDF: %q", buf.Bytes()[:min(buf.Len(), 20)])
	}
	return buf.Bytes(), warnings
}

// joined is the document's text with line breaks turned into spaces, for
// phrases that may wrap.
func joined(pages []string) string {
	return strings.Join(strings.Fields(strings.Join(pages, " ")), " ")
}

func TestSampleRoundTrip(t *testing.T) {
	data := renderT(t, sampleMeta, []byte(sampleBody), Options{})
	ctx := openPDF(t, data)
	if ctx.PageCount < 4 {
		t.Errorf("pages = %d, want at least 4 (cover and body)", ctx.PageCount)
	}
	pages := allText(t, ctx)
	text := joined(pages)
	for _, want := range []string{
		"Αθήνα", "Москва", "Θεσσαλονίκη", "€30.500", "—", "Naïve", "twelve-week",
		"weeks 1–3", "We lose a day every month", "Phase 1: Discovery", "Total",
		"Kick-off", "infra/cdp", "Either party may end the engagement",
		"Revenue by customer, region and product line", "Exceptions",
		"“We lose a day", "before the autumn peak.”", "Moscow office’s", "two weeks’ notice",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}

	cover := pages[0]
	for _, want := range []string{"PROPOSAL", "Customer Data Platform", "PREPARED FOR", "Αθήνα Logistics S.A.",
		"PREPARED BY", "Lena Brandt", "DATE", "12 March 2026", "REFERENCE", "BP-2026-014"} {
		if !strings.Contains(cover, want) {
			t.Errorf("cover lacks %q:\n%s", want, cover)
		}
	}
	if strings.Contains(cover, "Page 1") {
		t.Errorf("cover has a page footer:\n%s", cover)
	}
	n := ctx.PageCount
	for p := 2; p <= n; p++ {
		want := fmt.Sprintf("Page %d of %d", p, n)
		if !strings.Contains(pages[p-1], want) {
			t.Errorf("page %d lacks footer %q", p, want)
		}
		if !strings.Contains(pages[p-1], "Customer Data Platform") {
			t.Errorf("page %d footer lacks the title", p)
		}
	}

	info := docInfo(ctx)
	for k, want := range map[string]string{
		"Title":   sampleMeta.Title,
		"Author":  "Lena Brandt",
		"Subject": "Proposal — " + sampleMeta.PreparedFor,
		"Creator": "propose",
	} {
		if info[k] != want {
			t.Errorf("metadata %s = %q, want %q", k, info[k], want)
		}
	}

	got := bookmarkTitles(t, data)
	want := []string{
		"Executive summary", "Background and objectives", "Approach",
		"  Phase 1: Discovery (weeks 1–3)", "  Phase 2: Pilot (weeks 4–8)", "  Phase 3: Rollout and handover (weeks 9–12)",
		"Deliverables", "Timeline", "Fees", "  Options", "Assumptions", "Terms", "Next steps",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("outline:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLinksAreClickable(t *testing.T) {
	body := "## Links\n\nSee [the guidance](<https://example.com/a b?x=ü>), <https://auto.example/x>, " +
		"www.bare.example, [mail](mailto:a@b.example), [bad](javascript:alert(1)) and [back](#links).\n"
	data := renderT(t, Meta{Title: "Links"}, []byte(body), Options{})
	ctx := openPDF(t, data)
	uris := strings.Join(pageAnnotURIs(t, ctx, 2), " ")
	for _, want := range []string{"https://example.com/a%20b?x=%C3%BC", "https://auto.example/x", "http://www.bare.example", "mailto:a@b.example"} {
		if !strings.Contains(uris, want) {
			t.Errorf("no link to %q in %q", want, uris)
		}
	}
	if strings.Contains(uris, "javascript") {
		t.Errorf("javascript link kept: %q", uris)
	}
	text := joined(allText(t, ctx))
	if !strings.Contains(text, "bad") || !strings.Contains(text, "the guidance") {
		t.Errorf("link text lost: %q", text)
	}
}

func TestLongTableRepeatsHeader(t *testing.T) {
	data := renderT(t, Meta{Title: "Milestones"}, longTable(80), Options{})
	ctx := openPDF(t, data)
	if ctx.PageCount < 4 {
		t.Fatalf("80-row table on %d pages, want it to break across pages", ctx.PageCount)
	}
	pages := allText(t, ctx)
	for p := 2; p <= ctx.PageCount; p++ {
		lines := strings.Split(pages[p-1], "\n")
		if !strings.Contains(lines[0], "Milestone") || !strings.Contains(lines[0], "Owner") || !strings.Contains(lines[0], "Amount") {
			if p == 2 && strings.Contains(lines[0], "Milestones") {
				continue // the heading comes first on the first body page
			}
			t.Errorf("page %d does not start with the table header: %q", p, lines[0])
		}
	}
	text := joined(pages)
	for i := 1; i <= 80; i++ {
		if !strings.Contains(text, fmt.Sprintf("Milestone %02d:", i)) {
			t.Errorf("row %d missing", i)
		}
	}
	if !strings.Contains(pages[len(pages)-1], "€3.240.000") {
		t.Errorf("total not on the last page")
	}
}

// unsafeBody is text that crashes naive PDF writers.
const unsafeBody = "## Emoji 😀 and friends\n\n" +
	"before 😀 after, math 𝔘 letter, max \U0010FFFF end, family 👨‍👩‍👧 done, flag 🇬🇷 ok, thumbs 👍🏽 fine.\n\n" +
	"Control \x01\x02\x1b[31m red \x7f del, NUL \x00 here, bell \a, C1 \u0085\u009b1m end.\n\n" +
	"Invalid \xff\xfe bytes \xc3 and surrogate-ish \xed\xa0\x80 text.\n\n" +
	"Format chars: zero\u200bwidth, soft\u00adhyphen, rtl\u202emark\u202c, bom\ufeffhere, private \ue000 use, nonchar \uffff and \ufffe.\n\n" +
	"Check ✓ done ✔ and ballot ☐ ☑, arrows → ⇒, CJK 中文 text, Arabic مرحبا, Hebrew שלום, combining e\u0301 and keycap 1\ufe0f\u20e3.\n\n" +
	"| Col 😀 | Amount |\n|---|---|\n| row 🚀 one | €1.000 |\n| \x00 | 𝔘 |\n\n" +
	"- item 🎉 one\n  - nested \U0001F600\n\n" +
	"> quote 🤔 here\n\n" +
	"```\ncode 😀 \x00 tab\there\n```\n\n" +
	"### Heading with <b>html</b> 😀\n\nInline <script>alert(1)</script> and <b>bold?</b> shown as text.\n"

func TestUnsafeCharacters(t *testing.T) {
	meta := Meta{
		Title:       "Title 😀 \x00 with \xff bad \U0010FFFF bytes",
		PreparedFor: "Client 🚀\x1b[0m",
		PreparedBy:  "Me \U0001D518",
		Date:        "today \x00",
		Reference:   "ref\u202e",
		Author:      "Author 😀",
	}
	data := renderT(t, meta, []byte(unsafeBody), Options{})
	ctx := openPDF(t, data)
	text := joined(allText(t, ctx))
	for _, want := range []string{
		"before □ after", "math □ letter", "max □ end", "family □ done", "flag □ ok", "thumbs □ fine",
		"Control red del, NUL", "here, bell", "end.", "Invalid □ bytes □ and", "text.",
		"zerowidth", "softhyphen", "rtlmark", "bomhere", "private □ use",
		"Check ✓ done ✔ and ballot ☐ ☑", "arrows → ⇒", "Hebrew שלום", "combining é and keycap 1.",
		"Col □", "row □ one", "item □ one", "nested □", "quote □ here", "code □", "tab",
		"<b>html</b>", "<script>alert(1)</script>", "<b>bold?</b> shown as text",
		"Title □",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if strings.ContainsAny(text, "\x00\x01\x1b\x7f\u0085\u009b\u202e\ufeff") {
		t.Errorf("control characters reached the page: %q", text)
	}
	info := docInfo(ctx)
	if !strings.HasPrefix(info["Title"], "Title □ with") || !strings.Contains(info["Title"], "bytes") {
		t.Errorf("title metadata = %q", info["Title"])
	}
	if got := bookmarkTitles(t, data); len(got) != 2 || !strings.HasPrefix(got[0], "Emoji □") {
		t.Errorf("outline = %q", got)
	}
}

func TestInlineHTMLIsText(t *testing.T) {
	body := "## HTML\n\n<div class=\"x\">\n<b>block</b>\n</div>\n\nA <span style=\"color:red\">span</span> and &amp; &copy; \\*stars\\*.\n\nShift x << 2 >> 1 -- then... done.\n"
	ctx := openPDF(t, renderT(t, Meta{Title: "HTML"}, []byte(body), Options{}))
	text := joined(allText(t, ctx))
	for _, want := range []string{`<div class="x">`, "<b>block</b>", "</div>", `<span style="color:red">span</span>`, "& © *stars*.", "Shift x << 2 >> 1 – then… done."} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q: %q", want, text)
		}
	}
}

func TestPageSizes(t *testing.T) {
	for _, tc := range []struct {
		size PageSize
		w, h float64
	}{
		{"", 595.28, 841.89},
		{A4, 595.28, 841.89},
		{Letter, 612, 792},
		{"letter", 612, 792},
	} {
		data := renderT(t, sampleMeta, []byte(sampleBody), Options{PageSize: tc.size})
		dims, err := api.PageDims(bytes.NewReader(data), relaxed())
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range dims {
			if math.Abs(d.Width-tc.w) > 0.5 || math.Abs(d.Height-tc.h) > 0.5 {
				t.Errorf("%q page %d is %.2f x %.2f, want %.2f x %.2f", tc.size, i+1, d.Width, d.Height, tc.w, tc.h)
			}
		}
	}
	var buf bytes.Buffer
	if _, err := Render(&buf, sampleMeta, nil, Options{PageSize: "A5"}); err == nil {
		t.Error("A5 accepted")
	}
}

func TestReproducible(t *testing.T) {
	body := []byte(sampleBody + unsafeBody + "\nno\u00a0break\u00a0spaces and soft\u00adhyphen\n")
	first := renderT(t, sampleMeta, body, Options{})
	var wg sync.WaitGroup
	outs := make([][]byte, 8)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			if _, err := Render(&buf, sampleMeta, body, pinned(Options{})); err != nil {
				t.Error(err)
			}
			outs[i] = buf.Bytes()
		}()
	}
	wg.Wait()
	for i, out := range outs {
		if !bytes.Equal(first, out) {
			t.Fatalf("render %d differs from the first (%d vs %d bytes)", i+1, len(out), len(first))
		}
	}
	for _, key := range []string{"/CreationDate", "/ModDate"} {
		if !bytes.Contains(first, []byte(key+" (D:20261128093000")) {
			t.Errorf("%s is not the export time", key)
		}
	}
}

func TestEmptyProposal(t *testing.T) {
	ctx := openPDF(t, renderT(t, Meta{}, nil, Options{}))
	if ctx.PageCount != 1 {
		t.Errorf("empty proposal has %d pages, want the cover only", ctx.PageCount)
	}
	if text := pageText(t, ctx, 1); !strings.Contains(text, "Proposal") {
		t.Errorf("cover text %q", text)
	}
}

// TestHeadingsKeepWithText fills pages with paragraphs of varying length so
// that headings land near page ends, then checks that no page ends with a
// heading or starts a paragraph with a lone line.
func TestHeadingsKeepWithText(t *testing.T) {
	var b strings.Builder
	for i := range 60 {
		fmt.Fprintf(&b, "## Heading %02d\n\n", i)
		words := 12 + (i*37)%90
		for w := range words {
			fmt.Fprintf(&b, "word%d ", w)
		}
		b.WriteString("\n\n")
		if i%3 == 0 {
			fmt.Fprintf(&b, "### Sub %02d\n\n- one\n- two\n\n", i)
		}
	}
	data := renderT(t, Meta{Title: "Keep"}, []byte(b.String()), Options{})
	ctx := openPDF(t, data)
	heading := regexp.MustCompile(`^(Heading|Sub) \d\d$`)
	for p := 2; p <= ctx.PageCount; p++ {
		lines := bodyLines(pageText(t, ctx, p))
		if len(lines) == 0 {
			t.Fatalf("page %d is empty", p)
		}
		last := lines[len(lines)-1]
		if heading.MatchString(last) {
			t.Errorf("page %d ends with heading %q", p, last)
		}
		if len(lines) > 1 && heading.MatchString(lines[len(lines)-2]) {
			t.Errorf("page %d ends with heading %q and one line", p, lines[len(lines)-2])
		}
	}
}

// bodyLines drops the footer (drawn last) from a page's lines.
func bodyLines(page string) []string {
	lines := strings.Split(page, "\n")
	for len(lines) > 0 && (strings.Contains(lines[len(lines)-1], "Page ") || strings.TrimSpace(lines[len(lines)-1]) == "") {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrorReturned(t *testing.T) {
	if _, err := Render(failWriter{}, sampleMeta, []byte(sampleBody), pinned(Options{})); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want the write error", err)
	}
}

func TestAmountCells(t *testing.T) {
	for s, want := range map[string]bool{
		"€30.500": true, "**€30.500**": false, "$12,000.00": true, "12 500 EUR": true, "CHF 1'200": true,
		"15 %": true, "(€1.200)": true, "€3.000 / month": true, "3 000 € / month": true, "€1.200 per day": true,
		"-3": false, "40 h": false, "3 days": false, "24": false, "Phase 1": false, "2026-03-15": false,
		"Kick-off": false, "A — Discovery only": false, "": false, "09:30": false, "30 June 2027": false,
		"2 workshops with 12 people": false, "Report v2": false,
	} {
		if got := isAmount(s); got != want {
			t.Errorf("isAmount(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestColumnTypes: a table whose Markdown states its money column aligns
// only that column right; a table with no stated alignment right-aligns
// amounts and leaves digit-bearing text left; a total never wraps.
func TestColumnTypes(t *testing.T) {
	if err := loadMetrics(); err != nil {
		t.Fatal(err)
	}
	r := newRenderer(fpdfDoc(), &shaper{}, Meta{})
	for _, tc := range []struct {
		md   string
		want []align
	}{
		{"| Deliverable | Criteria | Fee |\n|---|---|---:|\n| 3 reports | 2 reviews | €1.000 |\n| 4 days | 10 people | €2.000 |\n", []align{alignLeft, alignLeft, alignRight}},
		{"| Day | Hours | Fee |\n|---|---|---|\n| 3 | 40 h | €1.000 |\n| 4 | 12 h | €2.000 |\n", []align{alignLeft, alignLeft, alignRight}},
		{"| Time | Session |\n|---|---|\n| 09:30 | Welcome |\n| 10:00 | 3 breakouts |\n", []align{alignLeft, alignLeft}},
	} {
		tbl := parseTable(t, tc.md)
		rows := tableRows(r, tbl, []byte(tc.md))
		got := columnAligns(tbl, rows, 1, len(tc.want))
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("aligns = %v, want %v for\n%s", got, tc.want, tc.md)
		}
	}
	md := "| Item | Amount |\n|---|---:|\n| " + strings.Repeat("A long description of the work that fills the column ", 6) + " | €3.000 / month |\n| **Total** | **€3.000 / month** |\n"
	ctx := openPDF(t, renderT(t, Meta{Title: "x"}, []byte(md), Options{}))
	if text := pageText(t, ctx, 2); !strings.Contains(text, "€3.000 / month") {
		t.Errorf("the total wrapped:\n%s", text)
	}
}

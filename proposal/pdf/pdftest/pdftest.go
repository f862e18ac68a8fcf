// Package pdftest reads back what a PDF written by package pdf says, so tests
// in other packages can check an export's words rather than its compressed
// bytes: the document information, the outline and the text of every page.
//
// It only knows the PDFs package pdf writes: every font is embedded as a
// UTF-8 font, so each string a page shows is UTF-16BE of the characters,
// except the Private Use Area codes that stand for characters beyond U+FFFF
// (emoji), which the fonts' ToUnicode maps send back to those characters.
package pdftest

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

func init() {
	// pdfcpu would otherwise create a configuration folder in $HOME.
	model.ConfigPath = "disable"
}

// Text is everything a reader of the PDF can see as text: the document
// information (title, author, subject, keywords, creator, producer), the
// outline's titles and each page's text, one line per text block.
func Text(data []byte) (string, error) {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	ctx, err := api.ReadContext(bytes.NewReader(data), conf)
	if err != nil {
		return "", fmt.Errorf("pdftest: %w", err)
	}
	// Validation also reads the document information into ctx.
	if err := api.ValidateContext(ctx); err != nil {
		return "", fmt.Errorf("pdftest: %w", err)
	}
	var b strings.Builder
	for _, s := range []string{ctx.Title, ctx.Author, ctx.Subject, ctx.Keywords, ctx.Creator, ctx.Producer} {
		b.WriteString(s + "\n")
	}
	bms, err := api.Bookmarks(bytes.NewReader(data), conf)
	if err != nil {
		return "", fmt.Errorf("pdftest: outline: %w", err)
	}
	var walk func([]pdfcpu.Bookmark)
	walk = func(bs []pdfcpu.Bookmark) {
		for _, bm := range bs {
			b.WriteString(bm.Title + "\n")
			walk(bm.Kids)
		}
	}
	walk(bms)
	for p := 1; p <= ctx.PageCount; p++ {
		d, _, _, err := ctx.PageDict(p, true)
		if err != nil {
			return "", fmt.Errorf("pdftest: page %d: %w", p, err)
		}
		content, err := ctx.PageContent(d, p)
		if err != nil {
			return "", fmt.Errorf("pdftest: page %d content: %w", p, err)
		}
		b.WriteString(remap(shown(content), pageCharMaps(ctx, d)))
	}
	return b.String(), nil
}

// shown is the text of a content stream's literal strings, decoded from
// UTF-16BE; each text object (BT ... ET) ends a line.
func shown(content []byte) string {
	var b strings.Builder
	for i := 0; i < len(content); {
		switch {
		case content[i] == '(':
			s, n := Literal(content[i:])
			b.WriteString(utf16BE(s))
			i += n
		case bytes.HasPrefix(content[i:], []byte("ET")) && (i == 0 || isSpace(content[i-1])):
			b.WriteByte('\n')
			i += 2
		default:
			i++
		}
	}
	return b.String()
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// Literal reads a PDF literal string starting at b[0] == '(' and returns its
// bytes and the length it took up.
func Literal(b []byte) ([]byte, int) {
	var out []byte
	depth := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch c {
		case '(':
			if depth > 0 {
				out = append(out, c)
			}
			depth++
		case ')':
			depth--
			if depth == 0 {
				return out, i + 1
			}
			out = append(out, c)
		case '\\':
			i++
			if i >= len(b) {
				return out, i
			}
			switch e := b[i]; e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\n':
			case '\r':
				if i+1 < len(b) && b[i+1] == '\n' {
					i++
				}
			default:
				if e >= '0' && e <= '7' {
					v := 0
					for n := 0; n < 3 && i < len(b) && b[i] >= '0' && b[i] <= '7'; n++ {
						v = v*8 + int(b[i]-'0')
						i++
					}
					i--
					out = append(out, byte(v))
					continue
				}
				out = append(out, e)
			}
		default:
			out = append(out, c)
		}
	}
	return out, len(b)
}

func utf16BE(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(u))
}

var bfchar = regexp.MustCompile(`<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4,})>`)

// pageCharMaps collects the single-code entries (bfchar) of the ToUnicode
// maps of a page's fonts: the codes that do not stand for themselves.
func pageCharMaps(ctx *model.Context, page types.Dict) map[rune]string {
	m := map[rune]string{}
	res, err := ctx.DereferenceDict(page["Resources"])
	if err != nil || res == nil {
		return m
	}
	fonts, err := ctx.DereferenceDict(res["Font"])
	if err != nil || fonts == nil {
		return m
	}
	for _, ref := range fonts {
		fd, err := ctx.DereferenceDict(ref)
		if err != nil || fd == nil {
			continue
		}
		sd, _, err := ctx.DereferenceStreamDict(fd["ToUnicode"])
		if err != nil || sd == nil || sd.Decode() != nil {
			continue
		}
		content := string(sd.Content)
		for _, block := range strings.Split(content, "beginbfchar")[1:] {
			block, _, _ = strings.Cut(block, "endbfchar")
			for _, e := range bfchar.FindAllStringSubmatch(block, -1) {
				code, _ := strconv.ParseUint(e[1], 16, 16)
				var u []uint16
				for i := 0; i+4 <= len(e[2]); i += 4 {
					v, _ := strconv.ParseUint(e[2][i:i+4], 16, 16)
					u = append(u, uint16(v))
				}
				m[rune(code)] = string(utf16.Decode(u))
			}
		}
	}
	return m
}

// remap replaces the codes a page's fonts map to other characters.
func remap(s string, m map[rune]string) string {
	if len(m) == 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if t, ok := m[r]; ok {
			b.WriteString(t)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Page is what one page shows, line by line from the top, for tests of
// where things land: what ends a page, what shares a page, how full it is.
type Page struct {
	Height float64 // in points
	Lines  []Line
}

// Line is the text shown on one baseline.
type Line struct {
	Y    float64 // the baseline, in points from the top of the page
	Size float64 // the font size of the line's first run
	Text string
}

// Pages reads each page's lines: runs on one baseline are joined in the
// order they were drawn, and lines are sorted from the top of the page.
func Pages(data []byte) ([]Page, error) {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	ctx, err := api.ReadContext(bytes.NewReader(data), conf)
	if err != nil {
		return nil, fmt.Errorf("pdftest: %w", err)
	}
	if err := api.ValidateContext(ctx); err != nil {
		return nil, fmt.Errorf("pdftest: %w", err)
	}
	var pages []Page
	for p := 1; p <= ctx.PageCount; p++ {
		d, _, inh, err := ctx.PageDict(p, true)
		if err != nil {
			return nil, fmt.Errorf("pdftest: page %d: %w", p, err)
		}
		h := 0.0
		if inh != nil && inh.MediaBox != nil {
			h = inh.MediaBox.Height()
		}
		content, err := ctx.PageContent(d, p)
		if err != nil {
			return nil, fmt.Errorf("pdftest: page %d content: %w", p, err)
		}
		m := pageCharMaps(ctx, d)
		var lines []Line
		at := map[float64]int{}
		for _, r := range runs(content) {
			y := h - r.y
			i, ok := at[y]
			if !ok {
				i = len(lines)
				at[y] = i
				lines = append(lines, Line{Y: y, Size: r.size})
			}
			lines[i].Text += remap(r.text, m)
		}
		sort.SliceStable(lines, func(i, j int) bool { return lines[i].Y < lines[j].Y })
		pages = append(pages, Page{Height: h, Lines: lines})
	}
	return pages, nil
}

// run is one string shown at a baseline y (from the bottom of the page).
type run struct {
	y, size float64
	text    string
}

// runs reads the text-showing operators of a content stream as package pdf
// writes them: "/F1 11.00 Tf", "BT x y Td (...) Tj ET".
func runs(content []byte) []run {
	var out []run
	var nums []float64
	var y, size float64
	for i := 0; i < len(content); {
		c := content[i]
		switch {
		case c == '(':
			s, n := Literal(content[i:])
			out = append(out, run{y: y, size: size, text: utf16BE(s)})
			i += n
			nums = nums[:0]
		case isSpace(c):
			i++
		default:
			j := i
			for j < len(content) && !isSpace(content[j]) && content[j] != '(' {
				j++
			}
			if j == i {
				j++
			}
			tok := string(content[i:j])
			i = j
			if v, err := strconv.ParseFloat(tok, 64); err == nil {
				nums = append(nums, v)
				continue
			}
			switch tok {
			case "Tf":
				if len(nums) > 0 {
					size = nums[len(nums)-1]
				}
			case "Td", "TD":
				if len(nums) > 0 {
					y = nums[len(nums)-1]
				}
			case "Tm":
				if len(nums) > 0 {
					y = nums[len(nums)-1]
				}
			}
			nums = nums[:0]
		}
	}
	return out
}

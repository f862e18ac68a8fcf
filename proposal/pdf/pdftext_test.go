package pdf

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"propose/proposal/pdf/pdftest"
)

func init() {
	// pdfcpu would otherwise create a configuration folder in $HOME.
	model.ConfigPath = "disable"
}

// relaxed is the pdfcpu configuration the tests read PDFs with.
func relaxed() *model.Configuration {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	return conf
}

// openPDF parses and validates a rendered PDF.
func openPDF(t testing.TB, data []byte) *model.Context {
	t.Helper()
	ctx, err := api.ReadContext(bytes.NewReader(data), relaxed())
	if err != nil {
		t.Fatalf("pdfcpu read: %v", err)
	}
	if err := api.ValidateContext(ctx); err != nil {
		t.Fatalf("pdfcpu validate: %v", err)
	}
	return ctx
}

// pageText returns the text drawn on a page, decoded through each font's
// ToUnicode CMap. Text shown on one baseline is joined as is (runs carry
// their own spaces); a new baseline starts a new line.
func pageText(t testing.TB, ctx *model.Context, page int) string {
	t.Helper()
	d, _, _, err := ctx.PageDict(page, true)
	if err != nil {
		t.Fatalf("page %d: %v", page, err)
	}
	cmaps := map[string]map[int]string{}
	if res, err := ctx.DereferenceDict(d["Resources"]); err == nil && res != nil {
		if fontDict, err := ctx.DereferenceDict(res["Font"]); err == nil {
			for name, ref := range fontDict {
				fd, err := ctx.DereferenceDict(ref)
				if err != nil || fd == nil {
					continue
				}
				sd, _, err := ctx.DereferenceStreamDict(fd["ToUnicode"])
				if err != nil || sd == nil {
					continue
				}
				if err := sd.Decode(); err != nil {
					t.Fatalf("ToUnicode of %s: %v", name, err)
				}
				cmaps[name] = parseToUnicode(t, string(sd.Content))
			}
		}
	}
	bb, err := ctx.PageContent(d, page)
	if err != nil {
		t.Fatalf("page %d content: %v", page, err)
	}
	return decodeContent(t, bb, cmaps)
}

// allText is the text of every page, pages separated by a form feed.
func allText(t testing.TB, ctx *model.Context) []string {
	t.Helper()
	var pages []string
	for p := 1; p <= ctx.PageCount; p++ {
		pages = append(pages, pageText(t, ctx, p))
	}
	return pages
}

// parseToUnicode reads bfchar and bfrange entries of a ToUnicode CMap.
func parseToUnicode(t testing.TB, s string) map[int]string {
	t.Helper()
	m := map[int]string{}
	toks := cmapTokens(s)
	for i := 0; i < len(toks); i++ {
		switch toks[i] {
		case "beginbfchar":
			for i++; i+1 < len(toks) && toks[i] != "endbfchar"; i += 2 {
				m[hexInt(toks[i])] = utf16Hex(toks[i+1])
			}
		case "beginbfrange":
			for i++; i+2 < len(toks) && toks[i] != "endbfrange"; {
				lo, hi := hexInt(toks[i]), hexInt(toks[i+1])
				if toks[i+2] == "[" {
					j := i + 3
					for c := lo; c <= hi && toks[j] != "]"; c, j = c+1, j+1 {
						m[c] = utf16Hex(toks[j])
					}
					for toks[j] != "]" {
						j++
					}
					i = j + 1
					continue
				}
				dst := []rune(utf16Hex(toks[i+2]))
				for c := lo; c <= hi; c++ {
					if len(dst) == 1 {
						m[c] = string(dst[0] + rune(c-lo))
					}
				}
				i += 3
			}
		}
	}
	return m
}

// cmapTokens splits a CMap into hex strings (without brackets), brackets
// of arrays and keywords.
func cmapTokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '<' && i+1 < len(s) && s[i+1] != '<':
			j := strings.IndexByte(s[i:], '>')
			out = append(out, "<"+s[i+1:i+j])
			i += j + 1
		case c == '[' || c == ']':
			out = append(out, string(c))
			i++
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			i++
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \n\r\t[]<", rune(s[j])) {
				j++
			}
			if j == i {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out
}

func hexInt(tok string) int {
	v, _ := strconv.ParseInt(strings.TrimPrefix(tok, "<"), 16, 64)
	return int(v)
}

func utf16Hex(tok string) string {
	b, _ := hex.DecodeString(strings.TrimPrefix(tok, "<"))
	var u []uint16
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(u))
}

// decodeContent walks a content stream's text operators.
func decodeContent(t testing.TB, bb []byte, cmaps map[string]map[int]string) string {
	t.Helper()
	var out strings.Builder
	var stack []any
	var cmap map[int]string
	lastY := ""
	var curY string
	show := func(b []byte) {
		if curY != lastY && out.Len() > 0 {
			out.WriteByte('\n')
		}
		lastY = curY
		if cmap == nil {
			out.Write(b)
			return
		}
		for i := 0; i+1 < len(b); i += 2 {
			code := int(b[i])<<8 | int(b[i+1])
			if s, ok := cmap[code]; ok {
				out.WriteString(s)
			} else {
				fmt.Fprintf(&out, "\\u%04x", code)
			}
		}
	}
	for i := 0; i < len(bb); {
		c := bb[i]
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0:
			i++
		case c == '%':
			for i < len(bb) && bb[i] != '\n' && bb[i] != '\r' {
				i++
			}
		case c == '(':
			s, n := pdftest.Literal(bb[i:])
			stack = append(stack, s)
			i += n
		case c == '<' && i+1 < len(bb) && bb[i+1] == '<':
			stack = append(stack, "<<")
			i += 2
		case c == '>' && i+1 < len(bb) && bb[i+1] == '>':
			i += 2
		case c == '<':
			j := bytes.IndexByte(bb[i:], '>')
			h := strings.Map(func(r rune) rune {
				if strings.ContainsRune(" \n\r\t", r) {
					return -1
				}
				return r
			}, string(bb[i+1:i+j]))
			if len(h)%2 == 1 {
				h += "0"
			}
			b, _ := hex.DecodeString(h)
			stack = append(stack, b)
			i += j + 1
		case c == '[':
			stack = append(stack, "[")
			i++
		case c == ']':
			// Collect the array's strings as one operand.
			var parts [][]byte
			k := len(stack) - 1
			for ; k >= 0; k-- {
				if s, ok := stack[k].(string); ok && s == "[" {
					break
				}
				if b, ok := stack[k].([]byte); ok {
					parts = append([][]byte{b}, parts...)
				}
			}
			stack = append(stack[:max(k, 0)], parts)
			i++
		case c == '/':
			j := i + 1
			for j < len(bb) && !strings.ContainsRune(" \n\r\t/[]<>()%", rune(bb[j])) {
				j++
			}
			stack = append(stack, "/"+string(bb[i+1:j]))
			i = j
		default:
			j := i
			for j < len(bb) && !strings.ContainsRune(" \n\r\t/[]<>()%", rune(bb[j])) {
				j++
			}
			if j == i {
				j++
			}
			tok := string(bb[i:j])
			i = j
			if _, err := strconv.ParseFloat(tok, 64); err == nil {
				stack = append(stack, tok)
				continue
			}
			switch tok {
			case "Tf":
				if len(stack) >= 2 {
					if name, ok := stack[len(stack)-2].(string); ok {
						cmap = cmaps[strings.TrimPrefix(name, "/")]
					}
				}
			case "Td", "TD", "Tm":
				if len(stack) >= 1 {
					curY, _ = stack[len(stack)-1].(string)
				}
			case "Tj", "'", "\"":
				if len(stack) >= 1 {
					if b, ok := stack[len(stack)-1].([]byte); ok {
						show(b)
					}
				}
			case "TJ":
				if len(stack) >= 1 {
					if parts, ok := stack[len(stack)-1].([][]byte); ok {
						for _, b := range parts {
							show(b)
						}
					}
				}
			}
			stack = stack[:0]
		}
	}
	return out.String()
}

// bookmarkTitles flattens the outline: level-0 titles as is, nested ones
// prefixed with "  " per level.
func bookmarkTitles(t testing.TB, data []byte) []string {
	t.Helper()
	bms, err := api.Bookmarks(bytes.NewReader(data), relaxed())
	if err != nil {
		t.Fatalf("bookmarks: %v", err)
	}
	var out []string
	var walk func(bs []pdfcpu.Bookmark, depth int)
	walk = func(bs []pdfcpu.Bookmark, depth int) {
		for _, b := range bs {
			out = append(out, strings.Repeat("  ", depth)+b.Title)
			walk(b.Kids, depth+1)
		}
	}
	walk(bms, 0)
	return out
}

// docInfo returns a string entry of the document information dictionary.
func docInfo(ctx *model.Context) map[string]string {
	return map[string]string{
		"Title":    ctx.Title,
		"Author":   ctx.Author,
		"Subject":  ctx.Subject,
		"Creator":  ctx.Creator,
		"Producer": ctx.Producer,
		"Keywords": ctx.Keywords,
	}
}

// pageAnnotURIs lists the URI actions of a page's link annotations.
func pageAnnotURIs(t testing.TB, ctx *model.Context, page int) []string {
	t.Helper()
	d, _, _, err := ctx.PageDict(page, false)
	if err != nil {
		t.Fatal(err)
	}
	arr, err := ctx.DereferenceArray(d["Annots"])
	if err != nil || arr == nil {
		return nil
	}
	var out []string
	for _, o := range arr {
		ad, err := ctx.DereferenceDict(o)
		if err != nil || ad == nil {
			continue
		}
		act, err := ctx.DereferenceDict(ad["A"])
		if err != nil || act == nil {
			continue
		}
		switch u := act["URI"].(type) {
		case types.StringLiteral:
			s, _ := types.StringLiteralToString(u)
			out = append(out, s)
		case types.HexLiteral:
			s, _ := types.HexLiteralToString(u)
			out = append(out, s)
		}
	}
	return out
}

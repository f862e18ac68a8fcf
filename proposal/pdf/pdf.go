// Package pdf exports a proposal as a PDF a consultant can send to a client:
// a cover page from the proposal's metadata, then the body Markdown laid out
// with embedded fonts, an outline, clickable links and numbered pages.
//
// It is pure Go. The text fonts are compiled in from Go font modules; for
// characters they lack (Chinese, Japanese, Korean, symbols) it looks for
// TrueType fonts the user names or the system has, and says which characters
// it could not show. The same input, clock and fonts always give the same
// bytes, and no input makes it panic.
package pdf

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/text/unicode/norm"
)

// Meta is what the cover page, the footers, the signature page and the PDF
// metadata say about the document.
type Meta struct {
	// Title is the proposal's title, large on the cover and in every footer.
	Title string
	// Kind names the document over the title ("Statement of work"); the
	// default is "Proposal".
	Kind string
	// PreparedFor names the client.
	PreparedFor string
	// Attention names the addressee at the client: the buyer who signs,
	// with their title ("Maria Jensen, Chief Operating Officer").
	Attention string
	// PreparedBy names the consultant or firm.
	PreparedBy string
	// Date is shown as written.
	Date string
	// Reference is an optional proposal or engagement reference.
	Reference string
	// Author is the PDF's author metadata; PreparedBy stands in when empty.
	Author string
	// Lang is the document's BCP 47 language tag ("en", "es-ES"), written
	// to the PDF so readers and screen readers know it.
	Lang string
	// Draft marks an unfinished document: DRAFT on the cover and in every
	// footer.
	Draft bool
	// Labels are the words the PDF writes itself; English where empty.
	Labels Labels
	// Branding is the consultancy's identity on the cover, in the footers
	// and on the signature page; nil keeps the plain look.
	Branding *Branding
	// Signing, when set, ends the document with the acceptance text and a
	// signature block for each party, kept together on one page.
	Signing *Signing
}

// Labels are the words the PDF itself writes, for documents in other
// languages. An empty field takes its English default.
type Labels struct {
	PreparedFor string // "Prepared for"
	PreparedBy  string // "Prepared by"
	Attention   string // "Attention"
	Date        string // "Date"
	Reference   string // "Reference"
	// Page is the footer's page number, with {page} and {pages} in it:
	// "Page {page} of {pages}".
	Page  string
	Draft string // "DRAFT"
	// Signature block: the heading over each party ("For {party}"), and the
	// captions under the rules.
	For           string // "For {party}"
	Signature     string // "Signature"
	Name          string // "Name"
	SignatoryRole string // "Title"
	SignedOn      string // "Date"
}

// defaultLabels are the English words.
var defaultLabels = Labels{
	PreparedFor: "Prepared for", PreparedBy: "Prepared by", Attention: "Attention",
	Date: "Date", Reference: "Reference", Page: "Page {page} of {pages}", Draft: "DRAFT",
	For: "For {party}", Signature: "Signature", Name: "Name", SignatoryRole: "Title", SignedOn: "Date",
}

// withDefaults fills the empty labels with English.
func (l Labels) withDefaults() Labels {
	d := defaultLabels
	for _, f := range []struct{ v, def *string }{
		{&l.PreparedFor, &d.PreparedFor}, {&l.PreparedBy, &d.PreparedBy}, {&l.Attention, &d.Attention},
		{&l.Date, &d.Date}, {&l.Reference, &d.Reference}, {&l.Page, &d.Page}, {&l.Draft, &d.Draft},
		{&l.For, &d.For}, {&l.Signature, &d.Signature}, {&l.Name, &d.Name},
		{&l.SignatoryRole, &d.SignatoryRole}, {&l.SignedOn, &d.SignedOn},
	} {
		if strings.TrimSpace(*f.v) == "" {
			*f.v = *f.def
		}
	}
	return l
}

// Branding is the consultancy's identity. Every field is optional.
type Branding struct {
	// Firm is the consultancy's name, beside the logo on the cover and in
	// the footers.
	Firm string
	// Logo is the path of a PNG or JPEG logo for the cover and the
	// signature page.
	Logo string
	// Accent is the accent colour as "#rrggbb"; the default is a deep blue.
	Accent string
	// Contact is one line of address and contact details for the cover.
	Contact string
}

// Signing is the end of the document: what signing means, and who signs.
type Signing struct {
	// Acceptance is the acceptance text (Markdown) printed above the
	// signatures and kept on their page.
	Acceptance string
	// Parties sign side by side, the client first.
	Parties []Signatory
}

// Signatory is one party's signature block.
type Signatory struct {
	Party string // the organisation: "Acme Components Ltd"
	Name  string // the person who signs; blank for a line to fill in
	Title string // their title
}

// PageSize is the paper the PDF is laid out for.
type PageSize string

// The supported page sizes. The zero value means A4.
const (
	A4     PageSize = "A4"
	Letter PageSize = "Letter"
)

// Options tune the export.
type Options struct {
	// PageSize is A4 (the default) or Letter.
	PageSize PageSize
	// Fonts are TrueType files the user names for characters the embedded
	// fonts lack; they come first in the fallback chain.
	Fonts []string
	// FontDirs, when not nil, replaces the system's font folders in the
	// search for fallback fonts (an empty slice searches none).
	FontDirs []string
	// Now is the clock for the PDF's creation and modification dates;
	// time.Now when nil.
	Now func() time.Time
}

// creator names the program in the PDF's Creator and Producer fields.
const creator = "propose"

// Render writes the PDF of a proposal: a cover page from meta, then the body
// Markdown, then the signature page when meta has one. Output depends only
// on the arguments, the clock in opts and the fonts installed. It returns
// warnings about what the PDF could not show as written (characters no font
// has, scripts it cannot shape, a logo it cannot read), each one sentence
// for the user. A failure anywhere, even a panic inside the PDF library, is
// returned as an error and nothing is written to w.
func Render(w io.Writer, meta Meta, body []byte, opts Options) (warnings []string, err error) {
	size, err := pageSize(opts.PageSize)
	if err != nil {
		return nil, err
	}
	if err := loadMetrics(); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	if !utf8.Valid(body) {
		body = bytes.ToValidUTF8(body, []byte(string(utf8.RuneError)))
	}
	sh := &shaper{}
	need := neededRunes(meta, body)
	var complaints []string
	sh.chain, complaints = fallbackChain(need, opts.Fonts, opts.FontDirs, opts.FontDirs == nil)
	warnings = append(warnings, complaints...)
	var buf bytes.Buffer
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("pdf: internal error: %v", p)
			}
		}()
		var more []string
		more, err = render(&buf, meta, body, size, sh, now())
		warnings = append(warnings, more...)
	}()
	if err != nil {
		return nil, err
	}
	dirs := opts.FontDirs
	if dirs == nil {
		dirs = systemFontDirs()
	}
	warnings = append(warnings, sh.warnings(dirs)...)
	if _, err := w.Write(buf.Bytes()); err != nil {
		return nil, fmt.Errorf("pdf: write: %w", err)
	}
	return warnings, nil
}

// pageSize maps the option to fpdf's size name.
func pageSize(p PageSize) (string, error) {
	switch strings.ToLower(string(p)) {
	case "", "a4":
		return "A4", nil
	case "letter", "us letter", "us-letter":
		return "Letter", nil
	}
	return "", fmt.Errorf("pdf: unknown page size %q (want A4 or Letter)", string(p))
}

func render(w io.Writer, meta Meta, body []byte, size string, sh *shaper, now time.Time) ([]string, error) {
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "pt", SizeStr: size})
	setMetadata(pdf, meta, now)
	r := newRenderer(pdf, sh, meta)
	r.cover()
	r.body(body)
	r.footers()
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	if _, err := w.Write(r.fonts.astralToUnicode(r.fonts.realNames(out.Bytes()), sh.usedPUA)); err != nil {
		return nil, err
	}
	return r.warnings, nil
}

// setMetadata fills the document information dictionary and pins every
// source of variation but the clock (object order, zoom) so output is
// reproducible.
func setMetadata(pdf *fpdf.Fpdf, meta Meta, now time.Time) {
	kind := plain(meta.Kind)
	if kind == "" {
		kind = "Proposal"
	}
	title := plain(meta.Title)
	if title == "" {
		title = kind
	}
	author := plain(meta.Author)
	if author == "" {
		author = plain(meta.PreparedBy)
	}
	subject := kind
	if client := plain(meta.PreparedFor); client != "" {
		subject = kind + " — " + client
	}
	pdf.SetTitle(title, true)
	if author != "" {
		pdf.SetAuthor(author, true)
	}
	pdf.SetSubject(subject, true)
	if ref := plain(meta.Reference); ref != "" {
		pdf.SetKeywords(ref, true)
	}
	if lang := langTag(meta.Lang); lang != "" {
		pdf.SetLang(lang)
	}
	pdf.SetCreator(creator, true)
	pdf.SetProducer(creator, true)
	pdf.SetCreationDate(now)
	pdf.SetModificationDate(now)
	pdf.SetCatalogSort(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetDisplayMode("fullwidth", "continuous")
}

// langTag keeps a BCP 47 tag's letters, digits and hyphens ("pt-BR"), the
// only characters a tag has, so it can go into a PDF string as is.
func langTag(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "_", "-"))
	if s == "" || len(s) > 35 {
		return ""
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return ""
		}
	}
	return s
}

// neededRunes are the characters of the document up to the Supplementary
// Multilingual Plane (emoji, symbols) that no compiled-in face has: what the
// fallback chain must find.
func neededRunes(meta Meta, body []byte) map[rune]bool {
	var need map[rune]bool
	scan := func(s string) {
		for _, r := range norm.NFC.String(s) {
			if r < 0x0300 || r >= 0x20000 || r == 0xFFFD || dropped(r) || cleanSpace(r) == ' ' {
				continue
			}
			if metrics[faceRegular].has(r) || metrics[faceFallback].has(r) || metrics[faceMono].has(r) {
				continue
			}
			if r >= 0xE000 && r <= 0xF8FF { // private use: no font means the same
				continue
			}
			if need == nil {
				need = map[rune]bool{}
			}
			need[r] = true
		}
	}
	scan(string(body))
	l := meta.Labels
	for _, s := range []string{meta.Title, meta.Kind, meta.PreparedFor, meta.Attention, meta.PreparedBy,
		meta.Date, meta.Reference, l.PreparedFor, l.PreparedBy, l.Attention, l.Date, l.Reference, l.Page,
		l.Draft, l.For, l.Signature, l.Name, l.SignatoryRole, l.SignedOn} {
		scan(s)
	}
	if b := meta.Branding; b != nil {
		scan(b.Firm + " " + b.Contact)
	}
	if sg := meta.Signing; sg != nil {
		scan(sg.Acceptance)
		for _, p := range sg.Parties {
			scan(p.Party + " " + p.Name + " " + p.Title)
		}
	}
	return need
}

// warnings says once what the document could not show as written; dirs
// are the font folders searched, to suggest only packages not installed.
func (sh *shaper) warnings(dirs []string) []string {
	var out []string
	if len(sh.missing) > 0 {
		rs := sortedRunes(sh.missing)
		var cjk, symbols, letters bool
		for _, r := range rs {
			switch {
			case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo):
				cjk = true
			case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
				letters = true
			default:
				symbols = true
			}
		}
		have := map[string]bool{}
		for _, p := range fontFiles(dirs) {
			have[strings.ToLower(filepath.Base(p))] = true
		}
		var fix []string
		if cjk && !have["droidsansfallbackfull.ttf"] && !have["droidsansfallback.ttf"] {
			fix = append(fix, installCJK+" (Chinese, Japanese, Korean)")
		}
		if symbols && !have["symbola.ttf"] && !have["symbola_hint.ttf"] {
			fix = append(fix, installSymbols+" (symbols and emoji)")
		}
		if letters && !have["notosans-regular.ttf"] {
			fix = append(fix, installScripts+" (the world's scripts)")
		}
		them := plural(len(rs), "it", "them")
		how := "Name"
		if len(fix) > 0 && runtime.GOOS == "linux" { // the package names are Debian's and Ubuntu's
			how = "Install " + strings.Join(fix, " and ") + ", or name"
		}
		out = append(out, fmt.Sprintf("The PDF shows □ for %s: no font found here has %s. %s a TrueType font file (.ttf, .ttc) that has %s under fonts in the config; the Markdown export keeps every character.",
			listRunes(rs), them, how, them))
	}
	if len(sh.unshaped) > 0 {
		rs := sortedRunes(sh.unshaped)
		var scripts []string
		for _, r := range rs {
			if n := scriptName(r); !slices.Contains(scripts, n) {
				scripts = append(scripts, n)
			}
		}
		out = append(out, fmt.Sprintf("The PDF cannot shape %s text: its letters print unjoined and left to right; export Markdown for this proposal.", strings.Join(scripts, " and ")))
	}
	return out
}

func sortedRunes(set map[rune]bool) []rune {
	rs := make([]rune, 0, len(set))
	for r := range set {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	return rs
}

// listRunes names up to ten characters with their code points.
func listRunes(rs []rune) string {
	var parts []string
	for i, r := range rs {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(rs)-i))
			break
		}
		parts = append(parts, fmt.Sprintf("%c (U+%04X)", r, r))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

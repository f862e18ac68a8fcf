// Package pdf exports a proposal as a PDF a consultant can send to a client:
// a cover page from the proposal's metadata, then the body Markdown laid out
// with embedded fonts, an outline, clickable links and numbered pages.
//
// It is pure Go and reads nothing from the system at run time: the fonts are
// compiled in from Go font modules. The same input always gives the same
// bytes, and no input makes it panic.
package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Meta is what the cover page and the PDF metadata say about the proposal.
type Meta struct {
	// Title is the proposal's title, large on the cover and in every footer.
	Title string
	// PreparedFor names the client.
	PreparedFor string
	// PreparedBy names the consultant or firm.
	PreparedBy string
	// Date is shown as written; when it parses as a date it also becomes the
	// PDF's creation date.
	Date string
	// Reference is an optional proposal or engagement reference.
	Reference string
	// Author is the PDF's author metadata; PreparedBy stands in when empty.
	Author string
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
}

// creator names the program in the PDF's Creator and Producer fields.
const creator = "propose"

// fixedDate is the creation date when Meta.Date does not parse: a constant,
// so that the same proposal always exports to the same bytes.
var fixedDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Render writes the PDF of a proposal: a cover page from meta, then the body
// Markdown. Output depends only on the arguments. A failure anywhere, even a
// panic inside the PDF library, is returned as an error and nothing is
// written to w.
func Render(w io.Writer, meta Meta, body []byte, opts Options) (err error) {
	size, err := pageSize(opts.PageSize)
	if err != nil {
		return err
	}
	if err := loadMetrics(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	var buf bytes.Buffer
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("pdf: internal error: %v", p)
			}
		}()
		err = render(&buf, meta, body, size)
	}()
	if err != nil {
		return err
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("pdf: write: %w", err)
	}
	return nil
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

func render(w io.Writer, meta Meta, body []byte, size string) error {
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "pt", SizeStr: size})
	setMetadata(pdf, meta)
	r := newRenderer(pdf)
	r.cover(meta)
	r.body(body)
	r.footers(meta)
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// setMetadata fills the document information dictionary and pins every
// source of variation (dates, object order) so output is reproducible.
func setMetadata(pdf *fpdf.Fpdf, meta Meta) {
	title := plain(meta.Title)
	if title == "" {
		title = "Proposal"
	}
	author := plain(meta.Author)
	if author == "" {
		author = plain(meta.PreparedBy)
	}
	subject := "Proposal"
	if client := plain(meta.PreparedFor); client != "" {
		subject = "Proposal for " + client
	}
	pdf.SetTitle(title, true)
	if author != "" {
		pdf.SetAuthor(author, true)
	}
	pdf.SetSubject(subject, true)
	if ref := plain(meta.Reference); ref != "" {
		pdf.SetKeywords(ref, true)
	}
	pdf.SetCreator(creator, true)
	pdf.SetProducer(creator, true)
	when := metaDate(meta.Date)
	pdf.SetCreationDate(when)
	pdf.SetModificationDate(when)
	pdf.SetCatalogSort(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetDisplayMode("fullwidth", "continuous")
}

// dateLayouts are the ways a consultant is likely to write a date.
var dateLayouts = []string{
	"2006-01-02",
	"2 January 2006",
	"02 January 2006",
	"January 2, 2006",
	"January 2 2006",
	"2 Jan 2006",
	"Jan 2, 2006",
	"2. January 2006",
	"02.01.2006",
	"2.1.2006",
	"January 2006",
	time.RFC3339,
}

// metaDate turns Meta.Date into the PDF creation date, or fixedDate.
func metaDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1900 || t.Year() > 9999 {
				break
			}
			return t.UTC()
		}
	}
	return fixedDate
}

package proposal

import (
	"io"

	"propose/proposal/pdf"
)

// renderPDF lays the proposal out as a PDF: a cover page from the title
// block, then the drafted sections.
func renderPDF(w io.Writer, c Cover, d Draft, opts RenderOptions) error {
	prepared := c.PreparedFor
	if prepared == "" {
		prepared = c.Attention
	}
	meta := pdf.Meta{
		Title:       Sanitize(c.Title),
		PreparedFor: Sanitize(prepared),
		PreparedBy:  Sanitize(c.PreparedBy),
		Date:        Sanitize(c.Date),
		Reference:   Sanitize(c.Reference),
		Author:      Sanitize(c.PreparedBy),
	}
	return pdf.Render(w, meta, []byte(Body(d)), pdf.Options{PageSize: pdf.PageSize(opts.PageSize)})
}

package pdf

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// logo is the branding's logo image, registered with the document.
type logo struct {
	name string
	w, h float64 // the image's own extent, for its aspect ratio
}

// fit scales the logo into a box of at most maxW by maxH points.
func (l *logo) fit(maxW, maxH float64) (w, h float64) {
	if l.w <= 0 || l.h <= 0 {
		return 0, 0
	}
	s := min(maxW/l.w, maxH/l.h)
	return l.w * s, l.h * s
}

// loadLogo reads a PNG or JPEG logo. One that cannot be read leaves the
// document without it and a warning that says why.
func (r *renderer) loadLogo(path string) {
	path = strings.TrimSpace(path)
	if path == "" {
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		r.warnings = append(r.warnings, fmt.Sprintf("Logo %s cannot be read (%v); the PDF has no logo.", path, err))
		return
	}
	var kind string
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		kind = "PNG"
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		kind = "JPG"
	default:
		r.warnings = append(r.warnings, fmt.Sprintf("Logo %s is not a PNG or JPEG image; the PDF has no logo.", path))
		return
	}
	info := r.pdf.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: kind}, bytes.NewReader(data))
	if err := r.pdf.Error(); err != nil || info == nil {
		r.pdf.ClearError()
		r.warnings = append(r.warnings, fmt.Sprintf("Logo %s cannot be used (%v); the PDF has no logo.", path, err))
		return
	}
	w, h := info.Extent()
	r.logo = &logo{name: "logo", w: w, h: h}
}

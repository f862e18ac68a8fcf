package proposal

import (
	"fmt"
	"io"
)

// renderPDF is wired to the PDF exporter once it lands.
func renderPDF(w io.Writer, c Cover, d Draft, opts RenderOptions) error {
	return fmt.Errorf("PDF export is not available in this build")
}

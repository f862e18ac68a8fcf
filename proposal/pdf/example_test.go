package pdf_test

import (
	"bytes"
	"fmt"

	"propose/proposal/pdf"
)

func ExampleRender() {
	meta := pdf.Meta{
		Title:       "Website Relaunch",
		PreparedFor: "Müller GmbH",
		PreparedBy:  "Jane Doe Consulting",
		Date:        "2026-03-12",
		Reference:   "JD-042",
	}
	body := []byte("## Summary\n\nA **fixed fee** of €12.000.\n\n## Fees\n\n| Item | Amount |\n|---|---|\n| Design | €7.000 |\n| Build | €5.000 |\n| **Total** | **€12.000** |\n")
	var buf bytes.Buffer
	warnings, err := pdf.Render(&buf, meta, body, pdf.Options{PageSize: pdf.A4})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range warnings {
		fmt.Println("warning:", w)
	}
	fmt.Println(bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")))
	// Output: true
}

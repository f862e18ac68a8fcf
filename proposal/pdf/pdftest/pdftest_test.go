package pdftest

import (
	"bytes"
	"strings"
	"testing"

	"propose/proposal/pdf"
)

func TestTextReadsBackWhatWasWritten(t *testing.T) {
	var buf bytes.Buffer
	meta := pdf.Meta{Title: "Order-to-Cash (Turnaround)", PreparedFor: "Acme Components Ltd", PreparedBy: "Northbridge Advisory"}
	body := "## Situation\n\nAcme ships 14,000 orders a month \\(from two plants\\) for €86.500 — Diagnóstico.\n"
	if _, err := pdf.Render(&buf, meta, []byte(body), pdf.Options{FontDirs: []string{}}); err != nil {
		t.Fatal(err)
	}
	text, err := Text(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Order-to-Cash (Turnaround)", "Proposal — Acme Components Ltd", "Northbridge Advisory",
		"Situation", "14,000", "€86.500", "Diagnóstico", "(from two plants)"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q not read back from:\n%s", want, text)
		}
	}
	if _, err := Text([]byte("not a pdf")); err == nil {
		t.Error("no error for bytes that are not a PDF")
	}
}

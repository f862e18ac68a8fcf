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

func TestPagesReadLinesTopDown(t *testing.T) {
	var buf bytes.Buffer
	body := "## Situation\n\nAcme ships 14,000 orders a month.\n\nIt costs €86.500 — Diagnóstico.\n"
	if _, err := pdf.Render(&buf, pdf.Meta{Title: "Pages"}, []byte(body), pdf.Options{FontDirs: []string{}, PageSize: pdf.A4}); err != nil {
		t.Fatal(err)
	}
	pages, err := Pages(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 {
		t.Fatalf("%d pages, want the cover and one", len(pages))
	}
	if h := pages[1].Height; h < 841 || h > 842 {
		t.Errorf("page height %.1f, want A4's 841.9", h)
	}
	var texts []string
	for i, l := range pages[1].Lines {
		texts = append(texts, l.Text)
		if i > 0 && l.Y <= pages[1].Lines[i-1].Y {
			t.Errorf("line %q at %.1f is not below the one before", l.Text, l.Y)
		}
	}
	want := []string{"Situation", "Acme ships 14,000 orders a month.", "It costs €86.500 — Diagnóstico."}
	if len(texts) < 3 || strings.Join(texts[:3], "|") != strings.Join(want, "|") {
		t.Fatalf("lines %q, want %q first", texts, want)
	}
	if s := pages[1].Lines[0].Size; s <= pages[1].Lines[1].Size {
		t.Errorf("heading size %.1f is not larger than the text's %.1f", s, pages[1].Lines[1].Size)
	}
	if _, err := Pages([]byte("not a pdf")); err == nil {
		t.Error("no error for bytes that are not a PDF")
	}
}

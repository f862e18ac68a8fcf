package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"propose/proposal/pdf/pdftest"
)

// A Spanish proposal's PDF speaks Spanish on its cover, in its footers and
// on its signature page: none of the PDF's own English words are left.
func TestPDFInTheProposalsLanguage(t *testing.T) {
	dir := setup(t)
	out := filepath.Join(t.TempDir(), "es.pdf")
	code, stdout, stderr := cli(t, dir, "run", "--answers", "interview/testdata/language/es.yaml", "--out", out, "--force")
	if code != 0 {
		t.Fatalf("run: %d\n%s%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdftest.Text(data)
	if err != nil {
		t.Fatal(err)
	}
	// The cover spaces its capitals out ("P R E P A R A D O"): compare
	// without spaces or case.
	flat := strings.ToLower(strings.Join(strings.Fields(text), ""))
	for _, want := range []string{"preparadopara", "página2de", "propuesta"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the Spanish PDF lacks %q:\n%s", want, clip(text, 600))
		}
	}
	for _, english := range []string{"preparedfor", "preparedby", "page2of", "proposal", "signature", "attention"} {
		if strings.Contains(flat, english) {
			t.Errorf("the Spanish PDF says %q", english)
		}
	}
	if !strings.Contains(string(data), "/Lang (es") {
		t.Error("the PDF does not declare its language")
	}
}

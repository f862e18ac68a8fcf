package interview

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"propose/proposal"
	"propose/proposal/pdf/pdftest"
)

// acmeEngine is a session answered from the example answers file, whose
// validity is assumed: a complete proposal with no blockers.
func acmeEngine(t *testing.T) *Engine {
	t.Helper()
	e, _ := newEngine(t)
	a, err := LoadAnswers("../examples/acme-operations.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.RecordAnswers(a); err != nil {
		t.Fatal(err)
	}
	if err := e.Settle(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e
}

func export(t *testing.T, e *Engine, format string, req ExportRequest) string {
	t.Helper()
	f, _ := proposal.FormatFor(format)
	req.Format, req.Path, req.Force = f, filepath.Join(t.TempDir(), "out."+format), true
	path, err := e.Export(req)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if format == "pdf" {
		text, err := pdftest.Text(data)
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
	return string(data)
}

// TestExportReadsAssumptionsAsCommitments: the draft marks an assumed
// answer; the client's Markdown and PDF state it in the template's wording
// with no mark, unless the export asks to show assumptions.
func TestExportReadsAssumptionsAsCommitments(t *testing.T) {
	e := acmeEngine(t)
	mark := strings.TrimSpace(proposal.AssumptionMark)
	if !strings.Contains(e.Markdown(), mark) {
		t.Fatalf("the draft does not mark the assumed validity:\n%s", e.Markdown())
	}
	md := export(t, e, "md", ExportRequest{})
	if strings.Contains(md, "assumption)") {
		t.Errorf("the export marks assumptions:\n%s", md)
	}
	if !strings.Contains(md, "This proposal is valid for 30 days") {
		t.Errorf("the assumed validity is not stated in the template's words:\n%s", md)
	}
	if text := export(t, e, "pdf", ExportRequest{}); strings.Contains(text, "assumption)") {
		t.Errorf("the PDF marks assumptions:\n%s", text)
	}
	if md := export(t, e, "md", ExportRequest{ShowAssumptions: true}); !strings.Contains(md, mark) {
		t.Errorf("--show-assumptions lost the mark:\n%s", md)
	}
}

// TestExportWithBlockersIsMarkedDraft: an export forced past blockers says
// DRAFT on its first Markdown line and on the PDF's cover and footers; a
// complete one says it nowhere.
func TestExportWithBlockersIsMarkedDraft(t *testing.T) {
	e := acmeEngine(t)
	if md := export(t, e, "md", ExportRequest{}); strings.Contains(md, "DRAFT") || !strings.HasPrefix(md, "# Order-to-Cash Turnaround\n") {
		t.Errorf("a complete export is marked or does not start with its title:\n%s", md)
	}
	if text := export(t, e, "pdf", ExportRequest{}); strings.Contains(text, "DRAFT") {
		t.Errorf("a complete PDF says DRAFT:\n%s", text)
	}
	if err := e.Record("fees", "Diagnose: TBD", proposal.Stated); err != nil {
		t.Fatal(err)
	}
	if err := e.Settle(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Export(ExportRequest{Format: proposal.Formats[0], Path: t.TempDir()}); err == nil {
		t.Fatal("an export with blockers went through unforced")
	}
	md := export(t, e, "md", ExportRequest{IgnoreBlockers: true})
	if first, _, _ := strings.Cut(md, "\n"); first != "**DRAFT**" {
		t.Errorf("first line = %q, want **DRAFT**:\n%s", first, md)
	}
	text := export(t, e, "pdf", ExportRequest{IgnoreBlockers: true})
	flat := strings.ReplaceAll(text, "\n", "")
	if n, pages := strings.Count(flat, "DRAFT"), strings.Count(text, "Page "); pages == 0 || n < pages+1 {
		t.Errorf("the forced PDF says DRAFT %d times on %d pages and a cover:\n%s", n, pages, text)
	}
}

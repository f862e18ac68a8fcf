package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunOutLeavesAssumptionMarksOut: `run --out` writes the assumed
// validity as the template states it, with no "(assumption)" mark;
// --show-assumptions keeps the mark for an internal draft.
func TestRunOutLeavesAssumptionMarksOut(t *testing.T) {
	data := setup(t)
	dir := t.TempDir()
	read := func(name string, extra ...string) string {
		t.Helper()
		out := filepath.Join(dir, name)
		args := append([]string{"--offline", "run", "--answers", "examples/acme-operations.yaml", "--out", out}, extra...)
		if code, stdout, stderr := cli(t, data, args...); code != 0 {
			t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if md := read("client.md"); strings.Contains(md, "(assumption)") || !strings.Contains(md, "valid for 30 days") {
		t.Errorf("the client's export marks the assumption or lost it:\n%s", md)
	}
	if md := read("internal.md", "--show-assumptions"); !strings.Contains(md, "*(assumption)*") {
		t.Errorf("--show-assumptions lost the mark:\n%s", md)
	}
}

// TestTemplatesDocPrintsTheGuide: a user without the source can read how to
// write a template.
func TestTemplatesDocPrintsTheGuide(t *testing.T) {
	data := setup(t)
	code, stdout, stderr := cli(t, data, "templates", "--doc")
	if code != 0 || !strings.HasPrefix(stdout, "# Writing your own proposal template") || !strings.Contains(stdout, "## A complete example") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, stdout, _ := cli(t, data, "templates"); !strings.Contains(stdout, "propose templates --doc") {
		t.Errorf("the list does not say where the guide is:\n%s", stdout)
	}
}

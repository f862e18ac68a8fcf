package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLanguageFromCLI: --language on run, language: in the answers file, a
// bad tag refused with the list of languages, and propose language to show,
// change (the proposal is redrafted) and set the default.
func TestLanguageFromCLI(t *testing.T) {
	data := setup(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "de.md")
	code, stdout, stderr := cli(t, data, "run", "--answers", "examples/acme-operations.yaml", "--language", "de", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	md, _ := os.ReadFile(out)
	for _, want := range []string{"**Erstellt für:** Acme Components Ltd", "## Ausgangslage", "**Datum:** 11. Januar 2027", "| **Gesamt** | **€86.500** |"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("German export lacks %q", want)
		}
	}

	code, _, stderr = cli(t, data, "run", "--answers", "examples/acme-operations.yaml", "--language", "klingon!")
	if code != 2 || !strings.Contains(stderr, "not a language tag: use one of en, de, es, fr, it, nl, pt") {
		t.Errorf("bad tag: exit %d, %s", code, stderr)
	}
	code, _, stderr = cli(t, data, "run", "--answers", "examples/acme-operations.yaml", "--language", "ja")
	if code != 2 || !strings.Contains(stderr, "no catalog for ja") {
		t.Errorf("tag without a catalog: exit %d, %s", code, stderr)
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("template: consulting\nlanguage: xx-\nanswers:\n  title: X\n"), 0o600)
	code, _, stderr = cli(t, data, "run", "--answers", bad)
	if code != 2 || !strings.Contains(stderr, "bad.yaml: language:") {
		t.Errorf("bad language in the answers file: exit %d, %s", code, stderr)
	}

	// language: in the answers file.
	code, stdout, stderr = cli(t, data, "run", "--answers", "interview/testdata/language/fr.yaml", "--out", filepath.Join(dir, "fr.md"))
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	md, _ = os.ReadFile(filepath.Join(dir, "fr.md"))
	if !strings.Contains(string(md), "**Date\u00a0:** 1er mars 2027") {
		t.Errorf("French export:\n%s", md)
	}

	// Show and change the language of the German session.
	_, stdout, _ = cli(t, data, "list", "--json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(stdout), &list); err != nil || len(list) != 2 {
		t.Fatalf("list: %s", stdout)
	}
	id := ""
	for _, s := range list {
		if s["title"] == "Order-to-Cash Turnaround" {
			id = s["id"].(string)
		}
	}
	if code, stdout, _ = cli(t, data, "language", id); code != 0 || strings.TrimSpace(stdout) != "Deutsch (de)" {
		t.Errorf("language %s: %d %q", id, code, stdout)
	}
	if code, stdout, stderr = cli(t, data, "language", id, "it"); code != 0 || !strings.Contains(stdout, "is now in Italiano (it)") {
		t.Fatalf("language %s it: %d %s %s", id, code, stdout, stderr)
	}
	_, stdout, _ = cli(t, data, "show", id)
	if !strings.Contains(stdout, "**Preparata per:** Acme Components Ltd") || !strings.Contains(stdout, "## Contesto") {
		t.Errorf("after the change:\n%s", stdout)
	}

	// The default for new proposals.
	if code, stdout, _ = cli(t, data, "language", "--default", "nl"); code != 0 || !strings.Contains(stdout, "Nederlands (nl)") {
		t.Errorf("--default: %d %s", code, stdout)
	}
	_, stdout, _ = cli(t, data, "language")
	if !strings.Contains(stdout, "* nl     Nederlands") || !strings.Contains(stdout, "  es     Español") {
		t.Errorf("list of languages:\n%s", stdout)
	}
	code, stdout, stderr = cli(t, data, "run", "--answers", "examples/acme-operations.yaml", "--out", filepath.Join(dir, "nl.md"))
	md, _ = os.ReadFile(filepath.Join(dir, "nl.md"))
	if code != 0 || !strings.Contains(string(md), "**Opgesteld voor:**") {
		t.Errorf("run with the default nl: %d %s %s", code, stdout, stderr)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"propose/proposal/pdf/pdftest"
)

// The config file's branding reaches the PDF (the firm on the cover and in
// the footers), and what the PDF cannot use (a logo that is not there) is
// said on stderr rather than dropped silently.
func TestBrandingFromTheConfigFile(t *testing.T) {
	dir := setup(t)
	cfgDir := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "propose")
	os.MkdirAll(cfgDir, 0o700)
	logo := filepath.Join(t.TempDir(), "missing-logo.png")
	os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte("branding:\n  firm: Northbridge Advisory\n  logo: "+logo+
		"\n  accent: \"#1f4e79\"\n  contact: 12 Hill Street, Leeds · hello@northbridge.example\n"), 0o600)
	out := filepath.Join(t.TempDir(), "acme.pdf")
	code, stdout, stderr := cli(t, dir, "run", "--answers", "examples/acme-operations.yaml", "--out", out)
	if code != 0 {
		t.Fatalf("run: %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "propose: warning:") || !strings.Contains(stderr, "missing-logo.png") {
		t.Errorf("the unreadable logo is not reported:\n%s", stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdftest.Text(data)
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"Northbridge Advisory", "hello@northbridge.example"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF lacks %q from the config's branding", want)
		}
	}
}

// A bad accent colour in the config is a clear, line-numbered error.
func TestBrandingAccentMustBeAColour(t *testing.T) {
	dir := setup(t)
	cfgDir := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "propose")
	os.MkdirAll(cfgDir, 0o700)
	os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte("branding:\n  accent: blue\n"), 0o600)
	code, _, stderr := cli(t, dir, "run", "--answers", "examples/acme-operations.yaml")
	if code == 0 || !strings.Contains(stderr, "config.yaml:2") || !strings.Contains(stderr, "#1f4e79") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

package proposal

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportNamesStayInTheFolder(t *testing.T) {
	dir := t.TempDir()
	md, _ := FormatFor("md")
	for _, title := range []string{"../../.bashrc", "/etc/passwd", `..\..\Windows\win.ini`, "~/.ssh/authorized_keys",
		"Diagnóstico für Müller & Söhne: Phase 2", "..", "", "\x1b]0;x\x07", strings.Repeat("long title ", 30)} {
		p := ExportPath(dir+string(os.PathSeparator), title, md)
		if filepath.Dir(p) != dir {
			t.Errorf("title %q exports to %s, outside %s", title, p, dir)
		}
		name := filepath.Base(p)
		if strings.HasPrefix(name, ".") || len(name) > 64 || strings.ContainsAny(name, `/\~`) {
			t.Errorf("title %q gives the name %q", title, name)
		}
	}
	if got := Slug("Diagnóstico für Müller & Söhne: Phase 2"); got != "diagnostico-fur-muller-sohne-phase-2" {
		t.Errorf("Slug = %q", got)
	}
}

func TestWriteFileNeverOverwritesSilentlyNorFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "p.md")
	if err := WriteFile(p, []byte("one"), false); err != nil {
		t.Fatal(err)
	}
	// The refusal names the file and no flag: the CLI and the TUI say how
	// to overwrite, each in its own terms.
	var exists *ExistsError
	if err := WriteFile(p, []byte("two"), false); !errors.As(err, &exists) || exists.Path != p || strings.Contains(err.Error(), "--") {
		t.Fatalf("second write: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "one" {
		t.Fatal("overwritten without force")
	}
	if err := WriteFile(p, []byte("two"), true); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "target")
	os.WriteFile(target, []byte("keep"), 0o600)
	link := filepath.Join(dir, "link.md")
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	for _, force := range []bool{false, true} {
		if err := WriteFile(link, []byte("evil"), force); !errors.Is(err, ErrSymlink) {
			t.Errorf("force=%v: write through a symlink: %v", force, err)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Fatal("symlink target changed")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestWriteFileIntoAMissingFolder: an export to a folder that does not
// exist says which folder is missing and what to do, and writes nothing.
func TestWriteFileIntoAMissingFolder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "no-such", "deeper", "p.pdf")
	err := WriteFile(path, []byte("x"), false)
	if !errors.Is(err, ErrNoFolder) {
		t.Fatalf("err = %v, want ErrNoFolder", err)
	}
	if msg := err.Error(); !strings.Contains(msg, filepath.Join(dir, "no-such", "deeper")) || !strings.Contains(msg, "create it") {
		t.Errorf("message %q does not name the folder and what to do", msg)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"propose/interview"
	"propose/tui"
)

// cli runs propose with args against a private data folder and returns the
// exit code, stdout and stderr.
func cli(t testing.TB, dataDir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"--data-dir", dataDir}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func setup(t testing.TB) string {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_BASE_URL", "")
	return filepath.Join(t.TempDir(), "sessions")
}

func TestRunExampleWritesACompleteProposal(t *testing.T) {
	data := setup(t)
	out := filepath.Join(t.TempDir(), "acme.md")
	code, stdout, stderr := cli(t, data, "run", "--answers", "examples/acme-operations.yaml", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	md, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"Situation", "Objectives", "Measures of success", "Value", "Approach and options",
		"Timing", "Joint accountabilities", "Investment", "Assumptions and scope", "Terms and acceptance"} {
		if !strings.Contains(string(md), "\n## "+h+"\n") {
			t.Errorf("section %q missing", h)
		}
	}
	if !strings.Contains(string(md), "| **Total** | **€86,500** |") {
		t.Errorf("fee total wrong or missing:\n%s", md)
	}
	for _, sev := range []string{"blocker", "warning"} {
		if strings.Contains(stdout, sev+" ") {
			t.Errorf("finding above suggestion on the example:\n%s", stdout)
		}
	}
	// The session is saved and listed.
	code, stdout, _ = cli(t, data, "list", "--json")
	var list []map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &list) != nil || len(list) != 1 || list[0]["title"] != "Order-to-Cash Turnaround" || list[0]["id"] == "" {
		t.Fatalf("list --json = %d %s", code, stdout)
	}
}

func TestExitCodes(t *testing.T) {
	data := setup(t)
	dir := t.TempDir()
	partial := filepath.Join(dir, "partial.yaml")
	os.WriteFile(partial, []byte("template: consulting\nanswers:\n  title: Half done\n  client: Acme\n"), 0o600)
	notemplate := filepath.Join(dir, "notemplate.yaml")
	os.WriteFile(notemplate, []byte("answers:\n  title: Half done\n"), 0o600)
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("template: consulting\nanswers:\n  feez: 1\n"), 0o600)

	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"blockers stop export", []string{"run", "--answers", partial, "--out", filepath.Join(dir, "p.md")}, 1, "blocker"},
		{"force exports anyway", []string{"run", "--answers", partial, "--out", filepath.Join(dir, "p2.md"), "--force"}, 0, "Wrote"},
		{"unknown field", []string{"run", "--answers", bad}, 2, "feez (line 3)"},
		{"missing answers file", []string{"run", "--answers", filepath.Join(dir, "nope.yaml")}, 2, "does not exist"},
		{"no answers flag", []string{"run"}, 2, "--answers FILE is required"},
		{"unknown template", []string{"run", "--answers", notemplate, "--template", "nope"}, 2, "no template \"nope\""},
		{"unknown flag", []string{"list", "--bogus"}, 2, "unknown flag"},
		{"missing argument", []string{"review"}, 2, "accepts 1 arg"},
		{"unknown command", []string{"bogus"}, 2, "unknown command"},
		{"bad format", []string{"export", "x", "--format", "docx"}, 2, "unknown format"},
		{"unknown session", []string{"review", "zzzz"}, 2, "no session matches"},
		{"bad out extension", []string{"run", "--answers", partial, "--out", filepath.Join(dir, "p.docx")}, 2, "use .md or .pdf"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, data, c.args...)
			if code != c.code || !strings.Contains(stdout+stderr, c.want) {
				t.Fatalf("exit %d (want %d); output lacks %q:\n%s\n%s", code, c.code, c.want, stdout, stderr)
			}
			if code == 2 && strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("error is not one line:\n%s", stderr)
			}
		})
	}
}

func TestReviewShowExportDelete(t *testing.T) {
	data := setup(t)
	dir := t.TempDir()
	code, stdout, stderr := cli(t, data, "run", "--answers", "examples/acme-operations.yaml")
	if code != 0 {
		t.Fatalf("%d %s %s", code, stdout, stderr)
	}
	_, stdout, _ = cli(t, data, "list", "--json")
	var list []struct{ ID string }
	json.Unmarshal([]byte(stdout), &list)
	id := list[0].ID

	if code, stdout, _ := cli(t, data, "review", id[:4]); code != 0 || !strings.Contains(stdout, "No findings") {
		t.Errorf("review: %d %s", code, stdout)
	}
	if code, stdout, _ := cli(t, data, "show", id); code != 0 || !strings.HasPrefix(stdout, "# Order-to-Cash Turnaround") {
		t.Errorf("show: %d %.80s", code, stdout)
	}
	// Export into a folder: the name comes from the title; a second export
	// refuses to overwrite without --force.
	if code, stdout, stderr := cli(t, data, "export", id, "--out", dir+"/"); code != 0 || !strings.Contains(stdout, "order-to-cash-turnaround.md") {
		t.Fatalf("export: %d %s %s", code, stdout, stderr)
	}
	if code, _, stderr := cli(t, data, "export", id, "--out", dir+"/"); code != 2 || !strings.Contains(stderr, "--force") {
		t.Errorf("second export: %d %s", code, stderr)
	}
	if code, _, _ := cli(t, data, "export", id, "--out", dir+"/", "--force"); code != 0 {
		t.Errorf("forced export: %d", code)
	}
	if code, stdout, _ := cli(t, data, "delete", id); code != 0 || !strings.Contains(stdout, "Deleted") {
		t.Errorf("delete: %d %s", code, stdout)
	}
	if code, stdout, _ := cli(t, data, "list"); code != 0 || !strings.Contains(stdout, "No sessions") {
		t.Errorf("list after delete: %s", stdout)
	}
}

func TestExportRefusesSymlinkAndStaysInFolder(t *testing.T) {
	data := setup(t)
	dir := t.TempDir()
	answers := filepath.Join(dir, "evil.yaml")
	ex, _ := os.ReadFile("examples/acme-operations.yaml")
	os.WriteFile(answers, []byte(strings.Replace(string(ex), "title: Order-to-Cash Turnaround", "title: ../../.bashrc", 1)), 0o600)
	outDir := filepath.Join(dir, "out")
	os.Mkdir(outDir, 0o700)
	target := filepath.Join(dir, "target.txt")
	os.WriteFile(target, []byte("keep me"), 0o600)
	os.Symlink(target, filepath.Join(outDir, "bashrc.md"))

	code, stdout, stderr := cli(t, data, "run", "--answers", answers, "--out", outDir+"/", "--force")
	if code == 0 {
		t.Fatalf("wrote through a symlink: %s", stdout)
	}
	if !strings.Contains(stderr, "symbolic link") {
		t.Errorf("message: %s", stderr)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep me" {
		t.Fatal("symlink target overwritten")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			t.Errorf("export escaped its folder: %s", e.Name())
		}
	}
}

func BenchmarkHeadlessRun(b *testing.B) {
	data := setup(b)
	dir := b.TempDir()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		out := filepath.Join(dir, "p.md")
		if code, stdout, stderr := cli(b, data, "run", "--answers", "examples/acme-operations.yaml", "--out", out, "--force"); code != 0 {
			b.Fatalf("%d %s %s", code, stdout, stderr)
		}
	}
}

func TestRunWritesPDF(t *testing.T) {
	data := setup(t)
	out := filepath.Join(t.TempDir(), "acme.pdf")
	code, stdout, stderr := cli(t, data, "run", "--answers", "examples/acme-operations.yaml", "--out", out, "--page-size", "Letter")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || len(b) < 10000 {
		t.Fatalf("not a PDF: %v, %d bytes", err, len(b))
	}
	if !bytes.Contains(b, []byte("/MediaBox [0 0 612.00 792.00]")) {
		t.Errorf("--page-size Letter not applied")
	}
}

// Leaving the interface says what was saved and how to come back to it.
func TestResumeHint(t *testing.T) {
	got := resumeHint(tui.ExitInfo{ID: "600709a8", Title: "Order-to-Cash Turnaround",
		Progress: interview.Progress{Answered: 8, Total: 26}})
	want := "Saved “Order-to-Cash Turnaround” (8 of 26 answered). Resume with: propose resume 600709a8"
	if got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// TestCLIWordsRefusalsWithFlags: the domain's refusals (blockers, a file
// already there, a session folder that is a file) name no flag themselves;
// the CLI says which flag to use.
func TestCLIWordsRefusalsWithFlags(t *testing.T) {
	data := setup(t)
	dir := t.TempDir()
	partial := filepath.Join(dir, "partial.yaml")
	os.WriteFile(partial, []byte("template: consulting\nanswers:\n  title: Half done\n  client: Acme\n"), 0o600)
	code, stdout, stderr := cli(t, data, "run", "--answers", partial, "--out", filepath.Join(dir, "p.md"))
	if code != 1 || !strings.Contains(stderr, "blocker") || !strings.Contains(stderr, "export anyway with --force") {
		t.Errorf("blocked run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	taken := filepath.Join(dir, "taken.md")
	os.WriteFile(taken, []byte("mine"), 0o600)
	code, stdout, stderr = cli(t, data, "run", "--answers", "examples/acme-operations.yaml", "--out", taken)
	if code != 2 || !strings.Contains(stderr, taken+": file already exists; use --force to overwrite it") {
		t.Errorf("existing file: exit %d\n%s\n%s", code, stdout, stderr)
	}
	file := filepath.Join(dir, "not-a-folder")
	os.WriteFile(file, nil, 0o600)
	code, stdout, stderr = cli(t, file, "list")
	if code == 0 || !strings.Contains(stderr, "is a file, not a folder; give another with --data-dir") {
		t.Errorf("data dir is a file: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
